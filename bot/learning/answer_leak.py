"""Detect a tutor reply that gives away the answer to the current exercise.

The guard reads an outgoing text the way the grader reads a reply, so every form the
grader accepts as the right answer is caught: numbers in any equivalent form (a fraction,
decimal, percent, mixed number, decimal comma, unit glued on as in "900m", number words
such as "seven twelfths" in English or the course language), a percent for a plain key
("30%" or "30 percent" for 30) and the reverse, text without its accents, a choice named by
letter, by its text or, after "the answer is", by a paraphrase. Only simple final forms
count for numbers, never an arithmetic expression such as ``1/3 + 1/4``.

A span that also appears in a public text (the exercise prompt, say) is not a leak unless
it is stated as the result ("the answer is 3", "x = 3", "so it's 3"); a number written in
words is public when the prompt holds the same whole number. The lone word "one" (or
"uno", "eins"...) is a pronoun far more often than an answer: it leaks only when stated or
standing alone, and so does a whole number in words that counts something else ("the two
totals"; but "six minutes" leaks an answer of 6 minutes). The check is linear in the
length of the text; any internal failure is logged and treated as a leak (fail closed).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import sympy

from bot.learning.answer_key import within_tolerance
from bot.learning.answer_text import (
    NumberMatch,
    clean_text,
    find_math_spans,
    find_numbers,
    fold,
    follows_answer_cue,
    is_one_number,
)
from bot.learning.grading import AnswerKey, numeric_targets
from bot.learning.language_cues import cues_for, language_code
from bot.learning.leak_text import (
    PublicTexts,
    is_public,
    make_public,
    reveals_choice,
    reveals_exact,
    reveals_pattern,
)
from bot.learning.lexicon import FILLER, FUNCTION_WORDS
from bot.learning.mathequiv import answer_sides, equivalent, parse_sides, solved_values
from bot.learning.money import amounts_in
from bot.learning.number_words import words_to_digits
from bot.learning.ratios import ratios_in
from bot.learning.reply_numbers import reply_numbers, same_unit

__all__ = ["reveals_answer"]

log = logging.getLogger(__name__)

MAX_TEXT_CHARS: Final = 20_000
ROUNDING_TOLERANCE: Final = 0.01  # relative error of a rounded decimal that still leaks
# "x = 3", "x is 3", "y equals three": a variable's value stated, even with a public number.
_ASSIGNMENT: Final = re.compile(
    r"(?:(?<![\w.])[b-hj-z]\s*(?:=|is|equals|equal to|would be|must be|should be)"
    r"|(?<![\w.])[ai]\s*=)\s*$"
)
_COPULA: Final = re.compile(
    r"\b(?:it'?s|it is|that'?s|that is|equals|makes|gives|comes to"
    r"|(?:you|we)(?:'ll| should| will| would)? (?:get|got|end up with))\s*$"
)
_OPERATORS: Final = frozenset("+-*/×÷^=<>")
_JOINED_DIGITS: Final = re.compile(r"\d[,:]\d")
_FILLER: Final = FILLER | frozenset("it's is it that's just only well done indeed".split())
_IRREGULAR_PLURALS: Final = frozenset("people children men women feet teeth mice geese".split())


@dataclass(frozen=True)
class _Target:
    value: sympy.Rational
    percent: bool = False
    ratio: bool = False  # "3:1": only a ratio gives it away, not a lone 3


def reveals_answer(key: AnswerKey, text: str, *, public_texts: Sequence[str] = ()) -> bool:
    """Return True if ``text`` gives away the answer in ``key`` in any equivalent form."""
    try:
        cleaned = clean_text(text[:MAX_TEXT_CHARS])
        public = make_public(tuple(public_texts))
        if key.checker == "numeric":
            targets, units = _numeric_answers(key)
            return _reveals_number(cleaned, targets, key.tolerance, public, key.language, units)
        if key.checker == "expression":
            return _reveals_expression(key, cleaned, public)
        if key.checker == "choice":
            return reveals_choice(key, cleaned, public)
        if key.checker == "pattern":
            return reveals_pattern(key, cleaned, public)
        if reveals_exact(key, cleaned, public):
            return True
        # An exact answer that is one number ("1/7", "12") is also given away by its value
        # in other words ("one seventh", "1 over 7"), but not by the same value in another
        # written fraction ("2/14" still has to be simplified).
        targets, pairs = _exact_number(key)
        if not targets:
            return False
        numbers = [
            n for n in _text_numbers(cleaned, key.language) if _written_pair(n.text) in pairs
        ]
        return _reveals_number(cleaned, targets, 0.0, public, key.language, numbers=numbers)
    except Exception:
        log.exception("answer-leak check failed; treating the reply as a leak")
        return True


@lru_cache(maxsize=256)
def _numeric_answers(key: AnswerKey) -> tuple[tuple[_Target, ...], tuple[str, ...]]:
    """Return the values a numeric key accepts, as the grader reads them, and their units."""
    answers = numeric_targets(key)
    targets = tuple(_Target(number.value, number.percent, number.ratio) for number, _ in answers)
    return targets, tuple(unit for _, unit in answers if unit)


_DIGIT_PAIR: Final = re.compile(r"(\d+)\s*(?:/|over|divided\s+by)\s*(\d+)", re.IGNORECASE)


def _written_pair(text: str) -> tuple[int, int] | None:
    """The top and bottom of a fraction written in digits ("2/14", "1 over 7"); else None."""
    found = _DIGIT_PAIR.search(text)
    return (int(found.group(1)), int(found.group(2))) if found else None


@lru_cache(maxsize=256)
def _exact_number(
    key: AnswerKey,
) -> tuple[tuple[_Target, ...], frozenset[tuple[int, int] | None]]:
    """The values of an exact key whose answers are each one number and nothing else, and
    the fractions in digits that write them as the key does (None: not such a fraction)."""
    answers = [clean_text(a).strip() for a in (key.answer, *key.accept)]
    if not all(is_one_number(a) for a in answers):
        return (), frozenset()
    values = {n.value for a in answers for n in reply_numbers(a, key.language)[:1]}
    pairs = frozenset({None, *(_written_pair(a) for a in answers)})
    return tuple(_Target(v) for v in values), pairs


# --- numbers ------------------------------------------------------------------------------


def _text_numbers(text: str, language: str) -> list[NumberMatch]:
    """List the numbers a reader may take from ``text``: as written, and as the grader reads."""
    found: dict[tuple[int, int, sympy.Rational, bool], NumberMatch] = {}
    # "1,500" or "8:50" may be read as 1.5 or a time; a reader may also see 1500, 8 and 50.
    written = find_numbers(text) if _JOINED_DIGITS.search(text) else []
    read = reply_numbers(text, language)
    for number in (*written, *read, *amounts_in(read, text)):
        if not number.coefficient:
            found.setdefault((number.start, number.end, number.value, number.percent), number)
    return list(found.values())


def _in_words(number: NumberMatch) -> bool:
    return any(ch.isalpha() for ch in number.text)


def _lone_one(number: NumberMatch) -> bool:
    """Return True for the single word "one" (or its kin): mostly a pronoun, not an answer."""
    word = number.text.strip()
    return number.value == 1 and word.isalpha() and not (number.percent or number.fraction)


@lru_cache(maxsize=64)
def _public_wholes(public: PublicTexts, language: str) -> frozenset[sympy.Rational]:
    """Return the whole numbers the public texts hold, however written."""
    return frozenset(
        n.value
        for text in public.texts
        for n in reply_numbers(text, language)
        if n.value.is_Integer and not n.percent and not n.coefficient
    )


def _stated(text: str, number: NumberMatch) -> bool:
    """Return True for a number stated as the result: "the answer is 3", "x = 3", "so it's 3"."""
    before = text[max(0, number.start - 40) : number.start].casefold()
    if follows_answer_cue(text, number.start) or _ASSIGNMENT.search(before):
        return True
    # "it's 3" states a value; "it's 3 + 4" is still a sum to work out.
    after = text[number.end : number.end + 3].lstrip()[:1]
    return _COPULA.search(before) is not None and after not in _OPERATORS


def _stands_alone(text: str, number: NumberMatch) -> bool:
    """Return True if ``number`` is its sentence but for filler: "One.", "Yes: it's one!"."""
    before = re.split(r"[.!?\n]", text[max(0, number.start - 80) : number.start])[-1]
    after = re.split(r"[.!?\n]", text[number.end : number.end + 80])[0]
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", fold(before + " " + after))
    return all(word in _FILLER for word in words)


def _candidate_values(number: NumberMatch, target: _Target) -> list[sympy.Rational]:
    """Return the values ``number`` may stand for against ``target`` ("30%" for a key 30)."""
    values = [number.value]
    if number.percent and not target.percent:
        values.append(sympy.Rational(number.value * 100))
    elif target.percent and not number.percent:
        values.append(sympy.Rational(number.value / 100))
    return values


def _significant(number: NumberMatch) -> int:
    """Return the significant digits of a decimal, also one written with a decimal comma."""
    if number.significant or not number.decimal or _in_words(number):
        return number.significant
    digits = re.sub(r"[^\d.,]", "", number.text).replace(",", ".")
    whole, _, part = digits.partition(".")
    return len((whole + part).lstrip("0"))


def _number_leaks(number: NumberMatch, target: _Target, tolerance: float) -> bool:
    if target.ratio and not number.ratio:
        return False
    for value in _candidate_values(number, target):
        if value == target.value:
            return True
        if within_tolerance(float(value - target.value), tolerance, target.percent):
            return True
        rounded = number.decimal or number.percent
        if not rounded or _significant(number) < 2 or target.value == 0:
            continue
        if abs(float((value - target.value) / target.value)) <= ROUNDING_TOLERANCE:
            return True
    return False


@lru_cache(maxsize=16)
def _not_nouns(language: str) -> frozenset[str]:
    """Words that never name what a number counts: "two is", "two and", "two of"."""
    cues = cues_for(language)
    groups = (
        cues.prepositions,
        cues.hedges,
        cues.negations,
        cues.contrasts,
        cues.reasons,
    )
    words = {w for group in groups for phrase in group for w in phrase.split()}
    extra = {"and", "or", "more", "less", "times", "equals", "makes", "gives", "left", "over"}
    return frozenset(words | FUNCTION_WORDS | extra)


def _noun_like(word: str, language: str) -> bool:
    """Return True for a word a number may count: in English, a plural noun ("totals")."""
    if len(word) < 3 or not word.isalpha() or word in _not_nouns(language):
        return False
    if language_code(language) != "en":
        return True
    return word in _IRREGULAR_PLURALS or (
        len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))
    )


def _counts(text: str, number: NumberMatch, units: Sequence[str], language: str) -> bool:
    """Return True for a whole number in words counting things: "the two totals"."""
    if not _in_words(number) or number.percent or number.fraction or number.decimal:
        return False
    if number.value < 0 or not number.value.is_Integer:
        return False
    following = re.match(
        r"[ \t]+([^\W\d_]+)(?:[ \t]+([^\W\d_]+))?", text[number.end : number.end + 80]
    )
    if following is None:
        return False
    first, second = (fold(word) if word else "" for word in following.groups())
    if _noun_like(first, language):
        noun = first
    elif second and first not in _not_nouns(language) and _noun_like(second, language):
        noun = second  # "the two running totals"
    else:
        return False
    # "six minutes" for an answer of 6 minutes is the answer, not a count of something else.
    return not any(same_unit(noun, unit) for unit in units)


def _reveals_number(
    text: str,
    targets: Iterable[_Target],
    tolerance: float,
    public: PublicTexts,
    language: str,
    units: Sequence[str] = (),
    numbers: Sequence[NumberMatch] | None = None,
) -> bool:
    targets = list(targets)
    if not targets:
        return False
    if numbers is None:
        numbers = _text_numbers(text, language)
        if any(target.ratio for target in targets):
            numbers = [*numbers, *ratios_in(reply_numbers(text, language), text, clocks=True)]
    for number in numbers:
        if not any(_number_leaks(number, target, tolerance) for target in targets):
            continue
        if _stated(text, number):
            return True
        if _lone_one(number) or _counts(text, number, units, language):
            if _stands_alone(text, number):
                return True
            continue
        if is_public(number.text, public):
            continue
        if _in_words(number) and number.value.is_Integer and not number.percent:
            if number.value in _public_wholes(public, language):
                continue  # "subtract three" when the prompt has "+ 3"
        return True
    return False


# --- expressions --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Solution:
    values: tuple[sympy.Expr, ...]  # what each letter solves to, or the answer's value
    equations: tuple[sympy.Expr, ...]  # each answer equation as "left - right"
    letters: frozenset[str]


@lru_cache(maxsize=256)
def _solution(key: AnswerKey) -> _Solution:
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
    return _Solution(tuple(values), tuple(equations), frozenset(letters))


def _reveals_expression(key: AnswerKey, text: str, public: PublicTexts) -> bool:
    solution = _solution(key)
    values, equations, letters = solution.values, solution.equations, solution.letters
    targets = [_Target(sympy.Rational(v)) for v in values if v.is_Rational]
    numbers = _text_numbers(text, key.language)
    if _reveals_number(text, targets, 0.0, public, key.language, numbers=numbers):
        return True
    symbolic = [v for v in values if not v.is_Rational]
    if not symbolic and not equations:
        return False
    versions = [text]
    if any(number.text[:1].isalpha() for number in numbers):
        versions.append(words_to_digits(text, key.language))  # "x equals minus four"
    for version in dict.fromkeys(versions):
        if _reveals_math(version, letters, symbolic, equations, public):
            return True
    return False


def _reveals_math(
    text: str,
    letters: frozenset[str],
    symbolic: Sequence[sympy.Expr],
    equations: Sequence[sympy.Expr],
    public: PublicTexts,
) -> bool:
    for span in find_math_spans(text, letters):
        if is_public(span.text, public):
            continue
        sides = parse_sides(span.sides)
        if sides is None:
            continue
        for side, side_text in zip(sides, span.sides, strict=True):
            if side.free_symbols and not is_public(side_text, public):
                if any(equivalent(side, target) for target in symbolic):
                    return True
        if len(sides) == 2 and any(
            equivalent(sides[0] - sides[1], eq) or equivalent(sides[1] - sides[0], eq)
            for eq in equations
        ):
            return True
    return False
