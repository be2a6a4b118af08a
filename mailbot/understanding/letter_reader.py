"""Registrations written as a letter rather than on IPP's form.

Public bodies often register by an official letter: "J'ai l'honneur de vous
demander l'inscription de Mme Claire BESSE (claire.besse@…) et de M. …". There
is no label to read a value against; each value has its usual place in a French
letter instead:

- the organisation and its postal address head the letter (the letterhead);
- the manager of the file is named in a "Dossier suivi par" / "Contact :" block,
  with a service, a phone and an e-mail on the lines under it;
- the participants are named in the sentence that asks for the registration, or
  in the list that follows it;
- the place and date stand on one line ("Limoges, le 3 novembre 2026");
- the signature stands under the closing formula: title lines, then the name.

A registration written freely in a mail is read the same way; its organisation
is on a "Facturation :" line or in the writer's signature, which also names the
manager when no "Contact :" line does.

What is read here fills a ``RawForm`` like the form reader's, so the same checks
run on it. Places are a convention, not a structure: a letter always waits for a
person (reason ``letter``), who finds the values already filled in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from mailbot.understanding.amounts import COUNT, PEOPLE_WORDS, count_value, parse_amount
from mailbot.understanding.dates import fold, parse_date
from mailbot.understanding.emails import find_emails
from mailbot.understanding.form_reader import RawForm, RawPerson
from mailbot.understanding.labels import Field
from mailbot.understanding.lexicon import PHONE_NUMBER
from mailbot.understanding.names import is_upper_word, letters, split_civility, split_full_name
from mailbot.understanding.replacement import PersonMention, find_people

# The sentence that asks for the registration (folded text: no accents, lower case). A
# verb must ask: "la facture correspondant à l'inscription de Mme X" asks for none.
_REQUEST = re.compile(
    r"\b(?:(?:demand|sollicit|enregistr|proced|effectu|prendre en compte|not)\w*\s+(?:a\s+)?"
    r"l'inscription|inscri(?:re|vons|s)\b)"
)
# Words that name a registration without asking for it in so many words: "je vous confirme
# l'inscription de …", "les agents désignés ci-après participeront à la journée". Taken
# only when the people come with their addresses, as a registration gives them.
_NAMED = re.compile(r"\bl'inscription\s+(?:de|des|d')\s|\bparticiper(?:a|ont)\s")
# Asking for one as done already ("Vous avez bien voulu enregistrer l'inscription …").
# ("La personne ayant procédé à l'inscription recevra…": IPP's own brochure.)
_DONE = re.compile(r"\b(?:avez|avons|a|ont|ayant)\s+(?:bien\s+voulu\s+|deja\s+)?$")
# A letter about a registration that is not one: a quote or an agreement asked first, a
# cancellation. Those are read by the classifier as questions.
_NOT_YET = re.compile(
    r"\bdevis\b|\bconvention\b|\bannul|\bdesist|\bdesinscri|avant (?:de |toute )|"
    r"sous reserve|"
    r"(?:bulletin|formulaire|fiche)[^.]{0,60}(?:vous sera|suivra|sera transmis|ulterieurement)|"
    # How to register, asked with the names: "Comment devons-nous procéder ? Faut-il
    # remplir un bulletin ?" — the registration is still to be sent.
    r"comment (?:devons-nous|doit-on|faut-il|pouvons-nous|dois-je|proceder)|"
    r"faut-il (?:remplir|renvoyer|envoyer|retourner|completer) (?:un|le|votre) "
    r"(?:bulletin|formulaire)|quelle(?:s| est la)? (?:demarche|procedure)"
)
# Whether one can register, not a registration: "Est-il encore possible d'inscrire … ?"
# ("Pourriez-vous inscrire Mme X … ?" asks politely: it registers.) One more person for a
# registration made before ("inscrire aussi", "également") is a question the policy names.
_ASKED = re.compile(
    r"possible|reste-t-il|reste-il|peut-on|places? (?:disponible|restante)|"
    r"\baussi\b|egalement|en plus|supplementaire|\bajout"
)
_SALUTATION = re.compile(r"^\s*(?:madame|monsieur|bonjour|mesdames)\b.*,\s*$", re.IGNORECASE)
_CLOSING = re.compile(
    r"agr[ée]er|salutations|consid[ée]ration|respectueuse|cordialement|bien [àa] vous",
    re.IGNORECASE,
)
# A letter's closing formula, the sentence a signature follows ("Salutations distinguées,"
# alone closes a mail as "Cordialement" does).
_FORMAL_CLOSING = re.compile(
    r"agr[ée]er|l'expression de|consid[ée]ration|respectueuse|"
    r"(?:prie|prions|veuillez)\b[^\n]{0,40}\b(?:recevoir|croire)\b",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"^\W*(?:je\s+suis\s+)?(?:l[ea]\s+|l')?(?:(?:affaire|dossier)\s+suivie?\s+par|"
    r"contact(?:\s+pour\s[^:]{1,40})?|personne\s+[àa]\s+contacter|"
    r"(?:je\s+reste\s+)?(?:votre\s+)?interlocut(?:eur|rice)(?:\s+pour\s[^:]{1,40})?|"
    r"votre\s+correspondante?|"
    r"r[ée]f[ée]rente?(?:\s+du\s+dossier)?|"
    r"gestionnaire(?:\s+(?:du\s+dossier|de\s+(?:cette\s+|l')inscription))?)\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# The end of a mail written freely, above the writer's signature.
_SIGN_OFF = re.compile(
    r"^\W*(?:(?:bien |tres )?cordialement|bien [àa] vous|salutations|merci d'avance|"
    r"(?:avec )?mes remerciements|(?:en )?vous (?:en )?remerciant|bonne (?:fin de )?journ[ée]e)\b",
    re.IGNORECASE,
)
_QUOTE_HEAD = re.compile(
    r"^(?:>|-{3,}|_{3,}|de\s*:|from\s*:|le .{5,80}a [ée]crit|envoy[ée] de)", re.I
)
_BILLING = re.compile(
    r"\b(?:(?:adresse de )?facturation|factur(?:e|er)\b[^:\n]{0,30}?)\s*:\s*"
    r"|\bfacture\s+(?:au nom de|[àa] l'ordre de)\s*:?\s*",
    re.IGNORECASE,
)
_PHONE_LABEL = re.compile(r"^\W*(?:t[ée]l(?:[ée]phone)?|ligne directe|standard|fax)\b", re.I)
_MAIL_LABEL = re.compile(r"^\W*(?:courriel|e-?mail|m[ée]l|mail)\b\s*:?\s*", re.IGNORECASE)
_REFERENCE = re.compile(r"^\W*(?:[nv]\s*/\s*r[ée]f|r[ée]f[ée]rence|objet|p\.?\s*j\.?)\b", re.I)
# "Limoges, le 3 novembre 2026", "Fait à Auch, le 3 juin 2027".
_DATED = re.compile(
    r"^\s*(?:fait\s+(?:[àa]|au)\s+)?(?P<place>[A-ZÀ-Þ][^\d,:;]{1,40}?)\s*,?\s+le\s+"
    r"(?P<date>\d{1,2}(?:er)?\s+\w+\s+\d{4}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})\s*\.?\s*$",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"(?:^|\s|-\s)(?:\d{5}|\d{2}\s\d{3})\s+[A-ZÀ-Þ]")
_STREET = re.compile(
    r"^\s*(?:\d|(?:rue|avenue|av\.|boulevard|bd|place|chemin|route|all[ée]e|impasse|quai|"
    r"cours|square|esplanade|parvis|rond-point|lieu-dit|bp|cs|tsa)\b)",
    re.IGNORECASE,
)
_BUILDING = re.compile(
    r"^\s*(?:h[ôo]tel|cit[ée]|parc|zone|za|zi|immeuble|b[âa]timent|r[ée]sidence|domaine|"
    r"espace|maison|centre|village)\b",
    re.IGNORECASE,
)
# A building named above its street: part of the address ("Maison d'enfants à caractère
# social" above it is what the organisation is, not where).
_PREMISES = re.compile(
    r"^\s*(?:h[ôo]tel|cit[ée]|immeuble|b[âa]timent|r[ée]sidence|parc|zone|za|zi|"
    r"centre administratif)\b",
    re.IGNORECASE,
)
_NOT_ADDRESS = re.compile(r"@|www\.|https?:|\bt[ée]l\b|\bfax\b|standard|siret|siren", re.I)
_OURS = re.compile(r"institut de la performance publique|\bipp\b", re.IGNORECASE)
# Lines above the signatory's name: "Le Président,", "Pour le Président et par délégation",
# "P/O le Directeur", "La Directrice de l'Enfance et de la Famille,".
_TITLE_LINE = re.compile(
    r"^\s*(?:l[ea]\b|les\b|l'|pour\b|p\s*/\s*[o0]\b|p\.\s*o\.|par\s+d[ée]l[ée]gation|"
    r"et\s+par\s+d[ée]l[ée]gation|signé|sign[ée]e?\b)|,\s*$",
    re.IGNORECASE,
)
_COUNT_TOLD = re.compile(
    rf"\b(?:soit|pour|total\s*:?)\s+(?P<n>{COUNT})\s+{PEOPLE_WORDS}"
    rf"|\((?P<m>{COUNT})(?:\s+{PEOPLE_WORDS}\w*)?\s*[x×]\s*\d"
)
_AMOUNT = r"(?P<amount>\d[\d \u00a0\u202f.,]*)\s*(?:€|euros?\b|eur\b)"
# "pour un montant de 1 270 €", "Le montant correspondant, soit 1 270 €", "s'élève à …";
# not "un montant de 625 € par participant", the price of one.
_TOTAL_TOLD = re.compile(
    rf"(?:montant|s'eleve(?:nt)?\s+a|total)[^\d.;]{{0,40}}?{_AMOUNT}"
    r"(?!\s*(?:par|/|pour)\s*(?:personne|participant|agent|pers\b|inscrit|stagiaire))"
)
_BROKEN_ADDRESS = re.compile(
    r"(@[\w.-]*[.-])[ \t]*\n[ \t]*(?=[\w.-]+\b)|(\w[\w.]*-)[ \t]*\n[ \t]*(?=[\w.-]+@)"
)
_TABLE_HEAD = re.compile(r"^(?=[^\n]*\bprenoms?\b)(?=[^\n]*\bnoms?\b)[^\n]*\t[^\n]*\t", re.M)
_LIST_ITEM = re.compile(r"^\s*(?:[-–•·*▪◦]|\d{1,2}[.)])\s*")


def read_letter(text: str, labelled: RawForm | None = None) -> RawForm | None:
    """What a registration letter says, or None when ``text`` asks for no registration.

    ``labelled``: what the form reader found in the same text. Its participants are
    taken when they stand in a table (a table says which column holds what, prose
    does not), and its labelled values fill what the letter's places left empty
    ("Signataire : Hélène ROCHE" written in a mail that is otherwise prose).
    """
    listed = labelled.participants if labelled is not None else []
    lines = [line.rstrip() for line in text.splitlines()]
    folded = _folded(text)
    request = _request(folded)
    if request is None or _NOT_YET.search(folded):
        return None
    # Under a header row ("Civilité | Nom | Prénom | Courriel") the form reader knows
    # which column is what; without one, the rows it made of sentences are not trusted.
    table = bool(listed) and _TABLE_HEAD.search(folded) is not None
    people = list(listed) if table else _participants(text, request.start())
    if not people or (request.re is _NAMED and not all(p.email for p in people)):
        return None
    form = RawForm(participants=people)
    values = form.values
    head = _head(lines, text.count("\n", 0, request.start()))
    # A letterhead in two columns saved as text: "DÉPARTEMENT DES VOSGES<tab>Dossier suivi par…"
    left = [line.split("\t")[0] for line in lines[:head]]
    right = [line.split("\t", 1)[1].strip() for line in lines[:head] if "\t" in line.strip()]
    if right:
        # The right column's block goes on under the last line the two columns share.
        shared = max(i for i, line in enumerate(lines[:head]) if "\t" in line.strip())
        right += [line.strip() for line in lines[shared + 1 : head]]
    top = next((cell.strip() for cell in left if cell.strip()), None)
    signed = _signature(lines[head:])
    organisation = (
        _letterhead(lines[:head])
        or _letterhead(left)
        or _in_one_line(top or "")
        or _billed(text)
        or footer_organisation(lines[head:], _heading(top))
        or signed.organisation
    )
    if organisation is not None:
        values[Field.ORG_NAME], values[Field.ADDRESS] = organisation
    values.update(_contact([*lines, *right]) or signed.manager)
    dated = next((m for line in lines if (m := _DATED.match(line))), None)
    if dated is not None and parse_date(dated["date"], 2026) is not None:
        values[Field.PLACE] = dated["place"].strip()
        values[Field.SIGNED_DATE] = dated["date"].strip()
    signatory = _signatory(lines)
    if signatory:
        values[Field.SIGNATORY] = signatory
    form.declared_count = _count(folded)
    form.declared_total = _total(folded)
    if labelled is not None:
        _fill_gaps(form, labelled)
    return form


def is_letter(text: str) -> bool:
    """Whether ``text`` is written as a letter: a salutation, then a closing formula."""
    lines = text.splitlines()
    salutation = next((i for i, line in enumerate(lines) if _SALUTATION.match(line)), None)
    return salutation is not None and any(
        _FORMAL_CLOSING.search(line) for line in lines[salutation + 1 :]
    )


# Values a form's label gives plainly. A letter's lines that look like labels are not
# taken: "Par courriel : ipp@ipp.fr" is no signatory, "Courriel :" in a letterhead no manager's.
_LABELLED = (Field.SIGNATORY, Field.PLACE, Field.SIGNED_DATE)
_MANAGER = (Field.MANAGER_NAME, Field.MANAGER_EMAIL, Field.SERVICE, Field.PHONE)


def _fill_gaps(form: RawForm, labelled: RawForm) -> None:
    values = form.values
    for field in _LABELLED:
        value = labelled.values.get(field)
        if field not in values and value and "@" not in value and not _OURS.search(value):
            values[field] = value
    if Field.MANAGER_NAME not in values and labelled.values.get(Field.MANAGER_NAME):
        values.update({f: labelled.values[f] for f in _MANAGER if f in labelled.values})
    if form.declared_count is None:
        form.declared_count = labelled.declared_count
    if form.declared_total is None:
        form.declared_total = labelled.declared_total


def _request(folded: str) -> re.Match[str] | None:
    """Where the letter asks for the registration, if it does."""
    for pattern in (_REQUEST, _NAMED):
        for match in pattern.finditer(folded):
            if _DONE.search(folded[max(0, match.start() - 40) : match.start()]):
                continue
            if not _ASKED.search(_sentence_around(folded, match.start())):
                return match
    return None


def _folded(text: str) -> str:
    """``fold`` letter by letter, so that a match's position is the same in ``text``."""
    return text.lower() if text.isascii() else "".join(map(_fold_letter, text))


