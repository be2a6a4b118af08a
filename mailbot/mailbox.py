"""IMAP access: list, fetch by UID, move to folders, save sent copies, wait for news.

This module only talks to the server; deciding what a mail is, and remembering
what was done with it, happen elsewhere. imapclient is synchronous: the daemon
runs it in its own thread.
"""

from __future__ import annotations

import imaplib
import logging
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from mailbot.batching import chunked
from mailbot.settings import ImapSettings, Security

log = logging.getLogger("mailbot.mailbox")

SEEN = b"\\Seen"
BODY_ITEM = "BODY.PEEK[]"
BODY_KEY = b"BODY[]"
HEADER_ITEM = "BODY.PEEK[HEADER]"
HEADER_KEY = b"BODY[HEADER]"
SIZE_ITEM = "RFC822.SIZE"
SIZE_KEY = b"RFC822.SIZE"
# Bytes downloaded per FETCH at most (one larger mail still comes alone): a batch of
# scanned forms must not hold gigabytes in memory.
BATCH_BYTES = 64_000_000


class MailboxError(ConnectionError):
    """The IMAP server could not be reached or refused an operation (temporary)."""


class MailboxAuthError(MailboxError):
    """Login refused: a configuration problem that retrying will not fix."""


@dataclass(frozen=True, slots=True)
class Fetched:
    uid: int
    raw: bytes
    size: int  # on the server
    headers_only: bool = False  # larger than the limit: only its header block was downloaded


