"""Ways a learner (or a careless tutor) may write one answer: digits, words, percents, units.

Generated from the value alone, not from what the grader happens to read, so a test can
keep the forms the grader accepts and ask the answer-leak guard about each of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

_SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINALS = {
    2: "half",
    3: "third",
    4: "quarter",
    5: "fifth",
    6: "sixth",
    7: "seventh",
    8: "eighth",
    9: "ninth",
    10: "tenth",
    12: "twelfth",
    100: "hundredth",
}


def english(n: int) -> str:
    """Spell a whole number below a million in English words."""
    if n < 0:
        return "minus " + english(-n)
    if n < 20:
        return _SMALL[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return _TENS[tens - 2] + (f"-{_SMALL[unit]}" if unit else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_SMALL[hundreds]} hundred" + (f" and {english(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    return f"{english(thousands)} thousand" + (f" {english(rest)}" if rest else "")


def english_fraction(value: Fraction) -> str | None:
    """Spell a proper fraction with a small denominator: "seven twelfths", "a half"."""
    if value.denominator not in _ORDINALS or not 0 < abs(value) < 1:
        return None
    count = abs(value.numerator)
    word = _ORDINALS[value.denominator]
    if count > 1:
        word = "halves" if word == "half" else word + "s"
    sign = "minus " if value < 0 else ""
    return f"{sign}{'a' if count == 1 else english(count)} {word}"


def _decimal(value: Fraction) -> str | None:
    """Write a value with a terminating decimal expansion as a decimal, else None."""
    den = value.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den != 1:
        return None
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return text if Fraction(text) == value else None


def numeric_forms(value: Fraction, unit: str | None = None) -> Iterator[str]:
    """Yield the written forms of ``value``; the caller keeps the ones the grader accepts."""
    whole = value.denominator == 1
    plain = str(value.numerator) if whole else f"{value.numerator}/{value.denominator}"
    yield plain
    if not whole:
        yield f"{2 * value.numerator}/{2 * value.denominator}"
        yield f"{value.numerator} / {value.denominator}"
        if abs(value) > 1:
            count, rest = divmod(abs(value.numerator), value.denominator)
            sign = "-" if value < 0 else ""
            yield f"{sign}{count} {rest}/{value.denominator}"
    decimal = _decimal(value)
    if decimal is not None and not whole:
        yield decimal
        yield decimal.replace(".", ",")
        yield decimal.replace("0.", ".", 1) if decimal.startswith("0.") else decimal
    percent = _decimal(value * 100)
    if percent is not None:
        yield f"{percent}%"
        yield f"{percent} percent"
        yield f"{percent} per cent"
    if whole:
        yield f"{value.numerator}%"
        yield f"{value.numerator} percent"
        if 0 <= value.numerator < 1_000_000:
            yield english(value.numerator)
            yield f"{english(value.numerator)} percent"
        if value < 0:
            yield f"minus {-value.numerator}"
            yield f"negative {english(-value.numerator)}"
        if value > 0:
            yield f"${value.numerator}"
            yield f"{value.numerator:,}"
    spelled = english_fraction(value)
    if spelled is not None:
        yield spelled
    if unit is not None:
        yield f"{plain}{unit}"
        yield f"{plain} {unit}"
        if whole and value >= 0:
            yield f"{english(value.numerator)} {unit}"
