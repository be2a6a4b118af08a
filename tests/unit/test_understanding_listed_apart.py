"""A mail that names its participants beside the attached form must agree with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailbot.catalog import Catalog
from mailbot.staff.reasons import explain
from mailbot.templating import Templates
from mailbot.understanding import understand
from mailbot.understanding.model import Decision, Understanding
from tests.factories.forms import build, sample_form
from tests.factories.mails import mail

ROOT = Path(__file__).resolve().parents[2]
FORM = sample_form()


def _with_note(note_people: list[str], catalog: Catalog) -> Understanding:
    body = (
        "Bonjour,\n\nVeuillez trouver ci-joint le bulletin d'inscription de nos agents :\n"
        + "".join(f"- {line}\n" for line in note_people)
        + "\nCordialement,\nClaire LEFÈVRE\nDirection des solidarités"
    )
    raw = mail(body, attachments=[build(FORM, "docx")], date="Wed, 14 Oct 2026 10:31:50 +0200")
    return understand(raw, catalog)


def _line(p) -> str:
    return f"{p.civility} {p.first_name} {p.last_name} ({p.email})"


def test_a_note_that_repeats_the_form_agrees_with_it(catalog: Catalog) -> None:
    u = _with_note([_line(p) for p in FORM.participants], catalog)
    assert u.listed_apart is None
    assert u.decision is Decision.AUTO, u.reasons


def test_someone_the_note_names_and_the_form_does_not_waits_for_a_person(catalog) -> None:
    extra = "M. Paul NOUVEAU (p.nouveau@saint-medard.fr)"
    u = _with_note([*(_line(p) for p in FORM.participants), extra], catalog)
    assert u.reasons == ("participants_differ",)
    assert u.listed_apart == "Paul NOUVEAU p.nouveau@saint-medard.fr (absent du formulaire)"
    assert len(u.participants) == len(FORM.participants)  # the form's list, as the form says


def test_the_same_person_with_another_address_waits_for_a_person(catalog: Catalog) -> None:
    first, second = FORM.participants
    u = _with_note(
        [_line(first), _line(second).replace(second.email, "jdubois@gmail.com")], catalog
    )
    assert u.reasons == ("participants_differ",)
    assert (
        u.listed_apart is not None
        and "le formulaire donne j.dubois@saint-medard.fr" in u.listed_apart
    )


def test_the_reason_reads_in_french_for_staff() -> None:
    text = explain(["participants_differ"], Templates(ROOT / "templates"))
    assert text.startswith("le courriel (ou une autre pièce jointe) nomme des participants")


@pytest.mark.parametrize(
    ("note", "differs"),
    [
        ("Veuillez trouver ci-joint l'inscription de nos trois agents.", True),
        ("Je souhaite inscrire 3 personnes, voici le bulletin.", True),
        ("Ci-joint l'inscription de deux de nos agents.", False),
        ("Ci-joint l'inscription de 2 agents.", False),
        # The writer comes with two colleagues: three people, the form names two.
        ("Voici notre bulletin : je participerai moi-même avec deux collègues.", True),
        ("Voici notre bulletin : je participerai moi-même avec un collègue.", False),
        # Someone named, then "et de deux collègues": three again.
        ("Voici le bulletin : l'inscription de Mme LECLERC et de deux collègues.", True),
        ("Mme Leclerc, cheffe de service, et deux collègues suivront la journée.", True),
        # Digits that end a phone number are no count, even before "Participants".
        ("Ci-joint notre bulletin.\nTél. 05 56 17 11 87\nParticipants : voir le formulaire", False),
    ],
)
def test_a_note_announcing_another_number_of_people_waits_for_a_person(
    note: str, differs: bool, catalog: Catalog
) -> None:
    raw = mail(note, attachments=[build(FORM, "docx")], date="Wed, 14 Oct 2026 10:31:50 +0200")
    u = understand(raw, catalog)
    assert ("participants_differ" in u.reasons) is differs
    if differs:
        assert u.listed_apart == "le courriel annonce 3 participant(s), le formulaire en porte 2"


def test_invoice_to_another_mailbox_asked_beside_an_attached_form_waits(catalog: Catalog) -> None:
    note = (
        "Bonjour,\nCi-joint notre bulletin. Merci d'envoyer la facture à compta@saint-medard.fr.\n"
    )
    raw = mail(note, attachments=[build(FORM, "docx")], date="Wed, 14 Oct 2026 10:31:50 +0200")
    assert understand(raw, catalog).reasons == ("question_in_mail",)


def _annex(rows: list[tuple[str, str, str, str]]) -> tuple[str, str, bytes]:
    """An Excel list of participants sent beside the form ("voir liste jointe")."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Civilité", "Prénom", "NOM", "Adresse e-mail"])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return "liste des participants.xlsx", sheet_type, out.getvalue()


OTHERS = [("Mme", "Sylvie", "MARTY", "s.marty@saint-medard.fr"),
          ("M.", "Karim", "BENALI", "k.benali@saint-medard.fr")]  # fmt: skip


def _with_annex(rows: list[tuple[str, str, str, str]], count: int, catalog: Catalog):  # type: ignore[no-untyped-def]
    form = sample_form(declared_count=str(count), declared_total=f"{625 * count} €")
    raw = mail("Bonjour,\nCi-joint notre bulletin et la liste des participants.",
               attachments=[build(form, "docx"), _annex(rows)],
               date="Wed, 14 Oct 2026 10:31:50 +0200")  # fmt: skip
    return understand(raw, catalog)


def test_a_list_attached_beside_the_form_carries_its_rows_on(catalog: Catalog) -> None:
    u = _with_annex(OTHERS, 4, catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert [p.last_name for p in u.participants] == ["GARNIER", "DUBOIS", "MARTY", "BENALI"]
    assert u.participants[3].email == "k.benali@saint-medard.fr"


@pytest.mark.parametrize(
    ("rows", "count"),
    [(OTHERS, 3),  # the form counts fewer than both lists hold
     (OTHERS, 2),  # the form counts its own rows: the list is something else
     ([OTHERS[0], ("M.", "Jérôme", "DUBOIS", "jdubois@gmail.com")], 4)],  # one of the form's again
)  # fmt: skip
def test_a_list_that_does_not_carry_the_form_on_waits_for_a_person(
    rows: list[tuple[str, str, str, str]], count: int, catalog: Catalog
) -> None:
    u = _with_annex(rows, count, catalog)
    assert u.decision is Decision.REVIEW
    assert "participants_differ" in u.reasons
    assert len(u.participants) == len(FORM.participants)
