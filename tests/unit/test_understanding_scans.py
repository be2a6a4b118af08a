"""A scanned form in a mail: the session ticked on paper is the session registered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mailbot.catalog import Catalog, load_catalog
from mailbot.understanding import understand
from mailbot.understanding.model import Kind
from tests.factories import forms
from tests.factories.mails import mail

ROOT = Path(__file__).resolve().parents[2]
MARCH = "jeudi 18 mars 2027 de 9h30 à 17h00"
OCTOBER = "vendredi 8 octobre 2027 de 9h30 à 17h00"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT / "config" / "catalog.toml")


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


def _photo(form: forms.FormData, *, shadow: bool, tilt: bool) -> bytes:
    """The printed form photographed on a dark desk: lit from one side, taken at an angle."""
    import io

    import numpy as np
    from PIL import Image

    from mailbot.understanding.documents.sheet import _coefficients

    page = forms.scanned_image(form, dpi=300, skew_deg=0.8)
    assert isinstance(page, Image.Image)
    desk = Image.new("L", (int(page.width * 1.2), int(page.height * 1.15)), 70)
    left, top = (desk.width - page.width) // 2, (desk.height - page.height) // 2
    desk.paste(page, (left, top))
    if tilt:
        # The far edge of the sheet shorter than the near one, and a little turned.
        w, h = page.width, page.height
        sheet = np.array(
            [[left, top], [left + w, top], [left + w, top + h], [left, top + h]], float
        )
        seen = sheet + np.array(
            [[0.09 * w, 0.03 * h], [-0.05 * w, 0.06 * h], [0.01 * w, 0], [-0.02 * w, 0]]
        )
        desk = desk.transform(
            desk.size, Image.Transform.PERSPECTIVE, _coefficients(seen, sheet),
            Image.Resampling.BICUBIC, fillcolor=70,
        )  # fmt: skip
    pixels = np.asarray(desk, dtype=np.float64)
    if shadow:
        rows, columns = np.mgrid[0 : desk.height, 0 : desk.width]
        pixels = pixels * (0.95 - 0.45 * (columns / desk.width) * (0.5 + 0.5 * rows / desk.height))
    out = io.BytesIO()
    Image.fromarray(np.clip(pixels + 8, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=85)
    return out.getvalue()


@pytest.mark.parametrize(
    ("shadow", "tilt"), [(True, False), (False, True), (True, True)], ids=["shadow", "tilt", "both"]
)
def test_a_phone_photo_of_the_form_on_a_desk_is_read(
    catalog: Catalog, shadow: bool, tilt: bool
) -> None:
    form = forms.sample_form()
    photo = _photo(form, shadow=shadow, tilt=tilt)
    u = understand(
        mail("Ci-joint le bulletin.", attachments=[("IMG_2041.jpg", "image/jpeg", photo)]), catalog
    )
    assert u.kind is Kind.REGISTRATION
    assert u.organisation.name == form.organisation_name
    assert [p.last_name for p in u.participants] == [p.last_name for p in form.participants]
    # An address misread on the photo may be kept only as a question to a person.
    for index, (read, written) in enumerate(zip(u.participants, form.participants, strict=True)):
        assert read.email == written.email or f"uncertain:participants[{index}].email" in u.reasons
