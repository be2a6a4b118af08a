"""When an organisation sends its form as a typed file, the extractor gives back its values."""

from __future__ import annotations

import io

import pypdf
import pytest

from mailbot.understanding.documents import (
    Checkbox,
    Document,
    Source,
    extract_document,
    extract_html,
)
from tests.factories import forms
from tests.factories.forms import FormData, sample_form

FORM = sample_form()
SESSIONS = (
    Checkbox("jeudi 18 mars 2027 de 9h30 à 17h00", True),
    Checkbox("vendredi 8 octobre 2027 de 9h30 à 17h00", False),
)


def only(documents: list[Document]) -> Document:
    assert len(documents) == 1, documents
    document = documents[0]
    assert document.ok, document.detail
    return document


def extract_as(fmt: str, form: FormData = FORM) -> Document:
    filename, content_type, data = forms.build(form, fmt)
    return only(extract_document(data, filename=filename, content_type=content_type))


def assert_form_lines(text: str) -> None:
    """The label/value rows reach the text as one tab-separated line each."""
    assert "Dénomination\tMairie de Saint-Médard-en-Jalles" in text
    assert "Adresse postale\tPlace de la République, CS 60010, 33160 Saint-Médard" in text
    assert "Adresse e-mail\tc.lefevre@saint-medard.fr" in text
    assert "Mme\tHélène\tGARNIER\th.garnier@saint-medard.fr" in text
    assert "( 2 ) x 625 Euros = 1 250,00 €" in text


@pytest.mark.parametrize("style", ["content_control", "legacy", "glyph"])
def test_docx_form_keeps_order_tables_and_ticked_session(style: str) -> None:
    document = only(
        extract_document(
            forms.build_docx(FORM, checkbox_style=style),
            filename="Bulletin inscription.docx",
            content_type="application/octet-stream",
        )
    )
    assert document.source is Source.TYPED
    assert_form_lines(document.text)
    assert document.checkboxes == SESSIONS
    # Body order: the organisation table comes after the session choice, before participants.
    text = document.text
    assert text.index("Session choisie") < text.index("Dénomination") < text.index("GARNIER")
    assert ("Mme", "Hélène", "GARNIER", "h.garnier@saint-medard.fr") in document.tables[2]
    assert document.has_images
    assert document.image_offsets[0] > text.index("Signature et cachet")


def test_docx_without_picture_has_no_images() -> None:
    document = only(
        extract_document(
            forms.build_docx(FORM, with_signature=False), filename=None, content_type=""
        )
    )
    assert not document.has_images


def test_docx_merged_cells_are_not_repeated() -> None:
    import io

    import docx

    word = docx.Document()
    table = word.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Participants"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "Mme"
    table.cell(1, 1).text = "Anne"
    inner = table.cell(2, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "imbriqué"
    inner.cell(0, 1).text = "tableau"
    out = io.BytesIO()
    word.save(out)
    document = only(extract_document(out.getvalue(), filename="f.docx", content_type=""))
    outer = document.tables[0]
    assert outer[0] == ("Participants", "", "")
    assert outer[1][0] == "Mme" and outer[2][0] == ""
    assert ("imbriqué", "tableau") in document.tables[1]
    assert document.text.count("Participants") == 1


def test_doc_converted_by_libreoffice() -> None:
    document = extract_as("doc")
    assert_form_lines(document.text)
    assert "converti de .doc par LibreOffice" in document.notes


def test_odt_form() -> None:
    document = extract_as("odt")
    assert_form_lines(document.text)
    assert document.checkboxes == SESSIONS


def test_rtf_form_keeps_its_tables() -> None:
    document = extract_as("rtf")
    assert_form_lines(document.text)
    assert any(row[:2] == ("Dénomination", "Mairie de Saint-Médard-en-Jalles")
               for table in document.tables for row in table)  # fmt: skip


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_spreadsheet_forms(fmt: str) -> None:
    document = extract_as(fmt)
    assert document.source is Source.SPREADSHEET
    assert ("M.", "Jérôme", "DUBOIS", "j.dubois@saint-medard.fr") in document.tables[0]
    assert "Dénomination\tMairie de Saint-Médard-en-Jalles" in document.text


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(";", "cp1252"), (",", "utf-8-sig"), ("\t", "utf-8")]
)
def test_csv_participants_list(delimiter: str, encoding: str) -> None:
    data = forms.build_csv(FORM, delimiter=delimiter, encoding=encoding)
    document = only(extract_document(data, filename="liste.csv", content_type="text/plain"))
    assert document.source is Source.SPREADSHEET
    assert document.tables[0][0] == forms.PARTICIPANT_HEADER
    assert ("Mme", "Hélène", "GARNIER", "h.garnier@saint-medard.fr") in document.tables[0]


