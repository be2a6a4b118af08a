"""What kind of mail this is, from headers and wording (the form reader decides registrations)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailbot.understanding.bodies import REPLY_OR_FORWARD, text_of
from mailbot.understanding.bounces import delivery_succeeded
from mailbot.understanding.dates import compact, fold
from mailbot.understanding.emails import find_emails
from mailbot.understanding.invitations import is_calendar
from mailbot.understanding.labels import Field, exact_field
from mailbot.understanding.mime import MailView
from mailbot.understanding.sources import may_hold_a_form

_AUTO_SUBJECT = re.compile(
    r"^\s*(?:auto\s*:|automatic reply|r[ée]ponse automatique|out of (?:the )?office|"
    r"absent\(?e?\)?\s*:|\[absence\]|absence du bureau|autoreply|auto-reply|"
    r"accus[ée] de r[ée]ception|message automatique|en cong[ée]s?\s*:|i am away|"
    r"absence(?: prolong[ée]e)?\s*:|absence prolong[ée]e|hors du bureau|"
    r"absent\(?e?\)? du bureau)",
    re.IGNORECASE,
)
_AUTO_BODY = re.compile(
    r"je suis (?:actuellement )?absente?\b|je serai absente?\b|i am (?:currently )?out of (?:the )?office|"
    r"i will be out of|en cong[ée]s? jusqu|de retour le|back on|actuellement absente?\b|"
    r"ceci est une r[ée]ponse automatique|this is an automatic|accus[ée] de r[ée]ception|"
    r"message automatique|je n'aurai pas acc[eè]s|absente? du bureau|"
    r"nous avons bien re[çc]u votre (?:message|courriel|mail)|"
    r"(?:je suis|actuellement) en cong[ée]s?\b|"
    r"(?:je suis|actuellement|me trouve) en cong[ée] (?:maternit[ée]|parental|maladie)|"
    r"votre (?:message|courriel|mail) ne sera (?:pas|ni) (?:transf[ée]r[ée]|lu|trait[ée])|"
    r"je prendrai connaissance de votre (?:message|courriel|mail)|"
    r"ne (?:fais|fait) plus partie (?:de|des)|(?:adresse|bo[iî]te) n'est plus (?:consult[ée]e|active)|"
    r"en d[ée]placement jusqu|(?:je vous r[ée]pondrai|je traiterai votre (?:message|demande|courriel)) "
    r"(?:d[èe]s|[àa]) mon retour|consulte mes (?:messages|courriels|mails) de fa[çc]on irr[ée]guli[èe]re|"
    r"votre demande a bien [ée]t[ée] (?:re[çc]ue|enregistr[ée]e|prise en compte)|"
    r"ne consulterai (?:pas )?(?:ma messagerie|mes (?:messages|courriels|mails))|"
    r"(?:message|courriel|mail|demande) sera trait[ée]e? (?:d[èe]s|[àa]) mon retour|"
    # A shared mailbox closed for the holidays: "les messages reçus pendant cette période
    # seront traités à la réouverture".
    r"(?:messages|courriels|mails) (?:re[çc]us )?(?:pendant|durant) cette p[ée]riode|"
    r"seront trait[ée]s (?:d[èe]s|[àa]) (?:la|notre|sa) (?:r[ée]ouverture|reprise|retour)",
    re.IGNORECASE,
)
_PHISHING = re.compile(
    r"bo[iî]te (?:aux lettres|mail) (?:est )?(?:presque )?pleine|mot de passe|password|"
    r"\bbo[iî]te\b[^.\n]{0,40}\best (?:presque )?pleine|a atteint \d+\s?% de sa capacit[ée]|"
    r"(?:v[ée]rifi|valid|r[ée]activ)(?:er|ez) votre (?:compte|bo[iî]te|messagerie)|"
    r"(?:confirm|valid)(?:er|ez) votre identit[ée]|quota|"
    r"\b(?:confirm|verify) your (?:identity|account|mailbox)|\brelease (?:the|your) funds\b|"
    r"votre (?:compte|bo[iî]te aux lettres|messagerie) (?:sera|va [êe]tre) "
    r"(?:suspendu|d[ée]sactiv[ée]|ferm[ée])|d[ée]sactivation de votre (?:compte|bo[iî]te|messagerie)|"
    r"mise [àa] jour de s[ée]curit[ée]|"
    r"(?:confirm|valid|v[ée]rifi)(?:er|ez) vos identifiants|"
    r"identifiants de (?:messagerie|connexion) (?:et|ainsi)|"
    # "Connectez-vous avec vos identifiants de messagerie": no service needs the mailbox's.
    r"\bvos identifiants (?:de |d'acc[èe]s [àa] (?:votre )?)messagerie\b|"
    # "Votre boîte ipp@ipp.fr sera suspendue sous 24 h": the threat, the address between.
    r"\bvotre bo[iî]te\b[^.\n]{0,60}\bsera (?:suspendu|d[ée]sactiv[ée]|ferm[ée]|supprim[ée])|"
    r"(?:revalid|mettre [àa] jour|actualis|confirm)\w*\s+(?:de\s+)?(?:vos|les|mes)\s+"
    r"coordonn[ée]es bancaires|coordonn[ée]es bancaires[^.\n]{0,120}(?:revalid|mises? [àa] jour)|"
    r"(?:r[ée]cup[ée]rer|lib[ée]rer) (?:vos|les|mes) messages|"
    # The threat of a closed account and a deadline: no payer nor client writes so.
    r"suspension de votre (?:compte|acc[èe]s|messagerie|espace|nom de domaine)|"
    r"(?:nom de domaine|adresses? (?:e-?mail|de messagerie))[^.\n]{0,60}\bser(?:a|ont) suspendu|"
    # A client pays IPP; only a lookalike of IPP's own supplier asks for its means of payment.
    r"(?:mett(?:re|ez)\s+[àa]\s+jour|actualis(?:er|ez)|r[ée]gularis(?:er|ez))\s+(?:vos|les|mes)\s+"
    r"(?:informations|donn[ée]es|moyens?|coordonn[ée]es)\s+de\s+paiement|"
    r"(?:confirm|v[ée]rifi|valid)(?:er|ez) vos (?:informations|donn[ée]es|coordonn[ée]es)"
    r"[^.\n]{0,40}\bsous\s+\d+\s*h|"
    # A parcel held for a small fee to pay through a link: DHL, La Poste, Colissimo lookalikes.
    r"frais de (?:d[ée]douanement|douane|r[ée]exp[ée]dition)\b[^\n]{0,80}(?:r[ée]gler|payer|pay[ée]s)|"
    r"votre colis\b[^.\n]{0,60}\b(?:en attente|retenu|bloqu[ée]|retourn[ée])",
    re.IGNORECASE,
)
# A public payer's platform telling an invoice's fate: staff act on it (redeposit, book it).
_PAYER_NOTICE = re.compile(
    r"chorus(?:\s*pro)?\b[\s\S]{0,600}?(?:statut|rejet|mise en paiement|mandat|suspendu|"
    r"[àa] recycler|service fait|pay[ée]e)",
    re.IGNORECASE,
)
_SPAM = re.compile(
    r"r[ée]f[ée]rencement|1[eè]re page de google|seo\b|offre exceptionnelle|"
    r"\bbacklinks?\b|\bguest post|\bdo-?follow\b|\bdomain authority\b|"
    r"\bclaim your (?:reward|prize|gift)\b|\byou have won\b|\bloyalty draw\b|"
    # Not a Teams or Zoom invitation pasted in a client's mail ("Cliquez ici pour
    # rejoindre la réunion").
    r"cliquez ici(?! pour rejoindre)|click here(?! to join)|bitcoin|prospects|"
    r"\bunsubscribe\b|se d[ée]sinscrire|d[ée]sabonner|d[ée]sinscription|newsletter|lettre d'information|"
    r"pour ne plus recevoir|r[ée]pond(?:ez|re) stop\b|\bopt[ -]?out\b|"
    r"attendees?\b[^.\n]{0,20}\blist|reply \W?remove\b|"
    # Mailing lists for sale: "notre fichier 2026 recense 34 500 ESSMS", "répondez OUI",
    # "notre fichier qualifié de 45 000 décideurs". Thousands only: "un fichier de 12
    # directeurs à former" is a client's question.
    r"r[ée]pond(?:ez|re) (?:simplement )?(?:oui|non)\b[^\n]{0,60}(?:extrait|contact|recevoir)|"
    r"\bfichier\b[^.\n]{0,30}(?:\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d{4,})\s*"
    r"(?:contacts|directeurs|d[ée]cideurs|dirigeants|[ée]tablissements|essms)|"
    r"offre de lancement",
    re.IGNORECASE,
)
_REPLACEMENT = re.compile(
    r"remplac[ée]e?s?\b[^.]{0,60}?\bpar\b|[àa] (?:sa|ma) place\b|"
    # "à la place de Mme X", not "une facture de 1 250 € à la place de la facture de 1 875 €".
    r"[àa] la place\b(?!\s+(?:de\s+(?:la|l'|notre|votre|cette)|du|des)\s)|remplacer\b.{0,120}\bpar\b|"
    r"substitu|remplacera\b|en remplacement de|changement de participant|en lieu et place de|"
    # "… ma collègue Mme Y (y@x.fr), qui me remplace."
    r"\bqui\s+(?:me|la|le|l'|les)\s*remplacen?t?\b|"
    r"(?:c[èe]de|laisse) sa place|\bau lieu de\b|replaced by|\binstead of\b|"
    # English: "please replace her by Mr Y", "Ms Y will replace him", "in her place".
    r"\breplace\b[^.\n]{0,80}?\b(?:by|with)\b|\bwill replace\b|"
    r"\b(?:take|in)\s+(?:her|his|their)\s+place\b|\bchange of participant\b|"
    r"\btake\s+the\s+place\s+of\b|"
    r"\bprendr(?:a|ont)\s+(?:ma|sa|la|leur)\s+place\b|\bchangement\s+d'inscrit|"
    r"\bc'est\s+(?:finalement\s+)?(?:M\.?|Mme|Monsieur|Madame)\s[^\n]{0,80}?\bqui\s+"
    r"(?:suivra|participera|assistera|viendra)\b|"
    # "ci-joint notre bulletin de remplacement au nom de M. Loïc TESSIER".
    r"\b(?:bulletin|fiche|formulaire|demande)\s+de\s+remplacement\b|"
    # "Participant ajouté en remplacement : Mme Laure GAUTHERON".
    r"\b(?:ajout[ée]e?|inscrite?)\s+en\s+remplacement\b|"
    # "voici le remplacement à effectuer :" over a table; "Ancien | Nouveau" heading one.
    r"\bremplacement\s+(?:[àa]\s+effectuer|suivant)\b|"
    r"(?im:^[ \t|]*(?:ancien(?:ne)?|sortant(?:e)?|participant(?:e)?\s+(?:annul[ée]e?|inscrit(?:e)?|"
    r"initial(?:e)?|sortant(?:e)?))[ \t]*(?:\t|\s{2,}|\|)[ \t|]*(?:nouveau|nouvelle|entrant(?:e)?|"
    r"rempla[çc]ant(?:e)?)\b)|"
    # "Participant initialement inscrit | M. | Olivier …" over "Nouveau participant | Mme
    # | Justine …": a table's rows labelled the person leaving and the one coming.
    r"(?im:^[ \t|]*(?:participant(?:e)?\s+)?(?:initialement\s+inscrit(?:e)?|ancien(?:ne)?|"
    r"sortant(?:e)?)\b[^\n]*\n[ \t|]*(?:nouveau|nouvelle|rempla[çc]ant(?:e)?|entrant(?:e)?)\b)|"
    # "Ce ne sera pas Mr Franck MOULIN mais Mme Anaïs LEROUX qui suivra la journée."
    r"\bce\s+(?:ne\s+sera|n'est)\s+(?:pas|plus)\s+(?:M\.?|Mr|Mme|Mlle|Monsieur|Madame)\s"
    r"[^\n]{0,80}?"
    r"\bmais\s+(?:M\.?|Mr|Mme|Mlle|Monsieur|Madame)\s|"
    # Not to another day: "transférer leur inscription sur la session du 8 octobre".
    r"transf[ée]r(?:er|ez|é|ée)\s+(?:son|sa|leur)\s+(?:acc[èe]s|place|inscription)\b"
    r"(?!\s+(?:sur|[àa]|vers|pour)\s+(?:la|le|une|l')\s*(?:session|journ[ée]e|date|"
    r"webinaire|s[ée]ance))|"
    r"\bsa\s+place\s+(?:soit|sera|puisse\s+[êe]tre)\s+(?:r?[ée]?attribu|donn|transf[ée]r|r[ée]affect)|"
    r"\b(?:attribuer|r[ée]attribuer|donner|r[ée]affecter)\s+sa\s+place\s+[àa]\b|"
    r"remplacer(?:a|ai|ont)\b|remplacement\s+de\b[^\n]{0,80}?\bpar\b|"
    r"remplacement\s+(?:M\.?|Mme|Mlle|Monsieur|Madame)\s[^\n]{0,80}?\bpar\b|"
    r"\b(?:la|le|l')\s*remplacer?\b|"
    r"inscrire en remplacement|\bancien(?:ne)?\s+participant|participant(?:e)?\s+remplac|"
    r"participant(?:e)?\s+(?:sortant|entrant)e?\b|"
    r"\brempla[çc]ant(?:e)?\b|"
    # "M. Aurélien MALAVAL => Mme Cécile ESTÈVE": an arrow from one person to another.
    r"\b(?:M\.?|Mme|Mlle|Monsieur|Madame|Mr|Mrs|Ms)\s[^\n]{2,80}?(?:=>|->|→|⇒)\s*"
    r"(?:M\.?|Mme|Mlle|Monsieur|Madame|Mr|Mrs|Ms)\s|"
    r"ne (?:pourra|participera|sera) (?:pas )?(?:participer|assister|suivre|pr[ée]sent|"
    r"[êe]tre pr[ée]sent)|ne participera pas\b|n'y (?:participera|assistera) pas\b|"
    # "Mme Inès BOURDIEU suivra la journée en remplacement."
    r"\b(?:suivra|participera|assistera|viendra)\b[^.\n]{0,40}?\ben\s+remplacement\b",
    re.IGNORECASE | re.DOTALL,
)
# A question mark or a polite request asks on its own; "merci de nous …" only when it
# asks for something to be sent.
_POLITE_ASK = r"\?|pourriez-vous|pouvez-vous|serait-il possible|est-il possible"
_SENDING = r"faire parvenir|transmettre|envoyer|indiquer|renvoyer"
_QUESTION_WORDS = re.compile(
    rf"{_POLITE_ASK}|merci de (?:me|nous) (?:{_SENDING})|"
    r"je souhaite(?:rais)? (?:savoir|conna[iî]tre|obtenir|recevoir)|"
    r"facture|devis|tarif|programme|lien de connexion|chorus|paiement|règlement|renseignement",
    re.IGNORECASE,
)


# A registration mail may ask something the confirmation does not answer, as a
# question or as an instruction ("merci d'adresser la facture à …").
_ASKING = re.compile(
    rf"{_POLITE_ASK}|merci de (?:me|nous) (?:{_SENDING}|pr[ée]ciser)|"
    # "Merci de nous adresser la facture" is what the confirmation does: only an
    # instruction without "nous" ("merci d'adresser la facture à …") asks for more.
    r"merci (?:de |d')(?:bien vouloir )?(?:adresser|pr[ée]voir|libeller|[ée]tablir|facturer)",
    re.IGNORECASE,
)
# An invoice to another name, address or mailbox than the form's: never guessed.
# ("La facture est à adresser au service financier" stays inside the organisation.)
_BILLED_ELSEWHERE = re.compile(
    # A dot inside an address or a name's initial ("cabinet.roques@…", "M. X") goes on; a
    # postcode stands alone ("BC-2026-04417" is an order's number).
    r"factur(?:[^.!?\n]|(?<=\bM)\.|\.(?=\w)){0,200}(?:@|(?<![\w/-])\d{5}(?![\w/-])|au nom d|libell|"
    r"[àa] l'attention)|"
    r"factur\w*\s+(?:au|[àa]\s+(?:la|l'))\s*(?:si[èe]ge|association|f[ée]d[ée]ration|structure|"
    r"organisme|groupe|direction)|"
    r"adresse de facturation|libell[ée]e? au nom|"
    # One invoice per person or per establishment: the confirmation makes one for all.
    r"\bfactur\w*\s+(?:s[ée]par[ée]e?s|distinctes?|individuelles?|nominatives?|par\s+(?:participant|"
    r"[ée]tablissement|agent|personne|structure|site|stagiaire|service)s?\b)|"
    r"\b(?:deux|trois|quatre|plusieurs|\d+)\s+factures\b|"
    # A training fund paying in the organisation's stead: the invoice is the fund's.
    r"subrogation|factur\w*\s+(?:directement\s+)?(?:[àa]\s+)?(?:l')?\s*(?:opco|anfh|financeur)",
    re.IGNORECASE,
)
# Asking to know something, whatever it is about: only a person can answer.
_WANTS_TO_KNOW = re.compile(
    r"\b(?:aimerions|voudrions|souhaiterions|aimerais|voudrais|souhaiterais|souhaitons|"
    r"voulons|souhaite|veux)\s+(?:[ée]galement\s+|aussi\s+)?(?:savoir|conna[iî]tre)\b|"
    r"\b(?:reste-t-il|faut-il|dois-je|devons-nous|doit-on)\b|\bil reste des places\b",
    re.IGNORECASE,
)
_STAFF_TOPIC = re.compile(
    r"factur|devis|bon de commande|chorus|paiement|r[èe]glement|mandat|tarif|prix|remise|"
    # "l'enregistrement" of the session, "sera-t-il enregistré", not "enregistrer l'inscription".
    r"convention|attestation|programme|support|replay|enregistr(?:ement|ée?)\b|"
    # A participant's disability, not the "CPOM handicap" webinar or an association's name.
    r"accessib|situation de handicap|handicap[ée]e?s?\b|malentend|malvoy|sous-titr|"
    r"horaire|"
    r"dur[ée]e|annul|report|rembours|exon[ée]r|tva",
    re.IGNORECASE,
)
# Changes asked beside a form: "annule et remplace le précédent", "Mme X ne pourra
# finalement pas participer", "merci de désinscrire…": a person decides.
# Written as a request, not as the brochure's terms ("le remplacement d'un participant
# peut être demandé", "conditions d'annulation") that a forwarded invitation carries.
_CHANGE = re.compile(
    r"\bannul(?:er|ez|ons|e et remplace|ation de (?:l'|notre|mon|ma|son|sa|la))|"
    r"d[ée]sinscri|ne (?:pourra|participera|sera) (?:finalement )?(?:pas|plus)\b"
    # "… notre comptable ne pourra pas la régler": an invoice's fate, no one drops out.
    r"(?!\s+(?:la|le|les|l['’])\s*(?:r[ée]gler|payer|traiter|mandater|honorer|liquider))|"
    r"\bremplacer\b|remplac[ée]e?s? par|[àa] la place de|en remplacement de|"
    # "Pourriez-vous ajouter Mme X à notre inscription ?": a person the form does not list.
    r"\b(?:r?ajout(?:er|ez)|inscrire [ée]galement)\b[^!?\n]{0,120}\b(?:inscription|liste)\b|"
    # "son inscription est donc annulée. Merci de n'inscrire que Mme Parret."
    r"\binscription\s+(?:est\s+)?(?:donc\s+)?annul[ée]e|\bn['’]inscri(?:re|vez)\s+que\b",
    re.IGNORECASE,
)
# The engagement number a public buyer's invoice must carry is still to come: "N°
# d'engagement juridique : à venir". Invoicing now would leave it off. ("Le bon de commande
# suivra" is the buyer's own paperwork: the invoice does not wait for it.)
_NUMBER_TO_COME = re.compile(
    r"(?:\bn°|\bnum[ée]ro|\bno\.?)\s*(?:d['’]engagement|EJ)\b|\bengagement\s+juridique",
    re.IGNORECASE,
)
_TO_COME = re.compile(
    r"\b(?:[àa]\s+venir|[àa]\s+suivre|suivra|en\s+cours|vous\s+sera\s+(?:communiqu|transmis|"
    r"adress|envoy)|sera\s+(?:communiqu|transmis)|pas\s+encore)",
    re.IGNORECASE,
)
# "… la facture à l'adresse indiquée sur la fiche": what the confirmation does anyway.
# "La facture est à établir au nom de l'établissement, comme indiqué sur le bulletin":
# the payer named by a common noun and sent back to the form, which the invoice follows.
# Only words in small letters may come between ("… et à envoyer à l'adresse postale,"):
# a proper name there would be a payer of the writer's own.
_PAYER_ON_THE_FORM = re.compile(
    r"^[^@]*\bau nom (?:de\s+(?:l'|la\s+|notre\s+)|du\s+)(?:[ée]tablissement|structure|"
    r"association|organisme|service|collectivit[ée]|d[ée]partement|employeur)"
    r"(?:[\s,]+(?-i:[a-zàâäçéèêëîïôöûùüÿ'’]+)){0,10}[\s,]*"
    r"(?<!\bnon )(?<!\bpas )(?:comme|tel(?:le)?\s+qu')\s*(?:indiqu|mentionn|pr[ée]cis|not)\w*\s+"
    r"(?:sur|dans)\b[^@]*$",
    re.IGNORECASE,
)
_AS_ON_THE_FORM = re.compile(
    r"(?:indiqu|figur|mentionn|port)\w*\s+(?:sur|dans|en)\s+(?:la|le|l'|notre|votre)?\s*"
    r"(?:fiche|bulletin|formulaire|en-t[êe]te)|"
    r"(?:de|sur|dans)\s+(?:la|le|notre)\s+(?:fiche|bulletin|formulaire)(?:\s+d'inscription)?\s*[.!]?$|"
    # "Merci de nous envoyer la facture à l'adresse du gestionnaire": where it goes anyway.
    r"[àa]\s+(?:l['’]adresse\s+(?:e-?mail\s+|mail\s+|[ée]lectronique\s+)?(?:du|de\s+la)\s+|"
    r"(?:au|[àa]\s+la)\s+)(?:gestionnaire|responsable\s+de\s+l['’]inscription)\b",
    re.IGNORECASE,
)
# A dot inside an address or a date ("e.bressac@x.fr", "18.03.2027") ends no sentence,
# nor does the one of "M. PERRET" or "(cf. bulletin)".
_SENTENCE = re.compile(
    r"[^.!?\n]*(?:(?:\.(?=[^\s.!?])|(?<=\bM)\.(?= \w)|(?<=\b[Cc]f)\.(?= \w))[^.!?\n]*)*"
    r"(?:[.!?]+|\n|$)"
)
# "Peux-tu envoyer à l'IPP le bulletin ?": a colleague's note, forwarded with the form.
# Clients write to IPP as "vous"; a sentence that says "tu" asks someone else.
_TO_A_COLLEAGUE = re.compile(
    r"\b(?:peux|pourrais|veux|voudrais|dois)-tu\b|\b(?:tu|te|t')\b", re.IGNORECASE
)
# "tu peux la retirer du bulletin (et corriger le montant)": a colleague was asked to change
# the form before sending it; whether that was done is for a person to check.
_EDIT_THE_FORM = re.compile(
    r"\b(?:retir|enl[eè]v|supprim|corrig|modifi|rectifi|ray)\w*\b[^.!?\n]{0,80}"
    r"\b(?:bulletin|formulaire|fiche|montant|liste)\b",
    re.IGNORECASE,
)
_LINK = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class OnTheForm:
    """What the form says of who is billed: the invoice goes there anyway."""

    organisation: str | None = None
    address: str | None = None
    manager: str | None = None  # the manager's full name: the confirmation goes to them
    manager_email: str | None = None
    service: str | None = None  # the manager's service


def side_question(text: str, *, changes: bool = True, form: OnTheForm = OnTheForm()) -> str | None:
    """A sentence of a registration mail asking staff something more ("pourriez-vous
    nous envoyer un devis ?", "ce bulletin annule et remplace le précédent");
    "pouvez-vous confirmer l'inscription ?" is answered by the confirmation. A
    replacement request is itself a change: ``changes=False`` leaves those out.
    An instruction the confirmation follows anyway, naming only what ``form`` says
    ("la facture est à libeller au nom du Foyer", the form's "Foyer de l'Enfance …"),
    asks nothing."""
    for match in _SENTENCE.finditer(_LINK.sub(" ", text)):
        sentence = match.group(0).strip()
        if _AS_ON_THE_FORM.search(sentence) and (
            not _BILLED_ELSEWHERE.search(sentence) or _PAYER_ON_THE_FORM.search(sentence)
        ):
            continue
        if (
            _billing_line_of(sentence, form.address)
            or _sent_to_manager(sentence, form.manager)
            or _invoiced_as_on_the_form(sentence, form)
            or _manager_address_line(sentence, form.manager_email)
        ):
            continue
        if _TO_A_COLLEAGUE.search(sentence):
            if changes and _EDIT_THE_FORM.search(sentence):
                return sentence
            continue
        if _ASKING.search(sentence) and _STAFF_TOPIC.search(sentence):
            return sentence
        if _WANTS_TO_KNOW.search(sentence):
            return sentence
        if any(r.search(sentence) for r in (_BILLED_ELSEWHERE, _HELD_BACK, _NOT_BY_MAIL)):
            return sentence
        if _LINK_ELSEWHERE.search(sentence) and not _only_told(sentence):
            return sentence
        if _CERTIFICATE.search(sentence) and _ASKED_FOR.search(sentence):
            return sentence
        if (number := _NUMBER_TO_COME.search(sentence)) and _TO_COME.search(
            sentence, number.end(), number.end() + 80
        ):
            return sentence
        if changes and _CHANGE.search(sentence):
            return sentence
    return None


# The link asked for more or other addresses than the participant's own: "merci d'envoyer
# le lien aux deux adresses", "le lien également à son assistante". Each participant gets
# one, at their address; a person arranges anything else.
_LINK_ELSEWHERE = re.compile(
    r"\b(?:liens?|invitations?|acc[èe]s|codes?\s+de\s+connexion)\b[^.!?\n]{0,60}?"
    r"(?:\baux\s+deux\s+adresses|\b[àa]\s+(?:ces|les)\s+deux\s+adresses|"
    r"\b(?:[ée]galement|aussi)\s+[àa]\s|\ben\s+copie\b|"
    r"\b[àa]\s+(?:son|sa|leur)\s+(?:assistante?|secr[ée]taire|secr[ée]tariat)\b|"
    # "… à chaque participant, avec une copie à mon adresse"
    r"\b(?:une|avec)\s+copie\b|\bcopie\s+[àa]\s|\b[àa]\s+mon\s+adresse\b)|"
    # "Merci d'adresser en copie les invitations et liens de connexion à formation@…"
    r"\b(?:en\s+copie|[ée]galement|aussi)\b[^.!?\n]{0,30}?\b(?:les\s+)?(?:liens?|invitations?)\b",
    re.IGNORECASE,
)
# "J'ai aussi joint l'invitation que j'ai envoyée à mes collègues": what the writer did
# herself, not a link to send anywhere else — unless the sentence asks for it as well.
_SENT_BY_THE_WRITER = re.compile(
    r"\b(?:j'ai|nous avons|je vous ai)\s+(?:\w+\s+){0,2}?(?:joint|ajout[ée]|transmis|envoy[ée])",
    re.IGNORECASE,
)
_ASKS = re.compile(r"\bmerci\b|pourr|pouvez|veuillez|souhait|\?", re.IGNORECASE)


def _only_told(sentence: str) -> bool:
    return _SENT_BY_THE_WRITER.search(sentence) is not None and not _ASKS.search(sentence)


# Attendance certificates are made by staff, after the day: asked for, a person notes it
# ("nous aurons besoin d'une attestation de présence"); thanked for, from a past day, not.
_CERTIFICATE = re.compile(
    r"\battestations?\s+(?:nominatives?\s+)?(?:de\s+)?(?:pr[ée]sence|participation|formation|"
    r"suivi|assiduit[ée]|fin\s+de\s+formation)",
    re.IGNORECASE,
)
_ASKED_FOR = re.compile(
    r"\bbesoin\b|\bmerci\s+d[e']|\bpourr?(?:iez|ez)\b|\bpouvez\b|\bsouhait|\bdemand|"
    r"\b(?:envoyer|faire\s+parvenir|transmettre|d[ée]livrer|adresser)\b",
    re.IGNORECASE,
)


# The sender holds the registration back: a pre-registration, a condition, an option, a
# draft, a number still to confirm, an invoice not to send yet. Confirming and invoicing
# would commit what they did not.
_HELD_BACK = re.compile(
    r"\bpr[ée][- ]?inscri|\bsous r[ée]serve\b|\b(?:poser|prendre|mettre|garder)\s+(?:une\s+)?option\b"
    r"|\bbloquer\s+\S+\s+places?\b|\b(?:reste|restent|est|sont)\s+[àa]\s+confirmer\b"
    r"|\bje vous (?:le\s+|la\s+)?confirmerai\b|\bnous vous (?:le\s+|la\s+)?confirmerons\b"
    r"|\bne pas (?:[ée]mettre|[ée]tablir|envoyer|adresser)\s+(?:la|de)\s+facture"
    # "… par courrier postal": a channel we do not use anyway, nothing held back.
    r"(?!\s+(?:par\s+(?:courrier|voie\s+postale|la\s+poste)))"
    r"|\bne pas (?:encore\s+)?facturer\b|\bavant (?:de valider|d'engager|toute inscription)\b"
    r"|\bavant que nous (?:n')?engagions\b|\bbrouillon\b|\bpremier jet\b|\bdocument de travail\b"
    r"|\ben attente (?:de (?:l'accord|la validation|validation|financement|l'arbitrage))"
    # A draft sent to be checked before it is signed: the signed one is to come.
    r"|\bavant (?:sa |la )?signature\b|\bavant de (?:le |la |les )?(?:faire )?signer\b"
    r"|\bpour (?:relecture|v[ée]rification)\b"
    r"|\bpas encore (?:l'envoi|la version|le bulletin|le formulaire) (?:officiel|d[ée]finiti)"
    r"|\b(?:je vous|nous vous) (?:le |la )?(?:renverr|enverr|transmettr|retourner)\w*\s+"
    r"(?:le |la |notre |mon )?(?:bulletin |formulaire |fiche |version |document )?sign[ée]",
    re.IGNORECASE,
)
# "Merci de déposer la facture sur Chorus Pro, et non par courriel": the invoice we would
# attach to the confirmation is refused; a person sends the confirmation without it.
_NOT_BY_MAIL = re.compile(
    r"\bfactur\w*\b[^.!?\n]{0,160}\b(?:et\s+)?(?:non|pas|jamais)\s+(?:\w+\s+)?(?:par|en)\s+"
    r"(?:courriel|mail|e-?mail|voie\s+[ée]lectronique|messagerie|pi[èe]ce\s+jointe)",
    re.IGNORECASE,
)


_BILLING_WORDS = (
    r"adresse\s+(?:de\s+facturation|d['’]envoi(?:\s+de\s+la\s+facture)?|"
    r"d['’]exp[ée]dition\s+de\s+la\s+facture|de\s+la\s+facture)"
)
# "Adresse de facturation (voie, BP, code postal, ville) | 3 allée …": the label's gloss.
_BILLING_LINE = re.compile(
    rf"^{_BILLING_WORDS}\b[\s:]*(?:\([^)]*\)[\s:]*)?(?P<value>.{{10,}})$", re.IGNORECASE
)
_BILLING_LABEL = re.compile(rf"^{_BILLING_WORDS}\s*:?$", re.IGNORECASE)


# "N° d'engagement juridique : … à reporter sur la facture", "merci de rappeler le n° de
# bon de commande sur la facture": a number the invoice must carry
# ("une facture pour engagement" is the accounting step, no number).
_ORDER_NUMBER = re.compile(
    r"(?:\bn°|\bnum[ée]ro|\br[ée]f[ée]rence)\s*(?:de\s+|d'|du\s+)?(?:l'|notre\s+|votre\s+)?"
    r"(?:engagement|bon de commande|commande|EJ|BC)\b|"
    r"\b(?:EJ|BC)\s*(?:n°|:)|engagement juridique|(?:bon de commande|engagement)[^\n]{0,30}\bn°",
    re.IGNORECASE,
)


def number_for_invoice(text: str) -> str | None:
    """The sentence asking for an order or commitment number on the invoice: honoured when
    the number was read (the invoice prints it), a question for a person when not."""
    for match in _SENTENCE.finditer(_LINK.sub(" ", text)):
        sentence = match.group(0)
        if "factur" in fold(sentence) and _ORDER_NUMBER.search(sentence):
            return sentence.strip()
    return None


def _billing_line_of(sentence: str, address: str | None) -> bool:
    """ "Adresse de facturation : …" giving the organisation's own address: the writer's
    label for it, no second address to bill."""
    if not address:
        return False
    if _BILLING_LABEL.match(sentence):
        return True  # the label alone, over the address the form read under it
    found = _BILLING_LINE.match(sentence)
    if found is None:
        return False
    return compact(address).startswith(compact(found.group("value")))


# "Merci d'adresser la confirmation et la facture à Mme RAULT."
_SEND_TO_PERSON = re.compile(
    r"^(?:merci\s+d'|je vous remercie\s+de\s+(?:bien vouloir\s+)?|pourriez-vous\s+|"
    r"veuillez\s+)(?:adresser|envoyer|transmettre)\s+(?:la|le|les|votre)\s+[^.?!]{0,60}?\s+"
    r"[àa]\s+(?:l'attention\s+de\s+)?(?:m\.|mme|madame|monsieur)\s+(?P<name>[\w'’ -]{2,40}?)"
    r"\s*[.!?]?$",
    re.IGNORECASE,
)


# Who the invoice is for or goes to: "au nom du Foyer", "à l'attention de la cellule
# tarification", "à l'adresse du service comptabilité", "au service formation".
_INVOICE_TARGET = re.compile(
    r"\b(?:au\s+nom|[àa]\s+l'attention)\s+(?:de\s+la|de\s+l'|des|du|de|d')\s*(?P<named>[^,;:.!?()]+)|"
    r"\b(?:au|[àa]\s+l'adresse\s+du)\s+(?P<unit>(?:service|cellule|p[ôo]le|bureau)\b[^,;:.!?]*)|"
    # "à l'adresse indiquée", "à l'adresse du CCAS indiquée sur le bulletin", "à l'adresse
    # du bulletin": the form's.
    r"\b[àa]\s+l'adresse\s+(?:(?:du|de\s+la|de\s+l'|de)\s*[^,;:.!?()]{1,40}?\s+)?"
    r"(?:indiqu|mentionn|figurant)\w*(?:\s+ci-dessus|\s+(?:sur|dans)\s+(?:le|la)\s+"
    r"(?:bulletin|formulaire|fiche)(?:\s+d'inscription)?)?|"
    r"\b[àa]\s+l'adresse\s+(?:du\s+bulletin|du\s+formulaire|de\s+la\s+fiche)\b|"
    # "à l'adresse de l'établissement", "à cette adresse": the organisation's own, which
    # the form gives.
    r"\b[àa]\s+(?:cette\s+adresse|l'adresse\s+(?:de\s+l'[ée]tablissement|de\s+la\s+structure|"
    r"de\s+l'association|de\s+l'organisme|ci-dessus))(?![\w-])",
    re.IGNORECASE,
)
# A unit's kind and the small words around a name: they name nobody in particular.
_TARGET_FILLER = frozenset(
    {"de", "du", "la", "le", "l", "des", "et", "notre", "nos", "merci"}
    | {"service", "cellule", "pole", "bureau", "direction"}
)
# Everything else an invoice request may say: politeness, sending, the invoice itself.
_INVOICE_REQUEST_WORDS = frozenset(
    {"merci", "je", "nous", "vous", "remercie", "remercions", "bien", "vouloir", "svp"}
    | {"pourriez", "pouvez", "veuillez", "s", "il", "plait", "de", "d", "me", "m", "a"}
    | {"adresser", "envoyer", "faire", "parvenir", "transmettre", "etablir", "libeller"}
    | {"editer", "emettre", "est", "sera", "par", "mail", "courriel", "e", "retour"}
    | {"la", "le", "l", "une", "seule", "votre", "notre", "et", "correspondante"}
    | {"facture", "confirmation", "inscription", "reception", "pour", "cf", "bulletin"}
    # How the organisation pays, for the record: "nous réglons par virement".
    | {"reglons", "reglerons", "reglement", "paiement", "virement", "mandat", "administratif"}
)


def _invoiced_as_on_the_form(sentence: str, form: OnTheForm) -> bool:
    """An invoice request that names only the form's organisation, manager or service
    ("Une seule facture au nom de l'association, merci."): the invoice goes there."""
    # "(ccas@x.fr)": the form's own manager address only, then no other figure.
    rest = sentence
    for address in find_emails(sentence):
        if form.manager_email and address.lower() == form.manager_email.strip().lower():
            rest = rest.replace(address, " ")
    if "factur" not in fold(sentence) or "@" in rest or re.search(r"\d", rest):
        return False
    known = set(_words(" ".join(filter(None, (form.organisation, form.manager, form.service)))))
    for target in _INVOICE_TARGET.finditer(sentence):
        named = set(_words(target["named"] or target["unit"] or "")) - _TARGET_FILLER
        if not named <= known:
            return False
        rest = rest.replace(target.group(0), " ")
    return set(_words(rest)) <= _INVOICE_REQUEST_WORDS


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", fold(text))


def _manager_address_line(sentence: str, address: str | None) -> bool:
    """ "Courriel du gestionnaire (confirmation et facture) | m.x@…": the form's own label
    for the manager's address, its gloss saying what is sent there, as it is anyway."""
    label, tab, value = sentence.rpartition("\t")
    if not tab or not address or value.strip().lower() != address.strip().lower():
        return False
    label = _GLOSS.sub(" ", label.replace("\t", " "))  # "Courriel | du gestionnaire (…)"
    return exact_field(" ".join(label.split())) is Field.MANAGER_EMAIL


_GLOSS = re.compile(r"\([^)]*\)")


def _sent_to_manager(sentence: str, manager: str | None) -> bool:
    """Asking to send the confirmation or the invoice to the form's own manager: done anyway."""
    found = _SEND_TO_PERSON.match(sentence)
    if found is None or not manager:
        return False
    return set(fold(found["name"]).split()) <= set(fold(manager).split())


def is_auto_reply(mail: MailView) -> bool:
    if mail.report_type == "disposition-notification" or delivery_succeeded(mail):
        return True  # a read or delivery receipt: "Lu : / Remis : Confirmation de votre …"
    if _marked_automatic(mail):
        # A robot's mail that carries a document (a copier's scan-to-mail, a workflow
        # sending the form) is read like any other: only an empty one is an auto-reply.
        return not _documents(mail) and not is_notification(mail)
    if _AUTO_SUBJECT.match(mail.subject):
        return True
    # Wording alone: a person writing "je suis en congés jusqu'au 12, pouvez-vous
    # envoyer la facture à ma collègue ?" is asking something, not away.
    text = text_of(mail)
    return (
        bool(_AUTO_BODY.search(text[:1500]))
        and len(text) < 3000
        and not _documents(mail)
        and "?" not in text[:1500]
        # "Mme X sera en congé maternité : elle sera remplacée par…" is a person writing.
        and not mentions_replacement(text[:1500])
    )


def is_notification(mail: MailView) -> bool:
    """A platform's own message ("l'enregistrement de votre réunion est disponible",
    "votre webinaire commence dans 7 jours"): auto-generated, answering nothing, no
    document. RFC 3834 keeps "auto-replied" for answers; out-of-office robots that say
    "auto-generated" still write as one, and that is how they are told apart."""
    auto = mail.headers.get("auto-submitted", "").strip().lower()
    return (
        auto.startswith("auto-generated")
        and not mail.in_reply_to
        and not REPLY_OR_FORWARD.match(mail.subject)
        and not _AUTO_SUBJECT.match(mail.subject)
        and not _AUTO_BODY.search(text_of(mail)[:1500])
        and not _documents(mail)
    )


# RFC 7489 aggregate reports sent to the domain's "rua" address: "Report Domain: ipp.fr
# Submitter: google.com", "google.com!ipp.fr!1792368000!1792454399.zip".
_DMARC_SUBJECT = re.compile(r"^\s*report\s+domain:\s*\S+\s+submitter:", re.IGNORECASE)
_DMARC_FILE = re.compile(
    r"^[\w.-]+![\w.-]+!\d{9,11}!\d{9,11}(?:![\w.-]+)?\.(?:xml|zip|gz)(?:\.gz)?$"
)


def is_dmarc_report(mail: MailView) -> bool:
    """A DMARC aggregate report: mail servers' statistics about our domain, for nobody here."""
    files = [a.filename or "" for a in mail.attachments]
    return bool(files) and (
        bool(_DMARC_SUBJECT.match(mail.subject)) or all(_DMARC_FILE.match(f) for f in files)
    )


def is_away_robot(mail: MailView) -> bool:
    """An out-of-office robot's reply: marked automatic and titled so."""
    return _marked_automatic(mail) and bool(_AUTO_SUBJECT.match(mail.subject))


def _marked_automatic(mail: MailView) -> bool:
    headers = mail.headers
    auto = headers.get("auto-submitted", "").strip().lower()
    return (
        (bool(auto) and auto != "no")
        or any(
            h in headers for h in ("x-autoreply", "x-autorespond", "x-auto-response-suppress-this")
        )
        or headers.get("precedence", "").strip().lower() == "auto_reply"
    )


def _documents(mail: MailView) -> list[object]:
    """Attachments that may be a form: a logo in the signature is none, a photo is one."""
    return [a for a in mail.attachments if may_hold_a_form(a)]


def is_payer_notice(mail: MailView) -> bool:
    """A Chorus Pro notice ("facture rejetée", "mise en paiement"): sent by a robot, for a
    person at IPP to act on; neither an auto-reply to ignore nor junk."""
    text = text_of(mail)
    return bool(_PAYER_NOTICE.search(mail.subject + "\n" + text[:3000])) and not _PHISHING.search(
        fold(mail.subject + "\n" + text[:4000])
    )


def is_invitation(mail: MailView) -> bool:
    """A calendar invitation, or an answer to one (iCalendar part or .ics file)."""
    return any(is_calendar(a) for a in mail.attachments)


def junk_reason(mail: MailView, text: str) -> str | None:
    """ "phishing", "newsletter", "spam" or "unrelated" for mail nobody at IPP has to answer."""
    headers = mail.headers
    folded = fold(mail.subject + "\n" + text[:4000])
    if _PHISHING.search(folded) or impersonates_a_service(mail) or _bait(mail, folded):
        return "phishing"
    if "list-unsubscribe" in headers or headers.get("precedence", "").lower() in ("bulk", "list"):
        return "newsletter"
    if _SPAM.search(folded) or (_SALES_WORDS.search(folded) and not _CLIENT.search(folded)):
        return "spam"
    if _UNRELATED.search(folded):
        return "unrelated"
    return None


# A web page or a program sent as "the invoice" or "the document": it opens a false login
# page in the browser, or runs. Invoices, forms and purchase orders come as PDF or Office
# files; a form saved as a web page is read as a form before any of this is asked.
_BAIT_FILE = re.compile(r"\.(?:s?html?|xhtml|svg|hta|js|vbs|wsf|iso|img|exe|scr)$", re.IGNORECASE)
_BAIT_WORDS = re.compile(r"factur|document|paiement|reglement|virement|impaye|ouvr|consult")


def _bait(mail: MailView, folded: str) -> bool:
    baits = [a for a in mail.attachments if _BAIT_FILE.search((a.filename or "").strip())]
    return bool(baits) and _BAIT_WORDS.search(folded) is not None


# Services whose notices carry a document or a payer's word, and the domains they really
# send from. A sender named after one on a domain of its own is a lookalike.
_SERVICES = {
    "docusign": ("docusign.net", "docusign.com"),
    "yousign": ("yousign.com", "yousign.fr", "yousign.app"),
    "sharepoint": ("sharepointonline.com", "sharepoint.com", "microsoft.com"),
    "onedrive": ("onedrive.com", "microsoft.com"),
    "dropbox": ("dropbox.com", "dropboxmail.com"),
    "wetransfer": ("wetransfer.com",),
    "chorus": ("gouv.fr",),
}


def impersonates_a_service(mail: MailView) -> bool:
    """A notice that names DocuSign, SharePoint, Chorus Pro… in its sender, subject or
    first lines, sent from a domain spelled after the service that is not the service's
    own ("docusign-mail.net.secure-envelope.info", "sharepointonline-notify.co")."""
    domain = (mail.from_address or "").rpartition("@")[2].lower()
    opening = text_of(mail)[:600]
    named = fold(f"{mail.from_name or ''} {mail.subject} {opening}").replace(" ", "")
    for service, own in _SERVICES.items():
        if service in domain.replace("-", "") and service in named:
            return not any(domain == d or domain.endswith("." + d) for d in own)
    return False


# Mail for IPP that is about no registration: a job or internship application, a trade
# show selling a stand, a supplier's own invoice for what IPP bought.
_UNRELATED = re.compile(
    r"candidature spontanee|(?:adresser|soumettre|proposer) ma candidature|"
    r"candidature (?:pour|a) (?:un|une|le|la) (?:stage|poste|emploi|alternance)|"
    r"reserver (?:un|votre) stand|dossier d'exposant|devenez exposant|"
    r"(?:veuillez trouver|vous trouverez) ci-joint (?:notre|votre) facture\b[^\n]{0,80}"
    r"\bvotre (?:commande|abonnement|contrat|licence|consommation)|"
    # A supplier selling its product: "Je vous propose une démonstration de 20 minutes".
    r"\bpropos\w*\s+(?:une|un)\s+(?:courte\s+|rapide\s+)?(?:demonstration|demo)\b|"
    # …or offering a discount: "profitez de -30 % sur l'abonnement annuel".
    r"\b(?:profitez|beneficiez)\s+(?:d'une\s+remise\s+)?de\s+-?\s?\d{1,2}\s?%"
)


# Words a seller uses, and a client too: "nous vous saurions gré de procéder à son
# remboursement" cancels a registration; it is spam only when nothing in the mail
# speaks of one.
_SALES_WORDS = re.compile(r"remboursement|gagn[ée]|investissement|cr[ée]dit|promotion", re.I)
_CLIENT = re.compile(
    r"\b(?:notre|nos|mon|mes|votre|vos)\s+(?:\w+\s+){0,2}?(?:inscriptions?|inscrits?|"
    r"inscrites?|collaborat\w+|agents?|participants?|factures?|bulletins?|r[èe]glements?)\b|"
    r"\bannul",
    re.IGNORECASE,
)


# The form went to IPP before: "je vous renvoie notre inscription au cas où elle ne vous
# serait pas parvenue", "le bulletin rectifié, qui remplace celui d'hier". Recorded again,
# it would be confirmed and invoiced twice; a person checks what came first.
_SENT_AGAIN = re.compile(
    r"\bre-?envo\w*|\b(?:envo|transm|adress|renvo)\w*\s+(?:[àa]|de)\s+nouveau\b|"
    r"\bd[ée]j[àa]\s+(?:[ée]t[ée]\s+)?(?:envoy|transmis|adress)|"
    r"\bau cas o[ùu]\s+(?:il|elle|le|la|notre|mon|ma|ce|cette)\b[^.!?\n]{0,60}"
    r"\b(?:parvenu|re[çc]u|arriv)|"
    r"\b(?:pas|jamais|aucune?)\s+(?:\w+\s+){0,2}?re[çc]u\s+(?:de\s+|la\s+|votre\s+|d'|ni\s+)?"
    r"(?:confirmation|facture|accus[ée]|r[ée]ponse)|"
    r"\bre[çc]u\s+ni\s+(?:de\s+|la\s+|votre\s+)?(?:confirmation|facture|accus[ée]|r[ée]ponse)|"
    r"\bremplace\s+(?:celui|celle|le\s+pr[ée]c[ée]dent|la\s+pr[ée]c[ée]dente|l'ancien|"
    r"(?:le|notre|mon)\s+(?:bulletin|formulaire|envoi)|la\s+fiche)|"
    r"\b(?:bulletin|formulaire|fiche|version)\s+(?:[\w'’]+\s+){0,2}"
    r"(?:rectifi[ée]|corrig[ée]|modifi[ée]|mis\s+[àa]\s+jour|actualis[ée])|\bnouvelle\s+version\b|"
    r"\b(?:rectifi|corrig)\w*\s+(?:du|de\s+notre|le|la|notre)\s+(?:bulletin|formulaire|fiche)|"
    r"\bsuite\s+[àa]\s+une\s+erreur|\bune\s+erreur\s+s'est\s+gliss|"
    r"\berreur\s+dans\s+(?:le|la|notre|mon|ma)\s+(?:pr[ée]c[ée]dent|bulletin|formulaire|fiche|envoi)",
    re.IGNORECASE,
)
# "Avec la pièce jointe, c'est mieux !": the mail quoted had no form; this one is the first.
_FORGOTTEN = re.compile(
    r"oubli|manquait|sans\s+(?:la\s+|le\s+)?(?:pi[èe]ce\s+jointe|fichier|document)|"
    r"pi[èe]ce\s+jointe\s+(?:manqu|absente)|c'est mieux",
    re.IGNORECASE,
)


def says_sent_again(text: str) -> bool:
    """The writer says this form was sent before, or corrects one sent before."""
    return bool(_SENT_AGAIN.search(text))


def forgot_attachment(text: str) -> bool:
    """The writer sends what a previous mail forgot to attach."""
    return bool(_FORGOTTEN.search(text))


# "M. X remplace Mme Y": beside a form, the same words correct the form sent ("… sur le
# bulletin ci-joint"), so they only make a swap of a mail that holds none.
_REPLACES = re.compile(r"\bremplace\s+(?:M\.|Mme|Mlle|Monsieur|Madame|ma|mon)\s")


# "Mme X ne pourra pas participer et ne sera pas remplacée": a cancellation, no swap.
_NOT_REPLACED = re.compile(
    r"\bne\s+(?:sera|seront)\s+pas\s+remplac[ée]e?s?\b|\bsans\s+(?:[êe]tre\s+)?remplac\w*",
    re.IGNORECASE,
)


# "Merci de remplacer le gestionnaire de notre inscription : M. Y à la place de Mme X":
# the contact for the registration changes, nobody's seat. A person updates the record.
_MANAGER_SWAP = re.compile(
    r"\b(?:remplac\w*|chang\w*|nouve(?:l|au|lle)|modifi\w*)\s+(?:de\s+|d'|le\s+|la\s+|l'|"
    r"notre\s+|votre\s+)?(?:gestionnaire|r[ée]f[ée]rent(?:e)?|interlocut\w+|correspondant(?:e)?|"
    r"contact|responsable)\s+(?:de\s+|du\s+|pour\s+)(?:l'|notre\s+|la\s+|le\s+|cette\s+)?"
    r"(?:inscription|dossier|formation|webinaire)|"
    r"\b(?:gestionnaire|r[ée]f[ée]rent(?:e)?|interlocut\w+)\s+(?:de\s+|du\s+)(?:l'|notre\s+|la\s+)?"
    r"(?:inscription|dossier)\s+(?:sera|est)\s+(?:d[ée]sormais|maintenant|dor[ée]navant)|"
    # "Je remplace Mme X, qui a quitté l'association, en tant que gestionnaire de …"
    r"\bremplac\w*\b[^.\n]{0,120}?\b(?:en\s+tant\s+que|comme)\s+(?:gestionnaire|"
    r"r[ée]f[ée]rent(?:e)?|interlocut\w+|correspondant(?:e)?|contact)\b",
    re.IGNORECASE,
)


def swaps_the_manager(text: str) -> bool:
    """The mail hands the registration's management, not a participant's seat, to someone."""
    return bool(_MANAGER_SWAP.search(text))


# "Si Mme X ne pouvait pas suivre la session, pourrait-elle être remplacée par M. Y ?":
# a case imagined and asked about, not a seat handed over.
_IMAGINED = re.compile(
    r"\bsi\s+[^?!\n]{0,160}?\b(?:pouvai(?:t|ent)|devai(?:t|ent)|[ée]tai(?:t|ent)|"
    r"venai(?:t|ent)|fallait)\b[^?!]{0,300}\?",
    re.IGNORECASE,
)


def mentions_replacement(text: str, *, beside_form: bool = False) -> bool:
    text = _IMAGINED.sub(" ", _NOT_REPLACED.sub(" ", text))
    return bool(_REPLACEMENT.search(text) or (not beside_form and _REPLACES.search(text)))


# A subject that is the request's title: "Remplacement - CPOM PH", "TR: Substitution",
# "Webinar 8 October - replacement".
_SWAP_SUBJECT = re.compile(
    r"^\s*(?:(?:re|tr|fwd?|aw|wg)\s*:\s*)*(?:demande\s+de\s+)?(?:remplacement|substitution)\b|"
    r"\b(?:replacement|change of participant)\b",
    re.IGNORECASE,
)


def titles_a_replacement(subject: str) -> bool:
    if subject.rstrip().endswith("?"):
        return False  # "Remplacement par une autre structure ?": a question's title
    return bool(_SWAP_SUBJECT.match(subject) or mentions_replacement(subject))


def asks_something(text: str) -> bool:
    return bool(_QUESTION_WORDS.search(text))


# "Merci, bien reçu !", "Parfait, c'est noté. Bonne journée": an answer to our mail that
# asks nothing and changes nothing. Folded (no accents), one piece after another.
_THANKS_PIECE = (
    # "Merci beaucoup pour la confirmation et la facture, bien reçues."
    r"(?:un )?(?:grand |tres )?merci(?: beaucoup| bien| a vous)?(?: pour (?:votre|vos|la|les|ce|"
    r"cette|ces|le|l')(?: ?\w+){1,5})?|(?:c'?est |tout est )?(?:bien )?(?:recue?s?|notee?s?)|"
    r"bonne reception|"
    r"(?:c'?est )?(?:(?:tres )?bien|super|parfait|ok)|d'accord|entendu|bonne (?:fin de )?journee|belle journee|"
    r"bonne soiree|bon week-end|cordialement|bien cordialement|bien a vous|a bientot"
)
_THANKS = re.compile(rf"^(?:(?:{_THANKS_PIECE})[\s,;.!:)-]*)+$")
_GREETING = re.compile(r"^(?:bonjour|bonsoir|hello|madame|monsieur|mesdames)\b[^.!?]{0,40}$")
# Where the message ends and the signature begins.
_SIGNED_OFF = re.compile(
    r"^(?:envoye (?:de|depuis) |--\s*$|_{3,}|(?:bien )?cordialement|bien a vous|"
    r"(?:bonne|belle) (?:fin de )?(?:journee|soiree)|a bientot|sinceres salutations)"
)


def only_thanks(text: str, sender_name: str | None) -> bool:
    """The new text says thanks and nothing else: a greeting, thanks, then the signature."""
    name = set(fold(sender_name or "").replace(",", " ").split())
    said = []
    for raw in fold(text).splitlines():
        line = raw.strip()
        if _SIGNED_OFF.match(line) or (name and line and set(line.split()) <= name):
            break
        if line and not _GREETING.match(line):
            said.append(line)
    return bool(said) and len(" ".join(said)) <= 120 and _THANKS.match(" ".join(said)) is not None
