"""Staff corrections address fields by path; a wrong path is explained, never guessed."""

from __future__ import annotations

import pytest

from mailbot.staff.corrections import CorrectionError, apply, parse_assignments
from mailbot.staff.reasons import field_label

STORED = {
    "kind": "registration",
    "session": None,
    "organisation": {"name": "CCAS de Pau", "address": None},
    "participants": [
        {"civility": "Mme", "first_name": "Anne", "last_name": "Roux", "email": "anne@pau"}
    ],
}


def test_fields_are_corrected_and_the_original_is_untouched():
    changed = apply(
        STORED,
        parse_assignments(
            [
                "participants[0].email=anne.roux@ccas-pau.fr",
                "organisation.address=Place Royale, 64000 Pau",
                "session=cpom-saad@2027-03-18",
                "participants[1].first_name=Luc",
            ]
        ),
    )
    assert changed["participants"][0]["email"] == "anne.roux@ccas-pau.fr"
    assert changed["participants"][1]["first_name"] == "Luc"
    assert changed["organisation"]["address"] == "Place Royale, 64000 Pau"
    assert changed["session"] == {"webinar_id": "cpom-saad", "date": "2027-03-18"}
    assert STORED["participants"][0]["email"] == "anne@pau"


@pytest.mark.parametrize(
    "item",
    [
        "participants[5].email=x@y.fr",
        "participant[0].email=x",
        "colour=red",
        "session=saad",
        "novalue",
    ],
)
def test_a_wrong_path_is_refused(item):
    with pytest.raises(CorrectionError):
        apply(STORED, parse_assignments([item]))


def test_a_participant_can_be_removed():
    assert apply(STORED, {"participants.remove": "0"})["participants"] == []


def test_reason_paths_read_as_french():
    assert field_label("participants[1].email") == "adresse e-mail du participant n° 2"
    assert field_label("manager.full_name") == "prénom et nom du gestionnaire"
    # Every path a reason can carry, in French, with the right article.
    assert field_label("organisation.name") == "dénomination de l'organisme"
    assert field_label("manager.phone") == "téléphone du gestionnaire"
    assert field_label("declared_total_eur") == "montant total déclaré"
    assert field_label("signed_date") == "date de signature"
    assert field_label("participants[2]") == "participant n° 3"
    assert field_label("unread_line") == "ligne du formulaire restée illisible"


def test_a_corrected_value_is_no_longer_an_uncertain_reading():
    stored = {
        **STORED,
        "uncertain_fields": ["participants[0].email", "organisation.name", "replacement"],
    }
    changed = apply(
        stored,
        {"participants[0].email": "anne.roux@ccas-pau.fr", "replacement.email": "l@x.fr"},
    )
    assert changed["uncertain_fields"] == ["organisation.name"]
    assert stored["uncertain_fields"] == [
        "participants[0].email",
        "organisation.name",
        "replacement",
    ]