def test_text_pdf_has_lines_tables_and_signature_picture() -> None:
    document = extract_as("pdf")
    assert document.source is Source.TYPED and document.pages == 1
    assert_form_lines(document.text)
    assert "X jeudi 18 mars 2027" in document.text
    assert any(row == ("Dénomination", "Mairie de Saint-Médard-en-Jalles")
               for table in document.tables for row in table)  # fmt: skip
    assert document.has_images
    assert document.image_offsets[0] > document.text.index("Signature et cachet")


def _with_rotate(data: bytes, turn: int) -> bytes:
    """The PDF with its page turned ``turn`` degrees clockwise by its /Rotate alone."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    writer.pages[0].rotate(turn)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_pdf_page_showing_its_text_sideways_is_read_upright(turn: int) -> None:
    # A page given a quarter turn in a viewer and saved: read as it shows, each letter
    # of the form would stand on a line of its own.
    filename, content_type, data = forms.build(FORM, "pdf")
    turned = _with_rotate(data, turn)
    document = only(extract_document(turned, filename=filename, content_type=content_type))
    assert_form_lines(document.text)
    assert "X jeudi 18 mars 2027" in document.text


def test_acroform_pdf_values_come_from_fields_and_sit_next_to_labels() -> None:
    document = extract_as("acroform")
    assert document.source is Source.FORM_FIELDS
    assert ("Texte3", "Mairie de Saint-Médard-en-Jalles") in document.fields
    assert document.checkboxes == SESSIONS
    assert_form_lines(
        document.text.replace("Nombre de participants\t2", "( 2 ) x 625 Euros = 1 250,00 €")
    )
    assert "Montant total (€)\t1 250,00" in document.text


def test_html_body_text_and_tables_without_scripts() -> None:
    document = extract_html(forms.build_html(FORM))
    assert_form_lines(document.text)
    assert "alert" not in document.text and "MsoNormal" not in document.text
    assert document.checkboxes == SESSIONS
    assert ("Prénom et NOM", "Claire LEFÈVRE") in document.tables[1]


def test_html_attachment_uses_its_declared_charset() -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>Fait à Pau</p></body></html>'
    document = only(
        extract_document(html.encode("cp1252"), filename="form.htm", content_type="text/html")
    )
    assert document.text == "Fait à Pau"


def test_tnef_yields_its_attachments_and_body() -> None:
    winmail = forms.build_tnef([("inscription.docx", forms.build_docx(FORM))], body="Bonjour")
    documents = extract_document(
        winmail, filename="winmail.dat", content_type="application/ms-tnef"
    )
    assert [d.filename for d in documents] == ["inscription.docx", "winmail.dat"]
    assert all(d.ok for d in documents)
    assert_form_lines(documents[0].text)
    assert documents[1].text == "Bonjour"


def test_plain_text_attachment() -> None:
    text = "Dénomination : Mairie de Pau\r\nFait à : Pau\r\n"
    document = only(extract_document(text.encode("cp1252"), filename="form.txt", content_type=""))
    assert document.text == "Dénomination : Mairie de Pau\nFait à : Pau"


def test_pdf_with_fake_bold_reads_each_letter_once() -> None:
    """Some drivers make bold by drawing each glyph twice, a fraction of a point apart."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("Helvetica", 9)  # a space 2.5 points wide: under the default gap
    for dx in (0.0, 0.3):
        page.drawString(60 + dx, 700, "Dénomination : Mairie de Talence")
    page.drawString(60, 680, "Adresse postale : Rue Peybouquey")
    page.save()
    [document] = extract_document(out.getvalue(), filename="f.pdf", content_type="application/pdf")
    assert "Dénomination : Mairie de Talence" in document.text
    assert "Adresse postale : Rue Peybouquey" in document.text


