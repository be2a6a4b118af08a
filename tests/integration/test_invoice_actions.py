"""After the confirmation: a duplicate on request, a credit note, the Chorus Pro list."""

from __future__ import annotations

import email
import io
from email.policy import default

import pypdf
from typer.testing import CliRunner

from mailbot.cli import app as cli
from mailbot.daemon import run_once
from mailbot.invoices import find_by_number
from mailbot.records.db import unit_of_work
from mailbot.records.models import ChorusStatus, InvoiceKind
from tests.story import a_registration_mail, app_for, write_config


def test_resend_credit_note_and_chorus_list(tmp_path, mailbox, smtp_sink, monkeypatch):
    app = app_for(tmp_path, imap=mailbox, smtp=smtp_sink)
    mailbox.deliver(a_registration_mail())
    run_once(app)
    original_pdf = email.message_from_bytes(smtp_sink.messages[0].raw, policy=default)
    [attachment] = list(original_pdf.iter_attachments())
    config = write_config(tmp_path, app.settings, monkeypatch)
    runner = CliRunner()

    listed = runner.invoke(cli, ["invoices", "list", "--chorus", "-c", str(config)])
    assert listed.exit_code == 0, listed.output
    assert "2026-000001" in listed.output and "à déposer" in listed.output

    resent = runner.invoke(
        cli, ["invoices", "resend", "2026-000001", "-c", str(config), "--by", "sophie"]
    )
    assert resent.exit_code == 0, resent.output
    run_once(app)
    copy = email.message_from_bytes(smtp_sink.messages[-1].raw, policy=default)
    [copy_attachment] = list(copy.iter_attachments())
    assert copy_attachment.get_content() == attachment.get_content()  # byte for byte
    assert copy["Subject"] == "Facture n° 2026-000001 – IPP"

    credited = runner.invoke(
        cli,
        [
            "invoices",
            "credit-note",
            "2026-000001",
            "--reason",
            "Session annulée",
            "-c",
            str(config),
        ],
    )
    assert credited.exit_code == 0, credited.output
    with unit_of_work(app.db) as db:
        note = find_by_number(db, "2026-000002")
        assert note is not None and note.kind == InvoiceKind.CREDIT_NOTE
        text = pypdf.PdfReader(io.BytesIO(note.pdf)).pages[0].extract_text()
        assert "AVOIR" in text.upper() and "2026-000001" in text

    deposited = runner.invoke(cli, ["invoices", "deposited", "2026-000001", "-c", str(config)])
    assert deposited.exit_code == 0
    with unit_of_work(app.db) as db:
        invoice = find_by_number(db, "2026-000001")
        assert invoice is not None and invoice.chorus_status == ChorusStatus.DEPOSITED

    missing = runner.invoke(cli, ["invoices", "pdf", "2099-000001", "-c", str(config)])
    assert missing.exit_code == 1 and "introuvable" in missing.output
