"""S/MIME: a mail signed "opaquely" carries its whole content inside the signature.

Outlook and the certificate tools of French administrations can sign a mail as one
``application/pkcs7-mime; smime-type=signed-data`` part: the readable mail is the
content of that CMS structure, and no key is needed to take it out. An encrypted one
(``enveloped-data``) needs IPP's key, which it never has: it stays an attachment,
read as a sealed file.
"""

from __future__ import annotations

import email
import logging
from email import policy
from email.message import Message

from asn1crypto import cms

log = logging.getLogger(__name__)

PKCS7_MIME = frozenset({"application/pkcs7-mime", "application/x-pkcs7-mime"})
# Kept from the signed envelope: the content inside brings its own MIME headers.
_CONTENT_HEADERS = ("content-", "mime-version")


def unwrapped(message: Message) -> Message | None:
    """The mail inside an opaque S/MIME signature, with the envelope's headers (From,
    Subject, Date…); ``None`` for any other message, an encrypted one included."""
    if message.get_content_type() not in PKCS7_MIME:
        return None
    smime_type = str(message.get_param("smime-type", "")).lower()
    if smime_type not in ("", "signed-data"):
        return None
    try:
        der = message.get_payload(decode=True)
        info = cms.ContentInfo.load(der) if isinstance(der, bytes) else None
        if info is None or info["content_type"].native != "signed_data":
            return None
        content = info["content"]["encap_content_info"]["content"].native
    except Exception as error:  # any malformed structure: the part stays a sealed file
        log.info("smime_unreadable error=%r", error)
        return None
    if not isinstance(content, bytes):
        return None
    inner = email.message_from_bytes(content, policy=policy.default)
    for name, value in message.items():
        if not name.lower().startswith(_CONTENT_HEADERS):
            try:
                inner[name] = value
            except Exception:  # a malformed envelope header: the mail reads without it
                continue
    return inner
