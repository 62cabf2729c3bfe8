"""A sum written out but not worked out: "3 × 4" where the answer is 12.

The numeric checker reads a reply's numbers one by one, so "3 × 4" offered the 4 alone as
the answer: right where the answer was 4, wrong where it was 12. Such a reply is neither:
it is the right computation (or a wrong one) still to be done. This module finds it and
works out its value, with +, -, × (x, *, ·) and the usual order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import sympy

__all__ = ["Unworked", "unworked_sum"]

_NUMBER: Final = r"\d+(?:\.\d+)?(?:/\d+)?"  # "3", "0.5", "3/4"
_WORDS: Final = {"plus": "+", "minus": "-", "times": "×", "multiplied by": "×"}
_OPERATOR: Final = r"(?:[ \t]*[-+×x*·][ \t]*|[ \t]+(?:plus|minus|times|multiplied[ \t]+by)[ \t]+)"
# Two or more numbers joined by + - × x * · (or the words); not followed by "=" (that has
# its result), nor part of a power ("3 x 10^5") or a longer word.
_SUM: Final = re.compile(
    rf"(?<![\w.^/]){_NUMBER}(?:{_OPERATOR}{_NUMBER})+(?![\w.^*/]|[ \t]*[=≈])", re.IGNORECASE
)
_TOKEN: Final = re.compile(rf"{_NUMBER}|[-+×x*·]|plus|minus|times|multiplied[ \t]+by", re.I)


@dataclass(frozen=True)
class Unworked:
    """A sum in a reply: where it is, as written, and its value."""

    start: int
    end: int
    text: str
    value: sympy.Rational


def unworked_sum(reply: str, start: int, end: int) -> Unworked | None:
    """The sum that the number at ``start:end`` of ``reply`` is a part of, if any."""
    for match in _SUM.finditer(reply):
        if match.start() <= start and end <= match.end():
            value = _value(match.group(0))
            if value is None:
                return None
            return Unworked(match.start(), match.end(), match.group(0).strip(), value)
    return None


def _value(text: str) -> sympy.Rational | None:
    """Work out a sum of products: numbers and + - × only, left to right."""
    tokens = [_WORDS.get(" ".join(t.lower().split()), t) for t in _TOKEN.findall(text)]
    total, term, sign = sympy.Rational(0), sympy.Rational(tokens[0]), 1
    for operator, number in zip(tokens[1::2], tokens[2::2], strict=False):
        if operator in "×x*·":
            term *= sympy.Rational(number)
        else:
            total += sign * term
            term, sign = sympy.Rational(number), (1 if operator == "+" else -1)
    return sympy.Rational(total + sign * term)
