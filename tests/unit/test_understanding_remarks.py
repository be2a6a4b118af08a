"""What a person left on a document for its reader — a Word comment, a PDF sticky note or
struck-out text, a field drawn with another value than it holds — waits for a person; files
carried inside a PDF are read as attachments."""

from __future__ import annotations

import io

import docx
import pypdf
import pytest
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.documents import extract_document
from mailbot.understanding.model import Decision
from tests.factories.forms import (
    Participant,
    build_acroform_pdf,
    build_docx,
    build_text_pdf,
    sample_form,
)
from tests.factories.mails import mail

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def registration(filename: str, content_type: str, data: bytes, catalog: Catalog):  # type: ignore[no-untyped-def]
    raw = mail("Bonjour,\nci-joint notre bulletin d'inscription.",
               attachments=[(filename, content_type, data)])  # fmt: skip
    return understand(raw, catalog)


def commented_docx(remark: str | None) -> bytes:
    word = docx.Document(io.BytesIO(build_docx(sample_form())))
    if remark is not None:
        paragraph = next(p for p in word.paragraphs if p.runs)
        word.add_comment(paragraph.runs, text=remark, author="Nadia")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def test_a_word_comment_is_read_before_confirming(catalog: Catalog) -> None:
    remark = "Merci d'indiquer notre n° d'engagement 2026-118 sur la facture"
    u = registration("bulletin.docx", DOCX, commented_docx(remark), catalog)
    assert u.decision is Decision.REVIEW and u.reasons == ("document_remark",)
    assert u.remarks == (f"commentaire de Nadia : {remark}",)
    clean = registration("bulletin.docx", DOCX, commented_docx(None), catalog)
    assert clean.decision is Decision.AUTO and clean.remarks == ()


def annotated(pdf: bytes, subtype: str, contents: str = "") -> bytes:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    writer = pypdf.PdfWriter(clone_from=reader)
    note = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject(subtype),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (400, 700, 420, 720)]),
        NameObject("/Contents"): TextStringObject(contents),
    })  # fmt: skip
    writer.add_annotation(0, note)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("subtype", "contents", "remark"),
    [("/Text", "Ne pas facturer Mme GARNIER avant accord", "note page 1 : Ne pas facturer Mme GARNIER avant accord"),
     ("/StrikeOut", "", "texte barré page 1")],
)  # fmt: skip
def test_a_pdf_note_or_struck_text_is_read_before_confirming(
    catalog: Catalog, subtype: str, contents: str, remark: str
) -> None:
    pdf = annotated(build_text_pdf(sample_form()), subtype, contents)
    u = registration("bulletin.pdf", "application/pdf", pdf, catalog)
    assert u.decision is Decision.REVIEW and u.reasons == ("document_remark",)
    assert u.remarks == (remark,)


def test_an_empty_sticky_note_or_typed_text_is_no_remark(catalog: Catalog) -> None:
    pdf = annotated(build_text_pdf(sample_form()), "/Text")
    assert registration("bulletin.pdf", "application/pdf", pdf, catalog).decision is Decision.AUTO


