"""inbound mail looked up by (UIDVALIDITY, UID): a pass knows what INBOX holds without a listing

Revision ID: 0004_inbound_uid_index
Revises: 0003_mailings
Create Date: 2026-11-29 17:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0004_inbound_uid_index"
down_revision = "0003_mailings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_inbound_mail_uid", "inbound_mail", ["uidvalidity", "uid"])


def downgrade() -> None:
    op.drop_index("ix_inbound_mail_uid", table_name="inbound_mail")
