"""Replacement requests in the wordings and layouts managers really use: a table per
person, the newcomer writing himself, an assistant writing for her director, the
replaced one named by a family name alone, a session named by its month."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.model import Decision, Kind, Person, SessionRef, Understanding
from tests.factories.forms import Participant, build_docx, sample_form
from tests.factories.mails import mail

PH = "Pour le webinaire CPOM PH du 27 novembre 2026 :\n"


def swap(catalog: Catalog, body: str, **headers: str) -> Understanding:
    return understand(
        mail(body, subject=headers.pop("subject", "Remplacement"), **headers), catalog
    )


def test_a_table_row_per_person_says_who_leaves(catalog: Catalog) -> None:
    body = (PH + "\tCivilité\tPrénom\tNom\tAdresse e-mail\n"
            "Ancien participant\tMme\tAgnès\tTEYSSIER\tagnes.teyssier@mecs.fr\n"
            "Nouveau participant\tM.\tKarim\tBENSALEM\tkarim.bensalem@mecs.fr\n")  # fmt: skip
    u = swap(catalog, body, subject="Modification de participant")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO)
    assert u.replaced == Person("Mme", "Agnès", "TEYSSIER", "agnes.teyssier@mecs.fr")
    assert u.replacement == Person("M.", "Karim", "BENSALEM", "karim.bensalem@mecs.fr")


def test_two_swaps_in_a_table_of_before_and_after(catalog: Catalog) -> None:
    # One row per swap, a tab between the leaver and the newcomer: no name runs across it.
    body = (PH + "Agent inscrit\tRemplacé(e) par\tAdresse e-mail du remplaçant\n"
            "Mme Isabelle ROCHE\tM. Thierry VALADE\tthierry.valade@hv.fr\n"
            "M. Patrick GIRAUD\tMme Amandine PEYRAT\tamandine.peyrat@hv.fr\n")  # fmt: skip
    u = swap(catalog, body, subject="Remplacement de deux participants")
    assert u.decision is Decision.REVIEW and "replacement_ambiguous" in u.reasons
    for person in (u.replaced, u.replacement):
        assert person is None or " " not in (person.last_name or "")


def test_a_table_column_per_person(catalog: Catalog) -> None:
    body = ("Mme Valérie FONTAINE ne pourra pas participer au webinaire CPOM PH du 27 "
            "novembre. Pourriez-vous la remplacer par M. Grégory LAPORTE ?\n\n"
            "\tParticipant inscrit\tRemplaçant\nCivilité\tMme\tM.\n"
            "Prénom\tValérie\tGrégory\nNOM\tFONTAINE\tLAPORTE\n"
            "Adresse e-mail\tv.fontaine@landes.fr\tg.laporte@landes.fr\n")  # fmt: skip
    u = swap(catalog, body)
    assert u.decision is Decision.AUTO
    assert u.replaced == Person("Mme", "Valérie", "FONTAINE", "v.fontaine@landes.fr")
    assert u.replacement == Person("M.", "Grégory", "LAPORTE", "g.laporte@landes.fr")


def test_the_newcomer_writing_himself_gives_his_own_address(catalog: Catalog) -> None:
    body = ("Mme Hélène COSTES est inscrite au webinaire CPOM PH du 27 novembre. Elle ne "
            "pourra pas y participer et c'est moi qui la remplacerai.\n\nCordialement,\n\n"
            "M. Julien MARCHAND\nChef de service\nj.marchand@ime.fr")  # fmt: skip
    u = swap(catalog, body, sender="Julien MARCHAND <j.marchand@ime.fr>")
    assert u.decision is Decision.AUTO
    assert u.replacement == Person("M.", "Julien", "MARCHAND", "j.marchand@ime.fr")
    # Without "c'est moi", the writer's own address is never the newcomer's.
    other = swap(catalog, body.replace("c'est moi qui la remplacerai", "nous verrons"),
                 sender="Julien MARCHAND <j.marchand@ime.fr>")  # fmt: skip
    assert other.decision is Decision.REVIEW


def test_the_newcomer_naming_herself_gives_her_own_address(catalog: Catalog) -> None:
    body = ("M. Loïc HAMON, empêché, ne pourra pas suivre le webinaire CPOM ASE du 26 "
            "novembre. C'est moi-même, Mme Aurore LACROIX, qui le remplacerai ; mes "
            "coordonnées figurent ci-dessous.\n\nAurore LACROIX\nDépartement de l'Indre")  # fmt: skip
    u = swap(catalog, body, sender="Aurore LACROIX <aurore.lacroix@indre.fr>")
    assert u.decision is Decision.AUTO, u.reasons
    assert u.replacement == Person("Mme", "Aurore", "LACROIX", "aurore.lacroix@indre.fr")


def test_the_director_a_request_is_written_for_is_nobody_s_place(catalog: Catalog) -> None:
    body = ("Je vous écris de la part de Mme Martine LAVERGNE, directrice, qui a inscrit "
            "deux personnes au webinaire CPOM PH du 27 novembre 2026.\n\n"
            "M. Fabrice DUCASSE ne pourra pas y participer ; il sera remplacé par "
            "Mme Laurence VIGNAU (l.vignau@fam.fr).\n\nCoralie PONS\n"
            "pour Mme Martine LAVERGNE, Directrice")  # fmt: skip
    u = swap(catalog, body, sender="Secrétariat <secretariat@fam.fr>")
    assert u.decision is Decision.AUTO
    assert u.replaced == Person("M.", "Fabrice", "DUCASSE", None)
    assert u.replacement == Person("Mme", "Laurence", "VIGNAU", "l.vignau@fam.fr")


def test_a_third_person_named_still_makes_the_request_ambiguous(catalog: Catalog) -> None:
    body = (PH + "M. Fabrice DUCASSE sera remplacé par Mme Laurence VIGNAU "
            "(l.vignau@fam.fr). Mme Julie ROCHE viendra aussi.")  # fmt: skip
    assert "replacement_ambiguous" in swap(catalog, body).reasons


@pytest.mark.parametrize(
    "stays", ["Mme Julie ROCHE reste inscrite.", "Ms Julie ROCHE remains registered."]
)
def test_a_colleague_said_to_stay_registered_is_no_one_s_place(
    catalog: Catalog, stays: str
) -> None:
    body = (
        PH + "M. Fabrice DUCASSE sera remplacé par Mme Laurence VIGNAU (l.vignau@fam.fr). " + stays
    )
    u = swap(catalog, body)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.replacement is not None and u.replacement.last_name == "VIGNAU"


@pytest.mark.parametrize(
    ("body", "replaced", "reason"),
    [
        # The replaced one not named: a replacement all the same, for a person to complete.
        (
            "Notre collaboratrice inscrite au webinaire du 27 novembre ne pourra pas venir. "
            "Merci d'inscrire à sa place M. Alain BRUNET (a.brunet@esat.fr).",
            None,
            "missing_field:replaced",
        ),
        # A civility and a family name alone.
        (
            "Mme Dupin ne pourra pas assister au webinaire CPOM PH du 27 novembre ; "
            "M. Hervé CASSAGNE (h.cassagne@mecs.fr) la remplacera.",
            Person("Mme", None, "Dupin", None),
            "missing_field:replaced.first_name",
        ),
    ],
)
def test_a_newcomer_named_makes_a_replacement(
    catalog: Catalog, body: str, replaced: Person | None, reason: str
) -> None:
    u = swap(catalog, body)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.REVIEW)
    assert u.replaced == replaced and reason in u.reasons
    assert u.replacement is not None and u.replacement.last_name in ("BRUNET", "CASSAGNE")


@pytest.mark.parametrize(
    "body",
    [
        "Remplacement de M. Gilles TOURNIER par Laura PETIT (laura.petit@saad.fr) pour le "
        "webinaire CPOM PH du 27 novembre.",
        "Mme BERTRAND Sylvie ne participera pas au webinaire CPOM PH du 27/11/2026.\n"
        "Je vous prie de bien vouloir inscrire en remplacement M. FAURE Thomas : "
        "t.faure@ars.sante.fr",
        "Madame Marie-Hélène DE LA COSTE se substituera à Monsieur Jean-Baptiste ETCHEGARAY, "
        "empêché, au webinaire CPOM PH du 27 novembre.\n"
        "Adresse de connexion de Mme DE LA COSTE : mh.delacoste@handisud.fr",
    ],
)
def test_more_wordings_of_a_swap(catalog: Catalog, body: str) -> None:
    u = swap(catalog, body)
    assert u.kind is Kind.REPLACEMENT
    assert u.replaced is not None and u.replacement is not None
    assert u.replaced.last_name in ("TOURNIER", "BERTRAND", "ETCHEGARAY")
    assert u.replacement.email in ("laura.petit@saad.fr", "t.faure@ars.sante.fr",
                                   "mh.delacoste@handisud.fr")  # fmt: skip
    if u.replacement.civility is None:  # "par Laura PETIT": a person asks which civility
        assert u.reasons == ("missing_field:replacement.civility",)
    else:
        assert u.decision is Decision.AUTO, u.reasons


@pytest.mark.parametrize(
    ("named", "session"),
    [
        ("la session d'octobre 2027", dt.date(2027, 10, 8)),
        ("la session de mars", dt.date(2027, 3, 18)),
        ("la session de juin", None),  # no such session: nothing assumed
        ("la session de mars 2026", None),
    ],
)
def test_a_session_named_by_its_month(
    catalog: Catalog, named: str, session: dt.date | None
) -> None:
    body = (f"Pour {named} du webinaire CPOM aide à domicile, M. Paul ROUX sera remplacé "
            "par Mme Anne VIDAL (a.vidal@saad.fr).")  # fmt: skip
    u = swap(catalog, body)
    assert (u.session.date if u.session else None) == session


def test_a_form_quoted_below_our_own_reply_is_history(catalog: Catalog) -> None:
    body = ("Bonjour,\nFinalement, M. Pierre GOYHENECHE sera remplacé par Mme Ainhoa "
            "IRIGOYEN (a.irigoyen@asso64.org) pour le 26 novembre.\n\nJon\n\n"
            "-----Message d'origine-----\nDe : IPP <ipp@ipp.fr>\nEnvoyé : lundi 5 octobre 2026\n"
            "Objet : Re: TR: inscription\n\nNous confirmons la réception de votre inscription.\n\n"
            "-----Message d'origine-----\nDe : Katia <k@asso64.org>\nObjet : inscription\n\n"
            "Web-séminaire : Les CPOM des établissements et services de l'ASE\n"
            "Dénomination : Association Avenir 64\nAdresse postale : 12 rue des Cordeliers, "
            "64100 Bayonne\nPrénom et NOM : Katia OYHARCABAL\nAdresse e-mail : k@asso64.org\n"
            "Participants\nM. Pierre GOYHENECHE - p.goyheneche@asso64.org\n")  # fmt: skip
    u = swap(catalog, body, subject="RE: Re: TR: inscription")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO)
    assert u.session is not None and u.session.date == dt.date(2026, 11, 26)
    assert u.replacement is not None and u.replacement.last_name == "IRIGOYEN"


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_the_old_form_sent_as_a_reminder_leaves_a_replacement(catalog: Catalog) -> None:
    # The form still lists Hélène GARNIER and not the newcomer: it is the registration
    # already recorded, attached "pour rappel", not a new one.
    body = ("Suite à notre inscription (bulletin ci-joint pour rappel), Mme Hélène GARNIER "
            "ne pourra pas participer à la session du 18 mars 2027.\nElle sera remplacée par "
            "M. Julien MARCHAND, julien.marchand@saint-medard.fr.\n\nCordialement,\nClaire "
            "LEFÈVRE")  # fmt: skip
    attached = [("inscription.docx", DOCX, build_docx(sample_form()))]
    u = understand(mail(body, subject="Remplacement", attachments=attached), catalog)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO)
    assert u.replaced == Person("Mme", "Hélène", "GARNIER", None)
    assert u.replacement == Person("M.", "Julien", "MARCHAND", "julien.marchand@saint-medard.fr")
    assert u.session is not None and u.session.date == dt.date(2027, 3, 18)


def test_the_session_of_a_recalled_form_serves_when_the_mail_names_none(
    catalog: Catalog,
) -> None:
    body = ("Bonjour,\nMme Hélène GARNIER ne pourra pas venir ; elle sera remplacée par "
            "M. Julien MARCHAND (julien.marchand@saint-medard.fr). Notre bulletin est joint "
            "pour rappel.\n")  # fmt: skip
    attached = [("inscription.docx", DOCX, build_docx(sample_form()))]
    u = understand(mail(body, subject="Changement de participant", attachments=attached), catalog)
    assert u.kind is Kind.REPLACEMENT
    assert u.session is not None and u.session.date == dt.date(2027, 3, 18)


def test_a_corrected_form_naming_the_newcomer_stays_a_registration(catalog: Catalog) -> None:
    newcomer = Participant("M.", "Julien", "MARCHAND", "julien.marchand@saint-medard.fr")
    form = sample_form(participants=(sample_form().participants[1], newcomer))
    body = ("Mme Hélène GARNIER sera remplacée par M. Julien MARCHAND : voici le bulletin "
            "corrigé.\n")  # fmt: skip
    attached = [("inscription.docx", DOCX, build_docx(form))]
    u = understand(mail(body, subject="Inscription corrigée", attachments=attached), catalog)
    assert u.kind is Kind.REGISTRATION
    assert {p.last_name for p in u.participants} == {"DUBOIS", "MARCHAND"}


def test_an_access_handed_over_to_someone_is_a_replacement(catalog: Catalog) -> None:
    body = ("M. Quentin ROBIN (q.robin@ime.fr) est souffrant. Pouvez-vous transférer son "
            "accès au webinaire CPOM PH du 27 novembre 2026 à Mme Solène GUILBAUD, "
            "s.guilbaud@ime.fr ?")  # fmt: skip
    u = swap(catalog, body, subject="URGENT")
    assert u.kind is Kind.REPLACEMENT
    assert u.replacement == Person("Mme", "Solène", "GUILBAUD", "s.guilbaud@ime.fr")


def test_the_leaver_s_address_only_in_our_mail_quoted_below_is_not_taken(
    catalog: Catalog,
) -> None:
    # The request names him without an address; the answer keeps what the request writes.
    body = ("M. Franck DELMAS a quitté l'établissement. Il sera remplacé par Mme Aurélie "
            "MONTEIL, adresse : a.monteil@ime.fr\n\nCordialement,\nStéphanie BOYER\n\n"
            "________________________________\nDe : IPP <ipp@ipp.fr>\nEnvoyé : lundi 9 "
            "novembre 2026 17:35\nObjet : Lien non distribué\n\nLe lien adressé à M. Franck "
            "DELMAS (f.delmas@ime.fr) pour le webinaire CPOM PH du vendredi 27 novembre nous "
            "est revenu.\n")  # fmt: skip
    u = swap(catalog, body, subject="RE: Lien non distribué")
    assert u.replaced == Person("M.", "Franck", "DELMAS", None)


CONFIRMED = (
    "\n\nLe mar. 6 oct. 2026 à 09:12, IPP <ipp@ipp.fr> a écrit :\n> Madame,\n> Nous vous "
    "confirmons l'inscription au webinaire CPOM PH du vendredi 27 novembre 2026 de :\n"
    "> - Mme Caroline HUMBERT\n> - M. Guillaume SCHNEIDER\n> - Mme Aurélie KLEIN\n"
)


@pytest.mark.parametrize(
    ("note", "leaver"),
    [
        ("Ma collègue Aurélie Klein étant en congé le 27 novembre, pourriez-vous inscrire à sa "
         "place Mme Sarah WEBER (sarah.weber@ars.fr) ?", Person("Mme", "Aurélie", "KLEIN", None)),
        # Named, but not as the one who goes: nobody is taken for her.
        ("Comme convenu avec Guillaume Schneider, Mme Sarah WEBER (sarah.weber@ars.fr) "
         "remplacera notre collègue absente.", None),
    ],
)  # fmt: skip
def test_the_leaver_named_without_civility_as_our_confirmation_lists_her(
    catalog: Catalog, note: str, leaver: Person | None
) -> None:
    body = note + "\n\nMerci par avance,\nCaroline Humbert" + CONFIRMED
    u = swap(catalog, body, subject="Re: Confirmation de votre inscription",
             sender="Caroline Humbert <caroline.humbert@ars.fr>")  # fmt: skip
    assert u.replaced == leaver
    assert u.decision is (Decision.AUTO if leaver else Decision.REVIEW), u.reasons


def test_two_addresses_for_the_leaver_in_the_thread_give_none(catalog: Catalog) -> None:
    body = ("M. Franck DELMAS sera remplacé par Mme Aurélie MONTEIL, a.monteil@ime.fr, pour "
            "le webinaire CPOM PH du 27 novembre 2026.\n\n-----Message d'origine-----\nDe : "
            "IPP <ipp@ipp.fr>\n\nM. Franck DELMAS (f.delmas@ime.fr) et M. Franck DELMAS "
            "(franck.delmas@ime.fr) ?\n")  # fmt: skip
    u = swap(catalog, body, subject="RE: participants")
    assert u.replaced is not None and u.replaced.email is None


@pytest.mark.parametrize(
    ("body", "leaver", "newcomer"),
    [
        ("Mme Séverine ALBOUY laisse sa place à M. Grégory TEISSIER (g.teissier@adapei.fr) pour "
         "le webinaire CPOM PH du 27 novembre 2026.", "ALBOUY", "TEISSIER"),
        ("Pourriez-vous enregistrer l'inscription de Mme Aurélie CHAMBON (a.chambon@hv.fr) au "
         "lieu de M. Loïc BESSE au webinaire CPOM PH du 27 novembre 2026 ?", "BESSE", "CHAMBON"),
        ("Ms Hannah WEBER, registered for the webinar CPOM PH on 27 November 2026, will be "
         "replaced by Mr Lukas MEYER (lukas.meyer@horizons.org).", "WEBER", "MEYER"),
        ("Mlle Maëlys DUPRAT est remplacée par MR Alexandre FOURCADE (a.fourcade@landes.fr) "
         "pour le webinaire CPOM PH du 27/11/2026.", "DUPRAT", "FOURCADE"),
        # English wordings, the family names not in capitals.
        ("Our colleague Ms Claire Dubreuil-Hartmann cannot attend the CPOM PH webinar on "
         "27 November 2026. Please replace her by Mr Tomasz Wiśniewski "
         "(t.wisniewski@passerelles.org).", "Dubreuil-Hartmann", "Wiśniewski"),
        ("Please replace Mr Daniel Okafor with Ms Ingrid Solberg (ingrid.solberg@sos.org) for "
         "the CPOM PH webinar of 27 November 2026.", "Okafor", "Solberg"),
        ("Ms Anna Berg (a.berg@nordic.org) will take his place at the CPOM PH webinar on "
         "27 November 2026: Mr Jonas Lind has left us.", "Lind", "Berg"),
        ("Mrs Emily CARTER (e.carter@fieh.org) will replace Mr Olivier DUMONT at the CPOM PH "
         "webinar on 27 November 2026.", "DUMONT", "CARTER"),
    ],
)  # fmt: skip
def test_swaps_worded_as_people_write_them(
    catalog: Catalog, body: str, leaver: str, newcomer: str
) -> None:
    u = swap(catalog, body, subject="Participant")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced is not None and u.replaced.last_name == leaver
    assert u.replacement is not None and u.replacement.last_name == newcomer
    assert u.replacement.civility in ("M.", "Mme")


def test_a_swap_written_in_the_subject_alone(catalog: Catalog) -> None:
    u = swap(catalog, "Cf. objet. Adresse mail de M. Renard : t.renard@ehpad.fr\n",
             subject="Remplacement Mme Yasmina HADDAD par M. Thibault RENARD - webinaire CPOM PH du 27/11")  # fmt: skip
    assert u.kind is Kind.REPLACEMENT
    assert u.replacement == Person("M.", "Thibault", "RENARD", "t.renard@ehpad.fr")


def test_a_question_beside_a_swap_waits_for_a_person(catalog: Catalog) -> None:
    body = ("Pour le webinaire CPOM PH du 27 novembre 2026, Mme Hélène BRUNET sera remplacée par "
            "M. Cédric LAVAL (c.laval@foyer.fr).\n\nNous aimerions également savoir s'il reste des "
            "places. Faut-il vous renvoyer un bulletin complet ?\n")  # fmt: skip
    u = swap(catalog, body)
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.REVIEW
    assert "question_in_mail" in u.reasons


def test_a_swap_in_a_mail_without_a_date_waits_for_a_person(catalog: Catalog) -> None:
    raw = mail(PH + "Mme Agnès TEYSSIER sera remplacée par M. Karim BENSALEM (k.b@mecs.fr).\n",
               subject="Remplacement")  # fmt: skip
    raw = b"\n".join(line for line in raw.split(b"\n") if not line.startswith(b"Date:"))
    u = understand(raw, catalog)
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.REVIEW
    assert "no_mail_date" in u.reasons


def test_a_replacement_written_in_an_attached_letter(catalog: Catalog) -> None:
    import io

    import docx

    letter = docx.Document()
    for line in (
        "Objet : remplacement d'un participant",
        "Madame, Monsieur,",
        "Mme Claire ROCHE ne pourra pas participer au webinaire « Les CPOM des établissements "
        "et services de l'ASE » du jeudi 26 novembre 2026. Nous vous prions d'inscrire en lieu "
        "et place M. Julien DELORME (julien.delorme@mecs-lespins.fr), éducateur spécialisé.",
        "Le Directeur, Paul MARTIN",
    ):
        letter.add_paragraph(line)
    out = io.BytesIO()
    letter.save(out)
    word = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    raw = mail("Bonjour,\n\nCi-joint notre courrier.\n\nCordialement,\nSecrétariat de direction",
               subject="Courrier", attachments=[("courrier.docx", word, out.getvalue())])  # fmt: skip
    u = understand(raw, catalog)
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.AUTO, u.reasons
    assert u.replaced == Person("Mme", "Claire", "ROCHE", None)
    assert u.replacement == Person("M.", "Julien", "DELORME", "julien.delorme@mecs-lespins.fr")


@pytest.mark.parametrize(
    "table",
    [
        # Columns aligned with spaces, a row per detail.
        "             Participant inscrit          Remplaçante\n"
        "Civilité     Mme                          Mme\n"
        "Prénom       Chantal                      Maëlle\n"
        "NOM          GIRAUD                       KERVELLA\n"
        "E-mail       c.giraud@mecs.org            m.kervella@mecs.org\n",
        # Two columns, the person on one line and the address on the next.
        "Participant inscrit\tRemplaçante\nMadame Chantal GIRAUD\tMadame Maëlle KERVELLA\n"
        "c.giraud@mecs.org\tm.kervella@mecs.org\n",
    ],
)
def test_a_swap_laid_out_as_two_columns(catalog: Catalog, table: str) -> None:
    body = f"Bonjour,\n\nPour le webinaire CPOM ASE du 26 novembre :\n\n{table}\nMerci,\nThierry GOURDON\n"
    u = swap(catalog, body, subject="Changement de participant")
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.AUTO, u.reasons
    assert u.replaced == Person("Mme", "Chantal", "GIRAUD", "c.giraud@mecs.org")
    assert u.replacement == Person("Mme", "Maëlle", "KERVELLA", "m.kervella@mecs.org")


def test_rows_labelled_leaving_and_coming_with_names_opening_on_m(catalog: Catalog) -> None:
    # A tab before "Marion" or "MERCIER" is no civility opening the next person.
    body = (PH + "\tCivilité\tPrénom\tNOM\tAdresse e-mail\n"
            "Participante sortante\tMme\tMarion\tMERCIER\tm.mercier@avd.fr\n"
            "Participante entrante\tMme\tMaud\tMIQUEU\tm.miqueu@avd.fr\n")  # fmt: skip
    u = swap(catalog, body, subject="Modification")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("Mme", "Marion", "MERCIER", "m.mercier@avd.fr")
    assert u.replacement == Person("Mme", "Maud", "MIQUEU", "m.miqueu@avd.fr")


@pytest.mark.parametrize(
    ("body", "leaver", "newcomer"),
    [
        ("Pour le webinaire CPOM PH du 27/11, M. Paul-Henri MARCHAND remplace Mme Odette "
         "JOUBERT (congé maladie). Son adresse : ph.marchand@charente.fr", "JOUBERT", "MARCHAND"),
        ("M. Hugo VAYSSIERE (h.vayssiere@mecs.fr) est souffrant pour le webinaire CPOM PH du "
         "27 novembre 2026. Sa collègue Mme Clara MIQUEL (c.miquel@mecs.fr) va le remplacer.",
         "VAYSSIERE", "MIQUEL"),
        ("Mme Sonia RIGAL (s.rigal@foyer.fr) sera remplacée pour la journée du 27 novembre 2026 "
         "(webinaire CPOM PH) par sa collègue Mme Lise BESSE (l.besse@foyer.fr).", "RIGAL", "BESSE"),
        ("Mme Sonia RIGAL ne pourra pas suivre le webinaire CPOM PH du 27 novembre 2026. C'est "
         "Mme Lise BESSE qui la remplacera : l.besse@foyer.fr", "RIGAL", "BESSE"),
        ("Inscrit au webinaire CPOM PH du 27 novembre 2026 (M. Damien FOUCHER), je ne pourrai "
         "pas y assister. Ma collègue Mme Roselyne BESSIÈRE (r.bessiere@lozere.fr) prendra ma "
         "place.", "FOUCHER", "BESSIÈRE"),
        ("Nous vous informons d'un changement d'inscrit pour le webinaire CPOM PH du 27 novembre "
         "2026 :\n- participante initialement inscrite : Mme Sylvie CHABRIER\n- nouvel inscrit : "
         "M. Bastien ROUDIL, b.roudil@ime.fr", "CHABRIER", "ROUDIL"),
        ("Pourriez-vous inverser les noms : nous avions inscrit M. Kévin FONTAINE au webinaire "
         "CPOM PH du 27 novembre 2026, mais c'est finalement Mme Amandine ROUSSEL "
         "(a.roussel@mecs.fr) qui suivra le webinaire.", "FONTAINE", "ROUSSEL"),
        ("Je vous écris de la part de Mme Hélène DURAND, directrice. M. Loïc TANGUY, inscrit au "
         "webinaire CPOM PH du 27 novembre 2026, nous quitte ; Mme Maëlle LE GALL "
         "(m.legall@ime.fr) suivra le webinaire à sa place.", "TANGUY", "LE GALL"),
    ],
)  # fmt: skip
def test_swaps_with_words_between_the_verb_and_the_newcomer(
    catalog: Catalog, body: str, leaver: str, newcomer: str
) -> None:
    u = swap(catalog, body, subject="Participant")
    assert u.kind is Kind.REPLACEMENT, u.reasons
    assert u.replaced is not None and u.replaced.last_name == leaver
    assert u.replacement is not None and u.replacement.last_name == newcomer


@pytest.mark.parametrize(
    ("body", "leaver", "newcomer"),
    [
        ("Mme Sonia RIGAL (s.rigal@foyer.fr) sera en congé. Elle sera remplacée pour le webinaire "
         "CPOM PH du 27 novembre 2026 par Dominique BESSE (d.besse@foyer.fr).",
         Person("Mme", "Sonia", "RIGAL", "s.rigal@foyer.fr"),
         Person(None, "Dominique", "BESSE", "d.besse@foyer.fr")),
        ("Pour le webinaire CPOM PH du 27 novembre 2026, merci de remplacer Mme Valérie "
         "DUCROCQ par Camille ROCHE (camille.roche@mecs.fr).",
         Person("Mme", "Valérie", "DUCROCQ", None),
         Person(None, "Camille", "ROCHE", "camille.roche@mecs.fr")),
        ("Mme Anne-Claire BOUVIER, inscrite au webinaire CPOM PH du 27 novembre 2026, quitte nos "
         "services. Camille JOUBERT, qui reprend son poste, suivra le webinaire à sa place : "
         "camille.joubert@mecs.fr.",
         Person("Mme", "Anne-Claire", "BOUVIER", None),
         Person(None, "Camille", "JOUBERT", "camille.joubert@mecs.fr")),
    ],
)  # fmt: skip
def test_a_newcomer_without_civility_is_asked_about(
    catalog: Catalog, body: str, leaver: Person, newcomer: Person
) -> None:
    u = swap(catalog, body)
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.REVIEW
    assert (u.replaced, u.replacement) == (leaver, newcomer)
    assert "missing_field:replacement.civility" in u.reasons


def test_the_writer_who_comes_is_the_newcomer_at_the_sender_s_address(catalog: Catalog) -> None:
    body = ("Bonjour,\nJe remplace ma collègue Mme Sophie TARDIEU au webinaire CPOM PH du "
            "vendredi 27 novembre 2026.\nMerci,\nJulien MOREAU")  # fmt: skip
    u = swap(catalog, body, sender="Julien MOREAU <julien.moreau@handi47.fr>")
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.REVIEW
    assert u.replaced == Person("Mme", "Sophie", "TARDIEU", None)
    # "Je remplace" tells no civility: a person asks rather than guess it.
    assert u.replacement == Person(None, "Julien", "MOREAU", "julien.moreau@handi47.fr")
    assert "missing_field:replacement.civility" in u.reasons


@pytest.mark.parametrize(("agreement", "civility"), [("remplacée", "Mme"), ("remplacé", "M.")])
def test_the_writer_who_left_is_the_replaced_one(
    catalog: Catalog, agreement: str, civility: str
) -> None:
    body = (f"Pour le webinaire CPOM PH du 27 novembre 2026, j'ai été {agreement} au dernier "
            "moment par ma collègue Mme Noémie CARRÉ (noemie.carre@adom.fr).\nCamille FABRE")  # fmt: skip
    u = swap(catalog, body, sender="Camille FABRE <c.fabre@adom.fr>")
    assert u.kind is Kind.REPLACEMENT
    assert u.replaced == Person(civility, "Camille", "FABRE", None)
    assert u.replacement == Person("Mme", "Noémie", "CARRÉ", "noemie.carre@adom.fr")


@pytest.mark.parametrize(
    "sender", ["secretariat@handi47.fr", "julien moreau <julien.moreau@handi47.fr>"]
)
def test_a_writer_not_clearly_named_leaves_the_side_empty(catalog: Catalog, sender: str) -> None:
    # No name, or no capitals to tell the family name: nothing is guessed from the sender.
    body = ("Je remplace ma collègue Mme Sophie TARDIEU au webinaire CPOM PH du 27 novembre "
            "2026.")  # fmt: skip
    u = swap(catalog, body, sender=sender)
    assert u.decision is Decision.REVIEW
    assert u.replacement is None or u.replacement.last_name is None


def test_the_newcomer_s_address_after_her_job_title(catalog: Catalog) -> None:
    body = (PH + "Mme Gaëlle GUILLOU (g.guillou@adom56.fr) quitte la fédération.\n"
            "Merci de la remplacer par Mme Morgane LE PAPE, responsable de secteur : "
            "morgane.lepape@adom56.fr.")  # fmt: skip
    u = swap(catalog, body)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replacement == Person("Mme", "Morgane", "LE PAPE", "morgane.lepape@adom56.fr")
    # On the next line, after her title and a colon, it is hers all the same.
    below = swap(catalog, body.replace("secteur : morgane", "secteur :\nmorgane"))
    assert below.replacement == u.replacement
    # An address that does not bear her name, after her title, is not taken for hers.
    other = swap(catalog, body.replace("morgane.lepape@", "secretariat@"))
    assert other.decision is Decision.REVIEW
    assert other.replacement is not None and other.replacement.email is None


def test_an_address_cut_by_a_space_is_written_as_it_is_and_waits(catalog: Catalog) -> None:
    # "pierre-yves.le cam@…": its tail alone, "cam@…", is a valid address no one owns.
    body = (
        PH + "Mme Gwenola QUÉMÉNER ne pourra pas assister au webinaire.\n"
        "M. Pierre-Yves LE CAM la remplacera ; son adresse : pierre-yves.le cam@ks.bzh"
    )
    u = swap(catalog, body)
    assert u.decision is Decision.REVIEW and "invalid_email:replacement.email" in u.reasons
    assert u.replacement is not None and u.replacement.email == "pierre-yves.le cam@ks.bzh"


def test_the_newcomer_named_after_his_job_is_the_one_coming(catalog: Catalog) -> None:
    body = ("Le Dr Chazalon étant retenue le 27 novembre, elle sera remplacée par notre "
            "psychomotricien, Monsieur Mathis ROUX (m.roux@camsp.fr), pour la journée CPOM "
            "handicap.\nL'inscription de Madame Hélène CHAZALON est donc à annuler au profit "
            "de M. Roux.")  # fmt: skip
    u = swap(catalog, body, subject="Changement de participant webinaire 27 novembre")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("Mme", "Hélène", "CHAZALON", None)
    assert u.replacement == Person("M.", "Mathis", "ROUX", "m.roux@camsp.fr")


def test_an_address_bearing_one_piece_of_a_compound_name(catalog: Catalog) -> None:
    body = (PH + "M. Jean-Luc PRIGENT ne pourra pas venir. Il sera remplacé par Mme Soizic "
            "LE GOFF-MADEC, cheffe de service : soizic.legoff@ehpad29.fr")  # fmt: skip
    u = swap(catalog, body)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replacement == Person("Mme", "Soizic", "LE GOFF-MADEC", "soizic.legoff@ehpad29.fr")
    # Two letters of a name ("da", "le") are no piece of it: the address waits for a person.
    other = swap(catalog, body.replace("soizic.legoff@", "soizic.le@"))
    assert other.decision is Decision.REVIEW
    assert other.replacement is not None and other.replacement.email is None


def test_the_newcomer_named_first_then_his_address(catalog: Catalog) -> None:
    body = (PH + "Mme Odile BRUNEAU est souffrante. M. Paulo PEREIRA DOS SANTOS la "
            "remplacera, son mail : paulo.pereira@apf71.fr")  # fmt: skip
    u = swap(catalog, body)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.replaced == Person("Mme", "Odile", "BRUNEAU", None)
    assert u.replacement == Person("M.", "Paulo", "PEREIRA DOS SANTOS", "paulo.pereira@apf71.fr")


def test_the_address_in_the_sentence_after_the_request(catalog: Catalog) -> None:
    body = ("Pourriez-vous désinscrire M. Régis BLANCHET de la journée CPOM PH du 27 "
            "novembre et inscrire à sa place Mme Inès FOURNIER-COLLET ? Son adresse "
            "mail : ines.fournier@adapei.fr\nMerci")  # fmt: skip
    u = swap(catalog, body)
    assert u.decision is Decision.AUTO, u.reasons
    # "M. Régis BLANCHET de la journée": the sentence's words are no part of his name.
    assert u.replaced == Person("M.", "Régis", "BLANCHET", None)
    assert u.replacement == Person("Mme", "Inès", "FOURNIER-COLLET", "ines.fournier@adapei.fr")
    # The next sentence's address must bear her name to be hers.
    other = swap(catalog, body.replace("ines.fournier@", "accueil@"))
    assert other.decision is Decision.REVIEW


def test_a_leaver_whose_replacement_is_not_chosen_is_for_a_person(catalog: Catalog) -> None:
    body = ("Bonjour,\nM. Yannick TESSIER ne pourra pas participer à la journée du 27 "
            "novembre. Son remplaçant n'est pas encore désigné : jusqu'à quand "
            "pouvons-nous vous donner son nom ?\nCordialement")  # fmt: skip
    u = swap(catalog, body, subject="Journée du 27")
    assert (u.kind, u.decision) == (Kind.QUESTION, Decision.REVIEW), u.reasons


def test_a_request_forwarded_with_the_name_of_who_asked(catalog: Catalog) -> None:
    body = ("Bonjour,\nJe vous transfère la demande de Mme Gwenaëlle RIOU.\nCordialement\n\n"
            "De : Gwenaëlle RIOU\nObjet : changement\n\n" + PH + "Mme Annaïg PERON ne pourra "
            "pas y assister. Elle sera remplacée par M. Erwan LE GALL (e.legall@adapei.fr).")  # fmt: skip
    u = swap(catalog, body, subject="TR: Webinaire CPOM PH - changement de participant")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("Mme", "Annaïg", "PERON", None)
    # A third person named otherwise is still a reason to ask.
    other = swap(catalog, body.replace("la demande de", "la demande et inscrire aussi"))
    assert other.decision is Decision.REVIEW


def test_a_colleague_replacing_the_writer_herself(catalog: Catalog) -> None:
    body = ("Bonjour,\nJe ne pourrai pas y assister. Ma collègue Mme Ophélie BRUNET "
            "(o.brunet@cd52.fr), cheffe du service tarification, me remplacera.\nCordialement"
            "\n\nLe 19 oct. 2026 à 10:04, IPP <ipp@ipp.fr> a écrit :\n> Nous avons bien reçu "
            "l'inscription de Mme Laurence TESSIER au webinaire CPOM PH du vendredi 27 "
            "novembre 2026.\n")  # fmt: skip
    sender = "Laurence TESSIER <l.tessier@cd52.fr>"
    u = swap(catalog, body, subject="RE: Confirmation d'inscription", sender=sender)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("Mme", "Laurence", "TESSIER", None)
    assert u.replacement == Person("Mme", "Ophélie", "BRUNET", "o.brunet@cd52.fr")
    # Without our confirmation below, nothing tells the writer's civility: a person asks.
    alone = swap(catalog, PH + body.split("\n\n", maxsplit=1)[0], sender=sender)
    assert alone.kind is Kind.REPLACEMENT and alone.decision is Decision.REVIEW
    assert "missing_field:replaced.civility" in alone.reasons


def test_an_address_in_square_brackets_and_a_particle_glued_to_the_name(catalog: Catalog) -> None:
    body = ("Pour le webinaire CPOM SAAD du 18 mars 2027, Mme Marie-Laure de SAINT-PRIEST "
            "[ml.desaintpriest@aide30.fr] remplacera M. Arnaud d'ESPARBÈS, qui nous quitte.")  # fmt: skip
    u = swap(catalog, body)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.replaced == Person("M.", "Arnaud", "d'ESPARBÈS", None)
    assert u.replacement == Person(
        "Mme", "Marie-Laure", "de SAINT-PRIEST", "ml.desaintpriest@aide30.fr"
    )


def test_the_session_named_by_the_webinar_and_its_month(catalog: Catalog) -> None:
    body = ("Pour le webinaire CPOM SAAD de mars : Mme Léa CHOPIN (l.chopin@adom85.fr) "
            "participera à la place de Mme Odile RABAUD.")  # fmt: skip
    u = swap(catalog, body, date="Mon, 11 Jan 2027 09:00:00 +0100")
    assert u.decision is Decision.AUTO, u.reasons
    assert u.session is not None and u.session.date == dt.date(2027, 3, 18)


@pytest.mark.parametrize(
    "handover",
    [
        "nous souhaitons que sa place soit attribuée à M. Florent MAZUEL, qui lui succède",
        "merci de bien vouloir attribuer sa place à M. Florent MAZUEL",
    ],
)
def test_a_place_given_to_the_successor_is_a_swap(catalog: Catalog, handover: str) -> None:
    body = (
        f"{PH}M. Jordan TEIXEIRA ayant quitté nos effectifs, {handover}. "
        "Son adresse de connexion : florent.mazuel@residalia.fr.\n"
    )
    u = swap(catalog, body, subject="Webinaire CPOM PH")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("M.", "Jordan", "TEIXEIRA", None)
    assert u.replacement == Person("M.", "Florent", "MAZUEL", "florent.mazuel@residalia.fr")


def test_labels_over_blocks_of_name_and_address_say_who_leaves_and_who_comes(
    catalog: Catalog,
) -> None:
    body = (
        "Mme Nadège POUJADE, inscrite au webinaire CPOM PH du 27 novembre 2026, ne pourra "
        "pas y assister. Merci de procéder au remplacement suivant :\n\n"
        "Participant remplacé\nMme Nadège POUJADE\nn.poujade@mecs.fr\n\n"
        "Remplacé(e) par\nM. Damien CLÉMENT\nd.clement@mecs.fr\n"
    )
    u = swap(catalog, body)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("Mme", "Nadège", "POUJADE", "n.poujade@mecs.fr")
    assert u.replacement == Person("M.", "Damien", "CLÉMENT", "d.clement@mecs.fr")


def test_column_headings_over_the_people_are_not_labels_alone_on_their_line(
    catalog: Catalog,
) -> None:
    # "Nouveau participant" ends the header line, right above the leaver: it heads the
    # second column, it does not name her.
    body = (
        f"{PH}\nAncien participant\tNouveau participant\n"
        "Mme Yvette BLANCHARD - y.blanchard@epsm.fr\tM. Jean-Baptiste HUMBERT\n\n"
        "L'adresse de M. Humbert n'est pas encore active, nous reviendrons vers vous.\n"
    )
    u = swap(catalog, body)
    assert u.decision is Decision.REVIEW
    assert u.replaced is not None and u.replaced.last_name == "BLANCHARD"
    assert u.replacement is not None and u.replacement.last_name == "HUMBERT"


@pytest.mark.parametrize(
    "request_line",
    [
        # Named before, then the newcomer substituted "à" him: she comes in.
        "M. Pierre-Yves VASSEUR est en arrêt. Pourriez-vous substituer Mme Léa BOUCHARD "
        "(lea.bouchard@mecs.fr) à M. Vasseur pour cette journée ?",
        # "substituer X par Y", as people also write it: he goes.
        "Pourriez-vous substituer M. Pierre-Yves VASSEUR par Mme Léa BOUCHARD "
        "(lea.bouchard@mecs.fr) ?",
        # "lui substituer Y": whoever "lui" stands for goes.
        "Nous avions inscrit M. Pierre-Yves VASSEUR. Merci de bien vouloir lui substituer "
        "Mme Léa BOUCHARD, dont l'adresse de connexion est lea.bouchard@mecs.fr.",
    ],
)
def test_who_is_substituted_to_whom_follows_the_preposition(
    catalog: Catalog, request_line: str
) -> None:
    u = swap(catalog, f"{PH}{request_line}\n")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced is not None and u.replaced.last_name == "VASSEUR"
    assert u.replacement == Person("Mme", "Léa", "BOUCHARD", "lea.bouchard@mecs.fr")


def test_the_newcomer_written_as_the_form_s_labelled_lines(catalog: Catalog) -> None:
    body = ("M. Anthony PETITJEAN, inscrit au webinaire CPOM PH du vendredi 27 novembre 2026, ne "
            "pourra pas y assister.\n\nIl sera remplacé par :\nCivilité : Mme\nPrénom : Héloïse\n"
            "NOM : GUYONNET\nAdresse e-mail de connexion : h.guyonnet@ime.fr\n\nMerci.")  # fmt: skip
    u = swap(catalog, body)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("M.", "Anthony", "PETITJEAN", None)
    assert u.replacement == Person("Mme", "Héloïse", "GUYONNET", "h.guyonnet@ime.fr")
    # Without its civility the block names no one for sure: a person asks.
    partial = swap(catalog, body.replace("Civilité : Mme\n", ""))
    assert partial.decision is Decision.REVIEW


@pytest.mark.parametrize(
    "request_line",
    [
        "M. Anthony PETITJEAN ne pourra pas y assister. Il sera remplacé par la personne suivante :",
        "Nous souhaitons remplacer M. Anthony PETITJEAN par :",
    ],
)
def test_the_labelled_newcomer_under_other_wordings(catalog: Catalog, request_line: str) -> None:
    body = (f"{PH}{request_line}\n\nCivilité : Madame\nPrénom : Héloïse\nNOM : GUYONNET\n"
            "Adresse e-mail de connexion : h.guyonnet@ime.fr\n\nMerci.")  # fmt: skip
    u = swap(catalog, body)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("M.", "Anthony", "PETITJEAN", None)
    assert u.replacement == Person("Mme", "Héloïse", "GUYONNET", "h.guyonnet@ime.fr")


def test_two_labelled_blocks_each_naming_the_person_in_one_line(catalog: Catalog) -> None:
    body = (PH + "Participant remplacé :\n  Civilité : M.\n  Nom et prénom : GIRAUDEAU Denis\n"
            "  Courriel : denis.giraudeau@adapei79.org\n\nRemplaçant :\n  Civilité : Mme\n"
            "  Nom et prénom : POUPARD Élise\n  Courriel : elise.poupard@adapei79.org\n")  # fmt: skip
    u = swap(catalog, body)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("M.", "Denis", "GIRAUDEAU", "denis.giraudeau@adapei79.org")
    assert u.replacement == Person("Mme", "Élise", "POUPARD", "elise.poupard@adapei79.org")
    # Which word is the family name is not told: a person reads it.
    unsure = swap(catalog, body.replace("POUPARD Élise", "Poupard Élise"))
    assert unsure.decision is Decision.REVIEW


@pytest.mark.parametrize(
    ("subject", "body", "leaver", "newcomer"),
    [
        # The newcomer's address on a labelled line of its own, under a bulleted swap.
        ("Changement participant", PH + "- Ancien participant : M. Rémi CAUSSE\n- Nouveau "
         "participant : Mme Lisa ESTÈVE-BOUDON\n- Mail de connexion : lisa.esteve@ime.fr",
         Person("M.", "Rémi", "CAUSSE", None),
         Person("Mme", "Lisa", "ESTÈVE-BOUDON", "lisa.esteve@ime.fr")),
        # The newcomer first, the one she succeeds inside her relative clause.
        ("Webinaire du 27 novembre", "Madame Inès BELKACEM-ROCHE, qui reprend le poste de M. "
         "Patrice LAGARDÈRE, suivra le webinaire CPOM PH du 27 novembre 2026 à sa place.\n"
         "Adresse de connexion : ines.belkacem-roche@ime.fr",
         Person("M.", "Patrice", "LAGARDÈRE", None),
         Person("Mme", "Inès", "BELKACEM-ROCHE", "ines.belkacem-roche@ime.fr")),
        # The subject says what the arrow between the two means.
        ("Remplacement - CPOM PH", "Merci de noter le changement suivant pour le webinaire CPOM "
         "PH du 27 novembre 2026 :\n\nMme Odile FERRACCI (o.ferracci@ime.fr) → M. Lorenzo "
         "SANTUCCI (l.santucci@ime.fr)",
         Person("Mme", "Odile", "FERRACCI", "o.ferracci@ime.fr"),
         Person("M.", "Lorenzo", "SANTUCCI", "l.santucci@ime.fr")),
        # "Nouvelle participante :" over the form's labelled lines.
        ("Changement de participant", PH + "Participant désinscrit : Monsieur Guy FAUCHEUX\n"
         "Nouvelle participante :\nCivilité : Madame\nNom : LAMBRECHTS\nPrénom : Séverine\n"
         "Mail : severine.lambrechts@ime.fr",
         Person("M.", "Guy", "FAUCHEUX", None),
         Person("Mme", "Séverine", "LAMBRECHTS", "severine.lambrechts@ime.fr")),
        # "Sortant :" and "Entrant :", each over the person's labelled lines.
        ("Remplacement", PH + "Sortant :\nCivilité : Madame\nNom : CAYLA\nPrénom : Monique\n"
         "Courriel : m.cayla@ime.fr\nEntrant :\nCivilité : Monsieur\nNom : FABRE\n"
         "Prénom : Damien\nCourriel : d.fabre@ime.fr\nLa facturation reste inchangée.",
         Person("Mme", "Monique", "CAYLA", "m.cayla@ime.fr"),
         Person("M.", "Damien", "FABRE", "d.fabre@ime.fr")),
        # The newcomer's block first, the one she replaces on a line under its label.
        ("Nouvelle participante", PH + "Nouvelle participante :\nCivilité : Mme\nPrénom : Léa\n"
         "Nom : CASTANIER\nAdresse mail : lea.castanier@ime.fr\nParticipante remplacée :\n"
         "Mme Rachida BEN HAMIDA – r.benhamida@ime.fr",
         Person("Mme", "Rachida", "BEN HAMIDA", "r.benhamida@ime.fr"),
         Person("Mme", "Léa", "CASTANIER", "lea.castanier@ime.fr")),
        # Headings without a colon, the body's lines ending in CRLF as some clients send them.
        ("Changement de participant", (PH + "Ancien participant\nCivilité : Madame\nPrénom : "
         "Josiane\nNom : FERRAND\n\nNouveau participant\nCivilité : Madame\nPrénom : "
         "Priscilla\nNom : HOAREAU\nE-mail : p.hoareau@ime.fr\n").replace("\n", "\r\n"),
         Person("Mme", "Josiane", "FERRAND", None),
         Person("Mme", "Priscilla", "HOAREAU", "p.hoareau@ime.fr")),
        # English: "will take the place of", the newcomer first.
        ("Webinar 27 November - replacement", "For the webinar CPOM PH of Friday 27 November "
         "2026, Ms Sandra KIEFFER (s.kieffer@ime.lu) will take the place of Mr Luc HOFFMANN, "
         "who has changed position.",
         Person("M.", "Luc", "HOFFMANN", None),
         Person("Mme", "Sandra", "KIEFFER", "s.kieffer@ime.lu")),
        # Her job between her name and the verb.
        ("Remplacement webinaire", "Mlle Clémence VASSEUR, éducatrice spécialisée, remplacera "
         "Mme Josiane PICQUART au webinaire CPOM PH du 27 novembre 2026.\nSon adresse de "
         "connexion : clemence.vasseur@ime.fr",
         Person("Mme", "Josiane", "PICQUART", None),
         Person("Mlle", "Clémence", "VASSEUR", "clemence.vasseur@ime.fr")),
    ],
)  # fmt: skip
def test_swaps_laid_out_or_ordered_as_people_write_them(
    catalog: Catalog, subject: str, body: str, leaver: Person, newcomer: Person
) -> None:
    u = swap(catalog, body, subject=subject)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert (u.replaced, u.replacement) == (leaver, newcomer)
    assert u.session is not None and u.session.date == dt.date(2026, 11, 27)


def test_a_swap_written_in_english_names_its_session_by_its_month(catalog: Catalog) -> None:
    body = ("We registered Mrs Chantal BERSIER for the March session of your webinar on CPOM in "
            "the home care sector. Please replace her with Mr Nicolas FAVRE (n.favre@sad.ch).")  # fmt: skip
    u = swap(catalog, body, subject="Replacement", date="Mon, 12 Oct 2026 10:00:00 +0200")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.session is not None and u.session.date == dt.date(2027, 3, 18)


def test_a_swap_written_in_english_names_its_session_by_an_english_date(
    catalog: Catalog,
) -> None:
    body = ("Mr Thomas Wendling will not be able to attend the webinar \"Mettre en place un CPOM "
            "dans le secteur de l'aide à domicile\" on Friday 8 October 2027.\nMs Ingrid Haegeli "
            "will attend in his place; her e-mail address is i.haegeli@saad.fr.")  # fmt: skip
    u = swap(catalog, body, subject="Change of participant", date="Mon, 12 Oct 2026 10:00:00 +0200")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.session is not None and u.session.date == dt.date(2027, 10, 8)
    assert u.replacement == Person("Mme", "Ingrid", "Haegeli", "i.haegeli@saad.fr")


def test_the_day_the_leaver_is_not_available_is_the_swap_s_session(catalog: Catalog) -> None:
    body = ("Mme Océane DELATTRE ne sera pas disponible le 8 octobre (CPOM aide à domicile). "
            "C'est Madame Virginie POULAIN qui la remplacera (v.poulain@saad.fr).")  # fmt: skip
    u = swap(catalog, body, date="Mon, 12 Oct 2026 10:00:00 +0200")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.session is not None and u.session.date == dt.date(2027, 10, 8)


def test_an_arrow_between_two_people_is_a_swap_not_an_out_of_office(catalog: Catalog) -> None:
    # "ne fait plus partie de nos effectifs" is also what a departed colleague's robot says.
    body = (PH + "M. Aurélien MALAVAL => Mme Cécile ESTÈVE, cecile.esteve@admr.fr\n"
            "M. Malaval ne fait plus partie de nos effectifs.\nMerci,\nNathalie ROCHE")  # fmt: skip
    u = swap(catalog, body, subject="Session CPOM PH")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("M.", "Aurélien", "MALAVAL", None)
    assert u.replacement == Person("Mme", "Cécile", "ESTÈVE", "cecile.esteve@admr.fr")


def test_a_colleague_following_in_the_writers_place_named_as_our_confirmation_lists_him(
    catalog: Catalog,
) -> None:
    # "Hervé Pujol-Sarrat" does not tell which word is the family name; our confirmation
    # quoted below lists "M. Hervé PUJOL-SARRAT", which does, with his civility.
    body = ("Bonjour,\nFinalement ce ne sera pas moi mais ma collègue Mme Maëlys FONTANEL "
            "(m.fontanel@ds07.fr) qui suivra le webinaire à ma place.\nHervé Pujol-Sarrat"
            "\n\nLe 2 sept. 2027 à 10:14, IPP <ipp@ipp.fr> a écrit :\n> Nous avons bien reçu "
            "votre inscription au webinaire CPOM aide à domicile du vendredi 8 octobre 2027.\n"
            "> Participant(s) inscrit(s) :\n> - M. Hervé PUJOL-SARRAT\n")  # fmt: skip
    sender = "Hervé Pujol-Sarrat <h.pujol-sarrat@ds07.fr>"
    date = "Thu, 02 Sep 2027 11:02:00 +0200"
    u = swap(catalog, body, subject="Re: Confirmation", sender=sender, date=date)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("M.", "Hervé", "PUJOL-SARRAT", None)
    assert u.replacement == Person("Mme", "Maëlys", "FONTANEL", "m.fontanel@ds07.fr")
    # Listed under another name, or not at all: which is the family name stays unknown.
    other = swap(catalog, body.replace("M. Hervé PUJOL-SARRAT", "M. Hervé SARRAT"),
                 subject="Re: Confirmation", sender=sender, date=date)  # fmt: skip
    assert other.decision is Decision.REVIEW and other.replaced is None


def test_the_newcomers_details_on_a_card_of_lines_under_her_name(catalog: Catalog) -> None:
    body = ("Mme Amandine VASSEUR, inscrite au webinaire CPOM PH du vendredi 27 novembre "
            "2026, est en arrêt maladie. Elle sera remplacée par notre nouvelle cheffe de "
            "service, dont voici les coordonnées :\n\n————————\n"
            "Mme Laurence ABDELKADER-POIRIER\nCheffe de service – Foyer Les Glycines\n"
            "12 rue du Calvaire – 85000 La Roche-sur-Yon\n"
            "laurence.abdelkader@hh85.fr\n02 51 47 93 18\n————————\n\nCordialement,\n\n"
            "Thierry BOISSONNADE\nt.boissonnade@hh85.fr\n")  # fmt: skip
    u = swap(catalog, body, sender="Thierry BOISSONNADE <t.boissonnade@hh85.fr>")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replacement == Person(
        "Mme", "Laurence", "ABDELKADER-POIRIER", "laurence.abdelkader@hh85.fr"
    )
    # An address on the card that does not bear her name may be a secretariat's.
    shared = swap(catalog, body.replace("laurence.abdelkader@", "accueil@"),
                  sender="Thierry BOISSONNADE <t.boissonnade@hh85.fr>")  # fmt: skip
    assert shared.decision is Decision.REVIEW and shared.replacement is not None
    assert shared.replacement.email is None


def test_the_newcomers_signature_pasted_gives_her_first_name_and_address(
    catalog: Catalog,
) -> None:
    body = ("Mme Béatrice OLLIVIER ne pourra pas suivre la session du vendredi 8 octobre "
            "2027 (CPOM aide à domicile).\nMme Le Bihan-Quéré la remplacera ; je vous copie "
            "ci-dessous sa signature pour ses coordonnées :\n\nSandrine Le Bihan-Quéré\n"
            "Responsable de secteur\nAide à Domicile en Pays de Morlaix\n"
            "sandrine.lebihan-quere@adpm29.fr\n\nBien à vous,\n\nYves Caroff\n")  # fmt: skip
    u = swap(catalog, body, sender="Yves Caroff <y.caroff@adpm29.fr>",
             date="Mon, 14 Jun 2027 10:31:50 +0200")  # fmt: skip
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replacement == Person(
        "Mme", "Sandrine", "Le Bihan-Quéré", "sandrine.lebihan-quere@adpm29.fr"
    )


def test_a_participant_who_will_not_be_replaced_is_a_cancellation(catalog: Catalog) -> None:
    body = ("Nous avions inscrit trois personnes à la session du jeudi 18 mars 2027 (CPOM "
            "aide à domicile) :\n- Mme Christelle AUBERTIN (c.aubertin@saad25.fr)\n"
            "- M. Grégory PETITJEAN (g.petitjean@saad25.fr)\n- Mme Léa MOUGIN "
            "(l.mougin@saad25.fr)\n\nMme Léa MOUGIN ne pourra finalement pas participer et "
            "ne sera pas remplacée. Pourriez-vous nous adresser une facture rectificative "
            "pour deux participants (1 250 €) à la place de la facture de 1 875 € ?\n")  # fmt: skip
    u = swap(catalog, body, subject="Annulation partielle")
    assert (u.kind, u.decision) == (Kind.QUESTION, Decision.REVIEW)
    assert u.replaced is None and u.replacement is None


def test_a_form_for_the_newcomer_alone_sent_in_replacement_is_a_replacement(
    catalog: Catalog,
) -> None:
    # Her seat is the one already paid for: a second registration would invoice it twice.
    newcomer = Participant("Mme", "Lucie", "TOMASINI", "l.tomasini@saint-medard.fr")
    form = sample_form(participants=(newcomer,), declared_count="1", declared_total="625,00")
    body = ("Veuillez trouver ci-joint un bulletin d'inscription pour Mme Lucie TOMASINI, en "
            "remplacement de M. Jérôme DUBOIS, inscrit par notre bulletin du mois dernier, "
            "qui ne pourra pas participer à la journée.\n")  # fmt: skip
    attached = [("inscription.docx", DOCX, build_docx(form))]
    u = understand(mail(body, subject="Inscription", attachments=attached), catalog)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("M.", "Jérôme", "DUBOIS", None)
    assert u.replacement == Person("Mme", "Lucie", "TOMASINI", "l.tomasini@saint-medard.fr")
    assert u.session is not None and u.session.date == dt.date(2027, 3, 18)
    # A form that lists someone else too is a registration of its own, for a person.
    other = Participant("M.", "Paul", "RIVIÈRE", "p.riviere@saint-medard.fr")
    two = sample_form(participants=(newcomer, other))
    attached = [("inscription.docx", DOCX, build_docx(two))]
    u = understand(mail(body, subject="Inscription", attachments=attached), catalog)
    assert u.kind is Kind.REGISTRATION and u.decision is Decision.REVIEW


def _swap_table_docx(rows: list[tuple[str, str, str]]) -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("Modification d'inscription – Webinaire CPOM PH du 27 novembre 2026")
    table = document.add_table(rows=0, cols=3)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_the_newcomer_in_the_table_attached_when_the_mail_names_only_who_leaves(
    catalog: Catalog,
) -> None:
    body = ("Notre établissement a inscrit M. Yannig KERBRAT au webinaire CPOM PH du vendredi "
            "27 novembre 2026. Il ne pourra pas y assister. Une collègue prendra sa place : "
            "vous trouverez ses coordonnées dans le tableau ci-joint.\n")  # fmt: skip
    table = _swap_table_docx([
        ("", "Participant inscrit (annulé)", "Remplaçant(e)"),
        ("Civilité", "M.", "Mme"), ("Prénom", "Yannig", "Soizic"),
        ("NOM", "KERBRAT", "LE DUFF-TANGUY"),
        ("Fonction", "Chef de service éducatif", "Cheffe de service éducatif"),
        ("Courriel", "y.kerbrat@keravel.bzh", "s.leduff-tanguy@keravel.bzh"),
    ])  # fmt: skip
    attached = [("remplacement.docx", DOCX, table)]
    u = understand(mail(body, subject="Changement de participant", attachments=attached), catalog)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("M.", "Yannig", "KERBRAT", "y.kerbrat@keravel.bzh")
    assert u.replacement == Person("Mme", "Soizic", "LE DUFF-TANGUY", "s.leduff-tanguy@keravel.bzh")


def test_in_my_place_please_enrol_names_the_newcomer_before_the_writers_signature(
    catalog: Catalog,
) -> None:
    body = ("Bonjour,\nJe ne serai pas en mesure de suivre le webinaire CPOM handicap du 27 "
            "novembre. A ma place, merci d'inscrire M. Mathieu LAGARDE : "
            "mathieu.lagarde@cd47.fr\nMme Céline DUPRAT\nceline.duprat@cd47.fr\n")  # fmt: skip
    u = swap(catalog, body, subject="Webinaire CPOM handicap",
             sender="Céline DUPRAT <celine.duprat@cd47.fr>")  # fmt: skip
    assert u.kind is Kind.REPLACEMENT
    assert u.replaced == Person("Mme", "Céline", "DUPRAT", "celine.duprat@cd47.fr")
    assert u.replacement == Person("M.", "Mathieu", "LAGARDE", "mathieu.lagarde@cd47.fr")


def test_the_person_who_leaves_named_twice_is_one_person(catalog: Catalog) -> None:
    body = ("M. Hugo BARBIER, malade ce matin, ne pourra pas suivre le webinaire CPOM PH du "
            "27 novembre :\nM. Hugo BARBIER --> Mme Solène GRANGER (solene.granger@cd72.fr)\n"
            "Pouvez-vous lui envoyer le lien ?\n")  # fmt: skip
    u = swap(catalog, body, subject="Remplacement")
    assert u.replaced == Person("M.", "Hugo", "BARBIER", None)
    assert u.replacement == Person("Mme", "Solène", "GRANGER", "solene.granger@cd72.fr")
    assert "replacement_ambiguous" not in u.reasons
    # Two people of one family name are two people.
    family = swap(catalog, "Pour le webinaire CPOM PH du 27 novembre, M. MARTIN sera remplacé "
                           "par Mme Anne MARTIN (a.martin@cd72.fr).\n")  # fmt: skip
    assert family.replaced == Person("M.", None, "MARTIN", None)
    assert family.replacement == Person("Mme", "Anne", "MARTIN", "a.martin@cd72.fr")


def test_a_card_with_her_address_and_her_assistants_is_for_a_person(catalog: Catalog) -> None:
    body = ("M. Olivier CASTEL ne pourra pas participer au webinaire CPOM PH du vendredi 27 "
            "novembre. Il sera remplacé par :\n\nMme Agathe SORIN\nResponsable du pôle "
            "hébergement\nagathe.sorin@amandiers.org\nkarine.morel@amandiers.org\n"
            "04 67 15 32 40\n\nBien cordialement,\nHenri PAGÈS\n")  # fmt: skip
    u = swap(catalog, body, sender="Henri PAGÈS <h.pages@amandiers.org>")
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.REVIEW
    assert "uncertain:replacement.email" in u.reasons
    # Asked in so many words, the link to two addresses is a request for a person too.
    asked = swap(catalog, body.replace("karine.morel@amandiers.org\n", "") + "Merci d'envoyer "
                 "le lien aux deux adresses : elle se connectera depuis le poste de son "
                 "assistante.\n", sender="Henri PAGÈS <h.pages@amandiers.org>")  # fmt: skip
    assert asked.decision is Decision.REVIEW and "question_in_mail" in asked.reasons
    alone = swap(catalog, body.replace("karine.morel@amandiers.org\n", ""),
                 sender="Henri PAGÈS <h.pages@amandiers.org>")  # fmt: skip
    assert alone.decision is Decision.AUTO, alone.reasons


_CONFIRMATION = ("\n\nLe 12 oct. 2026 à 10:14, IPP <ipp@ipp.fr> a écrit :\n> Nous avons bien reçu "
                 "votre inscription au webinaire CPOM PH du vendredi 27 novembre 2026.\n"
                 "> Participants inscrits :\n> - M. Julien CASTETS (j.castets@landes.fr)\n"
                 "> - Mme Sonia AÏT-ALI (s.ait-ali@landes.fr)\n")  # fmt: skip


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_in_my_place_please_enrol_above_our_confirmation(catalog: Catalog, newline: str) -> None:
    # A body decoded with its CRLF must read as one with bare line feeds.
    body = ("Bonjour,\nEmpêché le 27, je ne pourrai pas suivre la journée. À ma place, merci "
            "d'inscrire M. Fabrice ROUZIÈS, f.rouzies@landes.fr\n\nJulien Castets"
            + _CONFIRMATION).replace("\n", newline)  # fmt: skip
    u = swap(
        catalog, body, subject="Re: Confirmation", sender="Julien Castets <j.castets@landes.fr>"
    )
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("M.", "Julien", "CASTETS", "j.castets@landes.fr")
    assert u.replacement == Person("M.", "Fabrice", "ROUZIÈS", "f.rouzies@landes.fr")


def test_the_newcomers_labelled_lines_under_voici_ses_coordonnees(catalog: Catalog) -> None:
    body = ("Inscrit à la session du vendredi 27 novembre 2026 du webinaire CPOM PH, M. Rémi "
            "FONTVIEILLE (moi-même) sera remplacé par une collègue. Voici ses coordonnées :\n\n"
            "Civilité : Madame\nPrénom : Noémie\nNom : FALGAYRAC\nFonction : Infirmière "
            "coordinatrice\nCourriel : n.falgayrac@saad30.fr\nTéléphone : 04 66 85 12 09\n")  # fmt: skip
    u = swap(catalog, body, subject="Changement de participant")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("M.", "Rémi", "FONTVIEILLE", None)
    assert u.replacement == Person("Mme", "Noémie", "FALGAYRAC", "n.falgayrac@saad30.fr")


@pytest.mark.parametrize("corner", ["", "\t"])
@pytest.mark.parametrize("reversed_columns", [False, True])
def test_a_swap_table_without_its_corner_cell_or_with_the_newcomer_first(
    catalog: Catalog, corner: str, reversed_columns: bool
) -> None:
    rows = [("Participant inscrit", "Remplaçant(e)"), ("Mme", "M."), ("Gisèle", "Baptiste"),
            ("PELLETIER", "CHESNEAU"), ("Responsable", "Responsable"),
            ("g.pelletier@saad41.fr", "b.chesneau@saad41.fr")]  # fmt: skip
    labels = ["", "Civilité", "Prénom", "NOM", "Fonction", "Courriel"]
    lines = []
    for label, (old, new) in zip(labels, rows, strict=True):
        cells = (new, old) if reversed_columns else (old, new)
        lines.append((corner if not label else label + "\t") + "\t".join(cells))
    body = PH + "\n".join(lines) + "\n"
    u = swap(catalog, body, subject="Changement de participant")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("Mme", "Gisèle", "PELLETIER", "g.pelletier@saad41.fr")
    assert u.replacement == Person("M.", "Baptiste", "CHESNEAU", "b.chesneau@saad41.fr")


def test_a_newcomer_our_confirmation_lists_already_is_for_a_person(catalog: Catalog) -> None:
    body = ("Je ne pourrai pas être présent le 27 novembre : c'est ma collègue Mme Sonia "
            "AÏT-ALI (s.ait-ali@landes.fr) qui suivra le webinaire à ma place.\n\nJulien "
            "Castets" + _CONFIRMATION)  # fmt: skip
    u = swap(
        catalog, body, subject="Re: Confirmation", sender="Julien Castets <j.castets@landes.fr>"
    )
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.REVIEW
    assert "replacement_already_registered" in u.reasons
    newcomer = swap(catalog, body.replace("Sonia AÏT-ALI (s.ait-ali@", "Agathe SORIN (a.sorin@", 1),
                    subject="Re: Confirmation", sender="Julien Castets <j.castets@landes.fr>")  # fmt: skip
    assert newcomer.decision is Decision.AUTO, newcomer.reasons


def test_a_swap_under_our_confirmation_of_two_webinars_names_its_own(catalog: Catalog) -> None:
    quoted = ("\n\nLe mer. 14 oct. 2026 à 09:20, IPP <ipp@ipp.fr> a écrit :\n> Nous avons le "
              "plaisir de vous confirmer les inscriptions suivantes :\n> Webinaire « Les CPOM "
              "des établissements et services de l'ASE » du jeudi 26 novembre 2026 :\n> - Mme "
              "Valérie GRANGER\n> Webinaire « Etablissements et services \"Handicap\" : les "
              "outils de construction d'un CPOM » du vendredi 27 novembre 2026 :\n> - Mme "
              "Valérie GRANGER\n")  # fmt: skip
    body = ("Mme Valérie GRANGER ne pourra pas être présente ; elle sera remplacée par M. "
            "Arnaud PICHON (a.pichon@lamontagne.fr).\n")  # fmt: skip
    subject = "Re: Confirmation de vos inscriptions - webinaires CPOM ASE et Handicap"
    u = swap(catalog, body + quoted, subject=subject)
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.REVIEW
    assert u.session is None and "session_not_identified" in u.reasons
    told = swap(catalog, body.replace("présente", "présente le 27 novembre") + quoted,
                subject=subject)  # fmt: skip
    assert told.session is not None and told.session.date == dt.date(2026, 11, 27)


def test_who_stays_is_neither_side_and_who_leaves_must_be_on_our_list(catalog: Catalog) -> None:
    body = ("Je ne pourrai pas assister au webinaire du 27 novembre. C'est ma collègue Mme Inès "
            "BOUAZIZ, cheffe de service, qui viendra à ma place. Son adresse : "
            "ines.bouaziz@landes.fr\n\nMme Sonia AÏT-ALI reste inscrite sans changement.\n\n"
            "Julien Castets" + _CONFIRMATION)  # fmt: skip
    u = swap(
        catalog, body, subject="Re: Confirmation", sender="Julien Castets <j.castets@landes.fr>"
    )
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("M.", "Julien", "CASTETS", "j.castets@landes.fr")
    assert u.replacement == Person("Mme", "Inès", "BOUAZIZ", "ines.bouaziz@landes.fr")
    # Someone our confirmation does not list holds no place of this registration.
    other = ("M. Mathieu SANCHEZ ne pourra pas être présent le 27 novembre ; il sera remplacé "
             "par Mme Lucie BARTHÈS (l.barthes@landes.fr).\n" + _CONFIRMATION)  # fmt: skip
    unlisted = swap(catalog, other, subject="Re: Confirmation")
    assert unlisted.decision is Decision.REVIEW
    assert "replacement_unknown_participant" in unlisted.reasons


def test_a_swap_table_headed_remplace_par_names_the_newcomer_s_column(catalog: Catalog) -> None:
    body = (PH + "\tParticipant inscrit\tRemplacé(e) par\nCivilité\tMme\tM.\n"
            "Prénom\tOdile\tBaptiste\nNOM\tPERRICHON\tVAUTRIN\n"
            "Adresse e-mail\to.perrichon@fam21.fr\tb.vautrin@fam21.fr\n")  # fmt: skip
    u = swap(catalog, body)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("Mme", "Odile", "PERRICHON", "o.perrichon@fam21.fr")
    assert u.replacement == Person("M.", "Baptiste", "VAUTRIN", "b.vautrin@fam21.fr")


def test_the_i_of_a_forwarded_request_is_not_the_assistant_who_forwards_it(
    catalog: Catalog,
) -> None:
    # The director writes "à ma place" to his assistant, who forwards it: she does not leave.
    body = ("Bonjour,\n\nJe vous transfère la demande de notre directeur pour le webinaire ASE "
            "du 26 novembre.\n\nInès Haddad\n\n---------- Message transféré ----------\n"
            "De : LEMARCHAND Pascal <p.lemarchand@pep62.fr>\nDate : lun. 16 nov. 2026\n"
            "Objet : webinaire IPP\nÀ : Inès Haddad <ines.haddad@pep62.fr>\n\n"
            "Je ne pourrai pas suivre le webinaire du 26 novembre. C'est Mme Margaux VASSEUR, "
            "cheffe de service, qui ira à ma place : margaux.vasseur@pep62.fr\n")  # fmt: skip
    u = swap(catalog, body, subject="TR: webinaire IPP",
             sender="Inès HADDAD <ines.haddad@pep62.fr>")  # fmt: skip
    assert u.kind is Kind.REPLACEMENT and u.decision is Decision.REVIEW
    assert u.replacement == Person("Mme", "Margaux", "VASSEUR", "margaux.vasseur@pep62.fr")
    assert u.replaced is None or u.replaced.last_name != "HADDAD"
    # Written by the sender herself, the same words make her the one who leaves.
    own_body = ("Je ne pourrai pas suivre le webinaire ASE du 26 novembre. C'est Mme Margaux "
                "VASSEUR qui ira à ma place : margaux.vasseur@pep62.fr\n\nInès Haddad\n")  # fmt: skip
    own = swap(catalog, own_body, sender="Inès HADDAD <ines.haddad@pep62.fr>")
    assert own.replaced is not None and own.replaced.last_name == "HADDAD"


def test_the_newcomer_s_address_in_the_copy_that_bears_her_name_is_shown_for_a_person(
    catalog: Catalog,
) -> None:
    body = ("Je suis inscrite au webinaire CPOM PH du 27 novembre 2026 (Mme Clémence AUBRY) et "
            "ne pourrai pas venir. Ma collègue Mme Hortense LAGARDE-PY, en copie de ce "
            "message, me remplacera.\n\nClémence Aubry\n")  # fmt: skip
    cc = "LAGARDE-PY Hortense <h.lagardepy@ime-glycines.fr>, Paul Roux <p.roux@ime-glycines.fr>"
    u = swap(catalog, body, sender="Clémence Aubry <c.aubry@ime-glycines.fr>",
             headers={"Cc": cc})  # fmt: skip
    # Surely hers, but not written in the message as the address for the link: a person
    # confirms it, the address already filled in.
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.REVIEW)
    assert u.reasons == ("uncertain:replacement.email",)
    assert u.replacement == Person("Mme", "Hortense", "LAGARDE-PY", "h.lagardepy@ime-glycines.fr")
    # A copy to someone else (her manager) is no address of hers.
    other = swap(catalog, body, sender="Clémence Aubry <c.aubry@ime-glycines.fr>",
                 headers={"Cc": "Paul Roux <p.roux@ime-glycines.fr>"})  # fmt: skip
    assert other.decision is Decision.REVIEW
    assert other.replacement is not None and other.replacement.email is None
    assert "missing_field:replacement.email" in other.reasons


def test_moving_people_to_the_other_session_is_a_question_not_a_swap(catalog: Catalog) -> None:
    body = ("Nous avons inscrit Mme Ghislaine BRETAUD et M. Loïc RAFFIN à la session du jeudi "
            "18 mars 2027. Serait-il possible de transférer leur inscription sur la session du "
            "vendredi 8 octobre 2027 ?\n")  # fmt: skip
    u = swap(catalog, body, subject="Changement de session CPOM aide à domicile")
    assert (u.kind, u.decision) == (Kind.QUESTION, Decision.REVIEW)
    handed = swap(catalog, body.replace("leur inscription sur la session du vendredi 8 octobre "
                                        "2027", "sa place à M. Yann CORMIER (y.cormier@x.fr)")
                  .replace("et M. Loïc RAFFIN ", ""), subject="Inscription")  # fmt: skip
    assert handed.kind is Kind.REPLACEMENT


def test_handing_the_registration_s_management_to_someone_is_a_question(
    catalog: Catalog,
) -> None:
    body = ("Merci de bien vouloir remplacer le gestionnaire de notre inscription au webinaire "
            "CPOM ASE du 26 novembre : M. Bertrand ROUSSILHE (b.roussilhe@tarn.fr) à la place "
            "de Mme Agathe PEYRONNET, partie en congé maternité.\n")  # fmt: skip
    u = swap(catalog, body, subject="Remplacement gestionnaire inscription webinaire ASE")
    assert (u.kind, u.decision) == (Kind.QUESTION, Decision.REVIEW)
    seat = body.replace("remplacer le gestionnaire de notre inscription au", "inscrire au")
    assert swap(catalog, seat).kind is Kind.REPLACEMENT


def test_a_swap_in_a_scanned_letter_is_read_and_its_values_checked(catalog: Catalog) -> None:
    from tests.factories.forms import render_text_page

    def scanned(address: str) -> Understanding:
        letter = render_text_page([
            "Objet : remplacement d'un participant",
            "Madame, Monsieur,",
            "Mme Claire ROCHE, inscrite au webinaire CPOM ASE du jeudi 26 novembre 2026,",
            "ne pourra pas y participer. Nous vous remercions de bien vouloir la remplacer",
            f"par M. Julien DELORME, adresse e-mail : {address}",
            "Le Directeur, Paul MARTIN",
        ])  # fmt: skip
        raw = mail("Bonjour,\n\nCi-joint notre courrier.\n\nCordialement", subject="Courrier",
                   sender="Paul MARTIN <p.martin@mecs-lespins.fr>",
                   attachments=[("courrier.png", "image/png", letter)])  # fmt: skip
        return understand(raw, catalog)

    u = scanned("julien.delorme@mecs-lespins.fr")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("Mme", "Claire", "ROCHE", None)
    assert u.replacement == Person("M.", "Julien", "DELORME", "julien.delorme@mecs-lespins.fr")
    # An address that does not spell the newcomer may be OCR's misreading, or someone else's.
    other = scanned("secretariat@mecs-lespins.fr")
    assert other.kind is Kind.REPLACEMENT and other.decision is Decision.REVIEW
    assert "uncertain:replacement.email" in other.reasons


def test_the_newcomer_as_labelled_lines_under_remplacer_par(catalog: Catalog) -> None:
    body = ("Notre collègue M. Patrick GUILLOU quitte la structure. Pouvez-vous le remplacer, "
            "pour le webinaire CPOM PH du 27 novembre 2026, par :\n\nCivilité : Mme\n"
            "Prénom : Élise\nNom : MORNET\nE-mail : elise.mornet@aidadom.fr\n\nMerci.\n")  # fmt: skip
    u = swap(catalog, body)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("M.", "Patrick", "GUILLOU", None)
    assert u.replacement == Person("Mme", "Élise", "MORNET", "elise.mornet@aidadom.fr")


@pytest.mark.parametrize(
    "lines",
    [
        "- ne participera pas : Mme Véronique THÉBAULT\n"
        "- la remplace : Mme Élise DARTIGUES, e.dartigues@mas.fr\n",
        "- la remplace : Mme Élise DARTIGUES, e.dartigues@mas.fr\n"
        "- ne participera pas : Mme Véronique THÉBAULT\n",
        "Participante remplacée : Mme Véronique THÉBAULT\n"
        "Qui la remplacera : Mme Élise DARTIGUES, e.dartigues@mas.fr\n",
    ],
)
def test_a_line_saying_who_replaces_her_names_the_newcomer(catalog: Catalog, lines: str) -> None:
    # "la remplace :" once read as "remplacé(e) :", which turned the swap around.
    u = swap(catalog, PH + lines, subject="Changement de participant")
    assert u.kind is Kind.REPLACEMENT
    assert u.replaced == Person("Mme", "Véronique", "THÉBAULT", None)
    assert u.replacement == Person("Mme", "Élise", "DARTIGUES", "e.dartigues@mas.fr")
    assert u.decision is Decision.AUTO, u.reasons


@pytest.mark.parametrize(
    "words",
    [
        "ce ne sera pas Mr Franck MOULIN mais Mme Anaïs LEROUX qui suivra la journée.",
        "nous avons commis une inversion : ce n'est pas Mr Franck MOULIN qui participera, mais "
        "Mme Anaïs LEROUX. Pourriez-vous corriger l'inscription en conséquence ?",
    ],
)
def test_not_this_one_but_that_one_is_a_swap(catalog: Catalog, words: str) -> None:
    body = ("Petit changement pour notre inscription au webinaire CPOM PH du 27 novembre : "
            f"{words}\nSon mail : anais.leroux@esat.fr\n")  # fmt: skip
    u = swap(catalog, body, subject="Changement")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("M.", "Franck", "MOULIN", None)
    assert u.replacement == Person("Mme", "Anaïs", "LEROUX", "anais.leroux@esat.fr")


def test_taking_over_as_the_registration_s_manager_is_no_swap(catalog: Catalog) -> None:
    body = ("Je remplace Mme Claudine BORIES, qui a quitté l'association, en tant que "
            "gestionnaire de notre inscription au webinaire du 27 novembre.\n"
            "Merci d'adresser désormais la facture à mon adresse : b.teuliere@adapei.fr\n"
            "Les participants inscrits restent inchangés.")  # fmt: skip
    u = swap(catalog, body, subject="Changement de gestionnaire")
    assert (u.kind, u.decision) == (Kind.QUESTION, Decision.REVIEW)


def test_an_html_table_of_the_cancelled_and_the_new_participant(catalog: Catalog) -> None:
    cell = '<td style="padding:3px 8px">{}</td>'
    rows = [("&nbsp;", "Participant annulé", "Nouveau participant"), ("Civilité", "M.", "Mme"),
            ("Prénom", "Grégory", "Samia"), ("Nom", "TOURNIER", "BOUZID"),
            ("Courriel", "&nbsp;", "samia.bouzid@amandiers.org")]  # fmt: skip
    table = "".join("<tr>" + "".join(cell.format(c) for c in row) + "</tr>" for row in rows)
    html = (f"<html><body>Bonjour,<br>Concernant le webinaire du vendredi 27 novembre 2026, "
            f"voici le remplacement à effectuer :<br><table border=1>{table}</table><br>"
            "Merci d'avance.</body></html>")  # fmt: skip
    u = understand(mail(html=html, subject="Webinaire 27/11"), catalog)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("M.", "Grégory", "TOURNIER", None)
    assert u.replacement == Person("Mme", "Samia", "BOUZID", "samia.bouzid@amandiers.org")


def test_an_old_and_new_table_whose_newcomer_has_no_address(catalog: Catalog) -> None:
    body = ("Pour la session du 18 mars 2027 (CPOM aide à domicile) :\n\n"
            "\tAncien\tNouveau\nCivilité\tMme\tM.\nPrénom\tBrigitte\tLoïc\n"
            "Nom\tSABATHÉ\tCAMBON\nE-mail\tb.sabathe@glycines.fr\t\n")  # fmt: skip
    u = swap(catalog, body, subject="Modification")
    assert u.kind is Kind.REPLACEMENT
    assert u.replaced == Person("Mme", "Brigitte", "SABATHÉ", "b.sabathe@glycines.fr")
    assert u.replacement == Person("M.", "Loïc", "CAMBON", None)
    assert u.reasons == ("missing_field:replacement.email",)


def test_a_swap_imagined_and_asked_about_is_a_question(catalog: Catalog) -> None:
    body = ("Bonjour,\n\nSi Mme Nadia BENSAÏD (n.bensaid@saad-horizon.fr) ne pouvait pas suivre "
            "la session du 8 octobre 2027, pourrait-elle être remplacée par une personne d'une "
            "autre structure (M. Paul GIMENEZ, p.gimenez@ssiad-horizon.fr) ? Ou le remplacement "
            "doit-il se faire au sein du même organisme ?\n\nBien à vous,\nYasmine KHELIF\n")  # fmt: skip
    u = understand(mail(body, subject="Remplacement par une autre structure ?"), catalog)
    assert (u.kind, u.decision) == (Kind.QUESTION, Decision.REVIEW)


def test_one_will_not_come_and_another_follows_the_day_in_replacement(catalog: Catalog) -> None:
    body = (
        "Bonjour,\n\nConcernant notre inscription au webinaire CPOM PH du 27 novembre 2026 : "
        "Monsieur Kévin DUCASSE n'y participera pas. Madame Inès BOURDIEU "
        "(ines.bourdieu@adhap-bearn.fr) suivra la journée en remplacement.\n\nCordialement"
    )
    u = swap(catalog, body, subject="Webinaire du 27 novembre")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("M.", "Kévin", "DUCASSE", None)
    assert u.replacement == Person("Mme", "Inès", "BOURDIEU", "ines.bourdieu@adhap-bearn.fr")


def test_a_letter_s_rows_name_who_was_registered_and_who_comes(catalog: Catalog) -> None:
    document = docx.Document()
    document.add_paragraph("MECS Les Aulnes — Demande de modification d'inscription")
    document.add_paragraph("Formation : Les CPOM des établissements et services de l'ASE")
    document.add_paragraph("Date de la session : jeudi 26 novembre 2026")
    table = document.add_table(rows=3, cols=5)
    rows = [
        ("", "Civilité", "Prénom", "NOM", "Adresse e-mail"),
        ("Participant initialement inscrit", "M.", "Olivier", "RAYNAUD", "o.raynaud@mecs.fr"),
        ("Nouveau participant", "Mme", "Justine", "FABRE", "j.fabre@mecs.fr"),
    ]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    body = "Bonjour,\n\nVeuillez trouver ci-joint notre demande.\n\nCordialement"
    attached = [("Demande_modification.docx", DOCX, out.getvalue())]
    u = understand(mail(body, subject="Demande de modification", attachments=attached), catalog)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("M.", "Olivier", "RAYNAUD", "o.raynaud@mecs.fr")
    assert u.replacement == Person("Mme", "Justine", "FABRE", "j.fabre@mecs.fr")


def _swap_form_docx() -> bytes:
    """IPP's form retyped as a replacement's: the one who leaves over the newcomer."""
    document = docx.Document()
    for line in (
        "Mettre en place un CPOM dans le secteur de l'aide à domicile",
        "BULLETIN DE REMPLACEMENT D'UN PARTICIPANT",
        "☒ jeudi 18 mars 2027 de 9h30 à 17h00",
        "☐ vendredi 8 octobre 2027 de 9h30 à 17h00",
        "Organisme-client",
        "Dénomination : Association Présence Touraine",
        "Adresse postale : 14 rue Édouard Vaillant, 37000 Tours",
        "Gestionnaire de l'inscription",
        "Adresse e-mail : n.pichon@presence-touraine.fr",
        "Prénom et NOM : Nathalie PICHON",
    ):
        document.add_paragraph(line)
    for heading, person in (
        ("Participant remplacé", ("Mme", "Corinne", "FAURE", "c.faure@presence-touraine.fr")),
        ("Nouveau participant (remplaçant)",
         ("M.", "Loïc", "TESSIER", "l.tessier@presence-touraine.fr")),
    ):  # fmt: skip
        document.add_paragraph(heading)
        table = document.add_table(rows=2, cols=4)
        for cell, text in zip(table.rows[0].cells, ("Civilité", "Prénom", "NOM",
                              "Adresse e-mail de connexion"), strict=True):  # fmt: skip
            cell.text = text
        for cell, text in zip(table.rows[1].cells, person, strict=True):
            cell.text = text
    for line in ("Fait à : Tours", "Le : 05/11/2026", "Par (nom du signataire) : Nathalie PICHON"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_replacement_form_attached_lists_who_leaves_and_who_comes(catalog: Catalog) -> None:
    body = ("Bonjour,\nMme Corinne FAURE, inscrite au webinaire CPOM aide à domicile du jeudi "
            "18 mars 2027, ne pourra pas y assister. Vous trouverez ci-joint notre bulletin de "
            "remplacement au nom de M. Loïc TESSIER.\n\nNathalie PICHON\n")  # fmt: skip
    attached = [("Bulletin_remplacement.docx", DOCX, _swap_form_docx())]
    u = understand(mail(body, subject="Remplacement participant", attachments=attached), catalog)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("Mme", "Corinne", "FAURE", "c.faure@presence-touraine.fr")
    assert u.replacement == Person("M.", "Loïc", "TESSIER", "l.tessier@presence-touraine.fr")
    assert u.session is not None and u.session.date == dt.date(2027, 3, 18)


def test_a_plain_text_table_old_and_new_gives_both_addresses(catalog: Catalog) -> None:
    body = (PH + "\n             Civilité  Prénom    NOM        E-mail\n"
            "Ancien    : M.        Régis     FONTAINE   regis.fontaine@iem-vallon.org\n"
            "Nouveau   : Mme       Aurélie   BASTIDE    aurelie.bastide@iem-vallon.org\n")  # fmt: skip
    u = swap(catalog, body, subject="Changement d'inscrit")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("M.", "Régis", "FONTAINE", "regis.fontaine@iem-vallon.org")
    assert u.replacement == Person("Mme", "Aurélie", "BASTIDE", "aurelie.bastide@iem-vallon.org")


def _swap_request_docx() -> bytes:
    """A replacement request of its own: a table under each heading, nothing else."""
    document = docx.Document()
    document.add_paragraph("DEMANDE DE REMPLACEMENT D'UN PARTICIPANT")
    document.add_paragraph("Webinaire CPOM Handicap du vendredi 27 novembre 2026")
    for heading, person in (
        ("Participant(e) remplacé(e)", ("Mme", "Patricia", "LEBRETON", "p.lebreton@fam.fr")),
        ("Nouveau participant", ("M.", "Youssef", "AMRANI", "y.amrani@fam.fr")),
    ):
        document.add_paragraph(heading)
        table = document.add_table(rows=2, cols=4)
        for cell, text in zip(table.rows[0].cells, ("Civilité", "Prénom", "NOM",
                              "Adresse e-mail de connexion"), strict=True):  # fmt: skip
            cell.text = text
        for cell, text in zip(table.rows[1].cells, person, strict=True):
            cell.text = text
    document.add_paragraph("Fait à Nîmes, le 22 octobre 2026")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_replacement_request_attached_with_a_table_under_each_heading(catalog: Catalog) -> None:
    body = "Veuillez trouver ci-joint notre demande de remplacement.\n\nAccueil - FAM\n"
    attached = [("demande_remplacement.docx", DOCX, _swap_request_docx())]
    u = understand(mail(body, subject="Demande de remplacement", attachments=attached), catalog)
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("Mme", "Patricia", "LEBRETON", "p.lebreton@fam.fr")
    assert u.replacement == Person("M.", "Youssef", "AMRANI", "y.amrani@fam.fr")


def test_a_participant_added_in_replacement_of_one_cancelled(catalog: Catalog) -> None:
    body = (PH + "Participant annulé : Madame Nicole FERRY\n"
            "Participant ajouté en remplacement : Madame Laure GAUTHERON, lgautheron@ccas.fr\n")  # fmt: skip
    u = swap(catalog, body, subject="webinaire CPOM PH")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("Mme", "Nicole", "FERRY", None)
    assert u.replacement == Person("Mme", "Laure", "GAUTHERON", "lgautheron@ccas.fr")


def test_a_letter_s_line_broken_after_the_newcomer_s_civility(catalog: Catalog) -> None:
    body = ("Nous avons inscrit M. Didier CHAUVEAU au webinaire CPOM PH du vendredi 27 novembre "
            "2026.\nM. CHAUVEAU quittant notre structure, merci de le remplacer par Mme\n"
            "Mélanie GUERET, adresse de connexion : m.gueret@bocage.fr.\n")  # fmt: skip
    u = swap(catalog, body, subject="Courrier")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replacement == Person("Mme", "Mélanie", "GUERET", "m.gueret@bocage.fr")


def test_an_untitled_newcomer_before_remplace_is_read_and_waits_for_a_civility(
    catalog: Catalog,
) -> None:
    body = ("Petite modification pour le webinaire CPOM PH du 27/11 : Camille ROSSIGNOL "
            "(camille.rossignol@ime.fr) remplace M. Pascal GIMENEZ.\n")  # fmt: skip
    u = swap(catalog, body, subject="Modification")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.REVIEW)
    assert "missing_field:replacement.civility" in u.reasons
    assert u.replaced == Person("M.", "Pascal", "GIMENEZ", None)
    assert u.replacement == Person(None, "Camille", "ROSSIGNOL", "camille.rossignol@ime.fr")


def test_the_other_session_said_unchanged_is_not_asked_for(catalog: Catalog) -> None:
    body = ("Concernant notre inscription à la journée CPOM aide à domicile du 18/03/2027 : "
            "M. Jérôme DELAGE est remplacé par M. Anthony PRADIER - a.pradier@admr15.fr.\n"
            "Nos inscrits à la session d'octobre ne changent pas.\n")  # fmt: skip
    u = swap(catalog, body, subject="Remplacement")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.session is not None and u.session.date == dt.date(2027, 3, 18)


@pytest.mark.parametrize(
    "attribution",
    [
        "Le 12/01/2027 à 11:20, IPP a écrit :",  # Apple Mail, IPP a known contact
        "Le 12 janv. 2027 à 11:20, Institut de la Performance Publique a écrit :",
    ],
)
def test_our_confirmation_quoted_under_our_name_alone_names_the_session(
    catalog: Catalog, attribution: str
) -> None:
    body = ("Bonjour,\n\nMme Chantal Vidal étant en arrêt, c'est Mme Lucie Marchetti "
            "(l.marchetti@admr84.fr) qui suivra la formation à sa place.\n\nCordialement,\n"
            f"Jérôme Aubry\n\n{attribution}\n> Bonjour,\n> Nous vous confirmons l'inscription "
            "de Mme Chantal VIDAL au web-séminaire\n> « Mettre en place un CPOM dans le "
            "secteur de l'aide à domicile » du jeudi 18 mars 2027, de 9h30 à 17h00.\n")  # fmt: skip
    u = swap(catalog, body, subject="Re: Confirmation d'inscription",
             sender="Jérôme Aubry <j.aubry@admr84.fr>", date="Thu, 04 Mar 2027 18:09:00 +0100")  # fmt: skip
    assert (u.decision, u.session) == (Decision.AUTO, SessionRef("cpom-saad", dt.date(2027, 3, 18)))
    # Anyone else's mail quoted the same way is not ours to trust.
    other = swap(catalog, body.replace(attribution, "Le 12/01/2027 à 11:20, IPPA a écrit :"),
                 subject="Re: Confirmation d'inscription", sender="Jérôme Aubry <j.aubry@admr84.fr>",
                 date="Thu, 04 Mar 2027 18:09:00 +0100")  # fmt: skip
    assert other.decision is Decision.REVIEW and other.session is None


def test_the_newcomers_address_after_its_own_label_on_her_line(catalog: Catalog) -> None:
    body = (PH + "Participant initialement inscrit : Madame SAINT-MARTIN Bérénice – "
            "berenices@ime.fr\nRemplacé(e) par : Mme LAMBERT Isabelle – courriel : "
            "isabellel@ime.fr\n")  # fmt: skip
    u = swap(catalog, body)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.replacement == Person("Mme", "Isabelle", "LAMBERT", "isabellel@ime.fr")


@pytest.mark.parametrize(
    ("note", "email"),
    [
        # The aside closed by a comma after her address: she comes in, the writer goes.
        ("Je ne pourrai pas assister au webinaire CPOM PH du 27 novembre. Mon adjoint, "
         "M. Grégory MAILLARD (gregory.maillard@ime.fr), me remplacera.", "gregory.maillard@ime.fr"),
        # An address written wrongly after "son adresse :" is still the one written.
        ("Pour le webinaire CPOM PH du 27 novembre, Mme Zaïnaba AHAMADA sera remplacée par "
         "M. Grégory MAILLARD, son adresse : gregory.maillard@ime976", "gregory.maillard@ime976"),
    ],
)  # fmt: skip
def test_the_newcomer_and_his_address_in_a_sentence(
    catalog: Catalog, note: str, email: str
) -> None:
    u = swap(
        catalog, note + "\n\nIsabelle TRAN-VAN\n", sender="Isabelle TRAN-VAN <i.tranvan@ime.fr>"
    )
    assert u.kind is Kind.REPLACEMENT
    assert u.replacement == Person("M.", "Grégory", "MAILLARD", email)


def test_the_colleague_who_replaces_the_writer_in_a_reply_to_our_link(catalog: Catalog) -> None:
    body = ("Je ne pourrai malheureusement pas être présente. Le lien est à envoyer à ma "
            "collègue Mme Sarah BENHAMOU (sarah.benhamou@adapei16.org), qui me remplace.\n\n"
            "Agnès PRUVOST\n\nLe 23/11/2026 à 15:02, IPP <ipp@ipp.fr> a écrit :\n"
            "> Bonjour Madame Agnès PRUVOST,\n> Vous êtes inscrite au web-séminaire CPOM PH du "
            "vendredi 27 novembre 2026.\n")  # fmt: skip
    u = swap(catalog, body, subject="RE: Votre lien de connexion",
             sender="Agnès PRUVOST <a.pruvost@adapei16.org>")  # fmt: skip
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("Mme", "Agnès", "PRUVOST", None)
    assert u.replacement == Person("Mme", "Sarah", "BENHAMOU", "sarah.benhamou@adapei16.org")


def test_the_writer_whose_place_a_colleague_takes_is_named_by_our_link_mail(
    catalog: Catalog,
) -> None:
    # The sender's name does not tell which word is the family name, nor a civility; our
    # link mail quoted below does, and writes the address the writer sends from.
    body = ("Je ne pourrai malheureusement pas participer au webinaire du 18 mars. Ma collègue "
            "Mme Inès BOUCHAREB (ines.bouchareb@aad86.fr) prendra ma place.\n\nPierre-Yves "
            "Coste\n\nLe mar. 9 mars 2027 à 16:20, IPP <ipp@ipp.fr> a écrit :\n> Bonjour "
            "Monsieur Pierre-Yves COSTE,\n> Vous êtes inscrit(e) au web-séminaire CPOM aide à "
            "domicile du jeudi 18 mars 2027.\n> Ce lien est associé à votre adresse "
            "pycoste@aad86.fr : merci de ne pas le transmettre.\n")  # fmt: skip
    u = swap(catalog, body, subject="Re: Votre lien de connexion",
             sender="Pierre-Yves Coste <pycoste@aad86.fr>", date="Wed, 10 Mar 2027 08:17:00 +0100")  # fmt: skip
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("M.", "Pierre-Yves", "COSTE", "pycoste@aad86.fr")
    assert u.replacement == Person("Mme", "Inès", "BOUCHAREB", "ines.bouchareb@aad86.fr")
    # Sent from an address the message never writes: the leaver's address stays unknown.
    other = swap(catalog, body, subject="Re: Votre lien de connexion",
                 sender="Pierre-Yves Coste <secretariat@aad86.fr>", date="Wed, 10 Mar 2027 08:17:00 +0100")  # fmt: skip
    assert other.replaced == Person("M.", "Pierre-Yves", "COSTE", None)


def test_the_leaver_s_address_is_taken_from_our_quoted_confirmation(catalog: Catalog) -> None:
    body = ("Bonjour,\n\nMme Christelle PUJOL ne pourra finalement pas y assister. C'est M. Damien "
            "ESTRADE (d.estrade@aidadom40.fr) qui la remplacera.\n\nMartine LACAZE\n\n"
            "-----Message d'origine-----\nDe : IPP <ipp@ipp.fr>\nEnvoyé : mardi 12 janvier 2027\n"
            "Objet : Confirmation de votre inscription - CPOM aide à domicile - jeudi 18 mars 2027\n\n"
            "Participants inscrits :\n- Mme Christelle PUJOL (c.pujol@aidadom40.fr)\n"
            "- Mme Christelle PUJOL-DARAN (c.pujoldaran@aidadom40.fr)\n"
            "- Mme Laure DUCASSE (l.ducasse@aidadom40.fr)\n")  # fmt: skip
    subject = "RE: Confirmation de votre inscription - CPOM aide à domicile - jeudi 18 mars 2027"
    u = swap(catalog, body, subject=subject,
             sender="Martine LACAZE <mlacaze@aidadom40.fr>", date="Thu, 11 Feb 2027 08:56:00 +0100")  # fmt: skip
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    # Written in the message: her address in the list our confirmation gave.
    assert u.replaced == Person("Mme", "Christelle", "PUJOL", "c.pujol@aidadom40.fr")
    assert u.replacement == Person("M.", "Damien", "ESTRADE", "d.estrade@aidadom40.fr")


def test_a_leaver_named_without_civility_is_the_one_of_our_quoted_list(catalog: Catalog) -> None:
    quote = ("\n\n-----Message d'origine-----\nDe : IPP <ipp@ipp.fr>\nEnvoyé : mercredi 14 "
             "octobre 2026 11:02\nObjet : Confirmation d'inscription - web-séminaire CPOM ASE du "
             "26 novembre 2026\n\nParticipants inscrits :\n- Mme Marion LEFORT – mlefort@creuse.fr\n"
             "- M. Thierry VASSEUR – tvasseur@creuse.fr\n")  # fmt: skip
    request = ("Marion Lefort ne pourra finalement pas suivre la journée du 26 novembre. "
               "Pourriez-vous la remplacer par M. Bastien GRANGER, adresse de connexion : "
               "bastien.granger@creuse.fr ?\n\nSylvie AUBERT\n")  # fmt: skip
    u = swap(catalog, request + quote, sender="Sylvie AUBERT <saubert@creuse.fr>",
             subject="RE: Confirmation d'inscription - web-séminaire CPOM ASE du 26 novembre 2026",
             date="Thu, 12 Nov 2026 09:41:00 +0100")  # fmt: skip
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("Mme", "Marion", "LEFORT", "mlefort@creuse.fr")
    assert u.replacement == Person("M.", "Bastien", "GRANGER", "bastien.granger@creuse.fr")
    # Two of the list named: which one leaves is for a person to read.
    both = request.replace(
        "Marion Lefort ne pourra", "Marion Lefort et Thierry Vasseur ne pourront"
    )
    two = swap(catalog, both + quote, sender="Sylvie AUBERT <saubert@creuse.fr>",
               subject="RE: Confirmation", date="Thu, 12 Nov 2026 09:41:00 +0100")  # fmt: skip
    assert two.decision is Decision.REVIEW


def test_a_reunion_family_name_with_its_k_slash_is_read_whole(catalog: Catalog) -> None:
    body = ("Nous avions inscrit Mme Marie-Josée PAYET au webinaire CPOM ASE du jeudi 26 novembre "
            "2026.\nElle ne pourra pas y assister et sera remplacée par M. Jean-Hugues "
            "DIJOUX-K/BIDI (jh.dijoux@cg974.fr).\n")  # fmt: skip
    u = swap(catalog, body, date="Mon, 16 Nov 2026 09:12:17 +0400")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replacement == Person("M.", "Jean-Hugues", "DIJOUX-K/BIDI", "jh.dijoux@cg974.fr")


def test_the_newcomer_in_a_two_column_table_under_replaced_by(catalog: Catalog) -> None:
    # Gmail's HTML part: the newcomer's details pasted as a table of label | value rows.
    rows = "".join(
        f"<tr><td>{label}</td><td>{value}</td></tr>"
        for label, value in [("Civilité", "Madame"), ("Prénom", "Sabrina"), ("NOM", "MOULIN"),
                             ("E-mail", "sabrina.moulin@aide71.fr")]
    )  # fmt: skip
    html = (
        '<div dir="ltr"><div>Pour la session du 18 mars 2027 (CPOM aide à domicile), Mme '
        "Laetitia BONNOT est remplacée par :</div><div><br></div>"
        f'<table border="1">{rows}</table><div>Merci,</div><div>Inès N\'Diaye</div></div>'
    )
    u = understand(mail(html=html, subject="Changement de participante",
                        date="Wed, 24 Feb 2027 14:22:24 +0100"), catalog)  # fmt: skip
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("Mme", "Laetitia", "BONNOT", None)
    assert u.replacement == Person("Mme", "Sabrina", "MOULIN", "sabrina.moulin@aide71.fr")


def test_a_webinar_keyword_in_the_signature_does_not_hide_the_day_named(
    catalog: Catalog,
) -> None:
    # "Aide à Domicile" in the association's name is the SAAD webinar's keyword, but only
    # the Handicap webinar has a session on the day the request writes.
    body = ("Monsieur Thierry KERMARREC, inscrit au webinaire CPOM Handicap du vendredi 27 "
            "novembre, ne pourra pas y participer.\nIl sera remplacé par Madame Laëtitia HAMON "
            "(lhamon@aadpb.fr).\n\nBien cordialement,\n\nBéatrice de LA ROCHE\n"
            "Association Aide à Domicile en Pays Basque\n")  # fmt: skip
    u = swap(catalog, body, date="Sat, 14 Nov 2026 12:32:38 +0100")
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.session == SessionRef("cpom-ph", dt.date(2026, 11, 27))
    # Without a day, the two webinars named stay for a person to tell apart.
    undated = swap(catalog, body.replace(" du vendredi 27 novembre", ""))
    assert undated.decision is Decision.REVIEW and "session_not_identified" in undated.reasons


def test_the_absent_manager_named_to_say_who_writes_holds_no_seat(catalog: Catalog) -> None:
    body = ("En l'absence de ma collègue Mme Valérie GIRAUD, gestionnaire de notre inscription, "
            "je vous informe que Madame Pauline ARNAUD ne pourra pas suivre le webinaire CPOM ASE "
            "du 26 novembre.\nElle sera remplacée par Monsieur Hugo MERCIER : "
            "hugo.mercier@gironde.fr\n\nStéphanie LACAZE\n")  # fmt: skip
    u = swap(catalog, body, sender="Stéphanie LACAZE <s.lacaze@gironde.fr>",
             date="Mon, 23 Nov 2026 16:40:45 +0100")  # fmt: skip
    assert (u.kind, u.decision) == (Kind.REPLACEMENT, Decision.AUTO), u.reasons
    assert u.replaced == Person("Mme", "Pauline", "ARNAUD", None)
    assert u.replacement == Person("M.", "Hugo", "MERCIER", "hugo.mercier@gironde.fr")
    # Named without saying what she does, she may be a second seat: a person reads it.
    plain = swap(catalog, body.replace(", gestionnaire de notre inscription,", ""),
                 sender="Stéphanie LACAZE <s.lacaze@gironde.fr>",
                 date="Mon, 23 Nov 2026 16:40:45 +0100")  # fmt: skip
    assert plain.decision is Decision.REVIEW
