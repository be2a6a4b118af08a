"""A form and what the mail says beside it must agree: a person named in the note but not
on the form, another total in the note or on the purchase order, another session in the
thread or in the form's own rows — each is for a person to settle before anything goes out."""

from __future__ import annotations

import datetime as dt

import pytest

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.model import Decision, Kind, SessionRef
from mailbot.understanding.sessions import SessionFinding, unless_other_webinar_dated
from tests.factories.forms import build, sample_form
from tests.factories.mails import BODY_FORM, mail

FORM = build(sample_form(), "docx")  # SAAD, 18 mars 2027, Mme GARNIER and M. DUBOIS, 1 250 €
SENDER = "Claire LEFÈVRE <c.lefevre@saint-medard.fr>"


def with_note(catalog: Catalog, note: str, *extra: tuple[str, str, bytes]):  # type: ignore[no-untyped-def]
    body = f"Bonjour,\n\n{note}\n\nCordialement,\nClaire LEFÈVRE\n"
    return understand(mail(body, sender=SENDER, attachments=[FORM, *extra]), catalog)


def test_the_form_alone_is_confirmed(catalog: Catalog) -> None:
    u = with_note(catalog, "Veuillez trouver ci-joint l'inscription de Mme GARNIER et M. DUBOIS.")
    assert u.decision is Decision.AUTO, u.reasons


@pytest.mark.parametrize(
    "note",
    [
        "Merci d'ajouter aussi M. Grégoire LEMAITRE (g.lemaitre@saint-medard.fr), qui a "
        "confirmé après la signature du bulletin.",
        "Attention : Mme Lucie DARRIET remplace Mme Hélène GARNIER sur le formulaire ci-joint.",
    ],
)
def test_a_person_named_beside_the_form_but_not_on_it_is_asked_about(
    catalog: Catalog, note: str
) -> None:
    u = with_note(catalog, note)
    assert u.kind is Kind.REGISTRATION and u.decision is Decision.REVIEW
    assert "participants_differ" in u.reasons


def test_another_total_in_the_note_is_doubted(catalog: Catalog) -> None:
    u = with_note(
        catalog, "Ci-joint notre bulletin, pour un montant total de 1 875 € réglé par mandat."
    )
    assert "uncertain:declared_total_eur" in u.reasons
    same = with_note(catalog, "Ci-joint notre bulletin, pour un montant total de 1 250 €.")
    assert same.decision is Decision.AUTO, same.reasons


@pytest.mark.parametrize(
    "note",
    [
        "Montant de la commande :\nPrix par personne : 625 € TTC",
        "Montant : coût unitaire 625 € par participant",
        # The form's own label retyped in the note: the price is a factor, not a total.
        "Montant net total (x 625 Euros) : 1 250,00 €",
    ],
)
def test_a_price_per_person_beside_the_form_is_no_other_total(catalog: Catalog, note: str) -> None:
    u = with_note(catalog, note)
    assert u.decision is Decision.AUTO, u.reasons


def test_a_purchase_order_for_another_amount_is_doubted(catalog: Catalog) -> None:
    def order(amount: str) -> tuple[str, str, bytes]:
        text = (f"BON DE COMMANDE n° 2026-0412\nFournisseur : IPP\nObjet : webinaire CPOM\n"
                f"Montant total TTC : {amount} €\nLe Maire\n")  # fmt: skip
        return ("bon_de_commande.txt", "text/plain", text.encode())

    assert (
        "uncertain:declared_total_eur" in with_note(catalog, "Ci-joint.", order("625,00")).reasons
    )
    assert with_note(catalog, "Ci-joint.", order("1 250,00")).decision is Decision.AUTO
    # Amounts written with a decimal point, as accounting software prints them.
    assert (
        "uncertain:declared_total_eur" in with_note(catalog, "Ci-joint.", order("625.00")).reasons
    )
    assert with_note(catalog, "Ci-joint.", order("1250.00")).decision is Decision.AUTO


