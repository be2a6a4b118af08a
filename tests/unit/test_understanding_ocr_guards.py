"""Values read by OCR that are likely misread are sent to a person, not answered automatically."""

from __future__ import annotations

from mailbot.understanding.names import clean_value
from mailbot.understanding.reading import _guessed


def test_a_value_holding_a_word_read_with_low_confidence_is_uncertain() -> None:
    read = [
        ("organisation.address", "64 rue J ean-j acques de Monaix, 64000 Pau"),
        ("organisation.name", "Département des Landes"),
    ]
    assert _guessed(read, frozenset({"ean-j"})) == ["organisation.address"]


def test_a_word_split_after_its_capital_is_uncertain() -> None:
    read = [
        ("organisation.name", "Département des P yrénées-Atlantiques"),
        ("organisation.address", "12 rue de l'Église, BP 7, 40000 Mont-de-Marsan"),
        ("manager.full_name", "J. Dupont"),
        ("signatory", "Le Directeur, A. Roux"),
    ]
    assert _guessed(read, frozenset()) == ["organisation.name"]


def test_an_ocr_email_whose_only_capital_is_i_or_o_is_uncertain() -> None:
    read = [
        ("participants[0].email", "Idavid@ccas-pau.fr"),  # "l" read as "I"
        ("participants[1].email", "jean.mOreau@ccas-pau.fr"),
        ("participants[2].email", "ldavid@ccas-pau.fr"),
        ("participants[3].email", "GCastaing@Ville.fr"),  # written so: mixed case on purpose
    ]
    assert _guessed(read, frozenset()) == ["participants[0].email", "participants[1].email"]


def test_a_table_rule_read_as_a_bar_is_not_part_of_a_value() -> None:
    assert clean_value("Pau |") == "Pau"
    assert clean_value("| SAAD Aide et Présence 31") == "SAAD Aide et Présence 31"
    assert clean_value("|") is None
