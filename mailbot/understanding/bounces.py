"""Delivery failures: RFC 3464 reports and the free-text bounces servers really send."""

from __future__ import annotations

import re

from mailbot.understanding.bodies import REPLY_OR_FORWARD, text_of
from mailbot.understanding.mime import MailView
from mailbot.understanding.model import BounceInfo

_BOUNCE_SENDER = re.compile(r"^(?:mailer-daemon|postmaster|mail-daemon|microsoftexchange)", re.I)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|delivery status notification|non remis|mail delivery (?:failed|failure|system)|"
    r"returned mail|[ée]chec de (?:la )?(?:remise|distribution)|failure notice|"
    r"delivery has failed|non distribu[ée]|non distribuable|undelivered mail|"
    r"message non d[ée]livr[ée]",
    re.IGNORECASE,
)
_STATUS = re.compile(r"^\s*Status\s*:\s*([245]\.\d{1,3}\.\d{1,3})", re.I | re.M)
_FREE_STATUS = re.compile(r"\b([45]\.\d\.\d{1,3})\b")
_FINAL_RCPT = re.compile(
    r"^\s*(?:Final|Original)-Recipient\s*:\s*(?:rfc822\s*;)?\s*(\S+)", re.I | re.M
)
_DIAGNOSTIC = re.compile(
    r"^\s*Diagnostic-Code\s*:\s*(?:smtp\s*;)?\s*(.+(?:\n[ \t].+)*)", re.I | re.M
)
_ORIGINAL_ID = re.compile(r"^\s*Message-ID\s*:\s*(<[^>]+>)", re.I | re.M)
_ADDRESS = re.compile(r"<?([\w.+'\-]+@[\w\-]+(?:\.[\w\-]+)+)>?")
# A fake "5 messages non remis" asks the reader to log in or to click; a mail server
# never asks to log in. Microsoft 365's own report does say "Pour renvoyer ce message,
# cliquez ici", next to the SMTP status it got: a click alone is phishing only where no
# status is given.
_CALL_TO_ACTION = re.compile(
    r"connectez-vous|identifiez-vous|sign in\b|log in\b|"
    r"(?:lib[ée]rer|r[ée]cup[ée]rer) (?:vos|les|mes) messages|release (?:your )?messages",
    re.IGNORECASE,
)
_CLICK = re.compile(r"cliqu(?:ez|er)|click (?:here|below)", re.IGNORECASE)
_SMTP_STATUS = re.compile(r"\b[45]\d\d[ -][45]\.\d{1,3}\.\d{1,3}\b")


def is_bounce(mail: MailView) -> bool:
    if mail.report_type == "delivery-status":
        return not delivery_succeeded(mail)
    text = mail.plain[:3000] + "\n" + mail.html[:6000]
    if _CALL_TO_ACTION.search(text) or (_CLICK.search(text) and not _SMTP_STATUS.search(text)):
        return False
    sender = mail.from_address or ""
    # "TR: Non remis : …": a person forwarding a failure (and often the mail it failed
    # to deliver) writes to us; a server never forwards nor replies.
    if REPLY_OR_FORWARD.match(mail.subject):
        return False
    return (bool(_BOUNCE_SENDER.match(sender)) and bool(_BOUNCE_SUBJECT.search(mail.subject))) or (
        bool(_BOUNCE_SUBJECT.search(mail.subject)) and _mentions_failure(mail)
    )


_ACTION = re.compile(r"^\s*Action\s*:\s*([\w-]+)", re.I | re.M)
# RFC 3464: "delivered", "relayed" and "expanded" report a success; an Exchange
# "Remis :" receipt for the confirmation is good news, no failure to flag.
_SUCCESS_ACTIONS = frozenset({"delivered", "relayed", "expanded"})


def delivery_succeeded(mail: MailView) -> bool:
    """A delivery report (RFC 3464) whose every recipient was reached."""
    if mail.report_type != "delivery-status":
        return False
    actions = {m.group(1).lower() for part in mail.report_parts for m in _ACTION.finditer(part)}
    return bool(actions) and actions <= _SUCCESS_ACTIONS


def _failed_blocks(report: str) -> list[tuple[str, str]]:
    """(recipient, its block) for each recipient a report says failed. A report lists
    one block per recipient (RFC 3464): one that reached its mailbox ("delivered") or is
    only late ("delayed") is no address to flag, though another of the report failed."""
    failed = []
    for block in re.split(r"\n\s*\n", report):
        action = _ACTION.search(block)
        if action is None or action.group(1).lower() == "failed":
            failed += [(m.group(1), block) for m in _FINAL_RCPT.finditer(block)]
    return failed


def _mentions_failure(mail: MailView) -> bool:
    text = text_of(mail)[:3000]
    return bool(
        re.search(
            r"could not be delivered|n'a pas pu\s+[êe]tre\s+remis|delivery .{0,20}failed|"
            # A gateway's quarantine: "Il n'a PAS été remis à son destinataire".
            r"n'a\s+pas\s+[ée]t[ée]\s+(?:remis|distribu[ée]|d[ée]livr[ée])|"
            r"address couldn't be found|adresse introuvable|user unknown|n'existe pas",
            text,
            re.IGNORECASE,
        )
    )


def bounce_info(mail: MailView, own_mailbox: str) -> BounceInfo:
    """Which recipient failed, why, and the Message-ID of our mail if it came back."""
    report = "\n".join(mail.report_parts)
    text = text_of(mail)
    everything = "\n".join([report, text])
    failed = _failed_blocks(report)
    recipients = [recipient for recipient, _ in failed]
    if not recipients and not _FINAL_RCPT.search(report):
        recipients = [
            a for a in _ADDRESS.findall(text)
            if a.lower() != own_mailbox.lower() and not _BOUNCE_SENDER.match(a)
        ][:1]  # fmt: skip
    status_match = (
        next((m for _, block in failed if (m := _STATUS.search(block))), None)
        or _STATUS.search(report)
        or _FREE_STATUS.search(everything)
    )
    diagnostic = _DIAGNOSTIC.search(report)
    original = None
    for part in mail.report_parts:
        found = _ORIGINAL_ID.search(part)
        if found is not None:
            original = found.group(1)
    if original is None:
        for inner in mail.forwarded:
            original = inner.message_id or original
    if original is None:
        # Exim and qmail paste the returned mail's headers into their text; Microsoft 365
        # runs them together on one line of its HTML, where only our own id is ours.
        found = _ORIGINAL_ID.search(text) or re.search(
            rf"Message-ID\s*:\s*(<[^<>\s]+@{re.escape(own_mailbox.rpartition('@')[2])}>)",
            text,
            re.IGNORECASE,
        )
        original = found.group(1) if found else None
    return BounceInfo(
        original_message_id=original,
        failed_recipients=tuple(dict.fromkeys(r.strip("<>") for r in recipients)),
        status=status_match.group(1) if status_match else None,
        diagnostic=" ".join(diagnostic.group(1).split()) if diagnostic else None,
    )