@cache
def _fold_letter(letter: str) -> str:
    folded = fold(letter)
    return folded if len(folded) == 1 else letter.lower()


def _sentence_around(folded: str, index: int) -> str:
    # A letter printed to PDF has no blank line: "Madame, Monsieur," ends the heading.
    starts = (folded.rfind(mark, 0, index) for mark in (". ", "\n\n", ",\n"))
    start = max(*starts, index - 200, 0)
    ends = [i for i in (folded.find(". ", index), folded.find("\n\n", index)) if i >= 0]
    return folded[start : min([*ends, index + 400])]


def _head(lines: Sequence[str], request_line: int) -> int:
    """The index of the letter's salutation ("Madame, Monsieur,"), the last one before the
    request: the letterhead is above it (a mail's "Bonjour," may stand above both)."""
    found = [i for i, line in enumerate(lines[:request_line]) if _SALUTATION.match(line)]
    return found[-1] if found else request_line


def _letterhead(lines: Sequence[str]) -> tuple[str, str] | None:
    """(name, address) of the organisation heading the letter.

    The letterhead is the block of lines that ends with a postcode line: its
    first line is the organisation ("Département de la Haute-Vienne"), the
    lines from the first street-like one down to the postcode are the address;
    the directions and services in between are not part of either.
    """
    for end, line in enumerate(lines):
        if not _POSTCODE.search(line) or _NOT_ADDRESS.search(line):
            continue
        start = end
        while start > 0 and lines[start - 1].strip() and not _stops_block(lines[start - 1]):
            start -= 1
        block = [x.strip() for x in lines[start : end + 1] if not _NOT_ADDRESS.search(x)]
        if any(_OURS.search(x) for x in block) or len(block) < 2:
            continue  # IPP's own address in the recipient block
        first_street = _first_street(block)
        if first_street is None:
            return None
        cedex = lines[end + 1].strip() if end + 1 < len(lines) else ""
        address = block[first_street:]
        if re.match(r"^cedex\b", cedex, re.IGNORECASE):
            address.append(cedex)
        return block[0], ", ".join(address)
    return None