def test_a_purchase_order_adding_vat_to_the_form_s_total_is_doubted(catalog: Catalog) -> None:
    # IPP's fees owe no VAT: an order committing 1 500 € "TTC" is not the form's 1 250 €.
    text = ("BON DE COMMANDE n° 2026-0412\nFournisseur : IPP\nTotal HT : 1 250,00 €\n"
            "TVA 20 % : 250,00 €\nTotal TTC : 1 500,00 €\nLe Maire\n")  # fmt: skip
    u = with_note(catalog, "Ci-joint.", ("bon_de_commande.txt", "text/plain", text.encode()))
    assert "uncertain:declared_total_eur" in u.reasons


def test_a_cover_letter_committing_another_amount_is_doubted(catalog: Catalog) -> None:
    def letter(amount: str) -> tuple[str, str, bytes]:
        text = ("Madame, Monsieur,\nJ'autorise l'inscription de Mme GARNIER à la journée "
                f"d'étude du 18 mars 2027, pour un montant de {amount} €.\nLe Directeur\n")  # fmt: skip
        return ("courrier.txt", "text/plain", text.encode())

    assert "uncertain:declared_total_eur" in with_note(catalog, "Ci-joint.", letter("625")).reasons
    assert with_note(catalog, "Ci-joint.", letter("1 250,00")).decision is Decision.AUTO


def test_a_purchase_order_for_the_other_session_doubts_the_session(catalog: Catalog) -> None:
    def order(day: str) -> tuple[str, str, bytes]:
        text = (f"BON DE COMMANDE n° 2026-231\nJournée d'étude CPOM aide à domicile\n"
                f"du {day} – frais d'inscription\t2\t625,00 €\nTOTAL\t1 250,00 €\n")  # fmt: skip
        return ("bon_de_commande.txt", "text/plain", text.encode())

    other = with_note(catalog, "Ci-joint.", order("vendredi 8 octobre 2027"))
    assert "uncertain:session" in other.reasons
    same = with_note(catalog, "Ci-joint.", order("jeudi 18 mars 2027"))
    assert same.decision is Decision.AUTO, same.reasons


def text_file(name: str, text: str) -> tuple[str, str, bytes]:
    return (name, "text/plain", text.encode())


def test_a_brochure_of_another_webinar_beside_the_form_doubts_the_session(
    catalog: Catalog,
) -> None:
    brochure = text_file("plaquette.txt", "Web-séminaire « Etablissements et services "
                         "\"Handicap\" : les outils de construction d'un CPOM »\n"
                         "vendredi 27 novembre 2026 de 9h30 à 17h00\n")  # fmt: skip
    u = with_note(catalog, "Pour la journée décrite dans la plaquette ci-jointe.", brochure)
    assert "uncertain:session" in u.reasons


@pytest.mark.parametrize(
    ("letter", "differs"),
    [
        ("J'autorise Mme Hélène GARNIER et M. Jérôme DUBOIS à suivre la journée.", False),
        ("J'autorise Mme Hélène GARNIER et Mme Lucie DARRIET à suivre la journée.", True),
    ],
)
def test_a_cover_letter_naming_someone_the_form_does_not(
    catalog: Catalog, letter: str, differs: bool
) -> None:
    u = with_note(catalog, "Ci-joint.", text_file("courrier.txt", letter + "\nLe Maire\n"))
    assert ("participants_differ" in u.reasons) is differs, u.reasons


@pytest.mark.parametrize(
    ("asked", "reason"),
    [
        ("Peux-tu inscrire Hélène GARNIER et Lucie DARRIET au webinaire ?", "participants_differ"),
        ("Lucie DARRIET sera absente : tu peux la retirer du bulletin avant de l'envoyer.",
         "question_in_mail"),
    ],
)  # fmt: skip
def test_a_colleague_s_request_forwarded_with_the_form_is_compared_with_it(
    catalog: Catalog, asked: str, reason: str
) -> None:
    u = understand(forwarded_with_the_form(asked), catalog)
    assert reason in u.reasons, u.reasons


