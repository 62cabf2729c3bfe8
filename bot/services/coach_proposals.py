"""Criteria a model proposes for a coach's exercise, for the coach to keep or edit.

A step whose criteria the coach did not write (left empty, or guessed from a pasted
worksheet) is offered the model's criteria, each checked by the same parser as the coach's
own words ("a date | By when, exactly?"); what does not parse is dropped. Without a model,
or when it fails, the form is returned as it was. Nothing is saved here: the coach reviews.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Protocol

from bot.services.coach_criteria import CriteriaInputError, criterion_from_words
from bot.services.coach_exercises import ExerciseForm, StepForm

__all__ = ["CoachProposals", "CriteriaWriter", "proposed_form"]

log = logging.getLogger(__name__)

PROPOSE_SECONDS = 20.0
MAX_KEPT = 3


class CriteriaWriter(Protocol):
    """What proposes criteria with a model (`bot.llm.judging.ModelJudge`)."""

    async def propose_criteria(self, question: str) -> list[tuple[str, str]] | None:
        """Return (criterion, probe) pairs for a question, or None when it cannot."""
        ...


def usable(pairs: list[tuple[str, str]] | None) -> tuple[str, ...]:
    """The proposals the coach's own parser reads, as the coach would write them."""
    kept: list[str] = []
    for criterion, probe in pairs or []:
        line = f"{criterion} | {probe}" if probe else criterion
        try:
            criterion_from_words(line)
        except CriteriaInputError:
            continue
        kept.append(line)
    return tuple(kept[:MAX_KEPT])


async def proposed_form(
    form: ExerciseForm, writer: CriteriaWriter | None, seconds: float = PROPOSE_SECONDS
) -> ExerciseForm:
    """The form with the model's criteria on every step the coach left to be guessed."""
    open_steps = [
        i
        for i, step in enumerate(form.steps)
        if not step.checks and (not step.criteria or form.source == "worksheet")
    ]
    if writer is None or not open_steps:
        return form

    async def ask(step: StepForm) -> list[tuple[str, str]] | None:
        try:
            return await asyncio.wait_for(writer.propose_criteria(step.prompt), seconds)
        except Exception:
            log.warning("proposing criteria with the model failed; the guesses stay")
            return None

    answers = await asyncio.gather(*(ask(form.steps[i]) for i in open_steps))
    steps = list(form.steps)
    notes = [n for n in form.notes if not any(n.startswith(f"Step {i + 1}:") for i in open_steps)]
    for index, pairs in zip(open_steps, answers, strict=True):
        kept = usable(pairs)
        if not kept:
            if form.source == "worksheet":
                notes += [n for n in form.notes if n.startswith(f"Step {index + 1}:")]
            continue
        steps[index] = replace(steps[index], criteria=kept)
        shown = "; ".join(repr(line) for line in kept)
        notes.append(f"Step {index + 1}: the model proposed {shown}: keep, edit or remove them.")
    return replace(form, steps=tuple(steps), notes=tuple(sorted(notes, key=_step_number)))


def _step_number(note: str) -> int:
    """Order notes by the step they name."""
    head = note.split(":", 1)[0].removeprefix("Step ").strip()
    return int(head) if head.isdigit() else 0


class CoachProposals:
    """The desk's proposals; the `CoachDesk` serves them with this method."""

    criteria_writer: CriteriaWriter | None

    async def propose_criteria(self, form: ExerciseForm) -> ExerciseForm:
        """The form with criteria a model proposes for the steps the coach left open."""
        return await proposed_form(form, self.criteria_writer)
