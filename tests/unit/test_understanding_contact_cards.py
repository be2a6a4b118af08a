"""Contact cards (.vcf) sent along a mail: never a form that failed to read; the newcomer
of a replacement may be on one; a card that gives a participant another address than
the form's is a question for a person."""

from __future__ import annotations

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.mime import Attachment
from mailbot.understanding.model import Decision, Kind
from mailbot.understanding.vcards import card_lines
from tests.factories.forms import build, sample_form
from tests.factories.mails import mail


def vcard(civility: str, given: str, family: str, address: str) -> tuple[str, str, bytes]:
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"N:{family};{given};;{civility};\r\nFN:{civility} {given} {family}\r\n"
        "ORG:Département de la Nièvre\r\nTEL;TYPE=WORK:03 86 60 67 41\r\n"
        f"EMAIL;TYPE=INTERNET:{address}\r\nEND:VCARD\r\n"
    )
    return (f"{given} {family}.vcf", "text/x-vcard", text.encode())


SWAP = """Bonjour,

Mme Véronique TISSIER, inscrite au webinaire « Les CPOM des établissements et services de
l'ASE » du jeudi 26 novembre 2026, ne pourra pas y assister.
Elle sera remplacée par son collègue, M. Ludovic CHARPENTIER, dont vous trouverez la fiche
contact en pièce jointe.

Cordialement,
Sandrine PERRAUDIN
"""
NEWCOMER = vcard("M.", "Ludovic", "CHARPENTIER", "ludovic.charpentier@cd58.fr")
SENDER = "Sandrine PERRAUDIN <s.perraudin@cd58.fr>"


def test_a_card_reads_as_the_lines_a_writer_would_paste() -> None:
    name, content_type, data = NEWCOMER
    lines = card_lines(Attachment(name, content_type, data))
    assert lines == ["M. Ludovic CHARPENTIER", "ludovic.charpentier@cd58.fr", ""]


def test_a_broken_card_gives_nothing_and_no_error() -> None:
    assert card_lines(Attachment("x.vcf", "text/vcard", b"BEGIN:VCARD\r\nN:;;\xff\r\n")) == []


def test_the_newcomer_on_a_card_is_the_replacement(catalog: Catalog) -> None:
    u = understand(
        mail(SWAP, sender=SENDER, subject="Remplacement", attachments=[NEWCOMER]), catalog
    )
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.AUTO, u.reasons
    assert u.replacement is not None
    assert (u.replacement.last_name, u.replacement.email) == (
        "CHARPENTIER",
        "ludovic.charpentier@cd58.fr",
    )
    alone = understand(mail(SWAP, sender=SENDER, subject="Remplacement"), catalog)
    assert alone.decision is Decision.REVIEW  # no address for him without the card


def test_the_writer_s_own_card_gives_the_newcomer_nothing(catalog: Catalog) -> None:
    own = vcard("Mme", "Sandrine", "PERRAUDIN", "s.perraudin@cd58.fr")
    u = understand(mail(SWAP, sender=SENDER, subject="Remplacement", attachments=[own]), catalog)
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.REVIEW
    assert u.replacement is None or u.replacement.email != "s.perraudin@cd58.fr"


def test_an_out_of_office_with_a_card_is_no_form(catalog: Catalog) -> None:
    away = "Bonjour,\n\nJe suis absente du bureau jusqu'au 4 janvier.\n\nFabienne ROYER\n"
    card = vcard("Mme", "Fabienne", "ROYER", "fabienne.royer@doubs.fr")
    u = understand(
        mail(away, subject="Réponse automatique : Inscription", attachments=[card],
             headers={"Auto-Submitted": "auto-replied"}),
        catalog,
    )  # fmt: skip
    assert u.kind is Kind.AUTO_REPLY


FORM = build(sample_form(), "docx")  # Mme Hélène GARNIER h.garnier@…, M. Marc DUBOIS


def test_a_card_giving_a_participant_another_address_is_doubted(catalog: Catalog) -> None:
    form = sample_form()
    first = form.participants[0]
    other = vcard(first.civility, first.first_name, first.last_name, "autre.adresse@example.fr")
    same = vcard(first.civility, first.first_name, first.last_name, first.email)
    body = "Bonjour,\n\nCi-joint notre bulletin et les fiches contact.\n\nClaire LEFÈVRE\n"
    sender = "Claire LEFÈVRE <c.lefevre@saint-medard.fr>"
    u = understand(mail(body, sender=sender, attachments=[FORM, other]), catalog)
    assert u.decision is Decision.REVIEW and "uncertain:participants[0].email" in u.reasons
    agreed = understand(mail(body, sender=sender, attachments=[FORM, same]), catalog)
    assert agreed.decision is Decision.AUTO, agreed.reasons
