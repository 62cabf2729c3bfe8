"""A right answer that shows its working: a judge may weigh the working, never the verdict.

Offline, a right answer is praised and followed by the why-question. With a judge, a right
answer that shows more than itself (other numbers, or words beyond the answer: "I made
both twelfths, 4/12 + 3/12 = 7/12") has its working judged against the problem and the
reference solution. The checker's verdict stands either way, and so does the evidence for
mastery; only the next question changes: working a trusted judge finds unsound gets a
question about the step that slips, in place of the why-question.
"""

from __future__ import annotations

import re
from collections import Counter

from bot.content.rendering import RenderedExercise
from bot.dialogue import moves
from bot.dialogue.judgements import Judgements, ReasoningAsk, ReasoningJudgement
from bot.dialogue.replies import mostly_answer

__all__ = ["judged_working", "praise_move", "shows_working"]

WORKING_CHARS = 2_000  # what of a long message goes to the judge
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def shows_working(text: str, candidate: str | None) -> bool:
    """Tell whether a message holds more than its answer: other numbers, or words."""
    if candidate is None:
        return False
    extra = Counter(_NUMBER.findall(text)) - Counter(_NUMBER.findall(candidate))
    return bool(extra) or not mostly_answer(text, candidate)


def judged_working(
    exercise: RenderedExercise, text: str, candidate: str | None, judgements: Judgements
) -> ReasoningJudgement | None:
    """A trusted judgement of the working shown with a right answer; None offline or bare."""
    # A question still pending may change the whole reading: nothing is asked on top of it.
    if not judgements.active or judgements.missing or not shows_working(text, candidate):
        return None
    working = text.strip()[:WORKING_CHARS]
    ask = ReasoningAsk(exercise.prompt, exercise.hints[-1], working, exercise.key)
    return judgements.reasoning(ask)


def praise_move(
    after_hints: bool,
    attempt: int,
    question: str,
    accent: str | None,
    working: ReasoningJudgement | None,
    powers: bool = False,
) -> moves.Move:
    """Praise a right answer; unsound working gets a look at its step instead of why."""
    step = " ".join(working.step.split()) if working is not None else ""
    if working is not None and not working.sound and step:
        return moves.CheckStep(after_hints=after_hints, attempt=attempt, step=step)
    sound = working is not None and working.sound
    return moves.Praise(after_hints, attempt, question, accent=accent, working=sound, powers=powers)
