"""Labels written over their values in a mail's body: each value goes to its label."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailbot.catalog import load_catalog
from mailbot.understanding import understand
from mailbot.understanding.model import Decision
from tests.factories.mails import mail

ROOT = Path(__file__).resolve().parents[2]

BODY = """Bonjour,

Veuillez trouver ci-dessous notre inscription au webinaire ASE du 26 novembre 2026.

ORGANISME
Dénomination
{name}
Adresse postale
12 rue des Lilas
91240 Saint-Michel-sur-Orge

GESTIONNAIRE DE L'INSCRIPTION
Prénom et NOM
Martine ROUX
Adresse e-mail
m.roux@ssiad-orge.fr

PARTICIPANTS
Mme Julie PETIT - j.petit@ssiad-orge.fr

Nombre de participants : 1
Montant total : 635 euros
Fait à Saint-Michel-sur-Orge, le 02/10/2026
Par Martine ROUX, directrice
"""


def test_labels_over_their_values_under_a_heading_are_labels_not_the_organisation() -> None:
    # Under "ORGANISME", a block ending on a postcode reads as an envelope (name, then
    # address) only when no line of it is a label: here "Dénomination" is one.
    catalog = load_catalog(ROOT / "config" / "catalog.toml")
    u = understand(mail(BODY.format(name="SSIAD du Val d'Orge"),
                        date="Mon, 05 Oct 2026 10:00:00 +0200"), catalog)  # fmt: skip
    assert u.decision is Decision.AUTO, u.reasons
    assert u.organisation is not None
    assert u.organisation.name == "SSIAD du Val d'Orge"
    assert u.organisation.address == "12 rue des Lilas, 91240 Saint-Michel-sur-Orge"


def test_a_label_read_as_a_value_is_never_confirmed() -> None:
    # The form's own label where the name goes: no invoice is made out to "Dénomination".
    catalog = load_catalog(ROOT / "config" / "catalog.toml")
    body = BODY.format(name="").replace("Dénomination\n\n", "Dénomination : Dénomination\n")
    u = understand(mail(body, date="Mon, 05 Oct 2026 10:00:00 +0200"), catalog)
    assert u.decision is Decision.REVIEW
    assert "uncertain:organisation.name" in u.reasons


@pytest.mark.parametrize("service", ["Responsable", "Direction"])
def test_a_service_named_like_a_label_is_its_value(service: str) -> None:
    # "Responsable" is also a label of the manager's name, "Direction" of the service
    # itself: both are services many forms carry.
    catalog = load_catalog(ROOT / "config" / "catalog.toml")
    body = BODY.format(name="SSIAD du Val d'Orge").replace(
        "Martine ROUX\nAdresse e-mail", f"Martine ROUX\nService\n{service}\nAdresse e-mail"
    )
    u = understand(mail(body, date="Mon, 05 Oct 2026 10:00:00 +0200"), catalog)
    assert u.manager is not None and u.manager.service == service
    assert u.decision is Decision.AUTO, u.reasons
