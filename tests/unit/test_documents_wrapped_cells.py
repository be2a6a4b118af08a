"""Table cells whose text wrapped in a PDF are read as one value; deliberate line breaks stay."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from mailbot.catalog import load_catalog
from mailbot.understanding import understand
from mailbot.understanding.documents.lines import (
    Word,
    build_lines,
    centred_addresses,
    join_wrapped,
    stretch_cells,
)
from mailbot.understanding.documents.tables import join_cell_lines
from mailbot.understanding.form_reader import read_rows, text_rows
from mailbot.understanding.labels import Field, is_label
from mailbot.understanding.model import Decision
from tests.factories import forms
from tests.factories.mails import BODY_FORM, mail

ROOT = Path(__file__).resolve().parents[2]

# A 10-pt font: one character is about 5 pt wide, a line 10 pt high, a wrapped line 11.6 pt below.
CHAR = 5.0


def word(text: str, x0: float, top: float) -> Word:
    return Word(text, x0, x0 + CHAR * len(text), top, top + 10.0)


def lines_of(words: list[Word], cells: list[tuple[float, float, float, float]]) -> list[str]:
    return [line.text for line in build_lines(join_wrapped(words, cells))]


def test_an_email_cut_at_the_cell_border_is_glued_back() -> None:
    # Email column from x=300 to x=390 (inset 5): "vsimon@genetsdor" fills it.
    words = [word("Mme", 100, 50), word("SIMON", 200, 50), word("vsimon@genetsdor", 305, 50),
             word("-asso.fr", 305, 61.6)]  # fmt: skip
    cells = [(95, 45, 195, 75), (195, 45, 300, 75), (300, 45, 390, 75)]
    assert lines_of(words, cells) == ["Mme\tSIMON\tvsimon@genetsdor-asso.fr"]


def test_a_value_wrapped_mid_sentence_is_one_value() -> None:
    # "Direction administrative et" / "financière": the line cannot end on "et".
    words = [word("Service", 100, 50), word("Direction", 305, 50),
             word("administrative", 357, 50), word("et", 430, 50), word("financière", 305, 61.6)]  # fmt: skip
    cells = [(95, 45, 300, 75), (300, 45, 450, 75)]
    assert lines_of(words, cells) == ["Service\tDirection administrative et financière"]


def test_an_address_typed_on_two_lines_keeps_its_lines() -> None:
    # The street nearly fills the cell, but a postal code line is typed, not wrapped.
    words = [word("Adresse", 100, 50), word("46", 305, 50), word("boulevard", 318, 50),
             word("Wilson", 366, 50), word("33000", 305, 61.6), word("Bordeaux", 336, 61.6)]  # fmt: skip
    cells = [(95, 45, 300, 75), (300, 45, 406, 75)]
    text = "\n".join(lines_of(words, cells))
    assert (
        read_rows(text_rows(text)).values.get(Field.ADDRESS)
        == "46 boulevard Wilson, 33000 Bordeaux"
    )


def test_a_short_line_followed_by_another_is_not_joined() -> None:
    words = [word("Lieu-dit", 305, 50), word("Kerlann", 350, 50), word("Brest", 305, 61.6)]
    assert lines_of(words, [(300, 45, 500, 75)]) == ["Lieu-dit Kerlann", "Brest"]


def test_a_total_whose_amount_wrapped_to_the_next_line_is_read() -> None:
    text = (
        "Montant net total des frais d'inscription = nombre de participants (5) x 635 euros =\n"
        "3175 euros\nFait à : Brest"
    )
    form = read_rows(text_rows(text))
    assert form.declared_count == 5
    assert form.declared_total == Decimal("3175.00")


def test_a_row_missing_an_empty_middle_cell_keeps_the_address_under_its_header() -> None:
    text = (
        "Civilité\tNom et prénom\tFonction\tService\tCourriel\n"
        "MME\tLE GALL Gwenaëlle\tAttaché territorial\tgwenaellelegall@ars.sante.fr\n"
        "Madame\tMARTIN Claire\tChef de service\tDEF\tclaire.martin@ars.sante.fr\n"
    )
    people = read_rows(text_rows(text)).participants
    assert [(p.first_name, p.last_name, p.email) for p in people] == [
        ("Gwenaëlle", "LE GALL", "gwenaellelegall@ars.sante.fr"),
        ("Claire", "MARTIN", "claire.martin@ars.sante.fr"),
    ]


def test_a_word_form_exported_to_pdf_by_libreoffice_is_read_whole() -> None:
    # LibreOffice lays the participants table out narrower than Word: a long
    # address wraps in its cell, and the total formula wraps before its result.
    long_address = "marie-christine.delafontaine-garcia@saint-medard-en-jalles.fr"
    form = forms.sample_form()
    first = forms.replace(form.participants[0], email=long_address)
    form = forms.replace(form, participants=(first, *form.participants[1:]))
    pdf = forms._soffice_convert(forms.build_docx(form), ".docx", "pdf")
    catalog = load_catalog(ROOT / "config" / "catalog.toml")
    attachment = ("bulletin.pdf", "application/pdf", pdf)
    u = understand(mail("Ci-joint notre bulletin.", attachments=[attachment]), catalog)
    assert [p.email for p in u.participants] == [long_address, "j.dubois@saint-medard.fr"]
    assert u.declared_total_eur == Decimal("1250.00")
    assert u.decision is Decision.AUTO, u.reasons


def test_an_email_cut_in_text_read_by_ocr_is_rejoined_with_its_row() -> None:
    # OCR and borderless tables give no cell boxes: the cut shows as a row of its own.
    text = (
        "Adresse e-mail\tCivilité\tPrénom\tNom\n"
        "marie-christine.le-\tMme\tMarie-Christine\tLE BRIS\n"
        "bris@ccas-pau.fr\n"
        "v.martin@ccas-\tMme\tVéronique\tMARTIN\n"
        "pau.fr\n"
        "Nombre de participants : 2\n"
    )
    form = read_rows(text_rows(text))
    assert [p.email for p in form.participants] == [
        "marie-christine.le-bris@ccas-pau.fr",
        "v.martin@ccas-pau.fr",
    ]
    assert form.declared_count == 2


def test_a_name_is_never_glued_to_the_next_line_to_make_an_address() -> None:
    text = "Civilité\tPrénom\tNOM\tCourriel\nMme\tAnne\tROUX\tanne.roux@\nroux@gironde.fr\n"
    people = read_rows(text_rows(text)).participants
    assert "Anneroux@gironde.fr" not in [p.email for p in people]
    assert "ROUXroux@gironde.fr" not in [p.email for p in people]


def test_an_address_cut_over_three_lines_or_after_a_valid_looking_prefix_is_whole() -> None:
    text = (
        "Civilité\tPrénom\tNOM\tAdresse e-mail de connexion\n"
        "Mme\tMarie-Christine\tGIRARD\tgirard.marie-\n"
        "christine@ars.sant\n"
        "e.fr\n"
        "M.\tYannick\tDUBOIS\tydubois@gmail.co\n"
        "m\n"
        "Mme\tSophie\tLAURENT\tsophie.laurent@ars.sante.fr\n"
        "participants\n"
    )
    assert [p.email for p in read_rows(text_rows(text)).participants] == [
        "girard.marie-christine@ars.sante.fr",
        "ydubois@gmail.com",
        "sophie.laurent@ars.sante.fr",
    ]


def test_a_name_cut_after_its_hyphen_continues_on_the_next_line() -> None:
    text = "Dénomination\tAgence régionale de santé Nouvelle-\nAquitaine\nAdresse postale\t1 rue X"
    values = read_rows(text_rows(text)).values
    assert values[Field.ORG_NAME] == "Agence régionale de santé Nouvelle-Aquitaine"
    assert values[Field.ADDRESS] == "1 rue X"


def test_an_address_wrapped_at_each_hyphen_and_at_sign_is_whole() -> None:
    text = (
        "NOM\tPrénom\tCivilité\tCourriel\n"
        "GARCIA\tMarie-Christine\tMME\tmarie-\n"
        "christine.garcia@\n"
        "fondation-\n"
        "saintexupere.fr\n"
        "DAVID\tChristelle\tMme\tchristelle.david@\n"
        "fondation-\n"
        "saintexupere.fr\n"
        "Etablissement\n"
    )
    assert [p.email for p in read_rows(text_rows(text)).participants] == [
        "marie-christine.garcia@fondation-saintexupere.fr",
        "christelle.david@fondation-saintexupere.fr",
    ]


def test_a_total_broken_inside_its_thousands_is_read_whole() -> None:
    formula = "Montant net total des frais d'inscription = nombre de participants (5) x 635 euros ="
    form = read_rows(text_rows(f"{formula} 3\n175 euros\nFait à : Brest"))
    assert form.declared_total == Decimal("3175.00")
    assert form.values[Field.PLACE] == "Brest"
    single = read_rows(text_rows(f"{formula} 635\nFait à : Brest"))
    assert single.declared_total == Decimal("635.00")
    assert single.values[Field.PLACE] == "Brest"


def test_two_ruled_cells_that_nearly_touch_stay_two_cells() -> None:
    # A long address fills its column: the civility next door is 3 pt away.
    words = [word("ericlaborde@aide31.fr", 100, 50), word("Monsieur", 208, 50)]
    cells = [(95, 45, 206, 75), (206, 45, 300, 75)]
    assert lines_of(words, cells) == ["ericlaborde@aide31.fr\tMonsieur"]


def test_a_name_broken_after_its_hyphen_and_an_address_before_its_at_are_rejoined() -> None:
    words = [word("DUPONT-", 105, 50), word("MOREAU", 105, 61.6),
             word("nathalie.ferrand", 205, 50), word("@laposte.net", 205, 61.6)]  # fmt: skip
    cells = [(100, 45, 150, 75), (200, 45, 290, 75)]
    assert lines_of(words, cells) == ["DUPONT-MOREAU\tnathalie.ferrand@laposte.net"]


def test_a_dash_ending_a_wrapped_line_keeps_its_spaces() -> None:
    # "… de la santé -" / "Service SAAD": a dash between two parts, not a word's hyphen.
    words = [word("Direction", 105, 50), word("santé", 155, 50), word("-", 183, 50),
             word("Service", 105, 61.6), word("SAAD", 145, 61.6)]  # fmt: skip
    assert lines_of(words, [(100, 45, 190, 75)]) == ["Direction santé - Service SAAD"]


def test_a_total_formula_without_its_figures_has_no_total() -> None:
    text = (
        "Montant net total des frais d'inscription = nombre de participants () x 625\n"
        "euros = euros\nFait à : Pau"
    )
    form = read_rows(text_rows(text))
    assert form.declared_total is None
    assert form.values[Field.PLACE] == "Pau"


def test_words_typed_past_a_cell_s_border_stay_in_the_cell() -> None:
    # "…, Hélène" fits the value cell (200-300); "FAUCHER" runs past its border, one
    # space on, and lies in no cell. "Signé" further right, after a wide gap, is no part.
    words = [word("Par", 100, 50), word("Hélène", 205, 50), word("FAUCHER", 240, 50),
             word("Signé", 330, 50)]  # fmt: skip
    cells = [(95, 45, 200, 65), (200, 45, 260, 65)]
    stretched = stretch_cells(words, cells)
    assert stretched[0] == cells[0] and stretched[1][2] > 275
    assert lines_of(words, stretched) == ["Par\tHélène FAUCHER\tSigné"]


def test_a_signatory_running_past_the_ruling_of_a_pdf_is_read_whole() -> None:
    catalog = load_catalog(ROOT / "config" / "catalog.toml")
    signer = "Pour le Président et par délégation, la Directrice générale adjointe, Hélène FAUCHER"
    pdf = forms.build_text_pdf(forms.sample_form(signatory=signer))
    u = understand(mail("Ci-joint notre bulletin.", attachments=[("b.pdf", "application/pdf", pdf)]),
                   catalog)  # fmt: skip
    assert u.signatory == signer
    assert u.decision is Decision.AUTO, u.reasons


def test_a_label_centred_beside_a_value_wrapped_on_two_lines_is_its_label() -> None:
    # Word centres "Par (nom du signataire)" in its row: between the value's two lines.
    words = [word("Par", 60, 57), word("(nom", 80, 57), word("Directrice,", 205, 51),
             word("Fabienne", 265, 51), word("ROUVIÈRE", 205, 62.6)]  # fmt: skip
    cells = [(200, 45, 320, 80)]
    assert lines_of(words, cells) == ["Par (nom\tDirectrice, Fabienne ROUVIÈRE"]
    # A label level with the value's first line is on its row too, as before.
    top = [replace(w, top=51.0, bottom=61.0) if w.cell == -1 and w.x0 < 200 else w for w in words]
    assert lines_of(top, cells) == ["Par (nom\tDirectrice, Fabienne ROUVIÈRE"]


def test_a_label_wrapped_beside_the_value_s_second_line() -> None:
    # "Adresse" / "postale" in a narrow label cell, the value's lines beside each half.
    text = (
        "Dénomination\tADMR du Pays d'Ancenis\n"
        "Adresse\t17 rue des Vignerons\n"
        "postale\t44150 Ancenis-Saint-Géréon\n"
        "Gestionnaire de l'inscription\n"
    )
    assert read_rows(text_rows(text)).values.get(Field.ADDRESS) == (
        "17 rue des Vignerons, 44150 Ancenis-Saint-Géréon"
    )


def test_an_address_without_its_postcode_waits_for_a_person() -> None:
    catalog = load_catalog(ROOT / "config" / "catalog.toml")
    body = BODY_FORM.replace(
        "                  CS 71223\n                  33074 Bordeaux Cedex\n", ""
    )
    u = understand(mail(body), catalog)
    assert u.organisation is not None
    assert u.organisation.address == "1 esplanade Charles de Gaulle"
    assert u.decision is Decision.REVIEW
    assert "uncertain:organisation.address" in u.reasons


@pytest.mark.parametrize(
    "furniture",
    [
        "IPP - Bulletin d'inscription web-séminaire\tPage 2/2",
        "Département de l'Aveyron – SIRET 221 200 014 00019\tPage 1",
        "Tableau des participants : suite page 2\t1/2",
        "– 1 –",
    ],
)
def test_a_page_s_running_head_between_participants_is_no_participant(furniture: str) -> None:
    text = (
        "Participants\nCivilité\tPrénom\tNOM\tAdresse e-mail de connexion\n"
        "Mme\tTyphaine\tJOLY\ttjoly@fam.fr\n"
        f"{furniture}\n"
        "Participants (suite)\nCivilité\tPrénom\tNOM\tAdresse e-mail de connexion\n"
        "M.\tGilles\tSALAÜN\tg.salaun@fam.fr\n"
    )
    people = read_rows(text_rows(text)).participants
    assert [(p.last_name, p.email) for p in people] == [
        ("JOLY", "tjoly@fam.fr"),
        ("SALAÜN", "g.salaun@fam.fr"),
    ]


def test_labels_wrapped_with_a_hyphen_or_meaning_another_field_alone() -> None:
    text = (
        "Dénomi-\tAPEI de l'Aube\nnation\n"
        "Adresse\t64 boulevard du 14 Juillet\npostale\t10000 Troyes\n"
        "Gestionnaire de l'inscription\n"
        "Adresse\tberenice.lambert@apei-aube.fr\ne-mail\n"
        "Prénom et\tBérénice LAMBERT\nNOM\n"
    )
    values = read_rows(text_rows(text)).values
    assert values[Field.ORG_NAME] == "APEI de l'Aube"
    assert values[Field.ADDRESS] == "64 boulevard du 14 Juillet, 10000 Troyes"
    assert values[Field.MANAGER_EMAIL] == "berenice.lambert@apei-aube.fr"
    assert values[Field.MANAGER_NAME] == "Bérénice LAMBERT"


def test_a_value_typed_in_the_row_under_its_label_is_the_label_s() -> None:
    text = (
        "Dénomination\n\tADAPEI de la Saône-et-Loire\n"
        "Adresse postale\n\t40 rue des Grandes Varennes, 71000 Mâcon\n"
        "Gestionnaire de l'inscription\nAdresse e-mail\n\tmh.pelletier@adapei71.org\n"
    )
    values = read_rows(text_rows(text)).values
    assert values[Field.ORG_NAME] == "ADAPEI de la Saône-et-Loire"
    assert values[Field.ADDRESS] == "40 rue des Grandes Varennes, 71000 Mâcon"
    assert values[Field.MANAGER_EMAIL] == "mh.pelletier@adapei71.org"


def test_a_value_s_two_lines_brought_onto_a_wrapped_label_s_row_are_not_interleaved() -> None:
    # The label wrapped on two lines beside the address's two lines: one row, as it should
    # be, but read left to right the two lines would mix ("27 91700 avenue …").
    words = [word("Adresse", 60, 52), word("postale", 100, 52), word("complète", 140, 52),
             word("code", 60, 63.6),
             word("27", 205, 49), word("avenue", 220, 49), word("Gabriel", 260, 49),
             word("91700", 205, 61), word("Sainte-Geneviève", 240, 61)]  # fmt: skip
    cells = [(55, 45, 200, 80), (200, 45, 400, 80)]
    assert lines_of(words, cells) == [
        "Adresse postale complète code\t27 avenue Gabriel, 91700 Sainte-Geneviève"
    ]


def test_a_word_filling_its_line_and_the_next_word_wrapped_whole_keep_their_space() -> None:
    # "FONTAINE-DUBREUIL" fills the narrow cell; "Cédric" wrapped whole: two words.
    words = [word("FONTAINE-DUBREUIL", 205, 50), word("Cédric", 205, 61.6)]
    assert lines_of(words, [(200, 45, 292, 80)]) == ["FONTAINE-DUBREUIL Cédric"]
    # A word cut at the border goes on in its own case: one word.
    words = [word("GRANDJEAAAAAAAAAA", 205, 50), word("AN", 205, 61.6)]
    assert lines_of(words, [(200, 45, 292, 80)]) == ["GRANDJEAAAAAAAAAAAN"]


def test_two_mixed_lines_that_are_no_address_are_not_joined_by_guess() -> None:
    # A signer's title and name, mixed the same way: how the two lines join is not known
    # (", " or " "), so the row's order stands and the reading stays in doubt.
    words = [word("Adresse", 60, 52), word("postale", 100, 52), word("complète", 140, 52),
             word("code", 60, 63.6), word("Pour", 205, 49), word("le", 230, 49),
             word("Président,", 245, 49), word("Anne", 210, 61), word("VIDAL", 240, 61)]  # fmt: skip
    cells = [(55, 45, 200, 80), (200, 45, 400, 80)]
    assert lines_of(words, cells) == [
        "Adresse postale complète code\tPour Anne le VIDAL Président,"
    ]


def test_a_label_wrapped_beside_a_value_on_two_lines_reads_line_by_line() -> None:
    # "Nom du" / "responsable" beside an e-mail cut in two: read left to right the label's
    # words interleave ("Nom responsable du"); as lines, they make the label.
    # The e-mail's cell, two lines high, holds the row together (``depth``).
    words = [word("Nom", 100, 50), word("du", 120, 50), word("responsable", 100, 61.6),
             replace(word("r.ndiaye@mecs-", 200, 50), depth=71.6), word("hirondelles.fr", 200, 61.6)]  # fmt: skip
    [line] = [line.text for line in build_lines(words, is_label=is_label)]
    assert line.startswith("Nom du responsable\t")


def test_a_value_s_lines_are_not_read_as_a_label_s() -> None:
    words = [word("Service", 100, 50), replace(word("Direction", 200, 50), depth=71.6),
             word("de", 247, 50), word("enfance", 200, 61.6)]  # fmt: skip
    [line] = [line.text for line in build_lines(words, is_label=is_label)]
    assert line == "Service\tDirection enfance de"  # left mixed: doubted, not guessed


def test_an_address_s_town_line_in_a_two_line_cell_keeps_its_break() -> None:
    # "Kerampuil" / "29270 Carhaix-Plouguer", side by side in the row's order, not mixed:
    # still an address's two lines.
    words = [word("Adresse", 100, 55), replace(word("Kerampuil", 300, 50), depth=71.6),
             word("29270", 300, 61.6), word("Carhaix-Plouguer", 332, 61.6)]  # fmt: skip
    [line] = [line.text for line in build_lines(words)]
    assert line == "Adresse\tKerampuil, 29270 Carhaix-Plouguer"


def test_a_post_box_line_under_a_street_that_fills_its_cell_is_kept_apart() -> None:
    # A centred address: its street nearly as wide as the cell, then "CS 20349" and the
    # town. The box number would not have fitted after the street, yet it is a line of
    # its own, not the street wrapped.
    words = [word("Adresse", 100, 50), word("23", 302, 50), word("rue", 317, 50),
             word("de", 337, 50), word("la", 352, 50), word("Préfecture", 364, 50),
             word("CS", 345, 61.6), word("20349", 360, 61.6),
             word("70006", 330, 73.2), word("Vesoul", 360, 73.2), word("Cedex", 395, 73.2)]  # fmt: skip
    cells = [(95, 45, 295, 90), (300, 45, 420, 90)]
    text = "\n".join(lines_of(words, cells))
    assert read_rows(text_rows(text)).values.get(Field.ADDRESS) == (
        "23 rue de la Préfecture, CS 20349, 70006 Vesoul Cedex"
    )


def test_centred_lines_are_not_taken_for_a_wrap() -> None:
    # "Hôtel de Ville" centred over "Service courrier": lines that do not start at the
    # cell's left edge say nothing of what fitted on the first.
    words = [word("Adresse", 100, 50), word("Hôtel", 346, 50), word("de", 374, 50),
             word("Ville", 388, 50), word("Service", 340, 61.6), word("courrier", 378, 61.6)]  # fmt: skip
    cells = [(95, 45, 295, 80), (300, 45, 460, 80)]
    assert "Hôtel de Ville Service courrier" not in "\n".join(lines_of(words, cells))


def test_a_name_wrapped_in_a_right_set_cell_is_one_value() -> None:
    # "Le Président, par délégation, Régis" / "TOUZEAU", set right: the family name did
    # not fit on the first line.
    # The widths as the PDF gave them (N222 013), not five points a letter.
    words = [word("Par", 100, 50), Word("Le", 362.4, 375.6, 50, 60),
             Word("Président,", 378.9, 433.2, 50, 60), Word("par", 436.4, 454.6, 50, 60),
             Word("délégation,", 457.8, 517.3, 50, 60), Word("Régis", 520.6, 550.2, 50, 60),
             Word("TOUZEAU", 494.5, 550.3, 61.6, 71.6)]  # fmt: skip
    cells = [(95, 45, 295, 80), (300.6, 45, 555.6, 80)]
    assert lines_of(words, cells) == ["Par\tLe Président, par délégation, Régis TOUZEAU"]


def test_a_cell_s_line_ending_on_its_comma_is_joined_once() -> None:
    assert join_cell_lines(["Thierry VIDAL,", "Directeur du village"]) == (
        "Thierry VIDAL, Directeur du village"
    )
    assert join_cell_lines(["12 rue Gambetta", "32000 Auch"]) == "12 rue Gambetta, 32000 Auch"


def test_an_address_wrapped_in_a_cell_centred_on_its_row_joins_the_row() -> None:
    # No ruled cell: the address's two lines stand above and below the row's other cells.
    words = [word("M.", 100, 50), word("Thibault", 150, 50), word("LACROIX", 230, 50),
             word("thibault.lacroix@", 305, 42.6), word("lotetgaronne.fr", 305, 57.4),
             word("Mme", 100, 70), word("Inès", 150, 70), word("BEN", 230, 70),
             word("ines.ben@lotetgaronne.fr", 305, 70)]  # fmt: skip
    lines = [line.text for line in build_lines(centred_addresses(words))]
    assert lines == [
        "M.\tThibault\tLACROIX\tthibault.lacroix@lotetgaronne.fr",
        "Mme\tInès\tBEN\tines.ben@lotetgaronne.fr",
    ]


def test_an_address_cut_before_its_dot_in_a_centred_cell_joins_the_row() -> None:
    words = [word("M.", 100, 50), word("Kévin", 150, 50), word("DESBORDES", 230, 50),
             word("kevin.desbordes@haute-vienne.", 305, 42.6), word("fr", 305, 57.4)]  # fmt: skip
    lines = [line.text for line in build_lines(centred_addresses(words))]
    assert lines == ["M.\tKévin\tDESBORDES\tkevin.desbordes@haute-vienne.fr"]


def test_whole_addresses_on_consecutive_lines_are_left_alone() -> None:
    words = [word("a.roux@x.fr", 305, 42.6), word("M.", 100, 50), word("b.roux@x.fr", 305, 57.4)]
    assert centred_addresses(words) == words


def test_an_address_cut_after_a_dot_of_its_name_is_glued_without_a_space() -> None:
    # "corentin.lebihan." filling its cell, "direction@adapei72.org" below it.
    words = [word("M.", 100, 50), word("LE", 200, 50),
             word("corentin.lebihan.", 305, 50), word("direction@adapei72.org", 305, 61.6)]  # fmt: skip
    cells = [(95, 45, 195, 75), (195, 45, 300, 75), (300, 45, 392, 75)]
    assert lines_of(words, cells) == ["M.\tLE\tcorentin.lebihan.direction@adapei72.org"]


def test_a_centred_address_s_row_keeps_the_lines_of_its_neighbour_cell() -> None:
    # The address of two lines beside a label centred on them, then the e-mail's pieces.
    words = [word("Adresse", 20, 55.8), word("postale", 60, 55.8),
             word("22", 120, 50), word("allée", 135, 50), word("des", 165, 50),
             word("Tilleuls", 185, 50), word("31400", 120, 61.6), word("Toulouse", 150, 61.6),
             word("Adresse", 260, 55.8), word("e-mail", 300, 55.8),
             word("salvetat.ludivine@fondation-", 350, 50), word("stexupere.fr", 350, 61.6),
             word("Service", 20, 80), word("Formation", 120, 80)]  # fmt: skip
    lines = [line.text for line in build_lines(centred_addresses(words), is_label=is_label)]
    assert lines == [
        "Adresse postale\t22 allée des Tilleuls, 31400 Toulouse\tAdresse e-mail\t"
        "salvetat.ludivine@fondation-stexupere.fr",
        "Service\tFormation",
    ]
