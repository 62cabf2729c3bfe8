"""Grade a learner's reply against an answer key, offline and deterministically.

Checkers:

- ``exact``: case, accents, whitespace and surrounding punctuation are normalised; the
  answer may sit in a sentence ("I think it's hablo, because...") and multi-line answers
  (program output) are compared line by line. An answer right but for its accents is
  correct with ``accent_only`` set, or wrong with it set when the key has
  ``strict_accents``.
- ``numeric``: the answer among the numbers of the reply (see ``reply_reading``) is
  compared exactly, or within ``tolerance``. Fractions, decimals (also with a decimal
  comma), percents, signs, mixed numbers, currency, units ("900m") and number words
  ("seven twelfths") are understood. A percent and a plain number match when their values
  are equal (``30%`` and ``0.3``) or when the percent's number is the plain number (``30%``
  and ``30``), whichever of the key and the reply holds the percent.
- ``expression``: the chosen math span is compared by algebraic equivalence; ``x = 3``,
  ``3 = x`` and ``3`` all answer ``x = 3``.
- ``choice``: a letter (``b``, ``(b)``, ``option b``), a 1-based number (unless the
  options are themselves numbers), the option's text, accents ignored, or a paraphrase of
  it ("denominator is 12" for "It has a denominator of 12"); a reply that reads as two
  options is a hedge, and one closer to a wrong option is wrong.
- ``pattern``: ``re.search`` of ``key.pattern`` (case-insensitive) in the reply with
  whitespace runs collapsed; without a pattern, ``answer`` and ``accept`` are the regexes.

Whatever the checker: several different answers at once ("7/12 or 5/12", "7/12, 5/12",
"7/12 o 5/12") are never correct and set ``hedged``; a negated answer ("not 2") is never
correct; an answer inside an open question ("what do you mean by 7/12?") or a reason is
no answer. Which candidate is read never depends on the key's value, so a reply that is
not read as an answer gets the same verdict whether or not it holds the right one.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Final, Literal

import sympy

from bot.learning.answer_key import (
    MAX_REPLY_CHARS,
    UNCHECKED,
    AnswerKey,
    Grade,
    within_tolerance,
)
from bot.learning.answer_text import MathSpan, NumberMatch, clean_text, find_math_spans
from bot.learning.arithmetic import unworked_sum
from bot.learning.durations import durations_in
from bot.learning.gaps import filled_in
from bot.learning.grading_choice import grade_choice
from bot.learning.grading_pattern import grade_pattern
from bot.learning.grading_text import grade_exact
from bot.learning.mathequiv import answer_sides, equivalent, parse_sides, sides_match, value_index
from bot.learning.money import amounts_in
from bot.learning.number_words import words_to_digits
from bot.learning.ratios import is_ratio_answer, ratios_in
from bot.learning.reply_numbers import reply_numbers, same_unit, unit_after
from bot.learning.reply_reading import Reading
from bot.learning.units import Unit, converted, other_unit, read_unit, unit_of

__all__ = ["UNCHECKED", "AnswerKey", "Grade", "Grader", "grade_answer", "numeric_targets"]

log = logging.getLogger(__name__)


Grader = Callable[[AnswerKey, str], Grade]
# Chat formatting around an answer: a fenced block (its language tag dropped) or inline
# code, as Discord and Slack learners write code: "`return x`", "```python ...```".
_FENCE: Final = re.compile(r"```(?:[ \t]*[\w+#.-]*[ \t]*\n)?(.*?)\n?[ \t]*```", re.DOTALL)
_INLINE_CODE: Final = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")


def unformatted(text: str) -> str:
    """A reply without the chat formatting that wraps code: fences and backticks."""
    if "`" not in text:
        return text
    return _INLINE_CODE.sub(r"\1", _FENCE.sub(r"\1", text))


def grade_answer(key: AnswerKey, reply: str) -> Grade:
    """Grade ``reply`` against ``key`` without raising on any input."""
    if not isinstance(reply, str):
        return Grade(False, None)
    try:
        text = unformatted(clean_text(reply[-MAX_REPLY_CHARS:]))
        if key.gap is not None:  # "The students forgot their books": "their" fills the gap
            text = filled_in(key.gap, text) or text
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


def numeric_targets(key: AnswerKey) -> list[tuple[NumberMatch, str | None]]:
    """Return each answer's number, with the unit written after it ("6 minutes")."""
    targets = []
    ratio = ratio_key(key)
    for answer in _answers(key):
        text = clean_text(answer)
        numbers = [n for n in reply_numbers(text, key.language) if not n.coefficient]
        numbers = amounts_in(ratios_in(numbers, text, clocks=ratio), text)
        if numbers:
            targets.append((numbers[-1], unit_after(text, numbers[-1], key.language)))
    return targets


