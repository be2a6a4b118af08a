"""Registrations written as official letters, not on IPP's form: read, and always checked by a
person (reason ``letter``)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from docx.document import Document as WordDocument

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.letter_reader import read_letter
from mailbot.understanding.model import Decision, Kind, Understanding
from tests.factories.mails import mail

SENDER = "Nathalie FAUCHER <nathalie.faucher@haute-vienne.fr>"

LETTERHEAD = """Département de la Haute-Vienne
Direction Générale Adjointe des Solidarités
Direction de l'Enfance et de la Famille
11 rue François Chénieux
CS 83112
87031 Limoges Cedex 1
Standard : 05 55 45 10 10

Affaire suivie par : Nathalie FAUCHER
Service tarification et contrôle des établissements
Tél. : 05 55 45 61 20
Courriel : nathalie.faucher@haute-vienne.fr
N/Réf. : DEF/STCE/2026/1187

Limoges, le 3 novembre 2026

Institut de la Performance Publique
Service des inscriptions
Par courriel : ipp@ipp.fr

Objet : Inscription au web-séminaire du 26 novembre 2026

Madame, Monsieur,

"""

PROSE = (
    "J'ai l'honneur de vous demander l'inscription de Mme Claire BESSE, cheffe du service\n"
    "tarification (claire.besse@haute-vienne.fr) et M. Thomas VALADE, contrôleur de gestion\n"
    "(thomas.valade@haute-vienne.fr) au web-séminaire « Les CPOM des établissements et services\n"
    "de l'ASE » organisé par votre Institut le jeudi 26 novembre 2026.\n"
    "Soit 2 participants pour un montant de 1 270 €, qui sera mandaté à réception de votre facture.\n"
    "Je vous remercie de bien vouloir adresser la facture à Mme Nathalie FAUCHER, en charge du dossier.\n"
)

CLOSING = """
Je vous prie d'agréer, Madame, Monsieur, l'expression de ma considération distinguée.

