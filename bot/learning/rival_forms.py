"""Two text answers set against each other: rival forms of one word, not a sentence.

"hablas, hablo" offers two forms of one verb (a hedge); "hablan, not hablamos" gives one
and rules out its rival. "Paris, France" is an apposition and "it does not print 4" a
sentence: neither is a pair of rivals.
"""

from __future__ import annotations

import re
from itertools import pairwise

from bot.learning.answer_text import fold

__all__ = ["alike", "rivals"]


def alike(pieces: list[str]) -> bool:
    """Return True for rival forms ("hablas, hablo"), not an apposition ("Paris, France")."""
    words = [fold(piece).split() for piece in pieces]
    for first, second in pairwise(words):
        shared = set(first) & set(second)
        stems = any(a[:3] == b[:3] and len(a) >= 3 for a in first for b in second)
        if not (shared or stems):
            return False
    return True


def rivals(head: str, rival: str) -> bool:
    """Two answers set against each other ("1/3, not 1/2"), not a sentence ("it does not...")."""
    numbers = any(c.isdigit() for c in head) and any(c.isdigit() for c in rival)
    short = len(re.findall(r"[^\W_]+", head)) <= 3
    return numbers or (short and alike([head, rival]))
