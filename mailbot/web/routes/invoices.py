"""Invoices: list, PDF download, credit notes, and the Chorus Pro deposit list."""

from __future__ import annotations

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from mailbot.invoices import issue_credit_note
from mailbot.records.db import unit_of_work
from mailbot.records.models import ChorusStatus, Invoice, InvoiceKind
from mailbot.web import audit, csrf
from mailbot.web.auth import current_staff
from mailbot.web.downloads import attachment_response
from mailbot.web.pages import flash, mailbot_app, render

CHORUS_LABELS = {
    ChorusStatus.NOT_APPLICABLE: "—",
    ChorusStatus.TO_DEPOSIT: "à déposer",
    ChorusStatus.DEPOSITED: "déposée",
}
KIND_LABELS = {InvoiceKind.INVOICE: "facture", InvoiceKind.CREDIT_NOTE: "avoir"}


def invoice_list(request: Request) -> Response:
    app = mailbot_app(request)
    to_deposit = request.query_params.get("chorus") == "to_deposit"
    query = select(Invoice).order_by(Invoice.id.desc()).limit(500)
    if to_deposit:
        query = query.where(Invoice.chorus_status == ChorusStatus.TO_DEPOSIT)
    with unit_of_work(app.db) as db:
        invoices = db.scalars(query).all()
        credited = set(
            db.scalars(
                select(Invoice.credited_invoice_id).where(Invoice.credited_invoice_id.is_not(None))
            )
        )
    return render(
        request,
        "invoices.html",
        invoices=invoices,
        credited=credited,
        to_deposit=to_deposit,
        chorus_labels=CHORUS_LABELS,
        kind_labels=KIND_LABELS,
    )


async def pdf(request: Request) -> Response:
    app = mailbot_app(request)
    invoice_id: int = request.path_params["invoice_id"]

    def work() -> tuple[str, bytes] | None:
        with unit_of_work(app.db) as db:
            invoice = db.get(Invoice, invoice_id)
            if invoice is None:
                return None
            audit.record(db, app, request, "invoice_download", f"invoice:{invoice_id}")
            prefix = "Avoir" if invoice.kind == InvoiceKind.CREDIT_NOTE else "Facture"
            return f"{prefix}-IPP-{invoice.number}.pdf", invoice.pdf

    found = await run_in_threadpool(work)
    if found is None:
        raise HTTPException(404, "Facture introuvable.")
    return attachment_response(found[1], found[0], "application/pdf")


async def credit_note(request: Request) -> Response:
    form = await csrf.checked_form(request)
    app = mailbot_app(request)
    invoice_id: int = request.path_params["invoice_id"]
    reason = str(form.get("reason") or "").strip()
    if not reason:
        flash(request, "Indiquez le motif de l'avoir.", ok=False)
        return RedirectResponse("/invoices", status_code=303)

    def work() -> str:
        with unit_of_work(app.db) as db:
            invoice = db.get(Invoice, invoice_id)
            if invoice is None or invoice.kind != InvoiceKind.INVOICE:
                return ""
            note = issue_credit_note(
                db, app, invoice, reason=reason, staff=current_staff(request).username
            )
            audit.record(
                db, app, request, "credit_note", f"invoice:{invoice_id}",
                reason=reason, credit_note=note.number,
            )  # fmt: skip
            return f"Avoir {note.number} émis sur la facture {invoice.number}."

    message = await run_in_threadpool(work)
    flash(request, message or "Facture introuvable.", ok=bool(message))
    return RedirectResponse("/invoices", status_code=303)


async def mark_deposited(request: Request) -> Response:
    await csrf.checked_form(request)
    app = mailbot_app(request)
    invoice_id: int = request.path_params["invoice_id"]

    def work() -> str:
        with unit_of_work(app.db) as db:
            invoice = db.get(Invoice, invoice_id)
            if invoice is None or invoice.chorus_status != ChorusStatus.TO_DEPOSIT:
                return ""
            invoice.chorus_status = ChorusStatus.DEPOSITED
            invoice.chorus_deposited_at = app.clock.now()
            audit.record(db, app, request, "chorus_deposited", f"invoice:{invoice_id}")
            return f"Facture {invoice.number} notée comme déposée sur Chorus Pro."

    message = await run_in_threadpool(work)
    flash(request, message or "Cette facture n'est pas à déposer.", ok=bool(message))
    return RedirectResponse("/invoices?chorus=to_deposit", status_code=303)


ROUTES = [
    Route("/invoices", invoice_list, methods=["GET"]),
    Route("/invoices/{invoice_id:int}/pdf", pdf, methods=["GET"]),
    Route("/invoices/{invoice_id:int}/credit-note", credit_note, methods=["POST"]),
    Route("/invoices/{invoice_id:int}/deposited", mark_deposited, methods=["POST"]),
]
