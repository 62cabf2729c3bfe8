"""The numbers in a text, as a multiset: a re-framed problem must keep exactly the original's."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

__all__ = ["numbers_in", "same_numbers"]

# Digits with optional thousands separators or a decimal part ("1,000", "2.5", "2,5").
_NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")


def _value(token: str) -> Decimal | None:
    """Read one number, with either decimal mark and optional thousands separators."""
    if "," in token and "." in token:
        # The mark that comes last is the decimal one: "1,000.5" and "1.000,5".
        if token.rindex(",") > token.rindex("."):
            token = token.replace(".", "").replace(",", ".")
        else:
            token = token.replace(",", "")
    elif token.count(",") > 1 or _THOUSANDS.fullmatch(token):
        token = token.replace(",", "")
    elif "," in token:
        token = token.replace(",", ".")  # a decimal comma: "2,5"
    elif token.count(".") > 1:
        token = token.replace(".", "")  # "1.000.000"
    try:
        return Decimal(token).normalize()
    except InvalidOperation:
        return None


def numbers_in(text: str) -> Counter[Decimal]:
    """Return every number written in digits in ``text``, each as often as it appears.

    A fraction counts as its two numbers ("3/4" is 3 and 4); "2x" counts its 2; signs are
    not read, since a hyphen in prose ("a 10-minute walk") is no minus sign.
    """
    found: Counter[Decimal] = Counter()
    for match in _NUMBER.finditer(text):
        value = _value(match.group(0))
        if value is not None:
            found[value] += 1
    return found


def same_numbers(original: str, reframed: str) -> bool:
    """Tell whether ``reframed`` holds exactly the numbers of ``original``, as a multiset."""
    return numbers_in(original) == numbers_in(reframed)
