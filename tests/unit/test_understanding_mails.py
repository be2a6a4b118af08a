"""Whole mails, built in code: when a manager sends the form, mailbot reads it and decides."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from reportlab.pdfgen import canvas

from mailbot.catalog import Catalog
from mailbot.understanding import understand, validate
from mailbot.understanding.model import Decision, Kind, Understanding
from tests.factories.forms import build_docx, replace, sample_form, signature_png
from tests.factories.mails import BODY_FORM, mail


def test_a_complete_body_form_is_automated(catalog: Catalog) -> None:
    u = understand(mail(BODY_FORM), catalog)
    assert u.kind is Kind.REGISTRATION
    assert u.reasons == ()
    assert u.decision is Decision.AUTO
    assert u.session is not None and u.session.date == dt.date(2026, 11, 26)
    assert u.organisation is not None
    assert u.organisation.address == "1 esplanade Charles de Gaulle, CS 71223, 33074 Bordeaux Cedex"
    assert u.manager is not None and u.manager.phone == "05 56 99 12 34 poste 1234"
    assert [p.last_name for p in u.participants] == ["MARTIN", "DE LA FONTAINE"]
    assert u.declared_total_eur == Decimal("1270.00")
    assert u.signed_date == dt.date(2026, 9, 14)
    assert u.signatory == "La Directrice générale, Anne ROUX"


@pytest.mark.parametrize(
    ("postscript", "asks"),
    [
        ("PS : pourriez-vous nous envoyer un devis pour une troisième personne ?", True),
        ("Le webinaire sera-t-il enregistré ?", True),
        ("Merci de nous préciser si un bon de commande est nécessaire.", True),
        # An invoice to another name, address or mailbox: the form's would be wrong.
        ("Merci d'adresser la facture à : CCAS, 2 rue Victor Hugo, 33000 Bordeaux.", True),
        ("La facture doit être libellée au nom du CCAS de Bordeaux.", True),
        ("Merci d'établir la facture à l'attention de Mme ROUX, directrice.", True),
        ("Merci de prévoir un accès adapté : Mme ROUX est en situation de handicap.", True),
        ("Mme ROUX est malentendante : la session sera-t-elle sous-titrée ?", True),
        # A name holding "handicap" (a webinar, a department) asks for nothing more.
        ("Pouvez-vous traiter cette inscription de notre pôle Handicap ?", False),
        # "M." ends no sentence: the address after the name is still read.
        ("Merci d'envoyer la facture à M. PERRET, 12 rue Faventines, 26000 Valence.", True),
        # A change beside the form: a person decides what is recorded.
        # ("annule et remplace" also says the form was sent before: test_understanding_sent_again)
        ("Notre collègue Hélène ne pourra finalement pas participer.", True),
        # Answered by the confirmation itself, or no question.
        ("Pourriez-vous nous confirmer la bonne réception de notre inscription ?", False),
        ("La facture est à adresser au service financier.", False),
        ("Merci de bien vouloir trouver ci-joint notre bulletin.", False),
        ("Merci de nous adresser la facture.", False),
        # A colleague's note forwarded with the form: "tu" is not how clients write to IPP.
        ("Peux-tu envoyer à l'IPP le bulletin signé par M. PERRET et le bon de commande ?", False),
        # The brochure's terms, forwarded with the invitation, ask nothing.
        (
            "Toute inscription est définitive et payable intégralement mais le remplacement "
            "d'un participant peut être demandé en cas d'empêchement.",
            False,
        ),
        ("Conditions d'annulation : voir la brochure.", False),
    ],
)
def test_a_question_beside_the_form_waits_for_a_person(
    catalog: Catalog, postscript: str, asks: bool
) -> None:
    u = understand(mail(BODY_FORM + "\n" + postscript), catalog)
    assert u.kind is Kind.REGISTRATION
    assert u.reasons == (("question_in_mail",) if asks else ())
    # Kept for the review item, and through the daemon's records.
    assert Understanding.from_dict(u.to_dict()).side_question == u.side_question


_LISTED = """1. M. Paul MARTIN - paul.martin@gironde.fr
2. Mme Hélène DE LA FONTAINE - h.delafontaine@gironde.fr"""


@pytest.mark.parametrize(
    "participants",
    [
        # A table typed with bars, or pasted from a converted table.
        "Civilité | Prénom | NOM | Adresse e-mail de connexion\n"
        "M. | Paul | MARTIN | paul.martin@gironde.fr\n"
        "| Mme | Hélène | DE LA FONTAINE | h.delafontaine@gironde.fr |",
        # One labelled block per participant.
        "Civilité : M.\nPrénom : Paul\nNOM : MARTIN\n"
        "Adresse e-mail de connexion : paul.martin@gironde.fr\n\n"
        "Civilité : Mme\nPrénom : Hélène\nNOM : DE LA FONTAINE\n"
        "Adresse e-mail de connexion : h.delafontaine@gironde.fr",
        # Numbered labels.
        "Participant 1 : M. Paul MARTIN - paul.martin@gironde.fr\n"
        "Participant n°2 : Mme Hélène DE LA FONTAINE (h.delafontaine@gironde.fr)",
    ],
)
def test_participants_typed_in_other_shapes_are_read(catalog: Catalog, participants: str) -> None:
    u = understand(mail(BODY_FORM.replace(_LISTED, participants)), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert [(p.civility, p.first_name, p.last_name, p.email) for p in u.participants] == [
        ("M.", "Paul", "MARTIN", "paul.martin@gironde.fr"),
        ("Mme", "Hélène", "DE LA FONTAINE", "h.delafontaine@gironde.fr"),
    ]


def test_a_labelled_block_without_its_address_is_not_completed_by_the_next(
    catalog: Catalog,
) -> None:
    blocks = (
        "Civilité : M.\nPrénom : Paul\nNOM : MARTIN\n\n"
        "Civilité : Mme\nPrénom : Hélène\nNOM : DE LA FONTAINE\n"
        "Adresse e-mail de connexion : h.delafontaine@gironde.fr"
    )
    u = understand(mail(BODY_FORM.replace(_LISTED, blocks)), catalog)
    assert u.decision is Decision.REVIEW
    assert u.reasons == ("missing_field:participants[0].email",)


@pytest.mark.parametrize(
    ("subject", "note", "asked"),
    [
        ("Inscription webinaire CPOM ASE du 10 décembre 2026", "", True),
        ("Inscription", "Ci-joint notre bulletin pour la session du 10 décembre.", True),
        ("Inscription", "Ci-joint notre bulletin pour la session du 26 novembre.", False),
        # A date that names no session is no request for one.
        ("Inscription", "Suite à notre échange du 5 octobre, voici notre bulletin.", False),
    ],
)
def test_a_mail_asking_for_another_day_than_the_form_s_is_not_confirmed(
    catalog: Catalog, subject: str, note: str, asked: bool
) -> None:
    # The ASE form prints no date: its only session would otherwise be assumed.
    form = replace(
        sample_form(),
        webinar_title="Les CPOM des établissements et services de l'ASE",
        sessions=(),
        price_eur=635,
        declared_total="1 270,00",
    )
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    raw = mail(note or "Bonjour, ci-joint notre bulletin.", subject=subject,
               date="Mon, 12 Oct 2026 10:00:00 +0200",
               attachments=[("inscription.docx", docx, build_docx(form))])  # fmt: skip
    u = understand(raw, catalog)
    if asked:
        assert u.session is None and "unknown_session" in u.reasons
    else:
        assert u.decision is Decision.AUTO, u.reasons
        assert u.session is not None and u.session.date == dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("note", "problem"),
    [
        ("Voici notre bulletin pour la session d'octobre.", "several_sessions_chosen"),
        ("Voici notre bulletin pour le webinaire de décembre.", "unknown_session"),
        ("Voici notre bulletin pour la session de mars 2028.", "several_sessions_chosen"),
        ("Voici notre bulletin pour la session de mars.", None),
        ("Voici notre bulletin, envoyé en octobre comme convenu.", None),
        # A session missed or followed before explains the one asked for.
        ("N'ayant pas pu participer à la session d'octobre, nous inscrivons deux agents.", None),
        ("Après avoir déjà suivi la session d'octobre 2025, voici notre bulletin.", None),
        ("Nous ne sommes pas disponibles pour la session d'octobre ; voici notre bulletin.", None),
    ],
)
def test_a_mail_naming_another_month_than_the_box_ticked_is_not_confirmed(
    catalog: Catalog, note: str, problem: str | None
) -> None:
    # The SAAD form ticks 18 March: "la session d'octobre" names the other one.
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    raw = mail(note, subject="Inscription", date="Mon, 12 Oct 2026 10:00:00 +0200",
               attachments=[("inscription.docx", docx, build_docx(sample_form()))])  # fmt: skip
    u = understand(raw, catalog)
    if problem is None:
        assert u.decision is Decision.AUTO, u.reasons
        assert u.session is not None and u.session.date == dt.date(2027, 3, 18)
    else:
        assert u.session is None and problem in u.reasons, u.reasons


def _saad_body(
    date_line: str, title: str = "Mettre en place un CPOM dans le secteur de l'aide à domicile"
) -> str:
    """The body form for two SAAD participants, its date line replaced."""
    return (
        BODY_FORM.replace("Les CPOM des établissements et services de l'ASE", title)
        .replace("Date : jeudi 26 novembre 2026 de 9h30 à 17h00", date_line)
        .replace("1 270,00 €", "1 250,00 €")
    )


@pytest.mark.parametrize(
    ("session", "date"),
    [("Session : mars 2027", dt.date(2027, 3, 18)), ("Session : juin 2027", None)],
)
def test_a_saad_session_written_by_its_month_under_a_service_naming_another_webinar(
    catalog: Catalog, session: str, date: dt.date | None
) -> None:
    # "personnes handicapées" in the service is a keyword of the Handicap webinar; the
    # "Web-séminaire :" line names the SAAD one, and "mars 2027" its March session.
    body = _saad_body(session, title="CPOM aide à domicile").replace(
        "Direction de l'enfance", "Direction des personnes âgées et personnes handicapées"
    )
    u = understand(mail(body, date="Mon, 12 Oct 2026 10:00:00 +0200"), catalog)
    if date is None:
        assert u.session is None and u.decision is Decision.REVIEW
    else:
        assert u.decision is Decision.AUTO, u.reasons
        assert u.session is not None and (u.session.webinar_id, u.session.date) == (
            "cpom-saad",
            date,
        )


def test_a_form_without_the_webinar_title_is_placed_by_its_session_day(
    catalog: Catalog,
) -> None:
    untitled = BODY_FORM.replace(
        "Web-séminaire : Les CPOM des établissements et services de l'ASE\n", ""
    )
    u = understand(mail(untitled, subject="Inscription"), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.session is not None and u.session.date == dt.date(2026, 11, 26)
    # Neither title nor session day: nothing to go by.
    undated = untitled.replace("Date : jeudi 26 novembre 2026 de 9h30 à 17h00\n", "")
    u = understand(mail(undated, subject="Inscription"), catalog)
    assert u.reasons == ("session_not_identified", "total_unchecked")


def test_a_wrong_total_goes_to_review(catalog: Catalog) -> None:
    u = understand(mail(BODY_FORM.replace("1 270,00", "1 905,00")), catalog)
    assert u.decision is Decision.REVIEW and "total_mismatch" in u.reasons


def test_an_accented_address_is_reported_as_written_and_checked_by_a_person(
    catalog: Catalog,
) -> None:
    # Valid by the RFCs, but most servers refuse it: most likely "h.delafontaine@".
    typed = BODY_FORM.replace("h.delafontaine@", "h.délafontaine@")
    u = understand(mail(typed), catalog)
    assert u.participants[1].email == "h.délafontaine@gironde.fr"
    assert u.decision is Decision.REVIEW
    assert u.reasons == ("accented_email:participants[1].email",)


@pytest.mark.parametrize(
    "written",
    [
        "paul.martin@gironde",
        "paul.martin@gironde,fr",
        # A comma for the last dot: "@ars.sante" alone would pass the syntax check.
        "paul.martin@ars.sante,fr",
    ],
)
def test_an_invalid_participant_address_is_reported_as_written(
    catalog: Catalog, written: str
) -> None:
    u = understand(mail(BODY_FORM.replace("paul.martin@gironde.fr", written)), catalog)
    assert u.participants[0].email == written
    assert u.decision is Decision.REVIEW
    assert "invalid_email:participants[0].email" in u.reasons


@pytest.mark.parametrize(
    "written",
    [
        "Anne ROUX <anne.roux@gironde.fr>",  # copied from Outlook with its name
        "mailto:anne.roux@gironde.fr",
        "Anne ROUX <anne.roux@gironde>",
    ],
)
def test_a_manager_address_copied_with_its_name_is_reported_as_written(
    catalog: Catalog, written: str
) -> None:
    """The form's value is what it says; the address inside is not picked out for it."""
    body = BODY_FORM.replace("Adresse e-mail : anne.roux@gironde.fr", f"Adresse e-mail : {written}")
    u = understand(mail(body), catalog)
    assert u.manager is not None and u.manager.email == written
    assert u.decision is Decision.REVIEW and "invalid_email:manager.email" in u.reasons