def _first_street(block: Sequence[str]) -> int | None:
    """Where the address starts in a letterhead block ending with its postcode line.

    The first line is the name even when it reads like a place ("Centre communal
    d'action sociale"). A number or a street word opens the address; failing
    that, a building ("Hôtel du Département", "Maison des solidarités") does;
    failing that, the line above the postcode ("Lices Georges Pompidou").
    """
    lines = range(1, len(block) - 1)
    street = next((i for i in lines if _STREET.match(block[i])), None)
    if street is not None and street >= 2 and _PREMISES.match(block[street - 1]):
        return street - 1  # "Hôtel du Département" above "1 place …" belongs to the address
    if street is None:
        street = next((i for i in lines if _BUILDING.match(block[i])), None)
    if street is None and len(block) >= 3:
        street = len(block) - 2
    return street


def footer_organisation(lines: Sequence[str], name: str | None) -> tuple[str, str] | None:
    """ "Département de la Corrèze – 9 rue … – BP 199 – 19005 Tulle Cedex" at the foot of the
    page: the organisation and its address on one line, in parts."""
    found = (_in_one_line(line, name, commas=False) for line in lines)
    return next((organisation for organisation in found if organisation), None)


_DASHES = re.compile(r"\s+[–—-]\s+|\s*[|•]\s*")
_DASHES_OR_COMMAS = re.compile(r"\s+[–—-]\s+|\s*[|•]\s*|,\s*")


