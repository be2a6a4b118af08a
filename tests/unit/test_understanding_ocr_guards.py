"""Values read by OCR that are likely misread are sent to a person, not answered automatically."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mailbot.understanding.form_reader import read_rows, text_rows
from mailbot.understanding.labels import Field
from mailbot.understanding.names import clean_value
from mailbot.understanding.reading import _COUNT_ASKED, _OCR_CHECKED, _guessed


def test_a_value_holding_a_word_read_with_low_confidence_is_uncertain() -> None:
    read = [
        ("organisation.address", "64 rue J ean-j acques de Monaix, 64000 Pau"),
        ("organisation.name", "Département des Landes"),
    ]
    assert _guessed(read, frozenset({"ean-j"}), frozenset()) == ["organisation.address"]


def test_a_word_split_after_its_capital_is_uncertain() -> None:
    read = [
        ("organisation.name", "Département des P yrénées-Atlantiques"),
        ("organisation.address", "12 rue de l'Église, BP 7, 40000 Mont-de-Marsan"),
        ("manager.full_name", "J. Dupont"),
        ("signatory", "Le Directeur, A. Roux"),
    ]
    assert _guessed(read, frozenset(), frozenset()) == ["organisation.name"]


def test_an_ocr_email_whose_only_capital_is_i_or_o_is_uncertain() -> None:
    read = [
        ("participants[0].email", "Idavid@ccas-pau.fr"),  # "l" read as "I"
        ("participants[1].email", "jean.mOreau@ccas-pau.fr"),
        ("participants[2].email", "ldavid@ccas-pau.fr"),
        ("participants[3].email", "GCastaing@Ville.fr"),  # written so: mixed case on purpose
    ]
    assert _guessed(read, frozenset(), frozenset()) == [
        "participants[0].email",
        "participants[1].email",
    ]


def test_a_table_rule_read_as_a_bar_is_not_part_of_a_value() -> None:
    assert clean_value("Pau |") == "Pau"
    assert clean_value("| SAAD Aide et Présence 31") == "SAAD Aide et Présence 31"
    assert clean_value("|") is None


def test_every_scored_value_of_an_ocr_form_is_checked() -> None:
    # Participants and e-mails are checked one by one; these are the form's other texts.
    checked = {path for _, path in _OCR_CHECKED}
    assert checked == {
        "organisation.name", "organisation.address", "manager.full_name", "manager.service",
        "manager.phone", "signatory", "signed_place",
    }  # fmt: skip
    read = [("manager.phone", "05 56 99 l2 34"), ("signed_place", "Pau")]
    assert _guessed(read, frozenset({"l2"}), frozenset()) == ["manager.phone"]


def test_an_address_rejoined_from_a_low_confidence_piece_or_with_an_accent_is_uncertain() -> None:
    read = [
        ("participants[0].email", "vfournier@genetsdor-asso.fr"),
        ("participants[1].email", "c.david@genetsdor-àsso.fr"),
        ("participants[2].email", "s.vincent@genetsdor-asso.fr"),
    ]
    unsure = frozenset({"vfournier@gen", "Handicap"})  # pieces as OCR read them, one line each
    assert _guessed(read, unsure, frozenset()) == ["participants[0].email", "participants[1].email"]


def test_a_box_edge_read_as_a_bracket_is_not_part_of_a_value() -> None:
    assert clean_value("[La Rochelle") == "La Rochelle"
    assert clean_value("Mérignac]") == "Mérignac"
    assert clean_value("Service [RH]") == "Service [RH]"


def test_a_sign_that_closes_a_pair_in_the_value_is_kept() -> None:
    # French quotes stand apart from their words; only a lone sign is a speck.
    name = "Association d'aide à domicile « Vivre Chez Soi »"
    assert clean_value(name) == name
    assert clean_value("« Les Tilleuls") == "Les Tilleuls"
    assert clean_value("Bordeaux {") == "Bordeaux"


def test_a_count_whose_parenthesis_ocr_read_as_a_brace_is_read() -> None:
    text = "Montant net total des frais d'inscription = nombre de participants (1} x 625 euros =\n625 euros"
    form = read_rows(text_rows(text))
    assert form.declared_count == 1
    assert form.declared_total == Decimal("625.00")


def test_an_amount_lost_with_its_equals_sign_under_a_stamp_is_doubted_not_blank() -> None:
    # The stamp's ring over "= 635,00": OCR kept the price's unit and the line's last one.
    lost = "Montant net total des frais d'inscription = nombre de participants ( 1\t) x 635 euro\teuros"
    form = read_rows(text_rows(f"{lost}\nFait à\tLimoges"), prefix_labels=True)
    assert (form.declared_count, form.declared_total) == (1, None)
    assert Field.TOTAL in form.unreadable
    # The form's blank amount keeps its "=": nothing written there, nothing doubted.
    blank = "Montant net total des frais d'inscription = nombre de participants ( 1 ) x 635 euros = euros"
    form = read_rows(text_rows(f"{blank}\nFait à\tLimoges"), prefix_labels=True)
    assert form.declared_total is None and Field.TOTAL not in form.unreadable


@pytest.mark.parametrize("end", [" =", ""], ids=["equals-kept", "equals-lost"])
def test_a_scanned_amount_line_cut_after_its_price_is_doubted(end: str) -> None:
    line = (
        f"Montant net total des frais d'inscription = nombre de participants ( 2 ) x 635 euros{end}"
    )
    scan = read_rows(text_rows(f"{line}\nFait à\tLimoges"), fuzzy=True, prefix_labels=True)
    assert scan.declared_count == 2 and scan.declared_total is None
    assert Field.TOTAL in scan.unreadable
    # The amount on the next line: the line wrapped, nothing lost.
    wrapped = read_rows(text_rows(f"{line}\n1 270,00 €\nFait à\tLimoges"), fuzzy=True)
    assert wrapped.declared_total == Decimal("1270.00") and Field.TOTAL not in wrapped.unreadable


def test_a_count_written_but_not_read_is_told_from_a_blank_one() -> None:
    written = ["nombre de participants (l) x 625", "Nombre de participants : l"]
    blank = ["nombre de participants ( ) x 625", "Nombre de participants : ___",
             "Nombre de participants : \nMontant total : 635 €"]  # fmt: skip
    assert all(_COUNT_ASKED.search(text) for text in written)
    assert not any(_COUNT_ASKED.search(text) for text in blank)


def test_an_ocr_address_on_a_misread_ending_or_a_letter_off_the_mails_domain_is_uncertain() -> None:
    read = [
        ("manager.email", "dubois.catherine@enfance-avenir86.orq"),  # ".org" misread
        ("participants[0].email", "o.ndiaye@enfance-avenlr86.org"),  # a letter off the sender's
        ("participants[1].email", "s.castaing@ars.sante"),  # typed so by the writer: not OCR's
        ("participants[2].email", "j.roux@gmail.com"),
        ("participants[3].email", "a.dupont@mairie-pau.fn"),  # ".fr" misread
    ]
    domains = frozenset({"enfance-avenir86.org"})
    assert _guessed(read, frozenset(), domains) == [
        "manager.email", "participants[0].email", "participants[3].email",
    ]  # fmt: skip


def test_a_dotted_line_read_into_a_value_is_the_forms_not_the_writers() -> None:
    assert clean_value("_01 73 62 78 07") == "01 73 62 78 07"
    assert clean_value("Poitiers___") == "Poitiers"
    assert clean_value("____") is None
    text = (
        "Gestionnaire de l'inscription\nTéléphone : ____05 56 99 12 34\n"
        "Organisme-client\nAdresse postale : 3 rue Neuve\n___86000 Poitiers"
    )
    values = read_rows(text_rows(text)).values
    assert values[Field.PHONE] == "05 56 99 12 34"
    assert values[Field.ADDRESS] == "3 rue Neuve, 86000 Poitiers"


def test_an_underscore_left_inside_an_ocr_value_is_uncertain() -> None:
    read = [
        ("organisation.address", "3 impasse des Tanneurs, ___86000 Poitiers"),
        ("participants[0].email", "ple-_gall@gironde.fr"),  # a space read as "_"
        ("participants[1].email", "ple-gall@gironde.fr"),
        ("participants[2].email", "j.-dubois@saint-medard.fr"),  # a speck beside the dot
    ]
    # Legitimate in an address too ("jean_roux@..."), but OCR reads one as often: a person checks.
    assert _guessed(read, frozenset(), frozenset()) == [
        "organisation.address", "participants[0].email", "participants[2].email",
    ]  # fmt: skip


def test_a_name_whose_capital_ocr_dropped_is_uncertain() -> None:
    read = [
        ("signatory", "ulien PEYRÉ"),
        ("manager.full_name", "Julien PEYRÉ"),
        ("participants[0].first_name", "élène"),
        ("participants[0].last_name", "de LA TOUR d'Auvergne"),
        ("participants[1].last_name", "van der BERG"),
        ("signed_place", "Saint-Médard-en-Jalles"),
    ]
    assert _guessed(read, frozenset(), frozenset()) == ["signatory", "participants[0].first_name"]
    # A title before the name is the signatory's function, in lower case as French writes it.
    assert (
        _guessed([("signatory", "Le directeur général, Julien PEYRÉ")], frozenset(), frozenset())
        == []
    )
    # So is a title after it; the name before it is still checked.
    titled = [("signatory", "Josiane FABRE, directrice"), ("manager.full_name", "ulien PEYRÉ, DG")]
    assert _guessed(titled, frozenset(), frozenset()) == ["manager.full_name"]


def test_a_first_name_that_is_only_a_particle_slid_out_of_the_name_column() -> None:
    read = [
        ("participants[0].first_name", "LE"),
        ("participants[0].last_name", "BRIS CÉLINE"),
        ("participants[1].first_name", "Léa"),
        ("participants[1].last_name", "DE"),  # a short name may be the particle alone: written so
    ]
    assert _guessed(read, frozenset(), frozenset()) == ["participants[0].first_name"]


def test_a_hyphenated_name_split_by_a_narrow_cell_s_wrap_is_told_by_its_address() -> None:
    from mailbot.understanding.emails import split_in_name

    address = "jean-baptiste.deschamps-lafarge@haute-vienne.fr"
    assert split_in_name(address, "DESCHAMP S-LAFARGE")
    assert split_in_name(address, "Jean-Bap tiste")
    assert not split_in_name(address, "DESCHAMPS-LAFARGE")
    # The address may write the name without its hyphen, or its particle.
    assert split_in_name("jb.desaintexupery@x.fr", "DE SAINT-EXU PÉRY")
    assert not split_in_name("g.kerbrat-ledantec@x.org", "KERBRAT-LE DANTEC")
    # Names written whole in the address by choice, not by a wrap.
    assert not split_in_name("tl.nguyenvan@esat-envol50.fr", "NGUYEN VAN")
    assert not split_in_name("k.benabdallah@x.org", "BEN ABDALLAH")
    assert not split_in_name("p.legall@x.org", "LE GALL")
    assert not split_in_name("martin-dupont@x.org", "MARTIN DUPONT")


def test_an_ocr_address_one_letter_off_its_owner_s_name_is_uncertain() -> None:
    from mailbot.understanding.emails import slipped_name

    # The first letter lost at 150 dpi: a valid address that is nobody's.
    assert slipped_name("ean-marie.bonnafous@gironde.fr", ["BONNAFOUS Jean-Marie"])
    assert slipped_name("ple-all@gironde.fr", ["Pierre", "LE GALL"])
    # An initial kept and the name after it slipped ("f" read "i").
    assert slipped_name("viournier@genetsdor-asso.fr", ["Valérie", "FOURNIER"])
    assert slipped_name("fournjer.v@x.fr", ["Valérie", "FOURNIER"])
    # A letter read as a digit at the end is a slip all the same.
    assert slipped_name("samia.khelif7@gmail.com", ["Samia", "KHELIFI"])
    # The usual ways people build their address are no slips.
    for address, names in [
        ("jean-marie.bonnafous@gironde.fr", ["BONNAFOUS Jean-Marie"]),
        ("jdupont@x.fr", ["Jean", "DUPONT"]),
        ("dupontj@x.fr", ["Jean", "DUPONT"]),
        ("thomassimon@x.fr", ["Thomas SIMON"]),
        ("hervede-la-fontaine@x.fr", ["Hervé", "DE LA FONTAINE"]),
        ("helene.leger@x.fr", ["Hélène", "LÉGER"]),
        ("direction@x.fr", ["Anne", "ROUX"]),
        ("samia.khelifi33@gmail.com", ["Samia", "KHELIFI"]),  # a webmail's number after it
    ]:
        assert not slipped_name(address, names), address


def test_an_ocr_address_opening_on_a_sign_is_uncertain() -> None:
    read = [("manager.email", "'thomassimon@genetsdor-asso.fr")]
    assert _guessed(read, frozenset(), frozenset()) == ["manager.email"]


def test_a_speck_read_as_a_sign_of_its_own_is_not_part_of_a_value() -> None:
    assert clean_value("Bordeaux {") == "Bordeaux"
    assert clean_value("Direction financière .") == "Direction financière"
    assert clean_value("A . B") == "A . B"
    form = read_rows([("Service", "Direction administrative et"), ("financière", ".")])
    assert form.values[Field.SERVICE] == "Direction administrative et financière"


def test_a_colon_in_a_cell_of_its_own_is_not_the_value() -> None:
    form = read_rows([("Téléphone", ":", "05 56 99 12 34")])
    assert form.values[Field.PHONE] == "05 56 99 12 34"


def test_an_unsure_piece_of_the_sender_s_own_domain_does_not_doubt_the_address() -> None:
    # "douest.fr", the end of a wrapped address, scored low alone on its line.
    read = [("participants[0].email", "c.bonnafous@mutsudouest.fr")]
    unsure = frozenset({"douest.fr"})
    assert _guessed(read, unsure, frozenset()) == ["participants[0].email"]
    assert _guessed(read, unsure, frozenset(), sender="mutsudouest.fr") == []
    # The name before the "@" stays checked, and another domain gets no pass.
    assert _guessed(read, frozenset({"bonnafous@mutsu"}), frozenset(), sender="mutsudouest.fr")
    other = [("participants[0].email", "c.bonnafous@mutsudouest.fr")]
    assert _guessed(other, unsure, frozenset(), sender="gironde.fr")


def test_an_ocr_email_opening_on_its_only_capital_lost_a_dot() -> None:
    read = [
        ("manager.email", "Letcheverry@ccas-pau.fr"),  # "l.etcheverry": the dot went into the L
        ("participants[0].email", "letcheverry@ccas-pau.fr"),
        ("participants[1].email", "Anne.Roux@ccas-pau.fr"),  # capitals written on purpose
        ("participants[2].email", "Anne.roux@ccas-pau.fr"),  # a dot: nothing was lost
    ]
    assert _guessed(read, frozenset(), frozenset()) == ["manager.email"]


def test_dotted_lines_ocr_read_with_mixed_signs_are_not_part_of_a_value() -> None:
    assert clean_value(".…..............…. Hôtel de Ville") == "Hôtel de Ville"
    assert clean_value(". . . . Pau") == "Pau"
    assert clean_value("Cedex.") == "Cedex."


def test_a_line_among_the_fields_that_nothing_read_is_kept_for_the_ocr_check() -> None:
    text = (
        "Gestionnaire de l'inscription\nPrénom et NOM ...... Pierre MOREAU\n"
        "Adresse e-mail ...... pmoreau@apf-landes.org\n"
        "DE VION rrcuiairees Direction régionale\n"  # "Service ...... Direction régionale"
        "Téléphone ...... 04.37.29.04.01\n[l\nParticipants\nQuelques mots de la brochure"
    )
    form = read_rows(text_rows(text), prefix_labels=True)
    assert form.unread == ["DE VION rrcuiairees Direction régionale"]


def _scan_lines(service: str | None = None, signed: str | None = None) -> list[str]:
    """The sample form as OCR gives it back, one text line per line of the page."""
    from tests.factories.forms import sample_form

    form = sample_form()
    return [
        f"Web-séminaire « {form.webinar_title} »",
        *(f"{'☒' if ticked else '☐'} {label}" for label, ticked in form.sessions),
        "Organisme-client",
        f"Dénomination : {form.organisation_name}",
        f"Adresse postale : {', '.join(form.address_lines)}",
        "Gestionnaire de l'inscription",
        f"Prénom et NOM : {form.manager_name}",
        f"Adresse e-mail : {form.manager_email}",
        service or f"Service : {form.manager_service}",
        f"Téléphone : {form.manager_phone}",
        "Civilité\tPrénom\tNOM\tAdresse e-mail de connexion",
        *("\t".join(row) for row in form.participant_rows() if any(row)),
        form.amount_line(),
        f"Fait à {form.signed_place}, le {signed or form.signed_date}",
        f"Par (nom du signataire) : {form.signatory}",
    ]


def _understand_scan(monkeypatch, lines: list[str], unsure: tuple[str, ...], body: str = ""):  # type: ignore[no-untyped-def]
    from pathlib import Path

    from mailbot.catalog import load_catalog
    from mailbot.understanding import reading, understand
    from mailbot.understanding.documents import Document, Source
    from tests.factories.mails import mail

    scan = Document(
        "scan.png", "image/png", Source.OCR, text="\n".join(lines), has_images=True,
        ocr_confidence=91.0, unsure_words=unsure, pages=1,
    )  # fmt: skip
    monkeypatch.setattr(reading, "_extract", lambda attachment: [scan])
    raw = mail(
        f"Bonjour, ci-joint notre bulletin signé.\n{body}",
        attachments=[("scan.png", "image/png", b"\x89PNG")],
        date="Wed, 14 Oct 2026 10:31:50 +0200",
    )
    return understand(
        raw, load_catalog(Path(__file__).resolve().parents[2] / "config" / "catalog.toml")
    )


def test_a_scan_with_a_field_line_ocr_could_not_read_goes_to_a_person(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from mailbot.understanding.model import Decision

    # What OCR made of the Service line.
    lines = _scan_lines(service="SEVICE rrcuiairees Direction des solidarités")
    u = _understand_scan(monkeypatch, lines, ("SEVICE", "rrcuiairees"))
    assert "unread_line" in u.uncertain_fields
    assert u.decision is Decision.REVIEW


def test_a_signing_date_read_with_low_confidence_is_uncertain(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A pen's "19/10/26" beside the typed fields, read "14/10/26".
    u = _understand_scan(monkeypatch, _scan_lines(signed="14/10/26"), ("14/10/26",))
    assert "signed_date" in u.uncertain_fields
    sure = _understand_scan(monkeypatch, _scan_lines(signed="14/10/26"), ())
    assert "signed_date" not in sure.uncertain_fields


def test_a_signatory_written_after_a_misread_label_is_uncertain(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from mailbot.understanding.model import Decision

    # "Le Maire" is one letter off "Mairie": a doubt of its own, left out here.
    lines = [line.replace("Le Maire, ", "") for line in _scan_lines()]
    # "Par" read "À." by OCR: the name after the label is not taken, the stamp signs.
    misread = [line.replace("Par (nom", "À. (nom") for line in lines] + ["Signature et cachet"]
    u = _understand_scan(monkeypatch, misread, ())
    assert u.signatory is None
    assert "signatory" in u.uncertain_fields and u.decision is Decision.REVIEW
    read = _understand_scan(monkeypatch, lines, ())
    assert read.signatory == "Stéphane DELPEYRAT" and read.decision is Decision.AUTO, read.reasons
    # "Par (nom du signataire)" left blank over "Signature et cachet": nothing was written.
    blank = [line.split(" :")[0] if "signataire" in line else line for line in lines]
    unsigned = _understand_scan(monkeypatch, [*blank, "Signature et cachet"], ())
    assert "signatory" not in unsigned.uncertain_fields


def test_a_word_ocr_doubted_that_the_mail_types_alike_is_read_right(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.factories.forms import sample_form

    service = sample_form().manager_service
    word = service.split()[0]
    doubted = _understand_scan(monkeypatch, _scan_lines(), (word,))
    assert "manager.service" in doubted.uncertain_fields
    # The sender's signature under the note types the service letter for letter.
    typed = _understand_scan(monkeypatch, _scan_lines(), (word,), body=f"Anne ROUX\n{service}")
    assert "manager.service" not in typed.uncertain_fields
    # One letter apart in the mail's text confirms nothing.
    other = _understand_scan(monkeypatch, _scan_lines(), (word,), body=f"Anne ROUX\n{word}s RH")
    assert "manager.service" in other.uncertain_fields


def test_an_ocr_address_identical_to_the_senders_own_is_not_doubted() -> None:
    read = [("manager.email", "Pgarcia@mutsudouest.fr")]  # written with its capital
    assert (
        _guessed(read, frozenset(), frozenset(), "mutsudouest.fr", "pgarcia@mutsudouest.fr") == []
    )
    assert _guessed(
        read, frozenset(), frozenset(), "mutsudouest.fr", "p.garcia@mutsudouest.fr"
    ) == ["manager.email"]


def test_a_word_one_letter_off_another_word_of_the_page_is_uncertain() -> None:
    from mailbot.understanding.reading import _has_twin

    page = "Dénomination IME Les Peubpliers\nAdresse 12 rue des Peupliers, 79000 Niort"
    assert _has_twin("IME Les Peubpliers", page)
    # A family name in capitals has no plural: the typed From name shows the lost "S".
    assert _has_twin("Laurent DESCAMP", "Par Laurent DESCAMP\nLaurent DESCAMPS")
    # Accents, plurals and an initial glued to an address's name are no misreading.
    assert not _has_twin("Service des établissements", "Etablissements et services")
    assert not _has_twin("Véronique SIMON", "Véronique SIMON vsimon@ccas.fr")
    # The rim of a stamp cuts words short: a first letter lost, or a last one when the
    # value's spelling is written again; the name itself is not doubted for it.
    stamp = "Dénomination Maison d'enfants Saint-Exupéry\naison D'ENFANTS\nSignature"
    assert not _has_twin("Maison d'enfants Saint-Exupéry", stamp)
    page = "Dénomination Département de l'Aveyron\nPar le Président de l'Aveyron\nAVEYRO"
    assert not _has_twin("Département de l'Aveyron", page)
    # Cut short once, written once: either may be the misread one.
    assert _has_twin("Département de l'Aveyron", "Département de l'Aveyron\nAVEYRO")


def test_an_ocr_address_spelled_by_the_names_read_beside_it_is_not_doubted() -> None:
    from mailbot.understanding.reading import _spells

    read = [("participants[0].email", "christine. lafon@ch-cadillac.fr")]
    unsure = frozenset({"christine.", "lafon@ch-cadillac.fr"})
    spelled = {"participants[0].email": ("Christine", "LAFON")}
    assert _guessed(read, unsure, frozenset(), "ch-cadillac.fr", None, spelled) == []
    assert _guessed(read, unsure, frozenset(), "ch-cadillac.fr") == ["participants[0].email"]
    # Only with a separator: "ftessier" may be "f.tessier" with its dot lost.
    assert _spells("f.tessier@x.fr", ("Françoise", "TESSIER"))
    assert not _spells("ftessier@x.fr", ("Françoise", "TESSIER"))
    assert not _spells("jeanpierre.roux@x.fr", ("Jean-Pierre", "ROUX"))


def test_names_that_spell_an_unsure_address_do_not_vouch_for_its_separator() -> None:
    # "j-giordano@" beside "f.benali@": the names spell its letters, not the hyphen that
    # may be a dot Tesseract misread.
    read = [
        ("participants[0].email", "j-giordano@fam-oliviers.fr"),
        ("participants[1].email", "f.benali@fam-oliviers.fr"),
    ]
    spelled = {
        "participants[0].email": ("Jordan", "GIORDANO"),
        "participants[1].email": ("Fatima", "BENALI"),
    }
    unsure = frozenset({"j-giordano@fam-oliviers.fr"})
    found = _guessed(read, unsure, frozenset(), "fam-oliviers.fr", None, spelled)
    assert found == ["participants[0].email"]
    read[1] = ("participants[1].email", "f-benali@fam-oliviers.fr")  # the office's own way
    assert _guessed(read, unsure, frozenset(), "fam-oliviers.fr", None, spelled) == []


def test_a_name_opening_on_a_speck_is_uncertain() -> None:
    read = [("participants[1].first_name", "'Thomas"), ("participants[0].first_name", "Émilie")]
    assert _guessed(read, frozenset(), frozenset()) == ["participants[1].first_name"]


def test_a_name_with_a_digit_or_a_double_i_is_uncertain() -> None:
    read = [
        ("signatory", "Bérénice 4"),  # a stamp over "CHARTIER"
        ("participants[0].first_name", "Mathiide"),  # "l" read as "i"
        ("participants[1].first_name", "Mathilde"),
        ("organisation.name", "ADAPEI 79"),  # an organisation may hold a number
    ]
    assert _guessed(read, frozenset(), frozenset()) == ["signatory", "participants[0].first_name"]


def test_a_letter_french_names_do_not_carry_is_doubted_on_a_scan() -> None:
    read = [("participants[1].first_name", "Dämien"), ("participants[0].first_name", "Noël")]
    assert _guessed(read, frozenset(), frozenset()) == ["participants[1].first_name"]


def _addresses(
    people: dict[str, tuple[str, str]], domain: str
) -> tuple[list[tuple[str, str | None]], dict[str, tuple[str | None, str | None]]]:
    """Participants' addresses as OCR read them ("local" → names on the same row)."""
    read: list[tuple[str, str | None]] = [
        (f"participants[{i}].email", f"{local}@{domain}") for i, local in enumerate(people)
    ]
    spelled: dict[str, tuple[str | None, str | None]] = {
        f"participants[{i}].email": names for i, names in enumerate(people.values())
    }
    return read, spelled


