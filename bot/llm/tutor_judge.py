"""The engine's judge on a model: the judging calls, answered in the engine's own terms.

Each question the engine asks (`bot.dialogue.judgements`) becomes one judging call; what
comes back is checked and turned into the engine's plain data, or None on any failure, so
the engine takes its offline path. Calls are counted against the learner's and the
course's token caps.
"""

from __future__ import annotations

import re

from bot.dialogue.judgements import (
    ActReading,
    DiagnoseAsk,
    Diagnosis,
    ExplainAsk,
    JudgeContext,
    ReadAsk,
    ReasoningAsk,
    ReasoningJudgement,
    SummaryAsk,
    TextJudgement,
)
from bot.llm.conversation import Exchange
from bot.llm.judging import ModelJudge
from bot.llm.numbers import numbers_in
from bot.llm.wording import counted_for

__all__ = ["TutorJudge"]

DIAGNOSIS_CHARS = 200
MAX_SUMMARY_POINTS = 6
_POINT_MARKS = ("- ", "* ", "• ")
# A number as written, a fraction whole: "3/12" is new even where 3 and 12 are not.
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?(?:\s*/\s*\d+(?:[.,]\d+)?)?")


def _numbers(text: str) -> set[str]:
    """The numbers written in ``text``, fractions whole, spaces taken out."""
    return {"".join(found.split()) for found in _NUMBER.findall(text)}


class TutorJudge:
    """The `Judge` the tutor consults, built on the model's judging calls."""

    def __init__(self, calls: ModelJudge) -> None:
        self.calls = calls

    async def read(self, ask: ReadAsk, context: JudgeContext) -> ActReading | None:
        """Read a message's dialogue act."""
        with counted_for(context.user_id, context.course_id):
            found = await self.calls.read_act(ask.text, problem=ask.problem, asked=ask.asked)
        if found is None:
            return None
        candidate = found.candidate.strip() if found.candidate else None
        return ActReading(found.act, candidate or None, found.confidence)

    async def explanation(self, ask: ExplainAsk, context: JudgeContext) -> TextJudgement | None:
        """Judge free text against the numbered criteria."""
        conversation = context.conversation
        with counted_for(context.user_id, context.course_id):
            judged = await self.calls.judge_explanation(
                ask.text,
                question=ask.question,
                criteria=ask.criteria,
                reference=ask.reference,
                turns=conversation.turns,
                summary=conversation.summary,
            )
        if judged is None:
            return None
        return TextJudgement(
            criteria_met=tuple(sorted({n - 1 for n in judged.criteria_met})),
            vague=judged.vague,
            correct=judged.correct,
            missing=judged.missing.strip()[:DIAGNOSIS_CHARS],
            confidence=judged.confidence,
        )

    async def diagnose(self, ask: DiagnoseAsk, context: JudgeContext) -> Diagnosis | None:
        """Diagnose a wrong answer; a diagnosis that would give the answer away is dropped."""
        with counted_for(context.user_id, context.course_id):
            found = await self.calls.diagnose(
                problem=ask.problem,
                reference=ask.reference,
                wrong_answer=ask.wrong_answer,
                key=ask.key,
            )
        if found is None:
            return None
        misconception = " ".join(found.misconception.split())
        step = " ".join(found.step.split())
        # imported here: the leak check loads sympy, which a process may not need otherwise
        from bot.learning.answer_leak import reveals_answer

        # The diagnosis feeds a wording prompt while the answer is secret: it may not hold
        # the answer even where the learner's own message does.
        if (
            not misconception
            or not step
            or any(
                reveals_answer(ask.key, said, public_texts=(ask.problem,))
                for said in (misconception, step)
            )
        ):
            self.calls.client.turned_down("diagnose")
            return None
        return Diagnosis(misconception[:DIAGNOSIS_CHARS], step[:DIAGNOSIS_CHARS], found.confidence)

    async def reasoning(
        self, ask: ReasoningAsk, context: JudgeContext
    ) -> ReasoningJudgement | None:
        """Judge the working shown with a right answer.

        The step found unsound is what the learner is then asked about: it is dropped if it
        names the answer or any number (a fraction as a whole) neither the learner nor the
        problem wrote (the right result of a step, say), so the question gives nothing away.
        """
        with counted_for(context.user_id, context.course_id):
            found = await self.calls.judge_reasoning(
                ask.text, problem=ask.problem, reference=ask.reference
            )
        if found is None:
            return None
        if found.sound:
            return ReasoningJudgement(True, "", found.confidence)
        step = " ".join(found.step.split())[:DIAGNOSIS_CHARS]
        # imported here: the leak check loads sympy, which a process may not need otherwise
        from bot.learning.answer_leak import reveals_answer

        written = _numbers(f"{ask.problem} {ask.text}")
        if (
            not step
            or not _numbers(step) <= written
            or reveals_answer(ask.key, step, public_texts=(ask.problem,))
        ):
            self.calls.client.turned_down("reasoning")
            return None
        return ReasoningJudgement(False, step, found.confidence)

    async def summarise(self, ask: SummaryAsk, context: JudgeContext) -> str | None:
        """Summarise a finished reflection in the learner's words.

        Only a short list of points is kept, and only if every number in it is one the
        learner wrote: a new number adds something they did not say.
        """
        turns = [Exchange("learner", said) for said in ask.said]
        with counted_for(context.user_id, context.course_id):
            summary = await self.calls.summarise_for_learner(turns, problem=ask.problem)
        if not summary:
            return None
        points = [line.strip() for line in summary.splitlines() if line.strip()]
        listed = 0 < len(points) <= MAX_SUMMARY_POINTS and all(
            point.startswith(_POINT_MARKS) for point in points
        )
        said = set(numbers_in(" ".join(ask.said)))
        if not listed or not set(numbers_in(summary)) <= said:
            self.calls.client.turned_down("summarise")
            return None
        return "\n".join(points)
