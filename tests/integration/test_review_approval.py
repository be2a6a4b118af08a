"""A form with a typo goes to review; staff correct it and the client gets the confirmation."""

from __future__ import annotations

import email
from email.policy import default

from sqlalchemy import select

from mailbot.daemon import run_once
from mailbot.records.db import unit_of_work
from mailbot.records.models import Invoice, Registration, ReviewItem, ReviewStatus
from mailbot.staff.review import approve, reject
from tests.factories import forms
from tests.story import a_registration_mail, app_for


def a_form_with_a_broken_email():
    people = list(forms.sample_form().participants)
    people[1] = forms.Participant("M.", "Jérôme", "DUBOIS", "j.dubois@saint-medard")
    return forms.sample_form(participants=tuple(people))


def reviewed(app, mailbox, raw: bytes, said: str) -> int:
    """Deliver ``raw``, run the daemon once: the one review item it opens, saying ``said``."""
    mailbox.deliver(raw)
    run_once(app)
    with unit_of_work(app.db) as db:
        item = db.scalars(select(ReviewItem)).one()
        assert said in item.reason_text, item.reason_text
        return item.id


def test_staff_correct_an_email_and_approve(tmp_path, mailbox, smtp_sink):
    app = app_for(tmp_path, imap=mailbox, smtp=smtp_sink)
    mailbox.deliver(a_registration_mail(a_form_with_a_broken_email(), message_id="<typo@x.fr>"))
    run_once(app)
    with unit_of_work(app.db) as db:
        item = db.scalars(select(ReviewItem)).one()
        assert "adresse e-mail du participant n° 2 invalide" in item.reason_text
        assert db.scalars(select(Registration)).all() == []
        item_id = item.id
    smtp_sink.clear()

    refused = approve(app, item_id, "sophie")
    assert not refused.ok and "invalide" in refused.message

    decision = approve(
        app, item_id, "sophie", {"participants[1].email": "j.dubois@saint-medard.fr"}
    )
    assert decision.ok, decision.message
    run_once(app)

    with unit_of_work(app.db) as db:
        registration = db.scalars(select(Registration)).one()
        assert registration.approved_by == "sophie"
        assert [p.email for p in registration.participants][1] == "j.dubois@saint-medard.fr"
        assert db.scalars(select(Invoice)).one().number == "2026-000001"
        assert db.get_one(ReviewItem, item_id).status == ReviewStatus.APPROVED
    [confirmation] = [m for m in smtp_sink.messages if b"Facture-IPP" in m.raw]
    body = (
        email.message_from_bytes(confirmation.raw, policy=default)
        .get_body(("plain",))
        .get_content()
    )
    assert "j.dubois@saint-medard.fr" in body
    # Approving twice does nothing more.
    assert not approve(app, item_id, "sophie").ok


def test_a_rejected_item_records_nothing(tmp_path, mailbox, smtp_sink):
    app = app_for(tmp_path, imap=mailbox, smtp=smtp_sink)
    mailbox.deliver(a_registration_mail(a_form_with_a_broken_email()))
    run_once(app)
    with unit_of_work(app.db) as db:
        item_id = db.scalars(select(ReviewItem)).one().id

    assert reject(app, item_id, "sophie", "formulaire retiré par le client").ok

    with unit_of_work(app.db) as db:
        assert db.get_one(ReviewItem, item_id).status == ReviewStatus.REJECTED
        assert db.scalars(select(Registration)).all() == []


def test_a_form_sent_with_a_question_is_approved_once_staff_have_answered(
    tmp_path, mailbox, smtp_sink
):
    app = app_for(tmp_path, imap=mailbox, smtp=smtp_sink)
    note = "Pourriez-vous nous indiquer si un bon de commande est nécessaire ?"
    mailbox.deliver(a_registration_mail(note=note))
    run_once(app)
    with unit_of_work(app.db) as db:
        item = db.scalars(select(ReviewItem)).one()
        assert "pose aussi une question" in item.reason_text
        assert f"« {note} »" in item.reason_text
        assert db.scalars(select(Registration)).all() == []
        item_id = item.id

    decision = approve(app, item_id, "sophie")
    assert decision.ok, decision.message
    run_once(app)
    with unit_of_work(app.db) as db:
        assert db.scalars(select(Registration)).one().approved_by == "sophie"


def test_an_uncertain_reading_is_approved_once_checked(tmp_path, mailbox, smtp_sink):
    app = app_for(tmp_path, imap=mailbox, smtp=smtp_sink)
    mailbox.deliver(a_registration_mail(a_form_with_a_broken_email()))
    run_once(app)
    with unit_of_work(app.db) as db:
        item = db.scalars(select(ReviewItem)).one()
        item_id = item.id
        # As a scan's reading would be stored: the first participant's name read unsure.
        stored = dict(item.inbound_mail.understanding)
        stored["uncertain_fields"] = ["participants[0].last_name"]
        item.inbound_mail.understanding = stored

    fixed = {"participants[1].email": "j.dubois@saint-medard.fr"}
    decision = approve(app, item_id, "sophie", fixed)
    assert decision.ok, decision.message
    with unit_of_work(app.db) as db:
        assert db.scalars(select(Registration)).one().approved_by == "sophie"