def _in_one_line(
    line: str, name: str | None = None, *, commas: bool = True
) -> tuple[str, str] | None:
    """(name, address) from "Name – street – BP … – postcode Town" (dashes, or commas where
    a label says an address follows: a sentence has commas too); ``name`` for a line that
    starts with the building ("Hôtel du Département – …")."""
    parts = [p.strip() for p in (_DASHES_OR_COMMAS if commas else _DASHES).split(line)]
    parts = [p for p in parts if p]
    ends = [i for i, p in enumerate(parts) if _POSTCODE.search(" " + p)]
    if len(parts) < 2 or not ends or _OURS.search(line):
        return None
    if _NOT_ADDRESS.search(" ".join(parts[: ends[0] + 1])):
        return None
    if name and (_PREMISES.match(parts[0]) or _STREET.match(parts[0])):
        return name, ", ".join(parts[: ends[0] + 1])
    opens = _STREET.match(parts[1]) or _BUILDING.match(parts[1]) if len(parts) >= 3 else None
    if opens and not _PREMISES.match(parts[0]):
        return parts[0], ", ".join(parts[1 : ends[0] + 1])
    return None


@dataclass(frozen=True, slots=True)
class _Signed:
    manager: dict[Field, str]
    organisation: tuple[str, str] | None