def test_an_initial_s_dot_lost_among_addresses_that_keep_it_is_doubted() -> None:
    people = {"g.morin": ("Gaëlle", "MORIN"), "h.audebert": ("Hélène", "AUDEBERT"),
              "s.pineau": ("Samuel", "PINEAU"), "rouali": ("Rachid", "OUALI")}  # fmt: skip
    read, spelled = _addresses(people, "vienne.fr")
    assert _guessed(read, frozenset(), frozenset(), spelled=spelled) == ["participants[3].email"]
    # Addresses made in several ways: "firstlast" is one of them, not a lost dot.
    mixed = {**spelled, "participants[0].email": ("Gaëlle", "MORIN")}
    read[0] = ("participants[0].email", "gaelle.morin@vienne.fr")
    assert _guessed(read, frozenset(), frozenset(), spelled=mixed) == []


def test_a_dot_lost_beside_the_one_other_address_that_keeps_it_is_doubted() -> None:
    # Two people: OCR loses a dot, it never adds one.
    people = {"rhammoudi": ("Rachid", "HAMMOUDI"), "e.gerard": ("Élise", "GÉRARD")}
    read, spelled = _addresses(people, "vivrechezsoi54.fr")
    assert _guessed(read, frozenset(), frozenset(), spelled=spelled) == ["participants[0].email"]
    # Both without a dot, or a hyphen beside a dot, is how some offices write them.
    plain = {"rhammoudi": ("Rachid", "HAMMOUDI"), "egerard": ("Élise", "GÉRARD")}
    read, spelled = _addresses(plain, "vivrechezsoi54.fr")
    assert _guessed(read, frozenset(), frozenset(), spelled=spelled) == []