def test_a_session_on_the_mail_day_is_past(catalog: Catalog) -> None:
    raw = mail(BODY_FORM, date="Thu, 26 Nov 2026 08:00:00 +0100")
    assert "past_session" in understand(raw, catalog).reasons


def test_last_years_saad_dates_designate_no_session(catalog: Catalog) -> None:
    body = BODY_FORM.replace(
        "Web-séminaire : Les CPOM des établissements et services de l'ASE",
        "Web-séminaire : Mettre en place un CPOM dans le secteur de l'aide à domicile",
    ).replace("Date : jeudi 26 novembre 2026 de 9h30 à 17h00", "Session : vendredi 11 octobre")
    u = understand(mail(body), catalog)
    assert u.session is None and "unknown_session" in u.reasons


@pytest.mark.parametrize(
    ("line", "session"),
    [
        # Another day than the catalog's only ASE session: nobody may assume it.
        ("Date : 03/12/2026", None),
        ("Session souhaitée : 3 décembre 2026", None),
        # A bare "Date" not after the mail is the day the form was filled in.
        ("Date : 10/09/2026", dt.date(2026, 11, 26)),
        ("Date : 26/11/2026", dt.date(2026, 11, 26)),
    ],
)
def test_a_session_date_written_on_the_form_must_be_a_catalog_one(
    catalog: Catalog, line: str, session: dt.date | None
) -> None:
    body = BODY_FORM.replace("Date : jeudi 26 novembre 2026 de 9h30 à 17h00", line)
    assert body != BODY_FORM
    u = understand(mail(body), catalog)
    if session is None:
        assert u.session is None and "unknown_session" in u.reasons
        assert u.decision is Decision.REVIEW
    else:
        assert u.session is not None and u.session.date == session


def test_a_form_in_a_reply_is_read_from_the_new_part_only(catalog: Catalog) -> None:
    quoted = "\n".join("> " + line for line in BODY_FORM.replace("Anne ROUX", "X Y").splitlines())
    body = BODY_FORM + "\nLe 10/09/2026 à 09:53, IPP <ipp@ipp.fr> a écrit :\n" + quoted
    u = understand(mail(body, subject="RE: Webinaire"), catalog)
    assert u.manager is not None and u.manager.full_name == "Anne ROUX"


INLINE_REPLY = """Bonjour,
Vous trouverez nos réponses sous chaque rubrique.
Fabienne Thiébaut

Le mar. 6 oct. 2026 à 10:12, IPP <ipp@ipp.fr> a écrit :
> Madame,
> Vous pouvez nous répondre en complétant les rubriques ci-dessous.
>
> Web-séminaire : Les CPOM des établissements et services de l'ASE
> jeudi 26 novembre 2026 de 9h30 à 17h00
>
> Organisme-client
> Dénomination :
Sauvegarde de l'Enfance de la Loire
> Adresse postale :
24 rue Balay
42000 Saint-Étienne
>
> Gestionnaire de l'inscription
> Prénom et NOM :
Fabienne THIÉBAUT
> Adresse e-mail :
f.thiebaut@sauvegarde42.fr
> Service :
Ressources humaines
> Téléphone :
04 77 32 18 65
>
> Participants (Civilité, Prénom, NOM, Adresse e-mail de connexion) :
Mme Océane BRUYÈRE, o.bruyere@sauvegarde42.fr
M. Mehdi AIT-OUFELLA, m.aitoufella@sauvegarde42.fr
>
> Nombre de participants :
2
> Montant total :
1 270 €
>
> Fait à :
Saint-Étienne
> Le :
07/10/2026
> Par (nom du signataire) :
Fabienne THIÉBAUT, DRH
>
> Bien cordialement,
> L'équipe IPP
"""


def test_answers_typed_under_each_quoted_label_are_the_form(catalog: Catalog) -> None:
    u = understand(mail(INLINE_REPLY, subject="RE: Webinaire CPOM ASE",
                        date="Wed, 07 Oct 2026 09:12:00 +0200"), catalog)  # fmt: skip
    assert (u.kind, u.decision) == (Kind.REGISTRATION, Decision.AUTO), u.reasons
    assert u.organisation is not None and u.manager is not None
    assert u.organisation.name == "Sauvegarde de l'Enfance de la Loire"
    assert u.organisation.address == "24 rue Balay, 42000 Saint-Étienne"
    assert (u.manager.full_name, u.manager.phone) == ("Fabienne THIÉBAUT", "04 77 32 18 65")
    assert [p.last_name for p in u.participants] == ["BRUYÈRE", "AIT-OUFELLA"]
    assert (u.declared_count, u.signatory) == (2, "Fabienne THIÉBAUT, DRH")


def test_a_reply_written_above_the_quote_keeps_the_quote_as_history() -> None:
    from mailbot.understanding.bodies import split_history

    body = ("Merci, voici notre réponse : nous serons deux.\n\nLe 6 oct. 2026, IPP a écrit :\n"
            "> Combien de participants ?\n> Dénomination :\n> Bien cordialement")  # fmt: skip
    split = split_history(body)
    assert split.new.startswith("Merci") and "Combien" not in split.new
    assert "Dénomination" in split.history


def test_a_reply_written_under_the_whole_quote_is_the_new_text(catalog: Catalog) -> None:
    # Gmail's bottom-posting: our mail quoted first (its blank form too), the answer below.
    quoted = ("Le ven. 8 janv. 2027 à 10:02, IPP <ipp@ipp.fr> a écrit :\n> Madame, Monsieur,\n"
              "> Session choisie (cocher une case)\n> [ ] jeudi 18 mars 2027\n"
              "> [ ] vendredi 8 octobre 2027\n> Dénomination :\n> Adresse postale :\n\n")  # fmt: skip
    u = understand(mail(quoted + BODY_FORM, subject="Re: Webinaire CPOM"), catalog)
    assert u.kind is Kind.REGISTRATION and u.decision is Decision.AUTO, u.reasons
    assert u.organisation is not None and u.organisation.name == "Département de la Gironde"
    # Text above the quote is the answer: what is under the quote stays history.
    from mailbot.understanding.bodies import split_history

    split = split_history("Voici notre réponse.\n\n" + quoted + "Lignes\nen\ndessous\n")
    assert split.new.startswith("Voici") and "dessous" not in split.new


