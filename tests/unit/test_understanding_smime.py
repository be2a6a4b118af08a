"""S/MIME mails: an opaque signature is opened (no key needed), an encrypted mail is not."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.model import Decision, Kind
from tests.factories.mails import BODY_FORM, mail


@pytest.fixture(scope="module")
def certificate() -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Anne ROUX")])
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=730))
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _content() -> bytes:
    """The mail's own MIME entity, as a client hands it to the signing or sealing step."""
    entity = EmailMessage()
    entity.set_content(BODY_FORM)
    return entity.as_bytes()


def _wrapped(der: bytes, smime_type: str) -> bytes:
    """An Outlook-style S/MIME mail: the envelope's headers and one application/pkcs7-mime part."""
    message = EmailMessage()
    message["From"] = "Anne ROUX <anne.roux@gironde.fr>"
    message["To"] = "ipp@ipp.fr"
    message["Subject"] = "Inscription webinaire CPOM ASE"
    message["Date"] = "Mon, 14 Sep 2026 10:31:50 +0200"
    message["Message-ID"] = "<smime-1@gironde.fr>"
    message.set_content(
        der,
        maintype="application",
        subtype="pkcs7-mime",
        params={"smime-type": smime_type, "name": "smime.p7m"},
        filename="smime.p7m",
    )
    return message.as_bytes()


def test_an_opaque_signed_mail_is_read_like_the_mail_it_signs(
    catalog: Catalog, certificate: tuple[x509.Certificate, rsa.RSAPrivateKey]
) -> None:
    cert, key = certificate
    der = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(_content())
        .add_signer(cert, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )
    signed = understand(_wrapped(der, "signed-data"), catalog)
    plain = understand(mail(BODY_FORM, subject="Inscription webinaire CPOM ASE"), catalog)
    assert (signed.kind, signed.decision, signed.reasons) == (Kind.REGISTRATION, Decision.AUTO, ())
    assert signed.participants == plain.participants and len(signed.participants) == 2
    assert signed.organisation == plain.organisation
    assert signed.manager == plain.manager


def test_an_encrypted_mail_waits_for_a_person_as_unreadable(
    catalog: Catalog, certificate: tuple[x509.Certificate, rsa.RSAPrivateKey]
) -> None:
    cert, _ = certificate
    der = (
        pkcs7.PKCS7EnvelopeBuilder()
        .set_data(_content())
        .add_recipient(cert)
        .encrypt(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )
    u = understand(_wrapped(der, "enveloped-data"), catalog)
    assert (u.kind, u.decision) == (Kind.REGISTRATION, Decision.REVIEW)
    assert "unreadable_attachment" in u.reasons
    assert u.participants == ()


@pytest.mark.parametrize("payload", [b"", b"\x30\x82\x01\x00 not a signature", b"\x00" * 64])
def test_a_broken_signature_part_is_a_clear_review_never_a_crash(
    catalog: Catalog, payload: bytes
) -> None:
    u = understand(_wrapped(payload, "signed-data"), catalog)
    assert u.decision is Decision.REVIEW
    assert "unreadable_attachment" in u.reasons


@pytest.mark.parametrize(
    "signature", ["application/x-pkcs7-signature", "application/pgp-signature"]
)
def test_an_out_of_office_reply_signed_in_clear_is_still_an_auto_reply(
    catalog: Catalog, signature: str
) -> None:
    # multipart/signed: the reply's text, then the signature as a part of its own.
    message = EmailMessage()
    message["From"] = "Régis ESCANDE <r.escande@apajh81.org>"
    message["To"] = "ipp@ipp.fr"
    message["Subject"] = "Automatic reply: Confirmation de votre inscription"
    message["Date"] = "Mon, 19 Oct 2026 18:02:44 +0200"
    message["Message-ID"] = "<oof-1@apajh81.org>"
    message["Auto-Submitted"] = "auto-replied"
    message.set_content("Je suis absent jusqu'au lundi 26 octobre 2026.")
    maintype, subtype = signature.split("/")
    message.add_attachment(b"0\x82\x05\x00" * 200, maintype=maintype, subtype=subtype,
                           filename="smime.p7s" if "pkcs7" in signature else "signature.asc")  # fmt: skip
    u = understand(message.as_bytes(), catalog)
    assert (u.kind, u.decision) == (Kind.AUTO_REPLY, Decision.IGNORE)
