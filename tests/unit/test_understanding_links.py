"""A form handed over by a download link is a registration nobody can read here: a person
opens it. A transfer service's notice is automatic, but it must never be ignored."""

from __future__ import annotations

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.model import Decision, Kind
from tests.factories.mails import mail


def test_a_transfer_service_s_notice_carrying_the_form_waits_for_a_person(catalog: Catalog) -> None:
    body = (
        "Bonjour,\n\ns.lamarque@cd31.fr vous a envoyé des fichiers via France transfert.\n\n"
        "Message de l'expéditeur :\nBonjour, ci-joint le bulletin d'inscription du Département "
        "pour le webinaire CPOM ASE.\n\nTélécharger les fichiers : "
        "https://francetransfert.numerique.gouv.fr/download/download-info?enclosure=4f1c\n\n"
        "Le mot de passe vous sera communiqué par l'expéditeur.\n"
        "Ceci est un message automatique, merci de ne pas y répondre.\n"
    )
    raw = mail(
        body,
        subject="France transfert - s.lamarque@cd31.fr vous a envoyé des fichiers",
        sender="France transfert <ne-pas-repondre@francetransfert.numerique.gouv.fr>",
        headers={"Auto-Submitted": "auto-generated"},
    )
    u = understand(raw, catalog)
    assert (u.kind, u.decision, u.reasons) == (
        Kind.REGISTRATION,
        Decision.REVIEW,
        ("form_behind_link",),
    )


def test_a_phishing_page_dressed_as_a_transfer_is_still_junk(catalog: Catalog) -> None:
    body = (
        "Vous avez reçu 3 fichiers via WeTransfer\n\nBulletin_inscription.pdf\n\n"
        "Connectez-vous avec votre mot de passe de messagerie pour télécharger les fichiers :\n"
        "https://we-transfer-files.online/dl/ipp.fr/auth\n"
    )
    raw = mail(
        body,
        subject="ipp@ipp.fr vous avez reçu des fichiers",
        sender="WeTransfer <noreply@x.online>",
    )
    assert understand(raw, catalog).kind is Kind.OTHER


def test_an_anti_spam_captcha_naming_our_confirmation_is_no_form(catalog: Catalog) -> None:
    body = (
        "Bonjour,\n\nCe destinataire est protégé par Mailinblack : votre message est en attente.\n"
        "Merci de confirmer que vous êtes un humain en cliquant sur le lien ci-dessous :\n"
        "https://protect.mailinblack.com/captcha?id=6f2b9e0c41d87a\n\n"
        "Objet de votre message : Confirmation de votre inscription - webinaire CPOM PH\n"
    )
    raw = mail(
        body,
        subject="[Mailinblack] Confirmez que vous êtes un humain",
        headers={"Auto-Submitted": "auto-replied"},
    )
    assert understand(raw, catalog).kind is Kind.AUTO_REPLY