def test_a_content_control_still_showing_word_s_prompt_is_blank() -> None:
    import io

    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    def control(text: str, *, prompt: bool) -> str:
        shown = "<w:showingPlcHdr/>" if prompt else ""
        return (f'<w:sdt {nsdecls("w")}><w:sdtPr>{shown}</w:sdtPr><w:sdtContent>'
                f"<w:r><w:t>{text}</w:t></w:r></w:sdtContent></w:sdt>")  # fmt: skip

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    for row, (label, text, prompt) in enumerate(
        [
            ("Service", "Cliquez ou appuyez ici pour entrer du texte.", True),
            ("Téléphone", "05 62 93 40 17", False),
        ]
    ):
        table.cell(row, 0).text = label
        table.cell(row, 1).paragraphs[0]._p.append(parse_xml(control(text, prompt=prompt)))
    out = io.BytesIO()
    document.save(out)
    text = only(extract_document(out.getvalue(), filename="f.docx", content_type="")).text
    assert "Cliquez" not in text
    assert "Téléphone\t05 62 93 40 17" in text


def test_a_hidden_sheet_of_drop_down_lists_is_not_read() -> None:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    form = workbook.active
    form.append(["Dénomination", "SAD Pays Basque"])
    form.append(["Mme", "Ainhoa", "ITURRALDE", "a.iturralde@fr64.org"])
    lists = workbook.create_sheet("Listes")
    lists.append(["Mme", "Marie", "EXEMPLE", "marie.exemple@structure.fr"])
    lists.sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    text = only(extract_document(out.getvalue(), filename="f.xlsx", content_type="")).text
    assert "ITURRALDE" in text and "EXEMPLE" not in text


@pytest.mark.parametrize(
    ("suffix", "main"),
    [
        (".docm", "application/vnd.ms-word.document.macroEnabled.main+xml"),
        (
            ".dotx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
        ),
    ],
)
def test_a_macro_enabled_document_or_a_template_reads_as_a_docx(suffix: str, main: str) -> None:
    import io
    import zipfile

    _, _, data = forms.build(FORM, "docx")
    renamed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as package, zipfile.ZipFile(renamed, "w") as out:
        for member in package.infolist():
            content = package.read(member)
            if member.filename == "[Content_Types].xml":
                content = content.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    b".main+xml", main.encode()
                )  # fmt: skip
            out.writestr(member, content)
    document = only(extract_document(renamed.getvalue(), filename=f"bulletin{suffix}",
                                     content_type="application/octet-stream"))  # fmt: skip
    assert_form_lines(document.text)


def test_a_line_whose_box_the_extractor_did_not_see_keeps_the_text_s_mark() -> None:
    from mailbot.understanding.sources import from_document

    text = ("Session choisie (cocher une case)\nX jeudi 18 mars 2027 de 9h30 à 17h00\n"
            "☐ vendredi 8 octobre 2027 de 9h30 à 17h00\n")  # fmt: skip
    seen = Document(filename="f.pdf", content_type="application/pdf", source=Source.TYPED,
                    text=text, checkboxes=(Checkbox("vendredi 8 octobre 2027", False),))  # fmt: skip
    assert from_document("f.pdf", seen).form.checkboxes == [
        ("jeudi 18 mars 2027 de 9h30 à 17h00", True),
        ("vendredi 8 octobre 2027", False),
    ]


