"""What a clerk confirms by mistake on a busy day: a total in words that says another sum,
a no-reply address for the manager, one person listed twice under two spellings, a row
"à confirmer", a note on the form for the other session, a name cut by the page.
Each goes to a person; the same form without the trap is still confirmed alone."""

from __future__ import annotations

import pytest

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.amounts import spelled_amounts
from mailbot.understanding.model import Decision
from tests.factories.mails import BODY_FORM, mail


def parsed(catalog: Catalog, body: str):  # type: ignore[no-untyped-def]
    return understand(mail(body), catalog)


def test_the_form_as_it_is_is_confirmed(catalog: Catalog) -> None:
    assert parsed(catalog, BODY_FORM).decision is Decision.AUTO


def test_a_total_in_words_for_another_sum_is_doubted(catalog: Catalog) -> None:
    said = "Montant total : 1 270,00 €\nArrêté à la somme de : {} euros\n"
    wrong = BODY_FORM.replace("Montant total : 1 270,00 €\n", said.format("mille neuf cent cinq"))
    u = parsed(catalog, wrong)
    assert u.decision is Decision.REVIEW and "uncertain:declared_total_eur" in u.reasons
    right = BODY_FORM.replace(
        "Montant total : 1 270,00 €\n", said.format("mille deux cent soixante-dix")
    )
    assert parsed(catalog, right).decision is Decision.AUTO, parsed(catalog, right).reasons


def test_amounts_in_words_are_found_in_prose() -> None:
    text = (
        "Arrêté à la somme de : mille deux cent soixante-dix euros. Soit six cent trente-cinq "
        "euros par personne, plus deux euros de frais."
    )
    assert [int(a) for a in spelled_amounts(text)] == [1270, 635]


@pytest.mark.parametrize("box", ["noreply", "no-reply", "ne-pas-repondre", "nepasrepondre.dsi"])
def test_a_manager_address_nobody_reads_is_asked_about(catalog: Catalog, box: str) -> None:
    u = parsed(catalog, BODY_FORM.replace("anne.roux@gironde.fr", f"{box}@gironde.fr"))
    assert u.decision is Decision.REVIEW and "noreply_email:manager.email" in u.reasons


def test_a_mailbox_named_like_a_service_is_no_noreply(catalog: Catalog) -> None:
    u = parsed(catalog, BODY_FORM.replace("anne.roux@gironde.fr", "formation@gironde.fr"))
    assert u.decision is Decision.AUTO, u.reasons


def test_one_person_listed_twice_under_two_spellings_is_asked_about(catalog: Catalog) -> None:
    twice = BODY_FORM.replace(
        "2. Mme Hélène DE LA FONTAINE - h.delafontaine@gironde.fr",
        "2. M. Paul Martin - p.martin@gironde.fr",
    )
    u = parsed(catalog, twice)
    assert u.decision is Decision.REVIEW and "duplicate_name" in u.reasons
    namesakes_apart = BODY_FORM.replace("Hélène DE LA FONTAINE", "Pauline MARTIN")
    assert parsed(catalog, namesakes_apart).decision is Decision.AUTO


def test_a_participant_not_settled_yet_is_asked_about(catalog: Catalog) -> None:
    pending = BODY_FORM.replace("Hélène DE LA FONTAINE", "Hélène DE LA FONTAINE (à confirmer)")
    u = parsed(catalog, pending)
    assert u.decision is Decision.REVIEW and "uncertain:participants[1]" in u.reasons


SAAD_FORM = """Bonjour,

Voici notre inscription.

Web-séminaire « Mettre en place un CPOM dans le secteur de l'aide à domicile »
Session choisie (cocher une case)
X jeudi 18 mars 2027 de 9h30 à 17h00
\u2610 vendredi 8 octobre 2027 de 9h30 à 17h00

Organisme-client
Dénomination : CCAS de Pau
Adresse postale : 2 place Royale, 64000 Pau

Gestionnaire de l'inscription
Prénom et NOM : Anne ROUX
Adresse e-mail : anne.roux@pau.fr
Service : Direction de l'autonomie
Téléphone : 05 59 27 85 80

Participants
1. M. Paul MARTIN - paul.martin@pau.fr
2. Mme Hélène DUCLOS - helene.duclos@pau.fr

Montant total : 1 250,00 €
{note}
Fait à Pau, le 14/09/2026
Par : Le Président, Jean LASSALLE

Cordialement
"""


def test_a_note_on_the_form_for_the_other_session_chooses_none(catalog: Catalog) -> None:
    other = SAAD_FORM.format(note="Observations : inscription pour la session du 8 octobre 2027.")
    u = parsed(catalog, other)
    assert u.session is None and u.decision is Decision.REVIEW
    same = SAAD_FORM.format(note="Observations : session retenue le jeudi 18 mars 2027.")
    u = parsed(catalog, same)
    assert u.session is not None and u.decision is Decision.AUTO, u.reasons


