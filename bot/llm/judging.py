"""Judging calls the engine uses when the offline reading is unsure: read, judge, diagnose,
weigh a right answer's working, re-frame, summarise. Each returns None on any failure: the
engine takes the offline path."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.llm.budget import usage_scope
from bot.llm.calls import CallFailure
from bot.llm.client import ModelClient
from bot.llm.conversation import Exchange, conversation_block
from bot.llm.numbers import same_numbers
from bot.llm.prompts import render
from bot.llm.schemas import (
    ActReading,
    Diagnosis,
    EndpointCheck,
    ExplanationJudgement,
    ProposedCriteria,
    ReasoningCheck,
    Reframed,
)

if TYPE_CHECKING:
    from bot.learning.grading import AnswerKey

__all__ = ["ModelJudge", "ProblemReframer", "check_endpoint"]

SUMMARY_MAX_TOKENS = 300
SUMMARY_MAX_CHARS = 1_200
FOLLOWUP_MAX_CHARS = 800
MAX_PROPOSED = 4


class ModelJudge:
    """The judging calls, each with its own prompt, schema and checks on what comes back."""

    def __init__(self, client: ModelClient) -> None:
        self.client = client

    async def read_act(
        self, text: str, *, problem: str, asked: str | None = None
    ) -> ActReading | None:
        """Classify a message the offline reading is unsure of into a dialogue act."""
        prompt = render("read", problem=problem, asked=asked or "(none)", learner=text)
        result = await self.client.structured("read", prompt, ActReading, max_tokens=120)
        return None if isinstance(result, CallFailure) else result

    async def judge_explanation(
        self,
        text: str,
        *,
        question: str,
        criteria: Sequence[str],
        reference: str = "",
        turns: Sequence[Exchange] = (),
        summary: str = "",
    ) -> ExplanationJudgement | None:
        """Judge a why-step, a reflection or the learner's reasoning against the criteria."""
        numbered = "\n".join(f"{i}. {c}" for i, c in enumerate(criteria, 1)) or "(none)"
        prompt = render(
            "judge",
            question=question,
            reference=reference or "(none)",
            criteria=numbered,
            conversation=conversation_block(turns, summary),
            learner=text,
        )
        result = await self.client.structured("judge", prompt, ExplanationJudgement)
        if isinstance(result, CallFailure):
            return None
        if any(not 1 <= n <= len(criteria) for n in result.criteria_met):
            self.client.turned_down("judge")
            return None
        return result

    async def diagnose(
        self, *, problem: str, reference: str, wrong_answer: str, key: AnswerKey | None = None
    ) -> Diagnosis | None:
        """Name the likely misconception behind a wrong answer and the step it went wrong at.

        With ``key``, a diagnosis that would give the answer away is dropped, so it can
        feed a wording prompt while the answer is secret.
        """
        prompt = render("diagnose", problem=problem, reference=reference, learner=wrong_answer)
        result = await self.client.structured("diagnose", prompt, Diagnosis)
        if isinstance(result, CallFailure):
            return None
        # imported here: the leak check loads sympy, which a process may not need otherwise
        from bot.learning.answer_leak import reveals_answer

        if key is not None and any(
            reveals_answer(key, field, public_texts=(problem, wrong_answer))
            for field in (result.misconception, result.step)
        ):
            self.client.turned_down("diagnose")
            return None
        return result

    async def judge_reasoning(
        self, working: str, *, problem: str, reference: str
    ) -> ReasoningCheck | None:
        """Judge the working a learner showed with a right answer: sound, or where it slips."""
        prompt = render("reasoning", problem=problem, reference=reference, learner=working)
        result = await self.client.structured("reasoning", prompt, ReasoningCheck)
        return None if isinstance(result, CallFailure) else result

    async def reframe(self, problem: str, interest: str) -> str | None:
        """Re-tell a problem in the learner's interest; None unless every number is kept."""
        prompt = render("reframe", problem=problem, interest=interest)
        result = await self.client.structured("reframe", prompt, Reframed)
        if isinstance(result, CallFailure):
            return None
        text = result.text.strip()
        if not text or not same_numbers(problem, text):
            self.client.turned_down("reframe")
            return None
        return text

    async def summarise_for_learner(
        self, turns: Sequence[Exchange], *, problem: str, summary: str = ""
    ) -> str | None:
        """Summarise a finished reflection dialogue for the learner, in their words."""
        return await self._summary("summarise_learner", turns, problem, summary)

    async def summarise_for_coach(
        self, turns: Sequence[Exchange], *, problem: str, summary: str = ""
    ) -> str | None:
        """Summarise a client's dialogue for their coach: short and factual."""
        return await self._summary("summarise_coach", turns, problem, summary)

    async def draft_followup(self, work: str) -> str | None:
        """Draft a coach's follow-up message from the client's recent work (never sent as is)."""
        prompt = render("followup", work=work)
        result = await self.client.text("followup", prompt, max_tokens=SUMMARY_MAX_TOKENS)
        if isinstance(result, CallFailure):
            return None
        text = result.strip()
        if not text or len(text) > FOLLOWUP_MAX_CHARS:
            self.client.turned_down("followup")
            return None
        return text

    async def propose_criteria(self, question: str) -> list[tuple[str, str]] | None:
        """Propose what a specific answer to a coach's question contains, with probes."""
        prompt = render("propose", question=question)
        result = await self.client.structured("propose", prompt, ProposedCriteria)
        if isinstance(result, CallFailure):
            return None
        found = [(c.criterion.strip(), c.probe.strip()) for c in result.criteria]
        return [(c, p) for c, p in found if c][:MAX_PROPOSED] or None

    async def _summary(
        self, name: str, turns: Sequence[Exchange], problem: str, summary: str
    ) -> str | None:
        prompt = render(name, problem=problem, conversation=conversation_block(turns, summary))
        result = await self.client.text("summarise", prompt, max_tokens=SUMMARY_MAX_TOKENS)
        if isinstance(result, CallFailure):
            return None
        text = result.strip()
        if len(text) > SUMMARY_MAX_CHARS:
            self.client.turned_down("summarise")
            return None
        return text


class ProblemReframer:
    """Re-tell problems for the tutor, each call counted against the learner's token caps."""

    def __init__(self, judge: ModelJudge) -> None:
        self.judge = judge

    async def reframe(
        self, problem: str, interest: str, *, user_id: int, course_id: str
    ) -> str | None:
        """Return the problem re-told in ``interest``, or None to keep the original."""
        with usage_scope(user_id, course_id):
            return await self.judge.reframe(problem, interest)


async def check_endpoint(client: ModelClient, token: str = "socratic") -> bool:
    """Tell whether the endpoint answers a structured call correctly."""
    result = await client.structured("check", render("check", token=token), EndpointCheck)
    return not isinstance(result, CallFailure) and result.ok and result.echo.strip() == token
