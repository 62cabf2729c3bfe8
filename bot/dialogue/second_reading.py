"""When the offline reading of a message is unsure, and what a judge's reading may change.

The offline reading is the first reader. It is unsure of a message it read as an answer
when the checker found no answer in it, gave up on it, or found a wrong one in a message
that ends with a question mark (a question in words the intents do not know). Only then
may a judge read the message (see `bot.dialogue.judgements`).

An answer the judge finds is graded only where the checker read none or gave up (an
answer the checker read and graded stands), and only if it is written in the message and
stands there as an answer in the offline reading's own terms: not negated ("not 7/12"),
not inside a reason or an open question, not a label ("step 3"). So a judge cannot turn
"it's definitely not 7/12" into 7/12, and the checker, never the judge, says whether an
answer is right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.learning.answer_key import Grade
from bot.learning.answer_text import fold
from bot.learning.reply_reading import Reading

__all__ = ["candidate_stands", "unsure"]


def unsure(text: str, grade: Grade) -> bool:
    """Tell whether the offline reading of an answer-like message is unsure."""
    if grade.correct or grade.hedged:
        return False
    if grade.unchecked or grade.candidate is None:
        return True
    return text.rstrip().endswith("?")


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


def candidate_stands(text: str, candidate: str, language: str = "en") -> bool:
    """Tell whether ``candidate`` is written in ``text`` and stands there as an answer."""
    words = fold(candidate).split()
    if not words:
        return False
    reading = Reading(text, language)
    body = r"\s+".join(re.escape(word) for word in words)
    # whole, as written: "7" is not found inside "17" or "7/12"
    lead = r"(?<![\w/.,])" if words[0][0].isalnum() else ""
    tail = r"(?![\w/]|[.,]\d)" if words[-1][-1].isalnum() else ""
    pattern = re.compile(lead + body + tail)
    spans = [_Span(match.start(), match.end()) for match in pattern.finditer(reading.folded)]
    return bool(reading.eligible(spans))
