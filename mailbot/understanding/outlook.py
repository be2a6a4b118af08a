"""A mail saved by Outlook (``.msg``) and attached to another, read as the mail it holds.

An assistant who drags a client's mail into a new one in Outlook sends it as a
``.msg`` file, not as ``message/rfc822``: the form is an attachment inside that
file. extract-msg opens the compound file and rebuilds a MIME message from its
properties (headers, bodies, attachments), which the rest of the reader then
treats like any forwarded mail.
"""

from __future__ import annotations

import email
import logging
from email import policy
from email.message import Message

from mailbot.understanding.documents.sniff import is_outlook_msg

# extract-msg logs every property it cannot decode; a broken file is reported
# by the reader (the attachment stays unread), not by a page of warnings.
logging.getLogger("extract_msg").setLevel(logging.CRITICAL)


def saved_message(data: bytes) -> Message | None:
    """The mail inside an Outlook ``.msg`` file; ``None`` when it cannot be rebuilt."""
    if not is_outlook_msg(data):  # every attachment passes here: the check stays cheap
        return None
    # Imported here: 0.2 s that a mail without a .msg never pays.
    import extract_msg
    from extract_msg.msg_classes import MessageBase

    try:
        opened = extract_msg.openMsg(data, delayAttachments=False)
    except Exception:  # any defect of a hostile or truncated file: it stays an attachment
        return None
    try:
        if not isinstance(opened, MessageBase):
            return None  # not a mail, contact or meeting: nothing to read in it
        rebuilt = opened.asEmailMessage().as_bytes(policy=policy.SMTP)
    except Exception:  # an attachment it cannot convert: the reader names the .msg instead
        return None
    finally:
        opened.close()
    return email.message_from_bytes(rebuilt, policy=policy.default)
