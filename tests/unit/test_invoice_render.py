"""The rendered PDF, read back as an accountant (text) and as a machine (Factur-X XML)."""

import io
import re
from decimal import Decimal

import facturx
import pytest
from lxml import etree
from pypdf import PdfReader

from mailbot.invoicing.facturx_xml import NS
from mailbot.invoicing.model import InvoiceSpec
from mailbot.invoicing.render import RenderedInvoice, amount_in_words, render_invoice
from mailbot.invoicing.samples import (
    HOSPITAL_BUYER,
    PARTICIPANTS,
    PRIVATE_BUYER,
    PUBLIC_BUYER,
    WEBINARS,
    sample_credit_note,
    sample_invoice,
)


def pdf_text(rendered: RenderedInvoice) -> str:
    """The page text with each run of spaces or line breaks (Babel's too) as one space."""
    reader = PdfReader(io.BytesIO(rendered.pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def embedded_xml(rendered: RenderedInvoice) -> etree._Element:
    filename, xml = facturx.get_xml_from_pdf(rendered.pdf, check_xsd=True)
    assert filename == "factur-x.xml"
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    return etree.fromstring(xml)


def xpath(root: etree._Element, path: str) -> list[str]:
    return [str(v) for v in root.xpath(path, namespaces=NS)]


@pytest.fixture(scope="module")
def public_spec() -> InvoiceSpec:
    return sample_invoice("cpom-ase", 2, PUBLIC_BUYER)


@pytest.fixture(scope="module")
def public_invoice(public_spec: InvoiceSpec) -> RenderedInvoice:
    return render_invoice(public_spec)


def test_invoice_shows_every_mandatory_mention(public_invoice: RenderedInvoice) -> None:
    rendered = public_invoice
    text = pdf_text(rendered)
    for expected in [
        "FACTURE",
        "2026-000123",
        "20 novembre 2026",
        "Institut de la Performance Publique",
        "12 rue de l'Université",
        "75007 Paris",
        "SIREN 802 954 701",
        "SIRET 802 954 701 00016",
        "Déclaration d'activité enregistrée sous le n° 11 75 52345 75",
        "ne vaut pas agrément de l'État",
        "Département de la Gironde",
        "1 esplanade Charles de Gaulle",
        "33074 Bordeaux Cedex",
        "SIRET 223 300 013 00016",
        "DGAS-PEF",
        "EJ 2026-004512",
        "Les CPOM des établissements et services de",
        "26 novembre 2026",
        "9h30–12h45 et 13h45–17h00",
        "Mme Marie Dupont",
        "M. Jean-Luc Martin",
        "635,00 €",
        "1 270,00 €",
        "Total HT",
        "Net à payer",
        "TVA non applicable",
        "261-4-4° a du Code général des impôts",
        "délai global de paiement de 30 jours",
        "20 décembre 2026",
        "trois fois le taux de l'intérêt légal",
        "40 €",
        "Pas d'escompte pour paiement anticipé",
        "FR76 3000 6000 0112 3456 7890 189",
        "AGRIFRPP",
        "Crédit Agricole Île-de-France",
        "mille deux cent soixante-dix euros",
        "Page 1 / 1",
    ]:
        assert expected in text, expected


def test_invoice_xml_carries_the_key_values(public_invoice: RenderedInvoice) -> None:
    rendered = public_invoice
    root = embedded_xml(rendered)
    assert rendered.xml == etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    assert xpath(root, "//rsm:ExchangedDocument/ram:ID/text()") == ["2026-000123"]
    assert xpath(root, "//rsm:ExchangedDocument/ram:TypeCode/text()") == ["380"]
    assert xpath(root, "//ram:IssueDateTime/udt:DateTimeString/text()") == ["20261120"]
    assert xpath(root, "//ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID/text()") == [
        "80295470100016"
    ]
    assert xpath(root, "//ram:SellerTradeParty//ram:ID/@schemeID")[0] == "0002"
    assert xpath(root, "//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID/text()") == [
        "22330001300016"
    ]
    assert xpath(root, "//ram:BuyerReference/text()") == ["DGAS-PEF"]
    assert xpath(root, "//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID/text()") == [
        "EJ 2026-004512"
    ]
    assert set(xpath(root, "//ram:ApplicableTradeTax/ram:CategoryCode/text()")) == {"E"}
    assert xpath(root, "//ram:ExemptionReasonCode/text()") == ["VATEX-EU-132-1I"]
    assert xpath(root, "//ram:IBANID/text()") == ["FR763000600001123456789 0189".replace(" ", "")]
    assert xpath(root, "//ram:DueDateDateTime/udt:DateTimeString/text()") == ["20261220"]
    totals = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
    for name in ("LineTotalAmount", "TaxBasisTotalAmount", "GrandTotalAmount", "DuePayableAmount"):
        assert xpath(root, f"{totals}{name}/text()") == ["1270.00"], name
    assert xpath(root, f"{totals}TaxTotalAmount/text()") == ["0.00"]


def test_pdf_is_pdfa3_with_facturx_metadata(public_invoice: RenderedInvoice) -> None:
    rendered = public_invoice
    reader = PdfReader(io.BytesIO(rendered.pdf))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert b"<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in xmp
    etree.fromstring(xmp.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])  # well-formed
    filespec = reader.trailer["/Root"]["/AF"][0].get_object()
    assert filespec["/AFRelationship"] == "/Data"
    assert filespec["/EF"]["/F"].get_object()["/Subtype"] == "/text/xml"


def test_same_spec_gives_identical_bytes(
    public_spec: InvoiceSpec, public_invoice: RenderedInvoice
) -> None:
    rendered = public_invoice
    again = render_invoice(public_spec)
    assert again.pdf == rendered.pdf
    assert again.sha256 == rendered.sha256


def test_private_buyer_pays_on_receipt() -> None:
    rendered = render_invoice(sample_invoice(buyer=PRIVATE_BUYER))
    text = pdf_text(rendered)
    assert "Payable à réception de facture" in text
    assert "Chorus Pro" not in text
    root = embedded_xml(rendered)
    assert xpath(root, "//ram:BuyerReference") == []
    assert xpath(root, "//ram:BusinessProcessSpecifiedDocumentContextParameter") == []


def test_public_hospital_has_fifty_days() -> None:
    text = pdf_text(render_invoice(sample_invoice(buyer=HOSPITAL_BUYER)))
    assert "délai global de paiement de 50 jours" in text
    assert "9 janvier 2027" in text


@pytest.mark.parametrize("webinar_id", sorted(WEBINARS))
@pytest.mark.parametrize("participants", [1, 8])
def test_every_webinar_for_one_and_eight_participants(webinar_id: str, participants: int) -> None:
    spec = sample_invoice(webinar_id, participants, PRIVATE_BUYER)
    rendered = render_invoice(spec)
    text = pdf_text(rendered)
    title, price, _ = WEBINARS[webinar_id]
    total = price * participants
    assert f"{total:,.2f}".replace(",", " ").replace(".", ",") + " €" in text
    for name in PARTICIPANTS[:participants]:
        assert name in text
    assert title.split(" ")[-1] in text
    root = embedded_xml(rendered)
    assert xpath(root, "//ram:GrandTotalAmount/text()") == [f"{total:.2f}"]
    assert xpath(root, "//ram:BilledQuantity/text()") == [str(participants)]
    assert len(PdfReader(io.BytesIO(rendered.pdf)).pages) == 1


def test_eight_participants_at_635_is_5080() -> None:
    text = pdf_text(render_invoice(sample_invoice("cpom-ph", 8, PRIVATE_BUYER)))
    assert "5 080,00 €" in text
    assert "cinq mille quatre-vingts euros" in text


def test_credit_note_refers_to_the_original_invoice() -> None:
    rendered = render_invoice(sample_credit_note())
    text = pdf_text(rendered)
    assert "AVOIR" in text
    assert "Avoir relatif à la facture n° 2026-000123 du 20 novembre 2026" in text.replace(
        "\n", " "
    )
    assert "Montant de l'avoir" in text
    assert "Net à payer" not in text
    root = embedded_xml(rendered)
    assert xpath(root, "//rsm:ExchangedDocument/ram:TypeCode/text()") == ["381"]
    assert xpath(root, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID/text()") == [
        "2026-000123"
    ]
    assert xpath(root, "//ram:InvoiceReferencedDocument//qdt:DateTimeString/text()") == ["20261120"]


def test_amount_in_words() -> None:
    assert amount_in_words(Decimal("1270")) == "mille deux cent soixante-dix euros"
    assert amount_in_words(Decimal("1.50")) == "un euro et cinquante centimes"
