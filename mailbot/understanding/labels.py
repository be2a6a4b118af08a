"""The words forms use for each field, and a forgiving matcher (variants, OCR slips).

Label text is folded (lower case, no accents), parentheses dropped, and compared
whole — "Adresse" and "Adresse e-mail" are different labels.
"""

from __future__ import annotations

import difflib
import re
from enum import StrEnum
from functools import lru_cache

from mailbot.understanding.dates import fold


class Field(StrEnum):
    ORG_NAME = "organisation.name"
    ADDRESS = "organisation.address"
    MANAGER_NAME = "manager.full_name"
    MANAGER_EMAIL = "manager.email"
    SERVICE = "manager.service"
    PHONE = "manager.phone"
    MANAGER_ROW = "manager"  # "Gestionnaire: name  email  service  phone" in one row
    COUNT = "declared_count"
    TOTAL = "declared_total_eur"
    PLACE = "signed_place"
    SIGNED_DATE = "signed_date"
    SIGNATORY = "signatory"
    SESSION = "session"
    # An address asked in parts ("Code postal", "Ville"): joined to the street once read.
    POSTCODE = "organisation.postcode"
    CITY = "organisation.city"
    # participant columns / lines
    CIVILITY = "civility"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    FULL_NAME = "full_name"  # "Nom et prénom" in one cell
    EMAIL = "email"
    IGNORED = "ignored"  # Fonction, Service of a participant, structure column...


# The manager's details, each a field of its own.
MANAGER_FIELDS = frozenset({Field.MANAGER_NAME, Field.MANAGER_EMAIL, Field.SERVICE, Field.PHONE})


class Section(StrEnum):
    ORGANISATION = "organisation"
    MANAGER = "manager"
    PARTICIPANTS = "participants"
    PARTICIPANT = "participant"  # "Participant 2" block
    SIGNATURE = "signature"
    # "Second contact", "Responsable hiérarchique": someone else's details, added by the
    # organisation; never the manager's.
    ASIDE = "aside"