def test_a_forwarded_form_keeps_the_original_manager(catalog: Catalog) -> None:
    body = (
        "Pour suite à donner.\n\n---------- Forwarded message ---------\n"
        "De : Anne ROUX <anne.roux@gironde.fr>\nDate: 14 septembre 2026\n\n" + BODY_FORM
    )
    u = understand(mail(body, subject="Fwd: inscription", sender="assistant@gironde.fr"), catalog)
    assert u.kind is Kind.REGISTRATION
    assert u.manager is not None and u.manager.email == "anne.roux@gironde.fr"


def test_html_only_table_form(catalog: Catalog) -> None:
    rows = "".join(
        f"<tr><td>{label}</td><td>{value}</td></tr>"
        for label, value in [
            ("Dénomination", "CCAS de Pau"), ("Adresse postale", "Place Royale<br>64000 Pau"),
            ("Adresse e-mail", "a@ccas-pau.fr"), ("Prénom et NOM", "Anne ROUX"),
            ("Par (nom du signataire)", "Anne ROUX"),
        ]
    )  # fmt: skip
    people = (
        "<tr><td>Civilité</td><td>Prénom</td><td>NOM</td><td>Adresse e-mail</td></tr>"
        "<tr><td>M.</td><td>Paul</td><td>MARTIN</td><td>p.martin@ccas-pau.fr</td></tr>"
    )
    html = (
        "<html><body><p>Inscription au webinaire Les CPOM des établissements et services "
        f"de l'ASE</p><table>{rows}</table><table>{people}</table></body></html>"
    )
    u = understand(mail(html=html), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.organisation is not None and u.organisation.address == "Place Royale, 64000 Pau"


def test_replacement_request(catalog: Catalog) -> None:
    body = (
        "Bonjour,\n\nMme Hélène Le Gall ne pourra pas participer au webinaire « Les CPOM des "
        "établissements et services de l'ASE » du 26 novembre 2026. Elle sera remplacée par "
        "M. Gaël GARCIA (gael.garcia@admr33.org).\n"
    )
    u = understand(mail(body, subject="Remplacement"), catalog)
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.AUTO
    assert u.replaced is not None and u.replaced.last_name == "Le Gall"
    assert u.replacement is not None and u.replacement.email == "gael.garcia@admr33.org"


_ASE = "Pour le webinaire ASE du 26 novembre 2026, "


@pytest.mark.parametrize(
    ("body", "replaced", "replacement"),
    [
        # The newcomer named first.
        ("Mme Claire PETIT (claire.petit@cg33.fr) remplacera M. Paul LEROY au webinaire ASE "
         "du 26 novembre 2026.", "LEROY", "PETIT"),
        (_ASE + "M. Paul LEROY, que remplacera Mme Claire PETIT (claire.petit@cg33.fr), "
         "ne pourra pas venir.", "LEROY", "PETIT"),
        # "En remplacement de X" before both: X drops out.
        ("En remplacement de Mme Sarah ANDRÉ, c'est M. Lucas MERCIER (l.mercier@cg33.fr) "
         "qui suivra le webinaire ASE du 26 novembre 2026.", "ANDRÉ", "MERCIER"),
        ("M. Lucas MERCIER (l.mercier@cg33.fr) suivra le webinaire ASE du 26 novembre 2026 "
         "en remplacement de Mme Sarah ANDRÉ.", "ANDRÉ", "MERCIER"),
        ("Mme Claire PETIT, claire.petit@cg33.fr, participera à la place de M. Paul LEROY "
         "au webinaire ASE du 26 novembre 2026.", "LEROY", "PETIT"),
        # "À sa place", and the address after a comma.
        ("M. Paul LEROY ne pourra assister au webinaire ASE du 26 novembre 2026. Pourriez-vous "
         "inscrire à sa place Mme Claire PETIT, claire.petit@cg33.fr ?", "LEROY", "PETIT"),
        # Words between "remplacé" and "par"; the day alone names the session.
        ("M. Paul LEROY, empêché, sera remplacé le 26 novembre par Mme Claire PETIT "
         "(claire.petit@cg33.fr).", "LEROY", "PETIT"),
        ("Mme Claire PETIT (claire.petit@cg33.fr) remplacera M. Paul LEROY au webinaire du "
         "26/11/2026.", "LEROY", "PETIT"),
        ("M. Paul LEROY sera absent le 26/11 : Mme Claire PETIT (claire.petit@cg33.fr) le "
         "remplacera.", "LEROY", "PETIT"),
        ("Mme Claire PETIT (claire.petit@cg33.fr) participera au webinaire ASE du 26 novembre "
         "2026 en lieu et place de M. Paul LEROY.", "LEROY", "PETIT"),
        (_ASE + "M. Paul LEROY cède sa place à Mme Claire PETIT (claire.petit@cg33.fr).",
         "LEROY", "PETIT"),
        # Labels on lines of their own, in either order; a name never runs into the next line.
        (_ASE + "Changement de participant :\nAncien : M. Paul LEROY\n"
         "Nouveau : Mme Claire PETIT - claire.petit@cg33.fr", "LEROY", "PETIT"),
        (_ASE + "Changement de participant :\nNouvelle participante : Mme Claire PETIT - "
         "claire.petit@cg33.fr\nParticipant remplacé : M. Paul LEROY", "LEROY", "PETIT"),
    ],
)  # fmt: skip
def test_who_replaces_whom_follows_the_wording(
    catalog: Catalog, body: str, replaced: str, replacement: str
) -> None:
    u = understand(mail(body, subject="Changement de participant"), catalog)
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.AUTO, u.reasons
    assert u.replaced is not None and u.replaced.last_name == replaced
    assert u.replacement is not None and u.replacement.last_name == replacement


@pytest.mark.parametrize(
    "body",
    [
        # Two swaps: answering the first alone would lose the second.
        _ASE + "M. Paul LEROY sera remplacé par Mme Claire PETIT (claire.petit@cg33.fr), "
        "et Mme Anne ROUX par M. Jean BLANC (jean.blanc@cg33.fr).",
        # One place, two newcomers.
        _ASE + "M. Paul LEROY sera remplacé par Mme Claire PETIT (claire.petit@cg33.fr) "
        "et M. Jean BLANC (jean.blanc@cg33.fr).",
        # A swap and a participant to add.
        _ASE + "M. Paul LEROY sera remplacé par Mme Claire PETIT (claire.petit@cg33.fr). "
        "Serait-il possible d'inscrire aussi M. Jean BLANC ?",
    ],
)
def test_a_request_naming_more_people_than_one_swap_goes_to_a_person(
    catalog: Catalog, body: str
) -> None:
    u = understand(mail(body + "\n\nCordialement,\nMme Marie DURAND", subject="Remplacement",
                        sender="Marie DURAND <marie.durand@cg33.fr>"), catalog)  # fmt: skip
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.REVIEW
    assert "replacement_ambiguous" in u.reasons


def test_a_replacement_address_written_wrongly_is_reported_as_written(catalog: Catalog) -> None:
    body = (_ASE + "M. Paul LEROY sera remplacé par Mme Claire PETIT "
            "(claire.petit@cg33,fr).")  # fmt: skip
    u = understand(mail(body, subject="Remplacement"), catalog)
    assert u.reasons == ("invalid_email:replacement.email",)
    assert u.replacement is not None and u.replacement.email == "claire.petit@cg33,fr"


def test_the_newcomer_s_address_given_in_a_later_sentence_is_theirs(catalog: Catalog) -> None:
    body = (_ASE + "Mme Claire PETIT remplacera M. Paul LEROY.\n"
            "Adresse de connexion de Mme PETIT : c.petit@cg33.fr")  # fmt: skip
    u = understand(mail(body, subject="Remplacement"), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.replacement is not None and u.replacement.email == "c.petit@cg33.fr"


def test_an_address_that_is_the_sender_s_own_is_never_the_newcomer_s(catalog: Catalog) -> None:
    # The sender shares the newcomer's family name; her signature gives her own address.
    body = (_ASE + "M. Paul LEROY sera remplacé par Mme Claire MARTIN.\n\n"
            "Cordialement,\nAnne MARTIN - anne.martin@cg33.fr")  # fmt: skip
    raw = mail(body, subject="Remplacement", sender="Anne MARTIN <anne.martin@cg33.fr>")
    u = understand(raw, catalog)
    assert u.replacement is not None and u.replacement.email is None
    assert u.reasons == ("missing_field:replacement.email",)


@pytest.mark.parametrize("webinar", ["webinaire", "webinaire CPOM ASE"])
def test_a_day_that_is_no_session_identifies_none(catalog: Catalog, webinar: str) -> None:
    # Named or not, the ASE webinar's only session is not the day the mail asks for.
    body = (f"M. Paul LEROY ne pourra pas participer au {webinar} du 3 décembre. Il sera "
            "remplacé par Mme Claire PETIT (claire.petit@cg33.fr).")  # fmt: skip
    u = understand(mail(body, subject="Remplacement"), catalog)
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.REVIEW
    assert u.reasons == ("session_not_identified",)


def test_the_sender_signing_with_a_civility_is_no_extra_person(catalog: Catalog) -> None:
    body = _ASE + "M. Paul LEROY sera remplacé par Mme Claire PETIT (claire.petit@cg33.fr)."
    u = understand(mail(body + "\n\nCordialement,\nMme Marie DURAND", subject="Remplacement",
                        sender="Marie DURAND <marie.durand@cg33.fr>"), catalog)  # fmt: skip
    assert u.decision is Decision.AUTO, u.reasons


def _picture(side: int, seed: int) -> bytes:
    import io
    import random

    from PIL import Image

    rng = random.Random(seed)
    picture = Image.new("L", (side, side))
    picture.putdata([rng.randrange(256) for _ in range(side * side)])
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def test_a_form_sent_as_an_unreadable_picture_is_a_registration_for_a_person(
    catalog: Catalog,
) -> None:
    body = "Bonjour,\n\nCi-joint notre bulletin d'inscription au webinaire CPOM.\n"
    scan = ("scan.png", "image/png", _picture(400, 1))
    u = understand(mail(body, subject="Inscription", attachments=[scan]), catalog)
    assert u.kind is Kind.REGISTRATION and u.decision is Decision.REVIEW
    assert u.reasons == ("form_not_read",)


def test_a_question_signed_with_a_logo_stays_a_question(catalog: Catalog) -> None:
    body = (
        "Bonjour,\n\nPourriez-vous me renvoyer le bulletin d'inscription ? Voici mes coordonnées.\n"
    )
    logo = ("image001.png", "image/png", _picture(60, 2))
    u = understand(mail(body, subject="Webinaire CPOM", attachments=[logo]), catalog)
    assert u.kind is Kind.QUESTION


def test_a_page_scanned_in_black_and_white_is_read_however_few_bytes_it_weighs(
    catalog: Catalog,
) -> None:
    # A 1-bit PNG of a typed page weighs less than many logos, and Outlook names it
    # "image001.png" as it names the logos: its size in pixels tells it apart.
    import io

    from tests.factories.forms import build_text_pdf, render_page, sample_form

    page = render_page(build_text_pdf(sample_form()), dpi=150)
    bilevel = page.point(lambda v: 255 if v > 140 else 0).convert("1", dither=0)  # type: ignore[attr-defined]
    out = io.BytesIO()
    bilevel.save(out, "PNG")
    assert len(out.getvalue()) < 30_000
    body = "Bonjour,\n\nVeuillez trouver ci-joint notre bulletin d'inscription.\n"
    scan = ("image001.png", "image/png", out.getvalue())
    u = understand(mail(body, subject="Inscription", attachments=[scan]), catalog)
    assert u.kind is Kind.REGISTRATION
    assert u.organisation is not None and u.organisation.name == sample_form().organisation_name
    assert [p.last_name for p in u.participants] == [
        p.last_name for p in sample_form().participants
    ]


def test_out_of_office_is_ignored(catalog: Catalog) -> None:
    raw = mail("Je suis absente jusqu'au 3 novembre.", subject="Absent(e) : Facture IPP",
               headers={"Auto-Submitted": "auto-replied"})  # fmt: skip
    u = understand(raw, catalog)
    assert (u.kind, u.decision) == (Kind.AUTO_REPLY, Decision.IGNORE)


def test_an_away_reply_marked_bulk_is_no_newsletter(catalog: Catalog) -> None:
    # Thunderbird's vacation reply marks itself "Precedence: bulk" and nothing else.
    body = (
        "Je suis en formation du 16 au 20 novembre et ne consulterai ma messagerie qu'à mon retour."
    )
    u = understand(mail(body, subject="Re: Votre lien", headers={"Precedence": "bulk"}), catalog)
    assert (u.kind, u.decision) == (Kind.AUTO_REPLY, Decision.IGNORE)


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Absence prolongée", "En congé maternité jusqu'au 15 janvier 2027, je ne pourrai "
         "pas traiter votre demande. Merci de contacter a.leroy@adapei.fr"),
        ("RE: votre facture", "Je suis en congés du 2 au 13 novembre. Votre message ne sera "
         "pas transféré."),
        ("Inscription", "Je ne fais plus partie des effectifs de la mairie. Cette boîte "
         "n'est plus consultée."),
        ("RE: Confirmation d'inscription", "Je suis en formation jusqu'au vendredi 6 novembre "
         "et ne consulterai pas ma messagerie.\nVotre message sera traité à mon retour."),
        ("Re: Votre lien de connexion", "Je suis en formation du 16 au 20 novembre et ne "
         "consulterai ma messagerie qu'à mon retour."),
        ("Fermeture secrétariat - Re: Facture IPP", "La boîte du secrétariat de direction est "
         "fermée du 21 décembre au 3 janvier inclus.\nLes messages reçus pendant cette "
         "période seront traités à la réouverture, par ordre d'arrivée."),
    ],
)  # fmt: skip
def test_out_of_office_wordings_without_headers_are_ignored(
    catalog: Catalog, subject: str, body: str
) -> None:
    u = understand(mail(body, subject=subject), catalog)
    assert (u.kind, u.decision) == (Kind.AUTO_REPLY, Decision.IGNORE)