class Mailbox:
    """One logged-in IMAP connection with the operations mailbot needs."""

    def __init__(self, settings: ImapSettings) -> None:
        self.settings = settings
        self._client: IMAPClient | None = None
        self.capabilities: frozenset[bytes] = frozenset()

    # -- connection ---------------------------------------------------------------------
    def connect(self) -> None:
        s = self.settings
        try:
            client = IMAPClient(
                s.host,
                port=s.port,
                ssl=s.security is Security.TLS,
                ssl_context=ssl.create_default_context() if s.security is Security.TLS else None,
                timeout=s.timeout_s,
            )
            if s.security is Security.STARTTLS:
                client.starttls(ssl.create_default_context())
            # imapclient writes an APPEND literal in two sends; without NODELAY each
            # APPEND waits for a delayed ACK (~40 ms).
            client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            client.login(s.username, s.password.get_secret_value())
            self.capabilities = frozenset(client.capabilities())
        except LoginError as exc:
            raise MailboxAuthError(f"IMAP login refused for {s.username}: {exc}") from exc
        except (OSError, IMAPClientError, imaplib.IMAP4.error) as exc:
            raise MailboxError(f"IMAP {s.host}:{s.port} unreachable: {exc}") from exc
        self._client = client
        self.ensure_folders()

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.logout()
        except (OSError, IMAPClientError, imaplib.IMAP4.error):
            pass  # the server may already be gone; nothing to save

    def __enter__(self) -> Mailbox:
        self.connect()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def client(self) -> IMAPClient:
        if self._client is None:
            raise MailboxError("not connected")
        return self._client

    def _call(self, what: str, func: Any, *args: Any) -> Any:
        try:
            return func(*args)
        except (OSError, IMAPClientError, imaplib.IMAP4.error) as exc:
            raise MailboxError(f"IMAP {what} failed: {exc}") from exc

    # -- folders ------------------------------------------------------------------------
    def ensure_folders(self) -> None:
        for name in self.settings.folders.model_dump().values():
            if not self._call("LIST", self.client.folder_exists, name):
                self._call("CREATE", self.client.create_folder, name)
                log.info("folder_created", extra={"event": "folder_created", "folder": name})

    # -- reading ------------------------------------------------------------------------
    def select_inbox(self) -> int:
        """Select INBOX; returns its UIDVALIDITY."""
        info = self._call("SELECT", self.client.select_folder, self.settings.inbox)
        return int(info[b"UIDVALIDITY"])

    def inbox_uids(self) -> list[int]:
        """Every UID in INBOX, ascending; what each holds is known from the database."""
        return sorted(int(uid) for uid in self._call("SEARCH", self.client.search, ["ALL"]))

    def sizes(self, uids: Sequence[int]) -> dict[int, int]:
        """RFC822.SIZE of each message (a UID expunged meanwhile is absent)."""
        found: dict[int, int] = {}
        for chunk in chunked(list(uids), 500):
            answer = self._call("FETCH", self.client.fetch, chunk, [SIZE_ITEM])
            found.update({int(uid): int(data[SIZE_KEY]) for uid, data in answer.items()})
        return found

    def fetch(self, uids: Sequence[int], max_message_bytes: int) -> Iterator[list[Fetched]]:
        """Messages, a batch per round trip, bounded in count and in bytes.

        A message over ``max_message_bytes`` is not downloaded: only its header block
        is, so that it can be recorded, sent to review and filed like any other.
        """
        sizes = self.sizes(uids)
        whole = [uid for uid in uids if uid in sizes and sizes[uid] <= max_message_bytes]
        for batch in _batches(whole, sizes, self.settings.fetch_batch, BATCH_BYTES):
            yield self._fetch_part(batch, sizes, headers_only=False)
        too_large = [uid for uid in uids if sizes.get(uid, 0) > max_message_bytes]
        for chunk in chunked(too_large, self.settings.fetch_batch):
            yield self._fetch_part(chunk, sizes, headers_only=True)

    def _fetch_part(
        self, uids: Sequence[int], sizes: dict[int, int], *, headers_only: bool
    ) -> list[Fetched]:
        """The whole messages, or their header blocks: one round trip."""
        item, key = (HEADER_ITEM, HEADER_KEY) if headers_only else (BODY_ITEM, BODY_KEY)
        answer = self._call("FETCH", self.client.fetch, list(uids), [item])
        return [
            Fetched(
                uid=uid, raw=bytes(answer[uid][key]), size=sizes[uid], headers_only=headers_only
            )
            for uid in uids
            if uid in answer and key in answer[uid]
        ]

    # -- writing ------------------------------------------------------------------------
    def move(self, uids: Sequence[int], folder: str) -> None:
        """MOVE (RFC 6851), else COPY + \\Deleted + UID EXPUNGE of exactly these UIDs."""
        if not uids:
            return
        if b"MOVE" in self.capabilities:
            self._call("MOVE", self.client.move, list(uids), folder)
            return
        self._call("COPY", self.client.copy, list(uids), folder)
        self._call("STORE", self.client.delete_messages, list(uids))
        if b"UIDPLUS" in self.capabilities:
            self._call("EXPUNGE", self.client.uid_expunge, list(uids))
        else:
            self._call("EXPUNGE", self.client.expunge)

    def append(self, folder: str, raw: bytes, *, seen: bool = True) -> None:
        flags = (SEEN,) if seen else ()
        self._call("APPEND", self.client.append, folder, raw, flags)

    def search_header(self, folder: str, name: str, value: str) -> list[int]:
        self._call("SELECT", self.client.select_folder, folder, True)
        try:
            found = self._call("SEARCH", self.client.search, ["HEADER", name, value])
        finally:
            self.select_inbox()
        return [int(uid) for uid in found]

    # -- waiting ------------------------------------------------------------------------
    @property
    def supports_idle(self) -> bool:
        return self.settings.use_idle and b"IDLE" in self.capabilities

    def wait_for_news(
        self,
        timeout: float,
        stop: threading.Event,
        poke: threading.Event,
        seen: frozenset[int] = frozenset(),
    ) -> None:
        """Return when INBOX may have changed, ``timeout`` passed, or stop/poke is set.

        ``seen`` are the INBOX UIDs the last pass listed. IDLE is re-issued before
        ``idle_renew_s`` (RFC 2177 allows servers to drop it after 30 minutes);
        without IDLE we simply wait for the next poll.
        """
        deadline = time.monotonic() + timeout
        if not self.supports_idle:
            while not (stop.is_set() or poke.is_set()) and time.monotonic() < deadline:
                (stop if stop.is_set() else poke).wait(min(0.5, deadline - time.monotonic()))
            poke.clear()
            return
        # A mail that arrived during the last pass was announced (EXISTS) in the answer
        # to one of its commands, which imaplib files away and IDLE never repeats: look
        # for new UIDs first, and for an EXISTS that slips in just before IDLE starts.
        untagged = self.client._imap.untagged_responses  # imaplib's store of such answers
        untagged.pop("EXISTS", None)
        untagged.pop("RECENT", None)
        if set(self._call("SEARCH", self.client.search, ["ALL"])) - seen:
            poke.clear()
            return
        self._call("IDLE", self.client.idle)
        if "EXISTS" in untagged or "RECENT" in untagged:
            self._call("IDLE DONE", self.client.idle_done)
            poke.clear()
            return
        try:
            while not (stop.is_set() or poke.is_set()) and time.monotonic() < deadline:
                responses = self._call("IDLE", self.client.idle_check, 0.5)
                if any(_is_news(r) for r in responses):
                    break
        finally:
            self._call("IDLE DONE", self.client.idle_done)
            poke.clear()

    def noop(self) -> None:
        self._call("NOOP", self.client.noop)


def _is_news(response: Iterable[Any]) -> bool:
    items = tuple(response)
    return len(items) >= 2 and items[1] in (b"EXISTS", b"RECENT")


def _batches(
    uids: Sequence[int], sizes: dict[int, int], count: int, budget: int
) -> Iterator[list[int]]:
    """Consecutive UIDs, at most ``count`` and ``budget`` bytes a batch (one mail at least)."""
    batch: list[int] = []
    total = 0
    for uid in uids:
        if batch and (len(batch) == count or total + sizes[uid] > budget):
            yield batch
            batch, total = [], 0
        batch.append(uid)
        total += sizes[uid]
    if batch:
        yield batch