_FIELD_LABELS: dict[Field, tuple[str, ...]] = {
    Field.ORG_NAME: (
        "denomination", "nom de la structure", "raison sociale", "organisme", "nom de l organisme",
        "structure", "nom de l etablissement", "collectivite", "organisme client",
        "nom de la collectivite", "denomination de l organisme", "employeur",
        "denomination de l organisme client", "nom de l organisme client",
        "nom de l institution", "institution", "nom de l association",
        "etablissement payeur", "organisme payeur", "structure payeuse", "denom",
        "nom de l entite", "entite", "organisme de rattachement", "structure de rattachement",
        "etablissement de rattachement", "nom de l employeur", "denomination de l employeur",
        "raison sociale de l employeur", "denomination de la structure", "entite facturee",
        "raison sociale de la structure", "denomination organisme", "denomination structure",
        "nom organisme", "nom structure", "structure facturee", "organisme facture",
        "structure inscrite", "organisme inscrit",
        # A bilingual template's English half, or an English one.
        # A hurried mail's abbreviations: "Org. : Maison d'enfants X".
        "org", "orga",
        "organisation name", "organization name", "name of the organisation", "organisation",
        "organization", "name of organisation", "name of organization", "company", "company name",
    ),
    Field.ADDRESS: (
        "adresse postale", "adresse", "adresse de facturation", "adresse complete",
        "adresse de la structure", "adresse de l organisme", "adresse de l etablissement",
        "adresse de la collectivite", "adresse du siege", "siege social", "siege", "adresse postale complete",
        "adresse de l institution", "adresse de l association", "coordonnees postales",
        "adr", "adr postale", "postal address", "address", "mailing address", "street address",
        "billing address", "invoice address", "invoicing address",
        "adresse d envoi de la facture", "adresse d envoi", "adresse d expedition de la facture",
        "adresse de l employeur", "n et voie", "numero et voie", "n et rue",
    ),
    Field.MANAGER_NAME: (
        "prenom et nom", "nom et prenom", "nom du responsable de l inscription",
        "responsable inscription", "gestionnaire inscription", "nom du responsable du dossier",
        "responsable de l inscription", "nom du gestionnaire", "nom du responsable",
        "suivi du dossier par", "gestionnaire du dossier", "suivi par",
        "suivi assure par", "suivi administratif assure par", "dossier suivi administrativement par",
        "responsable", "contact", "dossier suivi par", "nom prenom", "prenom nom",
        "gestionnaire de l inscription", "interlocuteur", "interlocutrice", "nom de l interlocuteur",
        "personne a contacter", "nom du contact", "referent", "referente", "referent formation",
        "contact person", "registration manager", "registration handled by",
        "personne en charge du dossier", "personne en charge de l inscription",
        "charge du dossier", "chargee du dossier", "affaire suivie par",
        "referent administratif", "referente administrative", "contact administratif",
        "commande suivie par", "contact commande", "votre contact", "votre interlocuteur",
        "votre interlocutrice", "contact pour l inscription", "contact inscription",
        "referent du dossier", "referente du dossier", "referent de l inscription",
        "referente de l inscription", "responsable du dossier", "responsable de la demande",
        "personne chargee du dossier", "personne chargee de l inscription", "gestionnaire rh",
        "contact pour l inscription", "contact inscription", "nom du referent",
        "nom de la referente", "nom du referent administratif", "nom de l interlocutrice",
        "charge de formation", "chargee de formation",
        # An online form's English questions ("Registration manager – Full name").
        "full name", "contact name", "manager name", "first name and last name",
        "first and last name", "person in charge of the registration", "person in charge",
        "registration contact",
    ),
    Field.MANAGER_EMAIL: (
        "adresse e mail", "adresse mail", "courriel", "mel", "e mail", "email", "mail",
        "adresse electronique", "adresse courriel", "e mail du gestionnaire", "adresse mel",
        "messagerie", "adresse de messagerie", "messagerie electronique", "courrier electronique",
    ),
    Field.SERVICE: (
        "service", "direction", "service direction", "service ou direction", "direction service", "serv",
        "pole service", "service pole", "pole", "pole direction", "department", "unite",
        "service gestionnaire", "direction service gestionnaire",
    ),
    Field.PHONE: (
        "telephone", "tel", "portable", "telephone fixe", "numero de telephone", "tel.", "phone",
        "n de telephone", "no de telephone", "n tel", "no tel", "numero de tel", "tel direct",
        "ligne directe", "telephone direct", "telephone portable", "mobile", "tel fixe portable",
        "telephone fixe portable", "tel portable", "phone number", "telephone number",
        "tel fixe", "n de tel", "tel bureau", "telephone bureau", "telephone professionnel",
        "tel professionnel", "tel pro",
    ),
    Field.MANAGER_ROW: ("gestionnaire", "gest"),
    Field.COUNT: (
        "nombre de participants", "nombre d inscrits", "nombre total d inscrits", "nb d inscrits",
        "nombre de personnes", "nombre total de participants", "nb de participants", "nombre",
        "nombre de personnes inscrites", "nombre d agents", "nombre de stagiaires",
        "nombre de salaries", "nombre de professionnels", "nbre de participants",
        # Not "nb participants": OCR's fuzzy match would take "Participants" for it.
        "nombre de places", "number of attendees", "number of participants",
        "nb part", "nb de part", "nbre part", "nbre de part", "nb parts",
        "nombre de participantes", "nombre d inscrites", "nombre de salariees",
        # A purchase order's line: "Quantité | 2".
        "quantite", "qte",
        "effectif", "effectifs", "effectif inscrit", "effectif total", "nombre d agents inscrits",
        "nb de stagiaires", "nombre de stagiaires inscrits", "total participants",
        "nb de personnes", "nb personnes",
        "nombre total d agents", "nb d agents", "nb agents",
    ),
    Field.TOTAL: (
        "montant total", "total a facturer", "montant net total", "montant", "total",
        "net a payer", "montant a regler", "total a regler", "montant ttc", "total ttc",
        "somme totale",
        "montant net total des frais d inscription", "montant a facturer", "cout total",
        "montant total ttc", "montant total net", "total amount", "montant net",
        "total net a payer", "total a payer", "montant a payer", "net a payer ttc", "total net",
        "cout global", "somme due", "montant du", "somme a regler", "montant global",
        "cout de la formation", "cout total de la formation", "cout total de l inscription",
        # An HR training request's wording ("Frais pédagogiques / agent" is a price).
        "cout pedagogique total", "cout pedagogique global", "total des frais pedagogiques",
    ),
    Field.PLACE: (
        "fait a", "faita", "lieu", "a", "lieu de signature", "place", "signed at", "place of signature",
        "etabli a", "signe a", "fait et signe a", "redige a", "etablie a",
    ),
    Field.SIGNED_DATE: (
        "le", "date de signature", "date de la signature", "date of signature", "signature date",
        "signed on", "on", "date signed", "en date du", "date de signature du bulletin",
    ),
    Field.SIGNATORY: (
        "par", "signataire", "signature", "nom du signataire", "signe par", "signe", "signee par",
        "nom et qualite du signataire", "nom qualite", "par nom du signataire", "signed by",
        "name of signatory", "le representant legal", "representant legal", "le signataire",
        "signatory", "visa du directeur", "visa de la direction", "visa",
        "autorite signataire", "pour l autorite territoriale", "l autorite territoriale",
        "personne signataire", "nom et fonction du signataire", "signataire habilite",
        "l autorite habilitee", "autorite habilitee", "l autorite habilitee a signer",
        "visa et signature du responsable", "visa et signature", "signature du responsable",
        "le representant de l organisme", "representant de l organisme", "ordonnateur",
        "l ordonnateur", "signature et qualite du signataire", "qualite du signataire",
        "nom qualite et signature du signataire", "nom et signature du signataire",
    ),
    Field.SESSION: (
        "web seminaire", "webinaire", "intitule", "session", "session choisie", "date",
        "formation", "journee d etude", "seminaire", "date de la session", "intitule de la formation",
        "titre", "date du webinaire", "date de session",
    ),
    Field.POSTCODE: (
        "code postal", "cp", "postal code", "zip code", "postcode", "zip postal code",
        # The town asked on the same line: "Code postal – Ville | 21000 Dijon".
        "code postal ville", "cp ville", "code postal et ville", "code postal commune",
        "cp commune", "code postal localite",
    ),
    Field.CITY: ("ville", "commune", "localite", "city", "town"),
}  # fmt: skip