def ratio_key(key: AnswerKey) -> bool:
    """Whether a numeric key's answer is a ratio ("3:1"): its replies read "3:10" as one."""
    for answer in _answers(key):
        text = clean_text(answer)
        if is_ratio_answer(reply_numbers(text, key.language), text):
            return True
    return False


def _numeric_equal(candidate: NumberMatch, target: NumberMatch, tolerance: float) -> bool:
    if candidate.ratio != target.ratio:
        return False  # "1:4" is not 1/4, and "3" is not the ratio 3:1
    values = [candidate.value]
    if target.percent and not candidate.percent:
        values.append(sympy.Rational(candidate.value / 100))
    elif candidate.percent and not target.percent:
        values.append(sympy.Rational(candidate.value * 100))
    if tolerance > 0:
        return any(
            within_tolerance(float(v - target.value), tolerance, target.percent) for v in values
        )
    return any(v == target.value for v in values)


def _key_unit_first(
    candidates: list[NumberMatch], reply: str, unit: str | None, language: str
) -> list[NumberMatch]:
    """Drop numbers of another unit when one has the key's unit ("12 eggs in 6 minutes")."""
    if unit is None:
        return candidates
    units = [unit_after(reply, number, language) for number in candidates]
    if not any(u is not None and same_unit(u, unit) for u in units):
        return candidates
    return [n for n, u in zip(candidates, units, strict=True) if u is None or same_unit(u, unit)]


def _grade_numeric(key: AnswerKey, reply: str) -> Grade:
    targets = numeric_targets(key)
    if not targets:
        return Grade(False, None)
    reading = Reading(reply, key.language)
    numbers = [n for n in reply_numbers(reply, key.language) if not n.coefficient]
    numbers = ratios_in(numbers, reply, clocks=targets[0][0].ratio)  # "1:4" is one ratio
    numbers = durations_in(numbers, reply, targets[0][1])  # "2 h 30" in the key's unit
    numbers = amounts_in(numbers, reply)  # "16 dollars 25 cents" is 16.25
    candidates = _key_unit_first(reading.eligible(numbers), reply, targets[0][1], key.language)
    chosen = reading.choose(candidates)
    if chosen is None:
        return Grade(False, None)
    last = reading.hedge(candidates, chosen, lambda a, b: a.value == b.value)
    if last is not None:
        return Grade(False, last.text, hedged=True)
    written = unworked_sum(reply, chosen.start, chosen.end)
    if written is not None:
        # "3 × 4": a sum still to work out, not its last number. The right sum is a step.
        worked = replace(chosen, value=written.value, decimal=False, percent=False)
        right = any(_numeric_equal(worked, target, key.tolerance) for target, _ in targets)
        return Grade(False, written.text, step=written.text if right else None)
    correct = any(_numeric_equal(chosen, target, key.tolerance) for target, _ in targets)
    unit = read_unit(reply, chosen.end)
    if unit is not None and (
        _in_another_unit(key, chosen, unit[0]) if correct else _converts(key, chosen, unit[0])
    ):
        # "50 mph" for 50 km/h; "1500 m" for 1.5 km: ask about the unit, say nothing more.
        return Grade(False, reply[chosen.start : unit[1]].strip(), other_unit=True)
    rounded = not correct and any(_rounded(chosen, target, key.tolerance) for target, _ in targets)
    form: Literal["ratio", "number"] | None = None
    if not correct and any(
        _numeric_equal(replace(chosen, ratio=t.ratio), t, 0) for t, _ in targets
    ):
        form = "ratio" if targets[0][0].ratio else "number"  # "1:4" for 1/4, "3" for 3:1
    return Grade(correct, chosen.text, rounded=rounded, wants_form=form)


