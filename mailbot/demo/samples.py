"""The demo's sample mails: what IPP's mailbox receives on an ordinary morning.

Each sample is built here with the stdlib ``email`` package (and python-docx for
the Word form), so the demo needs no file from outside the project and no
LibreOffice or OCR. The people and organisations are invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from mailbot.demo.calendar import DemoCalendar
from mailbot.demo.wordform import FilledForm, Person, build_docx

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


@dataclass(frozen=True)
class Sample:
    """One mail dropped into the demo mailbox, and what a newcomer should expect of it."""

    slug: str  # file name stem in WORKDIR/entrants
    label: str  # what the mail is, in French, for the summary
    expected: str  # "auto", "review" or "ignore"
    raw: bytes


def _mail(
    *,
    sender: str,
    subject: str,
    body: str,
    sent: dt.datetime,
    domain: str,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "IPP <ipp@ipp.fr>"
    message["Subject"] = subject
    message["Date"] = format_datetime(sent)
    message["Message-ID"] = make_msgid(domain=domain)
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message


def association_form(today: dt.date, cal: DemoCalendar) -> FilledForm:
    return FilledForm(
        sessions=_ticks(cal, 0),
        organisation_name="Association Vivre à Domicile en Limousin",
        address_lines=("14 avenue Garibaldi", "87000 Limoges"),
        manager_email="sophie.marchal@vad-limousin.fr",
        manager_name="Sophie MARCHAL",
        manager_service="Direction",
        manager_phone="05 55 34 21 08",
        participants=(
            Person("Mme", "Sophie", "MARCHAL", "sophie.marchal@vad-limousin.fr"),
            Person("M.", "Karim", "BENSAÏD", "k.bensaid@vad-limousin.fr"),
        ),
        signed_place="Limoges",
        signed_date=today.strftime("%d/%m/%Y"),
        signatory="Sophie MARCHAL, directrice",
    )


def _ticks(cal: DemoCalendar, chosen: int) -> tuple[tuple[str, bool], ...]:
    return tuple((f"{cal.saad_label(i)} de 9h30 à 17h00", i == chosen) for i in range(2))


def registration_with_word_form(now: dt.datetime, cal: DemoCalendar) -> Sample:
    message = _mail(
        sender="Sophie Marchal <sophie.marchal@vad-limousin.fr>",
        subject=f"Inscription webinaire CPOM SAAD du {cal.saad_label(0)}",
        body=(
            "Bonjour,\n\n"
            "Vous trouverez ci-joint notre bulletin d'inscription au web-séminaire "
            "« Mettre en place un CPOM dans le secteur de l'aide à domicile » "
            f"du {cal.saad_label(0)}.\n\n"
            "Bien cordialement,\n\n"
            "Sophie Marchal\nDirectrice\nAssociation Vivre à Domicile en Limousin\n"
            "05 55 34 21 08\n"
        ),
        sent=now - dt.timedelta(minutes=52),
        domain="vad-limousin.fr",
    )
    message.add_attachment(
        build_docx(association_form(now.date(), cal)),
        maintype=DOCX_TYPE[0],
        subtype=DOCX_TYPE[1],
        filename="Bulletin inscription CPOM SAAD - VAD Limousin.docx",
    )
    return Sample(
        "01-inscription-word",
        "Inscription par formulaire Word (association)",
        "auto",
        message.as_bytes(policy=SMTP),
    )


def registration_typed_in_body(now: dt.datetime, cal: DemoCalendar) -> Sample:
    message = _mail(
        sender="Nathalie Ferrand <nathalie.ferrand@correze.fr>",
        subject=f"Inscription - webinaire CPOM aide à domicile {cal.saad_first:%d/%m/%Y}",
        body=(
            "Bonjour,\n\n"
            "Je souhaite inscrire deux agents de notre direction au web-séminaire "
            "« Mettre en place un CPOM dans le secteur de l'aide à domicile », "
            f"session du {cal.saad_label(0)}.\n\n"
            "Organisme : Département de la Corrèze\n"
            "Adresse : Hôtel du Département, 9 rue René et Émile Fage, 19000 Tulle\n"
            "Gestionnaire de l'inscription : Nathalie FERRAND\n"
            "Adresse e-mail : nathalie.ferrand@correze.fr\n"
            "Service : Direction de l'autonomie\n"
            "Téléphone : 05 55 93 70 00\n\n"
            "Participants :\n"
            "- M. Julien ROCHE - julien.roche@correze.fr\n"
            "- Mme Claire VIGNAL - claire.vignal@correze.fr\n\n"
            "Fait à Tulle, le " + now.date().strftime("%d/%m/%Y") + "\n"
            "Signataire : Nathalie FERRAND, cheffe du service autonomie\n\n"
            "Merci de nous adresser la facture.\n\n"
            "Cordialement,\n\n"
            "Nathalie Ferrand\nDirection de l'autonomie\nDépartement de la Corrèze\n"
        ),
        sent=now - dt.timedelta(minutes=47),
        domain="correze.fr",
    )
    return Sample(
        "02-inscription-dans-le-texte",
        "Inscription tapée dans le courriel (Département)",
        "auto",
        message.as_bytes(policy=SMTP),
    )


def form_with_bad_email(now: dt.datetime, cal: DemoCalendar) -> Sample:
    form = FilledForm(
        sessions=_ticks(cal, 0),
        organisation_name="SAAD Les Jardins de l'Âge",
        address_lines=("3 rue des Tanneurs", "24000 Périgueux"),
        manager_email="direction@jardinsdelage.fr",
        manager_name="Philippe DELMAS",
        manager_service="Direction",
        manager_phone="05 53 08 44 17",
        participants=(
            Person("M.", "Philippe", "DELMAS", "direction@jardinsdelage.fr"),
            # A typo staff see every week: the dot typed as a comma.
            Person("Mme", "Agnès", "TEYSSIER", "a.teyssier@jardinsdelage,fr"),
        ),
        signed_place="Périgueux",
        signed_date=now.date().strftime("%d/%m/%Y"),
        signatory="Philippe DELMAS",
    )
    message = _mail(
        sender="Philippe Delmas <direction@jardinsdelage.fr>",
        subject="Bulletin d'inscription webinaire aide à domicile",
        body=(
            f"Bonjour,\n\nCi-joint notre bulletin d'inscription pour la session du {cal.saad_label(0)}.\n\n"
            "Cordialement,\nPhilippe Delmas\nSAAD Les Jardins de l'Âge\n"
        ),
        sent=now - dt.timedelta(minutes=40),
        domain="jardinsdelage.fr",
    )
    message.add_attachment(
        build_docx(form),
        maintype=DOCX_TYPE[0],
        subtype=DOCX_TYPE[1],
        filename="inscription_webinaire.docx",
    )
    return Sample(
        "03-formulaire-adresse-invalide",
        "Formulaire avec une adresse e-mail de participant invalide",
        "review",
        message.as_bytes(policy=SMTP),
    )


def question_about_programme(now: dt.datetime) -> Sample:
    message = _mail(
        sender="Élodie Garnier <e.garnier@admr-dordogne.fr>",
        subject="Question sur le programme du webinaire CPOM",
        body=(
            "Bonjour,\n\n"
            "Nous hésitons à inscrire notre responsable de secteur au web-séminaire "
            "sur les CPOM dans l'aide à domicile. Le programme aborde-t-il la nouvelle "
            "dotation qualité et les indicateurs de suivi du contrat ? "
            "La session sera-t-elle enregistrée pour ceux qui ne pourront pas assister "
            "à l'après-midi ?\n\n"
            "Merci d'avance pour votre réponse.\n\n"
            "Élodie Garnier\nADMR de la Dordogne\n"
        ),
        sent=now - dt.timedelta(minutes=31),
        domain="admr-dordogne.fr",
    )
    return Sample(
        "04-question-programme",
        "Question sur le programme",
        "review",
        message.as_bytes(policy=SMTP),
    )


def out_of_office(now: dt.datetime) -> Sample:
    message = _mail(
        sender="Marc Lenoir <marc.lenoir@creuse.fr>",
        subject="Réponse automatique : Programme des web-séminaires IPP",
        body=(
            "Bonjour,\n\n"
            "Je suis absent du bureau jusqu'au lundi inclus, sans accès à ma messagerie.\n"
            "Pour toute urgence, merci de contacter le secrétariat au 05 44 30 23 23.\n\n"
            "Marc Lenoir\n"
        ),
        sent=now - dt.timedelta(minutes=22),
        domain="creuse.fr",
        headers={"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"},
    )
    return Sample(
        "05-reponse-automatique",
        "Message d'absence (réponse automatique)",
        "ignore",
        message.as_bytes(policy=SMTP),
    )


def newsletter(now: dt.datetime) -> Sample:
    message = _mail(
        sender="Bureautique Pro <newsletter@bureautique-pro.example>",
        subject="-30 % sur les fauteuils de bureau ergonomiques cette semaine !",
        body=(
            "Découvrez nos offres de la semaine : fauteuils ergonomiques, "
            "lampes LED et fournitures à prix cassés.\n\n"
            "Livraison gratuite dès 49 € d'achat.\n\n"
            "Pour vous désinscrire : https://bureautique-pro.example/desinscription\n"
        ),
        sent=now - dt.timedelta(minutes=12),
        domain="bureautique-pro.example",
        headers={
            "List-Unsubscribe": "<https://bureautique-pro.example/desinscription>",
            "Precedence": "bulk",
        },
    )
    return Sample(
        "06-lettre-commerciale",
        "Lettre commerciale (publicité)",
        "ignore",
        message.as_bytes(policy=SMTP),
    )


def live_example(now: dt.datetime, cal: DemoCalendar) -> Sample:
    """A mail kept aside for the live part: the newcomer drops it in and watches."""
    form = FilledForm(
        sessions=_ticks(cal, 1),
        organisation_name="CCAS de Brive-la-Gaillarde",
        address_lines=("Place de l'Hôtel de Ville", "19100 Brive-la-Gaillarde"),
        manager_email="ccas.formation@brive.fr",
        manager_name="Anne ROUX",
        manager_service="Service d'aide à domicile",
        manager_phone="05 55 18 17 00",
        participants=(Person("Mme", "Anne", "ROUX", "ccas.formation@brive.fr"),),
        signed_place="Brive-la-Gaillarde",
        signed_date=now.date().strftime("%d/%m/%Y"),
        signatory="Anne ROUX",
    )
    message = _mail(
        sender="Anne Roux <ccas.formation@brive.fr>",
        subject="Inscription webinaire CPOM SAAD",
        body="Bonjour,\n\nVeuillez trouver ci-joint notre inscription.\n\nCordialement,\nAnne Roux\n",
        sent=now,
        domain="brive.fr",
    )
    message.add_attachment(
        build_docx(form), maintype=DOCX_TYPE[0], subtype=DOCX_TYPE[1], filename="inscription.docx"
    )
    return Sample(
        "07-nouvelle-inscription",
        "Nouvelle inscription (CCAS)",
        "auto",
        message.as_bytes(policy=SMTP),
    )


def morning_mails(now: dt.datetime, cal: DemoCalendar) -> list[Sample]:
    """The six mails the demo starts with, oldest first."""
    return [
        registration_with_word_form(now, cal),
        registration_typed_in_body(now, cal),
        form_with_bad_email(now, cal),
        question_about_programme(now),
        out_of_office(now),
        newsletter(now),
    ]
