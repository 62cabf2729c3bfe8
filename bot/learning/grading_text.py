"""Grade text answers: the ``exact`` checker (``grading_choice`` holds the ``choice`` one).

An exact answer may sit in a sentence: "I think it's hablo", "hablo I guess", "hablo,
because it's yo" and "hablo. It's the first person." all answer "hablo", but "hablo
world" does not. Case and accents are ignored, and an answer right but for its accents
says so in ``accent_only``. Alternatives ("hablo or habla", "hablo, habla") are a hedge
whichever of them is right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Final

from bot.learning.answer_key import AnswerKey, Grade
from bot.learning.answer_text import clean_text, fold, normalise_lines, plain_powers
from bot.learning.language_cues import cues_for
from bot.learning.number_words import words_to_digits
from bot.learning.output_lines import ends_with_lines, lines_said_in_one, on_one_line
from bot.learning.reply_reading import Reading, phrase_regex
from bot.learning.rival_forms import alike, rivals

__all__ = ["ARTICLES", "Span", "grade_exact", "output_on_one_line", "spelled_out", "stated_answer"]

TRAIL_WINDOW: Final = 80
ARTICLES: Final = frozenset(
    "a an the el la los las un una le les une l' der die das ein eine o os as um uma il lo".split()
)
_EDGE_PUNCT: Final = " \t\n.,;:!?…\"'`()[]{}-–—¿¡"


@dataclass(frozen=True)
class Span:
    """Where a piece of a reply sits in it."""

    start: int
    end: int


@dataclass(frozen=True)
class _TextPatterns:
    filler_run: re.Pattern[str]
    lead: re.Pattern[str]
    trail: re.Pattern[str]
    negation_start: re.Pattern[str]
    negated_tail: re.Pattern[str]
    explained: re.Pattern[str]
    separator: re.Pattern[str]
    hedging: re.Pattern[str]
    denial_end: re.Pattern[str]  # where "not x" ends and a claim may follow: ", ", " but "


@lru_cache(maxsize=16)
def _text_patterns(language: str) -> _TextPatterns:
    cues = cues_for(language)
    fillers = phrase_regex(cues.fillers)
    # An answer may start with an article ("le café"): lead-ins are stripped, articles kept.
    lead_words = [w for w in (*cues.fillers, *cues.conclusions, *cues.copulas) if w not in ARTICLES]
    leads = phrase_regex(lead_words)
    hedges = phrase_regex(w for w in cues.hedges if " " not in w)
    return _TextPatterns(
        filler_run=re.compile(rf"[\W_]*+(?:{fillers}[\W_]*+)*+"),
        lead=re.compile(rf"^(?:[\W_]*+{leads}(?=[\W_]|$))++[\W_]*+"),
        trail=re.compile(rf"(?:[\W_]++{fillers})++[\W_]*+$"),
        negation_start=re.compile(rf"^[\W_]*{phrase_regex(cues.negations)}"),
        negated_tail=re.compile(rf"[\s,;]+{phrase_regex(cues.negations)}(?=[\W_]|$)"),
        explained=re.compile(
            rf"^[\s,;:]*[.!?;\n]+\s*(?:{phrase_regex((*cues.explainers, *cues.reasons))})"
        ),
        separator=re.compile(rf"\s+\(?{hedges}\s+|\s+/\s+"),
        hedging=re.compile(rf"(?<![^\W_]){phrase_regex(cues.hedges)}(?![^\W_])|[?/]"),
        denial_end=re.compile(rf"\s*[,;:]\s*|\s+{phrase_regex(cues.contrasts)}\s+", re.IGNORECASE),
    )


def _answers(key: AnswerKey) -> tuple[str, ...]:
    return (key.answer, *key.accept)


def _words(text: str) -> int:
    return len(re.findall(r"[^\W_]+", text))


# --- exact ---------------------------------------------------------------------------------


# A sentence that goes on about the answer it starts with: "... is the powerhouse".
_PREDICATE = re.compile(
    r"[ \t]+(?:is|are|was|were|es|son|era|fue|est|sont|etait|ist|sind|war|sao|sono)"
    r"[ \t]+(?!(?:it|that|this|right|correct|wrong)\b)[^\W\d_]"
)
_ASIDE = re.compile(r"\s*(?:\([^()]{0,200}\)|\[[^\[\]]{0,200}\])")


def _tail_is_quiet(tail: str, at: int, reading: Reading, p: _TextPatterns) -> bool:
    """Return True if what follows an answer leaves it the answer: filler, a reason, "not x"."""
    stripped = tail.lstrip(_EDGE_PUNCT)
    if not stripped or _only_lead_in(stripped, p):
        return True
    offers_another = p.hedging.search(tail.rstrip(" ?!.")) is not None
    if _PREDICATE.match(tail) and not reading.p.rejection.match(tail) and not offers_another:
        return True  # "mitochondria is the powerhouse of the cell": the answer, then about it
    aside = _ASIDE.match(tail)  # "sodium (from natrium)": an aside, unless it offers another
    if aside is not None and not p.hedging.search(aside.group()):
        return _tail_is_quiet(tail[aside.end() :], at + aside.end(), reading, p)
    if reading.is_excluded(Span(at + len(tail) - len(stripped), at + len(tail))):
        return True  # a reason ("because...") or a question follows
    return bool(p.negation_start.match(tail) or p.explained.match(tail))


def _region(flat: str, reading: Reading, p: _TextPatterns) -> tuple[int, int] | None:
    """Return where the reply states its answer: its last sentence, without lead-in or tail."""
    sentences = [s for s in reading.sentences if not reading.is_excluded(Span(*s))]
    if not sentences:
        return None
    said = [s for s in sentences if not _only_lead_in(flat[s[0] : s[1]], p)]
    sentences = said or sentences
    plain = [s for s in sentences if not p.explained.match("." + flat[s[0] : s[1]])]
    start, end = (plain or sentences)[-1]
    cut = next((a for a, b in reading.excluded if start < a < end), end)
    text = flat[start:cut]
    lead = p.lead.match(text)
    if lead and lead.end() < len(text.rstrip(_EDGE_PUNCT)):
        start += lead.end()
        text = text[lead.end() :]
    # Fillers are short: the tail that may hold them is too, and searching it stays cheap.
    window = max(0, len(text) - TRAIL_WINDOW)
    trail = p.trail.search(text, window)
    if trail and trail.start() > 0:
        text = text[: trail.start()]
    text = text.rstrip(_EDGE_PUNCT)
    return (start, start + len(text)) if text.strip() else None


def stated_answer(reply: str, language: str) -> str | None:
    """The answer a reply states, bare: "17" from "I'd say 17", "13 because ...", "13 is
    prime". None when it states none, denies what it says ("13 is not prime"), or only
    adds filler after it ("yes please": a whole reply to match stays a whole reply)."""
    flat = _flatten(reply)
    p = _text_patterns(language)
    reading = Reading(flat, language)
    region = _region(flat, reading, p)
    if region is None:
        return None
    text = flat[region[0] : region[1]]
    predicate = _PREDICATE.search(text)
    if predicate is not None:
        tail = text[predicate.start() :]
        if reading.p.rejection.search(tail) or p.negated_tail.search(tail):
            return None  # "13 is not prime", "13 is wrong"
        text = text[: predicate.start()]
    stated = text.strip(_EDGE_PUNCT)
    rest = flat[len(stated) :] if flat.startswith(stated) else ""
    if rest.strip(_EDGE_PUNCT) and p.filler_run.fullmatch(rest):
        return None
    return stated or None


def _only_lead_in(sentence: str, p: _TextPatterns) -> bool:
    """Return True for a sentence of lead-in words alone: "no wait", "I think so"."""
    lead = p.lead.match(sentence)
    return bool(p.filler_run.fullmatch(sentence)) or (
        lead is not None and not sentence[lead.end() :].strip(_EDGE_PUNCT)
    )


def _hedge(region: str, answers: list[str], p: _TextPatterns) -> str | None:
    """Return the last alternative when ``region`` offers several ("go or went"), else None."""
    if any(p.separator.search(answer) for answer in answers):
        parts = [region]
    else:
        parts = [part.strip(_EDGE_PUNCT) for part in p.separator.split(region)]
        parts = [p.lead.sub("", part).strip(_EDGE_PUNCT) or part for part in parts if part]
    longest = max(_words(answer) for answer in answers) + 2
    if len(set(parts)) > 1 and all(_words(part) <= longest for part in parts):
        return parts[-1]
    if any("," in answer for answer in answers):
        return None
    pieces = [piece.strip(_EDGE_PUNCT) for piece in region.split(",")]
    sizes = {_words(answer) for answer in answers}
    if (
        len(set(pieces)) > 1
        and all(_words(piece) in sizes for piece in pieces)
        and not any(p.filler_run.fullmatch(piece) for piece in pieces)
        and alike(pieces)
    ):
        return pieces[-1]
    return None


_SLASHED = re.compile(r"([^\W\d_][^/()\[\]]*?)\s*/\s*([^\W\d_][^/()\[\]]*)")
# A sentence that takes back the one before: "Sydney? No, Canberra", "wait, canberra".
_CORRECTION = re.compile(r"^(?:no|nope|wait|actually|sorry|oops|i\s+mean|or\s+rather|no\s+wait)\b")


def _offered_in_turn(
    flat: str, reading: Reading, answers: list[str], p: _TextPatterns
) -> str | None:
    """Return the last of several answers offered in turn: each asked as a question of its
    own ("Canberra? Sydney?", "canberra? or sydney") or the two sides of a slash
    ("canberra/sydney"), else None. A correction ("No, Canberra") offers nothing."""
    longest = max(_words(answer) for answer in answers) + 1
    slashed = _SLASHED.fullmatch(flat.strip(_EDGE_PUNCT))
    if slashed and not any("/" in answer for answer in answers):
        sides = slashed.groups()
        if sides[0] != sides[1] and all(_words(side) <= longest for side in sides):
            return sides[1]
    if "?" not in flat:
        return None
    parts = []
    for start, end in reading.sentences:
        part = flat[start:end].strip(_EDGE_PUNCT)
        if _CORRECTION.match(part):
            return None
        part = p.separator.sub(" ", " " + part).strip(_EDGE_PUNCT)  # "or sydney"
        part = p.lead.sub("", part).strip(_EDGE_PUNCT) or part  # "yes canberra"
        if part:
            parts.append(part)
    if len(set(parts)) > 1 and all(_words(part) <= longest for part in parts):
        return parts[-1]
    return None


def _flatten(reply: str) -> str:
    """Casefold and collapse spaces, line by line, keeping punctuation ("?" marks a question)."""
    lines = (" ".join(line.split()) for line in reply.casefold().splitlines())
    return "\n".join(line for line in lines if line)


def grade_exact(key: AnswerKey, reply: str) -> Grade:
    """Grade a text answer (see the module docstring).

    An umlaut or ß typed the way German spells it without them ("Buecher", "Strasse") is
    the answer but for its accents, as "Bucher" is. Where the answer has a number in it
    ("Apollo 11"), the number may be written in words ("Apollo eleven").
    """
    grade = _grade_exact(key, reply)
    answers = _answers(key)
    if not (grade.correct or grade.hedged) and any(ch.isdigit() for a in answers for ch in a):
        in_digits = words_to_digits(reply, key.language)
        if in_digits != reply and (counted := _grade_exact(key, in_digits)).correct:
            return counted
    if grade.correct or grade.hedged or not any(_SPELLED_OUT.search(a) for a in answers):
        return grade
    spelled = tuple(spelled_out(answer) for answer in answers)
    again = _grade_exact(replace(key, answer=spelled[0], accept=spelled[1:]), reply)
    if not again.correct or again.accent_only:
        return grade
    if key.strict_accents:
        return Grade(False, again.candidate, accent_only=True)
    found = (again.candidate or "").casefold()
    meant = next((a for a, s in zip(answers, spelled, strict=True) if s.casefold() == found), None)
    return Grade(True, meant or key.answer, accent_only=True)


_SPELLED_OUT: Final = re.compile("[äöüÄÖÜß]")
_SPELLINGS: Final = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}


def spelled_out(answer: str) -> str:
    """``answer`` with umlauts and ß as written without them: "Bücher" is "Buecher"."""
    return _SPELLED_OUT.sub(lambda match: _SPELLINGS[match.group(0)], answer)


def _grade_exact(key: AnswerKey, reply: str) -> Grade:
    # "m/s²" is typed "m/s2": powers after a letter are read without their carets.
    reply = plain_powers(reply)
    answers = tuple(clean_text(answer) for answer in _answers(key))
    if any("^" in answer for answer in answers):
        plain = tuple(map(plain_powers, answers))
        key = replace(key, answer=plain[0], accept=plain[1:])
    lines = normalise_lines(reply)
    if not lines:
        return Grade(False, None)
    expected = [normalise_lines(answer) for answer in _answers(key)]
    expected = [lines_ for lines_ in expected if lines_]
    for answer in (e for e in expected if len(e) > 1):
        if ends_with_lines(lines, answer):
            return Grade(True, "\n".join(answer))
        if ends_with_lines([fold(line) for line in lines], [fold(line) for line in answer]):
            return Grade(not key.strict_accents, "\n".join(answer), accent_only=True)
    flat = _flatten(reply)
    p = _text_patterns(key.language)
    reading = Reading(flat, key.language)
    stated = flat[: reading.excluded[0][0]] if reading.excluded else flat  # before a reason
    for answer in (e for e in expected if len(e) > 1):
        said = lines_said_in_one(stated.rstrip(), answer)  # "it prints 4 and then 1"
        if said is not None and not reading.is_negated(Span(*said)):
            return Grade(True, "\n".join(answer))
    singles = [e[0] for e in expected if len(e) == 1]
    offered = _offered_in_turn(flat, reading, singles, p) if singles else None
    if offered is not None:
        return Grade(False, offered, hedged=True)
    region = _region(flat, reading, p)
    if region is not None and singles:
        alternative = _hedge(flat[region[0] : region[1]], singles, p)
        if alternative is not None:
            return Grade(False, alternative, hedged=True)
    found = _find_answer(flat, singles, reading, p)
    if found is not None:
        needle, exact, as_said = found
        if exact or not key.strict_accents:
            return Grade(True, needle, accent_only=not exact)
        return Grade(False, as_said, accent_only=True)  # as said: the right accents stay secret
    if region is None or reading.is_excluded(Span(*region)):
        return Grade(False, None)
    text = flat[region[0] : region[1]].strip(_EDGE_PUNCT)
    offset = flat.index(text, region[0])
    if p.negation_start.match(text) and _denies(text, offset, reading, p):
        # "not the nucleus, it's the chloroplast" claims the last; "is it not the nucleus"
        # asks, so it proposes the nucleus.
        return Grade(False, _claimed_after_denial(text, offset, reading, p))
    if reading.p.rejection.search(text):  # "habla is wrong"
        return Grade(False, None)
    tail = p.negated_tail.search(text)
    if tail is not None and reading.is_negated(Span(region[0] + tail.end(), region[1])):
        head = text[: tail.start()].strip(_EDGE_PUNCT)
        rival = text[tail.end() :].strip(_EDGE_PUNCT)
        if head and rivals(head, rival):
            return Grade(False, head)  # "hablan, not hablamos": the answer is what comes first
    last_word = list(re.finditer(r"[^\W_]+", text))
    negated = last_word and reading.is_negated(Span(region[0] + last_word[-1].start(), region[1]))
    if negated:
        return Grade(False, None)
    asked = p.negation_start.match(text)  # "is it not the nucleus": the nucleus, proposed
    return Grade(False, text[asked.end() :].strip(_EDGE_PUNCT) if asked else text)


def _denies(text: str, offset: int, reading: Reading, p: _TextPatterns) -> bool:
    """Whether ``text`` (at ``offset`` in the reading's text), which starts with a negation,
    denies what follows it: "not the nucleus" does, "is it not the nucleus" asks."""
    start = p.negation_start.match(text)
    word = re.compile(r"[^\W_]+").search(text, start.end()) if start else None
    return word is None or reading.is_negated(Span(offset + word.start(), offset + word.end()))


def _claimed_after_denial(text: str, offset: int, reading: Reading, p: _TextPatterns) -> str | None:
    """What a reply that starts by ruling something out claims instead, or None.

    ``text`` starts at ``offset`` in the reading's text. "not the nucleus, it's the
    chloroplast" claims "the chloroplast"; "not the nucleus" and "not the nucleus, and not
    the chloroplast" claim nothing.
    """
    end = p.denial_end.search(text)
    if end is None:
        return None
    start = end.end()
    lead = p.lead.match(text[start:])
    if lead and start + lead.end() < len(text):
        start += lead.end()
    claim = text[start:].strip(_EDGE_PUNCT)
    last = list(re.finditer(r"[^\W_]+", text[start:]))
    if not claim or not last or reading.p.rejection.search(claim):
        return None
    word = Span(offset + start + last[-1].start(), offset + start + last[-1].end())
    return None if reading.is_negated(word) else claim


def _find_answer(
    flat: str, singles: list[str], reading: Reading, p: _TextPatterns
) -> tuple[str, bool, str] | None:
    """Find an answer stated as the answer: it, whether its accents match, and as said."""
    folded = reading.folded
    for needle in singles:
        target = fold(needle)
        lead = r"(?<![^\W_])" if target[:1].isalnum() else ""
        tail = r"(?![^\W_])" if target[-1:].isalnum() else ""
        matches = list(re.finditer(lead + re.escape(target) + tail, folded))
        for match in reversed(matches):
            span = Span(match.start(), match.end())
            if reading.is_excluded(span) or reading.is_negated(span):
                continue
            if _tail_is_quiet(flat[span.end :], span.end, reading, p):
                said = flat[span.start : span.end]
                return needle, said == needle, said
            break
    return None


def output_on_one_line(key: AnswerKey, reply: str) -> bool:
    """Tell whether a reply gives an exact answer's lines in order, but on one line.

    "2 3 4" for a program that prints 2, 3 and 4 on lines of their own: not the answer
    (see ``output_lines``), but the values are, and the tutor can say so.
    """
    if key.checker != "exact":
        return False
    flat = _flatten(reply)
    return any(
        on_one_line(flat, lines)
        for lines in (normalise_lines(answer) for answer in _answers(key))
        if len(lines) > 1
    )
