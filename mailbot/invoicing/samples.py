"""Sample invoices for tests, the benchmark and the README pictures.

The seller and the three webinars mirror ``config/catalog.toml`` so that samples look
like real IPP invoices without reading any file.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from mailbot.catalog import Seller
from mailbot.invoicing.model import (
    Buyer,
    BuyerCategory,
    InvoiceKind,
    InvoiceLine,
    InvoiceSpec,
    References,
    build_spec,
)

SAMPLE_SELLER = Seller(
    name="Institut de la Performance Publique",
    legal_form="Association loi 1901",
    address_lines=("12 rue de l'Université",),
    postcode="75007",
    city="Paris",
    siren="802954701",
    siret="80295470100016",
    training_declaration="11 75 52345 75",
    email="ipp@ipp.fr",
    phone="01 45 55 12 34",
    website="https://www.ipp.fr",
    iban="FR76 3000 6000 0112 3456 7890 189",
    bic="AGRIFRPP",
    bank_name="Crédit Agricole Île-de-France",
    vat_exemption_text=(
        "TVA non applicable – exonération prévue à l'article 261-4-4° a du Code général des impôts"
    ),
)

# (title, price, session date) for IPP's three webinars.
WEBINARS = {
    "cpom-ase": (
        "Les CPOM des établissements et services de l'ASE",
        Decimal("635.00"),
        dt.date(2026, 11, 26),
    ),
    "cpom-ph": (
        'Etablissements et services "Handicap" : les outils de construction d\'un CPOM',
        Decimal("635.00"),
        dt.date(2026, 11, 27),
    ),
    "cpom-saad": (
        "Mettre en place un CPOM dans le secteur de l'aide à domicile",
        Decimal("625.00"),
        dt.date(2027, 3, 18),
    ),
}

PARTICIPANTS = (
    "Mme Marie Dupont",
    "M. Jean-Luc Martin",
    "Mme Élodie Lefèvre",
    "M. Karim Benali",
    "Mme Sophie N'Guyen",
    "M. François d'Almeida",
    "Mme Anne-Cécile Moreau",
    "M. Thomas Œuvray",
)

PUBLIC_BUYER = Buyer(
    name="Département de la Gironde",
    address_lines=(
        "Direction de la protection de l'enfance et de la famille",
        "1 esplanade Charles de Gaulle",
        "CS 71223",
    ),
    postcode="33074",
    city="Bordeaux Cedex",
    category=BuyerCategory.PUBLIC,
    siret="22330001300016",
    chorus_service_code="DGAS-PEF",
    engagement_number="EJ 2026-004512",
    contact_email="formation@gironde.fr",
)

PRIVATE_BUYER = Buyer(
    name="Association Les Genêts d'Or",
    address_lines=("Service comptabilité", "4 rue des Tilleuls"),
    postcode="29200",
    city="Brest",
    category=BuyerCategory.PRIVATE,
    siret="77856432100028",
    contact_email="compta@genetsdor.example",
)

HOSPITAL_BUYER = Buyer(
    name="Centre hospitalier de Pau",
    address_lines=("Direction des affaires financières", "4 boulevard Hauterive"),
    postcode="64046",
    city="Pau Cedex",
    category=BuyerCategory.PUBLIC_HOSPITAL,
    siret="26640007700016",
    chorus_service_code="DAF",
)


def session_line(webinar_id: str, participants: int) -> InvoiceLine:
    """One webinar line for the first ``participants`` sample names."""
    title, price, day = WEBINARS[webinar_id]
    return InvoiceLine(
        designation=title,
        quantity=Decimal(participants),
        unit_price=price,
        details=PARTICIPANTS[:participants],
        service_date=day,
        hours="9h30–12h45 et 13h45–17h00",
    )


def sample_invoice(
    webinar_id: str = "cpom-ase",
    participants: int = 2,
    buyer: Buyer = PUBLIC_BUYER,
    number: str = "2026-000123",
    issue_date: dt.date = dt.date(2026, 11, 20),
) -> InvoiceSpec:
    return build_spec(
        kind=InvoiceKind.INVOICE,
        number=number,
        issue_date=issue_date,
        seller=SAMPLE_SELLER,
        buyer=buyer,
        lines=(session_line(webinar_id, participants),),
        references=References(registration="INS-2026-0042"),
    )


def sample_credit_note(
    credited: InvoiceSpec | None = None,
    number: str = "2026-000131",
    issue_date: dt.date = dt.date(2026, 11, 24),
) -> InvoiceSpec:
    """A full credit note cancelling ``credited`` (by default the sample invoice)."""
    original = credited or sample_invoice()
    return build_spec(
        kind=InvoiceKind.CREDIT_NOTE,
        number=number,
        issue_date=issue_date,
        seller=SAMPLE_SELLER,
        buyer=original.buyer,
        lines=original.lines,
        references=References(
            registration=original.registration_reference,
            credited_invoice_number=original.number,
            credited_invoice_date=original.issue_date,
            note="Annulation de l'inscription à la demande du client.",
        ),
    )
