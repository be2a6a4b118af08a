"""Buyer classification, payment terms and the spec's own rules."""

import datetime as dt
from decimal import Decimal

import pytest

from mailbot.invoicing.model import (
    BuyerCategory,
    InvoiceKind,
    InvoiceLine,
    classify_buyer,
    payment_terms,
)
from mailbot.invoicing.samples import PRIVATE_BUYER, sample_credit_note, sample_invoice

PUBLIC, HOSPITAL, PRIVATE = (
    BuyerCategory.PUBLIC,
    BuyerCategory.PUBLIC_HOSPITAL,
    BuyerCategory.PRIVATE,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Département de la Gironde", PUBLIC),
        ("Conseil départemental du Nord", PUBLIC),
        ("CONSEIL DEPARTEMENTAL DE LA HAUTE-GARONNE", PUBLIC),
        ("ARS Occitanie", PUBLIC),
        ("Agence régionale de santé Nouvelle-Aquitaine", PUBLIC),
        ("CCAS de Pau", PUBLIC),
        ("Mairie de Lons", PUBLIC),
        ("Communauté d'agglomération Pau Béarn Pyrénées", PUBLIC),
        ("Métropole de Lyon", PUBLIC),
        ("Centre hospitalier de Pau", HOSPITAL),
        ("CH de Dax", HOSPITAL),
        ("CHU de Bordeaux", HOSPITAL),
        ("GHT Landes", HOSPITAL),
        ("Association Les Genêts d'Or", PRIVATE),
        ("ADMR du Finistère", PRIVATE),
        ("SAS Aide & Vie", PRIVATE),
        ("Association départementale des amis et parents d'enfants inadaptés", PRIVATE),
        ("Hôpital privé d'Antony", PRIVATE),
        ("Les Petits Frères des Pauvres", PRIVATE),
    ],
)
def test_classify_buyer(name: str, expected: BuyerCategory) -> None:
    assert classify_buyer(name) is expected


def test_private_buyers_pay_on_receipt() -> None:
    text, due = payment_terms(PRIVATE, dt.date(2026, 11, 20))
    assert text == "Payable à réception de facture"
    assert due == dt.date(2026, 11, 20)


def test_public_buyers_have_thirty_days() -> None:
    text, due = payment_terms(PUBLIC, dt.date(2026, 11, 20))
    assert "délai global de paiement de 30 jours" in text
    assert due == dt.date(2026, 12, 20)


def test_public_hospitals_have_fifty_days() -> None:
    text, due = payment_terms(HOSPITAL, dt.date(2026, 11, 20))
    assert "50 jours" in text
    assert due == dt.date(2027, 1, 9)


def test_line_total_is_rounded_to_the_cent() -> None:
    line = InvoiceLine("Webinaire", Decimal(8), Decimal("635.00"))
    assert line.total == Decimal("5080.00")


def test_spec_copies_terms_from_the_buyer_category() -> None:
    spec = sample_invoice(buyer=PRIVATE_BUYER)
    assert spec.payment_terms == "Payable à réception de facture"
    assert spec.due_date == spec.issue_date


def test_credit_note_names_the_credited_invoice() -> None:
    note = sample_credit_note()
    assert note.kind is InvoiceKind.CREDIT_NOTE
    assert note.credited_invoice_number == "2026-000123"
    assert note.due_date is None


def test_an_invoice_cannot_name_a_credited_invoice() -> None:
    from dataclasses import replace

    with pytest.raises(ValueError, match="credit note"):
        replace(sample_invoice(), credited_invoice_number="2026-000001")
