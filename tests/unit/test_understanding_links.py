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


def test_a_signing_or_sharing_notice_from_a_lookalike_of_the_service_is_phishing(
    catalog: Catalog,
) -> None:
    body = ("Association Les Tilleuls vous a envoyé un document à examiner et à signer.\n\n"
            "Bulletin_inscription_webinaire_CPOM.pdf\n\nEXAMINER LE DOCUMENT : "
            "https://docusign-review.secure-envelope.info/Signing/EmailStart.aspx?a=7f1c\n")  # fmt: skip
    subject = "Complétez avec DocuSign : Bulletin_inscription_webinaire_CPOM.pdf"
    fake = understand(mail(body, subject=subject, sender="Association Les Tilleuls via "
                           "DocuSign <dse_NA4@docusign-mail.net.secure-envelope.info>"),
                      catalog)  # fmt: skip
    assert (fake.kind, fake.decision, fake.reasons) == (Kind.OTHER, Decision.IGNORE, ("phishing",))
    # The service's own notice carries a real form behind its link: a person opens it.
    real = understand(mail(body.replace("docusign-review.secure-envelope.info",
                                        "eu.docusign.net"), subject=subject,
                           sender="Association Les Tilleuls via DocuSign <dse@eumail.docusign.net>"),
                      catalog)  # fmt: skip
    assert (real.kind, real.reasons) == (Kind.REGISTRATION, ("form_behind_link",))
    shared = ("Marie Quintin a partagé un fichier avec vous.\n\nBulletin d'inscription CPOM - 4 "
              "participants.docx\n\nOuvrir : https://ipp-fr.sharepoint-docs-viewer.com/:w:/g/B\n")  # fmt: skip
    lookalike = understand(mail(shared, subject="Marie Quintin a partagé « Bulletin d'inscription "
                                "CPOM » avec vous", sender="Marie Quintin "
                                "<no-reply@sharepointonline-notify.co>"), catalog)  # fmt: skip
    assert (lookalike.kind, lookalike.decision) == (Kind.OTHER, Decision.IGNORE)
