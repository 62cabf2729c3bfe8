"""Choose what a learner does next: placement, a due review, practice, or enrichment."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from bot.content.catalog import Course
from bot.learning.selection import Candidate, SkillView, choose_next
from bot.services import placement
from bot.services.outcomes import unlocked
from bot.store import learning as learning_store
from bot.store.dialogues import RecentDialogue

MAX_REVIEWS_IN_A_ROW = 3
Purpose = Literal["placement", "review", "practice", "enrichment"]


@dataclass(frozen=True)
class NextItem:
    """The exercise to open next, why, and a line to say before it."""

    exercise_id: str
    purpose: Purpose
    lead: str = ""


def choose_next_item(
    session: Session,
    *,
    user_id: int,
    course: Course,
    placement_done: bool,
    recent: list[RecentDialogue],
    rng: random.Random,
    now: datetime,
    threshold: float,
) -> NextItem | None:
    """Return the next item for the learner in a course, or None when there is nothing left.

    `recent` is the learner's latest dialogues in the course, newest first.
    """
    if not placement_done:
        probe = placement.next_probe(recent, course)
        if probe is not None:
            exercise_id, number = probe
            lead = (
                "First, a quick check of what you already know, so you don't repeat it. "
                "Answer as best you can, or say `idk`."
                if number == 1
                else ""
            )
            return NextItem(exercise_id, "placement", lead)
    reviews_in_row = 0
    for dialogue in recent:
        if dialogue.purpose != "review":
            break
        reviews_in_row += 1
    if reviews_in_row < MAX_REVIEWS_IN_A_ROW:
        review = due_review(session, user_id, course, now)
        if review is not None:
            return review
    return _practice(session, user_id, course, [d.exercise_id for d in recent], rng, threshold)


def due_review(session: Session, user_id: int, course: Course, now: datetime) -> NextItem | None:
    """Return the most overdue review item of the course, if any is due."""
    for exercise_id in learning_store.due_exercises(session, user_id, course.id, now, limit=5):
        if exercise_id in course.exercises:
            return NextItem(exercise_id, "review", "Quick review, from memory:")
    return None


def _practice(
    session: Session,
    user_id: int,
    course: Course,
    recent: list[str],
    rng: random.Random,
    threshold: float,
) -> NextItem | None:
    """Pick practice in the zone of proximal development, or enrichment once all is mastered."""
    levels = learning_store.mastery_levels(session, user_id, course.id)
    p_known = {s: levels.get(s, course.bkt_for(s).prior) for s in course.skills}
    mastered = {s for s, p in p_known.items() if p >= threshold}
    open_skills = unlocked(course, mastered)
    views = {
        s: SkillView(s, p_known[s], s in mastered, s in open_skills, course.bkt_for(s))
        for s in course.skill_order()
    }
    candidates = [
        Candidate(e.id, e.skill, e.difficulty, e.context, e.kind) for e in course.exercises.values()
    ]
    chosen = choose_next(candidates, views, recent, rng)
    if chosen is not None:
        return NextItem(chosen.exercise_id, "practice")
    if mastered != set(course.skills):
        return None
    harder = sorted(
        (e for e in course.exercises.values() if e.kind == "problem" and e.id not in recent[:1]),
        key=lambda e: -e.difficulty,
    )
    if not harder:
        return None
    top = [e for e in harder if e.difficulty == harder[0].difficulty]
    lead = (
        f"You've mastered every skill in {course.title}. Congratulations! "
        "Here's a harder one, just for the challenge:"
    )
    return NextItem(rng.choice(top).id, "enrichment", lead)
