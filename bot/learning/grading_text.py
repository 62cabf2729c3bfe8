"""Grade text answers: the ``exact`` and ``choice`` checkers.

An exact answer may sit in a sentence: "I think it's hablo", "hablo I guess", "hablo,
because it's yo" and "hablo. It's the first person." all answer "hablo", but "hablo
world" does not. Case and accents are ignored, and an answer right but for its accents
says so in ``accent_only``. Alternatives ("hablo or habla", "hablo, habla") are a hedge
whichever of them is right.

A choice reply names an option by its letter, its number or its text, or paraphrases the
option's text ("denominator is 12" for "It has a denominator of 12": see
``option_reading``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from bot.learning.answer_key import AnswerKey, Grade
from bot.learning.answer_text import find_numbers, fold, letter_references, normalise_lines
from bot.learning.answer_text import normalise_text as _normalise
from bot.learning.language_cues import cues_for
from bot.learning.option_reading import read_option
from bot.learning.output_lines import ends_with_lines, lines_said_in_one
from bot.learning.reply_reading import Reading, phrase_regex
from bot.learning.rival_forms import alike, rivals

__all__ = ["correct_options", "grade_choice", "grade_exact", "named_option"]

_LETTERS: Final = "abcdefghijklmnopqrstuvwxyz"
TRAIL_WINDOW: Final = 80
_ARTICLES: Final = frozenset(
    "a an the el la los las un una le les une l' der die das ein eine o os as um uma il lo".split()
)
_EDGE_PUNCT: Final = " \t\n.,;:!?…\"'`()[]{}-–—¿¡"


@dataclass(frozen=True)
class _Span:
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
    bare_ref: re.Pattern[str]
    whole_ref: re.Pattern[str]
    letter_list: re.Pattern[str]


@lru_cache(maxsize=16)
def _text_patterns(language: str) -> _TextPatterns:
    cues = cues_for(language)
    fillers = phrase_regex(cues.fillers)
    # An answer may start with an article ("le café"): lead-ins are stripped, articles kept.
    lead_words = [
        w for w in (*cues.fillers, *cues.conclusions, *cues.copulas) if w not in _ARTICLES
    ]
    leads = phrase_regex(lead_words)
    articles = phrase_regex((*cues.fillers, *cues.conclusions, *cues.copulas, *_ARTICLES))
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
        separator=re.compile(rf"\s+{hedges}\s+|\s+/\s+"),
        bare_ref=re.compile(
            rf"(?:[\W_]*+{articles}(?=[\W_]))*+[\W_]*\(?(?P<ref>[a-z]|\d{{1,2}})\)?[\W_]*"
        ),
        whole_ref=re.compile(
            r"(?:(?:i (?:choose|pick|say|think)|it's|it is|option|choice|answer|letter)"
            r"\W*(?:is\W*)?)?\(?(?P<ref>[a-z]|\d{1,2})\)?"
        ),
        letter_list=re.compile(
            r"(?P<prefix>is it|maybe|either|i think)?\s*\(?[a-z]\)?"
            rf"(?:\s*(?:,|/|{hedges})\s*\(?[a-z]\)?)+\??"
        ),
    )


def _answers(key: AnswerKey) -> tuple[str, ...]:
    return (key.answer, *key.accept)


def _words(text: str) -> int:
    return len(re.findall(r"[^\W_]+", text))


# --- exact ---------------------------------------------------------------------------------


def _tail_is_quiet(tail: str, at: int, reading: Reading, p: _TextPatterns) -> bool:
    """Return True if what follows an answer leaves it the answer: filler, a reason, "not x"."""
    stripped = tail.lstrip(_EDGE_PUNCT)
    if not stripped or _only_lead_in(stripped, p):
        return True
    if reading.is_excluded(_Span(at + len(tail) - len(stripped), at + len(tail))):
        return True  # a reason ("because...") or a question follows
    return bool(p.negation_start.match(tail) or p.explained.match(tail))


def _region(flat: str, reading: Reading, p: _TextPatterns) -> tuple[int, int] | None:
    """Return where the reply states its answer: its last sentence, without lead-in or tail."""
    sentences = [s for s in reading.sentences if not reading.is_excluded(_Span(*s))]
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


def _flatten(reply: str) -> str:
    """Casefold and collapse spaces, line by line, keeping punctuation ("?" marks a question)."""
    lines = (" ".join(line.split()) for line in reply.casefold().splitlines())
    return "\n".join(line for line in lines if line)


def grade_exact(key: AnswerKey, reply: str) -> Grade:
    """Grade a text answer (see the module docstring)."""
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
        if said is not None and not reading.is_negated(_Span(*said)):
            return Grade(True, "\n".join(answer))
    singles = [e[0] for e in expected if len(e) == 1]
    region = _region(flat, reading, p)
    if region is not None and singles:
        alternative = _hedge(flat[region[0] : region[1]], singles, p)
        if alternative is not None:
            return Grade(False, alternative, hedged=True)
    found = _find_answer(flat, singles, reading, p)
    if found is not None:
        needle, exact = found
        return Grade(exact or not key.strict_accents, needle, accent_only=not exact)
    if region is None or reading.is_excluded(_Span(*region)):
        return Grade(False, None)
    text = flat[region[0] : region[1]].strip(_EDGE_PUNCT)
    if p.negation_start.match(text) or reading.p.rejection.search(text):  # "habla is wrong"
        return Grade(False, None)
    tail = p.negated_tail.search(text)
    if tail is not None and reading.is_negated(_Span(region[0] + tail.end(), region[1])):
        head = text[: tail.start()].strip(_EDGE_PUNCT)
        rival = text[tail.end() :].strip(_EDGE_PUNCT)
        if head and rivals(head, rival):
            return Grade(False, head)  # "hablan, not hablamos": the answer is what comes first
    last_word = list(re.finditer(r"[^\W_]+", text))
    negated = last_word and reading.is_negated(_Span(region[0] + last_word[-1].start(), region[1]))
    return Grade(False, None) if negated else Grade(False, text)


def _find_answer(
    flat: str, singles: list[str], reading: Reading, p: _TextPatterns
) -> tuple[str, bool] | None:
    """Find an answer stated as the answer; return it and whether its accents match."""
    folded = reading.folded
    for needle in singles:
        target = fold(needle)
        lead = r"(?<![^\W_])" if target[:1].isalnum() else ""
        tail = r"(?![^\W_])" if target[-1:].isalnum() else ""
        matches = list(re.finditer(lead + re.escape(target) + tail, folded))
        for match in reversed(matches):
            span = _Span(match.start(), match.end())
            if reading.is_excluded(span) or reading.is_negated(span):
                continue
            if _tail_is_quiet(flat[span.end :], span.end, reading, p):
                return needle, flat[span.start : span.end] == needle
            break
    return None


# --- choice --------------------------------------------------------------------------------


def _normal(text: str) -> str:
    return fold(_normalise(text))


@lru_cache(maxsize=512)
def _normal_options(choices: tuple[str, ...]) -> tuple[str, ...]:
    """Return the options as replies are compared with them (a key's options, once)."""
    return tuple(_normal(choice) for choice in choices)


def _ref_index(ref: str, count: int, *, numbers: bool) -> int | None:
    if ref.isascii() and ref.isdigit():
        return int(ref) - 1 if numbers and 1 <= int(ref) <= count else None
    index = _LETTERS.find(ref)
    return index if 0 <= index < count else None


def _choice_index(key: AnswerKey, text: str, *, numbers: bool) -> int | None:
    """Map an answer or reply to a 0-based option index, if it names one."""
    normal = _normal(text)
    options = _normal_options(key.choices)
    if normal in options:
        return options.index(normal)
    match = _text_patterns(key.language).whole_ref.fullmatch(normal)
    return _ref_index(match["ref"], len(options), numbers=numbers) if match else None


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    index: int
    text: str


def _mentions(key: AnswerKey, normal: str, *, numbers: bool) -> list[_Mention]:
    found: list[_Mention] = []
    for reference in letter_references(normal):
        index = _ref_index(reference.ref, len(key.choices), numbers=numbers)
        if index is not None:
            found.append(_Mention(reference.start, reference.end, index, reference.text))
    for index, option in enumerate(_normal_options(key.choices)):
        if option:
            for match in re.finditer(rf"(?<!\w){re.escape(option)}(?!\w)", normal):
                found.append(_Mention(match.start(), match.end(), index, option))
    found.sort(key=lambda m: (m.start, -m.end))
    kept: list[_Mention] = []
    for mention in found:
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept


def _is_number(text: str) -> bool:
    numbers = find_numbers(text)
    return len(numbers) == 1 and numbers[0].text == text


def _numbers_name_options(key: AnswerKey) -> bool:
    """Return True if a bare number names an option by position (options are not numbers)."""
    return _numbers_name(key.choices)


@lru_cache(maxsize=512)
def _numbers_name(choices: tuple[str, ...]) -> bool:
    return not any(_is_number(option) for option in _normal_options(choices))


def correct_options(key: AnswerKey) -> set[int]:
    """Return the indexes of the options the key accepts."""
    numbers = _numbers_name_options(key)
    found = (_choice_index(key, answer, numbers=numbers) for answer in _answers(key))
    return {index for index in found if index is not None}


def named_option(key: AnswerKey, text: str) -> int | None:
    """Return the option a text names all on its own ("b", "it's b", "la b", "Paris")."""
    numbers = _numbers_name_options(key)
    normal = _normal(text)
    index = _choice_index(key, normal, numbers=numbers)
    if index is None:
        named = _text_patterns(key.language).bare_ref.fullmatch(normal)  # "creo que es la b"
        index = _ref_index(named["ref"], len(key.choices), numbers=numbers) if named else None
    return index


def grade_choice(key: AnswerKey, reply: str) -> Grade:
    """Grade a multiple-choice reply: a letter, a number, the option's text or a paraphrase."""
    numbers = _numbers_name_options(key)
    correct = correct_options(key)
    accepted = {_normal(answer) for answer in _answers(key)}
    normal = _normal(reply)
    if not normal:
        return Grade(False, None)
    if normal in accepted:
        return Grade(True, normal)
    listed = _text_patterns(key.language).letter_list.fullmatch(normal)
    if listed and len(set(re.findall(r"\b[a-z]\b", normal[max(listed.end("prefix"), 0) :]))) > 1:
        return Grade(False, normal, hedged=True)
    index = named_option(key, normal)
    if index is not None:
        return Grade(index in correct, normal)
    reading = Reading(normal, key.language)
    mentioned = _mentions(key, normal, numbers=numbers)
    mentions = reading.eligible(mentioned)
    chosen = reading.choose(mentions)
    if chosen is None:
        ruled_out = {m.index for m in mentioned if reading.is_negated(m)}
        ruled_out |= _negated_letters(normal, reading, len(key.choices))
        return _grade_paraphrase(key, normal, correct, ruled_out)
    last = reading.hedge(mentions, chosen, lambda a, b: a.index == b.index)
    if last is not None:
        return Grade(False, last.text, hedged=True)
    return Grade(chosen.index in correct, chosen.text)


_BARE_LETTER: Final = re.compile(
    r"(?<![\w'])(?P<ref>[b-hj-z]|[ai](?=\s*(?:[,.;:!?)]|$|\s(?:but|and|or)\b)))(?![\w'])"
)


def _negated_letters(normal: str, reading: Reading, count: int) -> set[int]:
    """Return the options a reply rules out by a bare letter: "not b, ..."."""
    found = set()
    for match in _BARE_LETTER.finditer(normal):
        index = _LETTERS.find(match["ref"])
        if index < count and reading.is_negated(_Span(match.start(), match.end())):
            found.add(index)
    return found


def _grade_paraphrase(key: AnswerKey, normal: str, correct: set[int], ruled_out: set[int]) -> Grade:
    """Grade a reply that names no option by letter or text: a paraphrase of one, or nothing."""
    read = read_option(key.choices, normal, key.language)
    if read is None:
        return Grade(False, None)
    if read.hedged:
        return Grade(False, normal, hedged=True)
    if read.index in ruled_out:
        return Grade(False, None)  # "not b, it has a denominator of 12" says both ways
    return Grade(read.index in correct, normal)
