"""A gap to fill in the prompt ("The students forgot ___ books."), and a reply that writes
the sentence out whole ("The students forgot their books") instead of only the filler.

Rendering finds the one gap (three or more underscores, not inside a word) and keeps the
words around it as the answer key's ``gap``: the nearest word on each side (with any
symbols between, as in "2 + ___ = 7"; words in brackets, like "(hablar)", left out), or
the whole rest of the sentence where the gap opens or closes it. Grading reads a reply
that holds those words around something as that something, so "forgot their books" is
graded as "their", and "2 + 5 = 7" for "2 + ___ = 7" as "5". A reply without them is
graded as it is.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

__all__ = ["GAP", "filled_in", "gap_of"]

GAP: Final = "___"  # how the key writes the gap between the words around it
_GAPS: Final = re.compile(r"(?<!\w)_{3,}(?!\w)")  # not "__init__", "self.__x"
_SENTENCE_END: Final = re.compile(r"(?<=[.!?:])\s+|\n|[\"“”«»]|(?<!\w)'|'(?!\w)")
# What the learner does not write back: "(hablar)", "(their / there / they're)".
_ASIDE: Final = re.compile(r"\s*\([^()]*\)")
SIDE_TOKENS: Final = 2
MAX_FILL_CHARS: Final = 60


def gap_of(prompt: str) -> str | None:
    """The words around the prompt's one gap, written with ``GAP`` for it; None without one."""
    gaps = list(_GAPS.finditer(prompt))
    if len(gaps) != 1:
        return None
    gap = gaps[0]
    before = _ASIDE.sub("", _SENTENCE_END.split(prompt[: gap.start()])[-1])
    after = _ASIDE.sub("", _SENTENCE_END.split(prompt[gap.end() :])[0]).rstrip(" .!?,;:")
    left, right = before.split(), after.split()
    if not left and not right:
        return None
    if left and right:
        left, right = _nearest(left[::-1])[::-1], _nearest(right)
    # A gap at an edge of its sentence keeps the whole of the other side: "___ is the
    # capital" must not read "it is Paris" as the filler "it".
    return " ".join((*left, GAP, *right))


def _nearest(tokens: list[str]) -> list[str]:
    """The tokens next to the gap, up to the first with a letter or digit (at most two)."""
    for count, token in enumerate(tokens[:SIDE_TOKENS], start=1):
        if any(ch.isalnum() for ch in token):
            return tokens[:count]
    return tokens[:SIDE_TOKENS]


@lru_cache(maxsize=256)
def _patterns(gap: str) -> tuple[re.Pattern[str], ...]:
    """How a reply may write the gap out: with the words on both sides, or (for a filler of
    one word) with the words on one side where the reply ends or starts ("Hablo español"
    for "Yo ___ español": the subject left out)."""
    left, sep, right = gap.partition(GAP)
    if not sep:
        return ()
    before = r"\s*".join(re.escape(w) for w in left.split())
    after = r"\s*".join(re.escape(w) for w in right.split())
    fill, word = r"(?P<fill>\S(?:.*?\S)?)", r"(?P<fill>[^\W_][\w'-]*)"
    start = rf"(?<![^\W_]){before}\s*" if before else r"^\W*"
    end = rf"\s*{after}(?![^\W_])" if after else r"\W*$"
    found = [start + fill + end]
    if before and after:
        found += [rf"^\W*{word}{end}", rf"{start}{word}\W*$"]
    return tuple(re.compile(p, re.IGNORECASE | re.DOTALL) for p in found)


def filled_in(gap: str, reply: str) -> str | None:
    """What a reply puts in the gap when it writes out the words around it, else None."""
    found = next(filter(None, (p.search(reply) for p in _patterns(gap))), None)
    if found is None:
        return None
    fill = found["fill"].strip(" \"'“”«»")
    if not fill or len(fill) > MAX_FILL_CHARS or fill == reply.strip():
        return None
    return fill
