"""The review queue: every mail mailbot could not handle with certainty waits here."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from mailbot.app import App
from mailbot.records.models import (
    InboundMail,
    OutboundMail,
    Registration,
    ReviewItem,
    ReviewStatus,
)


def open_item(
    db: DbSession,
    app: App,
    reason_code: str,
    reason_text: str,
    *,
    inbound: InboundMail | None = None,
    registration: Registration | None = None,
    outbound: OutboundMail | None = None,
    key: str | None = None,
) -> ReviewItem:
    """Open (once) a review item; the key makes a repeated request a no-op."""
    if key is None:
        subject = (
            f"inbound:{inbound.id}"
            if inbound is not None
            else f"outbound:{outbound.id}"
            if outbound is not None
            else f"registration:{registration.id}"
            if registration is not None
            else "general"
        )
        key = f"{subject}:{reason_code}"
    existing = db.scalar(select(ReviewItem).where(ReviewItem.idempotency_key == key))
    if existing is not None:
        return existing
    item = ReviewItem(
        idempotency_key=key,
        reason_code=reason_code,
        reason_text=reason_text,
        status=ReviewStatus.OPEN,
        created_at=app.clock.now(),
        inbound_mail=inbound,
        registration=registration,
        outbound_mail=outbound,
    )
    db.add(item)
    db.flush()
    app.journal.record(
        db,
        "review_opened",
        level="warning",
        inbound=inbound,
        outbound=outbound,
        registration=registration,
        review=item,
        reason=reason_text,
    )
    return item


def open_items(db: DbSession) -> Sequence[ReviewItem]:
    return db.scalars(
        select(ReviewItem).where(ReviewItem.status == ReviewStatus.OPEN).order_by(ReviewItem.id)
    ).all()
