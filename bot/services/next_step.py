"""Choose what a learner does next: placement, a due review, practice, or enrichment."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from bot.content.catalog import Course
from bot.learning.difficulty import Estimate, item_offsets
from bot.learning.selection import Candidate, SkillView, choose_next
from bot.services import placement
from bot.services.outcomes import unlocked
from bot.store import fitted as fitted_store
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
    return _practice(session, user_id, course, [d.exercise_id for d in recent], rng)


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
) -> NextItem | None:
    """Pick practice in the zone of proximal development, or enrichment once all is proficient.

    A skill proficient or mastered needs no new practice: its reviews check it.
    """
    states = learning_store.mastery_states(session, user_id, course.id)
    fitted = fitted_store.course_bkt(session, course.id)
    params = {s: course.bkt_for(s, fitted) for s in course.skills}
    p_known = {s: states[s].p_known if s in states else params[s].prior for s in course.skills}
    done = {s for s in course.skills if s in states and states[s].status != "learning"}
    open_skills = unlocked(course, done)
    views = {
        s: SkillView(s, p_known[s], s in done, s in open_skills, params[s])
        for s in course.skill_order()
    }
    offsets = _offsets(course, fitted_store.item_ratings(session, course.id))
    candidates = [
        Candidate(e.id, e.skill, e.difficulty, e.context, e.kind, offsets.get(e.id))
        for e in course.exercises.values()
    ]
    chosen = choose_next(candidates, views, recent, rng)
    if chosen is not None:
        return NextItem(chosen.exercise_id, "practice")
    if done != set(course.skills):
        return None
    harder = sorted(
        (e for e in course.exercises.values() if e.kind == "problem" and e.id not in recent[:1]),
        key=lambda e: -e.difficulty,
    )
    if not harder:
        return None
    top = [e for e in harder if e.difficulty == harder[0].difficulty]
    if all(states[s].status == "mastered" for s in course.skills):
        lead = f"You've mastered every skill in {course.title}. Congratulations! "
    else:
        lead = (
            f"You're proficient in every skill in {course.title}: reviews on later days "
            "will confirm what you've mastered. "
        )
    lead += "Here's a harder one, just for the challenge:"
    return NextItem(rng.choice(top).id, "enrichment", lead)


def _offsets(course: Course, ratings: dict[str, fitted_store.ItemEstimate]) -> dict[str, float]:
    """Return rated items' difficulty relative to their skill's items (authored otherwise)."""
    found: dict[str, float] = {}
    if not ratings:
        return found
    for skill_id in course.skills:
        levels = {e.id: e.difficulty for e in course.exercises_for(skill_id) if e.kind != "recall"}
        rated = {
            item: Estimate(r.difficulty, r.attempts, r.mean_credit)
            for item, r in ratings.items()
            if item in levels
        }
        found.update(item_offsets(levels, rated) or {})
    return found
