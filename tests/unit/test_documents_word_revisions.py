"""What a Word file shows is its text: tracked deletions, moved-away text, hidden text and
struck-through words are not; a table that only places tables side by side is read cell by
cell."""

from __future__ import annotations

import io

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from mailbot.understanding.documents import Document, extract_document
from mailbot.understanding.form_reader import read_rows
from mailbot.understanding.labels import Field
from mailbot.understanding.sources import document_rows

W = nsdecls("w")


def read(word: docx.Document) -> Document:  # type: ignore[valid-type]
    out = io.BytesIO()
    word.save(out)
    [document] = extract_document(out.getvalue(), filename="f.docx", content_type="")
    return document


def run(text: str, properties: str = "") -> str:
    return f"<w:r {W}><w:rPr>{properties}</w:rPr><w:t xml:space='preserve'>{text}</w:t></w:r>"


def paragraph(*runs: str) -> str:
    return f"<w:p {W}>{''.join(runs)}</w:p>"


def test_tracked_deletions_moves_hidden_and_struck_text_are_not_read() -> None:
    word = docx.Document()
    body = word.element.body
    deleted = (f"<w:del {W} w:id='1' w:author='A' w:date='2026-10-01T00:00:00Z'><w:r>"
               "<w:delText>ancienne.adresse@x.fr</w:delText></w:r></w:del>")  # fmt: skip
    moved = (f"<w:moveFrom {W} w:id='2' w:author='A' w:date='2026-10-01T00:00:00Z'>"
             "<w:r><w:t>Mme Jeanne DÉPLACÉE</w:t></w:r></w:moveFrom>")  # fmt: skip
    for xml in (
        paragraph(run("Adresse e-mail : "), deleted, run("nouvelle.adresse@x.fr")),
        paragraph(moved),
        paragraph(run("Mme Jeanne EXEMPLE", "<w:vanish/>")),
        paragraph(run("Civilité : Mme / "), run("M.", "<w:strike/>")),
        paragraph(run("M. Paul RETIRÉ", "<w:dstrike/>")),
        paragraph(run("Mme Anne GARDÉE", "<w:strike w:val='0'/>")),
    ):
        body.append(parse_xml(xml))
    text = read(word).text
    assert "Adresse e-mail : nouvelle.adresse@x.fr" in text
    assert "Civilité : Mme / \n" in text + "\n"
    for gone in ("ancienne", "DÉPLACÉE", "EXEMPLE", "RETIRÉ"):
        assert gone not in text
    assert "Mme Anne GARDÉE" in text


def test_a_row_deleted_with_tracked_changes_is_no_participant() -> None:
    word = docx.Document()
    table = word.add_table(rows=3, cols=4)
    for row, values in enumerate(
        [("Civilité", "Prénom", "NOM", "Adresse e-mail"),
         ("Mme", "Anne", "ROUX", "a.roux@x.fr"), ("M.", "Paul", "PARTI", "p.parti@x.fr")]
    ):  # fmt: skip
        for column, value in enumerate(values):
            table.cell(row, column).text = value
    properties = table.rows[2]._tr.get_or_add_trPr()
    properties.append(
        parse_xml(f"<w:del {W} w:id='9' w:author='A' w:date='2026-10-01T00:00:00Z'/>")
    )
    document = read(word)
    assert "PARTI" not in document.text and "ROUX" in document.text
    assert len(document.tables[0]) == 2


def test_tables_placed_side_by_side_are_read_one_after_the_other() -> None:
    word = docx.Document()
    layout = word.add_table(rows=1, cols=2)
    organisation = [("Dénomination", "Foyer de l'Enfance des Vosges"),
                    ("Adresse postale", "26 rue de la Clé d'Or, 88000 Épinal")]  # fmt: skip
    manager = [
        ("Adresse e-mail", "a.thiebaut@fde-vosges.fr"),
        ("Prénom et NOM", "Adeline THIÉBAUT"),
    ]
    for cell, pairs in zip(layout.rows[0].cells, (organisation, manager), strict=True):
        inner = cell.add_table(rows=len(pairs), cols=2)
        for row, (label, value) in enumerate(pairs):
            inner.cell(row, 0).text, inner.cell(row, 1).text = label, value
    document = read(word)
    assert "Dénomination\tFoyer de l'Enfance des Vosges" in document.text
    form = read_rows(document_rows(document), prefix_labels=True)
    assert form.values[Field.ORG_NAME] == "Foyer de l'Enfance des Vosges"
    assert form.values[Field.MANAGER_NAME] == "Adeline THIÉBAUT"
    assert form.values[Field.MANAGER_EMAIL] == "a.thiebaut@fde-vosges.fr"