def test_a_person_away_who_asks_something_is_answered(catalog: Catalog) -> None:
    body = ("Bonjour,\nJe suis en congés jusqu'au 12 novembre : pourriez-vous envoyer la "
            "facture du webinaire CPOM à ma collègue a.leroy@adapei.fr ?\nMerci")  # fmt: skip
    u = understand(mail(body, subject="Facture webinaire"), catalog)
    assert (u.kind, u.decision) == (Kind.QUESTION, Decision.REVIEW)


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Changement d'adresse mail",
         "Bonjour,\nL'adresse de Mme Claire DUPONT est erronée, la bonne est "
         "claire.dupont@gironde.fr.\nCordialement"),
        ("Mme DUPONT", "Bonjour,\nMme DUPONT sera remplacée par M. Paul MARTIN.\nCordialement"),
    ],
)  # fmt: skip
def test_a_participant_put_right_in_few_words_is_never_ignored(
    catalog: Catalog, subject: str, body: str
) -> None:
    # Filed as "unrelated", the right address would never reach the participant's link.
    u = understand(mail(body, subject=subject), catalog)
    assert u.decision is Decision.REVIEW


def test_a_read_receipt_is_ignored(catalog: Catalog) -> None:
    # RFC 8098: a disposition notification, not a delivery failure nor a question.
    receipt = (
        "From: Claire DUPONT <c.dupont@gironde.fr>\r\nTo: ipp@ipp.fr\r\n"
        "Subject: Lu : Confirmation de votre inscription\r\n"
        "Date: Mon, 14 Sep 2026 10:31:50 +0200\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=disposition-notification; boundary="b"\r\n'
        "\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Votre message a été lu le lundi 14 septembre 2026 à 10:31.\r\n"
        "--b\r\nContent-Type: message/disposition-notification\r\n\r\n"
        "Final-Recipient: rfc822;c.dupont@gironde.fr\r\n"
        "Disposition: manual-action/MDN-sent-manually; displayed\r\n--b--\r\n"
    ).encode()
    u = understand(receipt, catalog)
    assert (u.kind, u.decision) == (Kind.AUTO_REPLY, Decision.IGNORE)


def test_a_mail_asking_to_confirm_credentials_is_phishing(catalog: Catalog) -> None:
    body = ("Votre facture déposée sur Chorus Pro a été rejetée. Ouvrez le document joint et "
            "confirmez vos identifiants de messagerie dans les 24 heures.")  # fmt: skip
    u = understand(mail(body, subject="Chorus Pro : rejet de votre facture"), catalog)
    assert (u.kind, u.decision, u.reasons) == (Kind.OTHER, Decision.IGNORE, ("phishing",))


@pytest.mark.parametrize(
    ("subject", "sender", "body"),
    [
        # A fake delivery failure asking to log in to release the messages.
        ("Delivery Status Notification : 5 messages non remis",
         "Mail Delivery System <postmaster@webmail-release.example>",
         "Échec de remise : 5 messages entrants n'ont pas été remis dans votre boîte.\n"
         " - rh@adapei.fr : « Bulletin d'inscription signé »\n"
         "Pour libérer vos messages, connectez-vous ci-dessous :\n"
         "https://ipp-fr.webmail-release.example/release"),
        # A mailbox-full warning behind a security gateway's banner.
        ("[EXTERNE] Alerte : votre boîte ipp@ipp.fr est presque pleine",
         "Service Messagerie <noreply@ipp-fr-webmail.example>",
         "[EXTERNE] Ce courriel provient d'un expéditeur extérieur. Ne cliquez pas sur les "
         "liens si vous ne connaissez pas l'expéditeur.\n\nCher utilisateur ipp@ipp.fr,\n"
         "Votre boîte aux lettres a atteint 98 % de sa capacité. Pour conserver vos messages, "
         "validez votre compte :\nhttps://ipp-fr-webmail.example/owa/verify"),
        # A fax waiting online, to read after logging in with the mailbox's own password.
        ("Vous avez 1 nouveau fax en attente (3 pages)",
         "Service Fax en ligne <noreply@efax-secure.example>",
         "Un nouveau document télécopié vous attend.\nPour consulter votre fax, "
         "connectez-vous avec vos identifiants de messagerie :\n"
         "https://efax-secure.example/view?id=88213&mail=ipp@ipp.fr"),
    ],
)  # fmt: skip
def test_a_mailbox_robot_s_lookalike_asking_to_log_in_is_phishing(
    catalog: Catalog, subject: str, sender: str, body: str
) -> None:
    u = understand(mail(body, subject=subject, sender=sender), catalog)
    assert (u.kind, u.decision, u.reasons) == (Kind.OTHER, Decision.IGNORE, ("phishing",))


def test_a_calendar_invitation_is_ignored_even_when_it_names_a_webinar(catalog: Catalog) -> None:
    invite = ("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
              "SUMMARY:Répétition technique webinaire CPOM ASE\r\n"
              "DTSTART:20261123T130000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")  # fmt: skip
    body = ("Claire Dumoulin vous a invité à un événement.\n"
            "Répétition technique avant le webinaire CPOM ASE du 26 novembre.")  # fmt: skip
    raw = mail(body, subject="Invitation: Répétition technique webinaire CPOM ASE",
               attachments=[("invite.ics", "text/calendar", invite.encode())])  # fmt: skip
    u = understand(raw, catalog)
    assert (u.kind, u.decision, u.reasons) == (Kind.OTHER, Decision.IGNORE, ("invitation",))