def forwarded_with_the_form(asked: str) -> bytes:
    """Claire LEFÈVRE forwards, with the form, her colleague's request (Outlook's way)."""
    body = (
        "Bonjour,\n\nCi-joint notre bulletin.\n\nClaire LEFÈVRE\n\n-----Message d'origine-----\n"
        "De : Stéphane DELPEYRAT <s.delpeyrat@saint-medard.fr>\nEnvoyé : lundi 5 octobre 2026\n"
        f"À : Claire LEFÈVRE <c.lefevre@saint-medard.fr>\nObjet : Webinaire\n\nClaire,\n\n{asked}\n"
    )
    return mail(body, sender=SENDER, subject="TR: Webinaire", attachments=[FORM])


def answering_our_confirmation(catalog: Catalog, request: str, confirmed: str, date: str):  # type: ignore[no-untyped-def]
    """A request written above IPP's confirmation of ``confirmed``, quoted Outlook's way."""
    body = (
        f"Bonjour,\n\n{request}\n\nCordialement,\nNoémie FAUCHER\n\n"
        "-----Message d'origine-----\nDe : IPP <ipp@ipp.fr>\n"
        "Envoyé : mardi 13 octobre 2026 11:20\nObjet : Confirmation de votre inscription\n\n"
        f"Madame,\nNous avons bien reçu votre inscription au webinaire {confirmed}.\nL'équipe IPP\n"
    )
    return understand(
        mail(body, subject="RE: Confirmation de votre inscription", date=date), catalog
    )


def test_a_swap_for_another_day_than_our_confirmation_names_no_session(catalog: Catalog) -> None:
    u = answering_our_confirmation(
        catalog,
        "Mme Isabelle TRICOT ne pourra pas suivre le webinaire du jeudi 26 novembre. "
        "Merci de la remplacer par M. Mehdi BOUAZIZ (mehdi.bouaziz@udaf.fr).",
        '« Etablissements et services "Handicap" : les outils de construction d\'un CPOM » '
        "du vendredi 27 novembre 2026 pour Mme Isabelle TRICOT",
        "Tue, 10 Nov 2026 16:02:00 +0100",
    )
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.REVIEW
    assert u.session is None and "session_not_identified" in u.reasons


def test_participants_split_between_two_webinars_choose_no_session(catalog: Catalog) -> None:
    chosen = SessionFinding(SessionRef("cpom-ase", dt.date(2026, 11, 26)))
    rows = ("Mme\tIsabelle\tDUCOURNAU\tCPOM ASE – 26/11\n"
            "Mme\tHélène\tDARRICAU\tCPOM Handicap – 27/11\n")  # fmt: skip
    today = dt.date(2026, 10, 14)
    split = unless_other_webinar_dated(chosen, catalog, rows, 2026, signed=today, mail_day=today)
    assert split.session is None and split.problem == "several_sessions_chosen"
    # Signed on the day of another webinar's session: that date asks for nothing.
    signed = "Le : 27/11/2026\nMme\tIsabelle\tDUCOURNAU\n"
    day = dt.date(2026, 11, 27)
    assert (
        unless_other_webinar_dated(chosen, catalog, signed, 2026, signed=day, mail_day=today)
        == chosen
    )
    # Nor does a day already gone when the mail was written (a signing date OCR missed).
    late = dt.date(2026, 11, 28)
    assert (
        unless_other_webinar_dated(chosen, catalog, signed, 2026, signed=None, mail_day=late)
        == chosen
    )


