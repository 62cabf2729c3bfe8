"""Detect a tutor reply that gives away the answer to the current exercise.

Only simple final forms count for numbers (a number, fraction, percent or mixed number,
never an arithmetic expression such as ``1/3 + 1/4``). A span that also appears verbatim
in a public text (the exercise prompt, say) is not a leak. The check is linear in the
length of the text; any internal failure is logged and treated as a leak (fail closed).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from typing import Final

import sympy

from bot.learning.answer_text import (
    NumberMatch,
    clean_text,
    find_math_spans,
    find_numbers,
    follows_answer_cue,
    letter_references,
    normalise_text,
)
from bot.learning.grading import AnswerKey
from bot.learning.mathequiv import answer_sides, equivalent, parse_sides, solved_values

__all__ = ["reveals_answer"]

log = logging.getLogger(__name__)

MAX_TEXT_CHARS: Final = 20_000
PATTERN_WINDOW: Final = 2_000  # authored regexes only ever see this much text at once
PATTERN_OVERLAP: Final = 200
ROUNDING_TOLERANCE: Final = 0.01  # relative error of a rounded decimal that still leaks
_LETTERS: Final = "abcdefghijklmnopqrstuvwxyz"


def reveals_answer(key: AnswerKey, text: str, *, public_texts: Sequence[str] = ()) -> bool:
    """Return True if ``text`` gives away the answer in ``key`` in any equivalent form."""
    try:
        cleaned = clean_text(text[:MAX_TEXT_CHARS])
        public = [clean_text(p) for p in public_texts]
        if key.checker == "numeric":
            targets = _numeric_targets(_answer_numbers(key))
            return _reveals_number(cleaned, targets, key.tolerance, public)
        if key.checker == "expression":
            return _reveals_expression(key, cleaned, public)
        if key.checker == "choice":
            return _reveals_choice(key, cleaned, public)
        if key.checker == "pattern":
            return _reveals_pattern(key, cleaned, public)
        return _reveals_exact(key, cleaned, public)
    except Exception:
        log.exception("answer-leak check failed; treating the reply as a leak")
        return True


def _is_public(span: str, public: Sequence[str]) -> bool:
    """Return True if ``span`` occurs, with word/number boundaries, in a public text."""
    span = " ".join(span.split())
    if not span:
        return False
    pattern = re.compile(rf"(?<![\w.]){re.escape(span)}(?!\w|\.\d)", re.IGNORECASE)
    return any(pattern.search(" ".join(p.split())) for p in public)


def _answer_numbers(key: AnswerKey) -> list[NumberMatch]:
    found = []
    for answer in (key.answer, *key.accept):
        numbers = [n for n in find_numbers(clean_text(answer)) if not n.coefficient]
        if numbers:
            found.append(numbers[-1])
    return found


def _numeric_targets(answers: Iterable[NumberMatch]) -> list[sympy.Rational]:
    """Return the answer values; a percent answer (75%) is also leaked by its bare number."""
    targets = []
    for answer in answers:
        targets.append(answer.value)
        if answer.percent:
            targets.append(sympy.Rational(answer.value * 100))
    return targets


def _number_leaks(number: NumberMatch, target: sympy.Rational, tolerance: float) -> bool:
    if number.value == target:
        return True
    if tolerance > 0 and abs(float(number.value - target)) <= tolerance:
        return True
    rounded = number.decimal or number.percent
    if not rounded or number.significant < 2 or target == 0:
        return False
    return abs(float((number.value - target) / target)) <= ROUNDING_TOLERANCE


def _reveals_number(
    text: str, targets: Iterable[sympy.Rational], tolerance: float, public: Sequence[str]
) -> bool:
    targets = list(targets)
    if not targets:
        return False
    for number in find_numbers(text):
        if number.coefficient:
            continue
        if _is_public(number.text, public) and not follows_answer_cue(text, number.start):
            continue
        if any(_number_leaks(number, target, tolerance) for target in targets):
            return True
    return False


def _reveals_expression(key: AnswerKey, text: str, public: Sequence[str]) -> bool:
    values: list[sympy.Expr] = []
    equations: list[sympy.Expr] = []
    letters: set[str] = set()
    for answer in (key.answer, *key.accept):
        sides = answer_sides(clean_text(answer))
        if sides is None:
            continue
        values += solved_values(sides)
        equations += [sides[0] - sides[1]] if len(sides) == 2 else []
        letters |= {str(s) for side in sides for s in side.free_symbols}
    numbers = [sympy.Rational(v) for v in values if v.is_Rational]
    if _reveals_number(text, numbers, 0.0, public):
        return True
    symbolic = [v for v in values if not v.is_Rational]
    if not symbolic and not equations:
        return False
    for span in find_math_spans(text, frozenset(letters)):
        if _is_public(span.text, public):
            continue
        sides = parse_sides(span.sides)
        if sides is None:
            continue
        for side, side_text in zip(sides, span.sides, strict=True):
            if side.free_symbols and not _is_public(side_text, public):
                if any(equivalent(side, target) for target in symbolic):
                    return True
        if len(sides) == 2 and any(
            equivalent(sides[0] - sides[1], eq) or equivalent(sides[1] - sides[0], eq)
            for eq in equations
        ):
            return True
    return False


def _flatten(text: str) -> str:
    return " ".join(text.casefold().split())


def _reveals_exact(key: AnswerKey, text: str, public: Sequence[str]) -> bool:
    haystack = _flatten(text)
    for answer in (key.answer, *key.accept):
        needle = " ".join(normalise_text(line) for line in clean_text(answer).splitlines())
        needle = " ".join(needle.split())
        if not needle or _is_public(needle, public):
            continue
        if re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack):
            return True
    return False


def _reveals_pattern(key: AnswerKey, text: str, public: Sequence[str]) -> bool:
    sources = (key.pattern, *key.accept) if key.pattern else (key.answer, *key.accept)
    flat = " ".join(text.split())
    for source in sources:
        try:
            regex = re.compile(source, re.IGNORECASE)
        except (re.error, RecursionError, OverflowError):
            continue
        for window in _windows(flat):
            for match in regex.finditer(window):
                if match.group(0).strip() and not _is_public(match.group(0), public):
                    return True
    return False


def _windows(text: str) -> Iterable[str]:
    """Split ``text`` into overlapping windows so a naive authored regex stays fast."""
    step = PATTERN_WINDOW - PATTERN_OVERLAP
    return (
        text[i : i + PATTERN_WINDOW] for i in range(0, max(len(text) - PATTERN_OVERLAP, 1), step)
    )


def _correct_choice(key: AnswerKey) -> int | None:
    answer = normalise_text(key.answer)
    options = [normalise_text(choice) for choice in key.choices]
    if answer in options:
        return options.index(answer)
    ref = answer.removeprefix("(").removesuffix(")")
    if len(ref) == 1 and ref in _LETTERS[: len(options)]:
        return _LETTERS.index(ref)
    if ref.isascii() and ref.isdigit() and 1 <= int(ref) <= len(options):
        return int(ref) - 1
    return None


def _reveals_choice(key: AnswerKey, text: str, public: Sequence[str]) -> bool:
    index = _correct_choice(key)
    if index is None:
        return _reveals_exact(key, text, public)
    letter = _LETTERS[index]
    normal = _flatten(text)
    option = normalise_text(key.choices[index])
    hidden = option and not _is_public(option, public)
    for match in re.finditer(rf"(?<!\w){re.escape(option)}(?!\w)", normal) if option else ():
        if hidden or follows_answer_cue(normal, match.start()):
            return True
    return any(
        reference.ref in (letter, str(index + 1)) and not _is_public(reference.text, public)
        for reference in letter_references(normal)
    )
