"""Replacement requests in the wordings and layouts managers really use: a table per
person, the newcomer writing himself, an assistant writing for her director, the
replaced one named by a family name alone, a session named by its month."""

from __future__ import annotations

import datetime as dt

import pytest

from mailbot.catalog import Catalog, load_catalog
from mailbot.understanding import understand
from mailbot.understanding.model import Decision, Kind, Person, Understanding
from tests.factories.mails import mail
from tests.unit.test_understanding_forwards import ROOT

PH = "Pour le webinaire CPOM PH du 27 novembre 2026 :\n"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT / "config" / "catalog.toml")


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
