"""Numbers in scientific notation: "6.02e23", "6.02 × 10^23", "1.6x10^-19", "10^5".

`find_numbers` reads "6.02 × 10^23" as two numbers, 6.02 and 10 (the exponent, after a
"^", is none), and "6.02e23" as a number glued to a letter. Each such notation is read
here as one number with its value, in place of those pieces, so that a chemistry or
physics answer is graded by its value.
"""

from __future__ import annotations

import re
from typing import Final

import sympy

from bot.learning.answer_text import NumberMatch

__all__ = ["scientific_numbers"]

MAX_EXPONENT: Final = 400  # far beyond any quantity; keeps the exact value small to build
_EXPONENT: Final = (
    r"[ \t]*(?:\^|\*\*)[ \t]*(?P<open>\()?[ \t]*(?P<exp>[+-]?\d{1,3})(?(open)[ \t]*\))"
)
_NOTATIONS: Final = (
    # "6.02 × 10^23", "1.6x10^-19", "3 * 10**8": a mantissa times a power of ten
    re.compile(
        r"(?<![\w.])(?P<sign>[-+])?(?P<mantissa>\d+(?:\.\d+)?)[ \t]*(?:[x×*·⋅]|times)[ \t]*10"
        + _EXPONENT,
        re.IGNORECASE,
    ),
    # "6.02e23", "1E-5": digits, an e, a signed exponent, standing alone
    re.compile(
        r"(?<![\w.])(?P<sign>[-+])?(?P<mantissa>\d+(?:\.\d+)?)[eE](?P<exp>[+-]?\d{1,3})(?![\w.])"
    ),
    # "10^5" alone: a power of ten
    re.compile(r"(?<![\w.^])(?P<sign>)(?P<mantissa>)10" + _EXPONENT),
)


def scientific_numbers(numbers: list[NumberMatch], text: str) -> list[NumberMatch]:
    """Put each number in scientific notation in place of the pieces it was read as."""
    found: list[NumberMatch] = []
    for notation in _NOTATIONS:
        for match in notation.finditer(text):
            if any(f.start < match.end() and match.start() < f.end for f in found):
                continue  # "10^23" inside "6.02 × 10^23", read already
            number = _number(match)
            if number is not None:
                found.append(number)
    if not found:
        return numbers
    kept = [n for n in numbers if not any(f.start < n.end and n.start < f.end for f in found)]
    return sorted(kept + found, key=lambda n: n.start)


def _number(match: re.Match[str]) -> NumberMatch | None:
    exponent = int(match["exp"])
    if abs(exponent) > MAX_EXPONENT:
        return None
    mantissa = match["mantissa"] or "1"
    value = sympy.Rational(mantissa) * sympy.Integer(10) ** exponent
    return NumberMatch(
        start=match.start(),
        end=match.end(),
        text=match.group(0),
        value=sympy.Rational(-value if match["sign"] == "-" else value),
        significant=len(mantissa.replace(".", "").lstrip("0")),
    )
