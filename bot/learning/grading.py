"""Grade a learner's reply against an answer key, offline and deterministically.

Checkers:

- ``exact``: NFKC, case, whitespace and surrounding punctuation are normalised; the reply
  is right if it equals the answer or its last line ends with it (line by line for
  multi-line answers such as program output).
- ``numeric``: the last number in the reply (or the one after "the answer is") is compared
  exactly, or within ``tolerance``. Fractions, decimals, percents, thousands separators,
  signs, mixed numbers, currency and trailing units are understood. When the answer is
  written as a percent, the bare number (``75`` for ``75%``) is accepted too.
- ``expression``: the last math span is compared by algebraic equivalence; ``x = 3``,
  ``3 = x`` and ``3`` all answer ``x = 3``.
- ``choice``: a letter (``b``, ``(b)``, ``option b``), a 1-based number (unless the
  options are themselves numbers) or the option's text.
- ``pattern``: ``re.search`` of ``key.pattern`` (case-insensitive) in the reply with
  whitespace runs collapsed; without a pattern, ``answer`` and ``accept`` are the regexes.

Offering several different answers ("7/12 or 5/12?") is never correct and sets ``hedged``.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Final, Literal, Protocol, TypeVar

import sympy

from bot.learning.answer_text import (
    MathSpan,
    NumberMatch,
    clean_text,
    find_math_spans,
    find_numbers,
    follows_answer_cue,
    is_hedge_gap,
    letter_references,
    normalise_lines,
    normalise_text,
)
from bot.learning.mathequiv import answer_sides, equivalent, parse_sides, sides_match, value_index

__all__ = ["AnswerKey", "Grade", "Grader", "grade_answer"]

log = logging.getLogger(__name__)

MAX_REPLY_CHARS: Final = 2000
_LETTERS: Final = "abcdefghijklmnopqrstuvwxyz"
_HEDGE_TAIL: Final = re.compile(r"(?:^|\W)(?:or|either|maybe|/)\W*$")
_WHOLE_REF: Final = re.compile(
    r"(?:(?:i (?:choose|pick|say|think)|it's|it is|option|choice|answer|letter)\W*(?:is\W*)?)?"
    r"\(?(?P<ref>[a-z]|\d{1,2})\)?"
)
_LETTER_LIST: Final = re.compile(
    r"(?P<prefix>is it|maybe|either|i think)?\s*\(?[a-z]\)?(?:\s*(?:,|or|/)\s*\(?[a-z]\)?)+\??"
)


@dataclass(frozen=True)
class AnswerKey:
    """How to recognise a correct answer to one exercise."""

    checker: Literal["exact", "numeric", "expression", "choice", "pattern"]
    answer: str
    accept: tuple[str, ...] = ()
    tolerance: float = 0.0
    choices: tuple[str, ...] = ()
    pattern: str | None = None


@dataclass(frozen=True)
class Grade:
    """The verdict on one reply."""

    correct: bool
    candidate: str | None
    hedged: bool = False
    unchecked: bool = False  # grading gave up (too slow or too big): no verdict either way


UNCHECKED: Final = Grade(False, None, unchecked=True)


class _Located(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


_T = TypeVar("_T", bound=_Located)

Grader = Callable[["AnswerKey", str], Grade]


def grade_answer(key: AnswerKey, reply: str) -> Grade:
    """Grade ``reply`` against ``key`` without raising on any input."""
    if not isinstance(reply, str):
        return Grade(False, None)
    try:
        text = clean_text(reply[-MAX_REPLY_CHARS:])
        grader = _GRADERS.get(key.checker)
        if grader is None:
            log.warning("unknown answer checker %r", key.checker)
            return Grade(False, None)
        return grader(key, text)
    except Exception as exc:
        # The traceback's frames, not its message: sympy's messages quote the learner's input.
        frames = "".join(traceback.format_tb(exc.__traceback__))
        log.error(
            "grading failed for a %s answer key: %s\n%s", key.checker, type(exc).__name__, frames
        )
        return Grade(False, None)


def _answers(key: AnswerKey) -> tuple[str, ...]:
    return (key.answer, *key.accept)


def _pick(text: str, items: Sequence[_T]) -> _T:
    """Choose the item after the last "the answer is", else the last item."""
    cued = [item for item in items if follows_answer_cue(text, item.start)]
    return (cued or items)[-1]


def _hedged(text: str, items: Sequence[_T], same: Callable[[_T, _T], bool]) -> bool:
    """Return True if two different items are offered as alternatives."""
    return any(
        is_hedge_gap(text[first.end : second.start]) and not same(first, second)
        for first, second in pairwise(items)
    )


def _grade_exact(key: AnswerKey, reply: str) -> Grade:
    lines = normalise_lines(reply)
    if not lines:
        return Grade(False, None)
    for expected in (normalise_lines(answer) for answer in _answers(key)):
        if not expected or len(lines) < len(expected):
            continue
        tail = lines[-len(expected) :]
        if tail[1:] != expected[1:] or not tail[0].endswith(expected[0]):
            continue
        prefix = tail[0][: len(tail[0]) - len(expected[0])]
        if prefix and prefix[-1].isalnum() and expected[0][0].isalnum():
            continue
        candidate = "\n".join(expected)
        if _HEDGE_TAIL.search(prefix):
            return Grade(False, candidate, hedged=True)
        return Grade(True, candidate)
    return Grade(False, lines[-1])


def _numeric_targets(key: AnswerKey) -> list[NumberMatch]:
    targets = []
    for answer in _answers(key):
        numbers = [n for n in find_numbers(clean_text(answer)) if not n.coefficient]
        if numbers:
            targets.append(numbers[-1])
    return targets


def _numeric_equal(candidate: NumberMatch, target: NumberMatch, tolerance: float) -> bool:
    values = [candidate.value]
    if target.percent and not candidate.percent:
        values.append(sympy.Rational(candidate.value / 100))
    if tolerance > 0:
        return any(abs(float(v - target.value)) <= tolerance * (1 + 1e-9) for v in values)
    return any(v == target.value for v in values)


def _grade_numeric(key: AnswerKey, reply: str) -> Grade:
    targets = _numeric_targets(key)
    candidates = [n for n in find_numbers(reply) if not n.coefficient]
    if not targets or not candidates:
        return Grade(False, None)
    chosen = _pick(reply, candidates)
    if _hedged(reply, candidates, lambda a, b: a.value == b.value):
        return Grade(False, chosen.text, hedged=True)
    correct = any(_numeric_equal(chosen, target, key.tolerance) for target in targets)
    return Grade(correct, chosen.text)


@dataclass(frozen=True)
class _Expression:
    start: int
    end: int
    span: MathSpan
    sides: tuple[sympy.Expr, ...]

    @property
    def value(self) -> sympy.Expr:
        return self.sides[value_index(self.sides)]


def _grade_expression(key: AnswerKey, reply: str) -> Grade:
    answers = [sides for sides in (answer_sides(clean_text(a)) for a in _answers(key)) if sides]
    if not answers:
        log.warning("expression answer key %r does not parse", key.answer)
        return Grade(False, None)
    letters = frozenset(str(s) for sides in answers for e in sides for s in e.free_symbols)
    found = []
    for span in find_math_spans(reply, letters):
        sides = parse_sides(span.sides)
        if sides:
            found.append(_Expression(span.start, span.end, span, sides))
    if not found:
        return Grade(False, None)
    strong = [e for e in found if len(e.sides) > 1 or not e.sides[0].is_Symbol] or found
    chosen = _pick(reply, strong)
    candidate = chosen.span.sides[value_index(chosen.sides)]
    if _hedged(reply, found, lambda a, b: equivalent(a.value, b.value)):
        return Grade(False, candidate, hedged=True)
    return Grade(any(sides_match(a, chosen.sides) for a in answers), candidate)


def _choice_index(key: AnswerKey, text: str, *, numbers: bool) -> int | None:
    """Map an answer or reply to a 0-based option index, if it names one."""
    normal = normalise_text(text)
    options = [normalise_text(choice) for choice in key.choices]
    if normal in options:
        return options.index(normal)
    match = _WHOLE_REF.fullmatch(normal)
    return _ref_index(match["ref"], len(options), numbers=numbers) if match else None


def _ref_index(ref: str, count: int, *, numbers: bool) -> int | None:
    if ref.isascii() and ref.isdigit():
        return int(ref) - 1 if numbers and 1 <= int(ref) <= count else None
    index = _LETTERS.find(ref)
    return index if 0 <= index < count else None


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
    for index, choice in enumerate(key.choices):
        option = normalise_text(choice)
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


def _grade_choice(key: AnswerKey, reply: str) -> Grade:
    options = [normalise_text(choice) for choice in key.choices]
    numbers = not any(_is_number(option) for option in options)
    correct = {_choice_index(key, answer, numbers=numbers) for answer in _answers(key)}
    accepted = {normalise_text(answer) for answer in _answers(key)}
    normal = normalise_text(reply)
    if not normal:
        return Grade(False, None)
    if normal in accepted:
        return Grade(True, normal)
    listed = _LETTER_LIST.fullmatch(normal)
    if listed and len(set(re.findall(r"\b[a-z]\b", normal[max(listed.end("prefix"), 0) :]))) > 1:
        return Grade(False, normal, hedged=True)
    index = _choice_index(key, normal, numbers=numbers)
    if index is not None:
        return Grade(index in correct, normal)
    mentions = _mentions(key, normal, numbers=numbers)
    if not mentions:
        return Grade(False, None)
    chosen = _pick(normal, mentions)
    if _hedged(normal, mentions, lambda a, b: a.index == b.index):
        return Grade(False, chosen.text, hedged=True)
    return Grade(chosen.index in correct, chosen.text)


@lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError):
        log.warning("invalid answer pattern %r", pattern)
        return None


def _grade_pattern(key: AnswerKey, reply: str) -> Grade:
    text = " ".join(reply[:MAX_REPLY_CHARS].split())
    sources = (key.pattern, *key.accept) if key.pattern else _answers(key)
    for regex in filter(None, map(_compile, sources)):
        match = regex.search(text)
        if match:
            return Grade(True, match.group(0))
    return Grade(False, text or None)


_GRADERS: Final[dict[str, Callable[[AnswerKey, str], Grade]]] = {
    "exact": _grade_exact,
    "numeric": _grade_numeric,
    "expression": _grade_expression,
    "choice": _grade_choice,
    "pattern": _grade_pattern,
}