def _signature(lines: Sequence[str]) -> _Signed:
    """The writer's signature under a mail written freely: who wrote (the manager of the
    registration, when no "Contact :" line names another) and the organisation's address.

    "Christelle PASQUIER / Service Maintien à domicile / CCAS de Vierzon / 12 rue de la
    Gaucherie / 18100 VIERZON / Tél : … / c.pasquier@…": the name first, the service
    under it, the organisation right above its street, the phone and address anywhere.
    """
    ends = [i for i, line in enumerate(lines) if _SIGN_OFF.search(line)]
    block: list[str] = []
    for line in lines[ends[-1] + 1 if ends else len(lines) :][:14]:
        stripped = line.strip()
        if not stripped:
            if block:
                break
            continue
        if _QUOTE_HEAD.match(stripped):
            break
        block.append(stripped)
    named = next((i for i, x in enumerate(block) if _names_a_person(split_civility(x)[1])), None)
    if named is None:
        return _Signed({}, None)
    # "Jean-Pierre LABADIE, Président": the title after the name is not part of it.
    manager = {Field.MANAGER_NAME: split_civility(block[named])[1].split(",")[0].strip()}
    organisation, org_line = _signed_address(block, named)
    service = block[named + 1] if named + 1 < len(block) else ""
    if service and named + 1 != org_line and not _plain_contact(service):
        manager[Field.SERVICE] = service
    for line in block:
        phone = PHONE_NUMBER.search(line)
        if phone is not None and Field.PHONE not in manager:
            manager[Field.PHONE] = _phone_from(line, phone.start())
        emails = find_emails(line)
        if emails and Field.MANAGER_EMAIL not in manager:
            manager[Field.MANAGER_EMAIL] = emails[0]
    return _Signed(manager, organisation)


