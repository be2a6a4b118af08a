"""Which word is the family name when capitals do not tell, and who signed."""

from __future__ import annotations

import pytest

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.form_reader import read_rows
from mailbot.understanding.model import Decision
from mailbot.understanding.names import (
    names_a_person,
    names_someone,
    parse_civility,
    split_full_name_checked,
)
from mailbot.understanding.reading import _order_by_address
from tests.factories.forms import Participant, build_docx, sample_form
from tests.factories.mails import BODY_FORM, mail

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_capitals_tell_the_family_name_surely() -> None:
    assert split_full_name_checked("DUPONT Marie") == ("Marie", "DUPONT", True)
    assert split_full_name_checked("DUPONT JEAN") == ("DUPONT", "JEAN", False)
    assert split_full_name_checked("maite etcheberry") == ("maite", "etcheberry", False)


@pytest.mark.parametrize(
    ("first", "last", "email", "expected"),
    [
        (
            "MARTIN-LEGRAND",
            "ANNE-SOPHIE",
            "as.martinlegrand@x.org",
            ("ANNE-SOPHIE", "MARTIN-LEGRAND"),
        ),
        ("MARTIN", "PAUL", "martin.p@x.fr", ("PAUL", "MARTIN")),
        ("PAUL", "MARTIN", "p.martin@x.fr", ("PAUL", "MARTIN")),
        # "moreau.emilie" and "emilie.moreau" are both usual: whole names tell nothing.
        ("ÉMILIE", "MOREAU", "Moreau.Emilie@x.fr", None),
        ("PAUL", "MARTIN", "secretariat@x.fr", None),
    ],
)
def test_an_initial_in_the_address_tells_the_first_name(
    first: str, last: str, email: str, expected: tuple[str, str] | None
) -> None:
    assert _order_by_address(first, last, email) == expected