def _printed_page(*lines: tuple[float, str]) -> pypdf.PdfWriter:
    """An A4 page with each text at its height, opened for changes."""
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(595, 842))
    for bottom, text in lines:
        page.drawString(60, bottom, text)
    page.save()
    return pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(out.getvalue())))


def _written(writer: pypdf.PdfWriter) -> bytes:
    import io

    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_values_typed_over_a_flat_pdf_with_acrobat_s_fill_and_sign_are_read() -> None:
    from pypdf.annotations import FreeText

    writer = _printed_page((700, "Dénomination"), (680, "Adresse postale"))
    for text, bottom in (("Mairie de Talence", 698), ("Rue Peybouquey\r33400 Talence", 670)):
        writer.add_annotation(0, FreeText(text=text, rect=(180, bottom, 400, bottom + 14)))
    [document] = extract_document(
        _written(writer), filename="f.pdf", content_type="application/pdf"
    )
    assert "Dénomination Mairie de Talence" in document.text.replace("\t", " ")
    assert "Rue Peybouquey, 33400 Talence" in document.text


def _session_boxes(pdf: bytes) -> list[tuple[float, float, float, float]]:
    """The printed session squares, in PDF coordinates (x0, y0, x1, y1), top first."""
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as plumber:
        page = plumber.pages[0]
        return [(r["x0"], page.height - r["bottom"], r["x1"], page.height - r["top"])
                for r in page.rects if r["width"] < 20]  # fmt: skip


@pytest.mark.parametrize(
    "style",
    ["x in box", "x before box", "x after date", "pen in box", "pen past box", "pen far right"],
)
def test_a_box_ticked_with_a_viewer_s_x_or_a_check_drawn_by_hand(style: str) -> None:
    import io

    from pypdf.annotations import FreeText
    from pypdf.generic import ArrayObject, FloatObject, NameObject

    unticked = tuple((label, False) for label, _ in FORM.sessions)
    pdf = forms.build_text_pdf(forms.replace(FORM, sessions=unticked))
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    ticked = 0 if style.startswith("x") else 1
    x0, y0, x1, y1 = _session_boxes(pdf)[ticked]
    if style == "x in box":  # Preview's or Fill & Sign's "X" typed in the first box
        writer.add_annotation(0, FreeText(text="X", rect=(x0, y0 - 2, x1 + 2, y1 + 2)))
    elif style == "x after date":  # ... or typed after the printed date
        writer.add_annotation(0, FreeText(text="X", rect=(x1 + 200, y0 - 2, x1 + 212, y1 + 2)))
    elif style == "x before box":  # ... or just left of the square
        writer.add_annotation(0, FreeText(text="x", rect=(x0 - 12, y0 - 2, x0 - 3, y1 + 2)))
    else:  # a check drawn with the pen tool over the second one, or past its edges
        out = 3.0 if style == "pen past box" else 0.0
        right = 40.0 if style == "pen far right" else out
        stroke = [x0 + 1 - out, y0 + 5, x0 + 4, y0 + 1 - out, x1 + right, y1 + out]
        ink = FreeText(text="", rect=(x0 - 6, y0 - 6, x1 + 6, y1 + 6))
        ink[NameObject("/Subtype")] = NameObject("/Ink")
        ink[NameObject("/InkList")] = ArrayObject([ArrayObject(FloatObject(v) for v in stroke)])
        writer.add_annotation(0, ink)
    [document] = extract_document(
        _written(writer), filename="f.pdf", content_type="application/pdf"
    )
    assert [box.checked for box in document.checkboxes] == [ticked == 0, ticked == 1]
    assert [box.label for box in document.checkboxes] == [label for label, _ in FORM.sessions]


