"""Runs the registered handlers over one stored mail and records how it ended.

This is the one place unexpected exceptions are caught: the transaction is rolled
back, the mail is parked for review with the error, and the daemon carries on.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session as DbSession

from handlers import REGISTRY
from handlers.base import Continue, Done, Handler, Ignore, MailContext, NeedsReview, Outcome
from mailbot import replies
from mailbot.app import App
from mailbot.batching import chunked
from mailbot.faults import crash_point
from mailbot.records.db import unit_of_work
from mailbot.records.models import Disposition, InboundMail
from mailbot.staff import review as review_queue

log = logging.getLogger("mailbot.pipeline")

# The route of a mail, as data: adding a step is one file in handlers/ and one name here.
PIPELINE: tuple[str, ...] = (
    "check_size",
    "understand",
    "drop_noise",
    "handle_bounce",
    "check_session",
    "check_duplicate",
    "record_registration",
    "issue_invoice",
    "queue_confirmation",
    "queue_access",
    "registration_done",
    "apply_replacement",
    "park_for_review",
)

# The steps an approved review item runs: exactly those of an automatic registration,
# from the point where the mail has been read (staff supply the corrected reading).
APPROVAL_PIPELINE: tuple[str, ...] = PIPELINE[PIPELINE.index("check_session") :]

# A mail being handled when the process died this many times is not tried again
# automatically. Kills are counted, not proven to be the mail's fault: a daemon
# killed a few times in a row (deploys, OOM of another process) must not park an
# innocent mail, while a mail that really crashes the process stops after a handful.
MAX_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class TrailEntry:
    handler: str
    outcome: str
    detail: str

    def as_json(self) -> dict[str, str]:
        return {"handler": self.handler, "outcome": self.outcome, "detail": self.detail}


def describe(outcome: Outcome) -> tuple[str, str]:
    match outcome:
        case Continue(note=note):
            return "continue", note
        case Done(note=note):
            return "done", note
        case NeedsReview(reason_code=code, reason_text=text):
            return "review", f"{code}: {text}"
        case Ignore(reason=reason):
            return "ignore", reason


class Pipeline:
    def __init__(
        self,
        app: App,
        order: Sequence[str] = PIPELINE,
        registry: Mapping[str, Handler] | None = None,
    ) -> None:
        registry = REGISTRY if registry is None else registry
        unknown = [name for name in order if name not in registry]
        if unknown:
            raise ValueError(f"pipeline names unknown handlers: {', '.join(unknown)}")
        self.app = app
        self.handlers = [registry[name] for name in order]

    def count_attempt(self, inbound_ids: Sequence[int]) -> None:
        """Durably count an attempt for these mails before handling them.

        Counted for a whole chunk in one commit: if the process dies inside the chunk,
        each of its mails carries one attempt and is then handled alone, counted one
        by one, so only a mail that really kills the process reaches MAX_ATTEMPTS.
        """
        with unit_of_work(self.app.db) as db:
            db.execute(
                update(InboundMail)
                .where(InboundMail.id.in_(inbound_ids), InboundMail.processed_at.is_(None))
                .values(attempts=InboundMail.attempts + 1)
            )

    def read_ahead(self, inbound_ids: Sequence[int]) -> None:
        """Read (parse, OCR) these mails before the transaction that acts on them.

        Reading is the slow part — seconds for a scanned form — and touches nothing:
        done inside the handling transaction, it would hold SQLite's single write lock
        that long, and the sender and the web interface would wait. The reading is
        stored on the mail, as an interrupted attempt's is, and ``understand`` uses it.
        """
        if not any(handler.name == "understand" for handler in self.handlers):
            return
        for inbound_id in inbound_ids:
            with unit_of_work(self.app.db) as db:
                raw = db.scalar(
                    select(InboundMail.raw).where(
                        InboundMail.id == inbound_id,
                        InboundMail.understanding.is_(None),
                        InboundMail.processed_at.is_(None),
                        InboundMail.headers_only.is_(False),
                    )
                )
            if raw is None:
                continue
            try:
                reading = self.app.understand(raw).to_dict()
            except Exception:
                # The handler reads it again inside the transaction, where a failure
                # parks the mail with its error.
                log.exception("read_ahead_failed", extra={"inbound_id": inbound_id})
                continue
            with unit_of_work(self.app.db) as db:
                db.execute(
                    update(InboundMail)
                    .where(InboundMail.id == inbound_id, InboundMail.understanding.is_(None))
                    .values(understanding=reading)
                )

    def process(self, inbound_id: int, *, counted: bool = False) -> Disposition | None:
        """Handle one stored mail; returns its disposition (None if already handled)."""
        if not counted:
            self.count_attempt([inbound_id])
        self.read_ahead([inbound_id])
        try:
            with unit_of_work(self.app.db) as db:
                mail = db.get(InboundMail, inbound_id)
                if mail is None or mail.processed_at is not None:
                    return None
                if mail.attempts > MAX_ATTEMPTS:
                    return self._park(db, mail, "la tentative précédente a interrompu le service")
                ctx = MailContext(app=self.app, db=db)
                outcome, trail = self.run(mail, ctx, self.handlers)
                disposition = finish(ctx, mail, outcome, trail)
        except Exception as exc:
            log.exception(
                "pipeline_failed", extra={"event": "pipeline_failed", "inbound_id": inbound_id}
            )
            return self._park_after_crash(
                inbound_id, f"{type(exc).__name__}: {exc}", traceback.format_exc()
            )
        crash_point("after_process")
        return disposition

    def process_together(self, inbound_ids: Sequence[int]) -> None:
        """Handle fresh, counted mails several to a transaction: the common, fast case.

        Handlers only write to the database, so a failure anywhere rolls back the
        whole group with nothing sent; the group is then handled again one mail per
        transaction, where ``process`` isolates the culprit.
        """
        self.read_ahead(inbound_ids)
        remaining = list(inbound_ids)
        while remaining:
            try:
                with unit_of_work(self.app.db) as db:
                    handled = self._handle_group(db, remaining)
            except Exception:
                log.info("group_rolled_back", extra={"event": "group_rolled_back"})
                for inbound_id in remaining:
                    self.process(inbound_id, counted=True)
                return
            for _ in handled:
                crash_point("after_process")
            remaining = remaining[len(handled) :]

    def _handle_group(self, db: DbSession, inbound_ids: Sequence[int]) -> list[int]:
        """Handle mails in order until the time budget is spent; returns those handled."""
        mails = {
            mail.id: mail
            for mail in db.scalars(select(InboundMail).where(InboundMail.id.in_(inbound_ids)))
        }
        deadline = time.monotonic() + CHUNK_BUDGET_S
        handled = []
        for inbound_id in inbound_ids:
            mail = mails.get(inbound_id)
            if mail is not None and mail.processed_at is None:
                ctx = MailContext(app=self.app, db=db)
                outcome, trail = self.run(mail, ctx, self.handlers)
                finish(ctx, mail, outcome, trail)
                crash_point("handled")  # handled, not yet committed
            handled.append(inbound_id)
            if time.monotonic() > deadline:
                break
        return handled

    @staticmethod
    def run(
        mail: InboundMail, ctx: MailContext, handlers: Sequence[Handler]
    ) -> tuple[Outcome, list[TrailEntry]]:
        trail: list[TrailEntry] = []
        for handler in handlers:
            outcome = handler.handle(mail, ctx)
            label, detail = describe(outcome)
            trail.append(TrailEntry(handler.name, label, detail))
            if not isinstance(outcome, Continue):
                return outcome, trail
        return NeedsReview("not_handled", "aucune étape n'a pu traiter ce courriel."), trail

    def _park_after_crash(self, inbound_id: int, error: str, detail: str = "") -> Disposition:
        with unit_of_work(self.app.db) as db:
            return self._park(db, db.get_one(InboundMail, inbound_id), error, detail)

    def _park(self, db: DbSession, mail: InboundMail, error: str, detail: str = "") -> Disposition:
        """File the mail for review with the error; nothing is sent for it."""
        mail.last_error = (detail or error)[-8000:]
        self.app.journal.record(
            db,
            "handler_failed",
            level="error",
            inbound=mail,
            handler="traitement",
            error=error[:300],
        )
        outcome = NeedsReview(
            "internal_error",
            f"erreur interne pendant le traitement ({error[:200]}). Aucune réponse n'a été envoyée.",
            acknowledge=False,
        )
        trail = [TrailEntry("pipeline", "error", error[:500])]
        return finish(MailContext(app=self.app, db=db), mail, outcome, trail)


def finish(
    ctx: MailContext, mail: InboundMail, outcome: Outcome, trail: list[TrailEntry]
) -> Disposition:
    """Record the ending: disposition, folder, review item, journal — one transaction."""
    app, db = ctx.app, ctx.db
    folders = app.settings.imap.folders
    mail.processed_at = app.clock.now()
    mail.trail = [entry.as_json() for entry in trail]
    match outcome:
        case Done() | Continue():
            mail.disposition, mail.target_folder = Disposition.DONE, folders.done
        case Ignore(reason=reason):
            mail.disposition, mail.target_folder = Disposition.IGNORED, folders.ignored
            app.journal.record(db, "ignored", inbound=mail, reason=reason)
        case NeedsReview(reason_code=code, reason_text=text, acknowledge=ack):
            mail.disposition, mail.target_folder = Disposition.REVIEW, folders.review
            review_queue.open_item(db, app, code, text, inbound=mail, registration=ctx.registration)
            if ack and app.settings.replies.acknowledge_review:
                replies.acknowledge(db, app, mail)
    return mail.disposition


CHUNK = 100
# A chunk's transaction is committed once it has run this long: the writer lock is
# never held much longer than for one slow mail (a scanned form read by OCR).
CHUNK_BUDGET_S = 0.25


def process_pending(app: App, pipeline: Pipeline, limit: int | None = None) -> int:
    """Process stored mails not yet handled (oldest first); returns how many."""
    with unit_of_work(app.db) as db:
        rows = db.execute(
            select(InboundMail.id, InboundMail.attempts)
            .where(InboundMail.processed_at.is_(None))
            .order_by(InboundMail.id)
            .limit(limit)
        ).all()
    fresh = [inbound_id for inbound_id, attempts in rows if attempts == 0]
    for chunk in chunked(fresh, CHUNK):
        pipeline.count_attempt(chunk)
        pipeline.process_together(chunk)
    # Mails that were being handled when the process died: one at a time, each counted.
    for inbound_id, attempts in rows:
        if attempts > 0:
            pipeline.process(inbound_id)
    return len(rows)