def test_a_one_or_a_zero_read_as_a_letter_beside_digits_is_doubted() -> None:
    read = [("manager.email", "mde5l.direction@marne-enfance.fr"),
            ("participants[0].email", "fx.henriot@marne-enfance.fr"),
            ("participants[1].email", "accueil51@marne-enfance.fr"),
            ("participants[2].email", "s.martin@cd2O.fr")]  # fmt: skip
    assert _guessed(read, frozenset(), frozenset()) == ["manager.email", "participants[2].email"]


def test_a_compound_first_name_s_initials_keep_the_dot_too() -> None:
    people = {"c.casaubon": ("Céline", "CASAUBON"), "mp.laborde": ("Marie-Pierre", "LABORDE"),
              "ftoulet": ("Florian", "TOULET")}  # fmt: skip
    read, spelled = _addresses(people, "nay.fr")
    assert _guessed(read, frozenset(), frozenset(), spelled=spelled) == ["participants[2].email"]


def test_a_dot_read_as_a_hyphen_among_addresses_that_keep_it_is_doubted() -> None:
    people = {"h.lemaitre": ("Hélène", "LEMAÎTRE"), "s.cazenave": ("Sandrine", "CAZENAVE"),
              "a.millet": ("Anaïs", "MILLET"), "g-illouz": ("Grégoire", "ILLOUZ")}  # fmt: skip
    read, spelled = _addresses(people, "gers.fr")
    assert _guessed(read, frozenset(), frozenset(), spelled=spelled) == ["participants[3].email"]


