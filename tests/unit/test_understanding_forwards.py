"""Forwarded mails: the original's own text is the content, not the thread quoted below it."""

from __future__ import annotations

from email.message import EmailMessage

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.model import Decision, Kind
from tests.factories.forms import build, sample_form
from tests.factories.mails import ASSISTANT, BODY_FORM, forward_attached, mail
from tests.factories.outlook import build_msg

REQUEST = (
    "Bonjour,\n\nMme Hélène Le Gall ne pourra pas participer au webinaire « Les CPOM des "
    "établissements et services de l'ASE » du 26 novembre 2026. Elle sera remplacée par "
    "M. Gaël GARCIA (gael.garcia@admr33.org).\n\nCordialement,\nAnne ROUX\n"
)
FORWARD = (
    "Bonjour,\n\nJe vous transfère le message ci-dessous.\n\nNathalie\nSecrétariat\n\n"
    "---------- Message transféré ---------\n"
    "De : Anne ROUX <anne.roux@gironde.fr>\nDate : lun. 14 sept. 2026 à 09:12\n"
    "Objet : {subject}\nÀ : Nathalie BLANC <secretariat@gironde.fr>\n\n"
)


def test_a_forwarded_replacement_request_is_a_replacement(catalog: Catalog) -> None:
    body = FORWARD.format(subject="Remplacement") + REQUEST
    u = understand(mail(body, subject="TR: Remplacement", sender=ASSISTANT), catalog)
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.AUTO, u.reasons
    assert u.replaced is not None and u.replaced.last_name == "Le Gall"
    assert u.replacement is not None and u.replacement.email == "gael.garcia@admr33.org"


def test_a_forwarded_reply_does_not_read_the_quoted_thread_as_participants(
    catalog: Catalog,
) -> None:
    # The original answered IPP's mail: its quote header and the forward's
    # header lines used to come out as extra "participants".
    reply = (
        BODY_FORM + "\n\nLe jeu. 10 sept. 2026 à 10:12, IPP <ipp@ipp.fr> a écrit :\n"
        "> Bonjour,\n> Voici le bulletin d'inscription.\n> L'équipe IPP\n"
    )
    body = FORWARD.format(subject="RE: Webinaire") + reply
    u = understand(mail(body, subject="TR: RE: Webinaire", sender=ASSISTANT), catalog)
    assert [p.last_name for p in u.participants] == ["MARTIN", "DE LA FONTAINE"]
    assert u.manager is not None and u.manager.email == "anne.roux@gironde.fr"
    assert u.decision is Decision.AUTO, u.reasons


def test_a_forward_attached_as_a_message_reads_the_forward_inside_it(catalog: Catalog) -> None:
    # The assistant forwards as an attachment a mail that was itself a forward.
    inner = EmailMessage()
    inner["From"] = "Claire MOREAU <c.moreau@gironde.fr>"
    inner["To"] = "Nathalie BLANC <secretariat@gironde.fr>"
    inner["Subject"] = "TR: Inscription webinaire"
    inner["Date"] = "Mon, 14 Sep 2026 09:40:00 +0200"
    inner.set_content(
        "Pour suite à donner.\n\n-----Message d'origine-----\n"
        "De : Anne ROUX <anne.roux@gironde.fr>\nEnvoyé : lundi 14 septembre 2026 09:12\n"
        f"À : Claire MOREAU\nObjet : Inscription webinaire\n\n{BODY_FORM}"
    )
    raw = forward_attached(
        inner, "Bonjour, ci-joint l'inscription reçue.\nNathalie",
        subject="Fwd: TR: Inscription webinaire",
    )  # fmt: skip
    u = understand(raw, catalog)
    assert u.kind is Kind.REGISTRATION
    assert u.manager is not None and u.manager.email == "anne.roux@gironde.fr"
    assert [p.last_name for p in u.participants] == ["MARTIN", "DE LA FONTAINE"]
    assert u.decision is Decision.AUTO, u.reasons


def test_a_broken_form_inside_a_forwarded_message_is_an_unreadable_attachment(
    catalog: Catalog,
) -> None:
    inner = EmailMessage()
    inner["From"] = "Anne ROUX <anne.roux@gironde.fr>"
    inner["Subject"] = "Bulletin d'inscription"
    inner.set_content("Ci-joint notre bulletin d'inscription.")
    inner.add_attachment(
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "application", "pdf", filename="bulletin.pdf"
    )
    u = understand(
        forward_attached(inner, "Pour suite à donner.", subject="Fwd: Bulletin"), catalog
    )
    assert u.kind is Kind.REGISTRATION
    assert u.reasons == ("unreadable_attachment",)