def _phone_from(line: str, start: int) -> str:
    """The number from ``start`` with its extension ("poste 1234"), not what follows it on
    the line ("05 62 28 07 31 – jp.labadie@…")."""
    return re.split(r"\s+[–—-]\s+|\s*[|,;/]\s*|\s+(?=\S+@)", line[start:])[0].strip()


def _plain_contact(line: str) -> bool:
    return bool(
        "@" in line or PHONE_NUMBER.search(line) or _PHONE_LABEL.match(line)
        or _POSTCODE.search(" " + line) or _STREET.match(line)
    )  # fmt: skip


def _signed_address(block: Sequence[str], named: int) -> tuple[tuple[str, str] | None, int]:
    """(name, address) from a signature, and the index of the organisation's line."""
    for end, line in enumerate(block):
        if end <= named or not _POSTCODE.search(" " + line) or _NOT_ADDRESS.search(line):
            continue
        whole = _in_one_line(line)  # "Domi'Services Armagnac, 14 rue Gambetta, 32100 Condom"
        if whole is not None:
            return whole, end
        parts = [p.strip() for p in re.split(r"\s+[–—-]\s+|,\s*", line) if p.strip()]
        start = end
        if not _STREET.match(parts[0]):
            while start - 1 > named and (
                _STREET.match(block[start - 1]) or _PREMISES.match(block[start - 1])
            ):
                start -= 1
            if start == end:
                return None, -1
        if start - 1 <= named:
            return None, -1
        address = [*block[start:end], *parts]
        return (block[start - 1], ", ".join(address)), start - 1
    return None, -1


def _billed(text: str) -> tuple[str, str] | None:
    """ "Facturation : Association X, 22 rue de Kerampont, 22300 Lannion", "La facture est à
    adresser à : Département de la Meuse, Hôtel du Département, …" (wrapped lines joined)."""
    for match in _BILLING.finditer(text):
        taken = []
        for line in text[match.end() :].splitlines()[:3]:
            if not line.strip():
                break
            taken.append(line.strip())
            if _POSTCODE.search(" " + line):
                break  # the town ends the address; the next line says something else
        found = _in_one_line(" ".join(taken).rstrip(". "))
        if found is not None:
            return found
    return None


def _heading(line: str | None) -> str | None:
    """The page's first line when it names an organisation, not a person or a label."""
    if not line or any(c.isdigit() for c in line) or ":" in line or "@" in line:
        return None
    return None if _names_a_person(line) or _SALUTATION.match(line) else line


def _stops_block(line: str) -> bool:
    return bool(_CONTACT.match(line) or _REFERENCE.match(line) or _DATED.match(line))