def test_staff_type_in_a_form_that_could_not_be_read(tmp_path, mailbox, smtp_sink):
    app = app_for(tmp_path, imap=mailbox, smtp=smtp_sink)
    broken = a_registration_mail()
    # The attachment cut short on the way: a registration nobody can read.
    broken = broken[: broken.index(b"Content-Disposition: attachment")] + (
        b'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="bulletin.pdf"'
        b"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcOkw7zDtsOf\r\n"
    )
    item_id = reviewed(app, mailbox, broken, "ne peut pas être ouverte")
    assert not approve(app, item_id, "sophie").ok

    typed = {
        "session": "cpom-saad@2027-03-18",
        "organisation.name": "Mairie de Saint-Médard-en-Jalles",
        "organisation.address": "Place de la République, 33160 Saint-Médard",
        "manager.full_name": "Claire LEFÈVRE",
        "manager.email": "c.lefevre@saint-medard.fr",
        "participants[0].civility": "Mme",
        "participants[0].first_name": "Hélène",
        "participants[0].last_name": "GARNIER",
        "participants[0].email": "h.garnier@saint-medard.fr",
        "signatory": "Le Maire, Stéphane DELPEYRAT",
    }
    half = {k: v for k, v in typed.items() if not k.startswith("participants")}
    refused = approve(app, item_id, "sophie", half)
    assert not refused.ok and "participant" in refused.message
    decision = approve(app, item_id, "sophie", typed)
    assert decision.ok, decision.message
    with unit_of_work(app.db) as db:
        registration = db.scalars(select(Registration)).one()
        assert [p.last_name for p in registration.participants] == ["GARNIER"]


LETTER = """Département du Lot
Direction de l'Autonomie
82 boulevard Léon Gambetta
CS 20291
46005 Cahors Cedex 9

Dossier suivi par : Marion LABROUSSE
Service des établissements et services à domicile
Tél. 05 65 53 40 27
Courriel : marion.labrousse@lot.fr

Cahors, le 14 octobre 2026

Madame, Monsieur,

J'ai l'honneur de vous demander l'inscription de M. Damien VERGNE (damien.vergne@lot.fr) au
web-séminaire « Mettre en place un CPOM dans le secteur de l'aide à domicile », session du
jeudi 18 mars 2027, soit 1 participant pour un montant de 625 €.

Je vous prie d'agréer, Madame, Monsieur, l'expression de ma considération distinguée.

Le Directeur de l'Autonomie,
Stéphane DUMONTEIL
"""


def test_a_registration_letter_waits_for_staff_then_is_recorded_as_read(
    tmp_path, mailbox, smtp_sink
):
    from tests.factories.mails import mail

    app = app_for(tmp_path, imap=mailbox, smtp=smtp_sink)
    mailbox.deliver(
        mail(LETTER, sender="Marion LABROUSSE <marion.labrousse@lot.fr>",
             date="Wed, 14 Oct 2026 10:00:00 +0200", subject="Inscription CPOM SAAD")
    )  # fmt: skip
    run_once(app)
    with unit_of_work(app.db) as db:
        item = db.scalars(select(ReviewItem)).one()
        assert "courrier" in item.reason_text and "bulletin" in item.reason_text
        assert db.scalars(select(Registration)).all() == []
        item_id = item.id

    decision = approve(app, item_id, "sophie")
    assert decision.ok, decision.message
    run_once(app)
    with unit_of_work(app.db) as db:
        registration = db.scalars(select(Registration)).one()
        assert registration.organisation_name == "Département du Lot"
        assert [p.email for p in registration.participants] == ["damien.vergne@lot.fr"]
        assert db.scalars(select(Invoice)).one() is not None


def test_a_no_reply_manager_address_must_be_replaced_before_approval(tmp_path, mailbox, smtp_sink):
    app = app_for(tmp_path, imap=mailbox, smtp=smtp_sink)
    form = forms.sample_form(manager_email="noreply@saint-medard.fr")
    raw = a_registration_mail(form, sender="Claire Lefèvre <noreply@saint-medard.fr>")
    item_id = reviewed(app, mailbox, raw, "(no-reply)")
    assert not approve(app, item_id, "sophie").ok
    decision = approve(app, item_id, "sophie", {"manager.email": "c.lefevre@saint-medard.fr"})
    assert decision.ok, decision.message
    with unit_of_work(app.db) as db:
        assert db.scalars(select(Registration)).one().approved_by == "sophie"


def test_namesakes_are_approved_once_staff_have_checked(tmp_path, mailbox, smtp_sink):
    app = app_for(tmp_path, imap=mailbox, smtp=smtp_sink)
    people = list(forms.sample_form().participants)
    first = people[0]
    people[1] = forms.Participant(first.civility, first.first_name, first.last_name,
                                  "h.garnier2@saint-medard.fr")  # fmt: skip
    raw = a_registration_mail(forms.sample_form(participants=tuple(people)))
    item_id = reviewed(app, mailbox, raw, "même nom")
    decision = approve(app, item_id, "sophie")
    assert decision.ok, decision.message
    with unit_of_work(app.db) as db:
        assert len(db.scalars(select(Registration)).one().participants) == 2
