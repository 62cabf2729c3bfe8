"""An amount of money said in two units: "16 dollars 25 cents" and "$16 and 25c" are 16.25.

Read in every numeric reply: the whole units (a currency word after the number, or its
symbol before it), an optional "and", then up to two digits of cents or pence (named, or
two digits ending the phrase after a currency word: "16 dollars 25"). The amount takes
the place of its numbers, so the 25 is not read as the answer.
"""

from __future__ import annotations

import re
from typing import Final

import sympy

from bot.learning.answer_text import NumberMatch

__all__ = ["amounts_in"]

_WHOLE: Final = r"(?:dollars?|bucks|euros?|pounds?|quid|dólares|dolares|libras|francs?|reais)"
_PART: Final = r"(?:cents?|pence|p|c|ct|céntimos?|centimos?|centimes?|centavos?)"
_AND: Final = r"(?:[ \t]*,)?[ \t]*(?:(?:and|y|et|und|e)[ \t]+)?"
_AMOUNT: Final = re.compile(
    rf"(?<![\w.,])(?:(?P<symbol>[$€£])[ \t]?)?(?P<whole>\d{{1,9}})"
    rf"(?:[ \t]*(?P<word>{_WHOLE}))?{_AND}(?P<part>\d{{1,2}})(?:[ \t]*(?P<unit>{_PART}))?"
    rf"(?![\w,]|\.\d)",
    re.IGNORECASE,
)


def amounts_in(numbers: list[NumberMatch], text: str) -> list[NumberMatch]:
    """Put each two-unit amount of money in ``text`` in place of its numbers."""
    found = []
    for match in _AMOUNT.finditer(text):
        named = match["word"] is not None
        if not (named or match["symbol"]) or not (named or match["unit"]):
            continue  # "$16 25" or "16 25 cents" say no amount in two units
        if match["unit"] is None and (
            len(match["part"]) != 2 or re.match(r"[ \t]*[^\W\d_]", text[match.end() :])
        ):
            continue  # "16 dollars 25" is an amount; "20 dollars 3 times" is not
        value = sympy.Rational(int(match["whole"])) + sympy.Rational(int(match["part"]), 100)
        found.append(NumberMatch(match.start(), match.end(), match.group(0), value, decimal=True))
    if not found:
        return numbers
    kept = [n for n in numbers if not any(f.start < n.end and n.start < f.end for f in found)]
    return sorted(kept + found, key=lambda n: n.start)