def test_the_form_s_blocks_in_the_page_header_and_footer_are_read_in_place() -> None:
    word = docx.Document()
    header = word.sections[0].header
    header.paragraphs[0].text = "Organisme-client"
    table = header.add_table(rows=2, cols=2, width=docx.shared.Cm(16))
    for row, (label, value) in zip(table.rows, [("Dénomination", "MAS Les Vergers"),
                                                ("Adresse postale", "8 allée des Pommiers, 89000 Auxerre")],
                                   strict=True):  # fmt: skip
        row.cells[0].text, row.cells[1].text = label, value
    # The body opens on the webinar's title: no line of the address above it.
    word.add_paragraph(
        "Web-séminaire « Mettre en place un CPOM dans le secteur de l'aide à domicile »"
    )
    word.add_paragraph("Gestionnaire de l'inscription")
    word.add_paragraph("Prénom et NOM : Brigitte LE BIHAN")
    footer = word.sections[0].footer
    footer.paragraphs[0].text = "Fait à : Auxerre          Le : 19 novembre 2026"
    footer.add_paragraph("Par (nom du signataire) : Brigitte LE BIHAN")
    document = read(word)
    lines = document.text.splitlines()
    assert lines.index("Organisme-client") < lines.index("Gestionnaire de l'inscription")
    assert lines[-1] == "Par (nom du signataire) : Brigitte LE BIHAN"
    values = read_rows(document_rows(document), prefix_labels=True).values
    assert values[Field.ORG_NAME] == "MAS Les Vergers"
    assert values[Field.ADDRESS] == "8 allée des Pommiers, 89000 Auxerre"
    assert values[Field.SIGNATORY] == "Brigitte LE BIHAN"


def test_a_letterhead_or_a_page_number_is_left_out() -> None:
    word = docx.Document()
    word.sections[0].header.paragraphs[
        0
    ].text = "IPP – Institut de la Performance Publique – organisme de formation n° 11 75 52345 75"
    word.sections[0].footer.paragraphs[0].text = "Page 1 sur 2"
    word.add_paragraph("Dénomination : Mairie de Pau")
    assert read(word).text == "Dénomination : Mairie de Pau"


def _letterhead_form(body_lines: list[str]) -> Document:
    word = docx.Document()
    header = word.sections[0].header
    header.paragraphs[0].text = "Fondation Auguste Verdier"
    for line in ("5 quai de la Saône", "71100 Chalon-sur-Saône",
                 "SIRET 318 442 107 00029 – Tél. 03 85 21 44 00"):  # fmt: skip
        header.add_paragraph(line)
    for line in body_lines:
        word.add_paragraph(line)
    return read(word)


def test_a_letterhead_names_the_organisation_a_form_names_nowhere_else() -> None:
    document = _letterhead_form([
        "BULLETIN D'INSCRIPTION", "Gestionnaire de l'inscription",
        "Prénom et NOM : Capucine DELORME", "Adresse e-mail : c.delorme@fondation-verdier.fr",
    ])  # fmt: skip
    assert document.text.splitlines()[0] == "Fondation Auguste Verdier"
    values = read_rows(document_rows(document), prefix_labels=True).values
    assert values[Field.ORG_NAME] == "Fondation Auguste Verdier"
    assert values[Field.ADDRESS] == "5 quai de la Saône, 71100 Chalon-sur-Saône"


def test_a_letterhead_stays_out_when_the_form_names_its_organisation() -> None:
    document = _letterhead_form(
        ["Dénomination : Mairie de Pau", "Adresse postale : 1 place Royale, 64000 Pau"]
    )
    assert "Fondation" not in document.text
