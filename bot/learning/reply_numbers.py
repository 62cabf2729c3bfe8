"""Every number a learner wrote, as grading reads it: digits, words, units, signs, percents.

On top of ``answer_text.find_numbers`` (digits, fractions, currency, ``%``): a decimal comma
("0,75"; in a course not in English also "1,5"), a sign or percent written as a word
("minus 4", "30 percent", "30 por ciento"), a unit glued to its number ("900m") and
numbers in words ("seven twelfths"). A letter glued to a number is still a coefficient
when the reply uses that letter as a variable ("2m = 6").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from typing import Final

import sympy

from bot.learning.answer_text import NumberMatch, find_numbers, fold
from bot.learning.language_cues import cues_for, language_code
from bot.learning.number_pieces import vocab
from bot.learning.number_vocab import VOCABS
from bot.learning.number_words import find_number_words
from bot.learning.reply_reading import phrase_regex
from bot.learning.scientific import scientific_numbers
from bot.learning.units import canonical_unit

__all__ = ["reply_numbers", "same_unit", "unit_after"]

# Letters that name a unit when glued to a number ("900m", "5h", "2L"), never "2x".
UNIT_LETTERS: Final = frozenset("mgslhkVWNJAKLCF")
_THOUSANDS: Final = re.compile(r"[-+]?[$€£]?\d{1,3},\d{3}%?")
_CLOCK: Final = re.compile(r"\d{1,2}:[0-5]\d")
# Currencies named by a symbol or a word; other units are ``units.canonical_unit``'s.
_CURRENCIES: Final = {
    "$": "dollar",
    "€": "euro",
    "£": "pound",
    "usd": "dollar",
    "eur": "euro",
    "bucks": "dollar",
    "dollars": "dollar",
    "euros": "euro",
    "pounds": "pound",
}


@lru_cache(maxsize=16)
def _word_patterns(language: str) -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    code = language_code(language)
    vocabs = [VOCABS["en"], *([VOCABS[code]] if code in VOCABS and code != "en" else [])]
    signs = phrase_regex(s for v in vocabs for s in v.signs)
    percents = phrase_regex(" ".join(p) for v in vocabs for p in v.percents)
    cues = cues_for(code)
    stop = {
        w
        for group in (
            cues.hedges,
            cues.copulas,
            cues.conclusions,
            cues.fillers,
            cues.reasons,
            cues.prepositions,
            cues.negations,
            cues.contrasts,
            cues.determiners,
        )
        for phrase in group
        for w in phrase.split()
    }
    stop |= {w for v in vocabs for w in (*v.connectors, *v.cardinals, *v.denominators)}
    return (
        re.compile(rf"(?<![^\W_]){signs}\s*$"),
        re.compile(rf"\s*{percents}"),
        frozenset(stop),
    )


def _decimal_commas(numbers: list[NumberMatch], text: str, language: str) -> list[NumberMatch]:
    """Read "0,75" (and "1,500" in a course not in English) as a decimal comma."""
    merged: list[NumberMatch] = []
    english = language_code(language) == "en"
    for number in numbers:
        previous = merged[-1] if merged else None
        if previous is not None and _comma_between(previous, number, text):
            merged[-1] = _joined(previous, number, text)
        elif not english and _THOUSANDS.fullmatch(number.text.strip()):
            head, _, tail = number.text.partition(",")
            value = abs(int(re.sub(r"\D", "", head))) + sympy.Rational(int(tail.rstrip("%")), 1000)
            value = sympy.Rational(value / 100) if number.percent else sympy.Rational(value)
            merged.append(replace(number, value=-value if "-" in head else value, decimal=True))
        else:
            merged.append(number)
    return merged


def _comma_between(first: NumberMatch, second: NumberMatch, text: str) -> bool:
    """Return True for "0" "," "75": a whole number, a comma, then digits, nothing between."""
    return (
        second.start == first.end + 1
        and text[first.end] == ","
        and first.value.is_Integer
        and not (first.fraction or first.decimal or first.percent)
        and second.text[:1].isdigit()
        and not second.fraction
    )


def _joined(whole: NumberMatch, part: NumberMatch, text: str) -> NumberMatch:
    found = re.match(r"\d+", part.text)
    assert found is not None
    digits = found.group(0)
    value = abs(int(whole.value)) + sympy.Rational(int(digits), 10 ** len(digits))
    value = sympy.Rational(value / 100) if part.percent else sympy.Rational(value)
    negative = whole.value < 0 or whole.text.startswith("-")
    return replace(
        whole,
        end=part.end,
        text=text[whole.start : part.end],
        value=-value if negative else value,
        decimal=True,
        percent=part.percent,
        coefficient=part.coefficient,
    )


def _variable_letter(text: str, letter: str) -> bool:
    """Return True if the reply uses ``letter`` as a variable: "2m = 6", "m + 3"."""
    # Standing alone, not glued to a number: "900m - 100m" is about metres.
    alone = rf"(?<![^\W_]){re.escape(letter)}(?![^\W\d_])"
    return re.search(rf"{alone}\s*[=+\-*/^)]|[=+\-*/^(]\s*{alone}", text) is not None


def _units_not_coefficients(numbers: list[NumberMatch], text: str) -> list[NumberMatch]:
    variables: dict[str, bool] = {}
    result = []
    for number in numbers:
        glued = text[number.end : number.end + 1]
        if number.coefficient and glued in UNIT_LETTERS:
            if glued not in variables:
                variables[glued] = _variable_letter(text, glued)
            if not variables[glued]:
                number = replace(number, coefficient=False)
        result.append(number)
    return result


# "5 below zero", "5 degrees below zero", "5 °C below zero", "5 grados bajo cero".
_BELOW_ZERO: Final = re.compile(
    r"(?:[ \t]*+(?:°[ \t]?[cf]?|(?:degrees?|grados?|degres?|grad)"
    r"(?:[ \t]+(?:celsius|fahrenheit|c|f))?))?"
    r"[ \t]++(?:below[ \t]+(?:zero|0)|bajo[ \t]+cero|sous[ \t]+zero|unter[ \t]+null|"
    r"abaixo[ \t]+de[ \t]+zero|sotto[ \t]+zero)(?![\w])"
)


def _signed_and_percent(number: NumberMatch, text: str, folded: str, language: str) -> NumberMatch:
    sign, percent, _ = _word_patterns(language)
    before = folded[max(0, number.start - 16) : number.start]
    found = sign.search(before)
    if found and number.value > 0 and not number.text.startswith("+"):
        start = number.start - (len(before) - found.start())
        # "7 minus 4" subtracts: a sign word after a number is an operator.
        if not re.search(r"[\d)]\s*$", folded[max(0, start - 16) : start]):
            number = replace(
                number, start=start, text=text[start : number.end], value=-number.value
            )
    below = _BELOW_ZERO.match(folded, number.end)
    if below and number.value > 0:  # "5 below zero", "5 degrees below zero": -5
        return replace(
            number, end=below.end(), text=text[number.start : below.end()], value=-number.value
        )
    after = percent.match(folded, number.end)
    if after and not number.percent:
        number = replace(
            number,
            end=after.end(),
            text=text[number.start : after.end()],
            value=sympy.Rational(number.value / 100),
            percent=True,
        )
    return number


_GROUP_LEAD: Final = re.compile(r"[-+]?[$€£]?\d{1,3}")
_GROUP_GAP: Final = re.compile("[ \u00a0\u202f]")
_SPACES: Final = re.compile(r"[ \t]+")


def _spaced_thousands(numbers: list[NumberMatch], text: str) -> list[NumberMatch]:
    """Read "1 000 000" and "12 500" (thousands set apart by spaces) as one number."""

    def joins(top: NumberMatch, number: NumberMatch) -> bool:
        return (
            re.fullmatch(r"\d{3}", number.text) is not None
            and bool(_GROUP_LEAD.fullmatch(top.text) or re.fullmatch(r".*\d \d{3}", top.text))
            and top.value.is_Integer
            and not (top.percent or top.coefficient)
        )

    def value(top: NumberMatch, number: NumberMatch) -> sympy.Expr:
        return top.value * 1000 + (-1 if top.value < 0 else 1) * number.value

    return _join_neighbours(numbers, text, _GROUP_GAP, joins, value, fraction=False)


def _clock_times(numbers: list[NumberMatch], text: str) -> list[NumberMatch]:
    """Read "8:50" as one time (in hours), not as the numbers 8 and 50."""
    result: list[NumberMatch] = []
    for number in numbers:
        previous = result[-1] if result else None
        if (
            previous is not None
            and _CLOCK.fullmatch(text, previous.start, number.end)
            and previous.value.is_Integer
            and number.value.is_Integer
        ):
            value = sympy.Rational(previous.value) + sympy.Rational(number.value, 60)
            result[-1] = replace(
                previous,
                end=number.end,
                text=text[previous.start : number.end],
                value=value,
                decimal=False,
                fraction=False,
            )
            continue
        result.append(number)
    return result


def reply_numbers(text: str, language: str = "en") -> list[NumberMatch]:
    """List the numbers in cleaned ``text``, as a learner meant them, in order."""
    digits = _spaced_thousands(find_numbers(text), text)
    digits = _clock_times(_decimal_commas(digits, text, language), text)
    digits = scientific_numbers(digits, text)
    digits = _units_not_coefficients(digits, text)
    folded = fold(text)
    digits = [_signed_and_percent(n, text, folded, language) for n in digits]
    # "30 por ciento" is 30 percent, not the word "ciento"; "7 twelfths" is one fraction.
    words = [
        w
        for w in find_number_words(text, language)
        if not any(n.start <= w.start and w.end <= n.end for n in digits)
    ]
    kept = [n for n in digits if not any(w.start < n.end and n.start < w.end for w in words)]
    merged = _scaled(sorted(kept + words, key=lambda n: n.start), text, language)
    return _chances(_spoken_fractions(_mixed_in_words(merged, text), text), text)


def _scaled(numbers: list[NumberMatch], text: str, language: str) -> list[NumberMatch]:
    """Join digits and the scale word after them into one number: "2.5 million", "3 dozen"."""
    scales = vocab(language).kinds

    def joins(top: NumberMatch, number: NumberMatch) -> bool:
        return (
            scales.get(fold(number.text), ("", 0))[0] == "mul"
            and any(ch.isdigit() for ch in top.text)
            and not (top.percent or top.fraction or top.coefficient)
        )

    return _join_neighbours(
        numbers, text, _SPACES, joins, lambda top, number: top.value * number.value, fraction=False
    )


# "2 and a half", "1 y medio": a whole number, "and", then a fraction below one.
_AND: Final = re.compile(r"[ \t]+(?:and|y|et|und|e)[ \t]+", re.IGNORECASE)
# "7 over 12", "seven over twelve", "7 divided by 12": one fraction, said as it is read out.
_OVER: Final = re.compile(r"[ \t]+(over|divided[ \t]+by)[ \t]+", re.IGNORECASE)


def _mixed_in_words(numbers: list[NumberMatch], text: str) -> list[NumberMatch]:
    """Join a whole number and a fraction in words after "and" into one mixed number."""

    def joins(top: NumberMatch, number: NumberMatch) -> bool:
        return _whole(top) and top.value >= 0 and number.fraction and 0 < number.value < 1

    return _join_neighbours(
        numbers, text, _AND, joins, lambda top, number: top.value + number.value
    )


def _spoken_fractions(numbers: list[NumberMatch], text: str) -> list[NumberMatch]:
    """Join two whole numbers with "over" or "divided by" between them into one fraction."""

    def joins(top: NumberMatch, number: NumberMatch) -> bool:
        return _whole(top) and _whole(number) and number.value != 0

    return _join_neighbours(
        numbers, text, _OVER, joins, lambda top, number: top.value / number.value
    )


# "1 in 6", "one out of six", "1 sur 6", "3 de cada 8": a chance or a share, said as a
# part of a whole.
_PART_OF: Final = re.compile(
    r"[ \t]+(?:out[ \t]+of|in|sur|su|von|de(?:[ \t]+cada)?|en|em)[ \t]+", re.IGNORECASE
)
# After "1 in 6", a word other than these makes "in" a place or a time ("2 in 3 hours").
_CHANCE_WORDS: Final = frozenset(
    "chance chances odds probability times tries throws rolls posibilidades probabilidad "
    "veces fois chances mal volte vezes".split()
)


def _chances(numbers: list[NumberMatch], text: str) -> list[NumberMatch]:
    """Join a part and a whole with "in" or "out of" between them into one fraction."""

    def joins(top: NumberMatch, number: NumberMatch) -> bool:
        if not (_whole(top) and _whole(number) and 0 <= top.value <= number.value != 0):
            return False
        if re.match(r"[ \t]+(?:out|de[ \t]+cada)", text[top.end : number.start], re.IGNORECASE):
            return True  # "3 out of 4 students": a share of something
        after = re.match(r"[ \t]*([^\W\d_]+)", text[number.end : number.end + 24])
        return after is None or after.group(1).casefold() in _CHANCE_WORDS

    return _join_neighbours(
        numbers, text, _PART_OF, joins, lambda top, number: top.value / number.value
    )


def _join_neighbours(
    numbers: list[NumberMatch],
    text: str,
    gap: re.Pattern[str],
    joins: Callable[[NumberMatch, NumberMatch], bool],
    value: Callable[[NumberMatch, NumberMatch], sympy.Expr],
    *,
    fraction: bool = True,
) -> list[NumberMatch]:
    """Join each two neighbours that ``joins`` accepts, with ``gap`` between, into one
    number (a fraction unless ``fraction`` is off)."""
    joined: list[NumberMatch] = []
    for number in numbers:
        top = joined[-1] if joined else None
        if top is not None and joins(top, number) and gap.fullmatch(text[top.end : number.start]):
            joined[-1] = replace(
                top,
                end=number.end,
                text=text[top.start : number.end],
                value=sympy.Rational(value(top, number)),
                fraction=fraction or top.fraction,
            )
        else:
            joined.append(number)
    return joined


def _whole(number: NumberMatch) -> bool:
    """A whole number written plainly: no fraction, decimal point, percent or variable."""
    return number.value.is_Integer and not (
        number.fraction or number.decimal or number.percent or number.coefficient
    )


def unit_after(text: str, number: NumberMatch, language: str = "en") -> str | None:
    """Return the unit written right after ``number`` ("eggs", "min"), or None."""
    match = re.match(r"[ \t]?([^\W\d_]{1,20})(?![^\W\d_])", text[number.end : number.end + 24])
    if match is None:
        return None
    word = fold(match.group(1))
    return None if word in _word_patterns(language)[2] else word


def _unit_name(word: str) -> str:
    """One name for every way of writing a unit: "mins", "minutes" and "min" are "min"."""
    for form in (word, word.rstrip("s")):
        named = _CURRENCIES.get(form) or canonical_unit(form)
        if named is not None:
            return named
    return word.rstrip("s")


def same_unit(first: str, second: str) -> bool:
    """Return True if two unit words name the same unit ("min" and "minutes")."""
    a, b = _unit_name(first), _unit_name(second)
    return a == b or (min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)))
