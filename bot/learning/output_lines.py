"""Program output in a reply: on lines of its own, or said in one sentence.

An exercise that asks what a program prints has an answer of several lines. A reply may
give them as lines ("4" then "1"), or say them in one line with words that join them in
order ("it prints 4 and then 1", "4; 1"). Only such joining words and semicolons join:
a space or a comma alone might be the program's own one-line output ("4 1", "4, 1"),
which is the point of some exercises, so a line of output never reads as two.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

__all__ = ["ends_with_lines", "lines_in_order", "lines_said_in_one", "on_one_line"]

# Words that say "and next" between printed lines, in the course languages.
_JOINERS = (
    "and then|and|then|followed by|next|after that|"
    "y luego|y después|y|luego|después|et puis|et ensuite|et|puis|ensuite|"
    "und dann|und|dann|e depois|e então|e poi|e|depois|poi|quindi"
)
# Each joining word on its own, so that a run of them ("and then and then ...") can be read
# one way only: with the phrases as alternatives, a long run that leads nowhere took the
# regex time exponential in its length.
_WORDS = "|".join(sorted({w for j in _JOINERS.split("|") for w in j.split()}, key=len)[::-1])
# Spaces are taken whole (possessive), so a long run of them is never split two ways either.
_SEPARATOR = rf"(?:\s*+[,;]?\s*+(?:(?:{_WORDS})\s++)+|\s*+;\s*+)"
_BEFORE = r"(?<![^\s,;:(\"'])"  # a line of output starts a word...
_AFTER = r"(?![^\s,;.!?)\"'])"  # ...and ends one: "1" is not read inside "1/2" or "1.5"
_TAIL = re.compile(r"[\s.!?)\"']*")


def ends_with_lines(lines: Sequence[str], expected: Sequence[str]) -> bool:
    """Compare program output line by line: the reply's last lines end with the answer's."""
    if len(lines) < len(expected):
        return False
    tail = lines[-len(expected) :]
    if list(tail[1:]) != list(expected[1:]) or not tail[0].endswith(expected[0]):
        return False
    prefix = tail[0][: len(tail[0]) - len(expected[0])]
    return not (prefix and prefix[-1].isalnum() and expected[0][0].isalnum())


@lru_cache(maxsize=256)
def _said(expected: tuple[str, ...]) -> re.Pattern[str]:
    body = _SEPARATOR.join(re.escape(line) for line in expected)
    return re.compile(_BEFORE + body + _AFTER)


def lines_said_in_one(text: str, expected: Sequence[str]) -> tuple[int, int] | None:
    """Where a one-line reply says the expected lines in order, joined by words; else None.

    ``text`` and ``expected`` are normalised alike (casefolded, spaces collapsed). The
    lines must come once, nothing but punctuation may follow them, and no digit may come
    before them (a reply with more output than the answer is not this answer).
    """
    if len(expected) < 2 or "\n" in text:
        return None
    found = list(_said(tuple(expected)).finditer(text))
    if len(found) != 1:
        return None
    match = found[0]
    if any(ch.isdigit() for ch in text[: match.start()]):
        return None
    if not _TAIL.fullmatch(text[match.end() :]):
        return None
    return match.start(), match.end()


# Between lines named in order: a space, a comma or a semicolon, and any joining words.
_GAP = rf"(?:\s*+[,;:]\s*+|\s++)(?:(?:{_WORDS})\s++)*"


@lru_cache(maxsize=256)
def _in_order(expected: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(_BEFORE + _GAP.join(re.escape(line) for line in expected) + _AFTER)


def lines_in_order(text: str, expected: Sequence[str]) -> str | None:
    """The first place ``text`` names every expected line in order, one after the other.

    Wider than `lines_said_in_one`: "4, 2", "4 2" and "gets 4 and 2 are left" all name the
    lines 4 and 2, which is what the answer-leak check must see; whether a reply *answers*
    with them is the grader's question. Normalised alike, as there.
    """
    if len(expected) < 2:
        return None
    match = _in_order(tuple(expected)).search(text)
    return match.group(0) if match else None


# Words that may go around output given on one line: "it prints 2 3 4", "I think 2, 3, 4".
_LEAD_WORDS = frozenset(
    "i think it prints print printed outputs output gives shows would will so the is are "
    "answer get got then".split()
)


def on_one_line(text: str, expected: Sequence[str]) -> bool:
    """Tell whether a one-line reply gives exactly the expected lines, laid out on one line.

    "2 3 4" or "it prints 2, 3, 4" for the lines 2, 3 and 4: the values are there, the
    layout is not (a space or a comma may be the program's own output, so this is no right
    answer; see the module docstring). ``text`` and ``expected`` are normalised alike.
    """
    if len(expected) < 2 or "\n" in text.strip():
        return False
    named = lines_in_order(text, expected)
    if named is None:
        return False
    before, _, after = text.partition(named)
    if any(ch.isdigit() for ch in before + after) or not _TAIL.fullmatch(after):
        return False
    return set(re.findall(r"[^\W\d_]+", before)) <= _LEAD_WORDS
