"""Forms an organisation retyped in its own words and layout, second round: a heading over
the name it introduces, a paying establishment, a billing address labelled, sections in cells."""

from __future__ import annotations

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.form_reader import read_rows, text_rows
from mailbot.understanding.labels import Field
from mailbot.understanding.model import Decision
from tests.factories.mails import mail

DATE = "Mon, 05 Oct 2026 10:00:00 +0200"
OPENING = "Bonjour,\n\nVoici notre inscription au webinaire ASE du jeudi 26 novembre 2026.\n\n"
CLOSING = """
Personnes inscrites
Participant 1 : Mme Sandrine MORVAN, e-mail : s.morvan@closfleuri.fr

Nombre de participants : 1
Montant total : 635 €
Fait à Le Bugue, le 2 octobre 2026
Signataire : Thibault LACOSTE, directeur
"""


def stacked(manager_heading: str) -> str:
    return (
        OPENING
        + "Structure\nFoyer Le Clos Fleuri\n\nAdresse\nLieu-dit La Garenne\n24260 Le Bugue\n\n"
        + f"{manager_heading}\nThibault LACOSTE\n\nMail\nt.lacoste@closfleuri.fr\n\n"
        + "Ligne directe\n05 53 07 22 48\n"
        + CLOSING
    )


def test_a_name_under_contact_or_a_referent_heading_is_the_manager_s(catalog: Catalog) -> None:
    for heading in ("Contact", "Référent administratif", "RÉFÉRENTE ADMINISTRATIVE"):
        u = understand(mail(stacked(heading), date=DATE), catalog)
        assert u.manager is not None and u.manager.full_name == "Thibault LACOSTE", heading
        assert u.decision is Decision.AUTO, (heading, u.reasons)


def test_contact_over_anything_but_a_name_is_no_manager_name() -> None:
    # A signature's "Contact" over a phone number names nobody.
    form = read_rows(text_rows("Nom de la structure\nCCAS de Pau\n\nContact\n05 59 27 85 80\n"))
    assert Field.MANAGER_NAME not in form.values


def test_a_name_alone_under_the_manager_s_heading_is_the_manager(catalog: Catalog) -> None:
    body = (
        OPENING
        + "Dénomination : Foyer Le Clos Fleuri\nAdresse : Lieu-dit La Garenne, 24260 Le Bugue\n\n"
        + "Gestionnaire\nThibault LACOSTE\nMail : t.lacoste@closfleuri.fr\nTél : 05 53 07 22 48\n"
        + CLOSING
    )
    u = understand(mail(body, date=DATE), catalog)
    assert u.manager is not None and u.manager.full_name == "Thibault LACOSTE"
    assert u.decision is Decision.AUTO, u.reasons
    # An organisation's name under the heading is not a person's ("CCAS de PAU"), nor
    # is the label of a name left blank.
    for line in ("CCAS de PAU", "Prénom et NOM"):
        form = read_rows(text_rows(f"Gestionnaire\n{line}\nMail : a@ccas-pau.fr\n"))
        assert Field.MANAGER_NAME not in form.values, line
    # Further down the block, a name alone may open a list of people with no heading.
    form = read_rows(text_rows("Gestionnaire\nMail : a@ccas-pau.fr\nMme Julie PETIT\n"))
    assert Field.MANAGER_NAME not in form.values


def test_a_paying_establishment_after_the_participants_table_is_no_participant(
    catalog: Catalog,
) -> None:
    body = (
        "Bonjour,\n\nInscription au webinaire ASE du jeudi 26 novembre 2026.\n\n"
        "AGENT(S) INSCRIT(S)\nCIVILITÉ\tNOM\tPRÉNOM\tMAIL\n"
        "Mme\tROYER\tChristine\tc.royer@ccas-saintdizier.fr\n\n"
        "ÉTABLISSEMENT PAYEUR\tCCAS de Saint-Dizier\n"
        "ADRESSE DE FACTURATION\tHôtel de Ville, Place Aristide Briand, 52100 Saint-Dizier\n\n"
        "CONTACT\tMélanie GAUTHIER\nMAIL\tm.gauthier@ccas-saintdizier.fr\n\n"
        "NOMBRE D'AGENTS : 1\nMONTANT TOTAL : 635 €\n"
        "FAIT À SAINT-DIZIER LE 01/10/2026\nSIGNATAIRE : LE VICE-PRÉSIDENT, Gérard POIRIER\n"
    )
    u = understand(mail(body, date=DATE), catalog)
    assert [p.last_name for p in u.participants] == ["ROYER"]
    assert u.organisation is not None and u.organisation.name == "CCAS de Saint-Dizier"
    assert u.decision is Decision.AUTO, u.reasons