def test_a_session_set_aside_by_what_follows_it_is_not_asked_for(catalog: Catalog) -> None:
    form = SAAD_FORM.format(note="").replace(
        "Voici notre inscription.",
        "La session d'octobre étant trop tardive pour nous, voici notre inscription pour "
        "celle du 18 mars.",
    )
    assert "etant trop tardive" not in form  # the accent is the writer's
    u = parsed(catalog, form.replace("trop tardive", "trop tard"))
    assert u.session is not None and u.session.date.month == 3, u.reasons
    assert u.decision is Decision.AUTO, u.reasons


def test_the_signatory_s_name_on_the_place_line_is_no_place(catalog: Catalog) -> None:
    lines = BODY_FORM.replace(
        "Fait à Bordeaux, le 14/09/2026\n", "Fait à : Anne ROUX\nLe : 14/09/2026\n"
    )
    u = parsed(catalog, lines)
    assert u.signed_place is None and u.decision is Decision.AUTO, u.reasons
    town = parsed(catalog, BODY_FORM)
    assert town.signed_place == "Bordeaux"


def test_a_name_whose_end_the_layout_set_in_a_cell_of_its_own_is_doubted(
    catalog: Catalog,
) -> None:
    cut = BODY_FORM.replace(
        "Par : La Directrice générale, Anne ROUX",
        "Par (nom du signataire)\tLa Directrice générale, Anne\tROUX",
    )
    u = parsed(catalog, cut)
    assert u.decision is Decision.REVIEW and "uncertain:signatory" in u.reasons
    whole = BODY_FORM.replace(
        "Par : La Directrice générale, Anne ROUX",
        "Par (nom du signataire)\tLa Directrice générale, Anne ROUX",
    )
    assert parsed(catalog, whole).decision is Decision.AUTO


def test_the_form_s_own_box_lines_and_page_numbers_are_no_note(catalog: Catalog) -> None:
    # A Word form printed to text: the mark after the ticked date, the other date bare
    # under "Session choisie", the page's "Page 1/2" beside the title.
    form = (
        SAAD_FORM.format(note="")
        .replace(
            "X jeudi 18 mars 2027 de 9h30 à 17h00\n\u2610 vendredi",
            "jeudi 18 mars 2027 de 9h30 à 17h00      X\nvendredi",
        )
        .replace(
            "Web-séminaire «", "Bulletin d'inscription web-séminaire\tPage 1/2\nWeb-séminaire «"
        )
    )
    u = parsed(catalog, form)
    assert u.session is not None and u.session.date.month == 3, u.reasons
    assert u.decision is Decision.AUTO, u.reasons


def test_a_note_on_a_session_already_followed_asks_for_nothing(catalog: Catalog) -> None:
    october = SAAD_FORM.replace("X jeudi", "\u2610 jeudi").replace("\u2610 vendredi", "X vendredi")
    u = parsed(
        catalog,
        october.format(
            note="Observations : notre cheffe de service a déjà suivi la session du 18 mars 2027 ;"
            " deux autres agents s'inscrivent à celle d'octobre."
        ),
    )
    assert u.session is not None and u.session.date.month == 10, u.reasons
    assert u.decision is Decision.AUTO, u.reasons


SAAD_BODY = BODY_FORM.replace(
    "Web-séminaire : Les CPOM des établissements et services de l'ASE\n"
    "Date : jeudi 26 novembre 2026 de 9h30 à 17h00\n",
    "Web-séminaire : Mettre en place un CPOM dans le secteur de l'aide à domicile\n"
    "[X] jeudi 18 mars 2027\n[ ] vendredi 8 octobre 2027\n",
).replace("1 270,00 €", "1 250,00 €")


def test_a_sign_in_the_other_session_s_box_is_a_mark_for_a_person(catalog: Catalog) -> None:
    u = parsed(catalog, SAAD_BODY)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.session is not None and u.session.date.month == 3
    for sign in (".", "-", "o"):
        dotted = parsed(catalog, SAAD_BODY.replace("[ ] vendredi", f"[{sign}] vendredi"))
        assert dotted.decision is Decision.REVIEW and dotted.session is None, sign
        assert "several_sessions_chosen" in dotted.reasons


def test_a_count_box_left_blank_in_a_wrapped_total_line_is_no_count() -> None:
    from mailbot.understanding.form_reader import read_rows, text_rows

    text = ("Montant net total des frais d'inscription =\n"
            "nombre de participants (\t) x 635 euros = 3 175,00 euros\n")  # fmt: skip
    form = read_rows(text_rows(text))
    assert form.declared_count is None
    assert str(form.declared_total) == "3175.00"