@pytest.mark.parametrize(("mark", "remark"), [("COPIE", False), ("ANNULÉ", True)])
def test_a_watermark_printed_across_the_page_is_no_part_of_the_form(
    mark: str, remark: bool
) -> None:
    import io

    from reportlab.pdfgen import canvas

    stamp = io.BytesIO()
    page = canvas.Canvas(stamp, pagesize=(595, 842))
    page.setFillGray(0.85)
    page.setFont("Helvetica-Bold", 140)
    page.translate(150, 250)
    page.rotate(45)
    page.drawString(0, 0, mark)
    page.save()
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(forms.build_text_pdf(FORM))))
    writer.pages[0].merge_page(pypdf.PdfReader(io.BytesIO(stamp.getvalue())).pages[0])
    [document] = extract_document(
        _written(writer), filename="f.pdf", content_type="application/pdf"
    )
    assert_form_lines(document.text)
    assert mark not in document.text
    # "ANNULÉ" takes the form back: a person reads it before anything is confirmed.
    assert bool(document.remarks) is remark, document.remarks


def test_an_e_signature_certificate_page_signs_the_form_and_is_not_read_as_fields() -> None:
    import io

    import pypdf
    from reportlab.pdfgen import canvas

    from mailbot.understanding.documents.model import E_SIGNED

    form = forms.build_text_pdf(forms.replace(FORM, signatory=""), with_signature=False)
    proof = io.BytesIO()
    page = canvas.Canvas(proof)
    for row, line in enumerate(["Rapport d'audit final", "Par : Claire LEFÈVRE (c.lefevre@x.fr)",
                                "Document signé électroniquement par Claire LEFÈVRE"]):  # fmt: skip
        page.drawString(60, 780 - 20 * row, line)
    # Some proofs tick a square before each signing step: no session box of the form.
    page.rect(60, 699, 8, 8)
    page.line(61, 700, 67, 706)
    page.line(61, 706, 67, 700)
    page.drawString(74, 700, "Signé le jeudi 15 octobre 2026 à 10:42")
    page.save()
    writer = pypdf.PdfWriter()
    for data in (form, proof.getvalue()):
        writer.append(pypdf.PdfReader(io.BytesIO(data)))
    out = io.BytesIO()
    writer.write(out)
    [document] = extract_document(out.getvalue(), filename="f.pdf", content_type="application/pdf")
    assert E_SIGNED in document.notes
    assert not [box for box in document.checkboxes if "Signé" in box.label], document.checkboxes
    assert "Rapport d'audit" not in document.text and "Claire LEFÈVRE (c." not in document.text
    from pathlib import Path

    from mailbot.catalog import load_catalog
    from mailbot.understanding import understand
    from tests.factories.mails import mail

    catalog = load_catalog(Path(__file__).resolve().parents[2] / "config" / "catalog.toml")
    u = understand(
        mail("Ci-joint.", attachments=[("f.pdf", "application/pdf", out.getvalue())]), catalog
    )
    assert u.signatory is None and "unsigned" not in u.reasons, u.reasons


def test_a_pdf_drawn_glyph_by_glyph_without_spaces_keeps_its_words() -> None:
    # Some print drivers draw each glyph alone, in any order, and never a space: the
    # default gap ran a line into "InstitutdelaPerformancePublique".
    import io
    import random

    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    lines = ["Institut de la Performance Publique", "Dénomination Maison d'accueil du Val"]
    glyphs = []
    for row, line in enumerate(lines):
        x = 60.0
        for char in line:
            if char != " ":
                glyphs.append((x, 780 - 20 * row, char))
            x += stringWidth(char, "Helvetica", 9)
    random.Random(3).shuffle(glyphs)
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont("Helvetica", 9)  # a space 2.5 points wide: under the default gap
    for x, y, char in glyphs:
        page.drawString(x, y, char)
    page.save()
    (document,) = extract_document(out.getvalue(), filename="f.pdf", content_type="")
    assert document.text.splitlines() == lines


def _page_with_a_crop_box(box: tuple[float, float, float, float]) -> bytes:
    writer = _printed_page(
        (700, "Mme\tAnne-Laure\tCARRÉ\tacarre@ccas-angouleme.fr"),
        (40, "Mme\tVirginie\tBONNET\tvbonnet@ccas-angouleme.fr"),
    )
    writer.pages[0].cropbox = pypdf.generic.RectangleObject(box)
    return _written(writer)


