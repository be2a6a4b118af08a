"""A confirmation bounces: the address is flagged and staff are told which registration."""

from __future__ import annotations

from sqlalchemy import select

from mailbot.daemon import run_once
from mailbot.records.db import unit_of_work
from mailbot.records.models import InboundMail, Participant, ReviewItem
from tests.factories import forms
from tests.story import a_bounce, a_registration_mail, app_for


def test_a_bounced_confirmation_flags_the_address_and_names_the_registration(
    tmp_path, mailbox, smtp_sink
):
    form = forms.sample_form(manager_email="c.lefevre@saint-medard.fr")
    app = app_for(tmp_path, imap=mailbox, smtp=smtp_sink)
    mailbox.deliver(a_registration_mail(form, sender="Hélène Garnier <h.garnier@saint-medard.fr>"))
    run_once(app)
    [confirmation] = smtp_sink.messages
    mailbox.deliver(a_bounce(confirmation.raw, "h.garnier@saint-medard.fr"))

    run_once(app)

    with unit_of_work(app.db) as db:
        bounce = db.scalars(select(InboundMail).where(InboundMail.kind == "bounce")).one()
        item = db.scalars(select(ReviewItem).where(ReviewItem.inbound_mail_id == bounce.id)).one()
        assert item.registration_id is not None
        assert "h.garnier@saint-medard.fr" in item.reason_text
        assert "inscription n°" in item.reason_text
        flagged = db.scalars(select(Participant).where(Participant.email_failing)).all()
        assert [p.email for p in flagged] == ["h.garnier@saint-medard.fr"]
    # Nothing is ever answered to a bounce.
    assert len(smtp_sink.messages) == 1
    assert mailbox.count("À vérifier") == 1
