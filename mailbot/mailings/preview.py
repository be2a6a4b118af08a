"""A participant's access mail rendered exactly as it will be sent, without queuing it."""

from __future__ import annotations

from email.message import EmailMessage

from mailbot import outbox
from mailbot.app import App
from mailbot.catalog import parse_session_key
from mailbot.mailings.access import Target, draft
from mailbot.mailings.dossier import Dossiers
from mailbot.mailings.runner import participants_of
from mailbot.records.db import unit_of_work
from mailbot.records.models import (
    MailingKind,
    Participant,
    ParticipantStatus,
    Registration,
)


def preview(app: App, key: str, email: str | None = None) -> EmailMessage:
    """The access mail of ``email`` (or the first participant, or a sample one)."""
    webinar_id, day = parse_session_key(key)
    webinar, session = app.catalog.webinar(webinar_id), app.catalog.session(webinar_id, day)
    if webinar is None or session is None:
        raise ValueError(f"session {key} absente du catalogue")
    with unit_of_work(app.db) as db:
        found = [
            (r, p)
            for r, p in participants_of(db, key)
            if p.status == ParticipantStatus.ACTIVE and (email is None or p.email == email.lower())
        ]
    if found:
        registration, participant = found[0]
    elif email is None:
        registration = Registration(id=0, manager_email="", sender_email="")
        participant = Participant(
            id=0,
            civility="Mme",
            first_name="Marie",
            last_name="Exemple",
            email="marie.exemple@example.org",
        )
    else:
        raise ValueError(f"{email} n'est pas inscrit(e) à la session {key}")
    files = Dossiers().files(session.dossier)
    mail = draft(
        app, Target(participant, registration, webinar, session), MailingKind.ACCESS, 0, 0, files
    )
    message = outbox.build_message(app, mail, "<apercu@ipp.fr>", app.clock.now())
    # Swap the stand-ins for the real dossier, as the sender would.
    by_sha = {f.sha256: f for f in files}
    for part in list(message.iter_parts()):
        header = part.get("X-Mailbot-Part")
        if header is None:
            continue
        file = next(f for sha, f in by_sha.items() if sha.startswith(str(header).split(".")[0]))
        part.set_content(file.data, maintype="application", subtype="pdf", filename=file.filename)
        del part["X-Mailbot-Part"]
    return message