def redrawn(pdf: bytes, field_value: str, shown: str, *, need_appearances: bool) -> bytes:
    """The e-mail field of the first participant holding ``field_value`` while its drawing
    shows ``shown``, as a tool that sets /V without redrawing leaves it."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    for reference in writer.pages[0]["/Annots"]:
        widget = reference.get_object()
        if widget.get("/V") == field_value:
            widget[NameObject("/V")] = TextStringObject(field_value.replace("h.", "helene."))
            stream = pypdf.generic.DecodedStreamObject()
            stream.set_data(f"/Tx BMC BT /Helv 9 Tf 2 4 Td ({shown}) Tj ET EMC".encode())
            widget[NameObject("/AP")] = DictionaryObject(
                {NameObject("/N"): writer._add_object(stream)}
            )
    writer._root_object["/AcroForm"][NameObject("/NeedAppearances")] = pypdf.generic.BooleanObject(
        need_appearances
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_field_drawn_with_another_value_than_it_holds_waits(catalog: Catalog) -> None:
    pdf = build_acroform_pdf(sample_form())
    address = sample_form().participants[0].email
    stale = redrawn(pdf, address, address, need_appearances=False)
    [document] = extract_document(stale, filename="f.pdf", content_type="application/pdf")
    assert (
        len(document.remarks) == 1
        and "affiche « h.garnier@saint-medard.fr »" in document.remarks[0]
    )
    u = registration("bulletin.pdf", "application/pdf", stale, catalog)
    assert u.decision is Decision.REVIEW and "document_remark" in u.reasons
    # /NeedAppearances: the viewer draws the value anew, the old drawing is never seen.
    fresh = redrawn(pdf, address, address, need_appearances=True)
    [document] = extract_document(fresh, filename="f.pdf", content_type="application/pdf")
    assert document.remarks == ()


def test_the_form_carried_inside_a_pdf_is_read(catalog: Catalog) -> None:
    cover = pypdf.PdfWriter()
    cover.add_blank_page(width=595, height=842)
    form = sample_form(participants=(Participant("Mme", "Léa", "ROUX", "l.roux@saint-medard.fr"),),
                       declared_count="1", declared_total="625,00")  # fmt: skip
    cover.add_attachment("bulletin.docx", build_docx(form))
    out = io.BytesIO()
    cover.write(out)
    u = registration("bordereau.pdf", "application/pdf", out.getvalue(), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert [(p.first_name, p.last_name) for p in u.participants] == [("Léa", "ROUX")]


def test_a_signature_drawn_over_the_pdf_signs_it(catalog: Catalog) -> None:
    # Acrobat's "Remplir et signer": "Par" left empty, the signature an ink annotation.
    pdf = build_text_pdf(sample_form(signatory=""), with_signature=False)
    unsigned = registration("bulletin.pdf", "application/pdf", pdf, catalog)
    assert unsigned.reasons == ("unsigned",)
    signed = registration("bulletin.pdf", "application/pdf", annotated(pdf, "/Ink"), catalog)
    assert signed.decision is Decision.AUTO and signed.signed_or_stamped, signed.reasons


def overdrawn(pdf: bytes, draw) -> bytes:  # type: ignore[no-untyped-def]
    """The PDF with vector paths drawn by ``draw(canvas)`` over its first page."""
    from reportlab.pdfgen import canvas

    layer = io.BytesIO()
    sheet = canvas.Canvas(layer)
    draw(sheet)
    sheet.save()
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    writer.pages[0].merge_page(pypdf.PdfReader(layer).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _wave(sheet) -> None:  # type: ignore[no-untyped-def]
    # A signature as one smooth open path of two bends.
    path = sheet.beginPath()
    path.moveTo(220, 280)
    path.curveTo(235, 320, 250, 255, 265, 295)
    path.curveTo(275, 315, 285, 265, 310, 285)
    sheet.drawPath(path, stroke=1, fill=0)


def _lettered_stamp(sheet) -> None:  # type: ignore[no-untyped-def]
    # A stamp drawn as small text set at a slant, as a vector stamp tool does.
    sheet.saveState()
    sheet.translate(150, 280)
    sheet.rotate(8)
    sheet.setFont("Helvetica-Bold", 7)
    sheet.drawCentredString(0, 8, "IME LES HIRONDELLES")
    sheet.drawCentredString(0, -2, "59300 VALENCIENNES")
    sheet.restoreState()


def _watermark(sheet) -> None:  # type: ignore[no-untyped-def]
    sheet.saveState()
    sheet.translate(300, 420)
    sheet.rotate(45)
    sheet.setFont("Helvetica-Bold", 60)
    sheet.drawCentredString(0, 0, "SPECIMEN")
    sheet.restoreState()


@pytest.mark.parametrize(
    "draw",
    [
        # A round stamp: two rings (the signing block is at about y 320-360 on this page).
        lambda sheet: (sheet.circle(150, 280, 40), sheet.circle(150, 280, 33)),
        # A signature: three strokes that cross, as Acrobat's flattened "Fill & Sign" draws.
        lambda sheet: (sheet.bezier(220, 280, 250, 320, 280, 240, 330, 295),
                       sheet.bezier(230, 300, 260, 260, 300, 300, 320, 270),
                       sheet.line(215, 262, 340, 266)),
        _wave,
        _lettered_stamp,
    ],
    ids=["stamp", "signature", "wave", "lettered-stamp"],
)  # fmt: skip
def test_a_stamp_or_signature_drawn_as_vector_paths_signs_the_pdf(catalog: Catalog, draw) -> None:  # type: ignore[no-untyped-def]
    pdf = build_text_pdf(sample_form(signatory=""), with_signature=False)
    signed = registration("bulletin.pdf", "application/pdf", overdrawn(pdf, draw), catalog)
    assert signed.decision is Decision.AUTO and signed.signed_or_stamped, signed.reasons


@pytest.mark.parametrize(
    "draw",
    [
        lambda sheet: sheet.roundRect(20, 20, 555, 800, 12),  # a page border
        lambda sheet: sheet.bezier(140, 290, 143, 284, 146, 286, 152, 297),  # a tick
        lambda sheet: sheet.roundRect(100, 230, 240, 100, 10),  # an empty box to sign in
        lambda sheet: sheet.circle(150, 280, 38),  # an empty circle for the stamp
        # The organisation's round badge in the page's foot: a logo, not a stamp.
        lambda sheet: (sheet.circle(500, 50, 22), sheet.circle(500, 50, 16)),
    ],
    ids=["frame", "tick", "box", "circle", "footer-badge"],
)
def test_a_frame_a_tick_an_empty_box_or_a_logo_does_not_sign_the_pdf(
    catalog: Catalog, draw
) -> None:  # type: ignore[no-untyped-def]
    pdf = build_text_pdf(sample_form(signatory=""), with_signature=False)
    u = registration("bulletin.pdf", "application/pdf", overdrawn(pdf, draw), catalog)
    assert u.reasons == ("unsigned",) and not u.signed_or_stamped


def _sideways_reference(sheet) -> None:  # type: ignore[no-untyped-def]
    # A form's reference printed up the margin beside the signing block: no stamp.
    sheet.saveState()
    sheet.translate(560, 250)
    sheet.rotate(90)
    sheet.setFont("Helvetica", 7)
    sheet.drawString(0, 0, "Réf. BI-2026-v3")
    sheet.restoreState()


def test_text_up_the_margin_does_not_sign_the_pdf(catalog: Catalog) -> None:
    pdf = build_text_pdf(sample_form(signatory=""), with_signature=False)
    u = registration(
        "bulletin.pdf", "application/pdf", overdrawn(pdf, _sideways_reference), catalog
    )
    assert "unsigned" in u.reasons and not u.signed_or_stamped


def test_a_watermark_across_the_page_does_not_sign_the_pdf(catalog: Catalog) -> None:
    # Text set at a slant like a stamp's, but far wider than a stamp.
    pdf = build_text_pdf(sample_form(signatory=""), with_signature=False)
    u = registration("bulletin.pdf", "application/pdf", overdrawn(pdf, _watermark), catalog)
    assert "unsigned" in u.reasons and not u.signed_or_stamped


def _lettered_ring(colour: tuple[float, float, float]):  # type: ignore[no-untyped-def]
    # A round stamp whose small lettering runs across the "Par" line (baseline at about
    # y 367.5 on this page), a point and a half above the line's own letters.
    def draw(sheet) -> None:  # type: ignore[no-untyped-def]
        sheet.setStrokeColorRGB(*colour)
        sheet.setFillColorRGB(*colour)
        sheet.circle(410, 362, 30)
        sheet.setFont("Helvetica", 7)
        sheet.drawString(372, 369, "CENTRE COMMUNAL D'ACTION SOCIALE")

    return draw


SIGNER = "Le Président, Jean-Yves PRIGENT"


def test_a_stamp_s_lettering_in_its_ring_s_ink_is_no_part_of_the_signer(catalog: Catalog) -> None:
    pdf = build_text_pdf(sample_form(signatory=SIGNER), with_signature=False)
    u = registration(
        "bulletin.pdf", "application/pdf", overdrawn(pdf, _lettered_ring((0.2, 0.3, 0.7))), catalog
    )
    assert u.decision is Decision.AUTO, u.reasons
    assert u.signatory == SIGNER and u.signed_or_stamped
    # Signed by the stamp alone: "Par" left blank, the ring and its words sign it.
    blank = build_text_pdf(sample_form(signatory=""), with_signature=False)
    stamped = registration(
        "bulletin.pdf",
        "application/pdf",
        overdrawn(blank, _lettered_ring((0.8, 0.1, 0.1))),
        catalog,
    )
    assert stamped.decision is Decision.AUTO and stamped.signed_or_stamped, stamped.reasons
    assert stamped.signatory is None


def test_black_lettering_set_across_the_signer_s_line_is_for_a_person(catalog: Catalog) -> None:
    # In the page's own black, nothing tells the stamp's words from the signer's: the
    # line would read "… PRIGENT CENTRE COMMUNAL …". Their size and baseline show it.
    pdf = build_text_pdf(sample_form(signatory=SIGNER), with_signature=False)
    u = registration(
        "bulletin.pdf", "application/pdf", overdrawn(pdf, _lettered_ring((0, 0, 0))), catalog
    )
    assert u.decision is Decision.REVIEW and "document_remark" in u.reasons
    assert any("CENTRE COMMUNAL" in remark for remark in u.remarks)
