"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from mailbot.records.db import make_engine
from mailbot.records.models import Base
from mailbot.records.schema import current_revision, head_revision, upgrade


def test_migrations_reach_the_models_schema(db_url):
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": False}
            )
            differences = compare_metadata(context, Base.metadata)
        assert differences == []
        upgrade(engine)  # a second run is a no-op
    finally:
        engine.dispose()
