"""One pass over the mailbox: store new mails, run the pipeline, file them, save sent copies.

Every step is driven by the database, so a pass interrupted anywhere is finished
by the next one: a stored mail is processed, a processed mail is moved, a sent
mail gets its copy in the Sent folder — each exactly once.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session as DbSession

from mailbot import intake
from mailbot.app import App
from mailbot.batching import chunked
from mailbot.faults import crash_point
from mailbot.mailbox import Mailbox
from mailbot.pipeline import Pipeline, process_pending
from mailbot.records.db import unit_of_work
from mailbot.records.models import InboundMail, OutboundMail, OutboundStatus, ServiceHealth
from mailbot.staff.journal import EventRefs

log = logging.getLogger("mailbot.imap")


@dataclass
class CycleReport:
    listed: int = 0
    seen_uids: frozenset[int] = frozenset()
    stored: int = 0
    already_known: int = 0
    processed: int = 0
    moved: int = 0
    saved_to_sent: int = 0
    moves: dict[str, int] = field(default_factory=dict)


class ImapWorker:
    def __init__(self, app: App, pipeline: Pipeline | None = None) -> None:
        self.app = app
        self.pipeline = pipeline or Pipeline(app)

    def cycle(self, mailbox: Mailbox) -> CycleReport:
        report = CycleReport()
        uidvalidity = mailbox.select_inbox()
        uids = mailbox.inbox_uids()
        report.listed = len(uids)
        report.seen_uids = frozenset(uids)
        uid_to_inbound = self._store_new(mailbox, uidvalidity, uids, report)
        report.processed = process_pending(self.app, self.pipeline)
        crash_point("before_move")
        self._file(mailbox, uid_to_inbound, report)
        report.saved_to_sent = self.save_sent_copies(mailbox)
        self.mark_health(ok=True)
        return report

    # -- store ---------------------------------------------------------------------------
    def _store_new(
        self, mailbox: Mailbox, uidvalidity: int, uids: list[int], report: CycleReport
    ) -> dict[int, int]:
        """Map every INBOX UID to its InboundMail id, storing the mails we don't know yet."""
        uid_to_inbound = self._known(uidvalidity, uids)
        report.already_known += len(uid_to_inbound)
        to_fetch = [uid for uid in uids if uid not in uid_to_inbound]
        # One transaction per fetched batch: a crash before its commit loses nothing,
        # since those mails are still in INBOX and are fetched again.
        for batch in mailbox.fetch(to_fetch, self.app.settings.imap.max_message_bytes):
            with unit_of_work(self.app.db) as db:
                arrivals = intake.store_batch(
                    db,
                    [intake.Incoming(f.uid, f.raw, f.size, f.headers_only) for f in batch],
                    journal=self.app.journal,
                    clock=self.app.clock,
                    uidvalidity=uidvalidity,
                )
                for _ in arrivals:
                    crash_point("after_store")  # stored, not yet committed
            for arrival in arrivals:
                if arrival.uid is not None:
                    uid_to_inbound[arrival.uid] = arrival.inbound_id
                if arrival.created:
                    report.stored += 1
                else:
                    report.already_known += 1
        return uid_to_inbound

    def _known(self, uidvalidity: int, uids: list[int]) -> dict[int, int]:
        """The INBOX UIDs already stored, by (UIDVALIDITY, UID), which IMAP never reuses.

        After a UIDVALIDITY change nothing is known this way; those mails are fetched
        again and recognised at store time by Message-ID and content hash.
        """
        known: dict[int, int] = {}
        with unit_of_work(self.app.db) as db:
            for chunk in chunked(uids, 500):
                rows = db.execute(
                    select(InboundMail.uid, InboundMail.id).where(
                        InboundMail.uidvalidity == uidvalidity, InboundMail.uid.in_(chunk)
                    )
                )
                known.update({uid: inbound_id for uid, inbound_id in rows if uid is not None})
        return known

    # -- file ----------------------------------------------------------------------------
    def _file(self, mailbox: Mailbox, uid_to_inbound: dict[int, int], report: CycleReport) -> None:
        """MOVE processed mails to their folder, then record the move."""
        self._record_interrupted_moves(set(uid_to_inbound.values()))
        folder_of: dict[int, str] = {}
        with unit_of_work(self.app.db) as db:
            for chunk in chunked(sorted(set(uid_to_inbound.values())), 500):
                rows = db.execute(
                    select(InboundMail.id, InboundMail.target_folder).where(
                        InboundMail.id.in_(chunk), InboundMail.processed_at.is_not(None)
                    )
                )
                folder_of.update({inbound_id: folder for inbound_id, folder in rows if folder})
        by_folder: dict[str, list[int]] = defaultdict(list)
        for uid, inbound_id in uid_to_inbound.items():
            if inbound_id in folder_of:
                by_folder[folder_of[inbound_id]].append(uid)
        for folder, uids in by_folder.items():
            mailbox.move(sorted(uids), folder)
            crash_point("after_move")
            with unit_of_work(self.app.db) as db:
                self._record_moves(db, [uid_to_inbound[uid] for uid in uids], folder)
            report.moved += len(uids)
            report.moves[folder] = report.moves.get(folder, 0) + len(uids)

    def _record_interrupted_moves(self, in_inbox: set[int]) -> None:
        """Record the moves a killed pass made but never wrote down.

        A crash between MOVE and its record leaves a processed mail marked unmoved,
        yet gone from INBOX: it will never be listed again, so record it here.
        """
        with unit_of_work(self.app.db) as db:
            left = db.execute(
                select(InboundMail.id, InboundMail.target_folder).where(
                    InboundMail.processed_at.is_not(None),
                    InboundMail.moved_at.is_(None),
                    InboundMail.target_folder.is_not(None),
                )
            ).all()
            by_folder: dict[str, list[int]] = defaultdict(list)
            for inbound_id, folder in left:
                if folder and inbound_id not in in_inbox:
                    by_folder[folder].append(inbound_id)
            for folder, inbound_ids in by_folder.items():
                self._record_moves(db, inbound_ids, folder)

    def _record_moves(self, db: DbSession, inbound_ids: Sequence[int], folder: str) -> None:
        """Mark these mails moved and journal it: a few statements for a whole folder."""
        for chunk in chunked(sorted(inbound_ids), 500):
            unmoved = db.execute(
                update(InboundMail)
                .where(InboundMail.id.in_(chunk), InboundMail.moved_at.is_(None))
                .values(moved_at=self.app.clock.now())
                .returning(InboundMail.id, InboundMail.message_id)
            ).all()
            self.app.journal.record_many(
                db,
                "moved",
                [
                    (EventRefs(inbound_id=inbound_id, message_id=message_id), {"folder": folder})
                    for inbound_id, message_id in unmoved
                ],
            )

    # -- sent copies ---------------------------------------------------------------------
    def save_sent_copies(self, mailbox: Mailbox, limit: int = 200) -> int:
        """APPEND what was sent to the Sent folder, so staff see replies in their client."""
        folder = self.app.settings.imap.folders.sent
        with unit_of_work(self.app.db) as db:
            pending = db.execute(
                select(OutboundMail.id, OutboundMail.raw, OutboundMail.message_id)
                .where(
                    OutboundMail.status == OutboundStatus.SENT,
                    OutboundMail.saved_to_sent_at.is_(None),
                )
                .order_by(OutboundMail.id)
                .limit(limit)
            ).all()
        for position, (outbound_id, raw, message_id) in enumerate(pending):
            # Copies are saved in order, so only the first pending one can have been
            # appended by a process that died before recording it: look before re-appending.
            if position > 0 or not mailbox.search_header(folder, "Message-ID", message_id):
                mailbox.append(folder, raw)
            crash_point("after_sent_append")
            with unit_of_work(self.app.db) as db:
                db.get_one(OutboundMail, outbound_id).saved_to_sent_at = self.app.clock.now()
        return len(pending)

    def mark_health(self, *, ok: bool, error: str = "") -> None:
        with unit_of_work(self.app.db) as db:
            health = db.get(ServiceHealth, "imap") or ServiceHealth(component="imap")
            if ok:
                health.last_ok_at = self.app.clock.now()
            else:
                health.last_error_at = self.app.clock.now()
                health.last_error = error[:1000]
            db.add(health)
