"""A form that already went to IPP (re-sent, corrected, quoted under a reminder) waits for a
person: recorded a second time, it would be confirmed and invoiced twice."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.model import Decision, Kind, Understanding
from tests.factories.mails import ASSISTANT, BODY_FORM, IPP, forward_attached, mail

MANAGER = "Anne ROUX <anne.roux@gironde.fr>"
OWN_MAIL = (
    "De : Anne ROUX <anne.roux@gironde.fr>\nEnvoyé : lundi 7 septembre 2026 09:12\n"
    "À : {to}\nObjet : Inscription webinaire\n\n"
    "Bonjour,\nVeuillez trouver ci-joint notre bulletin d'inscription.\nAnne ROUX\n"
)


@pytest.mark.parametrize(
    "note",
    [
        "Je vous renvoie notre inscription, au cas où elle ne vous serait pas parvenue.",
        "Nous n'avons reçu ni confirmation ni facture pour l'inscription ci-dessous.",
        "Voici le bulletin rectifié (2 participants), qui remplace celui d'hier.",
        "Suite à une erreur dans notre précédent envoi, voici la version corrigée.",
        "Suite à un changement de participant, voici le bulletin d'inscription mis à jour.",
    ],
)
def test_a_form_said_to_be_sent_again_waits_for_a_person(catalog: Catalog, note: str) -> None:
    u = understand(mail(note + "\n\n" + BODY_FORM, sender=MANAGER), catalog)
    assert u.kind is Kind.REGISTRATION and u.decision is Decision.REVIEW
    assert u.reasons == ("form_sent_again",)
    assert Understanding.from_dict(u.to_dict()).sent_again  # kept through the records


def test_annule_et_remplace_is_both_a_change_and_a_form_sent_again(catalog: Catalog) -> None:
    note = "Ce bulletin annule et remplace celui envoyé le 2 septembre."
    u = understand(mail(BODY_FORM + "\n" + note, sender=MANAGER), catalog)
    assert u.reasons == ("question_in_mail", "form_sent_again")


@pytest.mark.parametrize(
    ("body", "subject"),
    [
        # Outlook: the manager forwards her own mail to IPP, form typed below it.
        (
            "Bonjour,\nPourriez-vous me confirmer que notre inscription a bien été prise en "
            "compte ?\nAnne ROUX\n\n-----Message d'origine-----\n"
            + OWN_MAIL.format(to=IPP).replace("Bonjour,\n", "Bonjour,\n" + BODY_FORM, 1),
            "TR: Inscription webinaire",
        ),
        # Gmail: a reply to her own mail, which gave no To line.
        (
            BODY_FORM + "\n\nLe lun. 7 sept. 2026 à 09:12, Anne ROUX <anne.roux@gironde.fr> "
            "a écrit :\n> Bonjour,\n> Voici notre bulletin d'inscription.\n",
            "Re: Inscription webinaire",
        ),
    ],
)
def test_a_form_under_its_sender_s_earlier_mail_to_ipp_waits(
    catalog: Catalog, body: str, subject: str
) -> None:
    u = understand(mail(body, subject=subject, sender=MANAGER), catalog)
    assert u.kind is Kind.REGISTRATION and u.decision is Decision.REVIEW
    assert "form_sent_again" in u.reasons, u.reasons


def test_a_colleague_s_mail_to_ipp_attached_again_waits(catalog: Catalog) -> None:
    inner = EmailMessage()
    inner["From"] = MANAGER
    inner["To"] = IPP
    inner["Subject"] = "Inscription webinaire"
    inner.set_content("Bonjour,\nVoici notre inscription :\n\n" + BODY_FORM)
    note = "Bonjour, le message d'hier de Mme ROUX ne vous serait pas parvenu."
    u = understand(forward_attached(inner, note, subject="TR: Inscription webinaire"), catalog)
    assert u.kind is Kind.REGISTRATION and u.reasons == ("form_sent_again",)


@pytest.mark.parametrize(
    ("note", "quoted_to"),
    [
        # The mail quoted went to the assistant, who forwards it: IPP never had it.
        (
            "Bonjour, je vous transmets l'inscription de Mme ROUX.",
            "Nathalie BLANC <secretariat@gironde.fr>",
        ),
        # The first mail forgot its attachment: this one is the first form IPP gets.
        ("Avec la pièce jointe, c'est mieux ! Veuillez excuser cet oubli.", IPP),
        # "Renvoyer" as "send back": the blank form IPP sent, now filled.
        ("Je vous renvoie le bulletin complété et signé.", None),
    ],
)
def test_a_first_sending_is_not_taken_for_a_second(
    catalog: Catalog, note: str, quoted_to: str | None
) -> None:
    body = f"{note}\n\n{BODY_FORM}"
    if quoted_to is not None:
        body += "\n\n-----Message d'origine-----\n" + OWN_MAIL.format(to=quoted_to)
    u = understand(mail(body, subject="TR: Inscription webinaire", sender=ASSISTANT), catalog)
    assert u.kind is Kind.REGISTRATION
    assert u.decision is Decision.AUTO, u.reasons
