"""The review queue: list, one item beside its mail, and the staff decisions."""

from __future__ import annotations

from sqlalchemy import or_, select
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from mailbot.records.db import unit_of_work
from mailbot.records.models import AuditEntry, Event, ReviewItem, ReviewStatus
from mailbot.staff import review
from mailbot.web import audit, correction_form, csrf, mailview
from mailbot.web.audit import ACTION_LABELS
from mailbot.web.auth import current_staff
from mailbot.web.pages import flash, mailbot_app, render

STATUS_LABELS = {
    ReviewStatus.OPEN: "à traiter",
    ReviewStatus.APPROVED: "approuvé",
    ReviewStatus.REJECTED: "rejeté",
    ReviewStatus.RESOLVED: "résolu",
}


def queue(request: Request) -> Response:
    app = mailbot_app(request)
    wanted = request.query_params.get("status", ReviewStatus.OPEN.value)
    query = select(ReviewItem).order_by(ReviewItem.id.desc()).limit(200)
    if wanted in {s.value for s in ReviewStatus}:
        query = query.where(ReviewItem.status == wanted)
    with unit_of_work(app.db) as db:
        items = db.scalars(query).all()
        return render(request, "review_list.html", items=items, wanted=wanted, labels=STATUS_LABELS)


def item_page(request: Request) -> Response:
    app = mailbot_app(request)
    item_id: int = request.path_params["item_id"]
    with unit_of_work(app.db) as db:
        item = db.get(ReviewItem, item_id)
        if item is None:
            raise HTTPException(404, "Point de vérification introuvable.")
        mail = item.inbound_mail
        conditions = [Event.review_item_id == item.id]
        if mail is not None:
            conditions.append(Event.inbound_mail_id == mail.id)
        events = db.scalars(select(Event).where(or_(*conditions)).order_by(Event.id)).all()
        actions = db.scalars(
            select(AuditEntry)
            .where(AuditEntry.target == f"review_item:{item.id}")
            .order_by(AuditEntry.id)
        ).all()
        understanding = mail.understanding if mail is not None else None
        return render(
            request,
            "review_item.html",
            item=item,
            mail=mail,
            shown=mailview.show(mail.raw) if mail is not None else None,
            understanding=understanding,
            form=correction_form.build(understanding) if understanding else None,
            sessions=[
                (f"{w.id}@{s.date.isoformat()}", w.title, s.date)
                for w, s in app.catalog.all_sessions()
            ],
            events=events,
            actions=actions,
            action_labels=ACTION_LABELS,
            labels=STATUS_LABELS,
        )


async def approve(request: Request) -> Response:
    return await _decide(request, "approve")


async def reject(request: Request) -> Response:
    return await _decide(request, "reject")


async def resolve(request: Request) -> Response:
    return await _decide(request, "resolve")


async def _decide(request: Request, action: str) -> Response:
    """The same functions as the CLI, plus the audit row."""
    form = await csrf.checked_form(request)
    app = mailbot_app(request)
    staff = current_staff(request)
    item_id: int = request.path_params["item_id"]
    note = str(form.get("note") or "").strip()
    submitted = {k: str(v) for k, v in form.items() if k not in {csrf.FIELD, "note"}}

    def work() -> review.Decision:
        corrections: dict[str, str] = {}
        if action == "approve":
            with unit_of_work(app.db) as db:
                item = db.get(ReviewItem, item_id)
                mail = item.inbound_mail if item else None
                if mail is not None and mail.understanding:
                    corrections = correction_form.changed(mail.understanding, submitted)
            decision = review.approve(app, item_id, staff.username, corrections)
        elif action == "reject":
            decision = review.reject(app, item_id, staff.username, note)
        else:
            decision = review.resolve(app, item_id, staff.username, note)
        # Refusals are audited too: who tried what, and why it did not go through.
        name = (
            f"review_{action}" if decision.ok or action != "approve" else "review_approve_refused"
        )
        with unit_of_work(app.db) as db:
            audit.record(
                db, app, request, name, f"review_item:{item_id}",
                corrections=corrections, note=note, ok=decision.ok, message=decision.message,
            )  # fmt: skip
        return decision

    decision = await run_in_threadpool(work)
    flash(request, decision.message, ok=decision.ok)
    return RedirectResponse(f"/review/{item_id}", status_code=303)


ROUTES = [
    Route("/review", queue, methods=["GET"]),
    Route("/review/{item_id:int}", item_page, methods=["GET"]),
    Route("/review/{item_id:int}/approve", approve, methods=["POST"]),
    Route("/review/{item_id:int}/reject", reject, methods=["POST"]),
    Route("/review/{item_id:int}/resolve", resolve, methods=["POST"]),
]