@pytest.mark.parametrize("answer", ["ACCEPTED", "DECLINED"])
def test_a_calendars_answer_to_an_invitation_is_an_auto_reply(
    catalog: Catalog, answer: str
) -> None:
    reply = ("BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\n"
             "SUMMARY:Webinaire CPOM ASE\r\nDTSTART:20261126T083000Z\r\n"
             f"ATTENDEE;PARTSTAT={answer}:mailto:c.dumoulin@cd33.fr\r\n"
             "END:VEVENT\r\nEND:VCALENDAR\r\n")  # fmt: skip
    raw = mail("", subject="Accepté : Webinaire CPOM ASE - jeudi 26 novembre 2026",
               attachments=[("invite.ics", "text/calendar", reply.encode())])  # fmt: skip
    u = understand(raw, catalog)
    assert (u.kind, u.decision) == (Kind.AUTO_REPLY, Decision.IGNORE)


@pytest.mark.parametrize(
    ("subject", "body", "html"),
    [
        (
            "Re: Votre lien de connexion",
            "Bonjour,\nje suis en déplacement jusqu'au 6 novembre "
            "et je consulte mes messages de façon irrégulière.\nJe vous répondrai dès mon retour.",
            None,
        ),
        (
            "Absent(e) du bureau : Votre inscription au webinaire",
            "",
            "<p>Je suis absent(e) du bureau jusqu'au mercredi 14 octobre 2026.</p>",
        ),
    ],
)
def test_out_of_office_wordings(
    catalog: Catalog, subject: str, body: str, html: str | None
) -> None:
    u = understand(mail(body, subject=subject, html=html), catalog)
    assert (u.kind, u.decision) == (Kind.AUTO_REPLY, Decision.IGNORE)


def test_an_away_note_beside_a_photographed_form_is_no_auto_reply(catalog: Catalog) -> None:
    photo = ("IMG_2041.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" + bytes(60_000))
    body = "Je serai absente jusqu'au 12 octobre.\nVoici notre bulletin d'inscription."
    u = understand(mail(body, subject="Inscription", attachments=[photo]), catalog)
    assert u.kind is not Kind.AUTO_REPLY


def test_a_platform_notification_is_no_auto_reply(catalog: Catalog) -> None:
    body = ("Bonjour IPP,\nVotre webinaire « Les CPOM des établissements et services de l'ASE » "
            "commence dans 7 jours.\nInscrits : 27 participants.")  # fmt: skip
    raw = mail(body, subject="Rappel : votre webinaire commence bientôt",
               headers={"Auto-Submitted": "auto-generated"})  # fmt: skip
    u = understand(raw, catalog)
    assert (u.kind, u.decision, u.reasons) == (Kind.OTHER, Decision.IGNORE, ("notification",))
    # A ticketing robot's acknowledgement is an auto-reply, whatever its header says.
    ack = mail("Votre demande a bien été enregistrée sous le numéro 48213.",
               subject="[GLPI #48213] Nouveau ticket", headers={"Auto-Submitted": "auto-generated"})  # fmt: skip
    assert understand(ack, catalog).kind is Kind.AUTO_REPLY


def test_a_dmarc_aggregate_report_is_ignored(catalog: Catalog) -> None:
    # Sent to the domain's "rua" address, the mailbox: statistics for no one here.
    report = (
        "google.com!ipp.fr!1792368000!1792454399.zip",
        "application/zip",
        b"PK\x05\x06" + bytes(18),
    )
    raw = mail("This is an aggregate report from google.com.", sender="noreply-dmarc-support@google.com",
               subject="Report domain: ipp.fr Submitter: google.com Report-ID: 4127735261900448813",
               attachments=[report])  # fmt: skip
    u = understand(raw, catalog)
    assert (u.kind, u.decision, u.reasons) == (Kind.OTHER, Decision.IGNORE, ("notification",))
    # The same words around an ordinary zip are no report.
    form = ("bulletin.zip", "application/zip", b"PK\x05\x06" + bytes(18))
    other = mail("Ci-joint notre bulletin d'inscription.", attachments=[form])
    assert understand(other, catalog).kind is not Kind.OTHER


def test_a_robot_sending_a_form_is_read_not_ignored(catalog: Catalog) -> None:
    """A copier's scan-to-mail or a workflow may mark its mail auto-submitted."""
    form = build_docx(sample_form())
    raw = mail("Document numérisé.", subject="Numérisation", headers={"Auto-Submitted": "auto-generated"},
               attachments=[("bulletin.docx", "application/vnd.openxmlformats-officedocument."
                             "wordprocessingml.document", form)])  # fmt: skip
    u = understand(raw, catalog)
    assert u.kind is Kind.REGISTRATION and u.decision is Decision.AUTO, u.reasons


@pytest.mark.parametrize("header", ["auto-generated", "auto-replied"])
def test_a_form_typed_by_a_robot_in_the_body_is_read(catalog: Catalog, header: str) -> None:
    raw = mail(BODY_FORM, subject="Nouvelle inscription", headers={"Auto-Submitted": header})
    u = understand(raw, catalog)
    assert (u.kind, u.decision) == (Kind.REGISTRATION, Decision.AUTO), u.reasons


def test_a_chorus_pro_notice_is_for_staff_even_sent_by_a_robot(catalog: Catalog) -> None:
    body = ("Nous vous informons que la facture suivante a changé de statut.\n"
            "Numéro de facture : 2026-0498\nNouveau statut : REJETÉE\n"
            "Motif du rejet : Numéro d'engagement absent ou erroné\n"
            "Pour consulter le détail, connectez-vous à votre espace Chorus Pro.\n"
            "Ceci est un message automatique, merci de ne pas y répondre.")  # fmt: skip
    raw = mail(body, subject="[Chorus Pro] Changement de statut de la facture n° 2026-0498",
               sender="Chorus Pro <ne-pas-repondre@chorus-pro.gouv.fr>",
               headers={"Auto-Submitted": "auto-generated"})  # fmt: skip
    u = understand(raw, catalog)
    assert (u.kind, u.decision) == (Kind.QUESTION, Decision.REVIEW)


@pytest.mark.parametrize(
    ("subject", "body", "reason"),
    [
        (
            "[Chorus Pro] Revalidation obligatoire",
            "Les coordonnées bancaires de votre structure "
            "fournisseur (IPP) doivent être revalidées avant le 15/10/2026.\nRevalider mes "
            "coordonnées bancaires : https://chorus-pro.example.net/revalidation",
            "phishing",
        ),
        (
            "[ipp.fr] Action requise : votre boîte aux lettres sera désactivée sous 24h",
            "Votre boîte aux lettres a atteint 98 % de sa capacité.\nPour éviter la "
            "désactivation de votre compte, veuillez valider votre identité : "
            "https://ipp-fr.webmail-verification.top/owa/",
            "phishing",
        ),
        (
            "Message non délivré : 4 messages en attente",
            "Échec de la remise du message.\n"
            "Pour récupérer vos messages en attente, veuillez cliquer ci-dessous.",
            "phishing",
        ),
        (
            "RE: Attendees list - CPOM Summit 2026",
            "Would you be interested in acquiring the "
            'Attendees/Members list of the CPOM Summit?\nTo opt out, reply "Remove".',
            "spam",
        ),
        (
            "Votre colis 4829117503 : frais de douane à régler",
            "Votre colis n° 4829 1175 03 est en attente de livraison.\nDes frais de "
            "dédouanement de 2,99 EUR restent à régler : https://suivi-colis.example.top/",
            "phishing",
        ),
        (
            "Remplissez vos formations : fichier 34 500 directeurs d'ESSMS",
            "Vous organisez des formations ? Notre fichier 2026 recense 34 500 ESSMS.\n"
            "Répondez simplement OUI à ce message pour recevoir un extrait gratuit.",
            "spam",
        ),
        (
            "Action requise : votre facture n° FAC-2026-118 a été rejetée",
            "Votre facture déposée sur Chorus Pro a été rejetée (coordonnées bancaires non "
            "vérifiées).\nPour éviter la suspension de votre compte fournisseur, vous devez "
            "confirmer vos informations sous 48 heures : http://chorus.portail-factures.example/",
            "phishing",
        ),
        (
            "Action requise : renouvellement de votre nom de domaine",
            "Nous n'avons pas pu prélever votre abonnement (39,00 €). Votre nom de domaine et "
            "vos adresses e-mail seront suspendus sous 72 heures.\nMettez à jour vos "
            "informations de paiement : https://renouvellement.example.top/paiement",
            "phishing",
        ),
        (
            "Action requise : mise à jour de vos coordonnées bancaires",
            "Cher client,\n\nVotre boîte ipp@ipp.fr sera suspendue sous 24 h. Validez vos "
            "identifiants ici : http://ipp-fr-paiement.example/login",
            "phishing",
        ),
        (
            "[ALERTE] 3 messages entrants retenus pour ipp@ipp.fr",
            "Des messages destinés à ipp@ipp.fr ont été retenus :\n"
            "- « Bulletin d'inscription signé - CPOM ASE » (compta@departement.example)\n"
            "Cliquez sur le lien ci-dessous pour LIBÉRER LES MESSAGES.",
            "phishing",
        ),
        (
            "Remplissez vos webinaires en 10 jours",
            "Vous organisez des webinaires pour les établissements médico-sociaux ?\n"
            "Notre fichier qualifié de 45 000 décideurs vous permet de remplir vos sessions.\n"
            "Offre de lancement : -30 %.\nPuis-je vous appeler cette semaine ?",
            "spam",
        ),
        (
            "Guest post / backlink opportunity for ipp.fr",
            "I really liked your content on CPOM webinars. I'm reaching out to offer a guest "
            "post on our health & care blogs, with a do-follow link to your registration page.",
            "spam",
        ),
        (
            "Your reward is waiting - confirm before midnight",
            "Congratulations! Your e-mail address has been selected in our monthly loyalty "
            "draw.\nCLAIM YOUR REWARD NOW: http://rewardzone-claim.example/r/8f1d2c",
            "spam",
        ),
        (
            "Candidature spontanée - chargée de formation",
            "Je me permets de vous adresser ma candidature spontanée pour un poste de chargée de "
            "formation. Vos journées d'étude sur les CPOM correspondent à mon parcours.\n"
            "Vous trouverez mon CV en pièce jointe.",
            "unrelated",
        ),
        (
            "Exposez au Salon de l'action sociale 2027",
            "En tant qu'organisme de formation, vous pouvez réserver un stand ou proposer un "
            "atelier. Dossier d'exposant et tarifs en ligne.",
            "unrelated",
        ),
        (
            "Facture FA-2026-11873",
            "Veuillez trouver ci-joint notre facture FA-2026-11873 relative à votre commande de "
            "consommables.",
            "unrelated",
        ),
        (
            "Votre facture F2026-1187",
            "Veuillez trouver ci-joint votre facture F2026-1187 d'un montant de 178,80 € TTC pour "
            "votre abonnement de novembre 2026.\nLe prélèvement interviendra le 2 décembre.",
            "unrelated",
        ),
    ],
)
def test_more_junk(catalog: Catalog, subject: str, body: str, reason: str) -> None:
    u = understand(mail(body, subject=subject, sender="X <x@example.net>"), catalog)
    assert (u.kind, u.decision, u.reasons) == (Kind.OTHER, Decision.IGNORE, (reason,))