def test_a_whole_first_name_joined_otherwise_than_its_neighbours_is_doubted() -> None:
    people = {"loic.illouz": ("Loïc", "ILLOUZ"), "pascale.molinier": ("Pascale", "MOLINIER"),
              "remigarnier": ("Rémi", "GARNIER")}  # fmt: skip
    read, spelled = _addresses(people, "aideetvie.fr")
    assert _guessed(read, frozenset(), frozenset(), spelled=spelled) == ["participants[2].email"]
    # Whole names beside initials: the office makes addresses both ways, no rule to hold.
    read[0] = ("participants[0].email", "l.illouz@aideetvie.fr")
    assert _guessed(read, frozenset(), frozenset(), spelled=spelled) == []


def test_a_speck_glued_after_a_name_is_doubted() -> None:
    read = [("participants[0].first_name", "Christophe."), ("participants[0].last_name", "BARTHE"),
            ("participants[1].first_name", "J."), ("signatory", "Le Directeur, J. BARTHE")]  # fmt: skip
    assert _guessed(read, frozenset(), frozenset()) == ["participants[0].first_name"]


def test_an_ocr_address_one_letter_off_an_address_typed_in_the_mail_is_uncertain() -> None:
    # "direcion@" on the scan, "direction@" in From: the letter OCR lost, not another box.
    typed = frozenset({"direction@amapa-est.fr", "c.klein@amapa-est.fr"})
    read = [
        ("manager.email", "direcion@amapa-est.fr"),
        ("participants[0].email", "c.klein@amapa-est.fr"),  # read as typed: no doubt
        ("participants[1].email", "m.weber@amapa-est.fr"),
    ]
    assert _guessed(read, frozenset(), frozenset(), typed=typed) == ["manager.email"]