def test_the_billing_address_label_over_the_form_s_address_asks_nothing(
    catalog: Catalog,
) -> None:
    body = stacked("Contact").replace("Adresse\n", "Adresse de facturation\n")
    u = understand(mail(body, date=DATE), catalog)
    assert u.organisation is not None
    assert u.organisation.address == "Lieu-dit La Garenne, 24260 Le Bugue"
    assert "question_in_mail" not in u.reasons
    assert u.decision is Decision.AUTO, u.reasons


def test_an_outlook_table_with_a_section_in_each_cell_is_read_cell_by_cell(
    catalog: Catalog,
) -> None:
    def cell(*lines: str) -> str:
        return "<td>" + "".join(f"<p>{line}</p>" for line in lines) + "</td>"

    html = (
        "<p>Bonjour, voici l'inscription au webinaire ASE du jeudi 26 novembre 2026.</p><table><tr>"
        + cell("ÉTABLISSEMENT PAYEUR", "Conseil départemental de l'Allier",
               "Adresse de facturation", "1 avenue Victor Hugo", "BP 1669", "03016 Moulins Cedex")
        + cell("RÉFÉRENT ADMINISTRATIF", "Corinne ROUANET", "Mail", "c.rouanet@allier.fr",
               "Ligne directe", "04 70 34 15 62")
        + "</tr></table><p>Agents inscrits</p><table>"
        "<tr><td>Civilité</td><td>Prénom</td><td>Nom</td><td>Adresse mail</td></tr>"
        "<tr><td>M.</td><td>Hugo</td><td>DUMOULIN</td><td>h.dumoulin@allier.fr</td></tr></table>"
        "<p>Nombre d'agents : 1 – Montant total : 635,00 €</p>"
        "<p>Fait à Moulins, le 1er octobre 2026</p><p>Signataire : Véronique TESSIER</p>"
    )  # fmt: skip
    u = understand(mail("", html=html, date=DATE), catalog)
    assert u.organisation is not None and u.manager is not None
    assert u.organisation.name == "Conseil départemental de l'Allier"
    assert u.organisation.address == "1 avenue Victor Hugo, BP 1669, 03016 Moulins Cedex"
    assert (u.manager.full_name, u.manager.email) == ("Corinne ROUANET", "c.rouanet@allier.fr")
    assert u.decision is Decision.AUTO, u.reasons


def test_labels_abbreviated_as_a_hurried_clerk_types_them(catalog: Catalog) -> None:
    body = (
        OPENING
        + "Dénom. : Foyer Le Clos Fleuri\nAdr. : Lieu-dit La Garenne, 24260 Le Bugue\n"
        + "Gest. : Thibault LACOSTE\nServ. : Direction\nTél : 05 53 07 22 48\n"
        + "Mél : t.lacoste@closfleuri.fr\n\nParticipants :\n"
        + "- Mme Sandrine MORVAN (s.morvan@closfleuri.fr)\n\nNb part. : 1\n"
        + "Montant total : 635 €\nFait à Le Bugue, le 2 octobre 2026\nPar : Thibault LACOSTE\n"
    )
    u = understand(mail(body, date=DATE), catalog)
    assert u.organisation is not None and u.manager is not None
    assert u.organisation.name == "Foyer Le Clos Fleuri"
    assert (u.manager.full_name, u.manager.email) == ("Thibault LACOSTE", "t.lacoste@closfleuri.fr")
    assert u.declared_count == 1
    assert u.decision is Decision.AUTO, u.reasons
