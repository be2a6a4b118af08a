"""Pen readings set right by the strings the same mail types cleanly, and only those."""

from __future__ import annotations

from mailbot.understanding.bodies import split_history
from mailbot.understanding.lexicon import lexicon_of, snap_email, snap_phone, snap_text

BODY = (
    "Bonjour,\n\nVous trouverez en pièce jointe le formulaire d'inscription signé.\n\n"
    "Bien à vous,\n\nHervé FERRAND\nService contrôle et tarification\n"
    "Conseil départemental de la Dordogne\nTél : 05 93 11 47 41\n\n"
    "Le 12 octobre 2026, Jeanne MARTIN a écrit :\n> Madame Sophie BERNARD\n> 01 02 03 04 05\n"
)


def lexicon():
    own = split_history(BODY).new
    return lexicon_of("Hervé FERRAND", "herve.ferrand@dordogne.fr", own)


def test_the_lexicon_is_the_sender_and_the_signature_above_any_quote():
    lx = lexicon()
    assert lx.texts == (
        "Hervé FERRAND",
        "Service contrôle et tarification",
        "Conseil départemental de la Dordogne",
    )
    assert lx.emails == ("herve.ferrand@dordogne.fr",)
    assert lx.phones == ("05 93 11 47 41",)


def test_garbled_readings_snap_to_the_typed_string():
    lx = lexicon()
    assert (
        snap_text("Conseil déprlenental de ln Dorcne", lx) == "Conseil départemental de la Dordogne"
    )
    assert snap_text("Serice contrée el: \\ariPialion", lx) == "Service contrôle et tarification"
    assert snap_text("Herye FLRTAND", lx) == "Hervé FERRAND"
    assert snap_email("herveferand@drndieneFr", lx) == "herve.ferrand@dordogne.fr"
    assert snap_phone("O5 43 Il +7 4", lx) == "05 93 11 47 41"


def test_a_different_value_is_left_alone():
    lx = lexicon()
    assert snap_text("Service", lx) is None  # part of a line is another value
    assert snap_text("Sophie BERNARD", lx) is None  # quoted text is someone else's
    assert snap_text("Jeanne MARTIN", lx) is None
    assert snap_phone("01 02 03 04 05", lx) is None
    assert snap_text(None, lx) is None and snap_text("|", lx) is None  # nothing is invented


def test_two_clean_strings_that_both_fit_leave_the_reading_as_it_is():
    lx = lexicon_of("Paul MARTIN", None, "Cordialement\n\nPaula MARTIN\nPaul MARTIN\n")
    assert snap_text("Paul MARTIN", lx) == "Paul MARTIN"  # the same string twice is one
    lx = lexicon_of(None, None, "Cordialement\n\nJean DUPOND\nJean DUPONT\n")
    assert snap_text("Jean DUPONX", lx) is None


def test_international_and_national_forms_of_a_number_are_the_same_line():
    lx = lexicon_of(None, None, "Cordialement\n\nJulien ROUX\nTél : +33 3 94 30 34 33\n")
    assert snap_phone("03 94 30 34 33", lx) == "+33 3 94 30 34 33"


def test_a_handwritten_form_s_readings_are_set_right_and_flagged_uncertain():
    from mailbot.understanding.labels import Field
    from mailbot.understanding.mime import parse_mail
    from mailbot.understanding.reading import _typed_where_legible
    from tests.story import a_mail

    mail = parse_mail(a_mail(sender="Hervé FERRAND <herve.ferrand@dordogne.fr>", body=BODY))
    uncertain: list[str] = []
    read = {
        Field.ORG_NAME: "Conseil déprlenental de ln Dorcne",
        Field.MANAGER_NAME: "Hervé FLREAND",
        Field.ADDRESS: "V re PadLeuis Courier",  # not in the mail: stays as read
        Field.MANAGER_EMAIL: "herveferand@drndieneFr",
    }

    fixed = _typed_where_legible(read, mail, uncertain)

    assert fixed[Field.ORG_NAME] == "Conseil départemental de la Dordogne"
    assert fixed[Field.MANAGER_NAME] == "Hervé FERRAND"
    assert fixed[Field.MANAGER_EMAIL] == "herve.ferrand@dordogne.fr"
    assert fixed[Field.ADDRESS] == "V re PadLeuis Courier"
    assert uncertain == ["organisation.name", "manager.full_name", "manager.email"]
    assert read[Field.ORG_NAME] == "Conseil déprlenental de ln Dorcne"  # the form is not changed


def test_a_signature_after_the_standard_dash_dash_line_is_read():
    own = split_history(
        "Bonjour,\n\nci-joint le bulletin.\n\n-- \nHervé FERRAND\nService contrôle\n"
    ).new
    lx = lexicon_of(None, None, own)
    assert "Hervé FERRAND" in lx.texts and "Service contrôle" in lx.texts
