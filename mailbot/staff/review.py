"""The review queue: every mail mailbot could not handle with certainty waits here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from mailbot.app import App
from mailbot.records.db import unit_of_work
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


# -- staff decisions ---------------------------------------------------------------------

# Reasons a person may overrule by approving (they looked at the scan, called the client).
# Anything else must be corrected first: no confirmation goes to an invalid address.
OVERRIDABLE = {
    "participants_differ",
    "duplicate_name",  # two namesakes are possible: staff ask, then approve or correct
    "handwritten",
    "unsigned",
    "count_mismatch",
    "total_mismatch",
    "low_confidence",
    "past_session",
    "no_mail_date",  # staff see when it came in; the daemon checks the session is ahead today
    "participant_already_registered",
    "already_registered",
    "question_in_mail",  # answered by hand; the form itself may be recorded
    "form_sent_again",  # staff compare it with what was recorded, then approve or resolve
    "document_remark",  # a comment or note on the form: read, then approved or answered
    "letter",  # a registration letter: the values read are checked against it
    "auto_reply",  # a form sent back by an out-of-office robot: new, or the one recorded?
    # A reading to check on the attachment: approving is saying it was checked
    # (and corrected where it was wrong).
    "uncertain",
    "replacement_ambiguous",
}


@dataclass(frozen=True, slots=True)
class Decision:
    ok: bool
    message: str
    registration_id: int | None = None


def approve(
    app: App, item_id: int, staff: str, corrections: Mapping[str, str] | None = None
) -> Decision:
    """Apply corrections, re-validate, then run exactly the automatic registration path."""
    from handlers.base import Done, MailContext, NeedsReview
    from mailbot.pipeline import APPROVAL_PIPELINE, Pipeline, describe
    from mailbot.staff.corrections import CorrectionError, apply
    from mailbot.staff.reasons import explain
    from mailbot.understanding.model import Understanding
    from mailbot.understanding.validation import TERMINAL_REASONS as TERMINAL
    from mailbot.understanding.validation import validate

    with unit_of_work(app.db) as db:
        item = db.get(ReviewItem, item_id)
        if item is None or item.status != ReviewStatus.OPEN:
            return Decision(False, f"point n° {item_id} introuvable ou déjà traité")
        mail = item.inbound_mail
        if mail is None or not mail.understanding:
            return Decision(False, "ce point ne concerne pas un formulaire : utiliser « resolve »")
        try:
            data = apply(mail.understanding, corrections or {})
            if corrections:
                # A form that could not be read (a poor scan, two forms): staff typed it
                # in, and the form's rules now judge what they typed.
                data["reasons"] = [r for r in data.get("reasons") or [] if r not in TERMINAL]
            corrected = validate(Understanding.from_dict(data), app.catalog)
        except (CorrectionError, ValueError, KeyError, TypeError) as exc:
            return Decision(False, f"correction impossible : {exc}")
        if str(corrected.kind) not in {"registration", "replacement"}:
            return Decision(
                False, "seuls les formulaires d'inscription et les remplacements s'approuvent"
            )
        blocking = [r for r in corrected.reasons if r.partition(":")[0] not in OVERRIDABLE]
        if blocking:
            return Decision(False, "à corriger d'abord : " + explain(blocking, app.templates))
        mail.understanding = corrected.to_dict()
        ctx = MailContext(app=app, db=db, understanding=corrected, approved_by=staff)
        pipeline = Pipeline(app, order=APPROVAL_PIPELINE)
        outcome, trail = pipeline.run(mail, ctx, pipeline.handlers)
        if not isinstance(outcome, Done):
            db.rollback()
            reason = (
                outcome.reason_text if isinstance(outcome, NeedsReview) else describe(outcome)[1]
            )
            return Decision(False, f"approbation impossible : {reason}")
        mail.trail = [*(mail.trail or []), *(entry.as_json() for entry in trail)]
        _close(db, app, item, ReviewStatus.APPROVED, staff, note=_describe(corrections))
        registration = ctx.registration
        if registration is None:
            return Decision(True, f"point n° {item_id} approuvé.")
        return Decision(
            True,
            f"point n° {item_id} approuvé : inscription n° {registration.id} "
            f"({registration.organisation_name}) enregistrée ; le courriel part au prochain envoi.",
            registration.id,
        )


def reject(app: App, item_id: int, staff: str, note: str) -> Decision:
    """Close an item without acting (spam, a form the client withdrew...)."""
    return _finish(app, item_id, staff, note, ReviewStatus.REJECTED)


def resolve(app: App, item_id: int, staff: str, note: str) -> Decision:
    """Close an item handled by hand (a question answered, an address fixed)."""
    return _finish(app, item_id, staff, note, ReviewStatus.RESOLVED)


def _finish(app: App, item_id: int, staff: str, note: str, status: ReviewStatus) -> Decision:
    with unit_of_work(app.db) as db:
        item = db.get(ReviewItem, item_id)
        if item is None or item.status != ReviewStatus.OPEN:
            return Decision(False, f"point n° {item_id} introuvable ou déjà traité")
        _close(db, app, item, status, staff, note)
        return Decision(True, f"point n° {item_id} {ACTION_LABELS[status]}")


ACTION_LABELS = {
    ReviewStatus.APPROVED: "approuvé",
    ReviewStatus.REJECTED: "rejeté",
    ReviewStatus.RESOLVED: "résolu",
}


def _close(
    db: DbSession, app: App, item: ReviewItem, status: ReviewStatus, staff: str, note: str
) -> None:
    item.status = status
    item.resolved_at = app.clock.now()
    item.resolved_by = staff
    item.resolution_note = note or None
    app.journal.record(
        db,
        "review_resolved",
        review=item,
        inbound=item.inbound_mail,
        registration=item.registration,
        item_id=item.id,
        action=ACTION_LABELS[status],
        staff=staff,
        data={"note": note},
    )


def _describe(corrections: Mapping[str, str] | None) -> str:
    if not corrections:
        return ""
    return "corrections : " + ", ".join(f"{k}={v}" for k, v in corrections.items())
