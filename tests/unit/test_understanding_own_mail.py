"""Mail that comes from IPP's own mailbox, and blocks of the form that are someone else's."""

from __future__ import annotations

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.model import Decision, Kind
from tests.factories.forms import build, sample_form
from tests.factories.mails import BODY_FORM, mail

FORM = build(sample_form(), "docx")
CONFIRMATION = """Madame, Monsieur,

Nous avons bien reçu votre bulletin et vous confirmons l'inscription au web-séminaire
« Mettre en place un CPOM dans le secteur de l'aide à domicile » du jeudi 18 mars 2027.

Vous trouverez ci-joint votre bulletin et la facture.

L'équipe de l'IPP
"""


def copied_to_us(sender: str, to: str, body: str = CONFIRMATION) -> bytes:
    """A mail from ``sender`` to ``to``, the mailbox in Cc (the factory addresses it To us)."""
    raw = mail(body, sender=sender, headers={"Cc": "ipp@ipp.fr"}, attachments=[FORM])
    raw = raw.replace(b"To: ipp@ipp.fr", f"To: {to}".encode(), 1)
    assert f"To: {to}".encode() in raw
    return raw


def test_a_copy_of_our_own_confirmation_records_nothing(catalog: Catalog) -> None:
    copy = copied_to_us("IPP - Institut de la Performance Publique <ipp@ipp.fr>", "c@x.fr")
    u = understand(copy, catalog)
    assert (u.kind, u.decision, u.reasons) == (Kind.OTHER, Decision.IGNORE, ("own_mail",))


def test_a_staff_member_s_mail_to_a_client_copied_to_the_mailbox_records_nothing(
    catalog: Catalog,
) -> None:
    copy = copied_to_us("Clémence AUBRIOT <clemence.aubriot@ipp.fr>", "c.lefevre@saint-medard.fr")
    assert understand(copy, catalog).reasons == ("own_mail",)
    # A client whose domain only ends like ours is a client.
    note = "Bonjour,\n\nCi-joint notre bulletin.\n"
    theirs = copied_to_us("Claire LEFÈVRE <c.lefevre@gipp.fr>", "direction@gipp.fr", note)
    assert understand(theirs, catalog).kind is Kind.REGISTRATION


def test_a_form_our_staff_pass_on_to_the_mailbox_is_read(catalog: Catalog) -> None:
    passed_on = mail(
        "Bonjour,\n\nBulletin reçu par courrier, ci-joint.\n\nSophie",
        sender="IPP - Institut de la Performance Publique <ipp@ipp.fr>",
        subject="TR: Inscription webinaire",
        attachments=[FORM],
    )  # addressed to ipp@ipp.fr, as every test mail is
    u = understand(passed_on, catalog)
    assert u.kind is Kind.REGISTRATION and u.decision is Decision.AUTO, u.reasons


SECOND_CONTACT = (
    "Second contact\nPrénom et NOM : Thomas LEBLOND\nAdresse e-mail : t.leblond@gironde.fr\n"
    "Téléphone : 05 56 99 12 00\n\nParticipants\n"
)


def test_a_second_contact_s_address_is_never_the_manager_s(catalog: Catalog) -> None:
    body = BODY_FORM.replace("\nParticipants\n", "\n" + SECOND_CONTACT, 1)
    u = understand(mail(body), catalog)
    assert u.manager is not None and u.manager.email == "anne.roux@gironde.fr"
    assert u.decision is Decision.AUTO, u.reasons
    blank = body.replace("Adresse e-mail : anne.roux@gironde.fr", "Adresse e-mail :")
    u = understand(mail(blank), catalog)
    assert u.manager is not None and u.manager.email is None
    assert "missing_field:manager.email" in u.reasons
