"""format=flowed bodies (Thunderbird): soft line breaks are undone before the form is read."""

from __future__ import annotations

from email.message import EmailMessage

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.mime import unflow
from mailbot.understanding.model import Decision
from tests.factories.mails import BODY_FORM, IPP


def flowed(text: str, width: int = 40) -> str:
    """What a flowed sender writes: long lines cut after a space, the space kept."""
    out = []
    for typed in text.split("\n"):
        rest = typed
        while len(rest) > width and " " in rest[:width]:
            cut = rest.rfind(" ", 0, width)
            out.append(rest[: cut + 1])
            rest = rest[cut + 1 :]
        out.append(" " + rest if rest.startswith(" ") else rest)  # space-stuffing
    return "\n".join(out)


def test_soft_breaks_are_joined_and_hard_ones_kept() -> None:
    text = "Par : La Directrice \ngénérale, Anne ROUX\nService : \nTéléphone : 05\n> cité \n> ici\n-- \nAnne"
    assert unflow(text).split("\n") == [
        "Par : La Directrice générale, Anne ROUX",
        "Service : ",
        "Téléphone : 05",
        "> cité ici",
        "-- ",
        "Anne",
    ]


def test_a_flowed_body_form_is_read_as_typed(catalog: Catalog) -> None:
    message = EmailMessage()
    message["From"] = "Anne ROUX <anne.roux@gironde.fr>"
    message["To"] = IPP
    message["Subject"] = "Inscription webinaire"
    message["Date"] = "Mon, 14 Sep 2026 10:31:50 +0200"
    message.set_content(flowed(BODY_FORM), params={"format": "flowed"})
    u = understand(message.as_bytes(), catalog)
    assert u.signatory == "La Directrice générale, Anne ROUX"
    assert u.organisation is not None
    assert u.organisation.name == "Département de la Gironde"
    assert u.organisation.address == "1 esplanade Charles de Gaulle, CS 71223, 33074 Bordeaux Cedex"
    assert u.decision is Decision.AUTO, u.reasons