def _in_another_unit(key: AnswerKey, chosen: NumberMatch, said: Unit) -> bool:
    """Tell whether the right number comes in a unit no answer of that value has."""
    meant = []
    for answer in _answers(key):
        text = clean_text(answer)
        numbers = [n for n in reply_numbers(text, key.language) if not n.coefficient]
        if numbers and _numeric_equal(chosen, numbers[-1], key.tolerance):
            meant.append(unit_of(text, numbers[-1].end))
    return bool(meant) and all(other_unit(said, unit) for unit in meant)


def _converts(key: AnswerKey, chosen: NumberMatch, said: Unit) -> bool:
    """Tell whether a wrong number is an answer's quantity in another unit ("1500 m")."""
    if chosen.ratio or chosen.percent:
        return False
    for answer in _answers(key):
        text = clean_text(answer)
        numbers = [n for n in reply_numbers(text, key.language) if not n.coefficient]
        meant = unit_of(text, numbers[-1].end) if numbers else None
        value = converted(Fraction(str(chosen.value)), said, meant) if meant else None
        if value is not None and _numeric_equal(
            replace(chosen, value=sympy.Rational(value.numerator, value.denominator)),
            numbers[-1],
            key.tolerance,
        ):
            return True
    return False


def _rounded(candidate: NumberMatch, target: NumberMatch, tolerance: float) -> bool:
    """Tell whether a decimal is the target rounded or cut to its places ("0.58", 7/12).

    Only where the key sets no tolerance of its own, and from two places on: "0.5" is not
    read as 7/12 rounded. A percent holds two places more: "16.7%" and "17%" are 1/6 rounded.
    """
    if tolerance > 0 or target.percent or target.ratio or candidate.ratio:
        return False
    places = re.search(r"[.,](\d+)", candidate.text)
    digits = len(places.group(1)) if places is not None else 0
    if candidate.percent:
        digits += 2  # its value is already the fraction: 16.7% is 0.167
    elif not candidate.decimal or digits < 2:
        return False
    scale = 10**digits
    scaled = target.value * scale
    if scaled.is_Integer:
        return False  # the target has no more places than this: a different value
    cut, nearest = sympy.floor(scaled), sympy.floor(scaled + sympy.Rational(1, 2))
    written = candidate.value * scale
    return bool(written == cut or written == nearest)


@dataclass(frozen=True)
class _Expression:
    start: int
    end: int
    span: MathSpan
    sides: tuple[sympy.Expr, ...]

    @property
    def value(self) -> sympy.Expr:
        return self.sides[value_index(self.sides)]

    @property
    def candidate(self) -> str:
        return self.span.sides[value_index(self.sides)]


# "x2 + 5x + 6" typed for x² + 5x + 6: one letter, then one digit glued to it.
_GLUED_POWER: Final = re.compile(r"(?<![^\W\d_])([^\W\d_])([2-9])(?![\d.,]\d|\d)")


def _typed_power(key: AnswerKey, reply: str, answers: list[tuple[sympy.Expr, ...]]) -> Grade | None:
    """Grade a reply that types powers as glued digits ("x2"), when the answer has powers.

    Graded as read so (``typed_power`` says to write them with ``^``); None when the
    reading finds no answer either.
    """
    if not any(e.has(sympy.Pow) for sides in answers for e in sides):
        return None
    powered = _GLUED_POWER.sub(r"\1^\2", reply)
    if powered == reply:
        return None
    grade = _grade_expression(key, powered)
    return replace(grade, typed_power=True) if grade.candidate is not None else None


