"""Bodies whose declared charset is not the one they were written in."""

from __future__ import annotations

import quopri

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.model import Decision

BODY = """Bonjour,

Voici notre inscription au webinaire « Handicap » du vendredi 27 novembre 2026.

Dénomination : Association d’Entraide Cœur et Handicap
Adresse postale : Le Moulinon, 07200 Aubenas
Gestionnaire de l’inscription : Anne ROUX
Courriel : a.roux@coeur-handicap07.fr

Participants :
M. – Gérard – FAURIEL – g.fauriel@coeur-handicap07.fr

Nombre de participants : 1 – Montant total : 635 €
Fait à Aubenas, le 2 octobre 2026
Par Anne ROUX, directrice
"""


def outlook_express(charset: str) -> bytes:
    """Windows' own bytes (’ œ – €) in a part labelled ``charset``, as old clients send."""
    head = (
        "From: Anne ROUX <a.roux@coeur-handicap07.fr>\r\nTo: ipp@ipp.fr\r\n"
        "Subject: Inscription webinaire\r\nDate: Mon, 05 Oct 2026 10:00:00 +0200\r\n"
        "Message-ID: <oe-1@coeur-handicap07.fr>\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: text/plain; charset="{charset}"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    )
    return head.encode() + quopri.encodestring(BODY.replace("\n", "\r\n").encode("cp1252"))


def test_windows_characters_labelled_latin_1_are_read_as_written(catalog: Catalog) -> None:
    u = understand(outlook_express("iso-8859-1"), catalog)
    assert u.organisation is not None
    assert u.organisation.name == "Association d’Entraide Cœur et Handicap"
    assert [(p.first_name, p.last_name) for p in u.participants] == [("Gérard", "FAURIEL")]
    assert u.decision is Decision.AUTO, u.reasons


def test_control_characters_left_by_a_wrong_charset_are_never_confirmed(
    catalog: Catalog,
) -> None:
    # Latin-9 has no ’ or œ at those bytes: they decode to control characters.
    u = understand(outlook_express("iso-8859-15"), catalog)
    assert u.decision is Decision.REVIEW
    assert "uncertain:organisation.name" in u.reasons
