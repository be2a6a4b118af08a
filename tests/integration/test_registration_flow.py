"""When a Mairie sends its form, it gets a confirmation with invoice 2026-000001, once."""

from __future__ import annotations

import email
import io
from email.policy import default

import pypdf
from facturx import get_xml_from_pdf
from sqlalchemy import func, select

from mailbot.daemon import run_once
from mailbot.records.db import unit_of_work
from mailbot.records.models import (
    ChorusStatus,
    Invoice,
    OutboundMail,
    Participant,
    Registration,
    RegistrationStatus,
)
from tests.story import a_registration_mail, app_for


def test_a_typed_form_is_recorded_invoiced_and_confirmed(tmp_path, db_url, mailbox, smtp_sink):
    app = app_for(tmp_path, db_url=db_url, imap=mailbox, smtp=smtp_sink)
    mailbox.deliver(a_registration_mail(message_id="<form1@saint-medard.fr>"))

    report = run_once(app)

    assert report.smtp.sent == 1 and mailbox.count("Traités") == 1
    with unit_of_work(app.db) as db:
        registration = db.scalars(select(Registration)).one()
        assert registration.status == RegistrationStatus.CONFIRMED
        assert registration.webinar_id == "cpom-saad"
        assert registration.buyer_category == "public"
        assert [
            p.email for p in db.scalars(select(Participant).order_by(Participant.position))
        ] == [
            "h.garnier@saint-medard.fr",
            "j.dubois@saint-medard.fr",
        ]
        invoice = db.scalars(select(Invoice)).one()
        assert invoice.number == "2026-000001"
        assert str(invoice.total) == "1250.00"
        assert invoice.chorus_status == ChorusStatus.TO_DEPOSIT
    [sent] = smtp_sink.messages
    # To the person who sent the form; the manager named in the form is the same person here.
    assert sent.rcpt_tos == ("c.lefevre@saint-medard.fr",)
    confirmation = email.message_from_bytes(sent.raw, policy=default)
    assert confirmation["In-Reply-To"] == "<form1@saint-medard.fr>"
    assert confirmation["Subject"] == "Re: Inscription webinaire CPOM"
    body = confirmation.get_body(("plain",)).get_content()
    assert "jeudi 18 mars 2027" in body
    assert "Hélène GARNIER" in body and "Jérôme DUBOIS" in body
    assert "1\u202f250,00\u00a0€" in body
    assert "Chorus Pro" in body
    [attachment] = list(confirmation.iter_attachments())
    assert attachment.get_filename() == "Facture-IPP-2026-000001.pdf"
    pdf = attachment.get_content()
    assert pdf == invoice.pdf
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Mairie de Saint-Médard-en-Jalles" in text and "2026-000001" in text
    _filename, xml = get_xml_from_pdf(pdf, check_xsd=True)
    assert b"2026-000001" in xml


def test_the_same_form_sent_twice_is_not_invoiced_twice(tmp_path, db_url, mailbox, smtp_sink):
    app = app_for(tmp_path, db_url=db_url, imap=mailbox, smtp=smtp_sink)
    mailbox.deliver(a_registration_mail(message_id="<form2@saint-medard.fr>"))
    run_once(app)
    # Resent a week later, with a new Message-ID (e.g. "did you get it?").
    mailbox.deliver(a_registration_mail(message_id="<form2-again@saint-medard.fr>"))

    run_once(app)

    with unit_of_work(app.db) as db:
        assert db.scalar(select(func.count(Registration.id))) == 1
        assert db.scalar(select(func.count(Invoice.id))) == 1
        purposes = sorted(db.scalars(select(OutboundMail.purpose)))
    assert purposes == ["already_registered", "confirmation"]
    again = email.message_from_bytes(smtp_sink.messages[-1].raw, policy=default)
    assert "déjà été enregistré" in again.get_body(("plain",)).get_content()
    assert list(again.iter_attachments()) == []