def test_text_outside_the_crop_box_is_not_read() -> None:
    # A viewer shows the CropBox only: a row below it was never seen by the signatory.
    data = _page_with_a_crop_box((0, 100, 595, 842))
    [document] = extract_document(data, filename="f.pdf", content_type="application/pdf")
    assert "CARRÉ" in document.text
    assert "BONNET" not in document.text


def test_a_crop_box_larger_than_the_page_hides_nothing() -> None:
    data = _page_with_a_crop_box((-20, -20, 620, 870))
    [document] = extract_document(data, filename="f.pdf", content_type="application/pdf")
    assert "CARRÉ" in document.text and "BONNET" in document.text


def test_a_label_centred_beside_a_value_of_three_lines_reads_from_the_value_s_top() -> None:
    # Read as it stood, the value's first line came before the label, and the address
    # lost its street.
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(595, 842))
    page.setFont("Helvetica", 9)
    for x0, x1 in ((28, 198), (198, 567)):  # one table row: the label's cell, the value's
        page.rect(x0, 842 - 472, x1 - x0, 38)
    page.drawString(31, 842 - 457, "Adresse postale de l'organisme")
    for row, line in enumerate(("Avenue de l'Europe – Regourd", "BP 291", "46005 Cahors Cedex 9")):
        page.drawString(201, 842 - 444 - 13 * row, line)
    page.rect(28, 842 - 485, 170, 13)
    page.rect(198, 842 - 485, 369, 13)
    page.drawString(31, 842 - 482, "Courriel")
    page.drawString(201, 842 - 482, "compta@lot.fr")
    page.showPage()
    page.save()
    document = extract_document(
        out.getvalue(), filename="bulletin.pdf", content_type="application/pdf"
    )[0]
    lines = [line for line in document.text.splitlines() if line.strip()]
    at = lines.index("Adresse postale de l'organisme\tAvenue de l'Europe – Regourd")
    assert lines[at + 1 : at + 4] == ["BP 291", "46005 Cahors Cedex 9", "Courriel\tcompta@lot.fr"]


def _labels_and_values(
    rows: list[tuple[str, str]],
    label_face: tuple[str, float],
    value_face: tuple[str, float],
    overlap: float = 0.0,
) -> bytes:
    """A PDF of labels each followed, ``overlap`` points over its end, by a value in
    another face."""
    import io

    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    for row, (label, value) in enumerate(rows):
        y = 780 - 20 * row
        page.setFont(*label_face)
        page.drawString(60, y, label)
        page.setFont(*value_face)
        page.drawString(60 + stringWidth(label, *label_face) - overlap, y, value)
    page.save()
    return out.getvalue()


def test_a_value_typed_right_against_its_label_in_another_font_is_a_word_apart() -> None:
    # The value starts where the label ends, no blank between: only the change of font
    # and size tells "Dénomination" from "ADMR Fédération du Cantal".
    rows = [("Dénomination", "ADMR Fédération du Cantal"),
            ("Par (nom du signataire)", "Sandrine FAUCHER")]  # fmt: skip
    pdf = _labels_and_values(rows, ("Helvetica-Bold", 9), ("Times-Roman", 11))
    (document,) = extract_document(pdf, filename="f.pdf", content_type="")
    assert document.text.splitlines() == [
        "Dénomination\tADMR Fédération du Cantal",
        "Par (nom du signataire)\tSandrine FAUCHER",
    ]


