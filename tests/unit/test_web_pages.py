"""What staff see of a stored mail: text bodies, sanitised HTML, attachments as downloads."""

from __future__ import annotations

import datetime as dt
import hashlib
from email.message import EmailMessage
from email.policy import SMTP

import pytest
from sqlalchemy import select

from mailbot.records.db import unit_of_work
from mailbot.records.models import AuditEntry, Event, InboundMail
from mailbot.web import correction_form, exports
from tests.web_helpers import client_for, log_in, web_app

HOSTILE_HTML = (
    '<p>Bonjour <b>IPP</b></p><script>alert("x")</script>'
    '<img src="https://tracker.example/p.gif"><a href="javascript:alert(1)">lien</a>'
)


def a_mail_with(*, html_only: bool = False) -> bytes:
    message = EmailMessage()
    message["From"] = "Claire <c.lefevre@saint-medard.fr>"
    message["To"] = "ipp@ipp.fr"
    message["Subject"] = "Inscription"
    message["Message-ID"] = "<pages@x.fr>"
    if html_only:
        message.set_content(HOSTILE_HTML, subtype="html")
    else:
        message.set_content("Bonjour,\nci-joint le bulletin.\n")
    message.add_attachment(
        b"<html><script>alert(1)</script></html>",
        maintype="text",
        subtype="html",
        filename="bulletin.html",
    )
    message.add_attachment(b"%PDF-1.4 fake", maintype="application", subtype="pdf",
                           filename="bulletin signé.pdf")  # fmt: skip
    return message.as_bytes(policy=SMTP)


def stored(app, raw: bytes) -> int:
    with unit_of_work(app.db) as db:
        mail = InboundMail(
            dedup_key=hashlib.sha256(raw).hexdigest(),
            message_id="<pages@x.fr>",
            content_hash=hashlib.sha256(raw).hexdigest(),
            size=len(raw),
            from_address="c.lefevre@saint-medard.fr",
            subject="Inscription",
            raw=raw,
        )
        db.add(mail)
        db.flush()
        db.add(
            Event(
                at=dt.datetime(2026, 10, 14, 10, tzinfo=dt.UTC),
                kind="received",
                sentence="Courriel reçu de c.lefevre@saint-medard.fr : « Inscription ».",
                inbound_mail_id=mail.id,
            )
        )
        return mail.id


@pytest.fixture
def client(tmp_path):
    app = web_app(tmp_path)
    client = client_for(app)
    log_in(client)
    client.mailbot = app
    yield client
    app.dispose()


def test_attachments_are_downloads_never_pages(client):
    mail_id = stored(client.mailbot, a_mail_with())
    page = client.get(f"/mails/{mail_id}")
    assert "bulletin.html" in page.text and "ci-joint le bulletin" in page.text

    html = client.get(f"/mails/{mail_id}/attachments/0")
    assert html.status_code == 200
    assert html.headers["content-type"] == "application/octet-stream"
    assert html.headers["content-disposition"].startswith("attachment;")
    assert html.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in html.headers["content-security-policy"]

    pdf = client.get(f"/mails/{mail_id}/attachments/1")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''bulletin%20sign%C3%A9.pdf" in pdf.headers["content-disposition"]
    assert client.get(f"/mails/{mail_id}/attachments/9").status_code == 404

    with unit_of_work(client.mailbot.db) as db:
        downloads = db.scalars(
            select(AuditEntry).where(AuditEntry.action == "attachment_download")
        ).all()
    assert [d.username for d in downloads] == ["sophie", "sophie"]


def test_html_only_mail_is_shown_sanitised(client):
    mail_id = stored(client.mailbot, a_mail_with(html_only=True))
    page = client.get(f"/mails/{mail_id}").text
    assert "<b>IPP</b>" in page
    assert "<script>alert" not in page and "tracker.example" not in page
    assert "javascript:" not in page


def test_status_log_filters_and_links_to_the_mail(client):
    mail_id = stored(client.mailbot, a_mail_with())
    page = client.get("/journal", params={"q": "saint-medard", "day": "2026-10-14"}).text
    assert "Courriel reçu de c.lefevre" in page and f'href="/mails/{mail_id}"' in page
    # The kind filter speaks French, not the internal event names.
    assert '<option value="received">Courriel reçu</option>' in page
    assert "Aucun événement" in client.get("/journal", params={"day": "2026-10-15"}).text
    assert "Aucun événement" in client.get("/journal", params={"level": "error"}).text


def test_the_journal_s_day_is_paris_s_day(client):
    # 22:30 UTC on 14 October is 00:30 on the 15th in Paris: an event of the 15th.
    with unit_of_work(client.mailbot.db) as db:
        db.add(Event(at=dt.datetime(2026, 10, 14, 22, 30, tzinfo=dt.UTC), kind="note",
                     sentence="Passé minuit à Paris"))  # fmt: skip
    assert "Passé minuit à Paris" in client.get("/journal", params={"day": "2026-10-15"}).text
    assert "Passé minuit à Paris" not in client.get("/journal", params={"day": "2026-10-14"}).text


def test_the_correction_form_sends_only_what_changed():
    understanding = {
        "session": {"webinar_id": "cpom-saad", "date": "2027-03-18"},
        "organisation": {"name": "Mairie", "address": None},
        "participants": [
            {"civility": "M.", "first_name": "Jean", "last_name": "Dubois", "email": "j@x"}
        ],
    }
    submitted = correction_form.current_values(understanding)
    assert correction_form.changed(understanding, submitted) == {}
    submitted["participants[0].email"] = "j.dubois@x.fr"
    submitted["participants[1].first_name"] = "Anne"
    assert correction_form.changed(understanding, submitted) == {
        "participants[0].email": "j.dubois@x.fr",
        "participants[1].first_name": "Anne",
    }


def test_a_form_that_could_not_be_read_offers_rows_to_type_its_participants_in():
    unread = {"kind": "registration", "reasons": ["form_not_read"], "participants": []}
    rows = correction_form.build(unread).participants
    assert len(rows) == 6 and all(not field.value for row in rows for field in row.fields)
    one = {"participants": [{"civility": "M.", "first_name": "J", "last_name": "D", "email": ""}]}
    assert len(correction_form.build(one).participants) == 2


def test_exports_keep_formulas_as_text():
    row = exports.Row("M.", '=HYPERLINK("x")', "Dupont", "a@b.fr", "Org", "Chef", "c@d.fr", 1, "")
    csv_text = exports.to_csv([row]).decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Civilité;Prénom")
    assert "'=HYPERLINK" in csv_text
    assert exports.to_xlsx([row], "cpom 2027-03-18")[:2] == b"PK"


def test_exports_of_a_session_are_downloads(client):
    for fmt, ctype in (("csv", "text/csv"), ("xlsx", "application/vnd.openxml")):
        response = client.get(f"/sessions/cpom-saad@2027-03-18/participants.{fmt}")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(ctype)
        assert response.headers["content-disposition"].startswith("attachment;")
    assert client.get("/sessions/nope@2027-03-18/participants.csv").status_code == 404
