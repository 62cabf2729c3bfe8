"""What the words around a number say about its role in a reply (``reply_reading``).

A number after an operation is an operand ("divide by 4"), after a change the size of it
("goes up by 3"), a day before its year part of a date ("September 2, 1945"); a negative
question may still propose ("isn't it 7/12?").
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["CHANGE_BY", "NEGATIVE_QUESTION", "OPERAND_BEFORE", "YEAR_AFTER"]

# "goes up by 3", "increased by 5", "sube en 3": the number is how much something changed.
CHANGE_BY: Final = re.compile(
    r"\b(?:up|down|increas\w*|decreas\w*|ris\w*|rose|grow\w*|grew|fall\w*|fell|drop\w*|"
    r"chang\w*|shrink\w*|shrank|went|goes|sube|baja|aumenta\w*|disminu\w*|augment\w*|"
    r"diminu\w*|steigt|sinkt)\s+(?:by|en|de|um)\s*$"
)
YEAR_AFTER: Final = re.compile(r"(?:st|nd|rd|th)?\.?,?\s*\d{4}(?!\d)")
# "is it not 7/12?", "isn't it 7/12?", "wouldn't it be the nucleus": a question that
# proposes, with or without its question mark.
NEGATIVE_QUESTION: Final = re.compile(
    r"\s*(?:so\s+|then\s+)?(?:is|was|would|could|should|isn'?t|wasn'?t|wouldn'?t|couldn'?t|"
    r"shouldn'?t)\s+(?:it|that|the\s+answer)\s+(?:not\s+)?(?:be\s+)?(?:(?:the|an?)\s+)?"
)
# An operation told, right before its number: "divide both sides by 4", "subtract 5",
# "by 4" or "so times 4" said alone (but "3 times 4" is a product, read as it is).
OPERAND_BEFORE: Final = re.compile(
    r"(?:\b(?:divid\w*|multipl\w*)(?:\s+[^\W\d_]+){0,3}\s+by|"
    r"\b(?:subtract\w*|add|adding|take\s+away|took\s+away|taking\s+away)|"
    r"(?:^|\b(?:so|ok|okay|then|and|just|it's|its)\s+)(?:times|by))\s*$"
)