def test_asking_for_the_speaker_s_cv_is_a_question(catalog: Catalog) -> None:
    body = ("Bonjour,\nJe viens de prendre mon poste. Pourriez-vous m'envoyer le CV de "
            "l'intervenant du webinaire CPOM ASE ?\nCordialement")  # fmt: skip
    u = understand(mail(body, subject="Webinaire CPOM"), catalog)
    assert (u.kind, u.reasons) == (Kind.QUESTION, ("question",))


def test_a_client_s_file_of_a_dozen_directors_is_a_question(catalog: Catalog) -> None:
    body = ("Bonjour,\nNotre fichier de 12 directeurs d'établissement souhaite suivre votre "
            "webinaire sur les CPOM. Quel serait le tarif pour un groupe ?\nCordialement")  # fmt: skip
    u = understand(mail(body, subject="Webinaire CPOM"), catalog)
    assert (u.kind, u.reasons) == (Kind.QUESTION, ("question",))


def test_a_purchase_order_beside_a_question_is_no_unread_form(catalog: Catalog) -> None:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    lines = ["BON DE COMMANDE n° 2026-004512", "Département de Lot-et-Garonne",
             "Objet : webinaire CPOM ASE du 26 novembre 2026, 2 agents", "Montant HT : 1 270,00",
             "Imputation budgétaire : 6184 - Engagement juridique 2026-EJ-0045871",
             "Service exécutant : DEF-ACHATS - SIRET 224 700 015 00019"]  # fmt: skip
    for row, line in enumerate(lines):
        page.drawString(60, 780 - 20 * row, line)
    page.save()
    body = ("Bonjour,\nSuite à notre bulletin d'inscription transmis le 14 octobre, la facture "
            "doit être déposée sur Chorus Pro. Ci-joint le bon de commande.\n"
            "Pouvez-vous me confirmer que c'est possible ?\nCordialement")  # fmt: skip
    raw = mail(body, subject="Facturation Chorus Pro",
               attachments=[("BC-2026-004512.pdf", "application/pdf", out.getvalue())])  # fmt: skip
    u = understand(raw, catalog)
    assert (u.kind, u.reasons) == (Kind.QUESTION, ("question",))


def test_a_training_offer_is_no_question(catalog: Catalog) -> None:
    body = ("Bonjour,\nDécouvrez notre catalogue 2027 : management, qualité, CPOM, EPRD.\n"
            "Pour ne plus recevoir nos messages, répondez STOP.")  # fmt: skip
    u = understand(mail(body, subject="Nos formations 2027 pour les ESMS"), catalog)
    assert (u.kind, u.decision) == (Kind.OTHER, Decision.IGNORE)


DSN = """From: MAILER-DAEMON@mx.gironde.fr
To: ipp@ipp.fr
Subject: Undelivered Mail Returned to Sender
Date: Mon, 14 Sep 2026 10:31:50 +0200
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

This is the mail system. Your message could not be delivered.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.gironde.fr

Final-Recipient: rfc822; p.martin@gironde.fr
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 user unknown

--b1
Content-Type: text/rfc822-headers

Message-ID: <confirm-42@ipp.fr>
Subject: Confirmation

--b1--
"""


def test_a_dsn_is_a_bounce_linked_to_our_mail(catalog: Catalog) -> None:
    u = understand(DSN.encode(), catalog)
    assert (u.kind, u.decision) == (Kind.BOUNCE, Decision.REVIEW)
    assert u.bounce is not None
    assert u.bounce.failed_recipients == ("p.martin@gironde.fr",)
    assert u.bounce.status == "5.1.1"
    assert u.bounce.original_message_id == "<confirm-42@ipp.fr>"


_RETURNED_PHISHING = """--b1
Content-Type: message/rfc822

Message-ID: <{message_id}>
From: "Payments Team" <ipp@ipp.fr>
To: p.martin@gironde.fr
Subject: Your transfer is waiting - confirm now

Dear customer, a transfer is pending in your name. To release the funds, confirm
your identity within 24 hours: http://secure-release.example.xyz/claim

--b1--
"""


@pytest.mark.parametrize(
    ("message_id", "kind"),
    [("20261114.5b7c1e9a@qzlhbm.example", Kind.OTHER),  # spam forged in our name came back
     ("confirm-42@ipp.fr", Kind.BOUNCE)],  # one of ours: whatever it reads like, a bounce
)  # fmt: skip
def test_a_bounce_of_junk_sent_in_our_name_is_ignored(
    catalog: Catalog, message_id: str, kind: Kind
) -> None:
    dsn = DSN.partition("--b1\nContent-Type: text/rfc822-headers")[0]
    u = understand((dsn + _RETURNED_PHISHING.format(message_id=message_id)).encode(), catalog)
    assert u.kind is kind


def test_a_delivery_receipt_is_good_news_not_a_bounce(catalog: Catalog) -> None:
    """Exchange's "Remis :" is a delivery-status report too, every action "delivered"."""
    receipt = (
        DSN.replace("Action: failed", "Action: delivered")
        .replace("Status: 5.1.1", "Status: 2.0.0")
        .replace("Diagnostic-Code: smtp; 550 5.1.1 user unknown\n", "")
        .replace("Your message could not be delivered.", "Your message has been delivered.")
    )
    u = understand(receipt.encode(), catalog)
    assert (u.kind, u.decision) == (Kind.AUTO_REPLY, Decision.IGNORE)


def test_a_report_with_one_failed_recipient_among_delivered_ones_is_a_bounce(
    catalog: Catalog,
) -> None:
    mixed = DSN.replace(
        "Final-Recipient: rfc822; p.martin@gironde.fr",
        "Final-Recipient: rfc822; a.roux@gironde.fr\nAction: delivered\nStatus: 2.0.0\n\n"
        "Final-Recipient: rfc822; p.martin@gironde.fr",
    )
    u = understand(mixed.encode(), catalog)
    assert u.kind is Kind.BOUNCE and u.bounce is not None
    # The address that received the mail is not flagged with the one that failed.
    assert (u.bounce.failed_recipients, u.bounce.status) == (("p.martin@gironde.fr",), "5.1.1")


def test_a_free_text_bounce_is_linked_by_the_headers_it_pastes(catalog: Catalog) -> None:
    body = (
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        "  jean.dupont@gironde.fr\n    550 5.1.1 User unknown\n\n"
        "------ This is a copy of the message, including all the headers. ------\n"
        "Subject: Confirmation d'inscription\nMessage-ID: <conf-123@ipp.fr>\n"
    )
    raw = mail(body, subject="Mail delivery failed: returning message to sender",
               sender="Mail Delivery System <Mailer-Daemon@mx.gironde.fr>")  # fmt: skip
    u = understand(raw, catalog)
    assert u.kind is Kind.BOUNCE and u.bounce is not None
    assert u.bounce.failed_recipients == ("jean.dupont@gironde.fr",)
    assert (u.bounce.original_message_id, u.bounce.status) == ("<conf-123@ipp.fr>", "5.1.1")


def test_microsoft_365_s_html_report_is_a_bounce_though_it_says_click(catalog: Catalog) -> None:
    html = (
        "<html><body><p>Votre message à l.fabre@ccas-valence.fr n'a pas pu être remis.</p>"
        "<p>Renvoyez le message. Pour renvoyer ce message, cliquez ici.</p>"
        "<p>Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound'</p>"
        "<p><b>En-têtes du message d'origine</b></p><p>Received: from smtp.ipp.fr by "
        "outlook.office365.com; Thu, 19 Nov 2026 09:07:18 +0000 Message-ID: "
        "&lt;conf-456@ipp.fr&gt; Subject: Votre lien de connexion</p></body></html>"
    )
    raw = mail(html=html, subject="Non remis : Votre lien de connexion",
               sender="Microsoft Outlook <MicrosoftExchange329e71@ccasvalence.onmicrosoft.com>",
               headers={"Auto-Submitted": "auto-replied"})  # fmt: skip
    u = understand(raw, catalog)
    assert (u.kind, u.decision) == (Kind.BOUNCE, Decision.REVIEW)
    assert u.bounce is not None and u.bounce.failed_recipients == ("l.fabre@ccas-valence.fr",)
    assert (u.bounce.original_message_id, u.bounce.status) == ("<conf-456@ipp.fr>", "5.1.10")


def test_garbage_never_raises(catalog: Catalog) -> None:
    u = understand(b"\x00\xff garbage \r\n\r\n--", catalog)
    assert u.kind in set(Kind)


