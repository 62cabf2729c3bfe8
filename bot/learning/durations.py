"""A duration read in the answer's unit: "2 hours 30 minutes" and "150 min" are 2.5 hours.

Only where the answer key names a unit of time ("2.5 hours", "150 min"): then "2 h 30",
"2 hours and 30 minutes", "an hour and 35 minutes", "half an hour", "1 hour and a half",
"1 min 30 s", "1:35" (hours and minutes, or minutes and seconds where the key is in
seconds) and a number in another unit of time are one number in the key's unit. Other
replies and other keys are left as they are.
"""

from __future__ import annotations

import re
from typing import Final

import sympy

from bot.learning.answer_text import NumberMatch

__all__ = ["durations_in"]

# Seconds in each unit, by the words and letters that name it.
_SECONDS: Final = {
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1),
}
_UNIT: Final = r"(?:hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)"
# "an hour and 35 minutes", "one minute 30": one of the bigger unit, said in a word.
_ONE: Final = r"an?|one|un|une|una|uno|ein|eine|um|uma"
# "2 hours 30 minutes", "2h30", "2 h and 30 min", "1 min 30 s": a bigger unit, then a smaller.
_COMPOUND: Final = re.compile(
    rf"(?<![\w.])(?P<big>\d{{1,6}}|{_ONE})[ \t]*(?P<big_unit>{_UNIT})"
    rf"(?:[ \t]*,)?[ \t]*(?:and[ \t]+)?(?P<small>\d{{1,2}})"
    rf"(?:[ \t]*(?P<small_unit>{_UNIT}))?(?![\w])",
    re.IGNORECASE,
)
# "half an hour", "an hour and a half", "1 hour and a half": halves of a unit of time.
_HALF: Final = re.compile(
    rf"(?<![\w.])(?:half[ \t]+an?[ \t]+(?P<half>hour|minute)"
    rf"|(?P<whole>\d{{1,6}}|{_ONE})[ \t]+(?P<unit>hours?|minutes?)[ \t]+and[ \t]+a[ \t]+half)"
    rf"(?![\w])",
    re.IGNORECASE,
)
# "1:35" where the key is in minutes is 1 h 35 min; in seconds, 1 min 35 s.
_CLOCK: Final = re.compile(
    r"(?<![\w.:])(?P<big>\d{1,2}):(?P<small>[0-5]\d)(?![\w:]|\.\d|[ \t]*[ap]\.?m\b)",
    re.IGNORECASE,
)
# "150 minutes" where the key is in hours: one number in another unit of time ("m" alone
# is left out: it is as often metres).
_SINGLE: Final = re.compile(
    r"(?<![\w.])(?P<n>\d{1,9}(?:\.\d{1,6})?)[ \t]*"
    r"(?P<unit>hours?|hrs?|h|minutes?|mins?|seconds?|secs?|s)(?![\w])",
    re.IGNORECASE,
)
_SMALLER: Final = {3600: 60, 60: 1}  # the unit a bare second number is in ("2h30")


def durations_in(numbers: list[NumberMatch], text: str, unit: str | None) -> list[NumberMatch]:
    """Put each two-unit duration in ``text`` in place of its numbers, valued in ``unit``."""
    if (unit or "").lower() == "m":
        return numbers  # as often metres ("28 m²"): "28 m2" is no 28 minutes and 2 seconds
    into = _SECONDS.get((unit or "").lower())
    if into is None:
        return numbers
    found = []
    for match in _COMPOUND.finditer(text):
        big = _SECONDS[match["big_unit"].lower()]
        small = _SECONDS[match["small_unit"].lower()] if match["small_unit"] else _SMALLER.get(big)
        if small is None or small >= big:
            continue
        seconds = _count(match["big"]) * big + int(match["small"]) * small
        found.append(
            NumberMatch(
                start=match.start(),
                end=match.end(),
                text=match.group(0),
                value=sympy.Rational(seconds, into),
            )
        )
    for match in _HALF.finditer(text):
        unit = match["half"] or match["unit"]
        whole = _count(match["whole"]) if match["whole"] else 0
        seconds = (2 * whole + 1) * _SECONDS[unit.lower()]
        found.append(_duration(match, sympy.Rational(seconds, 2 * into)))
    if into < 3600:  # in hours, "2:30" is already read as 2.5
        big = 3600 if into == 60 else 60
        for match in _CLOCK.finditer(text):
            seconds = int(match["big"]) * big + int(match["small"]) * big // 60
            found.append(_duration(match, sympy.Rational(seconds, into)))
    found = [f for i, f in enumerate(found) if not any(_overlap(f, g) for g in found[:i])]
    for match in _SINGLE.finditer(text):
        seconds_per = _SECONDS[match["unit"].lower()]
        if seconds_per == into or any(
            f.start < match.end() and match.start() < f.end for f in found
        ):
            continue
        value = sympy.Rational(match["n"]) * seconds_per / into
        found.append(NumberMatch(match.start(), match.end(), match.group(0), sympy.Rational(value)))
    if not found:
        return numbers
    kept = [n for n in numbers if not any(f.start < n.end and n.start < f.end for f in found)]
    return sorted(kept + found, key=lambda n: n.start)


def _count(said: str) -> int:
    """A number of units as said: digits, or "an" and "one" for one."""
    return int(said) if said.isdigit() else 1


def _duration(match: re.Match[str], value: sympy.Rational) -> NumberMatch:
    return NumberMatch(match.start(), match.end(), match.group(0), value)


def _overlap(first: NumberMatch, second: NumberMatch) -> bool:
    return first.start < second.end and second.start < first.end
