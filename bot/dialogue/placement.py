"""A placement item: answered once, without hints or a verdict that gives the answer away.

With a judge, a reply the offline reading is unsure of (see `second_reading.unsure`) is
read by it, as in practice: a question, a request or small talk gets the placement help,
"don't know" is noted as such, and an answer the judge finds in the message is graded by
the checker, never by the judge.
"""

from __future__ import annotations

from dataclasses import replace

from bot.content.rendering import RenderedExercise
from bot.dialogue import moves
from bot.dialogue.intents import Intent, classify
from bot.dialogue.judgements import NO_JUDGE, Judgements, ReadAsk
from bot.dialogue.second_reading import candidate_stands, unsure
from bot.dialogue.state import DialogueState, Step, Verdict
from bot.learning.grading import Grade, Grader, grade_answer

__all__ = ["placement_answer"]

# Acts a judge may read that are not an attempt at the item: how placement works, again.
_HELP_ACTS = {"question", "answer_request", "feeling", "chitchat", "command"}


def placement_answer(
    exercise: RenderedExercise,
    state: DialogueState,
    text: str,
    grader: Grader = grade_answer,
    judgements: Judgements = NO_JUDGE,
) -> Step:
    """Grade a placement item once, without hints or a verdict that gives the answer away."""
    intent: Intent | str = classify(text) if text else "hint"
    grade = grader(exercise.key, text) if intent == "answer" else None
    if grade is not None and judgements.active and unsure(text, grade):
        intent, grade = _judged(exercise, text, grade, grader, judgements)
    if intent not in {"answer", "dont_know", "empty"}:
        # "what?", "hint" or "ugh" is not a wrong answer: say how placement works.
        return Step(state, moves.PlacementHelp())
    correct = grade is not None and grade.correct and not grade.hedged
    closed = replace(state, stage="closed", outcome="solved" if correct else "closed", attempts=1)
    verdict: Verdict | None = None
    if grade is not None:
        verdict = "unchecked" if grade.unchecked else "correct" if correct else "wrong"
    return Step(closed, moves.PlacementNoted(correct), answered=True, closed=True, verdict=verdict)


def skipped(state: DialogueState) -> Step:
    """A placement item the learner skipped: closed as not known, the check goes on."""
    closed = replace(state, stage="closed", outcome="skipped")
    return Step(closed, moves.PlacementNoted(False, skipped=True), answered=True, closed=True)


def _judged(
    exercise: RenderedExercise, text: str, grade: Grade, grader: Grader, judgements: Judgements
) -> tuple[str, Grade | None]:
    """Read an unsure reply through the judge: its act, and the grade placement keeps.

    The answer the judge finds is graded only where the checker read none (or gave up),
    and only if it stands in the message as an answer; otherwise the offline reading
    (an answer, graded as it is) stands.
    """
    reading = judgements.read(ReadAsk(text, exercise.prompt))
    if reading is None:
        return "answer", grade
    if reading.act in _HELP_ACTS:
        return "question", None
    if reading.act == "dont_know":
        return "dont_know", None
    if (
        reading.act == "answer"
        and reading.candidate
        and (grade.unchecked or grade.candidate is None)
        and candidate_stands(text, reading.candidate, exercise.key.language)
    ):
        found = grader(exercise.key, reading.candidate)
        if not found.unchecked and found.candidate is not None:
            return "answer", found
    return "answer", grade