def test_a_space_after_an_apostrophe_is_ocr_s_not_the_writer_s() -> None:
    read = [
        ("organisation.name", "Association Handi' Cap Vendée"),
        ("organisation.address", "3 rue de l'Église, 85000 La Roche-sur-Yon"),
        ("manager.full_name", "Anne D'ALMEIDA"),
    ]
    assert _guessed(read, frozenset(), frozenset()) == ["organisation.name"]


def test_a_name_and_its_address_a_scan_ran_together_are_split_when_the_address_spells_it() -> None:
    text = ("Participants\nCivilité\tPrénom\tNOM\tAdresse e-mail de connexion\n"
            "M.\tPascal\tHAMEL p.hamel@mas-h.fr\nMme\tBénédicte\tLEBRETON |} b.lebreton@mas-h.fr\n"
            "M.\tOlivier BRUN\to.brun@mas-h.fr\nMme\tGaëlle\tMARIE claire.dupuis@mas-h.fr\n")  # fmt: skip
    people = [(p.first_name, p.last_name, p.email) for p in read_rows(text_rows(text)).participants]
    assert people[:3] == [
        ("Pascal", "HAMEL", "p.hamel@mas-h.fr"),
        ("Bénédicte", "LEBRETON", "b.lebreton@mas-h.fr"),
        ("Olivier", "BRUN", "o.brun@mas-h.fr"),
    ]
    # An address that is not the name's stays as read: the row goes to a person.
    assert people[3] == ("Gaëlle", None, "MARIE claire.dupuis@mas-h.fr")


