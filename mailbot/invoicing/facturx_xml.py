"""The Factur-X XML of an invoice: UN/CEFACT CII D16B, EN 16931 profile.

Element order follows the CII schema (the XSD rejects any other order). Choices that a
Chorus Pro or e-invoicing platform reader would ask about:

- Legal registration (BT-30 / BT-47): the **SIRET**, schemeID ``0002`` (SIRENE), as Chorus
  Pro identifies seller and buyer establishments by SIRET.
- VAT category ``E`` (exempt) at 0 %, with the exemption text (BT-120) and the code
  ``VATEX-EU-132-1I`` (BT-121): article 132(1)(i) of Directive 2006/112/EC, vocational
  training by recognised bodies, which CGI art. 261-4-4° a transposes. The newer national
  code ``VATEX-FR-CGI261-4`` says the same but only exists in recent releases of the CEF
  code list; the EU code is accepted by every release, including older validators.
- BR-E-02 wants a seller VAT identifier or tax registration on an exempt invoice: the VAT
  number when the seller has one, otherwise the SIREN as a tax registration (scheme ``FC``).
- French mandatory notes as document notes with their UNTDID 4451 subject codes:
  PMD (late-payment penalties and the 40 € indemnity) and AAB (no early-payment discount).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lxml import etree

from mailbot.invoicing.model import Buyer, InvoiceKind, InvoiceLine, InvoiceSpec, Party

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
EN16931_GUIDELINE = "urn:cen.eu:en16931:2017"
# Chorus Pro "cadre de facturation" A1: an invoice deposited by the supplier.
CHORUS_BUSINESS_PROCESS = "A1"
TYPE_CODES = {InvoiceKind.INVOICE: "380", InvoiceKind.CREDIT_NOTE: "381"}
SIRENE_SCHEME = "0002"
VAT_CATEGORY_EXEMPT = "E"
VAT_EXEMPTION_CODE = "VATEX-EU-132-1I"
SEPA_CREDIT_TRANSFER = "58"
UNIT_ONE = "C62"  # UN/ECE rec 20 "one": a participant place
DATE_FORMAT_102 = "102"  # CCYYMMDD

_Element = etree._Element


def _q(tag: str) -> str:
    prefix, _, local = tag.partition(":")
    return f"{{{NS[prefix]}}}{local}"


def _sub(parent: _Element, tag: str, text: str | None = None, **attrs: str) -> _Element:
    child = etree.SubElement(parent, _q(tag), attrs)
    if text is not None:
        child.text = text
    return child


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _date(parent: _Element, tag: str, day: dt.date, qualified: bool = False) -> None:
    holder = _sub(parent, tag)
    _sub(
        holder,
        "qdt:DateTimeString" if qualified else "udt:DateTimeString",
        day.strftime("%Y%m%d"),
        format=DATE_FORMAT_102,
    )


def build_facturx_xml(spec: InvoiceSpec) -> bytes:
    """Serialise the spec as Factur-X EN 16931 XML (UTF-8, with declaration)."""
    root = etree.Element(_q("rsm:CrossIndustryInvoice"), nsmap=NS)
    _context(root, spec)
    _document(root, spec)
    transaction = _sub(root, "rsm:SupplyChainTradeTransaction")
    for index, line in enumerate(spec.lines, start=1):
        _line_item(transaction, index, line)
    _agreement(transaction, spec)
    _delivery(transaction, spec)
    _settlement(transaction, spec)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _context(root: _Element, spec: InvoiceSpec) -> None:
    context = _sub(root, "rsm:ExchangedDocumentContext")
    if spec.buyer.category.uses_chorus_pro:
        process = _sub(context, "ram:BusinessProcessSpecifiedDocumentContextParameter")
        _sub(process, "ram:ID", CHORUS_BUSINESS_PROCESS)
    guideline = _sub(context, "ram:GuidelineSpecifiedDocumentContextParameter")
    _sub(guideline, "ram:ID", EN16931_GUIDELINE)


def _document(root: _Element, spec: InvoiceSpec) -> None:
    document = _sub(root, "rsm:ExchangedDocument")
    _sub(document, "ram:ID", spec.number)
    _sub(document, "ram:TypeCode", TYPE_CODES[spec.kind])
    _date(document, "ram:IssueDateTime", spec.issue_date)
    notes = [(spec.note, None), (spec.late_penalty_text, "PMD"), (spec.early_payment_text, "AAB")]
    for content, subject in notes:
        if not content:
            continue
        note = _sub(document, "ram:IncludedNote")
        _sub(note, "ram:Content", content)
        if subject:
            _sub(note, "ram:SubjectCode", subject)


def _line_item(transaction: _Element, index: int, line: InvoiceLine) -> None:
    item = _sub(transaction, "ram:IncludedSupplyChainTradeLineItem")
    document = _sub(item, "ram:AssociatedDocumentLineDocument")
    _sub(document, "ram:LineID", str(index))
    if line.details:
        note = _sub(document, "ram:IncludedNote")
        _sub(note, "ram:Content", "Participants : " + ", ".join(line.details))
    product = _sub(item, "ram:SpecifiedTradeProduct")
    _sub(product, "ram:Name", line.designation)
    agreement = _sub(item, "ram:SpecifiedLineTradeAgreement")
    price = _sub(agreement, "ram:NetPriceProductTradePrice")
    _sub(price, "ram:ChargeAmount", _amount(line.unit_price))
    delivery = _sub(item, "ram:SpecifiedLineTradeDelivery")
    _sub(delivery, "ram:BilledQuantity", f"{line.quantity.normalize():f}", unitCode=UNIT_ONE)
    settlement = _sub(item, "ram:SpecifiedLineTradeSettlement")
    tax = _sub(settlement, "ram:ApplicableTradeTax")
    _sub(tax, "ram:TypeCode", "VAT")
    _sub(tax, "ram:CategoryCode", VAT_CATEGORY_EXEMPT)
    _sub(tax, "ram:RateApplicablePercent", "0")
    summation = _sub(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    _sub(summation, "ram:LineTotalAmount", _amount(line.total))


def _address(
    party: _Element, lines: tuple[str, ...], postcode: str, city: str, country: str
) -> None:
    address = _sub(party, "ram:PostalTradeAddress")
    _sub(address, "ram:PostcodeCode", postcode)
    # CII has three address lines; anything beyond is joined into the third.
    for tag, text in zip(("ram:LineOne", "ram:LineTwo"), lines[:2], strict=False):
        _sub(address, tag, text)
    if len(lines) > 2:
        _sub(address, "ram:LineThree", ", ".join(lines[2:]))
    _sub(address, "ram:CityName", city)
    _sub(address, "ram:CountryID", country)


def _seller(agreement: _Element, seller: Party) -> None:
    party = _sub(agreement, "ram:SellerTradeParty")
    _sub(party, "ram:Name", seller.name)
    if seller.siret:
        legal = _sub(party, "ram:SpecifiedLegalOrganization")
        _sub(legal, "ram:ID", seller.siret, schemeID=SIRENE_SCHEME)
    _address(party, seller.address_lines, seller.postcode, seller.city, seller.country_code)
    if seller.email:
        uri = _sub(party, "ram:URIUniversalCommunication")
        _sub(uri, "ram:URIID", seller.email, schemeID="EM")
    registration = _sub(party, "ram:SpecifiedTaxRegistration")
    if seller.vat_number:
        _sub(registration, "ram:ID", seller.vat_number, schemeID="VA")
    else:
        _sub(registration, "ram:ID", seller.siren or seller.siret or "", schemeID="FC")


def _buyer(agreement: _Element, buyer: Buyer) -> None:
    party = _sub(agreement, "ram:BuyerTradeParty")
    _sub(party, "ram:Name", buyer.name)
    if buyer.siret:
        legal = _sub(party, "ram:SpecifiedLegalOrganization")
        _sub(legal, "ram:ID", buyer.siret, schemeID=SIRENE_SCHEME)
    _address(party, buyer.address_lines, buyer.postcode, buyer.city, buyer.country_code)
    if buyer.contact_email:
        uri = _sub(party, "ram:URIUniversalCommunication")
        _sub(uri, "ram:URIID", buyer.contact_email, schemeID="EM")


def _agreement(transaction: _Element, spec: InvoiceSpec) -> None:
    agreement = _sub(transaction, "ram:ApplicableHeaderTradeAgreement")
    # BT-10: Chorus Pro routes the invoice to the buyer's service with this code.
    if spec.buyer.chorus_service_code:
        _sub(agreement, "ram:BuyerReference", spec.buyer.chorus_service_code)
    _seller(agreement, spec.seller)
    _buyer(agreement, spec.buyer)
    if spec.buyer.engagement_number:
        order = _sub(agreement, "ram:BuyerOrderReferencedDocument")
        _sub(order, "ram:IssuerAssignedID", spec.buyer.engagement_number)


def _delivery(transaction: _Element, spec: InvoiceSpec) -> None:
    delivery = _sub(transaction, "ram:ApplicableHeaderTradeDelivery")
    if spec.delivery_date:
        event = _sub(delivery, "ram:ActualDeliverySupplyChainEvent")
        _date(event, "ram:OccurrenceDateTime", spec.delivery_date)


def _settlement(transaction: _Element, spec: InvoiceSpec) -> None:
    settlement = _sub(transaction, "ram:ApplicableHeaderTradeSettlement")
    # BT-83: the transfer's remittance information, so the payment finds its invoice.
    _sub(settlement, "ram:PaymentReference", spec.number)
    _sub(settlement, "ram:InvoiceCurrencyCode", spec.currency)
    _payment_means(settlement, spec.seller)
    _header_tax(settlement, spec)
    terms = _sub(settlement, "ram:SpecifiedTradePaymentTerms")
    _sub(terms, "ram:Description", spec.payment_terms)
    if spec.due_date:
        _date(terms, "ram:DueDateDateTime", spec.due_date)
    _totals(settlement, spec)
    if spec.credited_invoice_number and spec.credited_invoice_date:
        credited = _sub(settlement, "ram:InvoiceReferencedDocument")
        _sub(credited, "ram:IssuerAssignedID", spec.credited_invoice_number)
        _date(credited, "ram:FormattedIssueDateTime", spec.credited_invoice_date, qualified=True)


def _payment_means(settlement: _Element, seller: Party) -> None:
    means = _sub(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
    _sub(means, "ram:TypeCode", SEPA_CREDIT_TRANSFER)
    _sub(means, "ram:Information", "Virement bancaire")
    account = _sub(means, "ram:PayeePartyCreditorFinancialAccount")
    _sub(account, "ram:IBANID", seller.iban.replace(" ", ""))
    if seller.bic:
        bank = _sub(means, "ram:PayeeSpecifiedCreditorFinancialInstitution")
        _sub(bank, "ram:BICID", seller.bic)


def _header_tax(settlement: _Element, spec: InvoiceSpec) -> None:
    tax = _sub(settlement, "ram:ApplicableTradeTax")
    _sub(tax, "ram:CalculatedAmount", "0.00")
    _sub(tax, "ram:TypeCode", "VAT")
    _sub(tax, "ram:ExemptionReason", spec.vat_exemption_text)
    _sub(tax, "ram:BasisAmount", _amount(spec.total))
    _sub(tax, "ram:CategoryCode", VAT_CATEGORY_EXEMPT)
    _sub(tax, "ram:ExemptionReasonCode", VAT_EXEMPTION_CODE)
    _sub(tax, "ram:RateApplicablePercent", "0")


def _totals(settlement: _Element, spec: InvoiceSpec) -> None:
    summation = _sub(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    total = _amount(spec.total)
    _sub(summation, "ram:LineTotalAmount", total)
    _sub(summation, "ram:TaxBasisTotalAmount", total)
    _sub(summation, "ram:TaxTotalAmount", "0.00", currencyID=spec.currency)
    _sub(summation, "ram:GrandTotalAmount", total)
    _sub(summation, "ram:DuePayableAmount", total)
