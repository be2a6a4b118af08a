"""A form whose cells come one per line: a Word table saved as text, an HTML form
turned into plain text by a mail client."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.model import Decision
from tests.factories.mails import BODY_FORM, mail

STACKED = """Institut de la Performance Publique
Web-séminaire « Les CPOM des établissements et services de l'ASE »
jeudi 26 novembre 2026 de 9h30 à 17h00
Organisme-client
Dénomination
Association Les Genêts d'Or
Adresse postale
Lieu-dit Kerlann
29200 Brest
Gestionnaire de l'inscription
Adresse e-mail
laborde.pierre@genetsdor-asso.fr
Prénom et NOM
Pierre LABORDE
Service
Service RH
Téléphone
06.46.39.95.34
Participants
Civilité
Prénom
NOM
Adresse e-mail de connexion
Mme
Véronique
SIMON
vsimon@genetsdor-asso.fr
M.
Paul
DUBOIS
paul.dubois@genetsdor-asso.fr
Montant net total des frais d'inscription = nombre de participants (2) x 635 euros = 1270 euros
Fait à : Brest
Le : 20/09/2026
Par (nom du signataire) : Frédéric DE LA FONTAINE
"""


def _attached(text: str) -> bytes:
    return mail("Bonjour,\nci-joint notre bulletin d'inscription.\nCordialement",
                attachments=[("bulletin.txt", "text/plain", text.encode())])  # fmt: skip


def test_a_form_saved_as_text_is_read_cell_by_cell(catalog: Catalog) -> None:
    u = understand(_attached(STACKED), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.organisation is not None and u.manager is not None
    assert (u.organisation.name, u.organisation.address) == (
        "Association Les Genêts d'Or",
        "Lieu-dit Kerlann, 29200 Brest",
    )
    # "Service RH" under "Service" is the value, not the label written again.
    assert (u.manager.full_name, u.manager.email, u.manager.service, u.manager.phone) == (
        "Pierre LABORDE",
        "laborde.pierre@genetsdor-asso.fr",
        "Service RH",
        "06.46.39.95.34",
    )
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in u.participants] == [
        ("Mme", "Véronique", "SIMON", "vsimon@genetsdor-asso.fr"),
        ("M.", "Paul", "DUBOIS", "paul.dubois@genetsdor-asso.fr"),
    ]
    assert u.declared_total_eur == Decimal("1270")


def test_a_value_holding_a_known_label_and_a_dash_is_the_value(catalog: Catalog) -> None:
    # "Siège" names the address elsewhere; under "Service" it opens the service's name.
    text = STACKED.replace("Service\nService RH", "Service\nSiège - Contrôle de gestion")
    u = understand(_attached(text), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.manager is not None and u.organisation is not None
    assert u.manager.service == "Siège - Contrôle de gestion"
    assert u.organisation.address == "Lieu-dit Kerlann, 29200 Brest"


@pytest.mark.parametrize("gap", ["\n", ""])  # the blank cell kept as an empty line, or lost
def test_a_blank_participant_cell_leaves_an_incomplete_participant(
    catalog: Catalog, gap: str
) -> None:
    text = STACKED.replace("paul.dubois@genetsdor-asso.fr\n", gap)
    u = understand(_attached(text), catalog)
    assert u.decision is Decision.REVIEW
    assert "missing_field:participants[1].email" in u.reasons
    assert [p.last_name for p in u.participants] == ["SIMON", "DUBOIS"]


def test_a_blank_field_with_its_colon_takes_nothing_from_the_next_line(
    catalog: Catalog,
) -> None:
    # "Par :" left blank, then the mail's closing: no signatory.
    body = BODY_FORM.replace("Par : La Directrice générale, Anne ROUX", "Par :")
    u = understand(mail(body), catalog)
    assert u.signatory is None
    assert u.reasons == ("unsigned",)


def test_one_blank_label_alone_does_not_take_the_next_heading(catalog: Catalog) -> None:
    text = STACKED.replace("Association Les Genêts d'Or\n", "").replace(
        "Dénomination\nAdresse postale\nLieu-dit Kerlann\n29200 Brest\n",
        "Dénomination\nAdresse postale : Lieu-dit Kerlann, 29200 Brest\n",
    )
    u = understand(_attached(text), catalog)
    assert u.organisation is not None and u.organisation.name is None
    assert "missing_field:organisation.name" in u.reasons


_TABLE = """Participants
Civilité
Prénom
NOM
Adresse e-mail de connexion
Mme
Véronique
SIMON
vsimon@genetsdor-asso.fr
M.
Paul
DUBOIS
paul.dubois@genetsdor-asso.fr
"""


def test_each_participant_as_unlabelled_lines_under_its_own_heading(catalog: Catalog) -> None:
    blocks = (
        "Participant 1\nMme\nVéronique\nSIMON\nvsimon@genetsdor-asso.fr\n"
        "Participant 2\nM.\nPaul DUBOIS\npaul.dubois@genetsdor-asso.fr\n"
    )
    u = understand(_attached(STACKED.replace(_TABLE, blocks)), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in u.participants] == [
        ("Mme", "Véronique", "SIMON", "vsimon@genetsdor-asso.fr"),
        ("M.", "Paul", "DUBOIS", "paul.dubois@genetsdor-asso.fr"),
    ]


def test_a_participant_block_without_its_address_is_not_joined(catalog: Catalog) -> None:
    blocks = (
        "Participant 1\nMme\nVéronique\nSIMON\nvsimon@genetsdor-asso.fr\n"
        "Participant 2\nM.\nPaul\nDUBOIS\n"
    )
    u = understand(_attached(STACKED.replace(_TABLE, blocks)), catalog)
    assert u.decision is Decision.REVIEW
    assert [p.email for p in u.participants][:1] == ["vsimon@genetsdor-asso.fr"]
    assert "paul.dubois@genetsdor-asso.fr" not in [p.email for p in u.participants]


_BELOW = """Organisme-client
Dénomination
Association Les Genêts d'Or
Adresse postale
Lieu-dit Kerlann
29200 Brest
Gestionnaire de l'inscription
Adresse e-mail
laborde.pierre@genetsdor-asso.fr
Prénom et NOM
Pierre LABORDE
Service
Service RH
Téléphone
06.46.39.95.34
"""
# Word text boxes anchored value first: each value comes out above its label.
_ABOVE = """Organisme-client
Association Les Genêts d'Or
Dénomination
Lieu-dit Kerlann
29200 Brest
Adresse postale
Gestionnaire de l'inscription
laborde.pierre@genetsdor-asso.fr
Adresse e-mail
Pierre LABORDE
Prénom et NOM
Service RH
Service
06.46.39.95.34
Téléphone
"""


def test_values_above_their_labels_go_to_the_label_under_them(catalog: Catalog) -> None:
    u = understand(_attached(STACKED.replace(_BELOW, _ABOVE)), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.organisation is not None and u.manager is not None
    assert (u.organisation.name, u.organisation.address) == (
        "Association Les Genêts d'Or",
        "Lieu-dit Kerlann, 29200 Brest",
    )
    assert (u.manager.full_name, u.manager.email, u.manager.service, u.manager.phone) == (
        "Pierre LABORDE",
        "laborde.pierre@genetsdor-asso.fr",
        "Service RH",
        "06.46.39.95.34",
    )


def test_one_value_above_its_label_is_no_layout(catalog: Catalog) -> None:
    # The phone typed above its label, everything else under: only one value says
    # "above", the e-mail and the address say "below", so nothing moves.
    text = STACKED.replace("Téléphone\n06.46.39.95.34\n", "06.46.39.95.34\nTéléphone\n")
    u = understand(_attached(text), catalog)
    assert u.organisation is not None and u.manager is not None
    assert u.organisation.name == "Association Les Genêts d'Or"
    assert (u.manager.full_name, u.manager.email, u.manager.service) == (
        "Pierre LABORDE",
        "laborde.pierre@genetsdor-asso.fr",
        "Service RH",
    )
    assert u.manager.phone is None and u.decision is Decision.REVIEW


def test_an_online_form_s_question_per_participant_detail(catalog: Catalog) -> None:
    # A Google Forms receipt: "Participant 1 - Civilité" over "Mme", and so on.
    answers = "".join(
        f"Participant {n} - {label}\n{value}\n\n"
        for n, person in ((1, ("Mme", "Véronique", "SIMON", "vsimon@genetsdor-asso.fr")),
                          (2, ("M.", "Paul", "DUBOIS", "paul.dubois@genetsdor-asso.fr")))
        for label, value in zip(("Civilité", "Prénom", "NOM", "Adresse e-mail de connexion"),
                                person, strict=True)
    )  # fmt: skip
    u = understand(_attached(STACKED.replace(_TABLE, answers)), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in u.participants] == [
        ("Mme", "Véronique", "SIMON", "vsimon@genetsdor-asso.fr"),
        ("M.", "Paul", "DUBOIS", "paul.dubois@genetsdor-asso.fr"),
    ]


_JOTFORM_ROWS = (
    ("Webinar", "Les CPOM des établissements et services de l'ASE – Thursday 26 November 2026"),
    ("Organisation name", "Association Les Genêts d'Or"),
    ("Street address", "12 rue des Lilas"),
    ("Postal code", "29200"),
    ("City", "Brest"),
    ("Registration manager – Full name", "Véronique SIMON"),
    ("Registration manager – Email", "vsimon@genetsdor-asso.fr"),
    ("Registration manager – Department", "Service RH"),
    ("Registration manager – Phone number", "02 98 00 11 22"),
    ("Participant 1 – Title", "Mrs"),
    ("Participant 1 – Name", "Véronique SIMON"),
    ("Participant 1 – Email", "vsimon@genetsdor-asso.fr"),
    ("Participant 2 – Title", "Mr"),
    ("Participant 2 – Name", "Paul DUBOIS"),
    ("Participant 2 – Email", "paul.dubois@genetsdor-asso.fr"),
    ("Number of participants", "2"),
    ("Total (€)", "1,270.00"),
    ("Place of signature", "Brest"),
    ("Date of signature", "Sep 10, 2026"),
    ("Signatory", "Yves LE GALL"),
)


def _expect_the_jotform_answers(u) -> None:  # type: ignore[no-untyped-def]
    assert u.decision is Decision.AUTO, u.reasons
    assert (u.organisation.name, u.organisation.address) == (
        "Association Les Genêts d'Or",
        "12 rue des Lilas, 29200 Brest",
    )
    assert (u.manager.full_name, u.manager.email, u.manager.service, u.manager.phone) == (
        "Véronique SIMON",
        "vsimon@genetsdor-asso.fr",
        "Service RH",
        "02 98 00 11 22",
    )
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in u.participants] == [
        ("Mme", "Véronique", "SIMON", "vsimon@genetsdor-asso.fr"),
        ("M.", "Paul", "DUBOIS", "paul.dubois@genetsdor-asso.fr"),
    ]
    assert (u.signed_place, str(u.signed_date), u.signatory) == (
        "Brest",
        "2026-09-10",
        "Yves LE GALL",
    )


def test_an_online_form_s_english_answers_in_an_html_table(catalog: Catalog) -> None:
    # A Jotform notification: one table row per question, the participant's number in it.
    rows = "".join(f"<tr><td>{q}</td><td>{a}</td></tr>" for q, a in _JOTFORM_ROWS)
    html = f"<p>IPP webinar registration</p><table>{rows}</table>"
    u = understand(mail("", html=html, subject="New submission: IPP webinar registration",
                        sender="Jotform <noreply@jotform.com>"), catalog)  # fmt: skip
    _expect_the_jotform_answers(u)


def test_an_online_form_s_english_answers_as_text_lines(catalog: Catalog) -> None:
    body = "".join(f"{q}: {a}\n" for q, a in _JOTFORM_ROWS)
    u = understand(mail(body, subject="New submission: IPP webinar registration",
                        sender="Jotform <noreply@jotform.com>"), catalog)  # fmt: skip
    _expect_the_jotform_answers(u)


def test_a_date_alone_over_its_answer_after_the_amounts_is_the_signature_s(
    catalog: Catalog,
) -> None:
    # A Typeform notification: each question on its line, the answer on the next.
    body = (
        "\n".join(f"{q}\n{a}\n" for q, a in _JOTFORM_ROWS if not q.startswith(("Date", "Place")))
        + "\nPlace\nBrest\n\nDate\n2026-09-10\n"
    )
    u = understand(mail(body, subject="New response: IPP webinar registration",
                        sender="Typeform <notifications@typeform.io>"), catalog)  # fmt: skip
    _expect_the_jotform_answers(u)


@pytest.mark.parametrize(
    ("lines", "address"),
    [
        ("Adresse : 1 esplanade Charles de Gaulle\nCode postal : 33074\nVille : Bordeaux Cedex",
         "1 esplanade Charles de Gaulle, 33074 Bordeaux Cedex"),
        # The street line already ends on its town: the parts asked again add nothing.
        ("Adresse : 1 esplanade Charles de Gaulle, 33074 Bordeaux Cedex\nCP : 33074\n"
         "Ville : Bordeaux Cedex", "1 esplanade Charles de Gaulle, 33074 Bordeaux Cedex"),
    ],
)  # fmt: skip
def test_an_address_asked_in_parts_is_one_address(
    catalog: Catalog, lines: str, address: str
) -> None:
    body = BODY_FORM.replace(
        "Adresse postale : 1 esplanade Charles de Gaulle\n                  CS 71223\n"
        "                  33074 Bordeaux Cedex",
        lines,
    )
    u = understand(mail(body), catalog)
    assert u.organisation.address == address
    assert u.decision is Decision.AUTO, u.reasons


def test_a_postcode_and_town_without_a_street_leave_the_address_missing(
    catalog: Catalog,
) -> None:
    body = BODY_FORM.replace(
        "Adresse postale : 1 esplanade Charles de Gaulle\n                  CS 71223\n"
        "                  33074 Bordeaux Cedex",
        "Code postal : 33074\nVille : Bordeaux Cedex",
    )
    u = understand(mail(body), catalog)
    assert u.organisation.address is None
    assert "missing_field:organisation.address" in u.reasons


_ENGLISH_MAIL = """Dear IPP team,

