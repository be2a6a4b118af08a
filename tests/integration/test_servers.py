"""The test harness itself works: real Dovecot, PostgreSQL and SMTP sink on loopback.

If these fail, every other integration test is meaningless - read these first.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import textwrap
import time
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
import imapclient
import psycopg
import pytest
import sqlalchemy as sa
from imapclient.exceptions import IMAPClientError

from tests.servers import Dovecot, Mailbox, Postfix, PostgresCluster, SmtpSink, SmtpSinkProcess


def make_mail(n: int = 1, to: str = "marie.dupont@example.fr") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "IPP <ipp@ipp.fr>"
    msg["To"] = to
    msg["Subject"] = f"Confirmation d'inscription n°{n}"
    msg["Message-ID"] = f"<test-{n}@ipp.fr>"
    msg.set_content("Bonjour Hélène,\n\nvotre inscription est confirmée.\n")
    return msg


def raw_mail(n: int = 1) -> bytes:
    return make_mail(n).as_bytes().replace(b"\n", b"\r\n")


# -- Dovecot ------------------------------------------------------------------
def test_imap_login_append_fetch(mailbox: Mailbox) -> None:
    raw = raw_mail(1)
    with mailbox.client() as c:
        assert b"IDLE" in c.capabilities()
        c.append("INBOX", raw)
        c.select_folder("INBOX")
        uids = c.search("ALL")
        assert len(uids) == 1
        fetched = c.fetch(uids, ["BODY.PEEK[]"])[uids[0]][b"BODY[]"]
    assert fetched == raw
    assert mailbox.messages() == [raw]


def test_imap_wrong_password_is_refused(mailbox: Mailbox) -> None:
    c = imapclient.IMAPClient(mailbox.host, port=mailbox.port, ssl=False, timeout=5)
    with pytest.raises(IMAPClientError):
        c.login(mailbox.user, "not-the-password")
    c.shutdown()


def test_deliver_into_folders(mailbox: Mailbox) -> None:
    mailbox.deliver(raw_mail(1))
    mailbox.deliver(raw_mail(2), folder="Traités")  # created on demand, UTF-8 name
    assert set(mailbox.folders()) == {"INBOX", "Traités"}
    assert mailbox.messages("INBOX") == [raw_mail(1)]
    assert mailbox.messages("Traités") == [raw_mail(2)]
    assert mailbox.count("INBOX") == 1


def test_each_test_gets_an_empty_mailbox(dovecot: Dovecot, mailbox: Mailbox) -> None:
    assert mailbox.user != dovecot.user
    assert mailbox.messages() == []


def test_idle_sees_a_delivery(mailbox: Mailbox) -> None:
    with mailbox.client() as c:
        c.select_folder("INBOX")
        c.idle()
        mailbox.deliver(raw_mail(1))
        responses = c.idle_check(timeout=5)
        c.idle_done()
    assert (1, b"EXISTS") in responses


@pytest.mark.parametrize("kill", [False, True], ids=["graceful", "sigkill"])
def test_restart_keeps_mails_and_drops_sessions(dovecot: Dovecot, kill: bool) -> None:
    box = dovecot.new_mailbox()
    box.deliver(raw_mail(1))
    port = dovecot.port
    with box.client() as c:
        c.select_folder("INBOX")
        started = time.monotonic()
        dovecot.restart(kill=kill)
        took = time.monotonic() - started
        # The old session died with the server: what a daemon sees mid-run.
        with pytest.raises((IMAPClientError, OSError)):
            c.noop()
    assert dovecot.port == port
    assert box.messages() == [raw_mail(1)]
    assert took < (5 if not kill else 1), f"restart took {took:.2f} s"


# -- PostgreSQL -----------------------------------------------------------------
def test_postgres_accepts_connections(postgres: PostgresCluster) -> None:
    engine = sa.create_engine(postgres.url)
    with engine.connect() as conn:
        version = conn.execute(sa.text("SHOW server_version")).scalar_one()
    engine.dispose()
    assert version.startswith("15")


def test_postgres_databases_are_isolated(postgres: PostgresCluster) -> None:
    first, second = postgres.create_database(), postgres.create_database()
    assert first != second
    e1, e2 = sa.create_engine(first), sa.create_engine(second)
    try:
        with e1.begin() as conn:
            conn.execute(sa.text("CREATE TABLE t (x int)"))
        with e2.connect() as conn:
            tables = conn.execute(sa.text("SELECT tablename FROM pg_tables WHERE tablename='t'"))
            assert tables.all() == []
    finally:
        e1.dispose()
        e2.dispose()
    # psycopg (used by the app) connects directly too
    with psycopg.connect(postgres.dsn) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_db_url_is_an_empty_database(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    try:
        assert sa.inspect(engine).get_table_names() == []
        meta = sa.MetaData()
        t = sa.Table("t", meta, sa.Column("name", sa.Text))
        meta.create_all(engine)
        with engine.begin() as conn:
            conn.execute(t.insert(), [{"name": "Hélène"}])
        with engine.connect() as conn:
            assert conn.execute(sa.select(t.c.name)).scalar_one() == "Hélène"
    finally:
        engine.dispose()


# -- SMTP sink --------------------------------------------------------------------
async def send(sink: SmtpSink | SmtpSinkProcess, n: int = 1, timeout: float = 5) -> None:
    await aiosmtplib.send(
        make_mail(n), hostname=sink.host, port=sink.port, start_tls=False, timeout=timeout
    )


async def test_sink_receives_a_mail(smtp_sink: SmtpSink) -> None:
    await send(smtp_sink, 1)
    [got] = smtp_sink.wait_for(1)
    assert got.mail_from == "ipp@ipp.fr"
    assert got.rcpt_tos == ("marie.dupont@example.fr",)
    assert got.message_id == "<test-1@ipp.fr>"
    assert b"Subject: Confirmation" in got.raw
    assert smtp_sink.copies() == {("<test-1@ipp.fr>", "marie.dupont@example.fr"): 1}


@pytest.mark.parametrize("code", [421, 451, 550])
@pytest.mark.parametrize("stage", ["mail", "rcpt", "data"])
async def test_sink_fault_codes(smtp_sink: SmtpSink, stage: str, code: int) -> None:
    smtp_sink.fail(stage, code)  # type: ignore[arg-type]
    with pytest.raises(aiosmtplib.SMTPException) as info:
        await send(smtp_sink, 1)
    err = info.value
    if stage == "rcpt":
        # All recipients refused: aiosmtplib wraps one SMTPRecipientRefused each.
        assert isinstance(err, aiosmtplib.SMTPRecipientsRefused)
        assert [r.code for r in err.recipients] == [code]
    else:
        expected = aiosmtplib.SMTPSenderRefused if stage == "mail" else aiosmtplib.SMTPDataError
        assert isinstance(err, expected)
        assert isinstance(err, aiosmtplib.SMTPResponseException)
        assert err.code == code
    assert smtp_sink.messages == []  # a refused mail is not kept
    await send(smtp_sink, 2)  # times=1: the next transaction is fine
    assert [m.message_id for m in smtp_sink.messages] == ["<test-2@ipp.fr>"]


async def test_sink_421_closes_the_connection(smtp_sink: SmtpSink) -> None:
    smtp_sink.fail("data", 421)
    client = aiosmtplib.SMTP(hostname=smtp_sink.host, port=smtp_sink.port, start_tls=False)
    await client.connect()
    with pytest.raises(aiosmtplib.SMTPDataError):
        await client.send_message(make_mail(1))
    assert not client.is_connected


async def test_sink_fault_for_several_messages(smtp_sink: SmtpSink) -> None:
    smtp_sink.fail("data", 451, times=2)
    for n in (1, 2):
        with pytest.raises(aiosmtplib.SMTPDataError):
            await send(smtp_sink, n)
    await send(smtp_sink, 3)
    assert smtp_sink.transactions == 3


async def test_sink_refuses_connections(smtp_sink: SmtpSink) -> None:
    smtp_sink.refuse_connections()
    with pytest.raises(aiosmtplib.SMTPConnectError) as info:
        await send(smtp_sink, 1)
    assert isinstance(info.value.__cause__, ConnectionRefusedError)
    smtp_sink.accept_connections()
    await send(smtp_sink, 2)
    assert len(smtp_sink.messages) == 1


async def test_sink_slow_server_times_out_the_client(smtp_sink: SmtpSink) -> None:
    smtp_sink.slow(2.0, times=1)
    started = time.monotonic()
    with pytest.raises(aiosmtplib.SMTPTimeoutError):
        await send(smtp_sink, 1, timeout=0.3)
    assert time.monotonic() - started < 1.5
    # The server did take it: the classic "timed out but delivered" case.
    assert smtp_sink.wait_for(1, timeout=5)[0].message_id == "<test-1@ipp.fr>"


async def test_sink_drop_after_data_makes_a_resend_a_duplicate(smtp_sink: SmtpSink) -> None:
    smtp_sink.drop_after_data()
    with pytest.raises(aiosmtplib.SMTPServerDisconnected):
        await send(smtp_sink, 1)
    await send(smtp_sink, 1)  # the client retries the same mail
    assert smtp_sink.copies() == {("<test-1@ipp.fr>", "marie.dupont@example.fr"): 2}


async def test_sink_drop_without_keeping(smtp_sink: SmtpSink) -> None:
    smtp_sink.drop_after_data(keep=False)
    with pytest.raises(aiosmtplib.SMTPServerDisconnected):
        await send(smtp_sink, 1)
    assert smtp_sink.messages == []


_KILLED_SENDER = textwrap.dedent(
    """
    import asyncio, sys
    from email.message import EmailMessage
    import aiosmtplib

    async def main(port):
        smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False)
        await smtp.connect()
        n = 0
        while True:
            n += 1
            m = EmailMessage()
            m["From"] = "ipp@ipp.fr"
            m["To"] = "a@example.fr"
            m["Message-ID"] = f"<k-{n}@ipp.fr>"
            m.set_content("x")
            await smtp.send_message(m)
            print(n, flush=True)

    asyncio.run(main(int(sys.argv[1])))
    """
)


@pytest.mark.slow
def test_process_sink_counts_across_a_killed_client_and_its_own_restart(
    smtp_sink_process: SmtpSinkProcess, tmp_path: Path
) -> None:
    sink = smtp_sink_process
    client = subprocess.Popen(
        [sys.executable, "-c", _KILLED_SENDER, str(sink.port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert client.stdout is not None
    acked = 0
    while acked < 20:  # wait for 20 acknowledged mails, then kill -9 mid-stream
        line = client.stdout.readline()
        assert line, client.stderr.read().decode() if client.stderr else "client died"
        acked = int(line)
    client.send_signal(signal.SIGKILL)
    client.wait()

    got = sink.wait_for(acked)
    copies = sink.copies()
    assert all(count == 1 for count in copies.values())
    assert {f"<k-{n}@ipp.fr>" for n in range(1, acked + 1)} <= {m.message_id for m in got}

    # Faults set at runtime reach the child; its spool survives its own kill -9.
    sink.fail("data", 451)
    sink.kill()
    sink.start()
    with pytest.raises(aiosmtplib.SMTPDataError):
        asyncio.run(send(sink, 1000))
    asyncio.run(send(sink, 1001))
    assert len(sink.messages) == len(got) + 1


# -- Postfix (real MTA, discards) ---------------------------------------------------
async def test_postfix_accepts_and_discards(postfix: Postfix) -> None:
    before = postfix.sent()
    response = await aiosmtplib.send(
        make_mail(1), hostname=postfix.host, port=postfix.port, start_tls=False, timeout=10
    )
    assert "queued" in response[1]
    assert postfix.wait_for_sent(before + 1) == before + 1