def test_a_word_whose_letters_change_font_stays_one_word() -> None:
    # A superscript "er" in the same face, an "É" from a fallback font: one word each.
    import io

    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    pieces = [(700, [("Le 1", "Helvetica", 10, 0), ("er", "Helvetica", 6.5, 3),
                     (" octobre 2026", "Helvetica", 10, 0)]),
              (680, [("PEYR", "Helvetica", 10, 0), ("É", "Times-Roman", 10, 0),
                     (" Claire", "Helvetica", 10, 0)])]  # fmt: skip
    for y, run in pieces:
        x = 60.0
        for text, font, size, rise in run:
            page.setFont(font, size)
            page.drawString(x, y + rise, text)
            x += stringWidth(text, font, size)
    page.save()
    (document,) = extract_document(out.getvalue(), filename="f.pdf", content_type="")
    assert document.text.splitlines() == ["Le 1er octobre 2026", "PEYRÉ Claire"]


def test_a_value_printed_over_its_label_is_not_parted_by_its_font() -> None:
    # "Marion DUFAU" starts under the end of its label: parted by their fonts, the words
    # would read "… l'inscription Marion : DUFAU", a clean pair that names no one.
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont("Helvetica-Bold", 9)
    page.drawString(54, 700, "Nom du responsable de l'inscription :")
    page.setFont("Helvetica", 9)
    page.drawString(180, 700, "Marion DUFAU")
    page.save()
    (document,) = extract_document(out.getvalue(), filename="f.pdf", content_type="")
    assert "Marion : DUFAU" not in document.text
    assert "Marion DUFAU" not in document.text


def test_a_label_s_colon_printed_over_its_value_s_first_letter_stays_the_label_s() -> None:
    # The value drawn where its label's colon stands, in another typeface: read left to
    # right the colon fell inside the value ("C:entre …") and split it.
    rows = [
        ("Dénomination :", "Centre départemental"),
        ("Adresse e-mail :", "leclercq.p@cdef86.fr"),
    ]
    pdf = _labels_and_values(rows, ("Helvetica", 9), ("Courier", 10), overlap=1.5)
    (document,) = extract_document(pdf, filename="f.pdf", content_type="")
    assert document.text.splitlines() == [
        "Dénomination : Centre départemental",
        "Adresse e-mail : leclercq.p@cdef86.fr",
    ]


def test_a_flattened_form_s_zapfdingbats_tick_is_a_ticked_box() -> None:
    # Acrobat draws a check box's "square" style as ZapfDingbats "n"; flattened, the letter
    # stays on the page.
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont("ZapfDingbats", 9)
    page.drawString(60, 700, "n")
    page.setFont("Helvetica", 10)
    page.drawString(80, 700, "jeudi 18 mars 2027")
    page.drawString(80, 680, "vendredi 8 octobre 2027")
    page.save()
    (document,) = extract_document(out.getvalue(), filename="f.pdf", content_type="")
    assert document.text.splitlines()[0] == "■\tjeudi 18 mars 2027"


def _chars(text: str, x0: float, font: str, width: float = 5.0) -> list[dict[str, object]]:
    return [
        {"text": c, "x0": x0 + i * width, "x1": x0 + (i + 1) * width, "top": 100.0,
         "bottom": 110.0, "fontname": font}
        for i, c in enumerate(text)
    ]  # fmt: skip


def test_a_colon_over_a_value_s_first_letter_moves_before_it() -> None:
    from mailbot.understanding.documents.pdf import _colons_before_values

    label, value = _chars("ion :", 0, "Label"), _chars("Centre", 19, "Value")
    _colons_before_values([*label, *value])
    colon = label[-1]
    assert float(colon["x1"]) <= 19  # type: ignore[arg-type]


def test_a_colon_over_a_letter_inside_a_word_stays_where_it_is() -> None:
    # "Marion" printed over "…inscription :": the words overlap; moved, the colon would
    # cut a clean "ion DUFAU" out of the garble.
    from mailbot.understanding.documents.pdf import _colons_before_values

    label, value = _chars("ion :", 0, "Label"), _chars("Marion", 6, "Value")
    _colons_before_values([*label, *value])
    assert label[-1]["x0"] == 20.0


