"""inbound mail over the size limit: recorded from its header block only

Revision ID: 0005_inbound_headers_only
Revises: 0004_inbound_uid_index
Create Date: 2026-11-29 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_inbound_headers_only"
down_revision = "0004_inbound_uid_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_mail") as batch:
        batch.add_column(
            sa.Column("headers_only", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("inbound_mail") as batch:
        batch.drop_column("headers_only")