def test_the_form_s_own_phone_wins_over_the_cover_letter_s(catalog: Catalog) -> None:
    letter = BODY_FORM.replace(
        "Voici notre inscription :",
        "Affaire suivie par : Jacques BERNADET\nTél. : 05 56 99 34 00\n",
    )
    u = understand(mail(letter), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.manager is not None and u.manager.phone == "05 56 99 12 34 poste 1234"


def test_who_counts_as_named_off_the_form() -> None:
    from mailbot.understanding.reading import _named_off_form

    known = ["Kévin BARRAL", "Anne ROUX", "Nathalie BLANC"]  # participant, manager, sender
    note = ("Mr\tKévin\tBARRAL\tMoniteur-éducateur\tk.barral@x.fr\n"  # a row typed in the note
            "Je vous écris de la part de Mme Claire DIRECTRICE.\nMme ROUX reste joignable.\n")  # fmt: skip
    assert _named_off_form(note, known) == []
    added = note + "Merci d'ajouter aussi M. Paul NOUVEAU."
    assert _named_off_form(added, known) == ["M. Paul NOUVEAU"]


def test_a_swap_for_another_webinar_than_the_one_we_confirmed_names_no_session(
    catalog: Catalog,
) -> None:
    u = answering_our_confirmation(
        catalog,
        "Nous sommes également inscrits à la journée du vendredi 27 novembre consacrée aux CPOM "
        "« Handicap ». Pour cette seconde journée, Mme Yasmina HADDAD sera remplacée par "
        "M. Loïc PRAT (loic.prat@landes.fr).\n\nNotre inscription au webinaire du 26 novembre "
        "reste inchangée.",
        "« Les CPOM des établissements et services de l'ASE » du jeudi 26 novembre 2026",
        "Wed, 04 Nov 2026 14:37:55 +0100",
    )
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.REVIEW
    assert u.session is None, u.session


def test_an_empty_box_beside_a_webinar_given_once_chooses_nothing_away(catalog: Catalog) -> None:
    from mailbot.understanding.sessions import SessionProblem, find_session

    ase = [w for w in catalog.webinars if w.id == "cpom-ase"]
    text = "Les CPOM des établissements et services de l'ASE, jeudi 26 novembre 2026"
    # A purchase order's line that OCR saw beside a speck it took for a box.
    stray = [("du jeudi 26 novembre 2026 - 3 participants", False)]
    found = find_session(catalog, ase, text, stray, 2026)
    assert found == SessionFinding(SessionRef("cpom-ase", dt.date(2026, 11, 26)))
    # Two sessions: an unticked box still means none was chosen.
    saad = [w for w in catalog.webinars if w.id == "cpom-saad"]
    boxes = [("jeudi 18 mars 2027", False), ("vendredi 8 octobre 2027", False)]
    assert find_session(catalog, saad, "", boxes, 2026).problem is SessionProblem.NONE_CHOSEN


@pytest.mark.parametrize(
    ("day", "doubted"), [("jeudi 18 mars", False), ("vendredi 8 octobre", True)]
)
def test_a_forwarded_request_for_the_other_session_doubts_the_session(
    catalog: Catalog, day: str, doubted: bool
) -> None:
    # The director asked for a session; the form forwarded with his request is ticked for 18 March.
    asked = f"Merci d'inscrire Mme GARNIER et M. DUBOIS au webinaire CPOM, session du {day}."
    u = understand(forwarded_with_the_form(asked), catalog)
    assert ("uncertain:session" in u.reasons) is doubted, u.reasons
    assert (u.decision is Decision.AUTO) is not doubted, u.reasons


def _invitation(day: str) -> tuple[str, str, bytes]:
    ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//FR\r\nBEGIN:VEVENT\r\n"
           f"UID:1@test\r\nDTSTAMP:20261001T080000Z\r\nDTSTART:{day}T093000\r\n"
           f"DTEND:{day}T170000\r\nSUMMARY:Formation IPP CPOM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")  # fmt: skip
    return ("Formation IPP.ics", "text/calendar", ics.encode())


def test_an_invitation_beside_the_form_on_another_day_doubts_the_session(catalog: Catalog) -> None:
    other = with_note(catalog, "Ci-joint notre bulletin.", _invitation("20271008"))
    assert "uncertain:session" in other.reasons
    same = with_note(catalog, "Ci-joint notre bulletin.", _invitation("20270318"))
    assert same.decision is Decision.AUTO, same.reasons
    broken = ("agenda.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense")
    assert with_note(catalog, "Ci-joint notre bulletin.", broken).decision is Decision.AUTO
