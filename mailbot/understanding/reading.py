"""From a parsed mail to an (unvalidated) Understanding: classify, pick the form, fill fields."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from email.utils import getaddresses

from mailbot.catalog import Catalog
from mailbot.understanding import bounces, classify
from mailbot.understanding.amounts import COUNT, count_value, parse_amount, spelled_amounts
from mailbot.understanding.bodies import REPLY_OR_FORWARD, split_history, text_of
from mailbot.understanding.dates import (
    compact,
    either_order,
    find_dates,
    fold,
    parse_date,
    written_in_english,
)
from mailbot.understanding.documents import extract_document
from mailbot.understanding.documents.html import stamp_in_html
from mailbot.understanding.documents.model import (
    COVERED,
    E_SIGNED,
    INK_SIGNED,
    SCAN_SIGNED,
    Document,
    DocumentProblem,
)
from mailbot.understanding.emails import (
    domain_of,
    find_emails,
    is_valid,
    misread_tld,
    near_miss,
    repair_ocr,
    slipped_name,
    split_in_name,
)
from mailbot.understanding.form_reader import FORMULA, STREET, UNIT_WORDS, RawForm, RawPerson
from mailbot.understanding.invitations import answers_an_invitation, invitation_texts
from mailbot.understanding.labels import Field, exact_column, exact_field
from mailbot.understanding.letter_reader import is_letter, read_letter
from mailbot.understanding.lexicon import (
    PHONE_NUMBER,
    lexicon_of,
    snap_email,
    snap_phone,
    snap_text,
)
from mailbot.understanding.mime import Attachment, MailView, parse_mail
from mailbot.understanding.model import (
    AttachmentSummary,
    BuyerHints,
    Decision,
    Kind,
    Manager,
    Organisation,
    Person,
    Sender,
    SessionRef,
    Understanding,
)
from mailbot.understanding.names import (
    PARTICLES,
    clean_value,
    is_upper_word,
    letters,
    names_a_person,
    opens_with_title,
    split_civility,
    writes_a_name,
)
from mailbot.understanding.replacement import (
    PersonMention,
    addresses_beside,
    find_people,
    find_replacement,
    on_behalf,
    others_named,
    with_writer,
    writes_for_self,
)
from mailbot.understanding.sessions import (
    SessionProblem,
    dated_webinars,
    declines_chosen_day,
    find_session,
    find_webinars,
    named_webinars,
    names_another_session,
    unless_other_day_asked,
    unless_other_webinar_dated,
)
from mailbot.understanding.sources import (
    BodyText,
    FormSource,
    attachment_sources,
    body_text,
    forwarded_texts,
    from_text,
    headers_of,
    may_hold_a_form,
    with_covering_note,
    without_headers,
)
from mailbot.understanding.vcards import Card, is_vcard, read_cards

FORM_SCORE = 5  # distinct form fields (participants count 2) that make a registration form
OCR_CONFIDENCE_FLOOR = 80.0  # mean Tesseract word confidence below which nothing is certain
_ABOUT_US = re.compile(
    r"webinaire|web-s[ée]minaire|inscri|cpom|formation|journ[ée]e d'[ée]tude|session|facture|"
    r"bulletin|particip|ipp\b|programme|convention|chorus|devis|"
    # A participant's details put right: "l'adresse de Mme X est erronée, la bonne est …"
    r"adresse (?:e-?mail|mail|[ée]lectronique|de messagerie)|erron[ée]|lien de connexion|"
    r"rempla[cç]|annul",
    re.IGNORECASE,
)
_FORM_WORDS = re.compile(r"inscri|bulletin|formulaire|fiche", re.IGNORECASE)
# A registering verb, then someone named with a civility and an address within the line.
_REGISTERS_SOMEONE = re.compile(
    r"\b(?:inscri(?:t|vons|vent|re|vez)|nous\s+inscrivons)\b[^\n]{0,400}?"
    r"\b(?:M\.|Mme|Mlle|Monsieur|Madame)\s+[^\n@]{2,60}?[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    re.IGNORECASE,
)
_ATTACHED = re.compile(
    r"ci-?\s?joint|pi[èe]ces? jointes?|\bp\.?\s?j\.?\b|en annexe|voici|vous trouverez",
    re.IGNORECASE,
)


# A file handed over by a link rather than attached.
_SHARED_LINK = re.compile(
    r"https?://\S*(?:wetransfer|we\.tl|drive\.google|docs\.google|dropbox|sharepoint|onedrive|"
    r"1drv\.ms|francetransfert|swisstransfer|fromsmash|filesender|nextcloud|docusign|yousign)|"
    # A bare "lien ci-dessous" is also an anti-spam robot's captcha: only a file's link.
    r"lien de t[ée]l[ée]chargement|"
    r"t[ée]l[ée]charger (?:les|le|vos) fichiers?|vous a envoy[ée] des fichiers|"
    r"a partag[ée] (?:un|le|ce) (?:document|dossier|fichier)",
    re.IGNORECASE,
)


_OWN_CREDENTIALS = re.compile(
    r"votre mot de passe|vos identifiants|connectez-vous|your password|sign in", re.IGNORECASE
)


def _form_behind_link(mail: MailView, text: str) -> bool:
    """A form sent as a download link, with no document in the mail to read."""
    if any(may_hold_a_form(a) for a in mail.attachments) or classify.impersonates_a_service(mail):
        return False
    if _FORM_WORDS.search(mail.subject + "\n" + text) is None or not _SHARED_LINK.search(text):
        return False
    junk = classify.junk_reason(mail, text)
    # France Transfert says "Le mot de passe vous sera communiqué par l'expéditeur"; a
    # phishing page asks for the reader's own.
    return junk is None or (junk == "phishing" and not _OWN_CREDENTIALS.search(text))


def _extract(attachment: Attachment) -> list[Document]:
    return extract_document(
        attachment.data, filename=attachment.filename, content_type=attachment.content_type
    )


def _backscatter(mail: MailView, own_mailbox: str) -> bool:
    """A bounce of junk sent by someone else in our name: the mail it returns is no mail
    of ours (its Message-ID is another domain's) and reads as spam or phishing. Staff
    have no address to fix; a bounce of one of our mails is never junk."""
    domain = own_mailbox.rpartition("@")[2].lower()
    for inner in mail.forwarded:
        if (inner.message_id or "").lower().rstrip("> ").endswith("@" + domain):
            return False
        if classify.junk_reason(inner, text_of(inner)) in ("spam", "phishing"):
            return True
    return False


def _our_own(mail: MailView, own_mailbox: str) -> bool:
    """Sent from our mailbox, or by one of our staff, to someone else (a copy to ourselves
    in Cc or Bcc): our own mail, come back. One sent to the mailbox (staff passing on a
    form received by post) is read."""
    own = own_mailbox.lower()
    sender = (mail.from_address or "").lower()
    if sender != own and sender.rpartition("@")[2] != own.rpartition("@")[2]:
        return False
    return own not in mail.headers.get("to", "").lower()


def read_mail(raw: bytes, catalog: Catalog) -> Understanding:
    mail = parse_mail(raw)
    base = _envelope(mail)
    if bounces.is_bounce(mail):
        if _backscatter(mail, catalog.mailbox):
            return replace(base, kind=Kind.OTHER, reasons=("spam",))
        return replace(base, kind=Kind.BOUNCE, bounce=bounces.bounce_info(mail, catalog.mailbox))
    if _our_own(mail, catalog.mailbox):
        # A copy of a mail we sent (a Bcc to ourselves, a server's "sent" echo): the
        # confirmation we wrote, with the client's form we attached back to it, is no
        # registration to record a second time.
        return replace(base, kind=Kind.OTHER, reasons=("own_mail",))
    if classify.is_payer_notice(mail):
        return replace(base, kind=Kind.QUESTION, reasons=("question",))
    body = body_text(mail)
    # An online form or a workflow may mark the mail it sends automatic: a form typed in
    # the body is read all the same, never ignored.
    body_source = from_text("body", body.new)
    typed_form = body_source.form.score() >= FORM_SCORE
    if not typed_form and _form_behind_link(mail, body.new):
        # WeTransfer, a shared drive, France Transfert: the form is not in the mail. Such a
        # service's notice is automatic, but it carries a registration all the same.
        return replace(base, kind=Kind.REGISTRATION, reasons=("form_behind_link",))
    if classify.is_dmarc_report(mail) or (classify.is_notification(mail) and not typed_form):
        return replace(base, kind=Kind.OTHER, reasons=("notification",))
    if classify.is_auto_reply(mail) and not typed_form:
        return replace(base, kind=Kind.AUTO_REPLY)
    sources, seen = attachment_sources(mail, _extract)
    base = replace(base, attachments=tuple(_summary(a, p) for a, p in seen))
    forwarded = [] if _answers_us(catalog, body) else forwarded_texts(body)
    for inner in mail.forwarded:
        inner_body = body_text(inner)
        forwarded += [inner_body.new, *forwarded_texts(inner_body)]
        inner_sources, inner_seen = attachment_sources(inner, _extract)
        sources += inner_sources
        seen += inner_seen  # a broken form inside a forwarded mail is still unreadable
    remarks = [r for s in sources if s.document is not None for r in s.document.remarks]
    base = replace(base, remarks=tuple(dict.fromkeys(remarks)))
    body_sources = [body_source]
    body_sources += [from_text("forwarded", text) for text in forwarded]
    # An export's rows give the people; the mail says the count, the total, who signs.
    sources = [with_covering_note(s, body_source) if s.form.roster else s for s in sources]
    forms = [
        s
        for s in [*body_sources, *sources]
        if s.form.score() >= FORM_SCORE
        and not _ours(s.form, catalog.mailbox)
        and not _letter_like(s)
    ]
    participant_lists = [
        s
        for s in [*sources, *body_sources]
        if s.form.participants and s not in forms and not _ours(s.form, catalog.mailbox)
    ]
    written = "\n".join([body.new, *forwarded])
    if forms:
        registration = _registration(base, catalog, mail, body.new, forms, participant_lists)
        # Asked beside the form: confirming alone would leave it unanswered.
        # "Adresse de facturation : …" naming the organisation's own address, or "merci
        # d'adresser la facture à Mme X", the form's manager, asks nothing.
        on_form = _billed(registration)
        asked = classify.side_question(written, form=on_form)
        # A note on the attached form itself ("Merci de facturer au siège : …", in pen on
        # a scan) asks as much as one in the mail.
        noted = [
            q for s in forms if s in sources and (q := classify.side_question(s.text, form=on_form))
        ]
        asked = asked or next(iter(noted), None)
        if (
            len(forms) == 1
            and classify.mentions_replacement(written, beside_form=True)
            and not classify.swaps_the_manager(written)
        ):
            swap = _replacement(base, catalog, mail, written)
            if _recalls_old_form(registration, swap):
                if swap.session is None and registration.session_problem is None:
                    swap = replace(swap, session=registration.session, session_problem=None)
                return replace(swap, side_question=classify.side_question(written, changes=False))
            newcomer = _newcomers_form(registration, swap)
            if (
                newcomer is None
                and forms[0] in sources  # a replacement's own form, not the mail's words
                and classify.mentions_replacement(forms[0].text)
            ):
                newcomer = _swap_form(registration, swap)
            if newcomer is not None:
                return replace(
                    newcomer, side_question=classify.side_question(written, changes=False)
                )
        # A purchase order sent with the form carries the buyer's Chorus Pro identifiers;
        # it, or a signed cover letter, commits an amount, a session and people too.
        beside = [s.text for s in sources if s not in forms]
        others = "\n".join(beside)
        buyer = _merged(registration.buyer, _buyer_hints(others)) if others else None
        if asked is None and not (buyer or registration.buyer).engagement_number:
            # "à rappeler sur la facture" and no number found to print on it.
            asked = classify.number_for_invoice(written)
        year = mail.date.year if mail.date else 2026
        # The request forwarded with the form, the papers, an invitation to the day.
        around = [*forwarded, *beside, *invitation_texts(mail)]
        registration = _unless_other_session(registration, catalog, around, year)
        registration = _unless_others_named(registration, around, mail)
        registration = _unless_cards_differ(registration, _cards(mail))
        return replace(
            _unless_other_total(registration, [written, *beside]),
            side_question=asked,
            sent_again=classify.says_sent_again(written)
            or _sent_before(mail, body, catalog.mailbox),
            buyer=buyer or registration.buyer,
            away_reply=classify.is_away_robot(mail),
        )
    if answers_an_invitation(mail):
        # "Accepté : …": the calendar answered for its owner, as an out-of-office does.
        return replace(base, kind=Kind.AUTO_REPLY)
    if classify.is_invitation(mail):
        # A meeting in someone's calendar: nothing to register, nothing to answer by mail.
        return replace(base, kind=Kind.OTHER, reasons=("invitation",))
    text = body.new if body.new.strip() else body.full
    if (
        not seen
        and REPLY_OR_FORWARD.match(mail.subject)
        and classify.only_thanks(body.new, mail.from_name)
    ):
        # "Merci, bien reçu !" under our confirmation: nothing to do, nobody to answer.
        return replace(base, kind=Kind.OTHER, reasons=("thanks",))
    junk = classify.junk_reason(mail, text)
    # A newsletter (list headers) with a catalogue attached is no form that failed to read.
    listed = junk == "newsletter"
    unreadable = [a for a, p in seen if p is not None and p is not DocumentProblem.UNSUPPORTED]
    # A fax server's "Nouvelle télécopie (3 pages)" names no form, and its pages may be
    # the only registration of the day: a document that could not be read is never
    # ignored unless the mail is junk.
    if (
        unreadable
        and not listed
        and (junk is None or _FORM_WORDS.search(mail.subject + "\n" + text))
    ):
        return replace(base, kind=Kind.REGISTRATION, reasons=("unreadable_attachment",))
    # A forwarded request is the original manager's: read it whole. "Remplacement de Mme X
    # par M. Y" may stand in the subject alone, above "Cf. objet".
    request = "\n".join([text, *forwarded])
    manager_only = classify.swaps_the_manager(request)
    swapping = classify.mentions_replacement(request) and not manager_only
    if not swapping and not manager_only and classify.titles_a_replacement(mail.subject):
        request, swapping = f"{mail.subject}\n{request}", True
    # Below it, the forwarded mail's "je" is its own writer's, not the sender's.
    own_end = request.index(text) + len(text)
    swap_letters = [s for s in sources if classify.mentions_replacement(s.text)]
    read = _replacement(base, catalog, mail, request, body.history, own_end) if swapping else None
    if len(swap_letters) == 1 and (read is None or read.replacement is None):
        # "Ci-joint notre courrier": the request is a letter attached, the mail says
        # nothing, or says who leaves and that the newcomer is in the table attached.
        request, swapping = f"{request}\n{swap_letters[0].text}", True
        read = _replacement(base, catalog, mail, request, body.history, own_end)
        if swap_letters[0].ocr:
            read = _scanned_swap_checked(read, swap_letters[0], mail)
    cards = _cards(mail) if swapping else []
    if cards and (read is None or read.replacement is None or not read.replacement.email):
        # "… remplacée par son collègue, dont vous trouverez la fiche contact en pièce
        # jointe": the newcomer is on the card, as if pasted under the mail.
        pasted = "\n\n".join("\n".join(card.lines) for card in cards)
        request = f"{request}\n\n{pasted}"
        read = _replacement(base, catalog, mail, request, body.history, own_end)
    if read is not None:
        swap = _replaced_named_in_history(read, request, body.history, mail)
        swap = _replaced_completed_from_history(swap, request, body.history, mail)
        swap = _newcomer_listed_below(swap, catalog, body)
        ours = _our_quoted_session(catalog, mail, body)
        if ours is not None:
            swap = _held_against_ours(swap, ours, catalog, mail, request)
        elif _ours_names_several(catalog, mail, body):
            swap = _told_in_own_words(swap, catalog, mail, request)
        if swap.replacement is not None:
            return replace(swap, side_question=classify.side_question(written, changes=False))
    letter = None if junk else _letter(sources, [text, *forwarded])
    if letter is not None:
        registration = _registration(base, catalog, mail, body.new, [letter], [])
        asked = classify.side_question(letter.text, form=_billed(registration))
        return replace(registration, letter=True, side_question=asked)
    # "Ci-joint notre bulletin d'inscription" with a scan too poor to read: a registration
    # for a person to type in, not a question. Small pictures are logos and signatures.
    # A purchase order or a convention read cleanly, with nothing of the form on it, is
    # another paper: it does not make a question about invoicing a registration unread.
    # So is a letter that registers nobody (a cancellation, a quote asked first).
    papers = {
        s.origin
        for s in sources
        if not s.ocr
        and len(s.text) >= 200
        and (s.form.score() <= 1 or (is_letter(s.text) and not _letter_like(s)))
    }
    documents = [
        a for a, _ in seen if may_hold_a_form(a) and (a.filename or "attachment") not in papers
    ]
    if (
        documents
        and not listed
        and _FORM_WORDS.search(mail.subject + "\n" + text)
        and _ATTACHED.search(text)
    ):
        return replace(base, kind=Kind.REGISTRATION, reasons=("form_not_read",))
    if junk is None and _REGISTERS_SOMEONE.search(text) and not classify.asks_something(text):
        # "Notre institut, ITEP Les Ormes, situé …, inscrit M. Bruno LACOMBE (b.l@x.fr) au
        # webinaire …": the form told in sentences, for a person to type in.
        return replace(base, kind=Kind.REGISTRATION, reasons=("form_not_read",))
    if _ABOUT_US.search(mail.subject + "\n" + text) and not junk:
        return replace(base, kind=Kind.QUESTION, reasons=("question",))
    # A scan whose words say "Bulletin d'inscription", sent with no word of its own.
    scanned_form = any(s.ocr and _FORM_WORDS.search(s.text) for s in sources)
    if (
        [a for a, _ in seen]
        and not listed
        and (_FORM_WORDS.search(mail.subject + "\n" + text) or (scanned_form and junk is None))
    ):
        return replace(base, kind=Kind.REGISTRATION, reasons=("form_not_read",))
    if junk is None and classify.asks_something(text) and _ABOUT_US.search(text):
        return replace(base, kind=Kind.QUESTION, reasons=("question",))
    if junk is None and swapping:
        # "Mme X ne pourra pas venir; son remplaçant n'est pas encore désigné": a change
        # to a registration with no newcomer named is for a person, never ignored.
        return replace(base, kind=Kind.QUESTION, reasons=("question",))
    return replace(base, kind=Kind.OTHER, reasons=(junk or "unrelated",))


def _letter_like(source: FormSource) -> bool:
    """A letter whose "Tél. :" and "Courriel :" lines the form reader took for a form's:
    IPP's form always names the organisation against its label, a letter in its head."""
    form = source.form
    if Field.ORG_NAME in form.labels_seen or Field.ORG_NAME in form.values:
        return False
    return read_letter(source.text, form) is not None


def _letter(sources: list[FormSource], texts: list[str]) -> FormSource | None:
    """A registration written as a letter: attached ("ci-joint notre courrier"), else in
    the body or a forwarded mail."""
    for source in [*sources, *(from_text("body", text) for text in texts)]:
        form = read_letter(source.text, source.form)
        if form is not None:
            return FormSource(source.origin, form, source.text, source.document)
    return None


def _envelope(mail: MailView) -> Understanding:
    return Understanding(
        kind=Kind.OTHER,
        decision=Decision.REVIEW,
        message_id=mail.message_id,
        in_reply_to=mail.in_reply_to,
        references=mail.references,
        sender=Sender(mail.from_address, mail.from_name),
        mail_date=mail.date,
        subject=mail.subject,
    )


def _summary(attachment: Attachment, problem: DocumentProblem | None) -> AttachmentSummary:
    return AttachmentSummary(
        attachment.filename, attachment.content_type, len(attachment.data),
        None if problem is None else str(problem),
    )  # fmt: skip


def _ours(form: RawForm, mailbox: str) -> bool:
    """IPP's brochure or blank form: the only "participant" it lists is our own mailbox
    ("Bulletin d'inscription à retourner à ipp@ipp.fr")."""
    emails = {(p.email or "").lower() for p in form.participants}
    return emails == {mailbox.lower()} and Field.ORG_NAME not in form.values


def _distinct(forms: list[FormSource], catalog: Catalog) -> list[FormSource]:
    """Forms with different participants, or for different sessions; the same form twice
    (docx + its PDF) counts once."""
    kept: list[FormSource] = []
    named = {id(source): _sessions_named(source, catalog) for source in forms}
    for source in sorted(forms, key=lambda s: (s.ocr, -s.form.score())):
        if source.ocr and any(_scan_of(source.text, k) for k in kept if not k.ocr):
            continue
        key = _participant_key(source.form)
        # The same people on the ASE form and on the PH form: two registrations.
        other_day = any(_apart(named[id(source)], named[id(k)]) for k in kept)
        if (
            (all(_participant_key(k.form) != key and key for k in kept) or not kept)
            and (not kept or key)
        ) or other_day:
            kept.append(source)
    return kept


_Named = tuple[frozenset[str], frozenset[tuple[int, int]]]


def _sessions_named(source: FormSource, catalog: Catalog) -> _Named:
    """The webinars and the days a form names: its ticked boxes' dates, or its head's
    (the title, "jeudi 26 novembre 2026"), not the signing date further down."""
    form = source.form
    ticked = [label for label, on in form.checkboxes if on]
    head = "\n".join([*form.session_lines, *source.text.splitlines()[:_HEAD_LINES]])
    days = find_dates("\n".join(ticked) if form.checkboxes else head, 2026)
    return (
        frozenset(w.id for w in find_webinars(catalog, head)),
        frozenset((d.month, d.day) for d in days if d.date is not None),
    )


def _apart(one: _Named, other: _Named) -> bool:
    """Two forms that name different webinars, or different days, where both name some."""
    return any(a and b and a != b for a, b in zip(one, other, strict=True))


_HEAD_LINES = 6


# An address as OCR reads it: a space may slip in after a dot ("pascale. vigier@").
_OCR_ADDRESS = re.compile(r"[\w.+'-]+(?:\. [\w+'-]+)*@[\w-]+(?:\.[\w-]+)+")


def _scan_of(text: str, typed: FormSource) -> bool:
    """The typed form's own scan, signed and stamped, sent beside it.

    OCR garbles the table too much to compare participants, but the addresses survive,
    give or take a letter: the scan of another form (another site, other people) holds
    other addresses.
    """
    written = {(p.email or "").lower() for p in typed.form.participants} - {""}
    if not written:
        return False
    written.add(typed.form.values.get(Field.MANAGER_EMAIL, "").lower())
    scanned = {a.replace(" ", "").lower().strip(".") for a in _OCR_ADDRESS.findall(text)}
    printed = {a.lower().strip(".") for a in _OCR_ADDRESS.findall(typed.text)}

    def within(one: set[str], other: set[str]) -> bool:  # a letter misread at most
        return all(any(a == b or _one_edit(a, b) for b in other) for a in one)

    return within(written - {""}, scanned) and within(scanned, printed)


def _two_in_one(form: RawForm) -> bool:
    """Two filled forms one after the other in one text (one per establishment): the
    organisation is named twice, differently, and so is its address or its manager."""
    second = {Field.ADDRESS, Field.MANAGER_NAME, Field.MANAGER_EMAIL, Field.SIGNED_DATE}
    return Field.ORG_NAME in form.restated and bool(form.restated & second)


def _participant_key(form: RawForm) -> frozenset[str]:
    return frozenset((p.email or p.last_name or "").lower() for p in form.participants)


_NAMED_FIELDS = (Field.ORG_NAME, Field.MANAGER_NAME, Field.SERVICE, Field.SIGNATORY)


# Labels that name a person or an organisation: a service may well be called "Siège
# social" or "Responsable qualité", a name never "Prénom et NOM".
_NAMING_LABELS = frozenset(
    {Field.ORG_NAME, Field.MANAGER_NAME, Field.MANAGER_EMAIL, Field.PHONE, Field.SIGNATORY}
    | {Field.CIVILITY, Field.FIRST_NAME, Field.LAST_NAME, Field.FULL_NAME, Field.EMAIL}
)


def _opens_with_label(value: str | None, field: Field | None = None) -> bool:
    """Whether ``value`` opens with a naming label of two words or more ("Prénom et NOM …",
    "Adresse e-mail …"), or is its own field's label and nothing else ("Dénomination" for
    a name); one word opening more ("Le Directeur", "Structure …") may be the value's own,
    and a service may well be called "Direction" or "Responsable"."""
    words = (value or "").split()
    heads = [" ".join(words[:n]) for n in range(2, min(len(words), 5) + 1)]
    return (
        any(
            exact_field(head) in _NAMING_LABELS or exact_column(head) in _NAMING_LABELS
            for head in heads
        )
        or (len(words) == 1 and field in _NAMING_LABELS and exact_field(words[0]) is field)
        or (
            # "Fonction" for the manager: a table's heading read where a name was expected.
            len(words) == 1
            and field in (Field.MANAGER_NAME, Field.SIGNATORY)
            and (exact_field(words[0]) or exact_column(words[0])) is not None
        )
    )


def _billed(registration: Understanding) -> classify.OnTheForm:
    """Who the form bills, as the confirmation and the invoice will name them."""
    organisation, manager = registration.organisation, registration.manager
    return classify.OnTheForm(
        organisation=organisation.name if organisation else None,
        address=organisation.address if organisation else None,
        manager=manager.full_name if manager else None,
        manager_email=manager.email if manager else None,
        service=manager.service if manager else None,
    )


def _registration(
    base: Understanding,
    catalog: Catalog,
    mail: MailView,
    new_text: str,
    forms: list[FormSource],
    participant_lists: list[FormSource],
) -> Understanding:
    """``new_text``: what the sender wrote now, around the form (the new part of the body)."""
    distinct = _distinct(forms, catalog)
    if len(distinct) > 1 or any(_two_in_one(s.form) for s in distinct):
        return replace(base, kind=Kind.REGISTRATION, reasons=("several_forms",))
    source = distinct[0]
    form = source.form
    people_from = source if form.participants or not participant_lists else participant_lists[0]
    people = people_from.form.participants
    annex = _annex(form, participant_lists)
    if annex is not None:
        people = [*people, *annex.form.participants]
        participant_lists = [s for s in participant_lists if s is not annex]
    listed = [p for s in participant_lists for p in s.form.participants]
    apart = _listed_apart(people, listed)
    announced = _announced_count(new_text)
    told = []
    if announced is not None and people and announced != len(people):
        told.append(
            f"le courriel annonce {announced} participant(s), le formulaire en porte {len(people)}"
        )
    # Those of the note's own list are told about above, whether on the form or not.
    on_form = _known_names(
        mail, form.values.get(Field.MANAGER_NAME), form.values.get(Field.SIGNATORY),
        [*people, *listed],
    )  # fmt: skip
    told += [f"{name} (nommé dans le courriel, absent du formulaire)"
             for name in _named_off_form(new_text, on_form)]  # fmt: skip
    apart = " ; ".join([apart, *told] if apart else told) or None
    year = mail.date.year if mail.date else 2026
    webinars = find_webinars(catalog, source.text)
    if len(webinars) > 1:
        # "Service : … personnes handicapées" on a form whose "Webinaire :" line reads "CPOM
        # aide à domicile": the line naming the webinar says which, a department's name not.
        named = find_webinars(catalog, "\n".join(form.session_lines))
        webinars = named if len(named) == 1 else webinars
    webinars = (
        webinars
        or find_webinars(catalog, mail.subject)
        or dated_webinars(catalog, mail.subject + "\n" + source.text, year)
    )
    finding = find_session(catalog, webinars, source.text, form.checkboxes, year, mail.date)
    # The note around the form: a form typed in the body lists its own boxes' dates, so
    # only its prose lines count ("… au webinaire du 26 novembre" above a form for the 27th).
    note = mail.subject + "\n" + (_prose(new_text) if source.origin == "body" else new_text)
    finding = unless_other_day_asked(finding, catalog, note, year)
    finding = unless_other_day_asked(finding, catalog, _form_prose(source.text, form), year)
    mail_day = mail.date.date() if mail.date else None
    signed_date = parse_date(form.values.get(Field.SIGNED_DATE, ""), year, mail_day)
    finding = unless_other_webinar_dated(
        finding, catalog, source.text, year,
        signed=signed_date, mail_day=mail_day,
    )  # fmt: skip
    uncertain: list[str] = []
    if declines_chosen_day(finding, catalog, note, year):
        uncertain.append("session")  # "nous ne sommes pas disponibles le 18 mars", ticked
    elif form.faint_ticks and finding.session is not None:
        uncertain.append("session")  # the box chosen holds a dot, or the other one does
    document = source.document
    handwritten = bool(document and document.handwriting_suspected)
    values = _typed_where_legible(form.values, mail, uncertain) if handwritten else form.values
    raw_emails = [values.get(Field.MANAGER_EMAIL), *(p.email for p in people)]
    domains = _domains(raw_emails)
    participants = tuple(_person(p, source, uncertain, f"participants[{i}]", domains)
                         for i, p in enumerate(people))  # fmt: skip
    manager_email = _email(
        values.get(Field.MANAGER_EMAIL), source, uncertain, "manager.email", domains
    )
    signed_date = parse_date(values.get(Field.SIGNED_DATE, ""), year, mail_day)  # as read legibly
    written = values.get(Field.SIGNED_DATE, "")
    if either_order(written) and written_in_english(f"{new_text}\n{source.text}"):
        signed_date = None  # "11/10/2026" from an English writer: 11 October, or 10 November?
    uncertain += _written_not_read(form, source.text)
    # "14 rue X ........": the dotted line the value was typed on, left in it by some path.
    uncertain += [path for field, path in _OCR_CHECKED if _DOTTED.search(values.get(field) or "")]
    if _PHONE_RUN.search(values.get(Field.SERVICE) or ""):
        uncertain.append("manager.service")  # "05 49 55 66 21 (Direction X)": a phone in it
    if _broken_address(values.get(Field.ADDRESS) or ""):
        # "Lieu-dit, La, Prade, Route, de Saint-Flour": a justified line's words set so far
        # apart that each was read as a cell, joined as an address's lines are.
        uncertain.append("organisation.address")
    for field, path in _OCR_CHECKED:
        value = values.get(field) or ""
        # "Thierry VIDAL,, Directeur du village": two lines joined by a comma where one was
        # written already, or a piece read empty between two. "Par : Thierry CASSAGNE,"
        # with "directeur" on the line below, read by nothing: a value that stops on a
        # comma or a joining word goes on somewhere. Either way the form says more.
        if _DOUBLE_COMMA.search(value) or (field is not Field.PHONE and _OPEN_END.search(value)):
            uncertain.append(path)
    if _GLUED_POSTCODE.search(values.get(Field.ADDRESS) or ""):
        # "12 rue Gambetta32000 Auch": a line break lost between street and town (a
        # Word field through LibreOffice); a comma or a space, the form does not say.
        uncertain.append("organisation.address")
    if "@" in (values.get(Field.ADDRESS) or ""):
        # "Trésorerie …, Courriel pour l'envoi de la facture, compta@x.fr": a table's
        # next cells run into the address.
        uncertain.append("organisation.address")
    place = values.get(Field.PLACE) or ""
    if _NOT_A_TOWN.search(place) or _A_STREET.search(place):
        # "Lorient, 02/11/2026", "Vannes    En date du : 7 septembre 2026": the date, or the
        # next label and its value, left in the place; "Lyon 9 cours Service Gambetta": a
        # stamp's address read into the town's row.
        uncertain.append("signed_place")
    uncertain += [str(f) for f in sorted(form.trailed) if values.get(f)]
    uncertain += [f"participants[{i}]" for i, p in enumerate(people)
                  if _pending(p, source.text)]  # fmt: skip
    if people_from.form.picked:
        uncertain.append("participants")  # "Inscription : Oui / Non" beside each name
    # "Prénom et NOM Karine DESCHAMPS": a label left in its value, read where it was not
    # expected; the value may hold more of the row than its own.
    uncertain += [str(f) for f in _NAMED_FIELDS if _opens_with_label(values.get(f), f)]
    # A control character in a value ("\x92" where an apostrophe was typed): the text was
    # decoded with the wrong charset somewhere; it is not what the writer wrote.
    read_values = [*((str(f), v) for f, v in values.items()),
                   *((f"participants[{i}]", f"{p.first_name} {p.last_name} {p.email}")
                     for i, p in enumerate(participants))]  # fmt: skip
    uncertain += [path for path, value in read_values if _CONTROL.search(str(value or ""))]
    if any(exact_field(line) for line in (values.get(Field.ADDRESS) or "").split(", ")):
        uncertain.append("organisation.address")  # "…, Adresse postale, 12 rue …": a label
    address = values.get(Field.ADDRESS)
    if address and not _POSTCODE.search(address):
        # "17 rue des Vignerons" alone: the line with the town was lost (a label wrapped
        # beside it, a cell cut by the page); an invoice goes nowhere without it.
        uncertain.append("organisation.address")
    if _TOWN_ONLY.match(values.get(Field.ADDRESS) or ""):
        # "65000 Tarbes" and no street: the line above the town was lost somewhere (a
        # flattened PDF prints it above its label); an invoice needs it.
        uncertain.append("organisation.address")
    # "MOREAU | Julien" under "Prénom | NOM": the capitals say the columns were swapped,
    # the labels say not; which is the family name is for a person to tell, unless the
    # address settles it ("MIREN | Etcheverry", m.etcheverry@…).
    uncertain += [
        f"participants[{i}].first_name"
        for i, p in enumerate(participants)
        if _swapped_names(p.first_name, p.last_name)
        and _order_by_address(p.first_name, p.last_name, p.email) != (p.first_name, p.last_name)
    ]
    if not _plausible_phone(_leading_zero(values.get(Field.PHONE))):
        uncertain.append("manager.phone")  # "07 62 82 36": a number cut short, not a number
    if (
        source.ocr
        and document is not None
        and (document.ocr_confidence or 0) < OCR_CONFIDENCE_FLOOR
    ):
        uncertain.append("ocr_confidence")
    if source.ocr and document is not None and not handwritten:
        read = [(path, values.get(field)) for field, path in _OCR_CHECKED]
        read += [(f"participants[{i}].{name}", getattr(p, name)) for i, p in enumerate(people)
                 for name in ("first_name", "last_name", "email")]  # fmt: skip
        read.append(("manager.email", manager_email))
        unsure = frozenset(document.unsure_words)
        sender = domain_of(mail.from_address)
        known = domains | {sender} if sender else domains
        spelled = {f"participants[{i}].email": (p.first_name, p.last_name)
                   for i, p in enumerate(people)}  # fmt: skip
        typed = frozenset(a.lower() for a in [mail.from_address or "", *find_emails(new_text)] if a)
        # A word Tesseract doubted that the mail's own typed text writes letter for letter
        # ("Pôle" in the form, "Pôle qualité" under the sender's name): read right.
        confirmed = frozenset(
            word for word in re.findall(r"\S+", f"{new_text}\n{mail.from_name or ''}")
            if len(word) >= 4
        )  # fmt: skip
        uncertain += _guessed(
            read, unsure - confirmed, known, sender, mail.from_address,
            spelled, typed,
        )  # fmt: skip
        # The page's other words, and the mail's typed ones: "Laurent DESCAMPS" in From.
        words = "\n".join([source.text, mail.from_name or "", new_text])
        uncertain += [path for path, value in read
                      if not path.endswith("email") and _has_twin(value, words, unsure)]  # fmt: skip
        if any(_holds_unsure(word, unsure)
               for line in form.unread for word in line.split()):  # fmt: skip
            # "DE VION rrcuiairees Direction régionale": a field's line OCR could not read
            # well enough to find its label; its value would be left out unnoticed.
            uncertain.append("unread_line")
        owners: list[tuple[str, str | None, tuple[str | None, ...]]] = [
            ("manager.email", manager_email, (values.get(Field.MANAGER_NAME),))
        ]
        owners += [(f"participants[{i}].email", p.email, (p.first_name, p.last_name))
                   for i, p in enumerate(participants)]  # fmt: skip
        uncertain += [path for path, address, names in owners
                      if address and slipped_name(address, names)]  # fmt: skip
        written_on = (values.get(Field.SIGNED_DATE) or "").split()
        if any(_holds_unsure(word, unsure) for word in written_on):
            uncertain.append("signed_date")  # "14/02/27" read for a pen's "19/02/27"
        # A stamp or a scribble over the place where the date or the name is written: read
        # empty, it may hide one; read, part of it may be under the ink ("Marc FONTAI").
        uncertain += [path for _, path, _ in _SIGNING_LINES if COVERED[path] in document.notes]
        if Field.PLACE in form.labels_seen:
            # "Le" or "Par" not read under "Fait à": a stamp laid over the block hides
            # them, and the date or the name written there; left empty, they pass unseen.
            uncertain += [path for field, path, label in _SIGNING_LINES
                          if not values.get(field) and not label.search(source.text)]  # fmt: skip
        signer = values.get(Field.SIGNATORY)
        if signer and not names_a_person(signer):
            # "VALLÉE DE L'OGNON" under "Par (nom du signataire)": the stamp's line beside
            # the block, read between the label and the name; no one is named without a
            # first name or a title.
            uncertain.append("signatory")
        if not values.get(Field.SIGNATORY) and _SIGNER_WRITTEN.search(source.text):
            # "À. (nom du signataire) P/le Président, Anne MAZEAUD": the label misread,
            # the name written after it was not taken; the form passes for signed by its
            # stamp alone, the signatory lost.
            uncertain.append("signatory")
        if form.declared_count is None and _COUNT_ASKED.search(source.text):
            # On a scan, a count not read may be a count misread: only a person can tell.
            uncertain.append("declared_count")
    webinar = catalog.webinar(finding.session.webinar_id) if finding.session else None
    if form.unit_price is not None and (webinar is None or form.unit_price != webinar.price_eur):
        uncertain.append("declared_total_eur")  # "625 € par personne" for a 635 € webinar
    said = {form.declared_total, form.unit_price, webinar.price_eur if webinar else None}
    if any(amount not in said for amount in spelled_amounts(f"{source.text}\n{new_text}")):
        # "1 905,00 euros" and below it "Arrêté à la somme de : mille deux cent soixante-dix
        # euros": two totals, and which one the accountant will pay is for a person to ask.
        uncertain.append("declared_total_eur")
    if form.unit_count is not None and form.unit_count != len(participants):
        uncertain.append("declared_count")  # "3 x 635 €" beside two names
    uncertain += [str(f) for f in sorted(form.unreadable)]  # "Nombre de participants : III"
    if form.unread_columns:
        uncertain.append("unread_column")  # an export's "Voie" column: the address short of it
    manager_name = values.get(Field.MANAGER_NAME) or ""
    if re.search(r"[\d()@,;]|\s[–—|]\s", manager_name) or re.match(
        r"[a-zß-ÿ](?:\s|$)", manager_name
    ):
        # "Ludivine TRONCHE (tél. 05 65 …)", "Maud X, chargée de mission, Service Y": a
        # name holding what a name never holds, or more than a name; "n DUFAU", the end
        # of a name a PDF printed over its label.
        uncertain.append("manager.full_name")
    # "A10234" as a first name: an agent's number, its column taken for the names'.
    uncertain += [f"participants[{i}].{part}" for i, p in enumerate(participants)
                  for part in ("first_name", "last_name")
                  if re.search(r"[\d@]", getattr(p, part) or "")]  # fmt: skip
    # "DESCHAMP S-LAFARGE" beside "…deschamps-lafarge@": a narrow cell's wrap, joined
    # with a space; the name as read is not the one the address spells.
    uncertain += [f"participants[{i}].{part}" for i, p in enumerate(participants)
                  for part in ("first_name", "last_name")
                  if p.email and split_in_name(p.email, getattr(p, part))]  # fmt: skip
    # The manager's first space parts first name and name ("sandrinedupont-moreau@" is
    # Sandrine DUPONT-MOREAU's choice): only the name after it may be a wrap's.
    family = manager_name.split(maxsplit=1)[1:]
    if manager_email and family and split_in_name(manager_email, family[0]):
        uncertain.append("manager.full_name")
    if form.title_apart:
        # "Le Directeur," on a line over "Hervé CASSOU": the signatory is written with or
        # without the title, and which one the record keeps is for a person to say.
        uncertain.append("signatory")
    if not values.get(Field.SIGNATORY) and _TITLED_SIGNER.search(source.text):
        # "La Directrice, Karim DUCROS" on a line of its own that no reading took for the
        # signer: the form would pass for signed by its stamp alone, its signer lost.
        uncertain.append("signatory")
    if values.get(Field.SIGNATORY) and not writes_a_name(values[Field.SIGNATORY]):
        # "Par (nom du signataire)" over "A.S.", a scan's scrap of the stamp: no one's name.
        uncertain.append("signatory")
    if _SIGNING_HEADING.search(values.get(Field.SIGNATORY) or ""):
        # "…, Hervé DELPUECH, Signature et cachet": the next label of the block, taken in
        # with the name when a cell's lines were joined.
        uncertain.append("signatory")
    seen = form.labels_seen | set(values)
    if source.ocr:
        seen |= {field for field, label in _SIGNING_LABELS.items() if label.search(source.text)}
    if source.ocr and Field.SIGNATORY in seen:
        # IPP's form prints "Fait à", "Le" and "Par" together: on a scan that shows "Par"
        # and one of the others, the missing label was misread ("Faità", a stamp over
        # "Le"), and its value with it. Reported empty, the form would pass for undated.
        for label, path in ((Field.PLACE, "signed_place"), (Field.SIGNED_DATE, "signed_date")):
            other = Field.SIGNED_DATE if label is Field.PLACE else Field.PLACE
            if other in seen and label not in seen:
                uncertain.append(path)
    if values.get(Field.SIGNED_DATE) and signed_date is None:
        # A date written but not read ("1711/2026" on a scan, a heading taken for it):
        # reported empty, the form would pass for undated.
        uncertain.append("signed_date")
    return replace(
        base,
        kind=Kind.REGISTRATION,
        session=finding.session,
        session_problem=finding.problem,
        organisation=Organisation(values.get(Field.ORG_NAME), values.get(Field.ADDRESS)),
        manager=Manager(
            values.get(Field.MANAGER_NAME),
            manager_email,
            values.get(Field.SERVICE),
            _leading_zero(values.get(Field.PHONE)),
        ),
        participants=participants,
        declared_count=form.declared_count,
        declared_total_eur=form.declared_total,
        signed_place=_place(values.get(Field.PLACE), values.get(Field.SIGNATORY)),
        signed_date=signed_date,
        signatory=values.get(Field.SIGNATORY),
        listed_apart=apart,
        signed_or_stamped=_stamped(source) or _stamp_in_body(source, mail),
        handwritten=handwritten,
        uncertain_fields=tuple(dict.fromkeys(uncertain)),
        buyer=_buyer_hints(source.text + "\n" + mail.plain),
    )


def _place(place: str | None, signatory: str | None) -> str | None:
    """ "Fait à : Jean-Marc OLIVIER" above "Par : Jean-Marc OLIVIER, Directeur": the
    signatory's name written on the wrong line is no place."""
    if not place or not signatory or len(place.split()) < 2:
        return place
    named = {compact(signatory), *(compact(part) for part in signatory.split(","))}
    return None if compact(place) in named else place


def _cards(mail: MailView) -> list[Card]:
    """The contact cards attached, the writer's own card left out."""
    own = (mail.from_address or "").lower()
    return [
        card
        for attachment in mail.attachments
        if is_vcard(attachment)
        for card in read_cards(attachment)
        if not own or not any(own in address.lower() for address in card.addresses)
    ]


# "BRIAND (à confirmer)": a person the organisation has not settled on yet, invoiced anyway.
_PENDING = re.compile(
    r"\b(?:a confirmer|sous reserve|en attente|a preciser|a definir|eventuellement|peut[- ]etre|"
    r"to be confirmed|tbc)\b|\(\s*\?\s*\)"
)


def _pending(person: RawPerson, text: str) -> bool:
    """Whether the person's cells, or the line her address is on, say she is not settled."""
    if _PENDING.search(fold(f"{person.first_name} {person.last_name} {person.email}")):
        return True
    address = (person.email or "").lower()
    return bool(address) and any(
        address in line.lower() and _PENDING.search(fold(line)) for line in text.splitlines()
    )


def _form_prose(text: str, form: RawForm) -> str:
    """The form's lines other than its session choice: "Observations : inscription pour la
    session du vendredi 8 octobre 2027" under a box ticked for the 18 March."""
    # Stripped: " jeudi 18 mars 2027" is a row's cells joined, the text has a tab there.
    choices = [
        fold(line).strip()
        for line in (*form.session_lines, *(label for label, _ in form.checkboxes))
    ]
    shapes = {shape for label, _ in form.checkboxes if (shape := _box_shape(label))}
    heads = {head for head, _ in shapes}
    kept = []
    for line in text.splitlines():
        folded = fold(line)
        if _BOX_LINE.match(folded) or any(c and c in folded for c in choices):
            continue
        # "Session vendredi 8 octobre 2027 |  ": the box's twin, left empty.
        shape = _box_shape(line) if any(folded.lstrip().startswith(h) for h in heads) else None
        if shape and (shape in shapes or (shape[0] in heads and _HOURS_ONLY.match(shape[1]))):
            continue
        kept.append(_PAGE_NUMBER.sub("", line))
    return "\n".join(kept)


def _box_shape(line: str) -> tuple[str, str] | None:
    """The words a box's label puts before its date and after it: ("session du", "(cocher
    x)") for "Session du jeudi 18 mars 2027 (cocher X)".

    A spreadsheet or table answers a box with a mark in the next cell: the row left
    unmarked prints its date with no mark at all, the same words around it (or hours)."""
    dates = find_dates(line, 2026)
    if not dates:
        return None
    folded = fold(line)
    head = " ".join(folded[: dates[0].start].split())
    return (head, " ".join(folded[dates[0].end :].split())) if head else None


# "", " (9h30-17h00)", " de 9h30 à 17h00": what follows a box's date.
_HOURS_ONLY = re.compile(r"^[\s(),.:;–-]*(?:(?:de|a|et)?\s*\d{1,2}\s*h\s*\d{0,2}[\s(),.:;–-]*)*$")


# "Page 1/2", a printed page's "… bulletin.html 1/1": no date.
_PAGE_NUMBER = re.compile(r"\bpage\s*\d+\s*(?:/|sur)\s*\d+|\s\d{1,2}\s*/\s*\d{1,2}\s*$", re.I)

# "☐ vendredi 8 octobre 2027 de 9h30 à 17h00", "X 18/03/2027": a box's own label, a date
# first on its line; a note puts words before the date it asks for.
_BOX_LINE = re.compile(
    r"^[\s\[\]()☐☑☒■□▢✓✔✗✘x*•·-]*(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|\d)"
)


_TOWN_ONLY = re.compile(r"^\s*\d{5}\s+[^\d,]+$")
_POSTCODE = re.compile(r"(?<!\d)\d{4,5}(?!\d)")  # French, Monaco, Belgian, Swiss, Luxembourg
# A French number typed into a spreadsheet's number cell loses its 0: nine digits.
_ZERO_LOST = re.compile(r"[1-9]\d{8}")


def _leading_zero(phone: str | None) -> str | None:
    """The phone as the person typed it: "556991234" was "0556991234" (no French
    number has nine digits; the zero is what a caller dials)."""
    return "0" + phone if phone and _ZERO_LOST.fullmatch(phone) else phone


_DIALLED = re.compile(r"[+\d][\d\s.()\-]*")
_TWO_PHONES = re.compile(r"\s*/\s*|\s+(?:ou|et|[-–—])\s+|\s*;\s*")
# "(standard)", "(portable)", "ligne directe": which line it is, after the number.
_LINE_KINDS = r"(?:standard|portable|mobile|fixe|ligne directe|secr[ée]tariat)"
_PHONE_NOTE = re.compile(rf"\s*\(?\s*{_LINE_KINDS}\s*\)?\s*$|^\s*{_LINE_KINDS}\s*:?\s*", re.I)
_EXTENSION = re.compile(
    r"[(\[]?\s*(?:poste|ext\.?|p\.)\s*\d+\s*[)\]]?\s*$", re.IGNORECASE
)  # "poste 1234", "(poste 210)"


def _plausible_phone(phone: str | None) -> bool:
    """Blank, a French number (ten digits from 0), or an international one (+ or 00); or
    two of them, "05 53 40 12 00 / 06 71 22 48 93 (portable)", each whole."""
    if not phone:
        return True
    # "05 55 34 27 80 – poste 312": one line and its extension, not two numbers.
    phone = _EXTENSION.sub("", phone).rstrip(" -–—")
    numbers = [n for n in _TWO_PHONES.split(phone) if n.strip()]
    if len(numbers) == 2:
        # Each a number and nothing else: "… / Fax : 02 97 …" is no second line to call.
        lines = [_EXTENSION.sub("", _PHONE_NOTE.sub("", number)).strip() for number in numbers]
        return all(_DIALLED.fullmatch(line) and _plausible_phone(line) for line in lines)
    number = _EXTENSION.sub("", phone).strip()
    # "+33 (0)5 56 …": the trunk zero in brackets is not dialled from abroad.
    digits = re.sub(r"\D", "", number.replace("(0)", ""))
    if number.startswith(("+", "00")):
        digits = digits.removeprefix("00")
        if digits.startswith("33"):
            return len(digits) == 11  # "+33 5 56 99 12 34": France's nine digits after 33
        # Elsewhere a country code and at least seven digits: "+352 26 12 34 56".
        return 9 <= len(digits) <= 15
    return len(digits) == 10 and digits.startswith("0")


_OCR_CHECKED = (
    (Field.ORG_NAME, "organisation.name"),
    (Field.ADDRESS, "organisation.address"),
    (Field.MANAGER_NAME, "manager.full_name"),
    (Field.SERVICE, "manager.service"),
    (Field.SIGNATORY, "signatory"),
    (Field.PLACE, "signed_place"),
    (Field.PHONE, "manager.phone"),
)
_DOUBLE_COMMA = re.compile(r",\s*,")
_OPEN_END = re.compile(r"[,;/&–-]\s*$|\s(?:et|de|du|des|la|le|les|pour|par|aux?|à)\s*$", re.I)
_GLUED_POSTCODE = re.compile(r"(?i)(?!(?:bp|cs|tsa|cedex)\d)\b[^\W\d_]+\d{5}\b")
_PHONE_RUN = re.compile(r"(?:\d[\s.]?){8}\d")
# A date, a year, or a label's colon or a tab or slash after it: no town holds one.
_NOT_A_TOWN = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b(?:19|20)\d{2}\b|[:\t/]")
# A street or a postcode: an address, where a town's name goes.
_A_STREET = re.compile(rf"\b\d{{5}}\b|\b{STREET}", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_DOTTED = re.compile(r"[._…]{4,}|(?:[._…] ){3,}")
# OCR splits a word after its capital ("P yrénées", "Saint-E xupère"): a lone
# capital before a lower-case word is rarely written so.
_SPLIT_CAPITAL = re.compile(r"(?<![\w.'’])[A-ZÀ-Þ] [a-zß-ÿ]")


# A count written in the formula's brackets or after its label (blank ones are legitimate).
_COUNT_ASKED = re.compile(
    r"participants?\s*[({\[]\s*[^\s)}\]]|"
    r"nombre\s+(?:de\s+participants|total\s+d'inscrit\S*|d'inscrit\S*)[ \t]*:[ \t]*[^\s_.]",
    re.IGNORECASE,
)


# A count or an amount written right after its label, whatever the layout.
_COUNT_WRITTEN = re.compile(
    r"participants?\s*[({\[]\s*\d|\b\d{1,3}\s*participants?\s*[x×*]\s*\d|"
    # "2 x 625 €", "625 € x 3": the count as the price's factor.
    r"(?<![\d.,])\d{1,3}\s*[x×*]\s*\d{3}(?:[.,]\d{2})?\s*(?:€|euros?)|"
    r"\b\d{3}(?:[.,]\d{2})?\s*(?:€|euros?)\s*[x×*]\s*\d{1,3}\b(?![.,]?\d)|"
    # "3 personnes soit 1905 euros", "(2 agents à 625 € par personne)", "Nous inscrivons 3
    # personnes à cette journée", "pour 4 participants": a head count, however it goes on.
    r"(?<![\d.,])(?<!\d[ \u00a0])\b\d{1,3}[ \t\u00a0]+(?:participants?|personnes?|agents?|inscrits?|"
    r"stagiaires?)\b|"
    # "Nombre d'agents : 4", "Nbre de stagiaires = 4": whoever they are, a count.
    r"\b(?:nombre|nbre|nb)\.?\s+(?:total\s+)?(?:de\s+|d')\w+(?:\s+inscrit\w*)?(?:\s*\(n\))?"
    r"[ \t]*[:=\t][ \t:]*\d",
    re.IGNORECASE,
)
_TOTAL_WRITTEN = re.compile(
    r"(?:montant|total|net [àa] payer|co[ûu]t)[^\n\d=:]{0,60}[:=\t ][ \t:]*\d[^\n]*?(?:€|eur|\d[ \t]*$)|"
    r"[x×*][ \t]*\d[\d \t\u00a0.,]*(?:€|euros?)?[ \t]*(?:=|soit)[ \t]*\d[\d \u00a0.,]*[ \t]*(?:€|eur)|"
    # "3 personnes soit 1905 euros": the sum a sentence declares.
    r"\b(?:participants?|personnes?|agents?|inscrits?|stagiaires?)[ \t,]+(?:soit|pour)[ \t]+"
    r"(?:un[ \t]+(?:montant|total)[ \t]+de[ \t]+)?\d[\d \u00a0.,]*[ \t]*(?:€|eur)",
    re.IGNORECASE | re.MULTILINE,
)


_BOX_MARK = re.compile(r"\[\s*[xX✓✔]?\s*\]|[☒☑☐□■▣]")


def _prose(text: str) -> str:
    """The lines of a body that are no form field: no label, no tick box, no table row
    ("jeudi 18 mars 2027 | " in a session table whose other row holds the tick)."""
    return "\n".join(
        line
        for line in text.splitlines()
        if ":" not in line and "\t" not in line and not _BOX_MARK.search(line)
    )


def _written_not_read(form: RawForm, text: str) -> list[str]:
    """A count or total the form shows but the reader did not place: the rule that
    checks it would be skipped as if the form left it blank, so a person looks."""
    unread = []
    formulas = [line.split("\t=", 1)[0] for line in _FORMULA.findall(text)]
    if (
        form.declared_count is None
        and form.unit_count is None  # "Montant total : 2 x 635 €": read, checked by the rows
        and (_COUNT_WRITTEN.search(text) or any(_COUNT_LABEL.search(label) for label in formulas))
    ):
        unread.append("declared_count")
    if (
        form.declared_total is None
        and form.unit_price is None
        and (
            _TOTAL_WRITTEN.search(text)
            or _TOTAL_IN_WORDS.search(fold(text))
            or any(_TOTAL_LABEL.search(label) for label in formulas)
        )
    ):
        unread.append("declared_total_eur")
    # "Zone artisanale du Moulin" over "Adresse postale | 17 rue des Artisans": a cell's
    # first line set above its label's row; read nowhere, the invoice would go without it.
    if any(
        _ADDRESS_LINE.match(x) or _PLACE_NAME.fullmatch(x.strip()) for x in form.unread_by_address
    ):
        # "98713 Papeete" / "Sénégal": a country or a territory under the town, unread.
        unread.append("organisation.address")
    # A manager's line under a label we do not know ("Poste direct : 05 …"): left out, the
    # value would be missing from the record as if the form left it blank.
    if form.values.get(Field.PHONE) is None and any(PHONE_NUMBER.search(x) for x in form.unread):
        unread.append("manager.phone")
    if form.values.get(Field.SERVICE) is None and any(
        _SERVICE_LINE.match(x) and exact_field(x.rstrip(" :")) is None for x in form.unread
    ):
        unread.append("manager.service")
    # "3) Fait à Montpellier, le 30/09/2026", "Le :" over "4 novembre 2026", that no rule
    # read: the signing place and date the form shows would go missing from the record as
    # if left blank.
    shown = _PLACE_SHOWN.search(text)
    if shown and not form.values.get(Field.PLACE):
        unread.append("signed_place")
    dated = _UNDER_LE.findall(text) + ([shown[0]] if shown else [])
    if not form.values.get(Field.SIGNED_DATE) and any(find_dates(x, 2026) for x in dated):
        unread.append("signed_date")
    return unread


_UNDER_LE = re.compile(r"^[ \t]*le[ \t]*:?[ \t]*\n[ \t]*([^\n]+)", re.IGNORECASE | re.MULTILINE)
# "Fait à Angers", "3) Fait à : Angers, le 16/11/2026", "Fait à :" over "Langres"; not
# "Fait à : …… Le : 12/10" nor "Fait à" over "Par (nom du signataire)".
_PLACE_SHOWN = re.compile(
    r"^[^\w\n]*(?:\d{1,2}\s*[.)]\s*)?fait\s+(?:[àa]|au)\b[\s:.…_]*"
    r"(?!(?:le|par|date|en\s+date|signature|cachet|nom|pour)\b)(?-i:[A-ZÀ-Þ]).*$",
    re.IGNORECASE | re.MULTILINE,
)


_PLACE_NAME = re.compile(
    r"(?-i:[A-ZÀ-Þ])[a-zà-ÿ'’-]{2,20}(?:[ -](?-i:[A-Za-zÀ-ÿ])[a-zà-ÿ'’-]{1,20}){0,2}"
)
_ADDRESS_LINE = re.compile(
    rf"^\W*(?:{STREET}|(?:bp|cs|tsa)\s*\d|\d{{5}}\s+[^\W\d]|(?:zone|z\.?[ai]\.?|lieu-dit|"
    r"r[ée]sidence|b[âa]timent|immeuble|parc d'activit[ée]s|"
    # "Hôtel du Département" over "Adresse postale | 1633 avenue …": the building's line.
    r"h[ôo]tel|espace|domaine|hameau|lotissement|cit[ée]|villa|campus|technop[ôo]le)\b)",
    re.IGNORECASE,
)
# A service's label and something after it: "Service" alone is a label left blank.
_SERVICE_LINE = re.compile(rf"^\W*(?:{UNIT_WORDS})\b[\s:/.-]*\w.{{2,}}", re.I)


# "Nombre de participants | =COUNTA(D20:D27)": a spreadsheet's formula that no program
# computed (Excel stores the result when it saves): the value is on nobody's screen.
_FORMULA = re.compile(rf"^[^\n]*\t{FORMULA}[^\n]*$", re.MULTILINE)
_COUNT_LABEL = re.compile(r"\b(?:nombre|nbre|nb)\b|participants", re.IGNORECASE)
_TOTAL_LABEL = re.compile(r"montant|total|net [àa] payer", re.IGNORECASE)


# "Montant total : mille deux cent soixante-dix euros": a total written out in words.
_TOTAL_IN_WORDS = re.compile(
    r"(?:montant|total)[^\n\d:=]{0,60}[:=][ \t]*(?:[a-z]+[ \t-]+){0,8}?"
    r"(?:mille|cents?|vingts?|trente|quarante|cinquante|soixante|dix|onze|douze|treize|"
    r"quatorze|quinze|seize|deux|trois|quatre|cinq|six|sept|huit|neuf)\b[a-z \t-]*euros?",
)


# "l'inscription de nos trois agents", "inscrire 3 personnes": how many the note says.
# "je participerai avec deux collègues", "l'inscription de M. Le Dantec et de deux
# collègues", "M. Colin, responsable de la tarification, et deux collègues": someone
# named beside them, one more in all.
_ANNOUNCED = re.compile(
    rf"(?<![\d.,:/\-])(?<![\d.,:/\-] )(?P<with>\bavec[ \u00a0]+|"
    rf"\b(?:M\.|Mme|Monsieur|Madame)[ \u00a0][^\n;.]{{1,70}}?\bet[ \u00a0]+(?:de[ \u00a0]+)?)?"
    rf"\b(?P<n>{COUNT})[ \u00a0]+"
    r"(?:de[ \u00a0]+(?:nos|mes)[ \u00a0]+)?"
    r"(?:personnes?|agents?|participant(?:e)?s?|"
    r"salariée?s?|collaborat(?:eur|rice)s?|professionnel(?:le)?s?|stagiaires?|collègues?|"
    r"inscriptions?|inscrite?s?)\b",
    re.IGNORECASE,
)


def _announced_count(note: str) -> int | None:
    """The one number of people the note announces; None if none or several differ."""
    # "un participant peut être remplacé", "une personne de votre structure": "un" and
    # "une" are articles far more often than counts.
    # "je participerai avec deux collègues": they come beside someone, three in all.
    counts = {count_value(m["n"]) + bool(m["with"]) for m in _ANNOUNCED.finditer(note)} - {1}
    return counts.pop() if len(counts) == 1 else None


def _named_off_form(note: str, known: Sequence[str | None]) -> list[str]:
    """People the sender's note names ("Merci d'ajouter aussi M. Grégoire LEMAITRE",
    "Mme Lucie DARRIET remplace Mme Nathalie BERGES sur le formulaire", "Peux-tu inscrire
    Lucie GARNIER et Hervé COLIN ?") who are not ``known``: on the form as a participant,
    the manager or the signatory, nor the sender.

    A name is known when its words hold a known person's, or the other way round: a
    row typed in the note reads "M. Kévin BARRAL Moniteur-éducateur", a greeting "M. ROUX".
    """
    known_words = [words for name in known if name and (words := _name_words(name))]
    strays = []
    # A table row typed in the note ("Mme | Cheffe de service") is the form's, not prose.
    note = "\n".join(line for line in note.splitlines() if "\t" not in line)
    named = [
        " ".join(filter(None, (person.civility, person.first_name, person.last_name)))
        for person in find_people(note)
        if not on_behalf(note, person)
    ]
    for enrolled in _ENROLLED.finditer(note):
        named += [name for name in _ENROLLED_SPLIT.split(enrolled["names"]) if name]
    for name in named:
        words = _name_words(re.sub(r"^(?:M\.|Mme|Mlle|Melle)\s+", "", name))
        if words and not any(words <= k or k <= words for k in known_words):
            strays.append(name)
    return list(dict.fromkeys(strays))


# "inscrire Lucie GARNIER et Hervé COLIN": people enrolled by name, no civility.
_FIRST_LAST = r"[A-ZÀ-Þ][a-zà-ÿ'’]+(?:-[A-ZÀ-Þ][a-zà-ÿ'’]+)?\s+[A-ZÀ-Þ][A-ZÀ-Þ'’-]+"
_ENROLLED = re.compile(rf"\binscri\w*\s+(?P<names>{_FIRST_LAST}(?:\s*(?:,|et)\s+{_FIRST_LAST})*)")
_ENROLLED_SPLIT = re.compile(r"\s*(?:,|\bet\b)\s*")


def _unless_others_named(
    registration: Understanding, texts: list[str], mail: MailView
) -> Understanding:
    """The registration, its participants doubted when a thread forwarded with the form
    or a paper beside it (a signed cover letter) names people the form does not."""
    manager = registration.manager.full_name if registration.manager else None
    known = _known_names(mail, manager, registration.signatory, registration.participants)
    strays = [name for text in texts for name in _named_off_form(text, known)]
    if not strays or not registration.participants:
        return registration
    told = [f"{name} (nommé dans une pièce jointe ou le fil, absent du formulaire)"
            for name in dict.fromkeys(strays)]  # fmt: skip
    apart = " ; ".join(filter(None, [registration.listed_apart, *told]))
    return replace(registration, listed_apart=apart)


def _known_names(
    mail: MailView,
    manager: str | None,
    signatory: str | None,
    people: Sequence[RawPerson] | Sequence[Person],
) -> list[str | None]:
    """Who a note may name without being off the form: the sender and whoever forwarded
    the mail, the form's manager and signatory, and its people."""
    senders = [mail.from_name, *(f.from_name for f in mail.forwarded)]
    return [*senders, manager, signatory,
            *(f"{p.first_name or ''} {p.last_name or ''}" for p in people)]  # fmt: skip


def _name_words(name: str) -> set[str]:
    return {word for word in re.split(r"[^a-z]+", fold(name)) if len(word) > 1}


def _annex(form: RawForm, participant_lists: list[FormSource]) -> FormSource | None:
    """The one list attached beside the form that carries its rows on ("voir liste
    jointe"): it names none of the form's people, and the count the form declares is
    the form's rows and the list's together. Anything less certain is told apart."""
    attached = [s for s in participant_lists if s.origin not in ("body", "forwarded")]
    if len(attached) != 1 or form.declared_count is None or not form.participants:
        return None
    rows = attached[0].form.participants
    if len(form.participants) + len(rows) != form.declared_count:
        return None
    if attached[0].ocr or attached[0].form.picked:
        # A scan's words are checked against the form's page only; a list answering
        # "Oui / Non" for each person picks some of them, which a person reads.
        return None
    if any(_against_form(form.participants, person) != "absent" for person in rows):
        return None  # someone of the form listed again, maybe with another address
    return attached[0]


def _listed_apart(form_people: list[RawPerson], listed: list[RawPerson]) -> str | None:
    """Who the mail's own list (or another attachment's) names that the form does not.

    "Je souhaite inscrire mes trois agents : …" above a form of two, or a colleague's
    address written differently: confirming the form alone would drop one of them or
    send a link to an address the sender did not give. A list that only repeats the
    form agrees with it.
    """
    apart = []
    for person in listed:
        label = " ".join(filter(None, [person.first_name, person.last_name, person.email]))
        found = _against_form(form_people, person)
        if found == "absent":
            apart.append(f"{label} (absent du formulaire)")
        elif found != "same":
            apart.append(f"{label} (le formulaire donne {found})")
    return " ; ".join(dict.fromkeys(apart)) or None


def _against_form(form_people: list[RawPerson], person: RawPerson) -> str:
    """ "same" when the form lists the person (same address, or same first and last name
    and no other address), "absent" when it does not, else the address the form gives."""

    def key(value: str | None) -> str:
        return " ".join((value or "").casefold().split())

    if person.email and key(person.email) in {key(p.email) for p in form_people if p.email}:
        return "same"
    names = {(key(p.first_name), key(p.last_name)): key(p.email) for p in form_people}
    given = names.get((key(person.first_name), key(person.last_name)))
    if given is None:
        return "absent"
    return "same" if not person.email or given in ("", key(person.email)) else given


def _broken_address(address: str) -> bool:
    """Whether a piece of the address between its commas is no line of its own: it goes
    on the one before ("de Saint-Flour", a lone "départementale"), is a lone article ("La"), or
    a post box or a number without the rest of its line ("BP", "951")."""
    return any(
        _GOES_ON_PIECE.match(piece)
        or _LONE_ARTICLE.fullmatch(piece)
        or _LONE_PIECE.fullmatch(piece)
        or (piece[:1].islower() and " " not in piece)
        for piece in (p.strip() for p in address.split(",")[1:])
    )


_GOES_ON_PIECE = re.compile(r"(?:de|du|des|la|le|les|et|d'|l'|d’|l’)(?:\s|(?<=['’]))")
_LONE_ARTICLE = re.compile(r"(?:La|Le|Les|De|Du|Des|L'|D')", re.IGNORECASE)
_LONE_PIECE = re.compile(r"\d{1,4}|BP|CS|TSA|Cedex", re.IGNORECASE)


def _holds_unsure(token: str, unsure: frozenset[str]) -> bool:
    """The token is, or (for a value rejoined from wrapped pieces) contains, an unsure word."""
    return token in unsure or any(len(word) >= 4 and word in token for word in unsure)


_PUNCTUATION_PAIR = re.compile(r"[._\-]{2}|[._\-]@|@[._\-]")


def _is_name(path: str) -> bool:
    return path in ("signatory", "manager.full_name") or path.endswith(("first_name", "last_name"))


def _unlikely_name(value: str) -> bool:
    """What OCR makes of a stamp over a name or an "l" it misread: "Bérénice 4",
    "Mathiide", "Dämien". People's names hold no digit, no double i, and no mark that
    French names do not carry."""
    return (
        any(c.isdigit() for c in value)
        or "ii" in value.lower()
        # OCR's reading of a speck on an "a".
        or any(c in _FOREIGN_MARKS for c in value.lower())
    )


_FOREIGN_MARKS = frozenset("äöåãõñøáíóúìòšžčćł")


def _swapped_names(first: str | None, last: str | None) -> bool:
    if not first or not last:
        return False
    return all(is_upper_word(w) for w in first.split()) and any(c.islower() for c in last)


def _lost_capital(value: str) -> bool:
    """A name with a word that starts in lower case: OCR dropped its capital ("ulien PEYRÉ"
    for "Julien PEYRÉ"); particles excepted, and the title before or after the name
    ("Pour le Président, …", "…, directrice")."""
    return any(
        word[:1].islower() and word.lower() not in PARTICLES and not word.startswith("d'")
        for part in value.split(",")
        if not opens_with_title(part)
        for word in part.split()
    )


def _guessed(
    read: list[tuple[str, str | None]],
    unsure: frozenset[str],
    domains: frozenset[str],
    sender: str | None = None,
    sender_address: str | None = None,
    spelled: Mapping[str, tuple[str | None, str | None]] | None = None,
    typed: frozenset[str] = frozenset(),
) -> list[str]:
    """Paths of OCR values that are likely misread, to be checked by a person.

    The mean confidence of a page says nothing of one value; a value holding a
    word Tesseract scored low, a split word, a rule read as "_", or an address
    where "I" may be "l" (an otherwise lower-case e-mail), whose top-level
    domain is a usual one misread or whose domain is a letter off the mail's own
    (``domains``) would go out wrong without a human.
    """
    paths = []
    schemes = _schemes(read, spelled or {})
    for path, value in read:
        if not value:
            continue
        if path.endswith("email") and sender_address and value.lower() == sender_address.lower():
            continue  # read letter for letter as the sender's own address, typed in From
        checked, doubts = value, unsure
        if path.endswith("email") and sender and value.lower().endswith("@" + sender):
            # The domain reads exactly as the sender's own, typed in the From header: an
            # unsure piece of it ("douest.fr", a wrapped line's end) was read right. The
            # name before the "@" is still checked, an unsure "bonnafous@mutsu" included.
            checked = value[: -len(sender)] + "@"
            doubts = frozenset(w.split("@")[0] + "@" if "@" in w else w for w in unsure)
            if _spells(value, (spelled or {}).get(path)) and not _other_separator(path, schemes):
                # "christine.lafon@" beside "Christine | LAFON": two readings that agree
                # letter for letter; a misread would have to be the same in both. Not the
                # separator, which the names do not spell: an unsure "j-giordano@" beside
                # "f.benali@" may be a dot read as a hyphen.
                checked = ""
        guessed = (
            any(_holds_unsure(token, doubts) for token in checked.split())
            or bool(_SPLIT_CAPITAL.search(value))
            # A space or the dotted line under the value, as often as the writer's "_".
            or "_" in value
        )
        if path.endswith("email"):
            upper = {c for c in value if c.isupper()}
            # An accent in an address ("genetsdor-àsso.fr") is OCR's, not the writer's.
            guessed = (
                guessed
                or upper in ({"I"}, {"O"})
                # "Letcheverry@…" for "l.etcheverry@…": a dot lost into the capital it
                # made of the initial; writers who capitalise do it for names, not one letter.
                or (upper == {value[0]} and "@" in value and "." not in value.split("@")[0])
                or not value[:1].isalnum()  # "'thomassimon@…": a speck before the first letter
                or not value.isascii()
                or bool(_PUNCTUATION_PAIR.search(value))  # "j.-dubois": a speck read beside a dot
                # "rouali@x.fr" among "g.morin@x.fr", "s.pineau@x.fr": a dot OCR lost.
                or _lost_separator(path, schemes)
                or misread_tld(value)
                # "mde5l.direction@" for "mde51": a 1 or a 0 read as the letter it resembles,
                # after a digit ("accueil51@", a word then its number, is common)
                or bool(_DIGIT_LOOKALIKE.search(value))
                or near_miss(value, domains)
                # "direcion@x.fr" on the scan, "direction@x.fr" in From: a letter OCR lost.
                or any(_one_edit(value.lower(), address) for address in typed)
            )
        else:
            guessed = (
                guessed
                or (_is_name(path) and (_lost_capital(value) or _unlikely_name(value)))
                # "'Thomas": a speck read before the first letter; "Christophe.", after the last
                or (not value[:1].isalnum() and not value.startswith(("+", "(", "«", '"')))
                or (
                    path.endswith(("first_name", "last_name"))
                    and len(value) > 2
                    and value[-1] in ".,;:'’"
                )
                # "LE" as a first name: the start of "LE BRIS" slid out of its column.
                or (path.endswith("first_name") and value.lower() in PARTICLES)
                # "Handi' Cap" for "Handi'Cap": French sets no space after an apostrophe,
                # OCR often does.
                or _SPACED_APOSTROPHE.search(value) is not None
                # "3 rue de ll" for "de l'Ill": a word of no vowel, what OCR left of one.
                or any(_VOWELLESS.fullmatch(word) for word in re.findall(r"[^\W\d_]+", value))
            )
        if guessed:
            paths.append(path)
    return paths


# The form's "Le" and "Par (nom du signataire)" labels, printed, whether filled or not.
_SIGNING_LINES = (
    (Field.SIGNED_DATE, "signed_date", re.compile(r"(?mi)^\s*le\b\s*(?:[:\t]|\d|$)")),
    (
        Field.SIGNATORY,
        "signatory",
        re.compile(r"(?i)\bsignataire\b|^\s*par\b\s*(?:[:(\t]|$)", re.M),
    ),
)
_SIGNER_WRITTEN = re.compile(
    r"(?im)\bsignataire[ \t]*\)?[ \t]*:?[ \t]*(?:\w[^\n]{2,}$|"
    # …or on the next line, beside a stamp's words: "Le Président, Michel X\tLES HERBIERS".
    r"\n[ \t]*(?!IPP\b|Institut\b)(?-i:[A-ZÀ-Þ])[^\n]{2,}\t)"
)
# A signer's title and name alone on a line: "Le Président, Alain BOUTIN".
_TITLED_SIGNER = re.compile(
    r"(?m)^[ \t]*(?:Le|La|Pour|P/O|P/le|P/la)\s[^,:@\d\n]{2,60},[ \t]*"
    r"(?:[A-ZÀ-Þ][\w'’-]+[ \t]+)?[A-ZÀ-Þ][A-ZÀ-Þ'’-]+(?:[ \t]+[A-ZÀ-Þ][\w'’-]+)?[ \t]*$"
)
_SPACED_APOSTROPHE = re.compile(r"\w['’]\s+\w")
# Lower-case letters and no vowel: no French word, no name ("bd", "st" abbreviate a street).
_VOWELLESS = re.compile(r"(?!(?:bd|st|ste|rte|chem|pl|rdc|qu)$)[b-df-hj-np-tv-xz]{2,}")
_DIGIT_LOOKALIKE = re.compile(r"\d[lIoO]")


def _schemes(
    read: list[tuple[str, str | None]], spelled: Mapping[str, tuple[str | None, str | None]]
) -> dict[str, tuple[str, str] | None]:
    """Per participant's address path, how it joins the person's names: the first name
    whole or as initials, and the separator before the family name: "." ("g.morin"),
    "" ("rouali"), "-" or "_". None when the address is made otherwise."""
    schemes: dict[str, tuple[str, str] | None] = {}
    for path, value in read:
        given, family = spelled.get(path) or (None, None)
        if not value or "@" not in value or not given or not family:
            continue
        local = value.lower().rsplit("@", 1)[0]
        last = letters(family)
        # "Marie-Pierre LABORDE" → "mp.laborde" as "Céline CASAUBON" → "c.casaubon".
        heads = {
            ("name", letters(given)),
            ("initials", letters(given)[:1]),
            ("initials", "".join(letters(part)[:1] for part in re.split(r"[-\s]+", given))),
        }
        schemes[path] = next(
            (
                (kind, joint)
                for joint in (".", "-", "_", "")
                for kind, head in heads
                if local == f"{head}{joint}{last}"
            ),
            None,
        )
    return schemes


def _lost_separator(path: str, schemes: dict[str, tuple[str, str] | None]) -> bool:
    """ "rouali@" or "g-illouz@" beside "g.morin@", "h.audebert@", "s.pineau@": every other
    address of the form joins the names one way, this one joins them the same way but
    for the separator: OCR lost the dot, or read it as a hyphen. (Offices that mix
    "yannick.chatel" and "nlaborde" give no rule to hold an address against.)"""
    others = {scheme for other, scheme in schemes.items() if other != path}
    mine = schemes.get(path)
    if mine is None or len(others) != 1:
        return False
    (other,) = others
    if other is None or other[0] != mine[0] or other[1] == mine[1]:
        return False
    # Two addresses are enough when one has the dot the other lacks: OCR loses a dot,
    # it never adds one ("rhammoudi@" beside "e.gerard@").
    return len(schemes) >= 3 or (other[1] == "." and mine[1] == "")


def _other_separator(path: str, schemes: dict[str, tuple[str, str] | None]) -> bool:
    """Whether another address of the form joins the names as this one does, but with
    another separator ("j-giordano@" beside "f.benali@")."""
    mine = schemes.get(path)
    return mine is not None and any(
        other is not None and other[0] == mine[0] and other[1] != mine[1]
        for name, other in schemes.items()
        if name != path
    )


def _spells(address: str, names: tuple[str | None, str | None] | None) -> bool:
    """The address's name part is the person's first and last names, as usually joined."""
    if names is None or not names[0] or not names[1]:
        return False
    local = re.sub(r"\s+", "", address.split("@", maxsplit=1)[0].lower())
    first, last = (re.sub(r"[\s']+", "", fold(n)) for n in (names[0], names[1]))
    if not first or not last:
        return False
    # With a separator, and the names' own hyphens, only: "ftessier" may be "f.tessier"
    # with its dot lost, and "jeanpierre" a "jean-pierre" that lost its hyphen.
    spellings = {
        f"{one}{joint}{two}"
        for one, two in ((first, last), (first[0], last), (last, first), (last, first[0]))
        for joint in (".", "-", "_")
    }
    return local in spellings


_WORD = re.compile(r"[^\W\d_]{5,}")
_ANY_ADDRESS = re.compile(r"\S+@\S+")


def _has_twin(value: str | None, text: str, unsure: frozenset[str] = frozenset()) -> bool:
    """A word of ``value`` one letter away from another word of the page ("Peubpliers"
    in the name, "Peupliers" in the address): one of them was misread, and only a
    person can say which. Accents, plurals and feminines are no misreading. When the
    other was read unsure and the value's word sure ("SANOIE" on a stamp's rim, "Savoie"
    in the name), the other is the misread one."""
    if not value:
        return False
    doubted = {fold(w) for w in unsure}
    # Addresses left out: "vsimon@…" is an initial and a name, not a misread "simon".
    page = Counter(fold(w) for w in _WORD.findall(_ANY_ADDRESS.sub(" ", text)))
    for written in set(_WORD.findall(value)):
        word = fold(written)
        # A family name in capitals has no plural: "DESCAMP" beside "DESCAMPS" is a misread.
        named = written.isupper()
        for other, seen in page.items():
            if (
                other == word
                or not _one_edit(word, other)
                or (not named and _inflected(word, other))
            ):
                continue
            # "aveyro" or "aison" on the rim of a stamp: a word cut short, not misread,
            # when the value's spelling is written again on the page or only the first
            # letter is missing.
            if other == word[1:] or (page[word] > seen and other == word[: len(other)]):
                continue
            if other in doubted and word not in doubted:
                continue
            return True
    return False


def _inflected(one: str, other: str) -> bool:
    short, long = sorted((one, other), key=len)
    return long[: len(short)] == short and long[len(short) :] in ("s", "e", "x")


def _one_edit(one: str, other: str) -> bool:
    """One letter replaced, added or dropped."""
    if abs(len(one) - len(other)) > 1:
        return False
    if len(one) == len(other):
        return sum(a != b for a, b in zip(one, other, strict=True)) == 1
    short, long = sorted((one, other), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


_SNAPPED = (
    (Field.ORG_NAME, snap_text, "organisation.name"),
    (Field.MANAGER_NAME, snap_text, "manager.full_name"),
    (Field.SERVICE, snap_text, "manager.service"),
    (Field.SIGNATORY, snap_text, "signatory"),
    (Field.PHONE, snap_phone, "manager.phone"),
    (Field.MANAGER_EMAIL, snap_email, "manager.email"),
)


def _typed_where_legible(
    values: Mapping[Field, str], mail: MailView, uncertain: list[str]
) -> dict[Field, str]:
    """Pen readings replaced by the strings the mail types that they are readings of."""
    lexicon = lexicon_of(mail.from_name, mail.from_address, body_text(mail).new)
    fixed = dict(values)
    for field, snap, path in _SNAPPED:
        clean = snap(values.get(field), lexicon)
        if clean is not None and clean != values.get(field):
            fixed[field] = clean
            uncertain.append(path)
    return fixed


def _domains(values: list[str | None]) -> frozenset[str]:
    """Domains used by two or more of the form's addresses read cleanly.

    Two, because the address being repaired must not vouch for itself; a
    domain the organisation uses elsewhere on the form is what makes an OCR
    repair unambiguous.
    """
    counts: dict[str, int] = {}
    for value in values:
        for address in find_emails(value or ""):
            domain = domain_of(address)
            if domain is not None:
                counts[domain] = counts.get(domain, 0) + 1
    return frozenset(domain for domain, count in counts.items() if count >= 2)


_MIXED_CASE_DOMAIN = re.compile(r"@(?:[^@\s]*\.)?[^@\s.]*[a-z][A-Z]")


_INITIAL_HYPHEN = re.compile(r"^[a-z]-[a-z]{2,}[^@]*@", re.IGNORECASE)


def _email(
    value: str | None,
    source: FormSource,
    uncertain: list[str],
    path: str,
    domains: frozenset[str] = frozenset(),
    names: tuple[str | None, str | None] | None = None,
) -> str | None:
    if value is None:
        return None
    found = find_emails(value)
    # A cell holding one word is the address as written, its trailing dot included.
    alone = "@" in value and len(value.split()) == 1
    whole = found[0] if found and len(found[0]) >= len(value.strip()) - 2 and not alone else None
    # Otherwise as written: "Anne ROUX <a.roux@x.fr>" or "mailto:a.roux@x.fr" pasted into
    # the cell is no address a confirmation can go to as it stands; a person decides.
    address = whole or value.strip()
    if _MIXED_CASE_DOMAIN.search(address):
        # "d.giraudeau@valdesevRree.sfrponsable": a column's word run into the address by a
        # PDF that printed one over the other; nobody types a capital inside a domain.
        uncertain.append(path)
    if source.ocr and _INITIAL_HYPHEN.match(address):
        # "j-boucherat@…": OCR reads a small dot after an initial as a dash as often as
        # people write one there; which it is, a person checks.
        uncertain.append(path)
    if source.ocr and not is_valid(address):
        repaired, changed = repair_ocr(address, domains)
        if changed:
            # "christine. lafon@…" beside "Christine | LAFON": only a space OCR put after
            # the dot, and the names read apart spell the rest.
            unspaced = repaired == re.sub(r"\s+", "", address) and _spells(repaired, names)
            if not unspaced:
                uncertain.append(path)
            return repaired
    return address


def _person(
    raw: RawPerson, source: FormSource, uncertain: list[str], path: str, domains: frozenset[str]
) -> Person:
    first, last = clean_value(raw.first_name), clean_value(raw.last_name)
    civility = raw.civility
    if civility is None:
        civility, first, last = _civility_in_names(first, last)
    if raw.order_unsure:
        # "ÉMILIE MOREAU": French usage put the first name first; an initial in the
        # address ("e.moreau@", "moreau.e@") says otherwise when it does.
        first, last = _order_by_address(first, last, raw.email) or (first, last)
    for name, value in (("first_name", first), ("last_name", last)):
        if value and _STRAY_LETTER.search(value):
            # "RIBEYROLLE" / "S Géraldine": a narrow cell wrapped the name inside a word.
            uncertain.append(f"{path}.{name}")
        elif value and _NOT_IN_A_NAME.search(_K_SLASH.sub(r"\1", value)):
            # "→" read as a first name: the list's own marks, not a person's.
            uncertain.append(f"{path}.{name}")
    return Person(
        civility=civility,
        first_name=first,
        last_name=last,
        email=_email(
            raw.email, source, uncertain, f"{path}.email", domains, (raw.first_name, raw.last_name)
        ),
    )


# What no given or family name holds: arrows, equals, bars, brackets' halves, figures.
_NOT_IN_A_NAME = re.compile(r"[^\w\s'’.‐-]|\d|_")
# "K/BIDI", "DIJOUX-K/BIDI": Réunion's family names shorten "Ker" to "K/".
_K_SLASH = re.compile(r"(?<![^\s-])([A-Z])/(?=[A-ZÀ-Þ])")
# A lone capital with no dot after it: no one's given or family name, a cut word's end.
_STRAY_LETTER = re.compile(r"(?:^|\s)[A-ZÀ-Þ](?=\s|$)")


def _civility_in_names(
    first: str | None, last: str | None
) -> tuple[str | None, str | None, str | None]:
    """ "Mme FABREGUETTES" under "Nom", "M. Alain" under "Prénom", the civility cell empty:
    the civility written in the name's cell, and the names without it."""
    said, rest = split_civility(first or "")
    if said is not None and rest:
        return said, rest, last
    said, rest = split_civility(last or "")
    if said is not None and rest:
        return said, first, rest
    return None, first, last


def _order_by_address(
    first: str | None, last: str | None, email: str | None
) -> tuple[str | None, str | None] | None:
    """ "DUPONT JEAN" in one cell: an initial in the address is the first name's
    ("j.dupont", "dupont.j"). None when the address tells nothing: "moreau.emilie" and
    "emilie.moreau" are both usual."""
    if not first or not last or not email or "@" not in email:
        return None
    local = letters(email.split("@")[0])

    def initials(name: str) -> set[str]:
        parts = [letters(p) for p in re.split(r"[\s\-]+", name) if letters(p)]
        return {parts[0][:1], "".join(p[:1] for p in parts)} if parts else set()

    for given, family in ((first, last), (last, first)):
        shortened = {i + letters(family) for i in initials(given)}
        shortened |= {letters(family) + i for i in initials(given)}
        if local in shortened:
            return given, family
    return None


# The signing block's labels as a scan shows them, read or not ("Le" left blank alone).
_SIGNING_LABELS = {
    Field.PLACE: re.compile(r"(?im)^[^\w\n]*fait\s*[àa]\b"),
    Field.SIGNED_DATE: re.compile(r"(?im)^[^\w\n]*le\b[ \t]*(?::|\t|$)"),
}
_SIGNING_HEADING = re.compile(r"\bsignature\s+et\s+cachet\b|\bcachet\s+de\s+l", re.IGNORECASE)
_SIGNING_BLOCK = re.compile(r"^\W*fait\s+(?:[àa]|au)\b|signat(?:ure|aire)|cachet", re.I | re.M)


def _stamped(source: FormSource) -> bool:
    """An image placed in the signing block ("Fait à", "Par (nom du signataire)",
    "Signature et cachet": a signature picture is pasted or anchored anywhere there when
    the name is left out) is a signature or a stamp; an e-signature platform's
    certificate, or a stroke drawn on the PDF, says as much."""
    document = source.document
    if document is not None and {E_SIGNED, INK_SIGNED, SCAN_SIGNED} & set(document.notes):
        return True
    if document is None or not document.has_images:
        return False
    offsets = getattr(document, "image_offsets", ())
    label = _SIGNING_BLOCK.search(document.text)
    if not offsets or label is None:
        return False
    # In a table row ("Fait à | Mérignac | Signature et cachet"), offsets are counted
    # before the row is laid out as one line: the label's line is where it begins.
    line_start = document.text.rfind("\n", 0, label.start()) + 1
    return any(offset >= line_start for offset in offsets)


def _stamp_in_body(source: FormSource, mail: MailView) -> bool:
    """A form typed in the mail's HTML, a stamp pasted right after "Signature et cachet"."""
    return source.document is None and bool(mail.html) and stamp_in_html(mail.html)


_SIRET = re.compile(r"\bSIRET\s*:?\s*((?:\d\s?){14})\b", re.IGNORECASE)
# "Code service Chorus Pro : DSOL33", "Code service exécutant : FIN_33".
_SERVICE_CODE = re.compile(
    r"\bcode\s+service(?:\s+(?:ex[ée]cutant|chorus(?:\s+pro)?))*\s*:?\s*([A-Za-z0-9_\-]{2,30})",
    re.IGNORECASE,
)
_CODE = re.compile(r"[A-Z0-9_\-]+")  # a code is written in capitals and digits, not a word
# "N° d'engagement juridique (EJ) : 1300284517", "Numéro d'engagement : EJ 2026-00731": the
# number holds a digit, "juridique" not.
_ENGAGEMENT = re.compile(
    r"(?:(?:\bn°|\bnum[ée]ro|\bno\.?)\s*d['’]engagement(?:\s+(?:juridique|interne|comptable))?|"
    r"\bengagement juridique|\bbon de commande|\bn°\s*EJ)"
    # "le numéro d'engagement juridique correspondant est le 2026-EJ-0047312"
    r"(?:\s*\(EJ\))?(?:\s+(?:correspondant|est|le))*\s*(?:n°)?\s*:?\s*"
    r"(?=(?:EJ\s+)?[A-Z\-/]*\d)((?:EJ\s+)?[A-Z0-9\-/]{4,30})",
    re.IGNORECASE,
)


def _buyer_hints(text: str) -> BuyerHints:
    siret = _SIRET.search(text)
    service = next(
        (m.group(1) for m in _SERVICE_CODE.finditer(text) if _CODE.fullmatch(m.group(1))), None
    )
    engagement = _ENGAGEMENT.search(text)
    return BuyerHints(
        siret=re.sub(r"\s", "", siret.group(1)) if siret else None,
        service_code=service,
        engagement_number=engagement.group(1) if engagement else None,
    )


def _merged(read: BuyerHints, more: BuyerHints) -> BuyerHints:
    """What the form or the mail gave, completed by another attachment."""
    return BuyerHints(
        siret=read.siret or more.siret,
        service_code=read.service_code or more.service_code,
        engagement_number=read.engagement_number or more.engagement_number,
    )


_WROTE = re.compile(r"^\s*(?:de|from)\s*:|a\s+[ée]crit\s*:|wrote\s*:", re.IGNORECASE | re.MULTILINE)


def _answers_us(catalog: Catalog, body: BodyText) -> bool:
    """The mail quoted first below the new text is IPP's own: the thread is a reply to
    us, whatever its subject says ("RE: Re: TR: inscription"), and what is quoted
    further down was handled when it came."""
    if not body.history.strip():
        return False
    introduced = body.history_header
    if not _WROTE.search(introduced):  # "-----Message d'origine-----" then "De : …"
        introduced = next(iter(body.history.strip().splitlines()), "")
    return bool(_WROTE.search(introduced)) and _names_us(catalog, introduced)


def _names_us(catalog: Catalog, introduced: str) -> bool:
    """The line introducing a quote names IPP: its address, or, as Outlook and Apple Mail
    write a known contact, only its name ("Le 12/01/2027 à 11:20, IPP a écrit :")."""
    folded = fold(introduced)
    if catalog.mailbox.lower() in introduced.lower() or fold(catalog.seller.name) in folded:
        return True
    own = re.escape(catalog.mailbox.split("@")[0].lower())
    return re.search(rf"(?<![\w.@-]){own}(?![\w.@-])", folded) is not None


_QUOTED_FROM = re.compile(
    r"^\s*(?:de|from)\s*:.*$|^.*\b(?:a [ée]crit|wrote)\s*:\s*$", re.IGNORECASE | re.MULTILINE
)
_QUOTED_TO = re.compile(r"^\s*(?:[àa]|to|cc)\s*:(.*)$", re.IGNORECASE | re.MULTILINE)


def _sent_before(mail: MailView, body: BodyText, mailbox: str) -> bool:
    """The mail forwards or quotes one that already brought IPP a form: the sender's own
    earlier mail ("TR: Inscription", "RE:" to oneself), or anyone's addressed to IPP.
    Unless the writer says that one had forgotten its attachment."""
    if classify.forgot_attachment(body.new):
        return False
    sender = (mail.from_address or "").lower()
    quoted = [(f"{body.history_header}\n{headers_of(body.history)}", without_headers(body.history))]
    quoted += [
        (f"From: {inner.from_address}\nTo: {inner.headers.get('to', '')}", inner.plain)
        for inner in mail.forwarded
    ]
    for header, text in quoted:
        writers = {a.lower() for m in _QUOTED_FROM.finditer(header) for a in find_emails(m[0])}
        to = [a.lower() for m in _QUOTED_TO.finditer(header) for a in find_emails(m[1])]
        if not (mailbox.lower() in to or (sender and sender in writers and not to)):
            continue
        if _FORM_WORDS.search(text) and _ATTACHED.search(text):
            return True
    return False


# An amount a note, a purchase order or a cover letter commits: it must be the form's.
_TOLD_TOTAL = re.compile(
    # The words between never name a price per person: "Montant de la commande | Prix par
    # personne | 635 € TTC" heads a table, it states no total.
    r"\b(?:montant|total|somme)"
    r"(?:(?!prix|unit|par\s+(?:personne|participant|agent|stagiaire|t[eê]te))\D){0,40}?"
    r"(?P<amount>\d+(?:[ \u00a0\u202f.]\d{3})*(?:[,.]\d{1,2})?)\s*(?:€|euros?\b|eur\b)"
    r"(?!\s*(?:par|/|chacun|l'unit|unitaire|[x×*]))",  # a price per person is no total
    re.IGNORECASE,
)


_TIMES = re.compile(r"[x×*]\s*$", re.IGNORECASE)


def _unless_other_total(registration: Understanding, texts: list[str]) -> Understanding:
    """The registration, its total doubted when the mail's note, a purchase order or a
    cover letter beside the form states another ("pour un montant total de 2 540 €" above a form
    of 1 905 €, or a "Total TTC : 2 286 €" a purchase order adds to the form's 1 905 € that
    owe no VAT): which one is owed is for a person to say before an invoice goes out."""
    total = registration.declared_total_eur
    if total is None:
        return registration
    for text in texts:
        told = {
            parse_amount(m["amount"])
            for m in _TOLD_TOTAL.finditer(text)
            if not _TIMES.search(text, 0, m.start("amount"))  # "Montant net total (x 635 Euros)"
        } - {None}
        if told - {total, Decimal(0)}:
            return _doubting(registration, "declared_total_eur")
    return registration


def _unless_other_session(
    registration: Understanding, catalog: Catalog, texts: list[str], year: int
) -> Understanding:
    """The registration, its session doubted when a paper beside the form (a purchase
    order, a cover letter, a brochure) or the request forwarded with it ("Merci d'inscrire
    … session du jeudi 18 mars" above a form ticked on 8 October) dates another session or
    names another webinar."""
    chosen = registration.session
    if chosen is None or not any(names_another_session(chosen, catalog, t, year) for t in texts):
        return registration
    return _doubting(registration, "session")


def _unless_cards_differ(registration: Understanding, cards: list[Card]) -> Understanding:
    """The registration, a participant's address doubted when the contact card sent for
    her gives another one: which of the two is right is for a person to ask."""
    for card in cards:
        given = {address.lower() for address in card.addresses}
        for index, person in enumerate(registration.participants):
            named = compact(f"{person.first_name} {person.last_name}")
            if named and named in compact(card.name) and (person.email or "").lower() not in given:
                registration = _doubting(registration, f"participants[{index}].email")
    return registration


def _doubting(registration: Understanding, path: str) -> Understanding:
    doubted = (*registration.uncertain_fields, path)
    return replace(registration, uncertain_fields=tuple(dict.fromkeys(doubted)))


def _held_against_ours(
    swap: Understanding, ours: SessionRef, catalog: Catalog, mail: MailView, request: str
) -> Understanding:
    """A swap answering our confirmation of ``ours``: the session it names must be ours.

    A request naming no other webinar means the one we confirmed. "… la journée Handicap
    du 27 ; l'ASE du 26 reste inchangée" names two, and "le webinaire du jeudi 26" in
    answer to our confirmation of the 27th another: a person says which.
    """
    if swap.session == ours:
        return swap
    if swap.session is None:
        year = mail.date.year if mail.date else 2026
        named = {w.id for w in find_webinars(catalog, request)}
        named |= {w.id for w in dated_webinars(catalog, request, year)}
        if named <= {ours.webinar_id}:
            return replace(swap, session=ours, session_problem=None)
    return replace(swap, session=None, session_problem=SessionProblem.NOT_IDENTIFIED)


def _ours_names_several(catalog: Catalog, mail: MailView, body: BodyText) -> bool:
    """Our quoted mail confirms more than one webinar ("… l'ASE du jeudi 26 novembre : … /
    … Handicap du vendredi 27 novembre : …")."""
    ours = _our_quoted_mail(catalog, body)
    if ours is None:
        return False
    year = mail.date.year if mail.date else 2026
    named = {w.id for w in find_webinars(catalog, ours)}
    return len(named | {w.id for w in dated_webinars(catalog, ours, year)}) > 1


def _told_in_own_words(
    swap: Understanding, catalog: Catalog, mail: MailView, request: str
) -> Understanding:
    """A swap answering our confirmation of several webinars: the subject is ours and
    names them all ("Re: … webinaires CPOM ASE et Handicap"), so only the writer's own
    words may say which session the swap is for; without them, a person asks."""
    year = mail.date.year if mail.date else 2026
    webinars = find_webinars(catalog, request) or dated_webinars(catalog, request, year)
    finding = find_session(catalog, webinars, request, [], year, mail.date)
    if finding.session is not None:
        return replace(swap, session=finding.session, session_problem=None)
    return replace(swap, session=None, session_problem=SessionProblem.NOT_IDENTIFIED)


def _our_quoted_session(catalog: Catalog, mail: MailView, body: BodyText) -> SessionRef | None:
    """The session IPP's own quoted mail names, when the request itself names none.

    "Re: Confirmation de votre inscription" — the client answers our confirmation
    and writes only the names. Only IPP's words are trusted (the line introducing
    the quote is from our mailbox), and only the mail quoted first, which must
    name exactly one session: an older form quoted further down does not count.
    """
    ours = _our_quoted_mail(catalog, body)
    if ours is None:
        return None
    year = mail.date.year if mail.date else 2026
    webinars = find_webinars(catalog, ours) or dated_webinars(catalog, ours, year)
    return find_session(catalog, webinars, ours, [], year, mail.date).session


def _our_quoted_mail(catalog: Catalog, body: BodyText) -> str | None:
    """The text of IPP's own mail quoted first below the request, if it answers us."""
    if not _answers_us(catalog, body):
        return None
    return split_history(without_headers(body.history)).new


_GOES = re.compile(
    r"rempla[cç]|[àa] (?:sa|la) place|au lieu|absente?s?\b|cong[ée]|ne pourra|emp[êe]ch|indisponible|"
    r"malade|d[ée]sist"
)


def _replaced_named_in_history(
    swap: Understanding, request: str, history: str, mail: MailView
) -> Understanding:
    """The person who leaves, named in the request without a civility ("Ma collègue
    Aurélie Klein étant en congé, … à sa place Mme Sarah WEBER"), as our quoted
    confirmation lists her: "Mme Aurélie KLEIN". Only a listed person named before the
    newcomer, in the same sentence, with words saying she goes in between; and only one."""
    newcomer = swap.replacement
    if swap.replaced is not None or newcomer is None or not newcomer.last_name:
        return swap
    folded = fold(request)
    coming = folded.find(fold(newcomer.last_name))
    named = []
    for person in find_people(history):
        if not (person.first_name and person.last_name) or person.last_name == newcomer.last_name:
            continue
        first, last = fold(person.first_name), fold(person.last_name)
        found = re.search(rf"\b(?:{re.escape(first)}\s+{re.escape(last)}|{re.escape(last)}\s+"
                          rf"{re.escape(first)})\b", folded)  # fmt: skip
        if found is None or not 0 <= found.end() < coming:
            continue
        between = folded[found.end() : coming]
        if _GOES.search(between) and not re.search(r"[.!?\n]", between):
            named.append(Person(person.civility, person.first_name, person.last_name, person.email))
    return replace(swap, replaced=named[0]) if len(set(named)) == 1 else swap


def _replaced_completed_from_history(
    swap: Understanding, request: str, history: str, mail: MailView
) -> Understanding:
    """The person who leaves, completed from the thread below: a civility when known by
    the sender's name alone ("Ma collègue Mme Y me remplacera" above our confirmation
    listing "Mme Laurence TESSIER"), and an address when the one who leaves is the
    sender, writing from the address the thread lists her with, or from the one her
    signature or our quoted link mail ("associé à votre adresse x@…") writes. Each only
    when the people listed there with that name give one. Someone else's address, listed
    in the thread only, is not taken: the request names her without it, and the answer
    keeps what the request writes."""
    leaving, sender = swap.replaced, mail.from_address
    if leaving is None or not leaving.last_name:
        return swap
    family, given = fold(leaving.last_name), fold(leaving.first_name or "")
    listed = [p for p in find_people(history) if fold(p.last_name or "") == family]
    if leaving.email is None:
        addresses = {
            p.email.lower(): p.email
            for p in listed
            if p.email and fold(p.first_name or "") in ("", given)
        }
        if len(addresses) == 1 and sender and sender.lower() in addresses:
            leaving = replace(leaving, email=addresses[sender.lower()])
        elif not addresses and sender and _is_sender(leaving, mail.from_name):
            written = re.search(
                rf"(?<![\w.+-]){re.escape(sender)}(?![\w-])", f"{request}\n{history}", re.I
            )
            leaving = replace(leaving, email=written[0] if written else None)
    if leaving.civility is None and leaving.first_name:
        civilities = {
            p.civility for p in listed if p.civility and fold(p.first_name or "") == given
        }
        if len(civilities) == 1:
            leaving = replace(leaving, civility=civilities.pop())
    return replace(swap, replaced=leaving)


def _is_sender(person: Person, sender_name: str | None) -> bool:
    """ "Pierre-Yves COSTE" is the sender "Pierre-Yves Coste": the same words, each once."""
    words = sorted(fold(f"{person.first_name or ''} {person.last_name or ''}").split())
    return len(words) > 1 and words == sorted(fold(sender_name or "").split())


def _newcomer_listed_below(swap: Understanding, catalog: Catalog, body: BodyText) -> Understanding:
    """A swap held against the participants our confirmation quoted below lists: a
    newcomer listed already ("c'est ma collègue Mme Estelle GRANIER qui suivra à ma place"
    above "- Mme Estelle GRANIER (estelle.granier@…)") would be registered twice, and a
    person to replace who is not listed holds no place of this registration."""
    ours = _our_quoted_mail(catalog, body)
    if ours is None:
        return swap
    listed = find_people(ours)

    def among(person: Person | None) -> bool:
        if person is None or not person.last_name:
            return False
        family, given = fold(person.last_name), fold(person.first_name or "")
        address = (person.email or "").lower()
        return any(
            (fold(p.last_name or "") == family and fold(p.first_name or "") in ("", given))
            or bool(address and (p.email or "").lower() == address)
            for p in listed
        )

    return replace(
        swap,
        newcomer_listed=among(swap.replacement),
        leaver_unlisted=bool(listed) and swap.replaced is not None and not among(swap.replaced),
    )


def _recalls_old_form(registration: Understanding, swap: Understanding) -> bool:
    """A swap written in the mail, the registration form sent "pour rappel" beside it.

    The form still lists the person who drops out and not the newcomer: it is the old
    form, not a corrected one (that one would name the newcomer and is a registration).
    """
    if swap.replaced is None or swap.replacement is None:
        return False

    def listed(person: Person) -> bool:
        family = fold(person.last_name or "")
        address = (person.email or "").lower()
        return any(
            (family and fold(p.last_name or "") == family)
            or (address and (p.email or "").lower() == address)
            for p in registration.participants
        )

    return listed(swap.replaced) and not listed(swap.replacement)


def _newcomers_form(registration: Understanding, swap: Understanding) -> Understanding | None:
    """The swap, when the form sent with it is the newcomer's alone ("ci-joint un bulletin
    pour Mme Lucie TOMASINI, en remplacement de M. Thierry BLANC"): her seat is the one
    already paid for, so it is a replacement, not a second registration. Only when the
    form lists her and nobody else, under the name the mail gives, for the same session,
    and does not list the person who leaves; she is then as the form writes her."""
    leaving, coming = swap.replaced, swap.replacement
    if leaving is None or coming is None or len(registration.participants) != 1:
        return None
    [listed] = registration.participants
    if not _same_person(listed, coming) or fold(listed.last_name or "") == fold(
        leaving.last_name or ""
    ):
        return None
    if not _same_session(registration, swap):
        return None
    return replace(swap, replacement=listed, session=registration.session, session_problem=None)


def _swap_form(registration: Understanding, swap: Understanding) -> Understanding | None:
    """The swap, when the form sent with it is a replacement's ("Participant remplacé" over
    "Nouveau participant"): it lists the two people the mail names, and them alone, for
    the same session; each is then as the form writes them, address included."""
    leaving, coming = swap.replaced, swap.replacement
    if leaving is None or coming is None or len(registration.participants) != 2:
        return None
    if not _same_session(registration, swap):
        return None

    def written(person: Person) -> Person | None:
        if not person.last_name:
            return None
        found = [p for p in registration.participants if _same_person(p, person)]
        return found[0] if len(found) == 1 else None

    old, new = written(leaving), written(coming)
    if old is None or new is None or old is new:
        return None
    return replace(swap, replaced=old, replacement=new, session=registration.session,
                   session_problem=None)  # fmt: skip


def _same_person(listed: Person, named: Person) -> bool:
    """``listed`` on a form is ``named`` in the mail: the family name, the first name when
    the mail gives one, the address when it gives one."""
    return (
        fold(listed.last_name or "") == fold(named.last_name or "")
        and (named.first_name is None or fold(listed.first_name or "") == fold(named.first_name))
        and (not named.email or (listed.email or "").lower() == named.email.lower())
    )


def _same_session(registration: Understanding, swap: Understanding) -> bool:
    """The form attached to a swap names one session, and the mail no other."""
    if registration.session is None or registration.session_problem is not None:
        return False
    return swap.session is None or swap.session == registration.session


def _scanned_swap_checked(swap: Understanding, letter: FormSource, mail: MailView) -> Understanding:
    """A swap read from a scanned letter, its names and addresses checked as a scanned
    form's are: a value holding a word OCR was unsure of, an address a letter off the
    mail's domain or not spelling its owner, a page read poorly, goes to a person."""
    document = letter.document
    if document is None or (document.ocr_confidence or 0) < OCR_CONFIDENCE_FLOOR:
        doubted = ["replaced.last_name", "replacement.last_name", "replacement.email"]
    else:
        read: list[tuple[str, str | None]] = []
        spelled: dict[str, tuple[str | None, str | None]] = {}
        for side, person in (("replaced", swap.replaced), ("replacement", swap.replacement)):
            if person is not None:
                read += [(f"{side}.{name}", getattr(person, name))
                         for name in ("first_name", "last_name", "email")]  # fmt: skip
                spelled[f"{side}.email"] = (person.first_name, person.last_name)
        sender = domain_of(mail.from_address)
        doubted = _guessed(
            read, frozenset(document.unsure_words), frozenset({sender} if sender else ()),
            sender, mail.from_address, spelled,
        )  # fmt: skip
        newcomer = swap.replacement
        if (
            newcomer is not None
            and newcomer.email
            and not _spells(newcomer.email, (newcomer.first_name, newcomer.last_name))
        ):
            doubted.append("replacement.email")  # an address that is not hers, or misread
    fields = tuple(dict.fromkeys([*swap.uncertain_fields, *doubted]))
    return replace(swap, uncertain_fields=fields)


def _replacement(
    base: Understanding,
    catalog: Catalog,
    mail: MailView,
    text: str,
    history: str = "",
    own_end: int | None = None,
) -> Understanding:
    # Lines are what the readers below go by, and the positions they pass on are counted
    # in the text ``find_replacement`` reads: a body decoded with its CRLF would shift them.
    if own_end is not None:
        own_end = len(text[:own_end].replace("\r\n", "\n"))
    text = text.replace("\r\n", "\n")
    senders = {
        a.lower() for a in (mail.from_address, *(f.from_address for f in mail.forwarded)) if a
    }
    quoted = find_people(history)
    replaced, replacement = with_writer(
        text, find_replacement(text, senders), mail.from_name, mail.from_address, quoted, own_end
    )
    # Our confirmation's list quoted below ("- Mme X (x@…)"); a sentence quoted below, "le
    # lien adressé à M. X (x@…) nous est revenu", may give an address that failed.
    listed = [p for p in quoted if _LIST_ITEM.match(history, history.rfind("\n", 0, p.start) + 1)]
    if replaced is None and replacement is not None:
        replaced = _named_from_list(text, listed, replacement)
    if replaced is not None and replaced.email is None:
        replaced = replace(replaced, email=_quoted_address(replaced, listed))
    if (
        replacement is not None
        and replacement.email is None
        and writes_for_self(text, replacement, mail.from_name)
    ):
        replacement = replace(replacement, email=mail.from_address)
    copied = None
    if replacement is not None and replacement.email is None:
        copied = _copied_newcomer(mail, replacement, replaced, {*senders, catalog.mailbox.lower()})
        replacement = replace(replacement, email=copied)
    year = mail.date.year if mail.date else 2026
    context = mail.subject + "\n" + text
    webinars = named_webinars(catalog, context, year)
    finding = find_session(catalog, webinars, context, [], year, mail.date)
    finding = unless_other_day_asked(finding, catalog, context, year)

    def person(mention: object) -> Person | None:
        if mention is None:
            return None
        return Person(
            getattr(mention, "civility", None), getattr(mention, "first_name", None),
            getattr(mention, "last_name", None), getattr(mention, "email", None),
        )  # fmt: skip

    signers = tuple(n for n in (mail.from_name, *(f.from_name for f in mail.forwarded)) if n)
    return replace(
        base,
        kind=Kind.REPLACEMENT,
        session=finding.session,
        session_problem=finding.problem,
        replaced=person(replaced),
        replacement=person(replacement),
        uncertain_fields=(
            *(("replacement",) if others_named(text, (replaced, replacement), signers) else ()),
            *(("replacement.email",) if _addresses_doubted(text, replacement, replaced) else ()),
            # Found in the mail's Cc, not written in it: surely hers, but the message does not
            # say it is the one the link goes to. Shown to a person, who confirms it.
            *(("replacement.email",) if copied is not None else ()),
        ),
    )


def _quoted_address(leaving: PersonMention, listed: Sequence[PersonMention]) -> str | None:
    """ "Mme Christelle PUJOL ne pourra pas y assister" over our quoted confirmation, whose
    list of participants (``listed``) gives "- Mme Christelle PUJOL (c.pujol@x.fr)": her
    address as registered, written in the message. Only one person of that first and family
    name, with one address."""
    if not leaving.first_name or not leaving.last_name:
        return None
    found = {
        person.email.lower(): person.email
        for person in listed
        if person.email
        and fold(person.last_name or "") == fold(leaving.last_name)
        and fold(person.first_name or "") == fold(leaving.first_name)
    }
    return next(iter(found.values())) if len(found) == 1 else None


def _named_from_list(
    text: str, listed: Sequence[PersonMention], newcomer: PersonMention
) -> PersonMention | None:
    """ "Marion Lefort ne pourra pas suivre la journée" over our quoted confirmation listing
    "- Mme Marion LEFORT – mlefort@…" (``listed``): the leaver named without a civility, as
    registered. Only one person of the list named in the request, and not the newcomer."""
    own = fold(text[: newcomer.start])
    named = {
        (person.civility, person.first_name, person.last_name, person.email): person
        for person in listed
        if person.first_name
        and person.last_name
        and fold(person.last_name) != fold(newcomer.last_name or "")
        and re.search(rf"\b{re.escape(fold(f'{person.first_name} {person.last_name}'))}\b", own)
    }
    if len(named) != 1:
        return None
    person = next(iter(named.values()))
    at = own.find(fold(f"{person.first_name} {person.last_name}"))
    return replace(person, start=at, end=at + len(f"{person.first_name} {person.last_name}"))


# A list's line, in a quote or not: "> - Mme X", "• M. Y", "2) Mme Z", "Mme X | …".
_LIST_ITEM = re.compile(r"[>\s]*(?:[-•*–]|\d{1,2}[.)])\s")


def _copied_newcomer(
    mail: MailView,
    newcomer: PersonMention,
    leaving: PersonMention | None,
    excluded: set[str],
) -> str | None:
    """ "Ma collègue Mme Y, en copie de ce message, me remplacera": the one address the
    mail is also sent to that bears her family name, in its owner's name or its own."""
    family = letters(newcomer.last_name or "")
    if len(family) < 3 or (leaving is not None and letters(leaving.last_name or "") == family):
        return None
    copied = getaddresses([mail.headers.get("to", ""), mail.headers.get("cc", "")])
    found = {
        address.lower()
        for name, address in copied
        if is_valid(address)
        and address.lower() not in excluded
        and (family in letters(name) or family in letters(address.split("@")[0]))
    }
    return found.pop() if len(found) == 1 else None


def _addresses_doubted(
    text: str, newcomer: PersonMention | None, leaving: PersonMention | None
) -> bool:
    """Her name heads a card with two addresses ("agathe.sorin@…", "karine.morel@…", her
    assistant's): which one gets the link is for a person to tell."""
    if newcomer is None or newcomer.end <= newcomer.start:  # the writer, not named
        return False
    return len(addresses_beside(text, newcomer, leaving)) > 1
