"""One mail, incoming or outgoing, and the attachments of incoming mails."""

from __future__ import annotations

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mailbot.records.db import unit_of_work
from mailbot.records.models import Event, InboundMail, OutboundMail, OutboundStatus, ReviewItem
from mailbot.web import audit, mailview
from mailbot.web.downloads import attachment_response
from mailbot.web.pages import mailbot_app, render

OUTBOX_LABELS = {
    OutboundStatus.QUEUED: "en attente d'envoi",
    OutboundStatus.SENDING: "en cours d'envoi",
    OutboundStatus.RETRY_WAIT: "nouvel essai prévu",
    OutboundStatus.SENT: "envoyé",
    OutboundStatus.FAILED: "échec",
    OutboundStatus.CANCELLED: "annulé",
}


def inbound(request: Request) -> Response:
    app = mailbot_app(request)
    with unit_of_work(app.db) as db:
        mail = db.get(InboundMail, request.path_params["mail_id"])
        if mail is None:
            raise HTTPException(404, "Courriel introuvable.")
        events = db.scalars(
            select(Event).where(Event.inbound_mail_id == mail.id).order_by(Event.id)
        ).all()
        items = db.scalars(select(ReviewItem).where(ReviewItem.inbound_mail_id == mail.id)).all()
        replies = db.scalars(
            select(OutboundMail).where(OutboundMail.inbound_mail_id == mail.id)
        ).all()
        return render(
            request,
            "mail.html",
            mail=mail,
            shown=mailview.show(mail.raw),
            events=events,
            items=items,
            replies=replies,
            outbox_labels=OUTBOX_LABELS,
        )


async def download_attachment(request: Request) -> Response:
    app = mailbot_app(request)
    mail_id: int = request.path_params["mail_id"]
    index: int = request.path_params["index"]

    def work() -> tuple[str, str, bytes] | None:
        with unit_of_work(app.db) as db:
            mail = db.get(InboundMail, mail_id)
            found = mailview.attachment(mail.raw, index) if mail else None
            if found is not None:
                audit.record(
                    db, app, request, "attachment_download",
                    f"inbound_mail:{mail_id}", filename=found[0],
                )  # fmt: skip
            return found

    found = await run_in_threadpool(work)
    if found is None:
        raise HTTPException(404, "Pièce jointe introuvable.")
    filename, content_type, data = found
    return attachment_response(data, filename, content_type)


def outbox(request: Request) -> Response:
    app = mailbot_app(request)
    wanted = request.query_params.get("status", "")
    query = select(OutboundMail).order_by(OutboundMail.id.desc()).limit(200)
    if wanted in {s.value for s in OutboundStatus}:
        query = query.where(OutboundMail.status == wanted)
    with unit_of_work(app.db) as db:
        mails = db.scalars(query).all()
    return render(request, "outbox.html", mails=mails, wanted=wanted, outbox_labels=OUTBOX_LABELS)


def outbound(request: Request) -> Response:
    app = mailbot_app(request)
    with unit_of_work(app.db) as db:
        mail = db.get(OutboundMail, request.path_params["mail_id"])
        if mail is None:
            raise HTTPException(404, "Courriel introuvable.")
        events = db.scalars(
            select(Event).where(Event.outbound_mail_id == mail.id).order_by(Event.id)
        ).all()
        return render(
            request,
            "outbound.html",
            mail=mail,
            shown=mailview.show(mail.raw),
            events=events,
            outbox_labels=OUTBOX_LABELS,
        )


ROUTES = [
    Route("/mails/{mail_id:int}", inbound, methods=["GET"]),
    Route("/mails/{mail_id:int}/attachments/{index:int}", download_attachment, methods=["GET"]),
    Route("/outbox", outbox, methods=["GET"]),
    Route("/outbox/{mail_id:int}", outbound, methods=["GET"]),
]
