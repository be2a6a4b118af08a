"""Mail builders for understanding tests: stdlib EmailMessage, never files from the corpus."""

from __future__ import annotations

from email.message import EmailMessage

IPP = "ipp@ipp.fr"
ASSISTANT = "Nathalie BLANC <secretariat@gironde.fr>"


def mail(
    body: str = "",
    *,
    subject: str = "Inscription webinaire",
    sender: str = "Anne ROUX <anne.roux@gironde.fr>",
    date: str = "Mon, 14 Sep 2026 10:31:50 +0200",
    html: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = IPP
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = "<test-1@gironde.fr>"
    for name, value in (headers or {}).items():
        message[name] = value
    if body:
        message.set_content(body)
    if html is not None:
        if body:
            message.add_alternative(html, subtype="html")
        else:
            message.set_content(html, subtype="html")
    for filename, content_type, data in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


BODY_FORM = """Madame, Monsieur,

Voici notre inscription :

Web-séminaire : Les CPOM des établissements et services de l'ASE
Date : jeudi 26 novembre 2026 de 9h30 à 17h00

Organisme-client
Dénomination : Département de la Gironde
Adresse postale : 1 esplanade Charles de Gaulle
                  CS 71223
                  33074 Bordeaux Cedex

Gestionnaire de l'inscription
Prénom et NOM : Anne ROUX
Adresse e-mail : anne.roux@gironde.fr
Service : Direction de l'enfance
Téléphone : 05 56 99 12 34 poste 1234

Participants
1. M. Paul MARTIN - paul.martin@gironde.fr
2. Mme Hélène DE LA FONTAINE - h.delafontaine@gironde.fr

Nombre de participants : 2
Montant total : 1 270,00 €

Fait à Bordeaux, le 14/09/2026
Par : La Directrice générale, Anne ROUX

Cordialement
"""


def forward_attached(inner: EmailMessage, note: str, *, subject: str) -> bytes:
    """``inner`` forwarded to IPP by the assistant as an attachment (message/rfc822)."""
    outer = EmailMessage()
    outer["From"] = ASSISTANT
    outer["To"] = IPP
    outer["Subject"] = subject
    outer["Date"] = "Mon, 14 Sep 2026 10:31:50 +0200"
    outer["Message-ID"] = "<fwd-1@gironde.fr>"
    outer.set_content(note)
    outer.add_attachment(inner)
    return outer.as_bytes()
