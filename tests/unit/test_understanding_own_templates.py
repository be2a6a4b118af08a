"""Forms an organisation retypes in its own template or sends as a purchase order:
"Coordonnées" for the address, "Commande suivie par" for the manager, a line-item table
for the count and the total, the signing block as a row of labels over a row of values,
two label/value pairs on one row, an address cut at the end of a list's line. And what
such layouts must not slip past: a numbered heading after an address, a name a narrow
cell cut inside a word."""

from __future__ import annotations

from decimal import Decimal

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.form_reader import read_rows, text_rows
from mailbot.understanding.labels import Field
from mailbot.understanding.model import Decision
from tests.factories.mails import BODY_FORM, mail


def test_coordonnees_holding_only_an_address_is_the_address() -> None:
    text = ("1. Structure\nStructure\tAssociation Les Genêts\n"
            "Coordonnées\tEspace Kerlann, 14 rue du Clos Courtel, 35700 Rennes\n"
            "2. Référent formation\nNom, prénom\tLE MEUR Armelle\n")  # fmt: skip
    values = read_rows(text_rows(text)).values
    # The numbered heading under a whole address is the next block, not the address's end.
    assert values[Field.ADDRESS] == "Espace Kerlann, 14 rue du Clos Courtel, 35700 Rennes"
    assert values[Field.MANAGER_NAME] == "LE MEUR Armelle"
    town_below = read_rows(text_rows("Coordonnées\tDomaine de Coste-Belle\n83400 Hyères\n"))
    assert town_below.values[Field.ADDRESS] == "Domaine de Coste-Belle, 83400 Hyères"
    # Details that are not only an address are not taken for one.
    for other in ("Coordonnées\t12 rue Nationale, 59000 Lille – 03 20 11 22 33\n",
                  "Coordonnées\tanne.roux@lille.fr\n"):  # fmt: skip
        assert Field.ADDRESS not in read_rows(text_rows(other)).values


def test_a_purchase_order_s_contact_and_line_item() -> None:
    text = ("Contact commande\nNom : ZIEGLER Capucine\nMél : c.ziegler@ccas.fr\n"
            "Désignation\tQuantité\tPrix unitaire\tMontant\n"
            "Web-séminaire CPOM PH, session du 27/11/2026\t2\t635,00 €\t1 270,00 euros\n")  # fmt: skip
    form = read_rows(text_rows(text))
    assert form.values[Field.MANAGER_NAME] == "ZIEGLER Capucine"
    assert (form.declared_count, form.declared_total) == (2, Decimal("1270.00"))
    suivie = read_rows(text_rows("Commande suivie par\tLætitia LÉVÊQUE\nQuantité\t1\n"))
    assert suivie.values[Field.MANAGER_NAME] == "Lætitia LÉVÊQUE"
    assert suivie.declared_count == 1
    total = read_rows(text_rows("Total net à payer (exonéré de TVA) : 1 270,00 euros"))
    assert total.declared_total == Decimal("1270.00")
    # A heading with a column of unknown meaning is no line item.
    unknown = read_rows(text_rows("Désignation\tQuantité\tRemise\tMontant\nX\t2\t10 %\t1 143 €\n"))
    assert unknown.declared_count is None


def test_the_signing_block_as_labels_over_values() -> None:
    text = ("Lieu\tDate\tSignataire (nom et qualité)\n"
            "Pontarlier\t26/10/26\tAUDEBERT Sébastien, directeur général\n")  # fmt: skip
    values = read_rows(text_rows(text)).values
    assert values[Field.PLACE] == "Pontarlier"
    assert values[Field.SIGNED_DATE] == "26/10/26"
    assert values[Field.SIGNATORY] == "AUDEBERT Sébastien, directeur général"
    unsigned = read_rows(text_rows("Lieu\tDate\tSignataire\nAlençon\t11/10/26\n")).values
    assert unsigned[Field.PLACE] == "Alençon" and Field.SIGNATORY not in unsigned


