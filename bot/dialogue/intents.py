"""Recognise what a learner's message is, beyond an answer."""

from __future__ import annotations

import re
from typing import Literal

Intent = Literal["empty", "dont_know", "answer_request", "answer"]

_DONT_KNOW = re.compile(
    r"^\W*(i\s*(really\s*)?(do\s*n[o']?t|dunno|have\s*no)\s*(know|idea|clue)?|idk|dunno|no\s*idea|"
    r"not\s*sure|no\s*clue|\?+|i'?m\s*(stuck|lost|confused)|"
    r"i\s*give\s*up|don'?t\s*know|no\s*se|keine\s*ahnung|je\s*ne\s*sais\s*pas)\W*$",
    re.IGNORECASE,
)
_ANSWER_REQUEST = re.compile(
    r"(tell|give|show|send|reveal|say|print|type|spell|write|whisper)\s+(me\s+|us\s+)?"
    r"(the\s+|your\s+)?(final\s+|correct\s+|right\s+|real\s+)?(answer|solution|result)"
    r"|what'?s\s+the\s+(final\s+|correct\s+|right\s+)?(answer|solution)"
    r"|what\s+is\s+the\s+(final\s+|correct\s+|right\s+)?(answer|solution)"
    r"|(ignore|forget|disregard|override)\s+(all\s+|your\s+|the\s+|previous\s+|prior\s+)*"
    r"(instructions|rules|prompt|guidelines)"
    r"|(you\s+are|act\s+as|pretend|role-?play|you're)\s+(now\s+)?(a|an|my)?\s*"
    r"(calculator|teacher\s+mode|developer|dan|answer\s+key|grandma|solver)"
    r"|answer\s+key|just\s+the\s+answer|system\s+prompt|developer\s+mode",
    re.IGNORECASE,
)


def classify(text: str) -> Intent:
    """Classify a learner message: empty, don't know, a request for the answer, or an answer."""
    stripped = text.strip()
    if not stripped or (not any(ch.isalnum() for ch in stripped) and "?" not in stripped):
        return "empty"
    if _DONT_KNOW.match(stripped):
        return "dont_know"
    if _ANSWER_REQUEST.search(stripped):
        return "answer_request"
    return "answer"
