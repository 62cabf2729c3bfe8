"""Turn the end of an exercise into learning evidence: mastery per skill, memory per item."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.content.catalog import Course
from bot.content.models import Exercise, ReflectionExercise
from bot.dialogue import reflection
from bot.dialogue.state import DialogueState
from bot.learning import bkt, memory
from bot.store import learning as learning_store
from bot.store.dialogues import OpenDialogue

RECALL_FIRST_DUE = timedelta(days=1)


@dataclass
class LearningNews:
    """What changed for the learner: skills just mastered, skills just unlocked."""

    mastered: list[str] = field(default_factory=list)
    unlocked: list[str] = field(default_factory=list)

    def text(self, course: Course) -> str:
        """Say it in a sentence or two (empty when nothing changed)."""
        parts = []
        if self.mastered:
            names = ", ".join(course.skills[s].title for s in self.mastered)
            parts.append(f"You've mastered {names}!")
        if self.unlocked:
            names = ", ".join(course.skills[s].title for s in self.unlocked)
            parts.append(f"Unlocked: {names}.")
        return " ".join(parts)


def record_outcome(
    session: Session,
    *,
    user_id: int,
    course: Course,
    exercise: Exercise,
    dialogue: OpenDialogue,
    state: DialogueState,
    now: datetime,
    threshold: float,
) -> LearningNews:
    """Update the skill's mastery and the item's memory card from one finished exercise."""
    solved = state.outcome == "solved"
    skipped = state.outcome == "skipped"
    if isinstance(exercise, ReflectionExercise):
        # A reflection is evidence in proportion to the criteria the learner met, less for
        # each probe a criterion took (see reflection.evidence); a skipped one is a miss.
        credit = 0.0 if skipped else reflection.evidence(exercise, state)
    else:
        credit = bkt.evidence_credit(solved, state.hint_rung, skipped=skipped)
    params = course.bkt_for(exercise.skill)
    states = learning_store.mastery_states(session, user_id, course.id)
    before = {s for s, m in states.items() if s in course.skills and m.p_known >= threshold}
    old = states.get(exercise.skill)
    p_known = bkt.update(old.p_known if old else params.prior, credit, params)
    mastered_at = old.mastered_at if old else None
    news = LearningNews()
    if not bkt.is_mastered(p_known, threshold):
        mastered_at = None
    elif mastered_at is None:
        mastered_at = now
        news.mastered.append(exercise.skill)
        _schedule_recall(session, user_id, course, exercise.skill, now)
    mastery = learning_store.SkillMastery(
        p_known=p_known,
        attempts=(old.attempts if old else 0) + 1,
        correct=(old.correct if old else 0) + int(solved),
        mastered_at=mastered_at,
    )
    key = (user_id, course.id, exercise.skill)
    learning_store.save_mastery(session, key, mastery, now, exists=old is not None)
    if not isinstance(exercise, ReflectionExercise):
        seconds = (now - dialogue.started_at).total_seconds()
        _review_card(session, user_id, course, exercise.id, state, solved, seconds, now)
    after = set(before)
    if mastered_at is not None:
        after.add(exercise.skill)
    else:
        after.discard(exercise.skill)
    news.unlocked = [
        s
        for s in newly_unlocked(course, before, after)
        if s not in news.mastered and s != exercise.skill
    ]
    return news


def unlocked(course: Course, mastered: set[str]) -> set[str]:
    """Return the skills whose prerequisites are all mastered."""
    return {
        skill_id
        for skill_id, skill in course.skills.items()
        if all(p in mastered for p in skill.prerequisites)
    }


def newly_unlocked(course: Course, before: set[str], after: set[str]) -> list[str]:
    """Return skills that the change from `before` to `after` mastered sets unlocks."""
    opened = unlocked(course, after) - unlocked(course, before)
    return [s for s in course.skill_order() if s in opened]


def _review_card(
    session: Session,
    user_id: int,
    course: Course,
    exercise_id: str,
    state: DialogueState,
    solved: bool,
    seconds: float,
    now: datetime,
) -> None:
    """Review the item's card (creating it on the first solve) with a rating from the dialogue."""
    found = learning_store.card_state(session, user_id, course.id, exercise_id)
    if found is None and not solved:
        return
    card_id, stored = found if found is not None else (None, {})
    rating = memory.rating_for(solved, state.hint_rung, max(state.attempts, 1), seconds)
    current = memory.memory_from_card(stored) if stored else None
    updated = memory.review(current, rating, now, course.desired_retention)
    review = learning_store.CardReview(
        card=updated.card,
        due=updated.due,
        reviewed_at=now,
        rating=int(rating),
        duration_ms=int(seconds * 1000),
    )
    learning_store.save_review(session, (user_id, course.id, exercise_id), card_id, review)


def _schedule_recall(
    session: Session, user_id: int, course: Course, skill_id: str, now: datetime
) -> None:
    """Give the learner a card for each recall item of a skill they just mastered."""
    for exercise in course.exercises_for(skill_id):
        if exercise.kind != "recall":
            continue
        if learning_store.card_state(session, user_id, course.id, exercise.id) is None:
            fresh = memory.new_memory(now + RECALL_FIRST_DUE)
            key = (user_id, course.id, exercise.id)
            learning_store.add_card(session, key, fresh.card, fresh.due)