def _saved_mail() -> bytes:
    inner = EmailMessage()
    inner["From"] = "Anne ROUX <anne.roux@gironde.fr>"
    inner["To"] = ASSISTANT
    inner["Subject"] = "Inscription webinaire"
    inner["Date"] = "Mon, 14 Sep 2026 09:12:00 +0200"
    inner.set_content(BODY_FORM)
    return inner.as_bytes()


def test_a_mail_saved_as_an_eml_file_and_attached_is_read_as_a_forward(catalog: Catalog) -> None:
    # Saved to disk, then attached as a plain file: no message/rfc822 label.
    raw = mail(
        "Bonjour, je vous transmets l'inscription ci-jointe.\nNathalie",
        subject="TR: Inscription webinaire",
        sender=ASSISTANT,
        attachments=[("Inscription webinaire.eml", "application/octet-stream", _saved_mail())],
    )
    u = understand(raw, catalog)
    assert u.kind is Kind.REGISTRATION
    assert u.manager is not None and u.manager.email == "anne.roux@gironde.fr"
    assert [p.last_name for p in u.participants] == ["MARTIN", "DE LA FONTAINE"]
    assert u.decision is Decision.AUTO, u.reasons


def test_a_file_named_eml_that_is_no_mail_stays_an_unreadable_attachment(
    catalog: Catalog,
) -> None:
    raw = mail(
        "Bonjour, ci-joint notre bulletin d'inscription.",
        attachments=[("bulletin.eml", "application/octet-stream", b"%PDF-1.7\n%\xe2\xe3")],
    )
    u = understand(raw, catalog)
    assert u.kind is Kind.REGISTRATION and u.decision is Decision.REVIEW
    assert u.reasons == ("unreadable_attachment",)


def _outlook_saved(attachments: list[tuple[str, str, bytes]], body: str) -> bytes:
    headers = (
        "From: Anne ROUX <anne.roux@gironde.fr>\r\nTo: secretariat@gironde.fr\r\n"
        "Subject: Inscription webinaire\r\nDate: Mon, 14 Sep 2026 09:12:00 +0200\r\n"
        "Message-ID: <original-1@gironde.fr>\r\n\r\n"
    )
    return build_msg(
        sender=("Anne ROUX", "anne.roux@gironde.fr"),
        subject="Inscription webinaire",
        body=body,
        headers=headers,
        attachments=attachments,
    )


def test_a_mail_dragged_from_outlook_as_a_msg_file_is_read_as_a_forward(catalog: Catalog) -> None:
    # Outlook attaches a mail dropped into a new one as a .msg compound file.
    form = sample_form()
    docx = build(form, "docx")
    saved = _outlook_saved([docx], "Bonjour,\r\nVeuillez trouver notre bulletin.\r\nAnne ROUX")
    raw = mail(
        "Bonjour, je vous transmets l'inscription ci-jointe.\nNathalie",
        subject="TR: Inscription webinaire",
        sender=ASSISTANT,
        attachments=[("Inscription webinaire.msg", "application/vnd.ms-outlook", saved)],
    )
    u = understand(raw, catalog)
    assert u.kind is Kind.REGISTRATION
    assert u.decision is Decision.AUTO, u.reasons
    assert u.manager is not None and u.manager.email == form.manager_email
    assert {p.email for p in u.participants} == {p.email for p in form.participants}


def test_a_form_typed_in_the_body_of_a_msg_file_is_read(catalog: Catalog) -> None:
    saved = _outlook_saved([], BODY_FORM.replace("\n", "\r\n"))
    raw = mail(
        "Pour suite à donner.",
        subject="TR: Inscription webinaire",
        sender=ASSISTANT,
        attachments=[("Inscription.msg", "application/octet-stream", saved)],
    )
    u = understand(raw, catalog)
    assert u.kind is Kind.REGISTRATION and u.decision is Decision.AUTO, u.reasons
    assert [p.last_name for p in u.participants] == ["MARTIN", "DE LA FONTAINE"]


def test_a_truncated_msg_file_is_left_to_staff(catalog: Catalog) -> None:
    saved = _outlook_saved([build(sample_form(), "docx")], "Bonjour")
    raw = mail(
        "Bonjour, ci-joint notre inscription.",
        attachments=[("Inscription.msg", "application/vnd.ms-outlook", saved[:3000])],
    )
    u = understand(raw, catalog)
    assert u.kind is Kind.REGISTRATION and u.decision is Decision.REVIEW
    # Staff are told which file to open by hand.
    assert u.reasons == ("form_not_read",)
    assert [(a.filename, a.problem) for a in u.attachments] == [("Inscription.msg", "unsupported")]