def test_an_odt_table_that_only_places_another_keeps_the_inner_labels_apart() -> None:
    # "ORGANISME" over a table of labels and values, both in one cell of a layout table:
    # flattened into that cell, "Nom de l'établissement" ran into its value.
    import io

    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    def table(name: str, rows: list[list[object]], columns: int) -> Table:
        built = Table(name=name)
        built.addElement(TableColumn(numbercolumnsrepeated=columns))
        for cells in rows:
            row = TableRow()
            for content in cells:
                cell = TableCell()
                cell.addElement(P(text=content) if isinstance(content, str) else content)
                row.addElement(cell)
            built.addElement(row)
        return built

    inner = table(
        "inner",
        [["Nom de l'établissement", "APAJH de la Vienne"], ["Adresse", "21 rue du Petit Tour"]],
        2,
    )
    outer = Table(name="outer")
    outer.addElement(TableColumn())
    for content in (P(text="ORGANISME"), inner):
        row, cell = TableRow(), TableCell()
        cell.addElement(content)
        row.addElement(cell)
        outer.addElement(row)
    document = OpenDocumentText()
    document.text.addElement(outer)
    out = io.BytesIO()
    document.save(out)
    (read,) = extract_document(out.getvalue(), filename="f.odt", content_type="")
    assert read.text.splitlines() == [
        "ORGANISME",
        "Nom de l'établissement\tAPAJH de la Vienne",
        "Adresse\t21 rue du Petit Tour",
    ]


def test_a_small_caps_label_is_one_word() -> None:
    # "D" then "ÉNOMINATION" a size smaller, letter-spaced: one label, "DÉNOMINATION".
    import io

    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont("Helvetica-Bold", 9)
    page.drawString(60, 700, "D")
    page.setFont("Helvetica-Bold", 7.2)
    page.drawString(60 + stringWidth("D", "Helvetica-Bold", 9) + 1.5, 700, "ÉNOMINATION")
    page.setFont("Helvetica", 10)
    page.drawString(250, 700, "ADMR Fédération du Cantal")
    page.save()
    (document,) = extract_document(out.getvalue(), filename="f.pdf", content_type="")
    assert document.text.splitlines() == ["DÉNOMINATION\tADMR Fédération du Cantal"]


def _mixed_spacing_pdf(*, word_by_word: bool) -> bytes:
    """Values typed with their spaces; the labels drawn a word at a time with no space
    between (a print driver's way), or typed; a heading spaced out letter by letter."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    size = 10
    heading = page.beginText(60, 780)
    heading.setFont("Helvetica", size)
    heading.setCharSpace(2)
    heading.textLine("ORGANISME")
    heading.setCharSpace(0)
    page.drawText(heading)
    page.setFont("Helvetica", size)
    y = 750
    for label, value in [("Adresse postale", "12 rue des Lilas, 31000 Toulouse"),
                         ("Prénom et NOM", "Anne ROUX"), ("Adresse e-mail", "a.roux@x.fr"),
                         ("Nom du signataire", "Anne ROUX"), ("Fait à", "Toulouse")]:  # fmt: skip
        x = 60.0
        for word in label.split() if word_by_word else [label]:
            page.drawString(x, y, word)
            x += stringWidth(word, "Helvetica", size) + 0.28 * size  # a blank, no space drawn
        page.drawString(220, y, value)
        y -= 20
    page.save()
    return out.getvalue()


def test_labels_drawn_word_by_word_keep_their_blanks_beside_typed_lines() -> None:
    data = _mixed_spacing_pdf(word_by_word=True)
    lines = only(extract_document(data, filename="f.pdf", content_type="")).text.splitlines()
    assert "Adresse postale\t12 rue des Lilas, 31000 Toulouse" in lines
    assert "Prénom et NOM\tAnne ROUX" in lines


def test_a_heading_spaced_out_letter_by_letter_stays_one_word() -> None:
    data = _mixed_spacing_pdf(word_by_word=False)
    lines = only(extract_document(data, filename="f.pdf", content_type="")).text.splitlines()
    assert lines[:2] == ["ORGANISME", "Adresse postale\t12 rue des Lilas, 31000 Toulouse"]