Please find below our registration for the webinar "Les CPOM des établissements et services
de l'ASE" on Thursday 26 November 2026. We would like two of our staff to attend.

Organisation: Association Les Genêts d'Or
Billing address: 12 rue des Lilas, 29200 Brest

Contact person: Véronique SIMON
Email: vsimon@genetsdor-asso.fr
Department: Service RH
Phone: 02 98 00 11 22

Attendees:
1. Ms Claire MOREAU - c.moreau@genetsdor-asso.fr
2. Mr Paul DUBOIS - p.dubois@genetsdor-asso.fr

Number of attendees: 2
Total amount: €1,270

Place: Brest
Date: {date}
Signed by: Yves LE GALL, Director

Thank you for your confirmation and the invoice.

Kind regards,
Véronique Simon
"""


@pytest.mark.parametrize(
    ("date", "signed"),
    [("2nd September 2026", "2026-09-02"), ("14/09/2026", "2026-09-14"), ("09/10/2026", None)],
)
def test_an_english_mail_s_registration_and_its_ambiguous_date(
    catalog: Catalog, date: str, signed: str | None
) -> None:
    # 09/10/2026 from an English writer: 9 October, or September 10? Nobody can tell.
    u = understand(mail(_ENGLISH_MAIL.format(date=date), date="Mon, 12 Oct 2026 10:31:50 +0200"),
                   catalog)  # fmt: skip
    assert (u.organisation.address, u.declared_total_eur) == ("12 rue des Lilas, 29200 Brest", 1270)
    assert [p.civility for p in u.participants] == ["Mme", "M."]
    assert (str(u.signed_date) if u.signed_date else None) == signed
    assert (u.decision is Decision.AUTO) is (signed is not None), u.reasons


def test_a_french_mail_s_numeric_date_is_day_first() -> None:
    from mailbot.understanding.dates import either_order, written_in_english

    assert either_order("09/10/2026") and not either_order("14/09/2026")
    assert written_in_english(_ENGLISH_MAIL)
    assert not written_in_english(BODY_FORM)


def test_an_online_form_asking_the_respondent_about_themselves(catalog: Catalog) -> None:
    # A Typeform forwarded by its respondent: "Your …" questions are the manager's, each
    # answer under its question; "Attendee 1:" over one line per participant.
    body = (
        "Which training are you registering for?\nLes CPOM des établissements et services de "
        "l'ASE\n\nWhich session would you like to attend?\nThursday 26 November 2026\n\n"
        "Organisation\nAssociation Les Genêts d'Or\n\nBilling address\n12 rue des Lilas, 29200 "
        "Brest\n\nYour first name and last name\nVéronique SIMON\n\nYour email\n"
        "vsimon@genetsdor-asso.fr\n\nYour department\nDirection / Qualité\n\nYour phone number\n"
        "02 98 00 11 22\n\nAttendee 1:\nMrs Claire MOREAU - c.moreau@genetsdor-asso.fr\n\n"
        "Attendee 2:\nMr Paul DUBOIS - p.dubois@genetsdor-asso.fr\n\nNumber of attendees\n2\n\n"
        "Total amount (EUR)\n1270\n\nPlace\nBrest\n\nDate\n2026-09-14\n\nSigned by\nYves LE GALL\n"
    )
    u = understand(mail(body, subject="New response to Training registrations",
                        sender="Typeform <notifications@typeform.com>"), catalog)  # fmt: skip
    assert u.decision is Decision.AUTO, u.reasons
    assert (u.manager.full_name, u.manager.email, u.manager.service, u.manager.phone) == (
        "Véronique SIMON",
        "vsimon@genetsdor-asso.fr",
        "Direction / Qualité",
        "02 98 00 11 22",
    )
    assert [(p.civility, p.last_name) for p in u.participants] == [
        ("Mme", "MOREAU"),
        ("M.", "DUBOIS"),
    ]


@pytest.mark.parametrize(
    "signing",
    [
        "Place and date: Brest, 14.09.2026\nSigned by: Yves LE GALL, Director",
        "Signed at: Brest\nOn: 14/09/2026\nSigned by: Yves LE GALL, Director",
    ],
)
def test_an_english_signing_block_s_place_and_date(catalog: Catalog, signing: str) -> None:
    body = _ENGLISH_MAIL.replace(
        "Place: Brest\nDate: {date}\nSigned by: Yves LE GALL, Director", signing
    )
    u = understand(mail(body, date="Mon, 14 Sep 2026 10:31:50 +0200"), catalog)
    assert (u.signed_place, str(u.signed_date)) == ("Brest", "2026-09-14")
    assert u.decision is Decision.AUTO, u.reasons


@pytest.mark.parametrize(
    ("organisation", "manager"),
    [
        ("ORGANISATION\nName: Association Les Genêts d'Or\nAddress: 12 rue des Lilas, 29200 Brest",
         "REGISTRATION MANAGER\nName: Véronique SIMON"),
        ("Name of organisation: Association Les Genêts d'Or\nAddress: 12 rue des Lilas, 29200 Brest",
         "Person in charge of the registration: Véronique SIMON"),
        ("Company: Association Les Genêts d'Or\nAddress: 12 rue des Lilas, 29200 Brest",
         "Registration contact: Véronique SIMON"),
    ],
)  # fmt: skip
def test_english_headings_and_labels_for_the_organisation_and_its_manager(
    catalog: Catalog, organisation: str, manager: str
) -> None:
    body = (
        _ENGLISH_MAIL.format(date="14/09/2026 ")
        .replace("Organisation: Association Les Genêts d'Or\nBilling address: 12 rue des Lilas, "
                 "29200 Brest", organisation)
        .replace("Contact person: Véronique SIMON", manager)
        .replace("Date: 14/09/2026 ", "Date: 2026-09-14")
    )  # fmt: skip
    u = understand(mail(body, date="Mon, 14 Sep 2026 10:31:50 +0200"), catalog)
    assert (u.organisation.name, u.organisation.address) == (
        "Association Les Genêts d'Or",
        "12 rue des Lilas, 29200 Brest",
    )
    assert (u.manager.full_name, u.manager.email) == ("Véronique SIMON", "vsimon@genetsdor-asso.fr")
    assert u.decision is Decision.AUTO, u.reasons


def test_a_google_forms_receipt_whose_questions_name_their_owner_after_a_dash(
    catalog: Catalog,
) -> None:
    # "Registration contact - Full name" over its answer: one question, not "Registration
    # contact" answered "Full name".
    body = (
        "Thanks for filling out IPP webinar registration\nHere's what was received.\n\n"
        "Webinar\nLes CPOM des établissements et services de l'ASE\n\n"
        "Session\njeudi 26 novembre 2026\n\nOrganisation name\nAssociation Les Genêts d'Or\n\n"
        "Postal address\n12 rue des Lilas, 29200 Brest\n\n"
        "Registration contact - Full name\nVéronique SIMON\n\n"
        "Registration contact - Email\nvsimon@genetsdor-asso.fr\n\n"
        "Registration contact - Department\nService RH\n\n"
        "Registration contact - Phone\n02 98 00 11 22\n\n"
        "Participant 1 - Title\nMrs\n\nParticipant 1 - Name\nClaire MOREAU\n\n"
        "Participant 1 - Email\nc.moreau@genetsdor-asso.fr\n\n"
        "Number of participants\n1\n\nTotal amount (EUR)\n635\n\n"
        "Place\nBrest\n\nDate\n2026-09-14\n\nSigned by\nYves LE GALL\n"
    )
    u = understand(mail(body, subject="IPP webinar registration",
                        sender="Google Forms <forms-receipts-noreply@google.com>"), catalog)  # fmt: skip
    assert (u.manager.full_name, u.manager.email, u.manager.service, u.manager.phone) == (
        "Véronique SIMON",
        "vsimon@genetsdor-asso.fr",
        "Service RH",
        "02 98 00 11 22",
    )
    assert u.decision is Decision.AUTO, u.reasons


def test_an_address_line_set_above_its_label_s_row_is_not_dropped_unseen(
    catalog: Catalog,
) -> None:
    # A PDF's cell centred on three lines: its first line comes out above the label's row,
    # between two labelled rows, and no reading takes it.
    text = (
        "Web-séminaire « Les CPOM des établissements et services de l'ASE »\n"
        "jeudi 26 novembre 2026 de 9h30 à 17h00\n"
        "Organisme-client\n"
        "Dénomination\tAssociation Les Genêts d'Or\n"
        "Zone artisanale de Kergaradec\n"
        "Adresse postale\t12 rue Jules Verne\n"
        "29200 Brest\n"
        "Gestionnaire de l'inscription\n"
        "Adresse e-mail\tlaborde.pierre@genetsdor-asso.fr\n"
        "Prénom et NOM\tPierre LABORDE\n"
        "Participants\n"
        "Civilité\tPrénom\tNOM\tAdresse e-mail de connexion\n"
        "Mme\tVéronique\tSIMON\tvsimon@genetsdor-asso.fr\n"
        "Montant net total des frais d'inscription = nombre de participants (1) x 635 euros"
        " = 635 euros\n"
        "Fait à\tBrest\nLe\t20/09/2026\nPar (nom du signataire)\tPierre LABORDE\n"
    )
    u = understand(_attached(text), catalog)
    assert u.organisation is not None
    assert u.organisation.address == "12 rue Jules Verne, 29200 Brest"
    assert u.reasons == ("uncertain:organisation.address",)
    # Without that line, the same form is confirmed.
    clean = understand(_attached(text.replace("Zone artisanale de Kergaradec\n", "")), catalog)
    assert clean.decision is Decision.AUTO, clean.reasons
    # A narrow column wrapped "DESCHAMPS-LAFARGE" mid-word, its lines joined by a space.
    wrapped = text.replace("Zone artisanale de Kergaradec\n", "").replace(
        "SIMON\tvsimon@", "DESCHAMP S-LAFARGE\tv.deschamps-lafarge@"
    )
    assert understand(_attached(wrapped), catalog).reasons == (
        "uncertain:participants[0].last_name",
    )
    # A building's name there is the address's first line as much.
    building = text.replace("Zone artisanale de Kergaradec", "Hôtel du Département")
    assert understand(_attached(building), catalog).reasons == ("uncertain:organisation.address",)


# The form typed into a mail with each label's colon kept, its value on the line below.
COLONS_OVER_VALUES = """Bonjour,

