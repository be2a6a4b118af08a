"""OCR slips in an address are repaired only when one reading is left; else the address stays as read."""

from __future__ import annotations

import pytest

from mailbot.understanding.emails import domain_of, find_emails, repair_ocr

FORM_DOMAINS = frozenset({"mutuelle-so.fr"})


@pytest.mark.parametrize(
    ("read", "domains", "expected"),
    [
        ("anne.roux @ gironde.fr", frozenset(), ("anne.roux@gironde.fr", True)),
        ("laetitia. lebris@apf.org", FORM_DOMAINS | {"apf.org"}, ("laetitia.lebris@apf.org", True)),
        ("jean,dupont@gironde.fr", frozenset(), ("jean.dupont@gironde.fr", True)),
        ("anne.roux(at)gironde.fr", frozenset(), ("anne.roux@gironde.fr", True)),
        ("anne.roux©gironde.fr", frozenset(), ("anne.roux@gironde.fr", True)),
        # A stamp's letters glued after the address: two valid readings, the form's domain decides.
        ("m.diallo@mutuelle-so.fr Pire", FORM_DOMAINS, ("m.diallo@mutuelle-so.fr", True)),
        (
            "Ste m.diallo@mutuelle-so.fr",
            frozenset({"x.fr"}),
            ("Ste m.diallo@mutuelle-so.fr", False),
        ),
        # Glued before, both readings keep the domain ("Stem.diallo@..."): left as read.
        ("Ste m.diallo@mutuelle-so.fr", FORM_DOMAINS, ("Ste m.diallo@mutuelle-so.fr", False)),
        # ... and without that clue nothing is guessed: validation sends it to review.
        ("m.diallo@mutuelle-so.fr Pire", frozenset(), ("m.diallo@mutuelle-so.fr Pire", False)),
        ("jean.dupont@gironde", FORM_DOMAINS, ("jean.dupont@gironde", False)),
        ("a@b.fr c@d.fr", FORM_DOMAINS, ("a@b.fr c@d.fr", False)),
    ],
)
def test_repair_only_when_unambiguous(
    read: str, domains: frozenset[str], expected: tuple[str, bool]
) -> None:
    assert repair_ocr(read, domains) == expected


def test_domain_of_valid_addresses_only() -> None:
    assert domain_of("A.Roux@Gironde.FR") == "gironde.fr"
    assert domain_of("a.roux@gironde") is None
    assert domain_of(None) is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("son adresse : pierre-yves.le cam@ks.bzh", ["pierre-yves.le cam@ks.bzh"]),
        ("Mme Anne ROUX anne.roux@x.fr", ["anne.roux@x.fr"]),
        ("M. roux@x.fr", ["roux@x.fr"]),
        ("Site : www.x.fr contact@x.fr", ["contact@x.fr"]),
        ("a.b@x.fr c.d@x.fr", ["a.b@x.fr", "c.d@x.fr"]),
        ("M. Arnaud COURVOISIER - arnaud. courvoisier@x.fr", ["arnaud. courvoisier@x.fr"]),
        ("jean_ dupont@x.fr", ["jean_ dupont@x.fr"]),
        ("Mél. dupont@x.fr", ["dupont@x.fr"]),
        ("Mme. dupont@x.fr", ["dupont@x.fr"]),
        ("Courriel - dupont@x.fr", ["dupont@x.fr"]),
    ],
)
def test_an_address_cut_by_a_space_is_found_whole(text: str, found: list[str]) -> None:
    assert find_emails(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("jl.bernard@ars.sante,fr", ["jl.bernard@ars.sante,fr"]),
        ("jl.bernard@ars.sante,fr.", ["jl.bernard@ars.sante,fr"]),
        # A list typed without spaces: the next address is no domain's ending.
        ("a@x.fr,b@x.fr", ["a@x.fr", "b@x.fr"]),
        ("a@x.fr, puis b@x.fr", ["a@x.fr", "b@x.fr"]),
    ],
)
def test_a_comma_typed_for_the_domain_s_last_dot_is_kept_in_the_address(
    text: str, found: list[str]
) -> None:
    assert find_emails(text) == found