def test_a_numbered_list_is_read_under_a_number_heading_run_into_the_next() -> None:
    rows = "1\tM.\tDamien\tROYER\td.royer@fam.fr\n2\tMme\tCorinne\tMAGNIEN\tc.magnien@fam.fr\n"
    for header in ("N° Civilité\tPrénom\tNOM\tAdresse e-mail de connexion\n",
                   "Civilité\tPrénom\tNOM\tAdresse e-mail de connexion\n"):  # fmt: skip
        form = read_rows(text_rows("Participants\n" + header + rows))
        people = [(p.civility, p.first_name, p.last_name, p.email) for p in form.participants]
        assert people == [
            ("M.", "Damien", "ROYER", "d.royer@fam.fr"),
            ("Mme", "Corinne", "MAGNIEN", "c.magnien@fam.fr"),
        ], header


def test_a_scan_s_blank_place_or_nameless_signer_is_doubted(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    head = [line for line in _scan_lines() if not line.startswith(("Fait à", "Par ("))]
    signer = "Par (nom du signataire) : Stéphane DELPEYRAT"
    # "Fait à" read with a stamp's scrap under it: the town may be among its words.
    scrap = [*head, "Fait à\tSignature et cachet", "Éses", "Le 14/10/2026", signer]
    u = _understand_scan(monkeypatch, scrap, ())
    assert u.signed_place is None and "signed_place" in u.uncertain_fields
    # Left blank over the next label, it was not written.
    blank = [*head, "Fait à", "Le 14/10/2026", signer]
    assert "signed_place" not in _understand_scan(monkeypatch, blank, ()).uncertain_fields
    # A stamp's line read as the signer: no first name, no title.
    stamp = [
        "Par (nom du signataire) : DÉPARTEMENT DU GERS" if "signataire" in line else line
        for line in _scan_lines()
    ]
    assert "signatory" in _understand_scan(monkeypatch, stamp, ()).uncertain_fields


def test_an_address_with_a_capital_inside_its_domain_is_doubted(catalog) -> None:  # type: ignore[no-untyped-def]
    from mailbot.understanding import understand
    from tests.factories.mails import BODY_FORM, mail

    body = BODY_FORM.replace("paul.martin@gironde.fr", "paul.martin@girondRe.frsponsable")
    u = understand(mail(body, subject="Inscription"), catalog)
    assert "uncertain:participants[0].email" in u.reasons


def test_a_twin_read_unsure_is_the_misread_one() -> None:
    from mailbot.understanding.reading import _has_twin

    # "SANOIE" on a stamp's rim, read unsure; "Savoie" in the name, read sure.
    page = "Dénomination Association Les Nids de Savoie\nASSOCIATION LES NIDS DE SANOIE"
    assert _has_twin("Association Les Nids de Savoie", page)
    assert not _has_twin("Association Les Nids de Savoie", page, frozenset({"SANOIE"}))
    # Both unsure: either may be the misread one.
    assert _has_twin("Association Les Nids de Savoie", page, frozenset({"SANOIE", "Savoie"}))


@pytest.mark.parametrize(
    ("address", "broken"),
    [
        ("Lieu-dit, La, Prade, Route, de Saint-Flour, 15000 Aurillac", True),
        ("Lieu-dit Font-Vive, Route, départementale, 951, BP, 7, 16110 X", True),
        ("Hôtel de Ville, place du Marché, 42600 Montbrison", False),
        ("Le Galaxie, 455 avenue du Prado, 13008 Marseille", False),
        ("Kerampuil, 29270 Carhaix-Plouguer", False),
    ],
)
def test_an_address_whose_pieces_are_no_lines_is_broken(address: str, broken: bool) -> None:
    from mailbot.understanding.reading import _broken_address

    assert _broken_address(address) is broken


def test_an_ocr_word_with_no_vowel_is_a_guess() -> None:
    # "3 rue de ll" for "3 rue de l'Ill"; "bd" abbreviates a boulevard.
    read = [("organisation.address", "3 rue de ll, 67600 Sélestat")]
    assert _guessed(read, frozenset(), frozenset()) == ["organisation.address"]
    read = [("organisation.address", "12 bd Gambetta, 75001 Paris")]
    assert _guessed(read, frozenset(), frozenset()) == []


def _signing_apart(lines: list[str], place: str, date: str) -> list[str]:
    """The scan's "Fait à …, le …" line as IPP's form prints it: two labels, two lines."""
    return [*lines[:-2], place, date, lines[-1]]


def test_fait_a_run_together_by_ocr_is_still_the_place(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    lines = _signing_apart(_scan_lines(), "Faità\tBordeaux\tSignature et cachet", "Le\t14/10/2026")
    u = _understand_scan(monkeypatch, lines, ())
    assert u.signed_place == "Bordeaux"


def test_a_signing_label_lost_on_a_scan_leaves_its_value_in_doubt(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A stamp over "Le 14/10/2026" (read "5e Pi"), or "Fait à" misread: reported empty,
    # the form would pass for undated, or signed nowhere.
    no_date = _signing_apart(_scan_lines(), "Fait à\tBordeaux", "5e\tPi SARISMBEAUSS")
    assert "signed_date" in _understand_scan(monkeypatch, no_date, ()).uncertain_fields
    no_place = _signing_apart(_scan_lines(), "Faiz q\tBordeaux", "Le\t14/10/2026")
    assert "signed_place" in _understand_scan(monkeypatch, no_place, ()).uncertain_fields
    for place, date in (("Fait à\tBordeaux", "Le\t14/10/2026"), ("Fait à", "Le")):
        # Read, or left blank: both labels are on the page, nothing was lost.
        read = _understand_scan(monkeypatch, _signing_apart(_scan_lines(), place, date), ())
        assert not {"signed_place", "signed_date"} & set(read.uncertain_fields), read.reasons


def test_a_dash_after_an_initial_in_a_scanned_address_is_doubted(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.factories.forms import sample_form

    first = sample_form().participant_rows()[0][3]
    dashed = first.replace(".", "-", 1)
    assert dashed != first and dashed[1] == "-"
    lines = [line.replace(first, dashed) for line in _scan_lines()]
    u = _understand_scan(monkeypatch, lines, ())
    assert "participants[0].email" in u.uncertain_fields