def test_an_all_capitals_name_follows_french_usage_unless_the_address_says(
    catalog: Catalog,
) -> None:
    body = BODY_FORM.replace("1. M. Paul MARTIN - paul.martin@gironde.fr",
                             "1. M. MARTIN PAUL - p.martin@gironde.fr")  # fmt: skip
    body = body.replace("2. Mme Hélène DE LA FONTAINE - h.delafontaine@gironde.fr",
                        "2. Mme HÉLÈNE FONTAINE - fontaine.helene@gironde.fr")  # fmt: skip
    u = understand(mail(body), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert [(p.first_name, p.last_name) for p in u.participants] == [
        ("PAUL", "MARTIN"), ("HÉLÈNE", "FONTAINE")
    ]  # fmt: skip


def test_a_names_column_headed_family_first_orders_capitals() -> None:
    form = read_rows([
        ("Civilité", "NOM Prénom", "Courriel"),
        ("M.", "DUPONT JEAN", "JEAN.DUPONT@ADMR22.ORG"),
        ("Mme", "LE ROUX Soazig", "s.leroux@admr22.org"),
    ])  # fmt: skip
    assert [(p.first_name, p.last_name) for p in form.participants] == [
        ("JEAN", "DUPONT"), ("Soazig", "LE ROUX")
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("signatory", "named"),
    [("Le Président", False), ("P/O la DGA", False), ("La Directrice générale adjointe", False),
     ("Le Directeur, Paul GUÉRIN", True), ("S. Lapeyre", True), ("maite etcheberry", True)],
)  # fmt: skip
def test_a_title_alone_names_no_signatory(signatory: str, named: bool) -> None:
    assert names_someone(signatory) is named


def test_a_body_form_signed_by_a_title_alone_is_unsigned(catalog: Catalog) -> None:
    body = BODY_FORM.replace("Par : La Directrice générale, Anne ROUX", "Par : Le Président")
    u = understand(mail(body), catalog)
    assert u.signatory == "Le Président"
    assert "unsigned" in u.reasons


@pytest.mark.parametrize(
    ("written", "civility"),
    [("Madame la Directrice", "Mme"), ("Mme le Docteur", "Mme"), ("Monsieur le Maire", "M."),
     ("Madame Laure", None), ("Dr", None)],
)  # fmt: skip
def test_a_civility_followed_by_a_title_is_the_civility(written: str, civility: str | None) -> None:
    assert parse_civility(written) == civility


def test_names_in_the_wrong_columns_wait_for_a_person(catalog: Catalog) -> None:
    # "MOREAU | Julien" under "Prénom | NOM": the capitals and the labels disagree.
    swapped = Participant("M.", "MOREAU", "Julien", "julien.moreau@saint-medard.fr")
    form = sample_form(participants=(sample_form().participants[0], swapped))
    u = understand(
        mail("Ci-joint notre bulletin.", attachments=[("b.docx", DOCX, build_docx(form))]), catalog
    )
    assert u.decision is Decision.REVIEW and u.reasons == ("uncertain:participants[1].first_name",)
    capitals = Participant("M.", "JULIEN", "MOREAU", "julien.moreau@saint-medard.fr")
    form = sample_form(participants=(sample_form().participants[0], capitals))
    u = understand(
        mail("Ci-joint notre bulletin.", attachments=[("b.docx", DOCX, build_docx(form))]), catalog
    )
    assert u.decision is Decision.AUTO, u.reasons


@pytest.mark.parametrize("family", ["K/BIDI", "DIJOUX-K/BIDI"])
def test_a_reunion_family_name_with_its_k_slash_is_a_name(catalog: Catalog, family: str) -> None:
    kbidi = Participant("M.", "Fabrice", family, "fabrice.kbidi@epsms974.re")
    form = sample_form(participants=(sample_form().participants[0], kbidi))
    u = understand(
        mail("Ci-joint notre bulletin.", attachments=[("b.docx", DOCX, build_docx(form))]), catalog
    )
    assert u.decision is Decision.AUTO, u.reasons
    assert u.participants[1].last_name == family
    # A slash anywhere else in a name is no name's.
    odd = Participant("M.", "Fabrice", "KB/IDI", "fabrice.kbidi@epsms974.re")
    form = sample_form(participants=(sample_form().participants[0], odd))
    u = understand(
        mail("Ci-joint notre bulletin.", attachments=[("b.docx", DOCX, build_docx(form))]), catalog
    )
    assert "uncertain:participants[1].last_name" in u.reasons


@pytest.mark.parametrize(
    ("extra", "kept"),
    [("Antenne", 2), ("Statut", 1)],
)
def test_a_list_column_of_the_organisation_own(extra: str, kept: int) -> None:
    # "Antenne | Bourganeuf" is no part of a name; "Statut | Annulé" takes the row out.
    first, second = ("Bourganeuf", "Guéret") if extra == "Antenne" else ("Inscrit", "Annulé")
    rows = [("Participant", "E-mail", extra),
            ("M. Karim MAILLARD", "k.maillard@x.fr", first),
            ("Mme Anne-Laure DA SILVA", "a.dasilva@x.fr", second)]  # fmt: skip
    form = read_rows(rows, prefix_labels=True)
    names = [(p.first_name, p.last_name) for p in form.participants]
    assert names == [("Karim", "MAILLARD"), ("Anne-Laure", "DA SILVA")][:kept]


def test_an_hr_export_s_own_columns_are_read_past() -> None:
    rows = [("Matricule", "Nom", "Prénom", "Civilité", "Date de naissance", "Mail pro"),
            ("17744", "GUERIN", "Stéphane", "Monsieur", "02/10/1975", "s.guerin@x.fr"),
            ("56258", "DUVAL", "Gaëlle", "Madame", "23/02/1973", "g.duval@x.fr")]  # fmt: skip
    form = read_rows(rows, prefix_labels=True)
    people = [(p.civility, p.first_name, p.last_name, p.email) for p in form.participants]
    assert people == [("M.", "Stéphane", "GUERIN", "s.guerin@x.fr"),
                      ("Mme", "Gaëlle", "DUVAL", "g.duval@x.fr")]  # fmt: skip
    assert not form.picked


def test_the_work_address_is_the_one_to_connect_with_not_the_private_one() -> None:
    rows = [("NOM", "Prénom", "Civilité", "Courriel personnel", "Courriel professionnel"),
            ("ROUQUETTE", "Gaëlle", "Mme", "gaelle.r12@orange.fr", "g.rouquette@x.fr")]  # fmt: skip
    form = read_rows(rows, prefix_labels=True)
    assert [p.email for p in form.participants] == ["g.rouquette@x.fr"]
    # A private address alone is no connection address read: the e-mail stays for a person.
    alone = read_rows([rows[0][:4], rows[1][:4]], prefix_labels=True)
    assert [p.email for p in alone.participants] == [None]


def test_a_column_answering_yes_or_no_for_each_person_is_a_choice_to_check() -> None:
    rows = [("Nom", "Prénom", "Civilité", "Messagerie", "Inscription CPOM"),
            ("TRAN", "Marie", "Mme", "m.tran@x.fr", "Oui"),
            ("CHERIFI", "Étienne", "M.", "e.cherifi@x.fr", "Non")]  # fmt: skip
    assert read_rows(rows, prefix_labels=True).picked


def test_numbered_participants_labelled_on_dotted_lines_are_read() -> None:
    rows = [("Participants",),
            ("1)  Civilité : M. …   Prénom : Rémi ……   NOM : FAURIE ……",),
            ("      Adresse e-mail de connexion : r.faurie@x.org ………………",),
            ("2)  Civilité : Mme …   Prénom : Laurence ……   NOM : CHAZOT ……",),
            ("      Adresse e-mail de connexion : l.chazot@x.org ………………",),
            ("3)  Civilité : ……   Prénom : ……………   NOM : ……………",),
            ("      Adresse e-mail de connexion : ………………………………",)]  # fmt: skip
    form = read_rows(rows)
    people = [(p.civility, p.first_name, p.last_name, p.email) for p in form.participants]
    assert people == [("M.", "Rémi", "FAURIE", "r.faurie@x.org"),
                      ("Mme", "Laurence", "CHAZOT", "l.chazot@x.org")]  # fmt: skip


def test_swapped_capitals_are_settled_by_the_address(catalog: Catalog) -> None:
    # "MIREN | Etcheverry" under "Prénom | NOM": m.etcheverry@ says the labels are right.
    capitals = Participant("Mme", "MIREN", "Etcheverry", "m.etcheverry@saint-medard.fr")
    form = sample_form(participants=(sample_form().participants[0], capitals))
    u = understand(
        mail("Ci-joint notre bulletin.", attachments=[("b.docx", DOCX, build_docx(form))]), catalog
    )
    assert u.decision is Decision.AUTO, u.reasons
    assert (u.participants[1].first_name, u.participants[1].last_name) == ("MIREN", "Etcheverry")


_HEADING = ("Civilité", "Prénom", "NOM", "Adresse e-mail de connexion")


def test_a_struck_row_that_left_only_its_cancellation_is_no_one() -> None:
    rows = [("Participants",), _HEADING,
            ("Mme", "Anne", "ROUX", "a.roux@x.fr"),
            ("", "", "", "annulé"),
            ("M.", "Paul", "MARTIN", "p.martin@x.fr")]  # fmt: skip
    form = read_rows(rows, prefix_labels=True)
    assert [p.last_name for p in form.participants] == ["ROUX", "MARTIN"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Mme Claire VASSEUR-ROBIN", ("Mme", "Claire", "VASSEUR-ROBIN")),
        ("M. Jean-Marc de La ROCHE", ("M.", "Jean-Marc", "de La ROCHE")),
        # No capitals to tell the family name: the cell stays as written, for a person.
        ("Mme claire vasseur", (None, None, "Mme claire vasseur")),
    ],
)
def test_a_whole_person_typed_in_the_family_name_cell_is_split(
    written: str, expected: tuple[str | None, str | None, str]
) -> None:
    rows = [("Participants",), _HEADING, ("", "", written, "c.vasseur@x.fr")]
    (person,) = read_rows(rows, prefix_labels=True).participants
    assert (person.civility, person.first_name, person.last_name) == expected


