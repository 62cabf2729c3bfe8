"""Open, continue and close exercise dialogues, and feed their outcomes to the learning model."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from bot.content.catalog import Catalog, Course
from bot.content.models import AnsweredExercise, Exercise
from bot.content.templates import Variant
from bot.dialogue.problem import LADDER_TOP
from bot.dialogue.state import DialogueState, Step
from bot.services import placement
from bot.services.account import interest_list
from bot.services.messages import Opening, Reply, choices_for
from bot.services.next_step import NextItem, choose_next_item
from bot.services.outcomes import record_attempt, record_outcome
from bot.services.practice import ExerciseRunner
from bot.store import dialogues as dialogue_store
from bot.store import users as user_store
from bot.store.dialogues import OpenDialogue
from bot.store.models import User

log = logging.getLogger(__name__)

ANSWERING_CHOICES = choices_for(("hint", "skip"))
REFLECTION_CHOICES = choices_for(("skip",))


class ExerciseFlow:
    """The life of one exercise dialogue, from its question to the evidence it leaves."""

    def __init__(
        self,
        catalog: Catalog,
        runner: ExerciseRunner,
        clock: Callable[[], datetime],
        rng: random.Random,
        threshold: float,
    ) -> None:
        self.catalog = catalog
        self.runner = runner
        self.clock = clock
        self.rng = rng
        self.threshold = threshold
        # True when a model can re-tell problems in a learner's interests (see `reframing`).
        self.reframing = False

    def next(self, session: Session, user_id: int, course_id: str | None) -> list[Reply]:
        """Open whatever comes next in the learner's active course."""
        course = self.catalog.get(course_id or "")
        if course is None:
            return []
        enrolment = user_store.enrolment_state(session, user_id, course.id)
        if enrolment is None:  # an active course with no enrolment row: enrol now
            user = session.get(User, user_id)
            assert user is not None
            user_store.enrol(session, user, course.id)
            enrolment = user_store.enrolment_state(session, user_id, course.id)
            assert enrolment is not None
        placement_done = enrolment.placement_done
        recent = dialogue_store.recent_dialogues(
            session, user_id, course.id, limit=placement.RECENT_LIMIT
        )
        lead: list[Reply] = []
        now = self.clock()
        if not placement_done and placement.next_probe(recent, course) is None:
            text = placement.finish_placement(
                session,
                user_id=user_id,
                course=course,
                enrolment_id=enrolment.id,
                recent=recent,
                now=now,
                threshold=self.threshold,
            )
            placement_done = True
            if placement.placement_results(recent):
                lead.append(Reply(text))
        item = choose_next_item(
            session,
            user_id=user_id,
            course=course,
            placement_done=placement_done,
            recent=recent,
            rng=self.rng,
            now=now,
        )
        if item is None:
            return [
                *lead,
                Reply(
                    f"You've worked through everything in {course.title} for now. "
                    "Type `progress` to see where you stand, or `review` later."
                ),
            ]
        return [*lead, self.open(session, user_id, course, item)]

    def open(self, session: Session, user_id: int, course: Course, item: NextItem) -> Reply:
        """Start a dialogue on one exercise and ask its opening question."""
        exercise = course.exercises[item.exercise_id]
        previous = dialogue_store.last_variant(session, user_id, course.id, exercise.id)
        variant = self.runner.choose_variant(exercise, self.rng, avoid=previous)
        question = self.runner.opening(course, exercise, variant)
        dialogue_id = dialogue_store.start_dialogue(
            session,
            user_id=user_id,
            course_id=course.id,
            exercise_id=exercise.id,
            variant=variant,
            purpose=item.purpose,
            now=self.clock(),
            opening=question,
        )
        text = f"{item.lead}\n{question}" if item.lead else question
        if item.purpose == "placement":
            return Reply(text)
        choices = ANSWERING_CHOICES if exercise.kind != "reflection" else REFLECTION_CHOICES
        opening = self._opening(session, user_id, course, exercise, variant, dialogue_id, question)
        return Reply(text, choices, opening=opening)

    def _opening(
        self,
        session: Session,
        user_id: int,
        course: Course,
        exercise: Exercise,
        variant: Variant,
        dialogue_id: int,
        question: str,
    ) -> Opening | None:
        """Note a problem that may be re-told, when the learner named interests."""
        if not self.reframing or not isinstance(exercise, AnsweredExercise):
            return None
        if exercise.checker == "choice":
            return None  # lettered options are read by their words: they stay as authored
        interests = interest_list(user_store.interests(session, user_id))
        if not interests:
            return None
        interest = self.rng.choice(interests)
        return Opening(dialogue_id, user_id, course.id, exercise.id, variant, question, interest)

    def resume(self, session: Session, dialogue: OpenDialogue, *, returning: bool = True) -> Reply:
        """Show an open exercise again, with the tutor's last question.

        ``returning``: the learner is coming back (a greeting) rather than asking, mid-way,
        for another exercise, a review or the course they are already in.
        """
        turns = dialogue_store.transcript(session, dialogue.id)
        tutor_turns = [t.text for t in turns if t.role == "tutor"]
        opening = tutor_turns[0] if tutor_turns else ""
        course, exercise = self.exercise_of(dialogue)
        # a learner in several cohorts (or with a coach) is told which course this is
        where = f", in {course.title}" if course is not None and course.title else ""
        lead = (
            f"Welcome back! We were working on this{where}:"
            if returning
            else f"This one is still open{where}: finish it first, or type `skip` to move on."
        )
        text = f"{lead}\n" + opening
        if len(tutor_turns) > 1:
            text += "\n\nWhere we left off: " + tutor_turns[-1]
        reflecting = exercise is not None and exercise.kind == "reflection"
        # No hint is left once the ladder is climbed, nor while the learner explains why.
        ladder_done = int(dialogue.state.get("hint_rung", 0)) >= LADDER_TOP
        if reflecting or ladder_done or dialogue.stage == "reflecting":
            return Reply(text, REFLECTION_CHOICES)
        return Reply(text, ANSWERING_CHOICES)

    def record_attempt(
        self, session: Session, user_id: int, dialogue: OpenDialogue, step: Step, now: datetime
    ) -> None:
        """Record the evidence of one written turn that the outcome will not record.

        A wrong answer that leaves the exercise open, or a placement answer; a turn that
        ends or solves the exercise is recorded by `after_answer`, so nothing counts twice.
        """
        course, exercise = self.exercise_of(dialogue)
        if course is None or exercise is None:
            return
        record_attempt(
            session,
            user_id=user_id,
            course=course,
            exercise=exercise,
            dialogue=dialogue,
            step=step,
            now=now,
            threshold=self.threshold,
        )

    def after_answer(
        self,
        session: Session,
        user_id: int,
        course: Course,
        exercise: Exercise,
        dialogue: OpenDialogue,
        state: DialogueState,
    ) -> list[Reply]:
        """Record the evidence of a finished attempt; placement moves straight on."""
        if dialogue.purpose == "placement":
            return self.next(session, user_id, dialogue.course_id)
        news = record_outcome(
            session,
            user_id=user_id,
            course=course,
            exercise=exercise,
            dialogue=dialogue,
            state=state,
            now=self.clock(),
            threshold=self.threshold,
        )
        told = news.text(course)
        return [Reply(told)] if told else []

    def closing(self, dialogue: OpenDialogue, reply: Reply) -> Reply:
        """The reply that closes a dialogue, as the learner should see it."""
        return reply

    def close(self, session: Session, dialogue: OpenDialogue, outcome: str) -> None:
        """Close a dialogue without a learner turn (course switched, content removed)."""
        state = DialogueState.from_json(dialogue.state)
        final = state.outcome if state.outcome == "solved" else outcome
        dialogue_store.close_dialogue(session, dialogue.id, final, self.clock())

    def orphan(self, session: Session, dialogue: OpenDialogue) -> Reply:
        """Close a dialogue whose exercise is no longer in the course content."""
        log.warning(
            "closing dialogue %s: exercise %s/%s no longer exists",
            dialogue.id,
            dialogue.course_id,
            dialogue.exercise_id,
        )
        self.close(session, dialogue, "closed")
        return Reply("That exercise was removed from the course. Type `next` for another one.")

    def exercise_of(self, dialogue: OpenDialogue) -> tuple[Course | None, Exercise | None]:
        """Find the course and exercise of a dialogue in the current catalog."""
        course = self.catalog.get(dialogue.course_id)
        if course is None:
            return None, None
        return course, course.exercises.get(dialogue.exercise_id)
