"""The shapes judging calls must return; anything else is a schema mismatch."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict

__all__ = [
    "ACTS",
    "ActReading",
    "Diagnosis",
    "EndpointCheck",
    "ExplanationJudgement",
    "ProposedCheck",
    "ProposedCriteria",
    "ReasoningCheck",
    "Reframed",
]

# The dialogue acts of bot.dialogue.intents, plus a reply to the tutor's own question and
# a command; "empty" never needs a model.
Act = Literal[
    "answer",
    "reply",
    "question",
    "answer_request",
    "dont_know",
    "feeling",
    "chitchat",
    "command",
]
ACTS: tuple[str, ...] = get_args(Act)


class _Result(BaseModel):
    """A model's answer: no extra keys, every field present."""

    model_config = ConfigDict(extra="forbid")


def _unit_interval(value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise ValueError("confidence is between 0 and 1")
    return value


# Checked here, not in the JSON schema: not every server takes "minimum" and "maximum".
Confidence = Annotated[float, AfterValidator(_unit_interval)]


class ActReading(_Result):
    """What a learner's message is, and the answer inside it if it offers one."""

    act: Act
    candidate: str | None
    confidence: Confidence


class ExplanationJudgement(_Result):
    """A free-text explanation judged against the exercise's criteria."""

    criteria_met: list[int]
    vague: bool
    correct: bool
    missing: str
    confidence: Confidence


class Diagnosis(_Result):
    """The likely misconception behind a wrong answer, and where it went wrong."""

    misconception: str
    step: str
    confidence: Confidence


class ReasoningCheck(_Result):
    """The working shown with a right answer: is the method sound, and where it slips."""

    sound: bool
    step: str
    confidence: Confidence


class Reframed(_Result):
    """A problem re-told in another context."""

    text: str


class ProposedCheck(_Result):
    """One criterion a specific answer meets, in the coach's plain words, and its probe."""

    criterion: str
    probe: str


class ProposedCriteria(_Result):
    """What a specific answer to a coach's question contains."""

    criteria: list[ProposedCheck]


class EndpointCheck(_Result):
    """The answer to the endpoint check."""

    ok: bool
    echo: str
