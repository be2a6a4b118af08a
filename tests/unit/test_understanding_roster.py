"""An export with one row per participant and the organisation's columns repeated (a CRM's,
an HR tool's): the rows give the people and the organisation, the mail around it the count,
the total and who signs."""

from __future__ import annotations

import io

import openpyxl
import pytest

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.model import Decision
from mailbot.understanding.roster import roster_header
from tests.factories.mails import mail

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NOTE = """Bonjour,

Vous trouverez ci-joint l'export de notre outil avec les participants au webinaire
« Les CPOM des établissements et services de l'ASE » du jeudi 26 novembre 2026.

Nombre de participants : 2
Montant total : 2 x 635 € = 1 270 €
Fait à Brest, le 14/09/2026
Par : Yves LE GALL, directeur général

Cordialement,
Véronique SIMON
"""

HEADER = ("Raison sociale", "Adresse", "Complément adresse", "Code postal", "Ville",
          "Gestionnaire", "Email gestionnaire", "Téléphone", "Service", "Civilité", "Prénom",
          "Nom", "Email participant", "Fonction")  # fmt: skip
ORGANISATION = ("Association Les Genêts d'Or", "12 rue des Lilas", "BP 40", "29200", "Brest",
                "Véronique SIMON", "vsimon@genetsdor-asso.fr", "02 98 00 11 22", "Service RH")  # fmt: skip
PEOPLE = (("Mme", "Claire", "MOREAU", "c.moreau@genetsdor-asso.fr", "Éducatrice"),
          ("M.", "Paul", "DUBOIS", "p.dubois@genetsdor-asso.fr", "Chef de service"))  # fmt: skip


def _csv(rows: list[tuple[str, ...]]) -> bytes:
    return "\r\n".join(";".join(row) for row in rows).encode("cp1252")


def _registration(name: str, content_type: str, data: bytes, catalog: Catalog, note: str = NOTE):  # type: ignore[no-untyped-def]
    raw = mail(note, subject="Inscription webinaire CPOM ASE",
               sender="Véronique SIMON <vsimon@genetsdor-asso.fr>", date="Mon, 14 Sep 2026 10:31:50 +0200",
               attachments=[(name, content_type, data)])  # fmt: skip
    return understand(raw, catalog)


def _expect_the_export(u) -> None:  # type: ignore[no-untyped-def]
    assert u.decision is Decision.AUTO, u.reasons
    assert (u.organisation.name, u.organisation.address) == (
        "Association Les Genêts d'Or",
        "12 rue des Lilas, BP 40, 29200 Brest",
    )
    assert (u.manager.full_name, u.manager.email, u.manager.phone, u.manager.service) == (
        "Véronique SIMON",
        "vsimon@genetsdor-asso.fr",
        "02 98 00 11 22",
        "Service RH",
    )
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in u.participants] == [
        (c, f, n, e) for c, f, n, e, _ in PEOPLE
    ]
    assert (u.declared_count, u.declared_total_eur) == (2, 1270)
    assert (u.signed_place, str(u.signed_date), u.signatory) == (
        "Brest",
        "2026-09-14",
        "Yves LE GALL, directeur général",
    )
    assert u.session is not None and str(u.session.date) == "2026-11-26"


def test_a_crm_export_in_csv_with_the_mail_around_it(catalog: Catalog) -> None:
    rows = [HEADER, *((*ORGANISATION, *person) for person in PEOPLE)]
    _expect_the_export(_registration("export_crm.csv", "text/csv", _csv(rows), catalog))


def test_an_hr_export_in_xlsx_with_a_total_row_under_it(catalog: Catalog) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Matricule", *HEADER])
    for number, person in enumerate(PEOPLE):
        sheet.append([f"A{number:04d}", *ORGANISATION, *person])
    sheet.append(["TOTAL", *[""] * (len(HEADER) - 1), 1270])
    out = io.BytesIO()
    book.save(out)
    _expect_the_export(_registration("export_rh.xlsx", XLSX, out.getvalue(), catalog))


def test_an_organisation_that_differs_between_rows_is_left_for_a_person(
    catalog: Catalog,
) -> None:
    other = ("Association Kerlann", *ORGANISATION[1:])
    rows = [HEADER, (*ORGANISATION, *PEOPLE[0]), (*other, *PEOPLE[1])]
    u = _registration("export.csv", "text/csv", _csv(rows), catalog)
    assert u.decision is Decision.REVIEW
    assert u.organisation.name is None
    assert "missing_field:organisation.name" in u.reasons