Faute de pouvoir imprimer le bulletin, je vous le recopie ci-dessous.

WEB-SÉMINAIRE :
Les CPOM des établissements et services de l'ASE
SESSION :
jeudi 26 novembre 2026

ORGANISME-CLIENT
Dénomination :
Association Familles Rurales - Service d'Aide à Domicile
Adresse postale :
2 rue des Écoles, 52200 Langres

GESTIONNAIRE DE L'INSCRIPTION
Adresse e-mail :
odile.ferrand@famillesrurales52.org
Prénom et NOM :
Odile FERRAND
Service :
Présidence
Téléphone :
03 25 87 61 09

PARTICIPANTS
Mme Christelle MOUGINOT c.mouginot@famillesrurales52.org

Montant net total :
1 participant x 635 euros = 635 €

Fait à :
Langres
Le :
4 novembre 2026
Par (nom du signataire) :
La Présidente, Odile FERRAND
"""


def test_labels_with_their_colon_over_their_values(catalog: Catalog) -> None:
    u = understand(mail(COLONS_OVER_VALUES, date="Wed, 04 Nov 2026 18:27:49 +0100"), catalog)
    assert u.organisation is not None and u.manager is not None
    assert u.organisation.name == "Association Familles Rurales - Service d'Aide à Domicile"
    assert (u.manager.email, u.manager.full_name, u.manager.service, u.manager.phone) == (
        "odile.ferrand@famillesrurales52.org",
        "Odile FERRAND",
        "Présidence",
        "03 25 87 61 09",
    )
    assert (u.signed_place, u.signed_date) == ("Langres", dt.date(2026, 11, 4))
    assert u.decision is Decision.AUTO, u.reasons


def test_a_blank_colon_label_over_the_next_label_stays_blank(catalog: Catalog) -> None:
    # "Service :" left blank over "Téléphone :": the next label is no service.
    text = COLONS_OVER_VALUES.replace("Service :\nPrésidence\n", "Service :\n")
    u = understand(mail(text, date="Wed, 04 Nov 2026 18:27:49 +0100"), catalog)
    assert u.manager is not None and u.manager.service is None
    assert u.manager.phone == "03 25 87 61 09"