_PARTICIPANT_COLUMNS: dict[Field, tuple[str, ...]] = {
    Field.CIVILITY: (
        "civilite", "civ", "civ.", "titre", "genre", "m mme", "title", "salutation", "mme m",
        "mme mr", "mr mme", "madame monsieur", "monsieur madame", "m mme mlle", "mme mlle m",
    ),
    Field.FIRST_NAME: ("prenom", "prenoms", "first name", "prenom usuel"),
    Field.LAST_NAME: ("nom", "nom de famille", "nom d usage", "last name", "surname"),
    Field.FULL_NAME: (
        "nom et prenom", "prenom et nom", "nom prenom", "prenom nom", "participant", "name",
        "full name", "nom complet", "identite",
    ),
    Field.EMAIL: (
        "adresse e mail de connexion", "adresse e mail", "courriel", "mel", "e mail", "email",
        "mail", "adresse mail", "adresse electronique", "e mail de connexion", "courriel de connexion",
        "adresse de connexion", "adresse mail de connexion", "login e mail", "mail de connexion",
        "mel de connexion",
        # An HR export's column: the work address, the one a webinar link goes to.
        "mail pro", "mail professionnel", "e mail professionnel", "email professionnel",
        "email pro", "e mail pro", "courriel professionnel", "adresse mail professionnelle",
        "adresse e mail professionnelle", "messagerie", "messagerie professionnelle",
        "work email", "work e mail", "business email",
    ),
    Field.IGNORED: (
        "fonction", "service", "structure", "raison sociale", "nom de la structure", "n", "no",
        "telephone", "tel", "poste", "etablissement", "qualite", "direction", "grade", "#",
        "poste occupe", "fonction occupee", "emploi occupe",
        # Columns an organisation adds beside the names: read past, never a name.
        "observations", "observation", "commentaire", "commentaires", "remarques", "remarque",
        "statut", "metier", "emploi", "profession", "site", "tarif", "tarif unitaire", "montant",
        "prix", "prix unitaire", "cout", "cout unitaire", "cout total", "cout formation",
        "job title", "position",
        # An HR export's other columns; a private address beside the work one is not the
        # one to connect with, and alone it leaves the e-mail missing, for a person to ask.
        "matricule", "date de naissance", "courriel personnel", "mail perso", "mail personnel",
        "e mail personnel", "email personnel", "adresse mail personnelle",
        "n matricule", "n agent", "numero agent", "numero d agent", "identifiant", "id agent",
        "id", "ref", "reference", "code", "code agent", "n salarie", "numero de salarie",
        "date d entree", "date entree", "date d embauche", "anciennete", "categorie",
        "affectation", "lieu d affectation", "contrat", "type de contrat", "quotite",
    ),
}  # fmt: skip

