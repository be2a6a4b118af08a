"""HTML-only bodies as Outlook writes them: one <p> per line, tabs as mso-tab-count spans."""

from __future__ import annotations

import html as html_escape

import pytest

from mailbot.catalog import Catalog
from mailbot.understanding import understand
from mailbot.understanding.documents.html import html_to_text
from mailbot.understanding.model import Decision
from tests.factories.forms import build_html, sample_form
from tests.factories.mails import BODY_FORM, mail

_TAB = "<span style='mso-tab-count:1'>&nbsp;&nbsp;&nbsp;&nbsp; </span>"


# The body form for the SAAD webinar, its session left for the test to choose.
SAAD_FORM = (
    BODY_FORM.replace(
        "Web-séminaire : Les CPOM des établissements et services de l'ASE",
        "Web-séminaire : Mettre en place un CPOM dans le secteur de l'aide à domicile",
    )
    .replace("Date : jeudi 26 novembre 2026 de 9h30 à 17h00\n", "")
    .replace("1 270,00", "1 250,00")
)


def outlook_paragraphs(text: str) -> str:
    """The HTML Outlook sends for a typed text: each line a <p>, indents as &nbsp;."""
    paragraphs = []
    for line in text.splitlines():
        body = html_escape.escape(line.lstrip(" "), quote=False).replace("\t", _TAB)
        indent = "&nbsp;" * (len(line) - len(line.lstrip(" ")))
        paragraphs.append(f"<p class=MsoNormal>{indent + body or '&nbsp;'}<o:p></o:p></p>")
    return (
        "<html><body lang=FR><div class=WordSection1>\n"
        + "\n".join(paragraphs)
        + "\n</div></body></html>"
    )


def test_consecutive_paragraphs_are_consecutive_lines() -> None:
    text = html_to_text(
        "<p>a</p>\n<p>b</p>\n<p>&nbsp;</p>\n<div>c</div><div><br></div><div>d</div>"
    )
    assert text.split("\n") == ["a", "b", "", "c", "", "d"]


def test_outlook_tab_spans_separate_cells() -> None:
    assert html_to_text(f"<p>Nom{_TAB}Prénom</p>") == "Nom\tPrénom"


def test_an_address_on_several_outlook_paragraphs_is_read_whole(catalog: Catalog) -> None:
    # A blank line between an address's lines used to end the value after its
    # first line, and the form went out automatically with half an address.
    u = understand(mail(html=outlook_paragraphs(BODY_FORM)), catalog)
    assert u.organisation is not None
    assert u.organisation.address == "1 esplanade Charles de Gaulle, CS 71223, 33074 Bordeaux Cedex"
    assert u.decision is Decision.AUTO, u.reasons


def test_a_tab_separated_participant_list_in_outlook_html_is_read(catalog: Catalog) -> None:
    pasted = BODY_FORM.replace(
        "1. M. Paul MARTIN - paul.martin@gironde.fr\n"
        "2. Mme Hélène DE LA FONTAINE - h.delafontaine@gironde.fr",
        "Civilité\tPrénom\tNom\tAdresse e-mail\n"
        "M.\tPaul\tMARTIN\tpaul.martin@gironde.fr\n"
        "Mme\tHélène\tDE LA FONTAINE\th.delafontaine@gironde.fr",
    )
    u = understand(mail(html=outlook_paragraphs(pasted)), catalog)
    assert [(p.first_name, p.last_name) for p in u.participants] == [
        ("Paul", "MARTIN"),
        ("Hélène", "DE LA FONTAINE"),
    ]
    assert u.decision is Decision.AUTO, u.reasons


@pytest.mark.parametrize(
    "cell",
    [
        "☐ jeudi 18 mars 2027<br>☒ vendredi 8 octobre 2027",
        "[ ] jeudi 18 mars 2027 [X] vendredi 8 octobre 2027",
        "_ jeudi 18 mars 2027<br>X vendredi 8 octobre 2027",
    ],
)
def test_both_session_boxes_in_one_table_cell(catalog: Catalog, cell: str) -> None:
    # One cell, one line of text ("☐ jeudi …, ☒ vendredi …"): each box is its own choice.
    table = f"<table><tr><td>Session choisie :</td><td>{cell}</td></tr></table>"
    u = understand(mail(html=table + outlook_paragraphs(SAAD_FORM)), catalog)
    assert u.session is not None and u.session.date.isoformat() == "2027-10-08", u.reasons
    assert u.decision is Decision.AUTO, u.reasons


def test_a_long_run_of_blank_spans_still_separates_paragraphs() -> None:
    # The look-back for the last visible text is bounded (hostile bodies stay linear).
    text = html_to_text("<p>a</p>" + "<span> </span>" * 500 + "<p>b</p>")
    assert [line for line in text.split("\n") if line.strip()] == ["a", "b"]


def test_a_body_that_is_only_a_link_is_read_without_a_warning() -> None:
    import warnings

    from mailbot.understanding.documents.html import extract_html

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        link = "https://www.ipp.fr/inscription"
        assert extract_html(link).text.strip() == link