def test_a_row_with_its_first_and_last_cells_empty_keeps_its_columns() -> None:
    # No civility, no address: the empty last cell is cut, the empty first one stays.
    rows = [["Civilité", "Prénom", "NOM", "Adresse e-mail de connexion"],
            ["Mme", "Lucie", "VIDAL", "l.vidal@x.fr"], ["", "Yasmina", "BENHAMOU", ""]]  # fmt: skip
    people = read_rows(rows, prefix_labels=True).participants
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in people] == [
        ("Mme", "Lucie", "VIDAL", "l.vidal@x.fr"),
        (None, "Yasmina", "BENHAMOU", None),
    ]


def test_a_civility_written_in_the_name_cell_is_the_civility(catalog: Catalog) -> None:
    # The civility column left empty, "Mme FABREGUETTES" under "NOM", "M. Marc" under "Prénom".
    people = (
        Participant("", "Hélène", "Mme GARNIER", "h.garnier@saint-medard.fr"),
        Participant("", "M. Marc", "DUBOIS", "m.dubois@saint-medard.fr"),
    )
    form = build_docx(sample_form(participants=people))
    u = understand(mail("Ci-joint notre bulletin.", attachments=[("b.docx", DOCX, form)]), catalog)
    assert [(p.civility, p.first_name, p.last_name) for p in u.participants] == [
        ("Mme", "Hélène", "GARNIER"),
        ("M.", "Marc", "DUBOIS"),
    ]
    assert u.decision is Decision.AUTO, u.reasons


@pytest.mark.parametrize(
    ("signer", "person"),
    [
        ("J. CÉLESTINE", True),  # an initial before the family name, as people sign
        ("J.-P. MARTIN", True),
        ("Le Président", True),
        ("Corinne DUFFAU", True),
        ("VALLÉE DE L'OGNON", False),  # a stamp's line
        ("J CÉLESTINE", False),
    ],
)
def test_who_a_signing_line_names(signer: str, person: bool) -> None:
    assert names_a_person(signer) is person