_SECTIONS: dict[Section, tuple[str, ...]] = {
    Section.ORGANISATION: (
        "organisme client", "la structure", "etablissement", "structure", "organisme",
        "employeur", "identification de l organisme", "identification de la structure",
        "identification de l etablissement", "identification de l employeur", "beneficiaire",
        "structure beneficiaire", "organisme beneficiaire",
        "etablissement payeur", "organisme payeur", "structure payeuse",
        "l organisme", "coordonnees de l organisme", "votre structure", "collectivite",
        "client organisation", "organisation", "organization",
    ),
    Section.MANAGER: (
        "gestionnaire de l inscription", "responsable de l inscription", "suivi du dossier",
        "gestionnaire", "contact", "personne a contacter", "interlocuteur", "interlocutrice",
        "responsable du suivi", "responsable du dossier", "referent", "referente",
        "personne referente", "correspondant", "correspondante", "contact administratif",
        "referent administratif", "referente administrative", "registration manager",
        "contact person",
        # An organisation's own form or purchase order: "2. Référent formation", "Contact
        # commande", then "Nom : …", "Mél : …".
        "referent formation", "referente formation", "responsable formation", "contact formation",
        "contact commande", "suivi de la commande", "commande suivie par",
        "gestionnaire administratif", "gestionnaire administrative", "responsable administratif",
        "responsable administrative", "gestionnaire du dossier", "suivi administratif",
        "gestion du dossier", "suivi de l inscription", "suivi du dossier administratif",
        "gestionnaire rh", "gestionnaire formation",
        # "DOSSIER SUIVI PAR" over "Bénédicte GAUTIER – Pôle offre médico-sociale".
        "dossier suivi par", "suivi par", "affaire suivie par", "inscription suivie par",
        # Headings over "Nom : …", "Courriel : …", as "Responsable du dossier" is.
        "personne en charge de l inscription", "personne en charge du dossier",
        "personne chargee de l inscription", "personne chargee du dossier",
    ),
    Section.PARTICIPANTS: (
        "participants", "liste des inscrits", "inscrits", "liste des participants",
        "personnes inscrites", "stagiaires", "agents inscrits", "participant", "participante",
        "attendees", "attendee", "participants list", "list of attendees", "list of participants",
        "inscriptions", "liste des stagiaires", "agent concerne", "agents concernes",
        "stagiaire", "liste des personnes inscrites", "personnes a inscrire", "agents a inscrire",
        "inscrit", "inscrite", "personne inscrite", "agent inscrit",
    ),
    Section.SIGNATURE: ("signature et cachet", "signature", "cachet"),
    Section.ASIDE: (
        "second contact", "deuxieme contact", "2e contact", "2eme contact", "autre contact",
        "contact secondaire", "contact suppleant", "suppleant", "suppleante",
        "responsable hierarchique", "superieur hierarchique", "contact comptable",
        "contact facturation", "contact pour la facturation", "en cas d absence",
        # The payer's accounts: their address is the organisation's, their e-mail no one's.
        "facturation", "informations de facturation", "donnees de facturation",
        "renseignements de facturation",
    ),
}  # fmt: skip


_FEMININE = re.compile(r"\(e\)")
_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_WORD = re.compile(r"[^a-z0-9#]+")


# "1.1 Raison sociale", "2) Courriel", "B. Adresse": the form's numbering before a label.
_LABEL_NUMBER = re.compile(
    r"^\s*(?:\d{1,2}(?:\.\d{1,2}){1,2}\.?|\d{1,2}[.)]|[A-H][.)]|[a-n]\)|[A-H]\s+[-–]|[IVX]{1,4}[.)])\s+"
)