def test_a_mail_laid_out_in_a_table_is_read_line_by_line(catalog: Catalog) -> None:
    # Templates and signatures wrap the whole body in one cell: its lines are not one value.
    lines = "<br>\n".join(
        f"<span style='font-family:Calibri'>{html_escape.escape(line)}</span>"
        for line in BODY_FORM.splitlines()
    )
    u = understand(mail("", html=f"<table><tr><td>{lines}</td></tr></table>"), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert [p.last_name for p in u.participants] == ["MARTIN", "DE LA FONTAINE"]


def test_a_form_table_inside_a_layout_table_keeps_its_rows(catalog: Catalog) -> None:
    page = (
        "<table width=600><tr><td><p>Bonjour, voici notre inscription.</p>"
        f"{build_html(sample_form())}<p>Cordialement</p></td></tr></table>"
    )
    u = understand(mail("", html=page, date="Mon, 12 Oct 2026 10:00:00 +0200"), catalog)
    assert u.decision is Decision.AUTO, u.reasons
    assert u.organisation is not None
    assert u.organisation.address == "Place de la République, CS 60010, 33160 Saint-Médard"


def test_a_value_cell_on_two_lines_stays_one_value() -> None:
    row = "<table><tr><td>Adresse postale</td><td>1 rue X<br>33000 Bordeaux</td></tr></table>"
    assert html_to_text(row) == "Adresse postale\t1 rue X, 33000 Bordeaux"


def test_session_boxes_outlook_draws_in_wingdings_choose_the_session(catalog: Catalog) -> None:
    symbol = "<span style='font-family:Wingdings;mso-char-type:symbol'>{}</span>"
    boxes = (
        f"<p class=MsoNormal>{symbol.format('&uml;')}&nbsp; jeudi 18 mars 2027</p>"
        f"<p class=MsoNormal>{symbol.format('&thorn;')}&nbsp; vendredi 8 octobre 2027</p>"
    )
    u = understand(mail(html=boxes + outlook_paragraphs(SAAD_FORM)), catalog)
    assert u.session is not None and u.session.date.isoformat() == "2027-10-08", u.reasons
    assert u.decision is Decision.AUTO, u.reasons


def test_a_session_table_ticked_in_its_last_column_beside_outlook_s_text_part(
    catalog: Catalog,
) -> None:
    # Outlook sends both parts; its text part runs a cell's lines into one ("15 rue …
    # CS 40019 45010 Orléans"), and the March row's empty "Choix" cell is no prose asking
    # for March.
    rows = [("Session", "Choix"), ("jeudi 18 mars 2027 de 9h30 à 17h00", ""),
            ("vendredi 8 octobre 2027 de 9h30 à 17h00", "✓")]  # fmt: skip
    sessions = "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in rows)
    address = "<tr><td>Adresse postale</td><td>15 rue Eugène Vignat<br>CS 40019<br>45010 Orléans</td></tr>"
    form = SAAD_FORM.replace(
        "Adresse postale : 1 esplanade Charles de Gaulle\n                  CS 71223\n"
        "                  33074 Bordeaux Cedex\n",
        "",
    )
    html = (f"<p>Session choisie</p><table>{sessions}</table><table>{address}</table>"
            + outlook_paragraphs(form))  # fmt: skip
    plain = (
        "Session choisie\nSession\tChoix\njeudi 18 mars 2027 de 9h30 à 17h00\t\n"
        "vendredi 8 octobre 2027 de 9h30 à 17h00\t✓\n"
        "Adresse postale\t15 rue Eugène Vignat CS 40019 45010 Orléans\n" + form
    )
    u = understand(mail(plain, html=html), catalog)
    assert u.session is not None and u.session.date.isoformat() == "2027-10-08", u.reasons
    assert u.organisation is not None
    assert u.organisation.address == "15 rue Eugène Vignat, CS 40019, 45010 Orléans"
    assert u.decision is Decision.AUTO, u.reasons


def test_a_body_and_an_html_attachment_read_alike() -> None:
    # One renderer for both: a tick box drawn as an <input>, Office's processing
    # instructions and a table row come out the same whichever way the HTML came.
    from mailbot.understanding.documents.html import extract_html

    page = (
        '<?xml:namespace prefix = o ns = "urn:schemas-microsoft-com:office:office" />'
        "<p><input type=checkbox checked> jeudi 18 mars 2027</p>"
        "<p><input type=checkbox> vendredi 8 octobre 2027</p>"
        "<table><tr><td>Dénomination</td><td>CCAS de Pau</td></tr></table>"
    )
    expected = "☒ jeudi 18 mars 2027\n☐ vendredi 8 octobre 2027\nDénomination\tCCAS de Pau"
    assert html_to_text(page) == expected
    document = extract_html(page)
    assert document.text == expected
    assert [(box.label, box.checked) for box in document.checkboxes] == [
        ("jeudi 18 mars 2027", True),
        ("vendredi 8 octobre 2027", False),
    ]


_NO_SIGNER = BODY_FORM.replace("Par : La Directrice générale, Anne ROUX", "Par :")


@pytest.mark.parametrize(
    ("after_label", "signed"),
    [
        ("<p><img src='cid:cachet' width='100' height='100' alt='Cachet'></p>", True),
        # A logo in the writer's signature, after her name: no stamp on the form.
        ("<p>Cordialement,</p><p>Anne ROUX</p><p><img src='cid:logo'></p>", False),
        ("<p><img src='https://x.example/t.gif' width='1' height='1'></p>", False),
    ],
)
def test_a_stamp_pasted_after_the_signing_label_signs_a_body_form(
    catalog: Catalog, after_label: str, signed: bool
) -> None:
    body = outlook_paragraphs(_NO_SIGNER + "\nSignature et cachet :").replace(
        "</div></body>", after_label + "</div></body>"
    )
    u = understand(mail(html=body), catalog)
    assert ("unsigned" in u.reasons) is not signed, u.reasons
