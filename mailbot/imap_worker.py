"""One pass over the mailbox: store new mails, run the pipeline, file them, save sent copies.

Every step is driven by the database, so a pass interrupted anywhere is finished
by the next one: a stored mail is processed, a processed mail is moved, a sent
mail gets its copy in the Sent folder — each exactly once.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from mailbot import intake
from mailbot.app import App
from mailbot.faults import crash_point
from mailbot.mailbox import Listing, Mailbox
from mailbot.pipeline import Pipeline, process_pending
from mailbot.records.db import unit_of_work
from mailbot.records.models import InboundMail, OutboundMail, OutboundStatus, ServiceHealth

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
        listings = mailbox.list_inbox()
        report.listed = len(listings)
        report.seen_uids = frozenset(item.uid for item in listings)
        uid_to_inbound = self._store_new(mailbox, uidvalidity, listings, report)
        report.processed = process_pending(self.app, self.pipeline)
        crash_point("before_move")
        self._file(mailbox, uid_to_inbound, report)
        report.saved_to_sent = self.save_sent_copies(mailbox)
        self.mark_health(ok=True)
        return report

    # -- store ---------------------------------------------------------------------------
    def _store_new(
        self, mailbox: Mailbox, uidvalidity: int, listings: list[Listing], report: CycleReport
    ) -> dict[int, int]:
        """Map every INBOX UID to its InboundMail id, storing the mails we don't know yet."""
        uid_to_inbound: dict[int, int] = {}
        known = self._known(listings)
        to_fetch = []
        for listing in listings:
            hit = known.get(listing.message_id or "")
            if hit is not None and hit[1] == listing.size:
                uid_to_inbound[listing.uid] = hit[0]
                report.already_known += 1
            else:
                to_fetch.append(listing.uid)
        # One transaction per fetched batch: a crash before its commit loses nothing,
        # since those mails are still in INBOX and are fetched again.
        for batch in mailbox.fetch(to_fetch):
            stored_now: dict[int, InboundMail] = {}
            with unit_of_work(self.app.db) as db:
                for fetched in batch:
                    stored = intake.store(
                        db,
                        fetched.raw,
                        journal=self.app.journal,
                        clock=self.app.clock,
                        uidvalidity=uidvalidity,
                        uid=fetched.uid,
                    )
                    stored_now[fetched.uid] = stored.mail
                    if stored.created:
                        report.stored += 1
                    else:
                        report.already_known += 1
                    crash_point("after_store")
            # Ids exist once the batch is committed.
            uid_to_inbound.update({uid: mail.id for uid, mail in stored_now.items()})
        return uid_to_inbound

    def _known(self, listings: list[Listing]) -> dict[str, tuple[int, int]]:
        ids = [item.message_id for item in listings if item.message_id]
        known: dict[str, tuple[int, int]] = {}
        with unit_of_work(self.app.db) as db:
            for start in range(0, len(ids), 500):
                rows = db.execute(
                    select(InboundMail.dedup_key, InboundMail.id, InboundMail.size).where(
                        InboundMail.dedup_key.in_(ids[start : start + 500])
                    )
                )
                for key, inbound_id, size in rows:
                    known[key] = (inbound_id, size)
        return known

    # -- file ----------------------------------------------------------------------------
    def _file(self, mailbox: Mailbox, uid_to_inbound: dict[int, int], report: CycleReport) -> None:
        """MOVE processed mails to their folder, then record the move."""
        self._record_interrupted_moves(set(uid_to_inbound.values()))
        with unit_of_work(self.app.db) as db:
            rows = db.execute(
                select(InboundMail.id, InboundMail.target_folder).where(
                    InboundMail.id.in_(set(uid_to_inbound.values())),
                    InboundMail.processed_at.is_not(None),
                )
            ).all()
        folder_of = {inbound_id: folder for inbound_id, folder in rows if folder}
        by_folder: dict[str, list[int]] = defaultdict(list)
        for uid, inbound_id in uid_to_inbound.items():
            if inbound_id in folder_of:
                by_folder[folder_of[inbound_id]].append(uid)
        for folder, uids in by_folder.items():
            mailbox.move(sorted(uids), folder)
            crash_point("after_move")
            moved_ids = {uid_to_inbound[uid] for uid in uids}
            with unit_of_work(self.app.db) as db:
                self._record_moves(db, moved_ids, folder)
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
                    InboundMail.id.not_in(in_inbox),
                )
            ).all()
            for folder in {folder for _id, folder in left if folder}:
                self._record_moves(db, {i for i, f in left if f == folder}, folder)

    def _record_moves(self, db: DbSession, inbound_ids: set[int], folder: str) -> None:
        for mail in db.scalars(select(InboundMail).where(InboundMail.id.in_(inbound_ids))):
            if mail.moved_at is None:
                mail.moved_at = self.app.clock.now()
                self.app.journal.record(db, "moved", inbound=mail, folder=folder)

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
