"""A "Merci, bien reçu !" under IPP's confirmation asks nothing: it is no question for staff."""

from __future__ import annotations

import pytest

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.model import Decision, Kind
from tests.factories.mails import mail

QUOTE = (
    "\n\n> Le 27 oct. 2026 à 08:15, IPP <ipp@ipp.fr> a écrit :\n> Madame, Monsieur,\n"
    "> Nous avons bien reçu votre inscription au webinaire du vendredi 27 novembre 2026.\n"
)
SENDER = "Nathalie GUÉRIN <nathalie.guerin@charente-maritime.fr>"


@pytest.mark.parametrize(
    "said",
    [
        "Bonjour,\n\nMerci, bien reçu.\n\nBonne journée,\n\nNathalie GUÉRIN\nGestionnaire\nTél. : 05 46 31 72 18",
        "Bien reçu, merci !\nNathalie Guérin\n\nEnvoyé de mon iPhone",
        "Parfait, c'est noté. Merci pour la confirmation.\nCordialement",
        "Merci beaucoup, c'est parfait.\n\nNathalie Guérin",
        "Bonjour,\n\nC'est bien reçu, merci pour votre réactivité.\n\nCordialement,",
        "Bonjour,\n\nMerci beaucoup pour la confirmation et la facture, bien reçues.\n\n"
        "Bonne journée,\n\nNathalie Guérin",
    ],
)
def test_thanks_under_our_mail_are_ignored(catalog: Catalog, said: str) -> None:
    u = understand(
        mail(said + QUOTE, subject="RE: Confirmation de votre inscription", sender=SENDER), catalog
    )
    assert (u.kind, u.decision, u.reasons) == (Kind.OTHER, Decision.IGNORE, ("thanks",))


@pytest.mark.parametrize(
    ("said", "subject", "attached"),
    [
        ("Merci, bien reçu. En revanche M. VERGNE n'a pas reçu son lien.", "RE: Votre lien", False),
        ("Merci beaucoup, pouvez-vous m'envoyer la facture ?", "RE: Confirmation", False),
        (
            "Merci pour la confirmation et la facture, mais le montant est faux.",
            "RE: Confirmation",
            False,
        ),
        ("Merci, bien reçu.", "RE: Confirmation", True),  # something came with it
        ("Merci, bien reçu.", "Webinaire", False),  # no answer to a mail of ours
    ],
)
def test_thanks_with_anything_more_are_not_ignored(
    catalog: Catalog, said: str, subject: str, attached: bool
) -> None:
    files = [("bon.pdf", "application/pdf", b"%PDF-1.4 nothing")] if attached else []
    u = understand(mail(said + QUOTE, subject=subject, sender=SENDER, attachments=files), catalog)
    assert "thanks" not in u.reasons


def test_the_status_log_says_a_thanks_was_ignored_as_such(catalog: Catalog) -> None:
    from handlers.base import Ignore, MailContext
    from handlers.drop_noise import DropNoise

    said = "Bien reçu, merci !\nNathalie Guérin\n\nEnvoyé de mon iPhone"
    u = understand(mail(said + QUOTE, subject="RE: Confirmation", sender=SENDER), catalog)
    context = MailContext(app=None, db=None, understanding=u)  # type: ignore[arg-type]
    assert DropNoise().handle(None, context) == Ignore(
        "simple remerciement, sans question ni demande"
    )  # type: ignore[arg-type]
