"""The route of a mail against real servers: Dovecot in, database, SMTP out, folders."""

from __future__ import annotations

import email
from email.policy import default

from sqlalchemy import func, select

from mailbot.daemon import run_once
from mailbot.records.db import unit_of_work
from mailbot.records.models import (
    Disposition,
    Event,
    InboundMail,
    OutboundMail,
    OutboundStatus,
    ReviewItem,
)
from tests.story import a_mail, app_for


def test_a_question_is_stored_filed_for_review_and_acknowledged(
    tmp_path, db_url, mailbox, smtp_sink
):
    app = app_for(tmp_path, db_url=db_url, imap=mailbox, smtp=smtp_sink)
    raw = a_mail(message_id="<q1@cd33.fr>")
    mailbox.deliver(raw)

    report = run_once(app)

    assert report.imap_error is None
    assert report.imap is not None and report.imap.stored == 1
    # The mail left INBOX for the review folder, untouched.
    assert mailbox.count("INBOX") == 0
    assert mailbox.messages("À vérifier") == [raw]
    with unit_of_work(app.db) as db:
        mail = db.scalars(select(InboundMail)).one()
        assert mail.raw == raw
        assert mail.disposition == Disposition.REVIEW
        assert mail.moved_at is not None
        item = db.scalars(select(ReviewItem)).one()
        assert item.inbound_mail_id == mail.id
        ack = db.scalars(select(OutboundMail)).one()
        assert ack.status == OutboundStatus.SENT
        assert ack.saved_to_sent_at is not None
        kinds = [e.kind for e in db.scalars(select(Event).order_by(Event.id))]
    assert kinds[:2] == ["received", "classified"]
    assert {"review_opened", "queued", "moved", "sent"} <= set(kinds)
    # The acknowledgement went to the sender, threaded under her mail, marked automatic.
    [sent] = smtp_sink.messages
    assert sent.rcpt_tos == ("marie.dupont@cd33.fr",)
    reply = email.message_from_bytes(sent.raw, policy=default)
    assert reply["In-Reply-To"] == "<q1@cd33.fr>"
    assert reply["Subject"] == "Re: Question sur le webinaire"
    assert reply["Auto-Submitted"] == "auto-replied"
    assert "Nous avons bien reçu votre message" in reply.get_body(("plain",)).get_content()
    # A copy of the reply is in the Sent folder, with the same Message-ID.
    [copy] = mailbox.messages("Envoyés")
    assert email.message_from_bytes(copy, policy=default)["Message-ID"] == sent.message_id


def test_a_second_run_repeats_nothing(tmp_path, db_url, mailbox, smtp_sink):
    app = app_for(tmp_path, db_url=db_url, imap=mailbox, smtp=smtp_sink)
    mailbox.deliver(a_mail(message_id="<q2@cd33.fr>"))
    run_once(app)
    # The same mail delivered again (sent to two IPP addresses): known, only filed.
    mailbox.deliver(a_mail(message_id="<q2@cd33.fr>"))

    report = run_once(app)

    assert report.imap is not None and report.imap.stored == 0 and report.imap.moved == 1
    assert len(smtp_sink.messages) == 1
    with unit_of_work(app.db) as db:
        assert db.scalar(select(func.count(InboundMail.id))) == 1
        assert db.scalar(select(func.count(OutboundMail.id))) == 1


def test_an_out_of_office_reply_is_ignored_and_never_answered(tmp_path, mailbox, smtp_sink):
    app = app_for(tmp_path, imap=mailbox, smtp=smtp_sink)
    mailbox.deliver(
        a_mail(
            subject="Réponse automatique : absence",
            body="Je suis absente du bureau jusqu'au 12 octobre. Pour toute urgence, contactez le secrétariat.",
            headers={"Auto-Submitted": "auto-replied"},
        )
    )

    run_once(app)

    assert mailbox.count("Ignorés") == 1
    assert smtp_sink.messages == []


def test_a_mail_over_the_size_limit_is_recorded_from_its_headers_and_left_to_a_person(
    tmp_path, db_url, mailbox, smtp_sink
):
    app = app_for(tmp_path, db_url=db_url, imap=mailbox, smtp=smtp_sink)
    app.settings.imap = app.settings.imap.model_copy(update={"max_message_bytes": 20_000})
    small = a_mail(message_id="<small@cd33.fr>")
    huge = a_mail(
        subject="Bulletin scanné en haute définition",
        message_id="<huge@cd33.fr>",
        body="Bonjour,\n\nci-joint notre bulletin.\n\n" + "x" * 60_000,
    )
    mailbox.deliver(small)
    mailbox.deliver(huge)

    report = run_once(app)

    assert report.imap_error is None and report.imap is not None and report.imap.stored == 2
    assert mailbox.count("INBOX") == 0
    # Filed whole and untouched on the server, for staff to open in their mail client.
    assert sorted(mailbox.messages("À vérifier"), key=len) == [small, huge]
    with unit_of_work(app.db) as db:
        mail = db.scalars(
            select(InboundMail).where(InboundMail.message_id == "<huge@cd33.fr>")
        ).one()
        assert mail.headers_only and mail.size == len(huge)
        assert mail.raw.endswith(b"\r\n\r\n") and len(mail.raw) < 1_000
        assert mail.subject == "Bulletin scanné en haute définition"
        assert mail.understanding is None  # never parsed
        item = db.scalars(select(ReviewItem).where(ReviewItem.inbound_mail_id == mail.id)).one()
        assert item.reason_code == "mail_too_large"
        assert "taille maximale" in item.reason_text
