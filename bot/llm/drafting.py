"""The model's proposals for one worksheet question being imported as a draft exercise.

For a reflection: criteria in the course format's own checks, each with a label and a
probe. For a problem: a nudge and a specific hint, and likely wrong answers with the
question that targets each. The shapes are loose on purpose (a `check` is any text): the
content models judge what is kept (`bot.services.worksheet_drafting`), not this schema.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from bot.llm.calls import CallFailure
from bot.llm.client import ModelClient
from bot.llm.prompts import render

__all__ = [
    "DRAFT_MAX_TOKENS",
    "DraftCriterion",
    "DraftHints",
    "DraftMisconception",
    "DraftProposal",
    "ModelDrafter",
]

# Three criteria or two hints and three misconceptions, in JSON, fit well within this.
DRAFT_MAX_TOKENS = 900


class _Result(BaseModel):
    """A model's answer: no extra keys, every field present."""

    model_config = ConfigDict(extra="forbid")


class DraftCriterion(_Result):
    """One criterion of a reflection, as the course format names its check."""

    check: str
    label: str
    probe: str
    min: int | None
    words: list[str]


class DraftHints(_Result):
    """The first two rungs of a problem's hint ladder (the worked step stays authored)."""

    nudge: str
    specific: str


class DraftMisconception(_Result):
    """A likely wrong answer to a problem, and the question that targets it."""

    wrong_answer: str
    question: str


class DraftProposal(_Result):
    """What the model proposes for one question; the part for the other kind is empty."""

    criteria: list[DraftCriterion]
    hints: DraftHints
    misconceptions: list[DraftMisconception]


class ModelDrafter:
    """Asks the model for one question's proposal; counts a proposal the caller turns down."""

    def __init__(self, client: ModelClient) -> None:
        self.client = client

    async def propose(
        self, kind: Literal["reflection", "problem"], question: str, answer: str
    ) -> DraftProposal | None:
        """Return the model's proposal for a question, or None when the call failed."""
        prompt = render("draft", kind=kind, question=question, answer=answer or "(none)")
        result = await self.client.structured(
            "draft", prompt, DraftProposal, max_tokens=DRAFT_MAX_TOKENS
        )
        return None if isinstance(result, CallFailure) else result

    def turned_down(self) -> None:
        """Count a proposal the content checks refused."""
        self.client.turned_down("draft")