def _contact(lines: Sequence[str]) -> dict[Field, str]:
    """The manager from a "Dossier suivi par : …" block (the lines under it included)."""
    for index, line in enumerate(lines):
        match = _CONTACT.match(line)
        if match is None:
            continue
        rest = match["rest"].rstrip(". ")
        # "Julie GRANGER – Tél. … – j.granger@…"; with commas only when more than a name
        # follows ("Hélène ROCHE, service administratif, h.roche@…, 04 73 90 12 55").
        apart = r"\s+[–—-]\s+|\s*[|;]\s*" + (r"|,\s*" if "@" in rest else "")
        pieces = [p.strip() for p in re.split(apart, rest) if p.strip()]
        following = []
        for below in lines[index + 1 : index + 6]:
            if not below.strip() or _stops_block(below) or _SALUTATION.match(below):
                break
            following.append(below.strip())
        found = _contact_values([*pieces, *following], name_first=bool(pieces))
        if Field.MANAGER_NAME in found:
            return found
    return {}


def _contact_values(pieces: Sequence[str], *, name_first: bool) -> dict[Field, str]:
    found: dict[Field, str] = {}
    for position, piece in enumerate(pieces):
        emails = find_emails(piece)
        phone = PHONE_NUMBER.search(piece)
        if emails:
            found.setdefault(Field.MANAGER_EMAIL, emails[0])
        elif phone is not None or _PHONE_LABEL.match(piece):
            if phone is not None:
                found.setdefault(Field.PHONE, _phone_from(piece, phone.start()))
        elif position == 0 and name_first:
            # "Audrey PÉRÈS (service comptabilité)": the service beside the name.
            name, _, aside = split_civility(piece)[1].partition("(")
            if _names_a_person(name.strip()):
                found[Field.MANAGER_NAME] = name.strip()
                if aside.rstrip(") ").strip():
                    found[Field.SERVICE] = aside.rstrip(") ").strip()
        elif (
            Field.MANAGER_NAME in found
            and Field.SERVICE not in found
            and _MAIL_LABEL.sub("", piece) == piece
            and not any(c.isdigit() for c in piece)
        ):
            found[Field.SERVICE] = re.sub(r"^service\s*:\s*", "", piece, flags=re.IGNORECASE)
    return found


def _participants(text: str, request_at: int) -> list[RawPerson]:
    """The people named from the request on, up to the end of its list.

    The sentence that asks names them, or announces a list ("les personnes
    suivantes :") whose items follow line by line. Someone named further on
    ("la facture à l'attention de Mme X") is no participant.
    """
    end = _request_end(text, request_at)
    region = text[request_at:end]
    mentions = [m for m in find_people(region) if m.first_name and m.last_name]
    mentions = sorted([*mentions, *_untitled_items(region, mentions)], key=lambda m: m.start)
    people = []
    for index, mention in enumerate(mentions):
        stop = mentions[index + 1].start if index + 1 < len(mentions) else len(region)
        people.append(_person(mention, region[mention.end : stop]))
    _addresses_apart(people, text[request_at:])
    return people


def _addresses_apart(people: list[RawPerson], text: str) -> None:
    """ "Leurs adresses : k.delage@… et f.ouali@…": addresses written apart from the names go
    to the person whose family name the address spells, when exactly one address does;
    order alone says nothing."""
    used = {p.email.lower() for p in people if p.email}
    found = {e for e in find_emails(text) if e.lower() not in used}
    for person in people:
        family = letters(person.last_name or "")
        if person.email or len(family) < 3:
            continue
        spelled = [e for e in found if family in letters(e.split("@", 1)[0])]
        if len(spelled) == 1:
            person.email = spelled[0]


def _untitled_items(region: str, titled: Sequence[PersonMention]) -> list[PersonMention]:
    """ "- Anne-Marie LEROUX, directrice adjointe – am.leroux@…": a list item naming someone
    without a civility (left empty: the rules ask a person for it, it is never guessed)."""
    found = []
    position = 0
    for line in region.splitlines(keepends=True):
        start, position = position, position + len(line)
        item = _LIST_ITEM.match(line)
        if item is None or any(start <= m.start < position for m in titled):
            continue
        name = re.split(r"\s*[,(–—:]\s*|\s+-\s+|\t", line[item.end() :].strip(), maxsplit=1)[0]
        if not _names_a_person(name):
            continue
        first, last = split_full_name(name)
        at = start + item.end()
        found.append(PersonMention(None, first, last, None, at, at + len(name)))
    return found