def test_an_export_without_a_word_of_who_signs_is_unsigned(catalog: Catalog) -> None:
    rows = [HEADER, *((*ORGANISATION, *person) for person in PEOPLE)]
    note = NOTE.split("Fait à", maxsplit=1)[0]
    u = _registration("export.csv", "text/csv", _csv(rows), catalog, note=note)
    assert u.decision is Decision.REVIEW and "unsigned" in u.reasons


@pytest.mark.parametrize(
    "header",
    [
        # The form's own list, and one naming each participant's establishment: no roster.
        ("Civilité", "Prénom", "NOM", "Adresse e-mail de connexion"),
        ("Civilité", "Prénom", "NOM", "Adresse e-mail", "Établissement"),
    ],
)
def test_a_participants_table_is_no_roster(header: tuple[str, ...]) -> None:
    assert roster_header(header) is None


def test_an_english_crm_export_with_a_job_title_beside_the_salutation(catalog: Catalog) -> None:
    header = ("Salutation", "First Name", "Last Name", "Title", "Email", "Account Name",
              "Billing Street", "Billing Zip/Postal Code", "Billing City", "Registration Manager",
              "Manager Email", "Manager Phone", "Manager Department")  # fmt: skip
    account = ("Association Les Genêts d'Or", "12 rue des Lilas", "29200", "Brest",
               "Véronique SIMON", "vsimon@genetsdor-asso.fr", "02 98 00 11 22", "Service RH")  # fmt: skip
    rows = [header, *((c, f, n, job, e, *account) for c, f, n, e, job in PEOPLE)]
    u = _registration("contacts_export.csv", "text/csv", _csv(rows), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.organisation.address == "12 rue des Lilas, 29200 Brest"
    assert [p.civility for p in u.participants] == ["Mme", "M."]
    assert (u.manager.phone, u.manager.service) == ("02 98 00 11 22", "Service RH")


@pytest.mark.parametrize(
    ("replaced", "by"),
    [
        ("Complément adresse", "Bâtiment"),  # a column nobody reads may hold part of the form
        ("Adresse", "Complément"),  # the complement alone ("BP 40") is no street
    ],
)
def test_an_export_whose_address_may_be_short_goes_to_a_person(
    catalog: Catalog, replaced: str, by: str
) -> None:
    header = tuple(by if h == replaced else h for h in HEADER)
    if replaced == "Adresse":
        header = tuple(h for h in header if h != "Complément adresse")
        organisation = ORGANISATION[:1] + ORGANISATION[2:]
    else:
        organisation = ORGANISATION
    rows = [header, *((*organisation, *person) for person in PEOPLE)]
    u = _registration("export.csv", "text/csv", _csv(rows), catalog)
    assert u.decision is Decision.REVIEW
    assert u.organisation.address != "BP 40, 29200 Brest"


@pytest.mark.parametrize(
    "line",
    [
        "2 participants, montant total 1 270 €.",
        "2 inscrits - total 1 270 €",
        "2 agents, 1 270 euros",
    ],
)
def test_a_count_and_total_on_one_line_of_the_mail(catalog: Catalog, line: str) -> None:
    rows = [HEADER, *((*ORGANISATION, *person) for person in PEOPLE)]
    note = NOTE.replace(
        "Nombre de participants : 2\nMontant total : 2 x 635 € = 1 270 €\n", line + "\n"
    )
    _expect_the_export(_registration("export.csv", "text/csv", _csv(rows), catalog, note=note))


def test_a_count_written_in_prose_that_is_not_read_is_doubted(catalog: Catalog) -> None:
    rows = [HEADER, *((*ORGANISATION, *person) for person in PEOPLE)]
    prose = NOTE.replace("Nombre de participants : 2\nMontant total : 2 x 635 € = 1 270 €\n",
                         "Deux agents inscrits - soit 1 270 € au total.\n")  # fmt: skip
    u = _registration("export.csv", "text/csv", _csv(rows), catalog, note=prose)
    assert "uncertain:declared_total_eur" in u.reasons
    silent = NOTE.replace("Nombre de participants : 2\nMontant total : 2 x 635 € = 1 270 €\n", "")
    u = _registration("export.csv", "text/csv", _csv(rows), catalog, note=silent)
    assert u.decision is Decision.AUTO, u.reasons
