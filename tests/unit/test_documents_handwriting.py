"""Zone reading of pen-filled forms: labels located, zones cut, values read alone, never auto."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from mailbot.understanding.documents import handwriting, ocr
from mailbot.understanding.documents.guards import Deadline
from mailbot.understanding.documents.rules import erase_rules
from mailbot.understanding.labels import Field
from tests.factories.forms import pen_filled_page, sample_form


@pytest.fixture(scope="module")
def page() -> Image.Image:
    picture = pen_filled_page(sample_form())
    assert isinstance(picture, Image.Image)
    return picture


@pytest.fixture(scope="module")
def scored(page: Image.Image) -> list[handwriting.ScoredWord]:
    _words, _confidences, scored = ocr._words(erase_rules(page), Deadline(30))
    return scored


def test_labels_of_the_form_are_located_with_a_zone_right_of_each(
    page: Image.Image, scored: list[handwriting.ScoredWord]
) -> None:
    layout = handwriting.locate(scored, page.width, page.height)
    fields = {label.field for label in layout.labels}
    assert {Field.ORG_NAME, Field.ADDRESS, Field.MANAGER_EMAIL, Field.MANAGER_NAME,
            Field.SERVICE, Field.PHONE, Field.SIGNED_DATE, Field.SIGNATORY} <= fields  # fmt: skip
    for label in layout.labels:
        assert label.zone.left > max(w.x1 for w in label.words)  # the label is not in its zone
        assert label.zone.top < label.words[0].top < label.zone.bottom
    # "Organisme-client" is a heading: the name is read next to "Dénomination".
    name = next(label for label in layout.labels if label.field is Field.ORG_NAME)
    assert name.text.startswith("Dénomination")
    # Zones do not overlap the next label's row: the address stops above "Adresse e-mail".
    address = next(label for label in layout.labels if label.field is Field.ADDRESS)
    email = next(label for label in layout.labels if label.field is Field.MANAGER_EMAIL)
    assert address.zone.bottom < email.words[0].top


def test_participant_columns_follow_the_header(
    page: Image.Image, scored: list[handwriting.ScoredWord]
) -> None:
    layout = handwriting.locate(scored, page.width, page.height)
    assert [c.field for c in layout.columns] == [
        Field.CIVILITY, Field.FIRST_NAME, Field.LAST_NAME, Field.EMAIL,
    ]  # fmt: skip
    lefts = [c.zone.left for c in layout.columns]
    assert lefts == sorted(lefts)
    assert all(c.zone.top > max(w.bottom for w in layout.header) for c in layout.columns)


def test_cleaned_zone_is_black_on_white_and_larger(page: Image.Image) -> None:
    crop = page.crop((760, 1000, 2280, 1120))
    cleaned = handwriting.clean(crop)
    assert cleaned.width >= crop.width * 2
    assert set(np.unique(np.asarray(cleaned)).tolist()) <= {0, 255}


def test_values_are_read_zone_by_zone_and_put_next_to_their_label(
    page: Image.Image, scored: list[handwriting.ScoredWord]
) -> None:
    words = handwriting.read_page(page, scored, Deadline(60))
    assert words is not None
    text = ocr.text_of(ocr.build_lines(words))
    assert "14/10/2026" in text.replace(" ", "")
    assert any(line.startswith("Le\t") for line in text.splitlines())
    assert any(line.startswith("Dénomination\t") and "Médard" in line for line in text.splitlines())


def test_a_page_read_by_zones_keeps_the_document_handwritten() -> None:
    # Even when every word looks confident, the zone-read values must go to a person.
    page = ocr.OcrPage(text="x", confidences=(95.0,) * 40, handwritten=True)
    typed = ocr.OcrPage(text="y", confidences=(95.0,) * 40)
    assert ocr.summarize([typed, page]) == (95.0, True)
    assert ocr.summarize([typed]) == (95.0, False)