def test_round_trip_and_revalidation_after_a_correction(catalog: Catalog) -> None:
    u = understand(mail(BODY_FORM.replace("1 270,00", "1 905,00")), catalog)
    assert Understanding.from_dict(u.to_dict()) == u
    corrected = validate(u.with_changes(declared_total_eur=Decimal("1270")), catalog)
    assert corrected.decision is Decision.AUTO


def test_corpus_json_has_every_key(catalog: Catalog) -> None:
    data = understand(mail(BODY_FORM), catalog).to_corpus_json()
    assert set(data) == {
        "kind", "decision", "reasons", "session", "organisation", "manager", "participants",
        "declared_count", "declared_total_eur", "signed_place", "signed_date", "signatory",
        "replaced", "replacement",
    }  # fmt: skip
    assert data["declared_total_eur"] == 1270.0


def test_a_purchase_order_sent_with_the_form_gives_the_chorus_identifiers(
    catalog: Catalog,
) -> None:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    lines = [
        "BON DE COMMANDE N° 4500123456",
        "SIRET : 223 300 012 00013",
        "Code service Chorus Pro : DSOL33",
        "Objet : inscription de 2 agents au webinaire CPOM",
    ]
    for row, line in enumerate(lines):
        page.drawString(50, 780 - 18 * row, line)
    page.save()
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    raw = mail(
        "Bonjour,\nci-joint notre bulletin d'inscription et le bon de commande.",
        date="Mon, 12 Oct 2026 10:00:00 +0200",
        attachments=[
            ("inscription.docx", docx, build_docx(sample_form())),
            ("BC_4500123456.pdf", "application/pdf", buffer.getvalue()),
        ],
    )
    u = understand(raw, catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert (u.buyer.siret, u.buyer.service_code, u.buyer.engagement_number) == (
        "22330001200013",
        "DSOL33",  # not "Chorus", the word after "Code service"
        "4500123456",
    )


_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_a_form_sent_back_by_an_out_of_office_robot_waits_for_a_person(catalog: Catalog) -> None:
    raw = mail("Je suis absente jusqu'au 12 octobre.", subject="Réponse automatique : Confirmation",
               headers={"Auto-Submitted": "auto-replied"},
               attachments=[("bulletin.docx", _DOCX, build_docx(sample_form()))])  # fmt: skip
    u = understand(raw, catalog)
    assert (u.kind, u.decision) == (Kind.REGISTRATION, Decision.REVIEW)
    assert "auto_reply" in u.reasons


def test_adding_someone_to_a_registration_asks_a_person(catalog: Catalog) -> None:
    note = ("Pourriez-vous ajouter Mme Élodie BRESSAC (e.bressac@gironde.fr) à notre "
            "inscription ci-dessous ?\n\n")  # fmt: skip
    u = understand(mail(note + BODY_FORM), catalog)
    assert u.decision is Decision.REVIEW and "question_in_mail" in u.reasons


def test_a_person_forwarding_a_failure_with_the_form_is_registering(catalog: Catalog) -> None:
    body = ("Bonjour,\n\n-----Message d'origine-----\nDe : Microsoft Outlook "
            "<postmaster@gironde.fr>\nObjet : Non remis : Inscription\n\nRemise à ces "
            "destinataires impossible : ipp@ipp.com\nVotre message n'a pas pu être remis.\n")  # fmt: skip
    raw = mail(body, subject="TR: Non remis : Inscription",
               attachments=[("bulletin.docx", _DOCX, build_docx(sample_form()))])  # fmt: skip
    u = understand(raw, catalog)
    assert (u.kind, u.decision) == (Kind.REGISTRATION, Decision.AUTO), u.reasons


def test_a_gateway_s_french_failure_notice_is_a_bounce(catalog: Catalog) -> None:
    body = ("MESSAGE GÉNÉRÉ AUTOMATIQUEMENT - MERCI DE NE PAS RÉPONDRE\n\nLe message dont les "
            "références figurent ci-dessous n'a pas pu\nêtre remis à son ou ses "
            "destinataires.\n\nDestinataire(s) en échec :\n  marc.tessier@ddets.gouv.fr : "
            "destinataire inconnu\n")  # fmt: skip
    raw = mail(body, subject="[Non distribué] Votre lien de connexion",
               sender="Passerelle <postmaster@passerelle-mel.interieur.gouv.fr>")  # fmt: skip
    assert understand(raw, catalog).kind is Kind.BOUNCE


def test_a_gateway_s_quarantine_of_our_invoice_is_a_bounce(catalog: Catalog) -> None:
    body = ("Le message ci-dessous, que vous avez adressé à un agent du Département, a été "
            "placé en QUARANTAINE par notre passerelle de sécurité. Il n'a PAS été remis à "
            "son destinataire.\n\n  Expéditeur   : ipp@ipp.fr\n"
            "  Destinataire : tarification@dordogne.fr\n  Objet        : Facture IPP\n")  # fmt: skip
    raw = mail(body, subject="[QUARANTAINE] Message non distribué : Facture IPP",
               sender="Passerelle messagerie <quarantaine-noreply@dordogne.fr>")  # fmt: skip
    u = understand(raw, catalog)
    assert (u.kind, u.decision) == (Kind.BOUNCE, Decision.REVIEW)
    assert u.bounce is not None and u.bounce.failed_recipients == ("tarification@dordogne.fr",)


def test_a_colleague_s_leave_in_a_replacement_is_no_out_of_office(catalog: Catalog) -> None:
    body = ("Mme Laetitia BRUNEL, inscrite à la session du jeudi 18 mars 2027, sera en congé "
            "maternité à cette date.\n\nElle sera remplacée par Mme Océane FAURE : "
            "oceane.faure@aide.org\n")  # fmt: skip
    u = understand(mail(body, subject="Remplacement participante"), catalog)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons


def test_a_file_uuencoded_in_the_text_is_read_as_an_attachment(catalog: Catalog) -> None:
    import binascii

    data = build_docx(sample_form())
    lines = [
        binascii.b2a_uu(data[i : i + 45]).decode().rstrip("\n") for i in range(0, len(data), 45)
    ]
    body = ("Bonjour,\nVoici notre bulletin.\n\nbegin 644 BULLETIN.DOCX\n"
            + "\n".join(lines) + "\n`\nend\n")  # fmt: skip
    u = understand(mail(body), catalog)
    assert (u.kind, u.decision) == (Kind.REGISTRATION, Decision.AUTO), u.reasons
    assert [a.filename for a in u.attachments] == ["BULLETIN.DOCX"]


def test_outlook_s_echo_of_an_address_as_a_link_is_not_part_of_it(catalog: Catalog) -> None:
    body = BODY_FORM.replace(
        "anne.roux@gironde.fr", "anne.roux@gironde.fr<mailto:anne.roux@gironde.fr>"
    )
    u = understand(mail(body), catalog)
    assert u.manager is not None and u.manager.email == "anne.roux@gironde.fr"
    assert u.decision is Decision.AUTO, u.reasons


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Pourriez-vous enregistrer notre inscription ?", False),
        ("Le webinaire sera-t-il enregistré ?", True),
        ("Nous aimerions savoir s'il reste des places.", True),
        ("Faut-il vous renvoyer le bulletin signé ?", True),
    ],
)
def test_what_asks_a_person_beside_the_form(catalog: Catalog, question: str, asks: bool) -> None:
    u = understand(mail(question + "\n\n" + BODY_FORM), catalog)
    assert ("question_in_mail" in u.reasons) is asks


def test_a_stub_text_part_gives_way_to_the_html_form(catalog: Catalog) -> None:
    html = (
        "<html><body>"
        + "".join(f"<p>{line}</p>" for line in BODY_FORM.splitlines())
        + "</body></html>"
    )
    raw = mail("Ce message est au format HTML. Utilisez un client compatible HTML.", html=html)
    u = understand(raw, catalog)
    assert (u.kind, u.decision) == (Kind.REGISTRATION, Decision.AUTO), u.reasons


def test_a_form_pasted_as_a_definition_list(catalog: Catalog) -> None:
    pairs = [("Dénomination", "Département de la Gironde"),
             ("Adresse postale", "1 esplanade Charles de Gaulle, 33074 Bordeaux Cedex"),
             ("Prénom et NOM", "Anne ROUX"), ("Adresse e-mail", "anne.roux@gironde.fr")]  # fmt: skip
    listed = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in pairs)
    html = (f"<p>Inscription au webinaire CPOM ASE du jeudi 26 novembre 2026</p><dl>{listed}</dl>"
            "<p>Participants</p><p>1. M. Paul MARTIN - paul.martin@gironde.fr</p>"
            "<p>Par : Anne ROUX</p>")  # fmt: skip
    u = understand(mail(html=html), catalog)
    assert u.organisation is not None and u.organisation.name == "Département de la Gironde"
    assert u.manager is not None and u.manager.email == "anne.roux@gironde.fr"
    assert u.decision is Decision.AUTO, u.reasons


FAX_NOTICE = (
    "Vous avez reçu une nouvelle télécopie sur votre ligne 01 45 27 63 90.\n"
    "Numéro de l'appelant : +33385321469\nNombre de pages : 3\n\n"
    "Le document est joint à ce message.\n"
    "Ce message est généré automatiquement, merci de ne pas y répondre."
)


def test_a_fax_whose_pages_cannot_be_read_waits_for_a_person(catalog: Catalog) -> None:
    """A fax server's notice names no form: the pages it carries are never ignored."""
    broken = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n"  # cut short in transit
    raw = mail(FAX_NOTICE, subject="Nouvelle télécopie de +33385321469 (3 pages)",
               sender="Service Télécopie <notification@telecopie.example>",
               attachments=[("Telecopie_20261215.pdf", "application/pdf", broken)])  # fmt: skip
    u = understand(raw, catalog)
    assert (u.kind, u.decision, u.reasons) == (
        Kind.REGISTRATION, Decision.REVIEW, ("unreadable_attachment",)
    )  # fmt: skip