def _person(mention: PersonMention, after: str) -> RawPerson:
    email = mention.email
    if email is None:
        # "pierre-yves.bousquet@aveyron-" / "cd12.fr": an address the line broke.
        after = _BROKEN_ADDRESS.sub(lambda m: m.group(1) or m.group(2), after)
        written = re.search(r"[^\s()<>;:]+@[^\s()<>;]+", after)
        email = written.group(0).rstrip(".,;)»") if written else None
    return RawPerson(mention.civility, mention.first_name, mention.last_name, email)


_ANNOUNCES = re.compile(
    r"\b(?:inscri\w*|participant\w*|agents?|personnes?|stagiaires?|suivant\w*|ci-dessous)\b",
    re.IGNORECASE,
)


def _request_end(text: str, start: int) -> int:
    """Where the request's sentence and the list it announces end."""
    lines_start = text.find("\n", start)
    if lines_start < 0:
        return len(text)
    position = lines_start + 1
    in_list = text[start:lines_start].rstrip().endswith(":")
    sentence_open = not re.search(r"[.]\s*$", text[start:lines_start])
    for line in text[position:].splitlines(keepends=True):
        stripped = line.strip()
        listed = bool(_LIST_ITEM.match(line) or find_people(stripped))
        if not stripped:
            if sentence_open and not in_list:
                break
            position += len(line)
            continue
        # "Les agents inscrits sont :" after the request's sentence announces its list.
        announces = stripped.endswith(":") and _ANNOUNCES.search(stripped) is not None
        if _CLOSING.search(line) or (not listed and not sentence_open and not announces):
            break
        if stripped.endswith(":"):
            in_list = True
        sentence_open = sentence_open and not re.search(r"[.]\s*$", stripped)
        position += len(line)
    return position


def _signatory(lines: Sequence[str]) -> str | None:
    """The signature under a letter's closing formula, as written: the title lines and the
    name ("Pour le Président et par délégation, La Directrice …, Sylvie MARCHAND"), as
    the form's "Par" holds "La Directrice générale, Anne X". A mail's "Cordialement,
    Anne ROUX" is a sign-off, no signature."""
    closing = next((i for i, line in enumerate(lines) if _FORMAL_CLOSING.search(line)), None)
    if closing is None:
        return None
    titles: list[str] = []
    for line in lines[closing + 1 : closing + 10]:
        stripped = line.strip()
        if not stripped:
            continue
        if _TITLE_LINE.search(stripped):
            titles.append(stripped)
            continue
        if stripped.startswith("--") or _CONTACT.match(stripped) or "@" in stripped:
            return None
        if _names_a_person(stripped):
            return _joined([*titles, stripped])
    return None  # a stamp's words ("CONSEIL DÉPARTEMENTAL") are passed over, not taken


def _joined(lines: Sequence[str]) -> str:
    """Lines of a signature as one value: a line the page wrapped ("… et" / "par délégation,")
    goes on with a space, a title ended by its comma with ", "."""
    return re.sub(r"\s*,\s*", ", ", " ".join(lines)).strip(" ,")


def _names_a_person(line: str) -> bool:
    """ "Raymond LAFFITTE", "DUPONT Marie": a family name in capitals beside a first name."""
    words = split_civility(line)[1].split()
    return (
        2 <= len(words) <= 5
        and not any(c.isdigit() for c in line)
        and any(is_upper_word(w) for w in words)
        and any(_first_name_like(w) for w in words)
    )


def _first_name_like(word: str) -> bool:
    parts = word.split("-")
    return all(p[:1].isupper() and p[1:].islower() for p in parts)


def _count(folded: str) -> int | None:
    match = _COUNT_TOLD.search(folded)
    if match is None:
        return None
    return count_value(match["n"] or match["m"])


def _total(folded: str) -> Decimal | None:
    match = _TOTAL_TOLD.search(folded)
    return None if match is None else parse_amount(match["amount"])
