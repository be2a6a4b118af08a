"""Mail bodies: replies and forwards set apart from what the sender wrote now.

A form typed in a reply is in the new part; a form typed in a *forwarded*
part is the content, so ``split_history`` returns both and the caller chooses.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from mailbot.understanding.documents.html import html_to_text
from mailbot.understanding.mime import MailView

_REPLY_HEADER = re.compile(
    r"^\s*(?:le\s.{4,120}a\s+[ée]crit\s*:|on\s.{4,120}wrote\s*:|"
    r"-{2,}\s*(?:original message|message d'origine)\s*-{2,})\s*$",
    re.IGNORECASE,
)
_FORWARD_MARKER = re.compile(
    r"^\s*-{2,}\s*(?:message transf[ée]r[ée]|forwarded message|message d'origine|"
    r"original message|mail transf[ée]r[ée])\s*-{2,}\s*$|^\s*d[ée]but du message r[ée]exp[ée]di[ée]",
    re.IGNORECASE,
)
_OUTLOOK_FROM = re.compile(r"^\s*(?:de|from)\s*:\s*\S", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^\s*(?:envoy[ée]|sent|date|[àa]|to|objet|subject)\s*:", re.IGNORECASE)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:(?:re|tr|fw|fwd|wg)\s*:\s*)*(?:tr|fw|fwd|wg)\s*:", re.I)
# A subject a person answering or forwarding writes: "RE:", "TR:", "Fwd:", "AW:", "WG:".
REPLY_OR_FORWARD = re.compile(r"^\s*(?:re|r[ée]f|tr|fw|fwd|aw|wg)\s*:", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SplitBody:
    new: str  # what the sender wrote now
    history: str  # the quoted or forwarded mail below, quote marks removed
    forwarded: bool  # the history is a forwarded mail (its content counts)
    header: str = ""  # "Le …, IPP <ipp@ipp.fr> a écrit :", "De : …": who wrote the history


def split_history(text: str, subject: str = "") -> SplitBody:
    """Separate the new text from a quoted reply or a forwarded mail."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        marker = _FORWARD_MARKER.match(line) is not None
        reply = _REPLY_HEADER.match(line) is not None
        outlook = _OUTLOOK_FROM.match(line) is not None and _outlook_block(lines, index)
        if marker or reply or outlook:
            if reply and _answered_inline(lines[index + 1 :]):
                # Answers typed under each quoted line of our mail ("> Dénomination :" then
                # the name): the quote is the form's labels, the answers the new text; each
                # label stands over its answer as on a form retyped label above value.
                answered = [_as_label(line) for line in lines[index + 1 :]]
                return SplitBody("\n".join([*lines[:index], "", *answered]), "", False)
            # Nothing above the quote's header: the answer, if any, is under the quote.
            above = any(line.strip() for line in lines[:index])
            below = _written_below(lines, index) if reply and not above else None
            if below is not None:
                # Gmail's bottom-posting: the quote first, the answer under it.
                history = "\n".join(_unquote(rest) for rest in lines[index + 1 : below])
                header = "\n".join(lines[max(index - 1, 0) : index + 1])
                new = "\n".join(lines[below:])
                return SplitBody(new, history, False, header)
            forwarded = (marker and not _is_plain_original(line)) or bool(
                _FORWARD_SUBJECT.match(subject)
            )
            history = "\n".join(_unquote(rest) for rest in lines[index + 1 :])
            header = "\n".join(lines[max(index - 1, 0) : index + 1])  # a wrapped "a écrit :"
            return SplitBody("\n".join(lines[:index]), history, forwarded, header)
    quoted = [
        i
        for i, line in enumerate(lines)
        if line.lstrip().startswith(">") and not _arrow_heading(lines, i)
    ]
    if quoted:
        first = quoted[0]
        history = "\n".join(_unquote(rest) for rest in lines[first:])
        return SplitBody("\n".join(lines[:first]), history, bool(_FORWARD_SUBJECT.match(subject)))
    return SplitBody(text, "", False)


def _arrow_heading(lines: list[str], index: int) -> bool:
    """ ">> ORGANISME-CLIENT" between unquoted lines: a heading set off by arrows, not a
    quote. A quote runs on several lines, or ends the mail."""
    if len(lines[index].strip()) > _ARROW_HEADING:
        return False
    around = [
        next((line for line in reversed(lines[:index]) if line.strip()), None),
        next((line for line in lines[index + 1 :] if line.strip()), None),
    ]
    return all(line is not None and not line.lstrip().startswith(">") for line in around)


_ARROW_HEADING = 60


# Labels answered: one new line under a quoted one is a reply written below the quote.
_INLINE_ANSWERS = 3


def _written_below(lines: list[str], index: int) -> int | None:
    """Where the answer starts, when the writer typed it under the whole quote: the quote
    runs unbroken from the line after "… a écrit :", and what follows is unquoted text
    with no quote mark of its own (the sender's signature alone does not make one)."""
    end = index + 1
    while end < len(lines) and (lines[end].lstrip().startswith(">") or not lines[end].strip()):
        end += 1
    quoted = [line for line in lines[index + 1 : end] if line.strip()]
    after = [line for line in lines[end:] if line.strip()]
    if (
        not quoted
        or len(after) < _ANSWER_BELOW
        or any(line.lstrip().startswith(">") or _REPLY_HEADER.match(line) for line in after)
    ):
        return None
    return end


_ANSWER_BELOW = 3  # lines: more than a signature's name under the quote


def _answered_inline(rest: list[str]) -> bool:
    """Whether new lines stand right under quoted lines ending on a colon (labels
    answered) in several places of the quote."""
    answers = 0
    for above, line in itertools.pairwise(rest):
        quoted_above = above.lstrip().startswith(">")
        if quoted_above and line.strip() and not line.lstrip().startswith(">"):
            answers += _unquote(above).rstrip().endswith(":")
    return answers >= _INLINE_ANSWERS


def _as_label(line: str) -> str:
    """A quoted line, unquoted; a quoted label's colon dropped, its answer below it."""
    if not line.lstrip().startswith(">"):
        return line
    return re.sub(r"\s*:\s*$", "", _unquote(line))


def _is_plain_original(line: str) -> bool:
    """Outlook writes "Message d'origine" for replies and forwards alike."""
    return re.search(r"origin", line, re.IGNORECASE) is not None


def _outlook_block(lines: list[str], index: int) -> bool:
    following = lines[index + 1 : index + 4]
    return any(_OUTLOOK_NEXT.match(line) for line in following)


def _unquote(line: str) -> str:
    return re.sub(r"^\s*(?:>\s?)+", "", line)


def text_of(mail: MailView) -> str:
    """The body as text: the plain part, or the HTML's text when there is none (Microsoft
    365 sends its delivery reports, and some clients their mails, as HTML alone)."""
    return mail.plain if mail.plain.strip() else html_to_text(mail.html)
