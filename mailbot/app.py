"""Wiring: settings in, a ready application out. No module-level state anywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import sessionmaker

from mailbot.catalog import Catalog, load_catalog
from mailbot.clock import Clock, SystemClock
from mailbot.records import schema
from mailbot.records.db import make_engine, make_sessionmaker
from mailbot.settings import Settings
from mailbot.staff.journal import Journal
from mailbot.templating import Templates

if TYPE_CHECKING:
    from mailbot.invoicing.render import InvoiceRenderer


@dataclass
class App:
    """Everything a worker needs, built once from validated settings."""

    settings: Settings
    catalog: Catalog
    templates: Templates
    engine: Engine
    db: sessionmaker[DbSession]
    journal: Journal
    clock: Clock = field(default_factory=SystemClock)
    _renderer: InvoiceRenderer | None = field(default=None, repr=False)

    def invoice_renderer(self) -> InvoiceRenderer:
        """Built on first use: fonts and the stylesheet are parsed once per process."""
        if self._renderer is None:
            # Imported here: WeasyPrint is heavy and an idle daemon should not pay for it.
            from mailbot.invoicing.render import InvoiceRenderer

            self._renderer = InvoiceRenderer(self.settings.templates_dir / "invoice")
        return self._renderer

    def migrate(self) -> None:
        schema.upgrade(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


def build_app(settings: Settings, *, clock: Clock | None = None, migrate: bool = True) -> App:
    """Load the catalog, compile every template and open the database.

    Raises ConfigError before anything touches a mailbox if something is wrong.
    """
    clock = clock or SystemClock()
    catalog = load_catalog(settings.catalog_file)
    templates = Templates(settings.templates_dir)
    templates.compile_all()
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url, echo=settings.database.echo)
    factory = make_sessionmaker(engine)
    journal = Journal(templates, settings.journal_path, clock)
    journal.attach(factory)
    app = App(settings, catalog, templates, engine, factory, journal, clock)
    if migrate:
        app.migrate()
    return app
