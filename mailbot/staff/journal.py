"""The status log: one French sentence per thing that happened, in the database and a file.

Sentences are written to the file only after the transaction that records them
commits, so the file never tells staff about something that was rolled back.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import sessionmaker

from mailbot.clock import Clock
from mailbot.records.models import Event, InboundMail, OutboundMail, Registration, ReviewItem
from mailbot.templating import Templates

log = logging.getLogger("mailbot.journal")
PENDING = "journal_pending"
JOURNAL_TEMPLATE = "journal/fr.txt"


@dataclass(frozen=True, slots=True)
class EventRefs:
    """What an event concerns, by id: for hot paths that hold no ORM objects."""

    outbound_id: int | None = None
    registration_id: int | None = None
    inbound_id: int | None = None
    message_id: str | None = None


@dataclass(frozen=True, slots=True)
class _Line:
    """A sentence waiting for its transaction to commit before it reaches the file."""

    at: dt.datetime
    kind: str
    level: str
    sentence: str
    message_id: str | None
    data: dict[str, Any] | None


class Journal:
    def __init__(self, templates: Templates, path: Path, clock: Clock) -> None:
        self._module = templates.get(JOURNAL_TEMPLATE).module
        self._path = path
        self._clock = clock
        path.parent.mkdir(parents=True, exist_ok=True)

    def sentence(self, kind: str, **facts: Any) -> str:
        macro = getattr(self._module, kind, None)
        if macro is None:
            raise KeyError(f"no journal sentence for event kind {kind!r} in {JOURNAL_TEMPLATE}")
        return " ".join(str(macro(**facts)).split())

    def record(
        self,
        db: DbSession,
        kind: str,
        *,
        level: str = "info",
        inbound: InboundMail | None = None,
        outbound: OutboundMail | None = None,
        registration: Registration | None = None,
        review: ReviewItem | None = None,
        refs: EventRefs | None = None,
        data: dict[str, Any] | None = None,
        **facts: Any,
    ) -> Event:
        """Add an event to ``db``'s transaction; it reaches the file when that commits."""
        sentence = self.sentence(kind, **facts)
        message_id = (inbound.message_id if inbound else None) or (
            outbound.message_id if outbound else None
        )
        links: dict[str, Any] = {
            name: value
            for name, value in (
                ("inbound_mail", inbound),
                ("outbound_mail", outbound),
                ("registration", registration),
                ("review_item", review),
            )
            if value is not None
        }
        if refs is not None:
            # Ids only, for hot paths that hold no ORM objects.
            links.update(
                outbound_mail_id=refs.outbound_id,
                registration_id=refs.registration_id,
                inbound_mail_id=refs.inbound_id,
            )
            message_id = message_id or refs.message_id
        row = Event(
            at=self._clock.now(),
            kind=kind,
            level=level,
            sentence=sentence,
            message_id=message_id,
            data=data,
            **links,
        )
        db.add(row)
        self._pending(db).append(_Line(row.at, kind, level, sentence, message_id, data))
        return row

    def record_many(
        self, db: DbSession, kind: str, events: Sequence[tuple[EventRefs, dict[str, Any]]]
    ) -> None:
        """Many events of one kind in one INSERT, for hot paths (intake of a whole batch).

        Each item is what the event concerns and the facts its sentence is made of;
        the sentences reach the file when ``db``'s transaction commits, as with ``record``.
        """
        if not events:
            return
        at = self._clock.now()
        rows = []
        for refs, facts in events:
            sentence = self.sentence(kind, **facts)
            rows.append(
                {
                    "at": at,
                    "kind": kind,
                    "level": "info",
                    "sentence": sentence,
                    "message_id": refs.message_id,
                    "inbound_mail_id": refs.inbound_id,
                    "outbound_mail_id": refs.outbound_id,
                    "registration_id": refs.registration_id,
                }
            )
            self._pending(db).append(_Line(at, kind, "info", sentence, refs.message_id, None))
        db.execute(insert(Event), rows)

    @staticmethod
    def _pending(db: DbSession) -> list[_Line]:
        pending: list[_Line] = db.info.setdefault(PENDING, [])
        return pending

    def attach(self, factory: sessionmaker[DbSession]) -> None:
        """Write committed sentences to the journal file (and the structured log)."""
        event.listen(factory, "after_commit", self._flush)
        event.listen(factory, "after_soft_rollback", self._discard)

    def _flush(self, db: DbSession) -> None:
        rows: list[_Line] = db.info.pop(PENDING, [])
        if not rows:
            return
        lines = []
        for row in rows:
            stamp = row.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            ref = f" [{row.message_id}]" if row.message_id else ""
            lines.append(f"{stamp} {row.level.upper():7} {row.sentence}{ref}\n")
            log.info(
                row.kind,
                extra={"event": row.kind, "message_id": row.message_id, "data": row.data},
            )
        with self._path.open("a", encoding="utf-8") as handle:
            handle.writelines(lines)

    def _discard(self, db: DbSession, _previous_transaction: object) -> None:
        db.info.pop(PENDING, None)
