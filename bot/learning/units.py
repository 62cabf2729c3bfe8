"""The unit written after a number, when it is a known unit: "km/h", "m/s", "mph", "kg".

Grading uses it to notice the right number in another unit ("50 mph" for 50 km/h): a
different quantity, not the answer. Only units on this list are compared; any other word
after a number ("50 cars", "50 km of road") is left alone, and so is a unit a reply
leaves out. A unit is read as a numerator and an optional denominator ("km per hour",
"m/s"), each in canonical form.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["Unit", "canonical_unit", "other_unit", "read_unit", "unit_of"]

Unit = tuple[str, str | None]  # canonical numerator, canonical denominator or None

_NAMES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "length": {
        "mm": ("mm", "millimetre", "millimetres", "millimeter", "millimeters"),
        "cm": ("cm", "centimetre", "centimetres", "centimeter", "centimeters"),
        "m": ("m", "metre", "metres", "meter", "meters"),
        "km": ("km", "kms", "kilometre", "kilometres", "kilometer", "kilometers"),
        "mile": ("mi", "mile", "miles"),
        "ft": ("ft", "foot", "feet"),
    },
    "time": {
        "ms": ("ms", "millisecond", "milliseconds"),
        "s": ("s", "sec", "secs", "second", "seconds"),
        "min": ("min", "mins", "minute", "minutes"),
        "h": ("h", "hr", "hrs", "hour", "hours"),
        "day": ("day", "days"),
    },
    "mass": {
        "mg": ("mg", "milligram", "milligrams"),
        "g": ("g", "gram", "grams"),
        "kg": ("kg", "kilo", "kilos", "kilogram", "kilograms"),
        "lb": ("lb", "lbs"),  # "pounds" is as often money: left out
    },
    "volume": {
        "ml": ("ml", "millilitre", "millilitres", "milliliter", "milliliters"),
        "l": ("l", "litre", "litres", "liter", "liters"),
    },
}
_CANONICAL: Final = {
    name.casefold(): canonical
    for family in _NAMES.values()
    for canonical, names in family.items()
    for name in names
}
# Speeds written as one word.
_SPEEDS: Final[dict[str, Unit]] = {
    "mph": ("mile", "h"),
    "kph": ("km", "h"),
    "kmh": ("km", "h"),
    "kmph": ("km", "h"),
    "mps": ("m", "s"),
}
_PHRASE: Final = re.compile(
    r"[ \t]?(?P<top>[^\W\d_]{1,20})(?:[ \t]*(?:/|per|an?|every)[ \t]*(?P<bottom>[^\W\d_]{1,12}))?"
    r"(?P<power>\^?[23]|²|³)?(?![^\W\d_])",
    re.IGNORECASE,
)


def canonical_unit(word: str) -> str | None:
    """The canonical name of a known unit word ("metres" is "m"), or None."""
    return _CANONICAL.get(word.casefold())


def unit_of(text: str, end: int) -> Unit | None:
    """Read the known unit written right after position ``end`` (a number's end), or None."""
    read = read_unit(text, end)
    return read[0] if read is not None else None


def read_unit(text: str, end: int) -> tuple[Unit, int] | None:
    """Read the known unit right after position ``end``, and where its words end."""
    match = _PHRASE.match(text, end, min(len(text), end + 40))
    if match is None or match["power"]:
        return None  # "m²" and "cm3" are other quantities, left to the exact checkers
    top = match["top"].casefold()
    bottom = (match["bottom"] or "").casefold()
    if top in _CANONICAL and bottom in _CANONICAL:
        return (_CANONICAL[top], _CANONICAL[bottom]), match.end()
    if top in _SPEEDS and not bottom:
        return _SPEEDS[top], match.end("top")
    if top in _CANONICAL:
        return (_CANONICAL[top], None), match.end("top")
    return None


def other_unit(said: Unit | None, meant: Unit | None) -> bool:
    """Tell whether a reply's unit names another quantity than the key's.

    Both must be known. A unit the reply leaves half out ("50 km" for 50 km/h) is no
    other unit, and "m" is also minutes where the key is in minutes ("5m" for 5 minutes).
    """
    if said is None or meant is None:
        return False
    if said[1] is not None and meant[1] is not None and said[1] != meant[1]:
        return True
    return not _same(said[0], meant[0])


def _same(said: str, meant: str) -> bool:
    """Tell whether two canonical units name the same unit ("m" may be minutes)."""
    return said == meant or (said == "m" and meant == "min")
