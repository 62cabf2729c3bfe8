"""The unit written after a number, when it is a known unit: "km/h", "m/s", "mph", "kg".

Grading uses it to notice the right number in another unit ("50 mph" for 50 km/h, "28 cm²"
for 28 m²): a different quantity, not the answer. Only units on this list are compared; any
other word after a number ("50 cars", "50 km of road") is left alone, and so is a unit a reply
leaves out. A unit is read as a numerator and an optional denominator ("km per hour",
"m/s"), each in canonical form.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Final

__all__ = ["Unit", "canonical_unit", "converted", "other_unit", "read_unit", "unit_of"]

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
# Each canonical unit's size in its family's base unit (metre, second, gram, litre).
_SIZES: Final[dict[str, tuple[str, Fraction]]] = {
    unit: (family, Fraction(size))
    for family, sizes in {
        "length": {
            "mm": "1/1000",
            "cm": "1/100",
            "m": "1",
            "km": "1000",
            "mile": "1609.344",
            "ft": "0.3048",
        },
        "time": {"ms": "1/1000", "s": "1", "min": "60", "h": "3600", "day": "86400"},
        "mass": {"mg": "1/1000", "g": "1", "kg": "1000", "lb": "453.59237"},
        "volume": {"ml": "1/1000", "l": "1"},
    }.items()
    for unit, size in sizes.items()
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
_POWER: Final = r"(?:\^?[23]|²|³)"
_PHRASE: Final = re.compile(
    rf"[ \t]?(?:(?P<prefix>square|sq\.?|cubic|cu\.?)[ \t]+|(?P<degree>°[ \t]?|degrees?[ \t]+))?"
    rf"(?P<top>[^\W\d_²³]{{1,20}})(?P<top_power>{_POWER})?(?:[ \t]+(?P<suffix>squared|cubed))?"
    rf"(?:[ \t]*(?:/|per|an?|every)[ \t]*(?P<bottom>[^\W\d_²³]{{1,12}})(?P<power>{_POWER})?)?"
    rf"(?![^\W\d_])",
    re.IGNORECASE,
)
# Temperatures: the full word, or a letter after a degree mark ("-5 °C", "5 degrees F").
_TEMPERATURES: Final = {"celsius": "°C", "centigrade": "°C", "fahrenheit": "°F", "kelvin": "K"}
_DEGREE_LETTERS: Final = {"c": "°C", "f": "°F"}
_SQUARE: Final = frozenset({"square", "sq", "sq.", "squared", "2", "^2", "²"})
_CUBE: Final = frozenset({"cubic", "cu", "cu.", "cubed", "3", "^3", "³"})


def _powered(unit: str, *marks: str | None) -> str:
    """The canonical unit with the power its marks give it: "m" and "square" make "m²"."""
    for mark in (m.casefold() for m in marks if m):
        if mark in _SQUARE:
            return unit + "²"
        if mark in _CUBE:
            return unit + "³"
    return unit


def canonical_unit(word: str) -> str | None:
    """The canonical name of a known unit word ("metres" is "m"), or None."""
    return _CANONICAL.get(word.casefold())


def unit_of(text: str, end: int) -> Unit | None:
    """Read the known unit written right after position ``end`` (a number's end), or None."""
    read = read_unit(text, end)
    return read[0] if read is not None else None


def read_unit(text: str, end: int) -> tuple[Unit, int] | None:
    """Read the known unit right after position ``end``, and where its words end.

    Areas and volumes carry their power: "m²", "m2", "m^2", "sq m" and "square metres" are
    all "m²"; "m/s²" is ("m", "s²"). Temperatures: "°C", "degrees Celsius", "kelvin".
    """
    match = _PHRASE.match(text, end, min(len(text), end + 60))
    if match is None:
        return None
    top = match["top"].casefold()
    bottom = (match["bottom"] or "").casefold()
    temperature = _TEMPERATURES.get(top.removesuffix("s")) or (
        _DEGREE_LETTERS.get(top) if match["degree"] else None
    )
    if temperature is not None:
        return (temperature, None), match.end("top")
    marks = (match["prefix"], match["top_power"], match["suffix"])
    if top in _CANONICAL and bottom in _CANONICAL:
        said = (_powered(_CANONICAL[top], *marks), _powered(_CANONICAL[bottom], match["power"]))
        return said, match.end()
    if top in _SPEEDS and not bottom and not any(marks):
        return _SPEEDS[top], match.end("top")
    if top in _CANONICAL:
        ends = match.end("suffix") if match["suffix"] else match.end("top_power")
        return (_powered(_CANONICAL[top], *marks), None), max(ends, match.end("top"))
    return None


def other_unit(said: Unit | None, meant: Unit | None) -> bool:
    """Tell whether a reply's unit names another quantity than the key's.

    Both must be known. A unit the reply leaves half out ("50 km" for 50 km/h) is no
    other unit, and "m" is also minutes where the key is in minutes ("5m" for 5 minutes).
    """
    if said is None or meant is None:
        return False
    if said[1] is not None and meant[1] is not None and not _same(said[1], meant[1]):
        return True
    return not _same(said[0], meant[0])


def _same(said: str, meant: str) -> bool:
    """Tell whether two canonical units name the same unit ("m" may be minutes).

    A power left out is half the unit left out: "m" for "m²" is no other unit, while
    "cm²" and "m³" are.
    """
    if said == meant or (said == "m" and meant == "min"):
        return True
    return meant[-1:] in ("²", "³") and said == meant[:-1]


def converted(value: Fraction, said: Unit, meant: Unit) -> Fraction | None:
    """``value`` in the unit ``said``, expressed in the unit ``meant``; None when the two
    measure different things ("1500 m" is 1.5 in km; "5 kg" is nothing in km)."""
    factor = Fraction(1)
    for mine, theirs, sign in ((said[0], meant[0], 1), (said[1], meant[1], -1)):
        if (mine is None) != (theirs is None):
            return None
        if mine is None or theirs is None:
            continue
        ratio = _ratio(mine, theirs)
        if ratio is None:
            return None
        factor *= ratio if sign == 1 else 1 / ratio
    return value * factor


def _ratio(said: str, meant: str) -> Fraction | None:
    """How many of ``meant`` one ``said`` is, powers included ("m²" against "cm²")."""
    power = {"²": 2, "³": 3}.get(said[-1:], 1)
    if power != {"²": 2, "³": 3}.get(meant[-1:], 1):
        return None
    base_said, base_meant = (said[:-1], meant[:-1]) if power > 1 else (said, meant)
    mine, theirs = _SIZES.get(base_said), _SIZES.get(base_meant)
    if mine is None or theirs is None or mine[0] != theirs[0]:
        return None
    return (mine[1] / theirs[1]) ** power