def test_a_scanned_page_titled_as_the_form_but_not_read_as_one_waits(catalog: Catalog) -> None:
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=48)
    draw.text((150, 200), "Bulletin d'inscription à retourner à IPP", font=font, fill=0)
    out = io.BytesIO()
    page.save(out, "PNG", dpi=(200, 200))
    raw = mail(FAX_NOTICE, subject="Nouvelle télécopie de +33385321469 (1 page)",
               sender="Service Télécopie <notification@telecopie.example>",
               attachments=[("fax.png", "image/png", out.getvalue())])  # fmt: skip
    u = understand(raw, catalog)
    assert (u.kind, u.decision, u.reasons) == (
        Kind.REGISTRATION, Decision.REVIEW, ("form_not_read",)
    )  # fmt: skip


def test_a_cancellation_asking_for_a_refund_is_no_spam(catalog: Catalog) -> None:
    body = ("Pour des raisons budgétaires, nous sommes contraints d'annuler l'inscription de nos "
            "deux collaboratrices au webinaire du 27 novembre 2026.\nLe règlement ayant déjà été "
            "effectué par virement, nous vous saurions gré de procéder à son remboursement.")  # fmt: skip
    u = understand(mail(body, subject="Annulation inscription webinaire 27 novembre"), catalog)
    assert (u.kind, u.decision) == (Kind.QUESTION, Decision.REVIEW)
    # The same words selling something, with no registration of the writer's, stay junk.
    offer = ("Votre crédit formation expire bientôt : profitez de notre promotion de fin "
             "d'année sur nos webinaires !")  # fmt: skip
    assert understand(mail(offer, subject="Dernière chance"), catalog).reasons == ("spam",)


@pytest.mark.parametrize(
    ("october", "problem"),
    [
        ("vendredi 8 octobre 2027 de 9h30 à 17h00 ← 08/10 pour Mme Bouillot", "several_sessions_chosen"),
        ("vendredi 8 octobre 2027 de 9h30 à 17h00 : M. Paul ROUX", "several_sessions_chosen"),
        ("vendredi 8 octobre 2027 de 9h30 à 17h00", None),
    ],
)  # fmt: skip
def test_a_note_written_beside_the_box_left_empty_chooses_it_too(
    catalog: Catalog, october: str, problem: str | None
) -> None:
    form = sample_form(sessions=(("jeudi 18 mars 2027 de 9h30 à 17h00", True), (october, False)))
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    raw = mail("Bonjour, ci-joint notre bulletin.", date="Mon, 12 Oct 2026 10:00:00 +0200",
               attachments=[("inscription.docx", docx, build_docx(form))])  # fmt: skip
    u = understand(raw, catalog)
    if problem is None:
        assert u.decision is Decision.AUTO, u.reasons
    else:
        assert u.session is None and problem in u.reasons, u.reasons


@pytest.mark.parametrize(
    ("note", "date"),
    [
        ("Nous ne sommes pas disponibles le 18 mars.", dt.date(2027, 10, 8)),
        ("Nous serons indisponibles le 18 mars.", dt.date(2027, 10, 8)),
        ("Session choisie : celle-ci, et non celle du 18 mars.", dt.date(2027, 10, 8)),
        ("Mme Roques reste inscrite à la session du 18 mars.", dt.date(2027, 10, 8)),
        ("Le 18 mars ou le 8 octobre nous conviennent.", None),
    ],
)
def test_a_session_day_the_writer_cannot_attend_is_not_asked_for(
    catalog: Catalog, note: str, date: dt.date | None
) -> None:
    body = _saad_body(f"Date : vendredi 8 octobre 2027. {note}")
    u = understand(mail(body, date="Mon, 12 Oct 2026 10:00:00 +0200"), catalog)
    if date is None:
        assert u.session is None and u.decision is Decision.REVIEW
    else:
        assert u.decision is Decision.AUTO, u.reasons
        assert u.session is not None and u.session.date == date


@pytest.mark.parametrize(
    ("note", "reason"),
    [
        # The day ticked is the one the note rules out.
        ("Attention, nous ne sommes pas disponibles le 18 mars, merci d'en tenir compte.",
         "uncertain:session"),
        # The note asks for the other day instead of the one ticked.
        ("Ma collègue a coché la session de mars, mais après vérification des plannings, "
         "pourriez-vous plutôt les inscrire à celle du vendredi 8 octobre 2027 ?",
         "unknown_session"),
    ],
)  # fmt: skip
def test_a_note_against_the_day_ticked_waits_for_a_person(
    catalog: Catalog, note: str, reason: str
) -> None:
    # The SAAD form ticks 18 March.
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    raw = mail(note, subject="Inscription", date="Mon, 12 Oct 2026 10:00:00 +0200",
               attachments=[("inscription.docx", docx, build_docx(sample_form()))])  # fmt: skip
    u = understand(raw, catalog)
    assert u.decision is Decision.REVIEW and reason in u.reasons, u.reasons


def test_a_client_s_question_carrying_a_teams_invitation_is_no_spam(catalog: Catalog) -> None:
    body = ("Bonjour,\n\nNous souhaiterions organiser une session CPOM Handicap en intra pour "
            "nos cadres. Pourriez-vous nous indiquer vos conditions tarifaires ? Je vous "
            "propose d'en parler sur Teams jeudi à 14h :\n\nRéunion Microsoft Teams\n"
            "Cliquez ici pour rejoindre la réunion<https://teams.microsoft.com/l/meetup-join/19>\n"
            "ID de la réunion : 291 077 455 803\n\nMarion Chassagne\nDRH, ADAPEI de la Savoie\n")  # fmt: skip
    u = understand(mail(body, subject="Session intra CPOM Handicap"), catalog)
    assert (u.kind, u.decision) == (Kind.QUESTION, Decision.REVIEW)
    bait = body.replace("Cliquez ici pour rejoindre la réunion", "Cliquez ici")
    assert understand(mail(bait, subject="Offre"), catalog).kind is Kind.OTHER


def test_an_invoice_sent_as_a_web_page_is_phishing(catalog: Catalog) -> None:
    page = b"<html><body><form action='https://x.example/login'>Mot de passe</form></body></html>"
    raw = mail(
        "Veuillez trouver ci-joint la facture n° FA-2026-11873 restée impayée. Merci de "
        "procéder au règlement sous 48 h.\nOuvrez le document joint pour consulter le détail.",
        subject="Facture impayée FA-2026-11873",
        sender="Service Recouvrement <recouvrement@factures-pro-online.example>",
        attachments=[("FA-2026-11873.htm", "text/html", page)],
    )
    u = understand(raw, catalog)
    assert (u.kind, u.decision, u.reasons) == (Kind.OTHER, Decision.IGNORE, ("phishing",))


@pytest.mark.parametrize(
    "offer",
    [
        "Je vous propose une démonstration de 20 minutes la semaine prochaine : mardi 14h ?",
        "Jusqu'au 30 septembre, profitez de -30 % sur l'abonnement annuel. Seriez-vous "
        "disponible 15 minutes cette semaine ?",
    ],
)
def test_a_supplier_offering_a_demonstration_is_unrelated(catalog: Catalog, offer: str) -> None:
    body = ("Vous organisez des webinaires ? Notre solution de visioconférence permet "
            f"d'accueillir 500 participants avec émargement automatique.\n{offer}")  # fmt: skip
    u = understand(mail(body, subject="Vos webinaires CPOM"), catalog)
    assert (u.kind, u.decision, u.reasons) == (Kind.OTHER, Decision.IGNORE, ("unrelated",))


def test_a_client_s_question_about_an_invoice_is_no_phishing(catalog: Catalog) -> None:
    body = ("Bonjour, je n'arrive pas à ouvrir la facture de notre inscription au webinaire "
            "CPOM ASE. Pourriez-vous me la renvoyer en PDF ? Ci-joint une capture d'écran.")  # fmt: skip
    shot = signature_png()  # a small picture, as a screenshot's crop
    raw = mail(body, subject="Facture", attachments=[("capture.png", "image/png", shot)])
    u = understand(raw, catalog)
    assert (u.kind, u.decision) == (Kind.QUESTION, Decision.REVIEW)


@pytest.mark.parametrize(
    "line",
    [
        # The form's label for the manager's address, its gloss saying what goes there.
        "Courriel du gestionnaire (confirmation et facture)\tm.guilbaud@valdesevre.fr",
        "Courriel\tdu gestionnaire (confirmation et facture)\tm.guilbaud@valdesevre.fr",
        # The form's own billing line, its label glossed.
        "Adresse de facturation (voie, BP, code postal, ville)\t3 allée des Peupliers, 79400 "
        "Saint-Maixent",
        # What the writer attached herself.
        "J'ai aussi joint l'invitation calendrier que j'ai envoyée à mes collègues.",
    ],
)
def test_lines_that_ask_nothing_beside_a_form(line: str) -> None:
    from mailbot.understanding.classify import OnTheForm, side_question

    form = OnTheForm(
        address="3 allée des Peupliers, 79400 Saint-Maixent",
        manager_email="m.guilbaud@valdesevre.fr",
    )
    assert side_question(line, form=form) is None


def test_a_link_asked_for_beside_what_the_writer_sent_still_asks() -> None:
    from mailbot.understanding.classify import side_question

    line = "J'ai transmis le bulletin, merci d'envoyer aussi les liens à mon assistante."
    assert side_question(line) == line


def test_a_billing_address_of_its_own_still_asks() -> None:
    from mailbot.understanding.classify import OnTheForm, side_question

    form = OnTheForm(address="3 allée des Peupliers, 79400 Saint-Maixent")
    line = "Adresse de facturation (voie, BP, code postal, ville)\tTrésorerie, 2 rue Haute, 79000 Niort"
    assert side_question(line, form=form) is not None
