"""Zone reading of pen-filled forms: labels located, zones cut, values read alone, never auto."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from PIL import Image

from mailbot.understanding.documents import candidates, handwriting, ocr, totals, zones
from mailbot.understanding.documents.guards import Deadline
from mailbot.understanding.documents.lines import Word
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
    cleaned = zones.clean(crop)
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


def test_each_zone_comes_back_read_in_every_cleaning(
    page: Image.Image, scored: list[handwriting.ScoredWord]
) -> None:
    # The "Le" value of the pen-filled page, and a blank strip of paper under the form.
    layout = handwriting.locate(scored, page.width, page.height)
    written = next(label.zone for label in layout.labels if label.field is Field.SIGNED_DATE)
    blank = zones.Box(760, 3420, 2280, 3500)
    readings = zones.read_zones(
        page, [zones.Request(written, 7), zones.Request(blank, 7)], Deadline(60)
    )
    assert len(readings[0]) == len(zones.CLEANINGS)
    assert readings[1] == []  # paper only: nothing for Tesseract to invent a word from
    assert all(0 <= reading.confidence <= 100 for reading in readings[0])
    dates = candidates.first_valid(readings[0], candidates.date)
    assert dates is not None and dates.replace(" ", "") == "14/10/2026"


def _reading(*lines: str) -> zones.Reading:
    return zones.Reading(
        tuple(zones.ReadLine(text, 10.0 * i, 8.0, 50.0) for i, text in enumerate(lines))
    )


def test_cleanings_vote_word_by_word_and_the_first_breaks_ties() -> None:
    readings = [
        _reading("félène LEFEBURE"),
        _reading("Hélène LEFEBVRE"),
        _reading("Hélène LETEBVRE"),
    ]
    assert candidates.vote(readings) == ["Hélène LEFEBURE"]
    assert candidates.vote([_reading("12 rue des Acacias", "17000 La Rochelle"),
                            _reading("12 nue des Acacias", "17000 La Rochette"),
                            _reading("pi,")]) == ["12 rue des Acacias", "17000 La Rochelle"]  # fmt: skip


def test_a_value_with_a_shape_is_taken_from_the_reading_that_has_it() -> None:
    dates = [_reading("93 octobre 2026"), _reading("23 ectsbre 2026"), _reading("93 octobre 2026")]
    assert candidates.first_valid(dates, candidates.date) == "23 octobre 2026"
    assert candidates.first_valid([_reading("93 octobre 2026")], candidates.date) is None
    phones = [_reading("OA 53 45 83"), _reading("04 58 10 70 11")]
    assert candidates.first_valid(phones, candidates.phone) == "04 58 10 70 11"
    assert candidates.phone("+33 3 94 30 34 33") == "+33 3 94 30 34 33"
    assert candidates.email("helene.lefebvre @ehpad-lestilleuls.fr") == (
        "helene.lefebvre@ehpad-lestilleuls.fr"
    )
    assert candidates.email("helnelfehnegehpad-latilul.h") is None


def _formula_row(*texts: str) -> list[Word]:
    words, x = [], 100.0
    for text in texts:
        words.append(Word(text, x, x + 20 * len(text), 1000, 1040))
        x += 20 * len(text) + 15
    return words


def test_the_formula_line_gives_two_blanks_and_the_price() -> None:
    row = _formula_row("nombre", "de", "participants", "(", "9", ")", "x", "635", "euros", "=",
                       "1270", "euros")  # fmt: skip
    formula = totals.locate([row], 2480)
    assert formula is not None
    assert formula.price == Decimal("635")
    assert formula.count.left >= row[3].x1 and formula.count.right <= row[5].x0
    assert formula.brackets.left < row[3].x0 and formula.brackets.right > row[5].x1
    assert formula.total.left > row[9].x1 and formula.total.right < row[11].x0
    assert totals.locate([_formula_row("Fait", "à", "Agen")], 2480) is None


def test_count_and_total_are_the_pair_the_price_agrees_with() -> None:
    row = _formula_row("participants", "(", ")", "x", "635", "euros", "=", "euros")
    formula = totals.locate([row], 2480)
    assert formula is not None

    def line(counts: list[str], free: list[str], amounts: list[str], rows: int) -> str:
        readings = [[_reading(t) for t in counts], [_reading(t) for t in free],
                    [_reading(t) for t in amounts]]  # fmt: skip
        added, cleared = totals.read(formula, readings, rows)
        assert len(cleared) == len(added)
        return " ".join(word.text for word in sorted(added, key=lambda w: w.x0))

    # "2" misread as "9" by two cleanings, but 2 x 635 is the total read.
    assert line(["(9)", "(2)", "(9)"], [], ["1270.00", "1270.00"], 2) == "( 2 ) 1270,00"
    # No count read at all: the table's two participants and the total agree.
    assert line([], [], ["1270.00"], 2) == "( 2 ) 1270,00"
    # A pen "1" is a bare stroke, read "|" when letters are allowed.
    assert line([], ["| '"], ["635,00"], 1) == "( 1 ) 635,00"
    # A writer's slip stays as read: nothing agrees, each blank keeps its reading.
    assert line(["(3)"], [], ["1270"], 0) == "( 3 ) 1270,00"


def test_thickening_pen_strokes_is_pillows_square_minimum_filter() -> None:
    import numpy as np
    from PIL import Image, ImageFilter

    from mailbot.understanding.documents.zones import _grown

    rng = np.random.default_rng(7)
    for shape in [(40, 90), (5, 3), (1, 7), (240, 700)]:
        ink = rng.random(shape) < 0.06
        picture = Image.fromarray(np.where(ink, 0, 255).astype(np.uint8), mode="L")
        expected = np.asarray(picture.filter(ImageFilter.MinFilter(3))) == 0
        assert (_grown(ink) == expected).all()
        five = np.asarray(picture.filter(ImageFilter.MinFilter(5))) == 0
        assert (_grown(ink, reach=2) == five).all()
