"""Invoice numbering and issuing: one gapless series per year, immutable invoices.

The number is taken inside the transaction that stores the invoice, by
incrementing a counter row: a rollback gives the number back, a concurrent
issuer waits for the row lock, so the series has neither holes nor duplicates.
A correction is a credit note referring to the invoice, never an edit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session as DbSession

from mailbot import outbox
from mailbot.app import App
from mailbot.invoicing.model import (
    Buyer,
    BuyerCategory,
    InvoiceKind,
    InvoiceLine,
    InvoiceSpec,
    Party,
    References,
    build_spec,
)
from mailbot.records.models import (
    ChorusStatus,
    Invoice,
    InvoiceCounter,
    OutboundMail,
    OutboundPurpose,
    Registration,
)
from mailbot.records.models import (
    InvoiceKind as RecordedKind,
)
from mailbot.registrations import active_participants, display_name
from mailbot.templating import money

POSTCODE_CITY = re.compile(r"^\s*(?P<postcode>\d{5}|\d{2}\s\d{3})\s+(?P<city>.+?)\s*$")


def allocate_number(db: DbSession, app: App, year: int) -> tuple[int, str]:
    """The next number of ``year``'s series, reserved until this transaction ends."""
    dialect = db.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.execute(
        insert(InvoiceCounter)
        .values(year=year, last_seq=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
    # The UPDATE takes the row lock (PostgreSQL) / is inside BEGIN IMMEDIATE (SQLite):
    # a second issuer waits here until we commit or roll back.
    seq = db.execute(
        update(InvoiceCounter)
        .where(InvoiceCounter.year == year)
        .values(last_seq=InvoiceCounter.last_seq + 1)
        .returning(InvoiceCounter.last_seq)
    ).scalar_one()
    return seq, app.settings.invoicing.number_format.format(year=year, seq=seq)


def split_address(address: str) -> tuple[tuple[str, ...], str, str]:
    """'1 esplanade X, CS 71223, 33074 Bordeaux Cedex' -> (lines, '33074', 'Bordeaux Cedex')."""
    parts = [p.strip() for p in re.split(r"[,\n]", address) if p.strip()]
    for index in range(len(parts) - 1, -1, -1):
        match = POSTCODE_CITY.match(parts[index])
        if match:
            lines = tuple(parts[:index] + parts[index + 1 :])
            return lines, match["postcode"].replace(" ", ""), match["city"]
    return tuple(parts), "", ""


def buyer_of(registration: Registration) -> Buyer:
    lines, postcode, city = split_address(registration.organisation_address)
    return Buyer(
        name=registration.organisation_name,
        address_lines=lines,
        postcode=postcode,
        city=city,
        category=BuyerCategory(registration.buyer_category),
        siret=registration.buyer_siret,
        chorus_service_code=registration.chorus_service_code,
        engagement_number=registration.engagement_number,
        contact_email=registration.manager_email or registration.sender_email,
    )


def line_of(app: App, registration: Registration) -> InvoiceLine:
    webinar = app.catalog.webinar(registration.webinar_id)
    title = webinar.title if webinar else registration.webinar_id
    people = active_participants(registration)
    schedule = app.catalog.schedule
    return InvoiceLine(
        designation=title,  # the template frames it: Webinaire « title »
        quantity=Decimal(len(people)),
        unit_price=registration.unit_price,
        details=tuple(display_name(p) for p in people),
        service_date=registration.session_date,
        hours=f"{schedule.morning} et {schedule.afternoon}",
    )


def today(app: App) -> dt.date:
    return app.clock.now().astimezone(app.settings.tz).date()


def issue_invoice(db: DbSession, app: App, registration: Registration) -> Invoice:
    """Number, render and store the registration's invoice (once: a second call returns it)."""
    existing = db.scalar(
        select(Invoice).where(
            Invoice.registration_id == registration.id, Invoice.kind == RecordedKind.INVOICE
        )
    )
    if existing is not None:
        return existing
    issued = today(app)
    seq, number = allocate_number(db, app, issued.year)
    spec = build_spec(
        kind=InvoiceKind.INVOICE,
        number=number,
        issue_date=issued,
        seller=app.catalog.seller,
        buyer=buyer_of(registration),
        lines=(line_of(app, registration),),
        references=References(registration=f"Inscription n° {registration.id}"),
    )
    return _store(db, app, spec, registration, seq, credited=None)


def issue_credit_note(
    db: DbSession, app: App, invoice: Invoice, *, reason: str, staff: str
) -> Invoice:
    """Cancel ``invoice`` in full by a credit note that refers to it."""
    already = db.scalar(select(Invoice).where(Invoice.credited_invoice_id == invoice.id))
    if already is not None:
        return already
    original = spec_from_json(invoice.spec)
    issued = today(app)
    seq, number = allocate_number(db, app, issued.year)
    spec = build_spec(
        kind=InvoiceKind.CREDIT_NOTE,
        number=number,
        issue_date=issued,
        seller=app.catalog.seller,
        buyer=original.buyer,
        lines=original.lines,
        references=References(
            registration=original.registration_reference,
            credited_invoice_number=invoice.number,
            credited_invoice_date=invoice.issue_date,
            note=reason,
        ),
    )
    registration = db.get_one(Registration, invoice.registration_id)
    note = _store(db, app, spec, registration, seq, credited=invoice)
    app.journal.record(
        db,
        "credit_note_issued",
        registration=registration,
        number=note.number,
        amount=money(note.total),
        invoice_number=invoice.number,
        data={"staff": staff},
    )
    return note


def _store(
    db: DbSession,
    app: App,
    spec: InvoiceSpec,
    registration: Registration,
    seq: int,
    *,
    credited: Invoice | None,
) -> Invoice:
    rendered = app.invoice_renderer().render(spec)
    public = BuyerCategory(registration.buyer_category).uses_chorus_pro
    invoice = Invoice(
        number=spec.number,
        year=spec.issue_date.year,
        seq=seq,
        kind=RecordedKind(str(spec.kind)),
        registration_id=registration.id,
        credited_invoice_id=credited.id if credited else None,
        issue_date=spec.issue_date,
        total=spec.total,
        buyer_name=spec.buyer.name,
        spec=spec_to_json(spec),
        pdf=rendered.pdf,
        xml=rendered.xml,
        sha256=rendered.sha256,
        chorus_status=ChorusStatus.TO_DEPOSIT if public else ChorusStatus.NOT_APPLICABLE,
        created_at=app.clock.now(),
    )
    db.add(invoice)
    db.flush()
    if spec.kind is InvoiceKind.INVOICE:
        app.journal.record(
            db,
            "invoice_issued",
            registration=registration,
            number=invoice.number,
            amount=money(invoice.total),
            organisation=invoice.buyer_name,
        )
        if public:
            app.journal.record(
                db, "chorus_pending", registration=registration, number=invoice.number
            )
    return invoice


def verify(invoice: Invoice) -> bool:
    """The stored PDF is still the one issued."""
    return hashlib.sha256(invoice.pdf).hexdigest() == invoice.sha256


def spec_to_json(spec: InvoiceSpec) -> dict[str, Any]:
    data: dict[str, Any] = _jsonable(asdict(spec))
    return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def spec_from_json(data: dict[str, Any]) -> InvoiceSpec:
    buyer = dict(data["buyer"])
    buyer["address_lines"] = tuple(buyer["address_lines"])
    buyer["category"] = BuyerCategory(buyer["category"])
    seller = dict(data["seller"])
    seller["address_lines"] = tuple(seller["address_lines"])
    lines = tuple(
        InvoiceLine(
            designation=line["designation"],
            quantity=Decimal(line["quantity"]),
            unit_price=Decimal(line["unit_price"]),
            details=tuple(line["details"]),
            service_date=dt.date.fromisoformat(line["service_date"])
            if line["service_date"]
            else None,
            hours=line["hours"],
        )
        for line in data["lines"]
    )
    fields = {
        k: v
        for k, v in data.items()
        if k
        not in {
            "buyer",
            "seller",
            "lines",
            "kind",
            "issue_date",
            "due_date",
            "credited_invoice_date",
        }
    }
    return InvoiceSpec(
        kind=InvoiceKind(data["kind"]),
        issue_date=dt.date.fromisoformat(data["issue_date"]),
        due_date=dt.date.fromisoformat(data["due_date"]) if data["due_date"] else None,
        credited_invoice_date=(
            dt.date.fromisoformat(data["credited_invoice_date"])
            if data["credited_invoice_date"]
            else None
        ),
        buyer=Buyer(**buyer),
        seller=Party(**seller),
        lines=lines,
        **fields,
    )


def find_by_number(db: DbSession, number: str) -> Invoice | None:
    return db.scalar(select(Invoice).where(Invoice.number == number.strip()))


def mark_deposited(db: DbSession, app: App, invoice: Invoice, staff: str) -> None:
    """Staff deposited the Factur-X file on Chorus Pro."""
    invoice.chorus_status = ChorusStatus.DEPOSITED
    invoice.chorus_deposited_at = app.clock.now()
    app.journal.record(
        db,
        "chorus_deposited",
        registration=db.get(Registration, invoice.registration_id),
        number=invoice.number,
        staff=staff,
    )


def resend(db: DbSession, app: App, invoice: Invoice, staff: str) -> OutboundMail:
    """Send the stored PDF again, byte for byte (a duplicate, not a new invoice)."""
    registration = db.get_one(Registration, invoice.registration_id)
    copies = (
        db.scalar(
            select(func.count(OutboundMail.id)).where(
                OutboundMail.purpose == OutboundPurpose.INVOICE_COPY,
                OutboundMail.registration_id == registration.id,
            )
        )
        or 0
    )
    to = registration.sender_email or registration.manager_email
    cc = (
        [registration.manager_email]
        if registration.manager_email and registration.manager_email != to
        else []
    )
    context = {"invoice": invoice, "registration": registration, "mailbox": app.catalog.mailbox}
    kind = "Avoir" if invoice.kind == RecordedKind.CREDIT_NOTE else "Facture"
    return outbox.queue(
        db,
        app,
        outbox.Draft(
            key=f"invoice_copy:{invoice.id}:{copies + 1}",
            purpose=OutboundPurpose.INVOICE_COPY,
            to=[to],
            cc=cc,
            subject=app.templates.subject(
                "invoice_copy",
                invoice=invoice,
                credit_note=invoice.kind == RecordedKind.CREDIT_NOTE,
            ),
            text=app.templates.render("mail/invoice_copy.txt", **context),
            html=app.templates.render("mail/invoice_copy.html", **context),
            attachments=[
                outbox.Attachment(
                    f"{kind}-IPP-{invoice.number}.pdf", "application/pdf", invoice.pdf
                )
            ],
            registration=registration,
            auto_submitted="auto-generated",
            headers={"X-Mailbot-Requested-By": staff},
        ),
    )
