"""Fake models for the judged turn: one never sure of a judgement, one that judges as told."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tests.fakes.fake_openai import Behaviour, FaithfulModel, ReceivedRequest, Reply

# A judge that answers every question, but never sure enough for the engine to use it.
UNSURE: dict[str, Any] = {
    "read": {"act": "answer", "candidate": None, "confidence": 0.1},
    "judge": {
        "criteria_met": [],
        "vague": True,
        "correct": False,
        "missing": "",
        "confidence": 0.1,
    },
    "diagnose": {"misconception": "unclear", "step": "unclear", "confidence": 0.1},
    "reasoning": {"sound": False, "step": "unclear", "confidence": 0.1},
}
_LEARNER_LINE = re.compile(r"^Learner: (.*)$", re.MULTILINE)


def echoed_summary(request: ReceivedRequest) -> str:
    """A learner summary that repeats the learner's own lines, as bullet points."""
    said = _LEARNER_LINE.findall(request.block("conversation") or "")
    return "\n".join(f"- {line}" for line in said)


class JudgingModel(FaithfulModel):
    """Words every move as its draft; answers judging calls from ``answers`` (by call kind),
    and summarises a reflection with the learner's own lines."""

    def __init__(self, answers: Mapping[str, Any] | None = None) -> None:
        super().__init__(answers if answers is not None else UNSURE)

    def __call__(self, request: ReceivedRequest) -> Behaviour:
        """Answer one request."""
        if request.kind == "summarise" and "summarise" not in self.answers:
            return Reply(echoed_summary(request))
        return super().__call__(request)
