"""What an invoice says, frozen at issue time: parties, lines, terms and legal wording.

Everything an invoice prints is copied into an :class:`InvoiceSpec` when it is issued
(pretix does the same), so a later change to the catalog never rewrites an issued
invoice and rendering the same spec again gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from mailbot.catalog import Seller

CENT = Decimal("0.01")

# Legal payment delays for public buyers (Code de la commande publique R2192-10 and
# R2192-11): 30 days for the State, local authorities and their establishments,
# 50 days for public health establishments.
PUBLIC_PAYMENT_DAYS = 30
PUBLIC_HOSPITAL_PAYMENT_DAYS = 50

PRIVATE_TERMS = "Payable à réception de facture"
PUBLIC_TERMS = (
    "Paiement selon les règles de la comptabilité publique, "
    "délai global de paiement de {days} jours"
)
CREDIT_NOTE_TERMS = (
    "Avoir imputé sur la facture d'origine ; tout montant déjà réglé est remboursé par virement"
)
NO_EARLY_PAYMENT_DISCOUNT = "Pas d'escompte pour paiement anticipé."


class InvoiceKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class BuyerCategory(StrEnum):
    """Decides the payment terms and whether the invoice goes through Chorus Pro."""

    PRIVATE = "private"
    PUBLIC = "public"
    PUBLIC_HOSPITAL = "public_hospital"

    @property
    def uses_chorus_pro(self) -> bool:
        return self is not BuyerCategory.PRIVATE


@dataclass(frozen=True)
class Party:
    """The seller as printed: identity, legal numbers and bank details."""

    name: str
    address_lines: tuple[str, ...]
    postcode: str
    city: str
    country_code: str = "FR"
    siret: str | None = None
    siren: str | None = None
    legal_form: str = ""
    vat_number: str | None = None
    training_declaration: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    iban: str = ""
    bic: str = ""
    bank_name: str = ""


@dataclass(frozen=True)
class Buyer:
    """The organisation invoiced, with the references a public accountant asks for."""

    name: str
    address_lines: tuple[str, ...]
    postcode: str
    city: str
    category: BuyerCategory
    country_code: str = "FR"
    siret: str | None = None
    chorus_service_code: str | None = None
    # "Bon de commande" or "numéro d'engagement juridique": Chorus Pro rejects an
    # invoice without it when the public buyer requires one.
    engagement_number: str | None = None
    contact_email: str | None = None


@dataclass(frozen=True)
class InvoiceLine:
    """One webinar session; ``details`` lists the participants by name."""

    designation: str
    quantity: Decimal
    unit_price: Decimal
    details: tuple[str, ...] = ()
    service_date: dt.date | None = None
    hours: str = ""  # "9h30–12h45 et 13h45–17h00", copied from the catalog's schedule

    @property
    def total(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(CENT)


@dataclass(frozen=True)
class InvoiceSpec:
    """Everything needed to render one invoice or credit note, and nothing to look up."""

    kind: InvoiceKind
    number: str
    issue_date: dt.date
    seller: Party
    buyer: Buyer
    lines: tuple[InvoiceLine, ...]
    payment_terms: str
    due_date: dt.date | None
    vat_exemption_text: str
    late_penalty_text: str
    early_payment_text: str = NO_EARLY_PAYMENT_DISCOUNT
    currency: str = "EUR"
    registration_reference: str | None = None
    credited_invoice_number: str | None = None
    credited_invoice_date: dt.date | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if not self.lines:
            raise ValueError("an invoice needs at least one line")
        is_credit = self.kind is InvoiceKind.CREDIT_NOTE
        if is_credit != (self.credited_invoice_number is not None):
            raise ValueError("a credit note, and only a credit note, names the credited invoice")
        if is_credit and self.credited_invoice_date is None:
            raise ValueError("a credit note needs the date of the credited invoice")

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal("0.00"))

    @property
    def is_credit_note(self) -> bool:
        return self.kind is InvoiceKind.CREDIT_NOTE

    @property
    def delivery_date(self) -> dt.date | None:
        """The first session date: the date the service is rendered."""
        dates = [line.service_date for line in self.lines if line.service_date]
        return min(dates) if dates else None


@dataclass(frozen=True)
class References:
    """What the two sides call this sale; all optional."""

    registration: str | None = None
    credited_invoice_number: str | None = None
    credited_invoice_date: dt.date | None = None
    note: str | None = None


def seller_party(seller: Seller) -> Party:
    """Copy the catalog's seller into the invoice, so later edits don't change it."""
    return Party(
        name=seller.name,
        address_lines=seller.address_lines,
        postcode=seller.postcode,
        city=seller.city,
        country_code=seller.country_code,
        siret=seller.siret,
        siren=seller.siren,
        legal_form=seller.legal_form,
        vat_number=seller.vat_number,
        training_declaration=seller.training_declaration,
        email=seller.email,
        phone=seller.phone,
        website=seller.website,
        iban=seller.iban,
        bic=seller.bic,
        bank_name=seller.bank_name,
    )


def payment_terms(category: BuyerCategory, issue_date: dt.date) -> tuple[str, dt.date]:
    """The printed payment terms and the due date for a buyer of this category."""
    if category is BuyerCategory.PRIVATE:
        return PRIVATE_TERMS, issue_date
    days = (
        PUBLIC_HOSPITAL_PAYMENT_DAYS
        if category is BuyerCategory.PUBLIC_HOSPITAL
        else PUBLIC_PAYMENT_DAYS
    )
    return PUBLIC_TERMS.format(days=days), issue_date + dt.timedelta(days=days)


def build_spec(
    *,
    kind: InvoiceKind,
    number: str,
    issue_date: dt.date,
    seller: Seller,
    buyer: Buyer,
    lines: tuple[InvoiceLine, ...],
    references: References | None = None,
) -> InvoiceSpec:
    """Assemble a spec from the catalog seller, computing terms and copying legal texts."""
    refs = references or References()
    if kind is InvoiceKind.CREDIT_NOTE:
        # A credit note is not a claim: it settles against the credited invoice.
        terms, due = CREDIT_NOTE_TERMS, None
    else:
        terms, due_date = payment_terms(buyer.category, issue_date)
        due = due_date
    return InvoiceSpec(
        kind=kind,
        number=number,
        issue_date=issue_date,
        seller=seller_party(seller),
        buyer=buyer,
        lines=lines,
        payment_terms=terms,
        due_date=due,
        vat_exemption_text=seller.vat_exemption_text,
        late_penalty_text=seller.late_penalty_text,
        registration_reference=refs.registration,
        credited_invoice_number=refs.credited_invoice_number,
        credited_invoice_date=refs.credited_invoice_date,
        note=refs.note,
    )


# ---------------------------------------------------------------------------
# Buyer classification. A heuristic on the organisation's name only: staff can
# override the category on the registration before the invoice is issued.

# Checked first: an association or company whose name mentions a hospital or a
# département ("Association départementale…", "Hôpital privé…") stays private.
_PRIVATE_MARKERS = (
    r"\bassociation\b",
    r"\basso\b",
    r"\bsas\b",
    r"\bsasu\b",
    r"\bsarl\b",
    r"\beurl\b",
    r"\bsa\b",
    r"\bscop\b",
    r"\bscic\b",
    r"\bfondation\b",
    r"\bmutuelle\b",
    r"\bmutualite\b",
    r"\bclinique\b",
    r"\bprivee?\b",
    r"\badmr\b",
    r"\bfederation\b",
)
_HOSPITAL_MARKERS = (
    r"\bcentre hospitalier\b",
    r"\bch\b",
    r"\bchu\b",
    r"\bchr\b",
    r"\bchi\b",
    r"\bchs\b",
    r"\bcentre hospitalier universitaire\b",
    r"\bhopital\b",
    r"\bhopitaux\b",
    r"\bght\b",
    r"\bgroupement hospitalier\b",
    r"\bepsm\b",
    r"\bap-?hp\b",
    r"\bap-?hm\b",
    r"\bhospices civils\b",
    r"\betablissement public de sante\b",
)
_PUBLIC_MARKERS = (
    r"\bdepartement\b",
    r"\bconseil departemental\b",
    r"\bcollectivite\b",
    r"\bars\b",
    r"\bagence regionale de sante\b",
    r"\bconseil regional\b",
    r"\bregion\b",
    r"\bcommune\b",
    r"\bmairie\b",
    r"\bville de\b",
    r"\bccas\b",
    r"\bcias\b",
    r"\bepci\b",
    r"\bcommunaute de communes\b",
    r"\bcommunaute d'agglomeration\b",
    r"\bcommunaute urbaine\b",
    r"\bmetropole\b",
    r"\bsyndicat intercommunal\b",
    r"\bepsms\b",
    r"\betablissement public\b",
    r"\bmdph\b",
    r"\bmaison departementale\b",
    r"\bprefecture\b",
    r"\bministere\b",
    r"\bddets\b",
    r"\bdreets\b",
)


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[’`´]", "'", plain)


def _matches(name: str, patterns: tuple[str, ...]) -> bool:
    return any(re.search(pattern, name) for pattern in patterns)


def classify_buyer(organisation_name: str) -> BuyerCategory:
    """Guess the buyer's category from its name; unknown names are private.

    A heuristic: it decides the default payment terms and the Chorus Pro list, and
    staff can override it. Private wins over public because IPP's private clients
    often carry public words in their names.
    """
    name = _normalise(organisation_name)
    if _matches(name, _PRIVATE_MARKERS):
        return BuyerCategory.PRIVATE
    if _matches(name, _HOSPITAL_MARKERS):
        return BuyerCategory.PUBLIC_HOSPITAL
    if _matches(name, _PUBLIC_MARKERS):
        return BuyerCategory.PUBLIC
    return BuyerCategory.PRIVATE