# "Civi- lité", or "Civi-, lité" from a cell's two lines joined as an address's are.
_WORD_WRAPPED = re.compile(r"(?<=\w{3})-,? (?=[a-zà-ÿ])")


def normalise_label(text: str) -> str:
    """Folded label: no accents, no parentheses, no punctuation, single spaces."""
    text = _LABEL_NUMBER.sub("", text, count=1)
    text = _WORD_WRAPPED.sub("", text)  # "Civi- lité": a narrow header cell's hyphenation
    if text.strip(" :\t") == "@":
        return "e mail"  # "@ : a.roux@x.fr": the sign alone labels an address
    folded = _FEMININE.sub("", fold(text))  # "inscrit(e)s" -> "inscrits"
    if "(" in folded:
        folded = _PARENTHESES.sub(" ", folded)
    return _NOT_WORD.sub(" ", folded).strip()


def _index(table: dict[object, tuple[str, ...]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, labels in table.items():
        for label in labels:
            out.setdefault(normalise_label(label), key)
    return out


_FIELD_INDEX = _index(_FIELD_LABELS)  # type: ignore[arg-type]
_COLUMN_INDEX = _index(_PARTICIPANT_COLUMNS)  # type: ignore[arg-type]
_SECTION_INDEX = _index(_SECTIONS)  # type: ignore[arg-type]


# "Courriel du responsable", "Téléphone du gestionnaire": a known label, and whose it is.
_OWNER = re.compile(
    r" (?:(?:du|de la|de l|de) (?:responsable|gestionnaire|contact|interlocut(?:eur|rice)|"
    r"referente?|participante?|demandeur)(?: de l inscription)?|"
    # "Tél. interlocuteur", "E-mail gestionnaire": the manager's, named without "du".
    r"(?:responsable|gestionnaire|interlocut(?:eur|rice)))$|"
    # "Gestionnaire – Prénom et NOM": the owner first, as a table's merged heading reads.
    r"^(?:gestionnaire|responsable|interlocut(?:eur|rice))(?: de l inscription)? (?=\w)|"
    # "Registration manager – Email", "Contact phone": an English form's owner, first too.
    r"^(?:(?:registration )?(?:manager|contact)(?: person)?|your) (?=\w)"
)


def _known(index: dict[str, object], key: str) -> object | None:
    if key in index:
        return index[key]
    owned = _OWNER.sub("", key)
    return index.get(owned) if owned != key else None


def _lookup(index: dict[str, object], label: str, fuzzy: bool) -> object | None:
    key = normalise_label(label)
    if not key:
        return None
    if (found := _known(index, key) or _unhyphenated(index, label)) is not None:
        return found
    # "Nom et prénom du contact": the longest known label of two words or more it starts with.
    prefixes = [k for k in index if len(k.split()) >= 2 and key.startswith(k + " ")]
    if prefixes:
        return index[max(prefixes, key=len)]
    if fuzzy and len(key) >= 6:
        close = difflib.get_close_matches(key, list(index), n=1, cutoff=0.86)
        if close:
            return index[close[0]]
    return _french_half(index, label, fuzzy)


def _french_half(index: dict[str, object], label: str, fuzzy: bool) -> object | None:
    """ "Dénomination / Organisation name": a bilingual form's label is its French half
    (tried only when the whole is unknown: "Nom / Prénom" is one label)."""
    if " / " not in label:
        return None
    first, second = label.split(" / ", 1)
    # "Total due / Montant dû": the French half may come second.
    return _lookup(index, first, fuzzy) or _lookup(index, second, fuzzy)


def _exact(index: dict[str, object], label: str) -> object | None:
    found = _known(index, normalise_label(label))
    if found is None and " / " in label:  # a bilingual label's French half, as in _lookup
        found = _known(index, normalise_label(label.split(" / ", 1)[0]))
    return found if found is not None else _unhyphenated(index, label)


def _unhyphenated(index: dict[str, object], label: str) -> object | None:
    """ "Civi-lité": a narrow header cell's hyphenation, its two lines rejoined."""
    if not _MID_WORD_HYPHEN.search(label):
        return None
    return _known(index, normalise_label(_MID_WORD_HYPHEN.sub("", label)))


_MID_WORD_HYPHEN = re.compile(r"(?<=[a-zà-ÿ]{3})-(?=[a-zà-ÿ]{3})")


@lru_cache(maxsize=8192)
def exact_field(label: str) -> Field | None:
    """The field of a label written exactly as a known one, nothing after it."""
    found = _exact(_FIELD_INDEX, label)
    return found if isinstance(found, Field) else None


@lru_cache(maxsize=8192)
def exact_column(label: str) -> Field | None:
    found = _exact(_COLUMN_INDEX, label)
    return found if isinstance(found, Field) else None


@lru_cache(maxsize=8192)
def field_for(label: str, fuzzy: bool = False) -> Field | None:
    found = _lookup(_FIELD_INDEX, label, fuzzy)
    return found if isinstance(found, Field) else None


@lru_cache(maxsize=8192)
def column_for(label: str, fuzzy: bool = False) -> Field | None:
    found = _lookup(_COLUMN_INDEX, label, fuzzy)
    return found if isinstance(found, Field) else None


def _tails(index: dict[str, object]) -> dict[str, set[object]]:
    out: dict[str, set[object]] = {}
    for key, owner in index.items():
        words = key.split()
        for start in range(1, len(words)):
            out.setdefault(" ".join(words[start:]), set()).add(owner)
    return out


_FIELD_TAILS = _tails(_FIELD_INDEX)


def is_label(text: str) -> bool:
    """Whether ``text`` is one of the form's labels or column headers, a colon or not."""
    text = text.strip().rstrip(" :")
    return exact_field(text) is not None or exact_column(text) is not None


def ends_a_label(text: str, field: Field) -> bool:
    """Whether ``text`` is the end of one of ``field``'s labels ("de l'organisme" of
    "Dénomination de l'organisme"): a label's second line, wrapped in its cell."""
    return field in _FIELD_TAILS.get(normalise_label(text), ())


# "3. PARTICIPANTS", "II - Organisme", "B) Gestionnaire": a numbered heading is its words.
_NUMBERING = re.compile(r"^\s*(?:\d{1,2}|[IVX]{1,4}|[A-H])\s*[.)\-–]\s+")


def unnumbered(heading: str) -> str:
    """A heading without its number: "3. PARTICIPANTS" -> "PARTICIPANTS"."""
    return _NUMBERING.sub("", heading, count=1)


_ARTICLE = re.compile(r"^(?:l|le|la|les|vos|votre|nos|notre) (?=\w{4})")


@lru_cache(maxsize=8192)
def section_for(label: str, fuzzy: bool = False) -> Section | None:
    if " / " in label:  # "Billing / Facturation": a bilingual heading, either half
        first, second = label.split(" / ", 1)
        return section_for(first, fuzzy) or section_for(second, fuzzy)
    label = unnumbered(label)
    key = _ARTICLE.sub("", normalise_label(label), count=1)  # "L'ORGANISME", "LE GESTIONNAIRE"
    if re.fullmatch(
        r"(?:participante?|attendee) (?:n |no |numero )?\d{1,2}|\d{1,2}(?:er|ere|e|eme)? participante?",
        key,
    ):
        return Section.PARTICIPANT
    found = _lookup(_SECTION_INDEX, key, fuzzy)
    return found if isinstance(found, Section) else None


def is_heading(text: str) -> bool:
    """A section's heading and nothing else: "Organisme-client", "2. GESTIONNAIRE :"
    (not "Organisme-client Dénomination ACME", which ``section_for`` takes for one)."""
    label = unnumbered(text.strip().rstrip(" :"))
    key = _ARTICLE.sub("", normalise_label(label), count=1)
    return key in _SECTION_INDEX or section_for(label) is Section.PARTICIPANT


_BLOCK_LINES = 3


def opens_block(lines: list[str]) -> bool:
    """Lines of a cell that hold a section of the form rather than a value: a heading
    then more, or labels over their values ("Dénomination" / "ACME" / "Adresse" / …)."""
    lines = [line.strip() for line in lines if line.strip()]
    if len(lines) < _BLOCK_LINES:
        return False
    return (
        is_heading(lines[0])
        or sum(exact_field(line.rstrip(" :")) is not None for line in lines) >= 2
    )
