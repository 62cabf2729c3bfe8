"""Ratios written with a colon ("3:1", "2 : 5"), read as one value, never as their last term.

Numeric grading reads "1:4" as the ratio 1:4: it is neither 4 nor 1/4. An answer key that
is a ratio ("3:1") takes the equivalent ratios ("6:2", "3 : 1", "3 to 1") and nothing else
(not "3", not "1"), and in such a key's replies "3:10" is a ratio, not ten past three. Outside a
ratio key, a time stays a time ("8:50"). Ratios of two terms only: "2:3:5" keeps its
numbers.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final

import sympy

from bot.learning.answer_text import NumberMatch

__all__ = ["is_ratio_answer", "ratios_in"]

_COLON: Final = re.compile(r":| : ")
# In a ratio key's replies, "3 to 1" (or "3 a 1", "3 zu 1") is the ratio 3:1 too.
_SAID: Final = re.compile(r":| : | (?:to|a|à|zu) ", re.IGNORECASE)
_CLOCK_TEXT: Final = re.compile(r"(\d{1,2}):([0-5]\d)")


def _term(number: NumberMatch) -> bool:
    """A number that can be a ratio's term: plain, not negative, not a percent or fraction."""
    return (
        number.value >= 0
        and not (number.percent or number.fraction or number.coefficient or number.ratio)
        and bool(re.fullmatch(r"\d+(?:[.,]\d+)?|[^\W\d_]+", number.text))
    )


def _as_ratio(number: NumberMatch, text: str) -> NumberMatch:
    """A time as read ("3:10", ten past three) read back as the ratio it is written as."""
    clock = _CLOCK_TEXT.fullmatch(text, number.start, number.end)
    if clock is None or int(clock.group(2)) == 0:
        return number
    value = sympy.Rational(int(clock.group(1)), int(clock.group(2)))
    return replace(number, value=value, ratio=True, decimal=False, fraction=False)


def ratios_in(numbers: list[NumberMatch], text: str, *, clocks: bool) -> list[NumberMatch]:
    """Join each "a:b" in ``numbers`` (read from ``text``) into one ratio valued a/b.

    With ``clocks`` (a ratio key's replies), what was read as a time ("3:10") is a ratio
    too, and so is "3 to 1". A third term ("2:3:5") leaves the numbers as they were.
    """
    gap = _SAID if clocks else _COLON
    if clocks:
        numbers = [_as_ratio(n, text) for n in numbers]
    joined: list[NumberMatch] = []
    for number in numbers:
        top = joined[-1] if joined else None
        if (
            top is not None
            and _term(top)
            and _term(number)
            and number.value != 0
            and gap.fullmatch(text, top.end, number.start)
            and not text[number.end : number.end + 2].startswith(":")
            and not text[max(0, top.start - 1) : top.start].endswith(":")
        ):
            joined[-1] = replace(
                top,
                end=number.end,
                text=text[top.start : number.end],
                value=sympy.Rational(top.value / number.value),
                ratio=True,
                decimal=False,
            )
        else:
            joined.append(number)
    return joined


def is_ratio_answer(numbers: list[NumberMatch], text: str) -> bool:
    """Whether an answer written as ``text`` (its numbers as read) states a ratio.

    "3:1" and "3:1 (boys to girls)" do; "3:10" does alone, but "10:30 am" and "2:30 hours"
    are times.
    """
    joined = ratios_in(numbers, text, clocks=False)
    if joined and joined[-1].ratio:
        return True
    last = ratios_in(numbers, text, clocks=True)[-1:]
    return bool(last) and last[0].ratio and not re.search(r"[^\W_]", text[last[0].end :])