def test_two_pairs_on_one_row_with_a_gap_between_them() -> None:
    rows = [("Service", "DRH – Formation continue", "", "Tél.", "01 60 48 71 50"),
            ("Lieu", "Brens", "", "Date", "18/10/2026")]  # fmt: skip
    form = read_rows(rows)
    assert form.values[Field.PHONE] == "01 60 48 71 50"
    assert form.values[Field.SIGNED_DATE] == "18/10/2026"
    assert not form.trailed


def test_an_address_cut_at_the_end_of_a_list_s_line() -> None:
    text = ("Inscrit(e)s :\n1. Mme Anne-Laure LÉVÊQUE – Responsable de secteur – "
            "leveque.anne-laure@fam-\neolienne.fr\nNombre d'inscrits : 1\n")  # fmt: skip
    (person,) = read_rows(text_rows(text)).participants
    assert person.email == "leveque.anne-laure@fam-eolienne.fr"


def test_a_name_cut_inside_a_word_by_its_cell_is_doubted(catalog: Catalog) -> None:
    cut = BODY_FORM.replace("2. Mme Hélène DE LA FONTAINE", "2. Mme Hélène S DE LA FONTAINE")
    u = understand(mail(cut), catalog)
    assert u.decision is Decision.REVIEW
    assert "uncertain:participants[1].first_name" in u.reasons
    initial = BODY_FORM.replace("2. Mme Hélène DE LA", "2. Mme Hélène M. DE LA")
    assert understand(mail(initial), catalog).decision is Decision.AUTO


def test_the_same_people_on_two_webinars_forms_are_two_registrations(catalog: Catalog) -> None:
    from tests.factories.forms import build_text_pdf, sample_form

    ase = sample_form(
        webinar_title="Les CPOM des établissements et services de l'ASE", sessions=(),
        session_date="jeudi 26 novembre 2026", price_eur=635, declared_total="1 270,00",
    )  # fmt: skip
    ph = sample_form(
        webinar_title="Etablissements et services « Handicap » : les outils de construction "
        "d'un CPOM", sessions=(), session_date="vendredi 27 novembre 2026", price_eur=635,
        declared_total="1 270,00",
    )  # fmt: skip
    both = [("ase.pdf", "application/pdf", build_text_pdf(ase)),
            ("ph.pdf", "application/pdf", build_text_pdf(ph))]  # fmt: skip
    u = understand(mail("Ci-joint nos deux bulletins.", attachments=both), catalog)
    assert u.reasons == ("several_forms",)
    # The same form sent twice (a file and its copy) is one registration.
    twice = [both[0], ("ase (2).pdf", "application/pdf", build_text_pdf(ase))]
    once = understand(mail("Ci-joint notre bulletin.", attachments=twice), catalog)
    assert once.decision is Decision.AUTO, once.reasons


def test_a_pdf_form_s_count_and_total_fields_stand_when_its_text_scatters_them() -> None:
    from mailbot.understanding.documents.model import Document, Source
    from mailbot.understanding.sources import from_document

    text = ("Participants\nCivilité\tPrénom\tNOM\tAdresse e-mail de connexion\n"
            "Mme\tJessica\tPAYET\tj.payet@cg974.fr\n"
            "Montant net total des frais d'inscription = nombre\t4\tde participants (\t) x 635 "
            "euros\t2 540,00\t=\teuros\n")  # fmt: skip
    fields = (("p1_nom", "PAYET"), ("nb_participants", "4"), ("montant_total", "2 540,00"))
    document = Document("f.pdf", "application/pdf", Source.FORM_FIELDS, text=text, fields=fields)
    form = from_document("f.pdf", document).form
    assert (form.declared_count, form.declared_total) == (4, Decimal("2540.00"))


def test_the_form_s_printed_rule_beside_the_total_is_no_total() -> None:
    text = ("Montant net total : nombre de participants x 635 Euros\n"
            "Nombre de participants\t2\nMontant total (€)\t1 270,00\n")  # fmt: skip
    form = read_rows(text_rows(text))
    assert (form.declared_count, form.declared_total) == (2, Decimal("1270.00"))
    assert form.unit_price == Decimal("635.00")