Pour le Président du Conseil départemental
et par délégation,
La Directrice de l'Enfance et de la Famille,
Sylvie MARCHAND
"""


def _letter(middle: str = PROSE) -> str:
    return LETTERHEAD + middle + CLOSING


def _understand(catalog: Catalog, body: str, **extra: object) -> Understanding:
    raw = mail(body, subject="Inscription CPOM ASE", sender=SENDER, date=_DATE, **extra)  # type: ignore[arg-type]
    return understand(raw, catalog)


def _word_file(name: str, document: WordDocument) -> tuple[str, str, bytes]:
    """A python-docx document as a mail attaches it."""
    out = io.BytesIO()
    document.save(out)
    return (
        name,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        out.getvalue(),
    )


_DATE = "Tue, 03 Nov 2026 10:31:50 +0100"


def test_a_letter_in_the_body_is_read_in_full_and_waits_for_a_person(catalog: Catalog) -> None:
    u = _understand(catalog, _letter())
    assert (u.kind, u.decision) == (Kind.REGISTRATION, Decision.REVIEW)
    # The letter itself is the only reason: every value was found and passes its checks.
    assert u.reasons == ("letter",)
    assert u.session is not None and (u.session.webinar_id, u.session.date) == (
        "cpom-ase", dt.date(2026, 11, 26),
    )  # fmt: skip
    assert u.organisation is not None
    assert u.organisation.name == "Département de la Haute-Vienne"
    assert u.organisation.address == "11 rue François Chénieux, CS 83112, 87031 Limoges Cedex 1"
    assert u.manager is not None
    assert (u.manager.full_name, u.manager.email, u.manager.service, u.manager.phone) == (
        "Nathalie FAUCHER",
        "nathalie.faucher@haute-vienne.fr",
        "Service tarification et contrôle des établissements",
        "05 55 45 61 20",
    )
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in u.participants] == [
        ("Mme", "Claire", "BESSE", "claire.besse@haute-vienne.fr"),
        ("M.", "Thomas", "VALADE", "thomas.valade@haute-vienne.fr"),
    ]  # Mme FAUCHER, to whom the invoice goes, is named after the request: no participant
    assert (u.declared_count, u.declared_total_eur) == (2, Decimal("1270"))
    assert (u.signed_place, u.signed_date) == ("Limoges", dt.date(2026, 11, 3))
    assert u.signatory == (
        "Pour le Président du Conseil départemental et par délégation, "
        "La Directrice de l'Enfance et de la Famille, Sylvie MARCHAND"
    )
    assert u.letter


def test_a_letter_keeps_the_other_checks(catalog: Catalog) -> None:
    wrong = PROSE.replace("1 270 €", "1 905 €").replace(
        "Soit 2 participants", "Soit 3 participants"
    )
    u = _understand(catalog, _letter(wrong))
    assert {"count_mismatch", "total_mismatch", "letter"} <= set(u.reasons)


def test_a_list_under_the_request_with_a_line_broken_address(catalog: Catalog) -> None:
    listed = (
        "Je vous prie de bien vouloir inscrire les agents suivants au web-séminaire du\n"
        "jeudi 26 novembre 2026 consacré aux CPOM de l'ASE :\n"
        "• Mme Valérie BOISSIÈRE, responsable de l'unité tarification – valerie.boissiere@haute-\n"
        "vienne.fr\n"
        "• M. Benoît SAINT-MARTIN, directeur de l'IME (b.saint-\n"
        "martin@haute-vienne.fr)\n"
        "soit 2 participants.\n"
    )
    u = _understand(catalog, _letter(listed))
    assert [(p.last_name, p.email) for p in u.participants] == [
        ("BOISSIÈRE", "valerie.boissiere@haute-vienne.fr"),
        ("SAINT-MARTIN", "b.saint-martin@haute-vienne.fr"),
    ]
    assert u.reasons == ("letter",)


def test_a_letter_below_a_greeting_with_its_address_in_the_footer(catalog: Catalog) -> None:
    body = (
        "Bonjour,\n\nVeuillez trouver ci-dessous notre courrier.\n\n"
        "Madame, Monsieur,\n\n" + PROSE + CLOSING
        + "\nDépartement de la Corrèze – 9 rue René et Émile Fage – BP 199 – 19005 Tulle Cedex\n"
        "Tél. 05 55 93 70 00 – www.correze.fr\n"
    )  # fmt: skip
    u = _understand(catalog, body)
    assert u.organisation is not None
    assert (u.organisation.name, u.organisation.address) == (
        "Département de la Corrèze", "9 rue René et Émile Fage, BP 199, 19005 Tulle Cedex",
    )  # fmt: skip
    assert u.manager is None or u.manager.full_name is None  # no "Dossier suivi par": not guessed
    assert "missing_field:manager.full_name" in u.reasons


def test_a_letter_attached_as_a_word_file_with_a_table(catalog: Catalog) -> None:
    import docx

    document = docx.Document()
    for line in (LETTERHEAD + "Nous souhaitons inscrire les personnes suivantes :").splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=4)
    for cell, title in zip(
        table.rows[0].cells, ("Nom", "Prénom", "Civilité", "Courriel"), strict=True
    ):
        cell.text = title
    for row in (("IRIGOIN", "Peio", "M.", "p.irigoin@haute-vienne.fr"),
                ("ELISSALDE", "Amaia", "Mme", "a.elissalde@haute-vienne.fr")):  # fmt: skip
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    document.add_paragraph("au web-séminaire « Les CPOM des établissements et services de l'ASE ».")
    for line in CLOSING.splitlines():
        document.add_paragraph(line)
    u = _understand(
        catalog,
        "Bonjour,\n\nCi-joint notre courrier d'inscription.\n\nCordialement,\nNathalie FAUCHER",
        attachments=[_word_file("Courrier IPP.docx", document)],
    )
    assert u.kind is Kind.REGISTRATION and u.reasons == ("letter",)
    assert [(p.civility, p.first_name, p.last_name) for p in u.participants] == [
        ("M.", "Peio", "IRIGOIN"), ("Mme", "Amaia", "ELISSALDE"),
    ]  # fmt: skip
    assert u.organisation is not None and u.organisation.name == "Département de la Haute-Vienne"


@pytest.mark.parametrize(
    "middle",
    [
        # A quote, an agreement, a cancellation: letters about a registration, not one.
        "Avant de procéder à l'inscription de Mme Claire BESSE (claire.besse@haute-vienne.fr), "
        "pourriez-vous nous adresser un devis ?\n",
        "Je vous prie de bien vouloir annuler l'inscription de Mme Claire BESSE "
        "(claire.besse@haute-vienne.fr).\n",
        "Est-il encore possible d'inscrire Mme Claire BESSE (claire.besse@haute-vienne.fr) ?\n",
        # How to register, asked with the name: the registration is still to come.
        "Nous souhaiterions inscrire Mme Claire BESSE (claire.besse@haute-vienne.fr). "
        "Comment devons-nous procéder ? Faut-il remplir un bulletin ?\n",
        # IPP's own brochure, pasted: a registration done, not asked for.
        "La personne ayant procédé à l'inscription recevra la confirmation : Mme Claire BESSE "
        "(claire.besse@haute-vienne.fr).\n",
    ],
)
def test_letters_that_register_nobody_are_not_read_as_registrations(
    catalog: Catalog, middle: str
) -> None:
    assert read_letter(_letter(middle)) is None
    u = _understand(catalog, _letter(middle))
    assert u.kind is not Kind.REGISTRATION and u.decision is not Decision.AUTO


def test_a_letter_naming_nobody_is_no_registration() -> None:
    assert read_letter(_letter("Je souhaite inscrire deux agents de mon service.\n")) is None


def test_a_form_is_still_read_as_a_form(catalog: Catalog) -> None:
    from tests.factories.mails import BODY_FORM

    u = understand(mail(BODY_FORM, date="Mon, 14 Sep 2026 10:31:50 +0200"), catalog)
    assert not u.letter and "letter" not in u.reasons


def test_the_letter_mark_survives_the_queue_and_reads_in_french(catalog: Catalog) -> None:
    from mailbot.staff.reasons import explain
    from mailbot.staff.review import OVERRIDABLE
    from mailbot.templating import Templates

    u = _understand(catalog, _letter())
    assert Understanding.from_dict(u.to_dict()).letter
    text = explain(["letter"], Templates(Path(__file__).parents[2] / "templates"))
    assert "courrier" in text and "bulletin" in text
    assert "letter" in OVERRIDABLE  # approving says the values were checked against it


def test_list_items_without_a_civility_are_read_and_the_civility_is_asked(
    catalog: Catalog,
) -> None:
    listed = (
        "Nous vous prions de bien vouloir inscrire au web-séminaire du jeudi 26 novembre 2026 :\n\n"
        "- Anne-Marie LEROUX, directrice adjointe – am.leroux@haute-vienne.fr\n"
        "- Benjamin CHARRIER, comptable – b.charrier@haute-vienne.fr\n"
        "soit 2 participants pour un montant de 1 270 €.\n"
    )
    u = _understand(catalog, _letter(listed))
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in u.participants] == [
        (None, "Anne-Marie", "LEROUX", "am.leroux@haute-vienne.fr"),
        (None, "Benjamin", "CHARRIER", "b.charrier@haute-vienne.fr"),
    ]
    assert {
        "missing_field:participants[0].civility", "missing_field:participants[1].civility",
    } <= set(u.reasons)  # fmt: skip


@pytest.mark.parametrize(
    "body",
    [
        # A registration named in passing: nothing is asked for it.
        "Bonjour,\n\nNous n'arrivons pas à retrouver la facture correspondant à l'inscription de "
        "Mme Christelle PEYRÉ. Pourriez-vous nous en adresser un duplicata ?\n\n"
        "Salutations distinguées,\n\nVéronique BONNAFOUS\nService comptabilité\n",
        # One more person for a registration made before: a question, as the policy says.
        "Bonjour,\n\nPourriez-vous inscrire également M. Thierry VIDAL "
        "(thierry.vidal@ime.fr) à la journée du 27 novembre ? La facturation peut se faire "
        "comme pour nos deux premières inscriptions.\n\nCordialement,\n",
    ],
)
def test_mails_naming_a_registration_that_are_questions(catalog: Catalog, body: str) -> None:
    assert read_letter(body) is None
    assert _understand(catalog, body).kind is Kind.QUESTION


def test_a_mail_written_freely_is_read_from_its_billing_line_and_signature(
    catalog: Catalog,
) -> None:
    body = (
        "Bonjour,\n\n"
        "Pourriez-vous inscrire au webinaire ASE du jeudi 26 novembre les personnes suivantes :\n\n"
        "Madame Gwenola LE MEUR, directrice adjointe : gwenola.lemeur@genets.bzh\n"
        "Monsieur Yannick KERBRAT, chef de service : y.kerbrat@genets.bzh\n\n"
        "Facturation : Association Les Genêts d'Armor, 22 rue de Kerampont, 22300 Lannion\n\n"
        "Bien cordialement,\n\n"
        "Christelle PASQUIER\nService administratif\nAssociation Les Genêts d'Armor\n"
        "22 rue de Kerampont\n22300 Lannion\nTél : 02 96 48 11 73\nc.pasquier@genets.bzh\n"
    )
    u = _understand(catalog, body)
    assert u.kind is Kind.REGISTRATION and u.letter
    assert u.organisation is not None
    assert (u.organisation.name, u.organisation.address) == (
        "Association Les Genêts d'Armor", "22 rue de Kerampont, 22300 Lannion",
    )  # fmt: skip
    assert u.manager is not None
    assert (u.manager.full_name, u.manager.email, u.manager.service, u.manager.phone) == (
        "Christelle PASQUIER", "c.pasquier@genets.bzh", "Service administratif", "02 96 48 11 73",
    )  # fmt: skip
    assert [p.last_name for p in u.participants] == ["LE MEUR", "KERBRAT"]
    assert "unsigned" in u.reasons  # a mail's sign-off is no signature


def test_a_two_column_letterhead_saved_as_text(catalog: Catalog) -> None:
    head = (
        "CONSEIL DÉPARTEMENTAL DES VOSGES\tDossier suivi par : Jérémy COLIN\n"
        "Direction Enfance Famille\tService Établissements Enfance\n"
        "8 rue de la Préfecture\tTél. 03 29 29 86 41\n"
        "88088 Épinal Cedex 9\tjcolin@vosges.fr\n"
        "Épinal, le 22 octobre 2026\n"
        "Madame, Monsieur,\n"
        "J'ai l'honneur de vous faire connaître que les agents désignés ci-après participeront à\n"
        "la journée d'étude « Les CPOM des établissements et services de l'ASE » :\n"
        "\tMadame Élise THOMAS, inspectrice ASE – elise.thomas@vosges.fr\n"
        "\tMonsieur Arnaud PIERREL, chargé de tarification – arnaud.pierrel@vosges.fr\n"
    )
    u = _understand(catalog, head + CLOSING)
    assert u.kind is Kind.REGISTRATION
    assert u.organisation is not None
    assert (u.organisation.name, u.organisation.address) == (
        "CONSEIL DÉPARTEMENTAL DES VOSGES", "8 rue de la Préfecture, 88088 Épinal Cedex 9",
    )  # fmt: skip
    assert u.manager is not None
    assert (u.manager.full_name, u.manager.email, u.manager.phone) == (
        "Jérémy COLIN", "jcolin@vosges.fr", "03 29 29 86 41",
    )  # fmt: skip
    assert [p.email for p in u.participants] == [
        "elise.thomas@vosges.fr",
        "arnaud.pierrel@vosges.fr",
    ]


def test_a_one_line_letterhead_a_wrapped_billing_line_and_a_confirmed_registration(
    catalog: Catalog,
) -> None:
    letter = (
        "CCAS DE DOLE, Place de l'Europe, BP 89, 39108 Dole Cedex\t"
        "Interlocuteur : Mickaël GIRARDOT, Service d'aide à domicile, Tél. 03 84 79 78 40, "
        "m.girardot@ccas-dole.fr\n\nDole, le 2 novembre 2026\n\nMadame, Monsieur,\n\n"
        "Je vous confirme l'inscription de Madame Aurélie VUILLEMIN (a.vuillemin@ccas-dole.fr) "
        "à la journée du 26 novembre 2026 consacrée aux CPOM de l'ASE.\n"
        "La facture est à adresser à : CCAS de Dole, Hôtel de Ville, 2 place de\n"
        "l'Europe, 39100 Dole.\n"
    )
    u = _understand(catalog, letter + CLOSING)
    assert u.organisation is not None
    assert (u.organisation.name, u.organisation.address) == (
        "CCAS DE DOLE", "Place de l'Europe, BP 89, 39108 Dole Cedex",
    )  # fmt: skip
    assert u.manager is not None
    assert (u.manager.full_name, u.manager.service, u.manager.phone, u.manager.email) == (
        "Mickaël GIRARDOT", "Service d'aide à domicile", "03 84 79 78 40", "m.girardot@ccas-dole.fr",
    )  # fmt: skip
    assert [p.last_name for p in u.participants] == ["VUILLEMIN"]
    # Without the letterhead, the billing line gives the organisation, its lines joined.
    billed = letter.split("\n\n", 1)[1]
    u = _understand(catalog, billed + CLOSING)
    assert u.organisation is not None
    assert (u.organisation.name, u.organisation.address) == (
        "CCAS de Dole", "Hôtel de Ville, 2 place de l'Europe, 39100 Dole",
    )  # fmt: skip


def test_a_signature_on_few_lines_and_a_registration_confirmed_without_addresses(
    catalog: Catalog,
) -> None:
    body = (
        "Bonjour,\n\nJe souhaiterais inscrire Mme Coralie DUFFAU (c.duffau@domi32.fr) à votre "
        "webinaire sur les CPOM de l'ASE du 26 novembre.\n\nCordialement\n\n"
        "Jean-Pierre LABADIE, Président\nDomi'Services Armagnac, 14 rue Gambetta, 32100 Condom\n"
        "05 62 28 07 31 – jp.labadie@domi32.fr\n"
    )
    u = _understand(catalog, body)
    assert u.organisation is not None and u.manager is not None
    assert (u.organisation.name, u.organisation.address) == (
        "Domi'Services Armagnac", "14 rue Gambetta, 32100 Condom",
    )  # fmt: skip
    assert (u.manager.full_name, u.manager.phone, u.manager.email) == (
        "Jean-Pierre LABADIE", "05 62 28 07 31", "jp.labadie@domi32.fr",
    )  # fmt: skip
    # "je vous confirme l'inscription de Mme X" registers only with the people's addresses.
    assert read_letter("Je vous confirme l'inscription de Mme Anne ROUX au webinaire.") is None


def test_the_right_column_goes_on_under_the_left_one_and_a_footer_starts_with_the_building(
    catalog: Catalog,
) -> None:
    letter = (
        "CONSEIL DÉPARTEMENTAL DE LA CORRÈZE\tDossier suivi par : Nadège COSTES\n"
        "Direction de l'Enfance et de la Famille\tService : Tarification des établissements\n"
        "Tél. : 05 55 93 71 20\nCourriel : nadege.costes@correze.fr\nRéf. : DEF/TAR/2026-214\n"
        "Tulle, le 5 octobre 2026\nMadame, Monsieur,\n"
        "J'ai l'honneur de vous faire part de l'inscription de Madame Sophie DELMAS\n"
        "(sophie.delmas@correze.fr) à la journée d'étude sur les CPOM de l'ASE du 26 novembre 2026.\n"
        "Le montant, soit 635 euros (1 x 635 €), sera réglé par mandat. Un bon de commande vous\n"
        "sera transmis par notre service financier.\n"
        + CLOSING
        + "Hôtel du Département – 12 rue de l'Alverge – BP 199 – 19005 Tulle Cedex\n"
    )
    u = _understand(catalog, letter)
    assert u.kind is Kind.REGISTRATION and u.reasons == ("letter",)
    assert u.organisation is not None and u.manager is not None
    assert (u.organisation.name, u.organisation.address) == (
        "CONSEIL DÉPARTEMENTAL DE LA CORRÈZE",
        "Hôtel du Département, 12 rue de l'Alverge, BP 199, 19005 Tulle Cedex",
    )
    assert (u.manager.service, u.manager.phone, u.manager.email) == (
        "Tarification des établissements", "05 55 93 71 20", "nadege.costes@correze.fr",
    )  # fmt: skip
    assert (u.declared_count, u.declared_total_eur) == (1, Decimal("635"))


def test_an_attached_letter_cancelling_is_a_question_not_a_form_left_unread(
    catalog: Catalog,
) -> None:
    import docx

    document = docx.Document()
    cancelling = (
        "Je vous prie de bien vouloir annuler l'inscription de Mme Claire BESSE "
        "(claire.besse@haute-vienne.fr) et la facture correspondante.\n"
    )
    for line in _letter(cancelling).splitlines():
        document.add_paragraph(line)
    u = _understand(
        catalog,
        "Bonjour,\n\nVeuillez trouver ci-joint notre courrier concernant l'inscription.\n",
        attachments=[_word_file("Courrier.docx", document)],
    )
    assert (u.kind, u.reasons) == (Kind.QUESTION, ("question",))


def test_addresses_written_apart_go_to_the_names_they_spell(catalog: Catalog) -> None:
    apart = (
        "Nous inscrivons donc Mme Karine DELAGE et Mme Fatima OUALI à la journée du jeudi\n"
        "26 novembre 2026 sur les CPOM de l'ASE.\n"
        "Leurs adresses : f.ouali@haute-vienne.fr et k.delage@haute-vienne.fr\n"
    )
    u = _understand(catalog, _letter(apart))
    assert [(p.last_name, p.email) for p in u.participants] == [
        ("DELAGE", "k.delage@haute-vienne.fr"),
        ("OUALI", "f.ouali@haute-vienne.fr"),
    ]
    # An address that spells nobody's name is given to nobody.
    u = _understand(catalog, _letter(apart.replace("k.delage@", "secretariat@")))
    assert [p.email for p in u.participants] == [None, "f.ouali@haute-vienne.fr"]


def test_a_list_announced_after_the_request_sentence() -> None:
    # The sentence that registers ends on its own line; the next one announces the list.
    middle = (
        "Nous avons l'honneur de vous faire part de l'inscription de nos agents au web-séminaire\n"
        "« Les CPOM des établissements et services de l'ASE » du jeudi 26 novembre 2026.\n"
        "Les agents inscrits sont :\n"
        "• Mme Claire BESSE, cheffe de service – claire.besse@haute-vienne.fr\n"
        "• M. Thomas VALADE, contrôleur de gestion – thomas.valade@haute-vienne.fr\n"
    )
    form = read_letter(_letter(middle))
    assert form is not None
    assert [p.email for p in form.participants] == [
        "claire.besse@haute-vienne.fr", "thomas.valade@haute-vienne.fr"
    ]  # fmt: skip
    # A label closing a line is no list of people: the manager under it stays out.
    other = middle.replace("Les agents inscrits sont :", "Gestionnaire :")
    found = read_letter(_letter(other))
    assert found is None or not found.participants