def _grade_expression(key: AnswerKey, reply: str) -> Grade:
    answers = [sides for sides in (answer_sides(clean_text(a)) for a in _answers(key)) if sides]
    if not answers:
        log.warning("expression answer key %r does not parse", key.answer)
        return Grade(False, None)
    letters = frozenset(str(s) for sides in answers for e in sides for s in e.free_symbols)
    text = _operations_as_signs(words_to_digits(reply, key.language))
    reading = Reading(text, key.language)
    found = []
    for span in find_math_spans(text, letters):
        sides = parse_sides(span.sides)
        if sides:
            found.append(_Expression(span.start, span.end, span, sides))
    # A lone letter is an answer only in a reply with no other math ("x can't be 4").
    lone = {id(e) for e in found if len(e.sides) == 1 and e.sides[0].is_Symbol}
    only_letters = len(lone) == len(found)
    found = reading.eligible(found)
    strong = [e for e in found if only_letters or id(e) not in lone]
    chosen = reading.choose(strong)
    if chosen is None:
        return _typed_power(key, reply, answers) or Grade(False, None)
    last = reading.hedge(found, chosen, lambda a, b: equivalent(a.value, b.value))
    if last is not None:
        return Grade(False, last.candidate, hedged=True)
    if any(sides_match(a, chosen.sides) for a in answers):
        return Grade(True, chosen.candidate)
    typed = _typed_power(key, reply, answers)
    if typed is not None:
        return typed
    if _on_the_way(answers, chosen.sides):
        return Grade(False, chosen.candidate, step=chosen.span.text.strip())
    if _unsolved(answers, chosen.sides):
        # "2x = 14": a step that went wrong; the learner is asked about the step itself.
        return Grade(False, chosen.span.text.strip())
    return Grade(False, chosen.candidate)


# "x = 12 divided by 3", "x squared plus 5x": an operation said in words between two
# operands (a number, a bracket or a one-letter variable), as its sign.
_LEFT: Final = r"(?:(?<=[\d)])|(?<=[a-z])(?<![a-z]{2}))"  # "5", ")", "x", "5x"; not "so"
_RIGHT: Final = r"(?=[\d(]|[a-z]\b)"
_SAID_OPERATIONS: Final = (
    (re.compile(rf"{_LEFT}[ \t]+squared\b", re.I), "^2"),
    (re.compile(rf"{_LEFT}[ \t]+cubed\b", re.I), "^3"),
    (re.compile(rf"{_LEFT}[ \t]+to[ \t]+the[ \t]+power[ \t]+of[ \t]+(?=\d)", re.I), "^"),
    (re.compile(rf"{_LEFT}[ \t]+(?:divided[ \t]+by|over)[ \t]+(?=[\d(-]|[a-z]\b)", re.I), " / "),
    (
        re.compile(rf"{_LEFT}[ \t]+(?:times|multiplied[ \t]+by)[ \t]+(?=[\d(-]|[a-z]\b)", re.I),
        " * ",
    ),
    (re.compile(rf"{_LEFT}[ \t]+plus[ \t]+{_RIGHT}", re.I), " + "),
    (re.compile(rf"{_LEFT}[ \t]+minus[ \t]+{_RIGHT}", re.I), " - "),
)


def _operations_as_signs(text: str) -> str:
    """Write "12 divided by 3", "2 times 4", "8 minus 4" with signs, for the math reader."""
    for said, sign in _SAID_OPERATIONS:
        text = said.sub(sign, text)
    return text


def _unsolved(answers: list[tuple[sympy.Expr, ...]], sides: tuple[sympy.Expr, ...]) -> bool:
    """Tell whether an equation still has a solved answer's unknown to find ("2x = 14")."""
    if len(sides) != 2:
        return False
    unknowns = {
        variable
        for answer in answers
        if len(answer) == 2
        for variable, value in ((answer[0], answer[1]), (answer[1], answer[0]))
        if variable.is_Symbol and variable not in value.free_symbols
    }
    present = sides[0].free_symbols | sides[1].free_symbols
    return any(u in present and u not in sides for u in unknowns)


def _on_the_way(answers: list[tuple[sympy.Expr, ...]], sides: tuple[sympy.Expr, ...]) -> bool:
    """Tell whether an equation still to solve holds for a solved answer ("2x = 8", x = 4)."""
    if len(sides) != 2:
        return False
    for answer in answers:
        if len(answer) != 2:
            continue
        for variable, value in ((answer[0], answer[1]), (answer[1], answer[0])):
            if not variable.is_Symbol or variable in value.free_symbols:
                continue
            left, right = sides
            if variable not in left.free_symbols | right.free_symbols or variable in sides:
                continue  # no unknown left to find, or already on its own
            if equivalent(left.subs(variable, value), right.subs(variable, value)):
                return True
    return False


_GRADERS: Final[dict[str, Callable[[AnswerKey, str], Grade]]] = {
    "exact": grade_exact,
    "numeric": _grade_numeric,
    "expression": _grade_expression,
    "choice": grade_choice,
    "pattern": grade_pattern,
}
