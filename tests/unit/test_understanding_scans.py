"""A scanned form in a mail: the session ticked on paper is the session registered."""

from __future__ import annotations

import datetime as dt

import pytest

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.model import Kind
from tests.factories import forms
from tests.factories.mails import mail

MARCH = "jeudi 18 mars 2027 de 9h30 à 17h00"
OCTOBER = "vendredi 8 octobre 2027 de 9h30 à 17h00"


def test_session_ticked_by_pen_on_a_scanned_saad_form(catalog: Catalog) -> None:
    form = forms.sample_form(sessions=((MARCH, False), (OCTOBER, True)))
    scan = forms.build_scanned_pdf(form, tick_style="pen")
    u = understand(
        mail(
            "Ci-joint notre bulletin d'inscription.",
            attachments=[("scan.pdf", "application/pdf", scan)],
        ),
        catalog,
    )
    assert u.kind is Kind.REGISTRATION
    assert u.session is not None
    assert (u.session.webinar_id, u.session.date) == ("cpom-saad", dt.date(2027, 10, 8))
    assert "no_session_chosen" not in u.reasons and "several_sessions_chosen" not in u.reasons


def test_a_signing_date_written_on_a_scan_but_not_read_as_a_date_is_checked_by_a_person(
    catalog: Catalog,
) -> None:
    # OCR reads "17/11/2026" as "1711/2026" on a phone photo: the date was there, unread.
    form = forms.sample_form(signed_date="1711/2026")
    scan = forms.build_scan(form, dpi=300)
    u = understand(
        mail("Ci-joint notre bulletin.", attachments=[("scan.png", "image/png", scan)]), catalog
    )
    assert u.kind is Kind.REGISTRATION
    assert u.signed_date is None
    assert "uncertain:signed_date" in u.reasons
    assert u.decision.value == "review"


@pytest.mark.parametrize(
    ("shadow", "tilt"), [(True, False), (False, True), (True, True)], ids=["shadow", "tilt", "both"]
)
def test_a_phone_photo_of_the_form_on_a_desk_is_read(
    catalog: Catalog, shadow: bool, tilt: bool
) -> None:
    form = forms.sample_form()
    photo = forms.phone_photo(form, shadow=shadow, tilt=tilt)
    u = understand(
        mail("Ci-joint le bulletin.", attachments=[("IMG_2041.jpg", "image/jpeg", photo)]), catalog
    )
    assert u.kind is Kind.REGISTRATION
    assert u.organisation.name == form.organisation_name
    assert [p.last_name for p in u.participants] == [p.last_name for p in form.participants]
    # An address misread on the photo may be kept only as a question to a person.
    for index, (read, written) in enumerate(zip(u.participants, form.participants, strict=True)):
        assert read.email == written.email or f"uncertain:participants[{index}].email" in u.reasons


def _typed_and_scanned(typed: forms.FormData, scanned: forms.FormData) -> bytes:
    return mail(
        "Ci-joint notre bulletin, et sa version signée.",
        attachments=[
            ("bulletin.pdf", "application/pdf", forms.build_text_pdf(typed)),
            ("bulletin signé.png", "image/png", forms.build_scan(scanned, dpi=300)),
        ],
    )


def test_a_typed_form_and_its_signed_scan_are_one_form(catalog: Catalog) -> None:
    form = forms.sample_form()
    u = understand(_typed_and_scanned(form, form), catalog)
    assert u.kind is Kind.REGISTRATION
    assert "several_forms" not in u.reasons
    assert {p.email for p in u.participants} == {p.email for p in form.participants}


def test_the_scan_of_another_form_beside_a_typed_one_is_a_second_form(catalog: Catalog) -> None:
    typed = forms.sample_form()
    other = forms.sample_form(
        participants=(forms.Participant("Mme", "Laure", "VIDAL", "l.vidal@saint-medard.fr"),),
        declared_count="1",
        declared_total="625,00",
    )
    u = understand(_typed_and_scanned(typed, other), catalog)
    assert u.reasons == ("several_forms",)


def test_a_searchable_scan_is_read_from_its_picture_not_from_its_hidden_ocr_text() -> None:
    # A copier's "searchable PDF": the page is a picture, and its own OCR's words lie
    # invisibly over it, slips included. We read the picture ourselves.
    import io

    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from mailbot.understanding.documents import Source, extract_document

    form = forms.sample_form()
    image = forms.scanned_image(form, skew_deg=0)
    assert isinstance(image, Image.Image)
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.drawImage(ImageReader(image), 0, 0, *A4)
    hidden = page.beginText(60, 700)
    hidden.setTextRenderMode(3)
    hidden.textLine("Adresse e-mail ernilie.rnarmin@saint-rnedard.fr")
    hidden.textLine("Mme Hélène GARNlER h.garnier@saint-rnedard.fr " * 3)
    page.drawText(hidden)
    page.save()
    [document] = extract_document(
        out.getvalue(), filename="doc.pdf", content_type="application/pdf"
    )
    assert document.source is Source.OCR
    assert "rnarmin" not in document.text
    assert form.manager_email in document.text


@pytest.mark.parametrize(
    ("name", "dpi"),
    [
        ("APF France handicap – Délégation des Landes", 300),
        ("APF France handicap – Délégation des Landes", 200),
        ("Fédération ADMR - Service qualité", 300),
        ("Union départementale — Pôle enfance", 300),
    ],
    ids=["en-dash-300", "en-dash-200", "hyphen", "em-dash"],
)
def test_a_scanned_dash_between_words_keeps_the_length_it_was_typed_with(
    catalog: Catalog, name: str, dpi: int
) -> None:
    # Tesseract reads an en dash as a hyphen: the name would go out wrong on the invoice.
    form = forms.sample_form(organisation_name=name)
    scan = forms.build_scan(form, dpi=dpi)
    u = understand(
        mail("Ci-joint notre bulletin.", attachments=[("scan.png", "image/png", scan)]), catalog
    )
    assert u.kind is Kind.REGISTRATION
    assert u.organisation.name == name
    assert "uncertain:organisation.name" not in u.reasons
