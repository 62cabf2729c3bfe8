"""The seam between coach assignments and the tutor: an exercise flow that also runs steps.

A coach's step is worked in an ordinary dialogue (course `COACHING_COURSE`, purpose
`coaching`, the step copied in its variant), so a turn goes through the same read, decide,
word, guard and write phases and the same reflection moves as a course's reflection.
Three things differ, and this flow is where:

- the exercise comes from the dialogue's variant, not from the catalog;
- a coach's exercise is no evidence for a course skill: no attempt, mastery or review card;
- when a step ends, `assignments.after_step` records it and opens the next step or
  finishes the assignment.

The tutor builds its flow with `CoachingFlow` instead of `ExerciseFlow` (or, without
editing it, `use_coaching_flow(tutor)` swaps one in).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from bot.content.catalog import Course
from bot.content.models import Exercise
from bot.dialogue.phrases import CLOSED_NEXT
from bot.dialogue.state import DialogueState, Step
from bot.services.assignments import after_step
from bot.services.coach_exercises import (
    COACHING_COURSE,
    COACHING_PURPOSE,
    exercise_for_dialogue,
)
from bot.services.coach_reminders import ReminderPolicy
from bot.services.exercise_flow import ExerciseFlow
from bot.services.messages import Reply
from bot.store.dialogues import OpenDialogue

if TYPE_CHECKING:
    from datetime import datetime

    from bot.services.tutor import Tutor

__all__ = ["CoachingFlow", "use_coaching_flow"]

COURSE_WORDS = frozenset({"next", "progress"})  # a course's buttons: no use inside an assignment


class CoachingFlow(ExerciseFlow):
    """The exercise flow, with coach assignments' steps run beside the courses."""

    reminders: ReminderPolicy = ReminderPolicy()

    @classmethod
    def around(cls, flow: ExerciseFlow, reminders: ReminderPolicy | None = None) -> CoachingFlow:
        """A coaching flow on the same catalog, runner, clock and randomness as `flow`."""
        made = cls(flow.catalog, flow.runner, flow.clock, flow.rng, flow.threshold)
        if reminders is not None:
            made.reminders = reminders
        return made

    def exercise_of(self, dialogue: OpenDialogue) -> tuple[Course | None, Exercise | None]:
        """A coaching step comes from the dialogue itself; anything else from the catalog."""
        if dialogue.course_id == COACHING_COURSE:
            return exercise_for_dialogue(dialogue.course_id, dialogue.exercise_id, dialogue.variant)
        return super().exercise_of(dialogue)

    def record_attempt(
        self, session: Session, user_id: int, dialogue: OpenDialogue, step: Step, now: datetime
    ) -> None:
        """Record a course attempt's evidence; a coaching step leaves none."""
        if dialogue.purpose != COACHING_PURPOSE:
            super().record_attempt(session, user_id, dialogue, step, now)

    def closing(self, dialogue: OpenDialogue, reply: Reply) -> Reply:
        """A coach's step ends without pointing at a course's `next`: the assignment goes on."""
        if dialogue.purpose != COACHING_PURPOSE:
            return reply
        text = reply.text.removesuffix(CLOSED_NEXT).rstrip()
        choices = tuple(c for c in reply.choices if c.action not in COURSE_WORDS)
        return replace(reply, text=text or reply.text, choices=choices)

    def after_answer(
        self,
        session: Session,
        user_id: int,
        course: Course,
        exercise: Exercise,
        dialogue: OpenDialogue,
        state: DialogueState,
    ) -> list[Reply]:
        """Finish a step of an assignment, or record a course exercise's outcome."""
        if dialogue.purpose == COACHING_PURPOSE:
            return after_step(session, dialogue, state, self.clock(), self.reminders)
        return super().after_answer(session, user_id, course, exercise, dialogue, state)


def use_coaching_flow(tutor: Tutor, reminders: ReminderPolicy | None = None) -> CoachingFlow:
    """Give a tutor the coaching flow, in both places it keeps its flow."""
    flow = CoachingFlow.around(tutor.flow, reminders)
    tutor.flow = flow
    tutor.turns.flow = flow
    return flow
