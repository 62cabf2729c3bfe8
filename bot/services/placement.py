"""A short adaptive placement check: a few items on the root and middle skills.

Placement raises the estimate of what the learner showed they know (and its prerequisites)
to just below the gate (``mastery.placement_cap``), never through it: one item before
any teaching is not proficiency. One clean answer in practice then makes each such skill
proficient, so a learner who knows the basics moves through them quickly.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.content.catalog import Course
from bot.content.models import Exercise
from bot.learning.mastery import placement_cap
from bot.store import fitted as fitted_store
from bot.store import learning as learning_store
from bot.store import users as user_store
from bot.store.dialogues import RecentDialogue

PLACEMENT = "placement"
RECENT_LIMIT = 50  # dialogues read to find the placement answers and what was just done


def probe_skills(course: Course) -> list[str]:
    """Pick the skills to probe: the first, the middle and the upper-middle of the path."""
    order = [s for s in course.skill_order() if _probe_exercise(course, s) is not None]
    if not course.placement or not order:
        return []
    picks = [order[0], order[len(order) // 2], order[(3 * len(order)) // 4]]
    return list(dict.fromkeys(picks))


def next_probe(recent: list[RecentDialogue], course: Course) -> tuple[str, int] | None:
    """Return the next placement exercise and its number, or None when placement is over.

    `recent` is the learner's latest dialogues in the course, newest first.
    """
    results = placement_results(recent)
    probes = probe_skills(course)
    for index, skill_id in enumerate(probes):
        if index < len(results):
            if not results[index]:
                return None
            continue
        exercise = _probe_exercise(course, skill_id)
        return (exercise.id, index + 1) if exercise is not None else None
    return None


def placement_results(recent: list[RecentDialogue]) -> list[bool]:
    """Return the placement answers so far, oldest first: True where the answer was right."""
    return [d.outcome == "solved" for d in reversed(recent) if d.purpose == PLACEMENT and d.closed]


def finish_placement(
    session: Session,
    *,
    user_id: int,
    course: Course,
    enrolment_id: int,
    recent: list[RecentDialogue],
    now: datetime,
    threshold: float,
) -> str:
    """Raise what the learner showed they know (and its prerequisites); end placement."""
    results = placement_results(recent)
    passed = [s for s, ok in zip(probe_skills(course), results, strict=False) if ok]
    known: set[str] = set()
    for skill_id in passed:
        known |= _with_prerequisites(course, skill_id)
    fitted = fitted_store.course_bkt(session, course.id) if known else {}
    cap = placement_cap(threshold)
    for skill_id in known:
        prior = course.bkt_for(skill_id, fitted).prior
        row = learning_store.get_mastery(session, user_id, course.id, skill_id, prior)
        # Likely known, not shown: just below the gate, for one clean answer to confirm.
        row.p_known = max(row.p_known, cap)
        row.updated_at = now
        session.add(row)
    user_store.mark_placement_done(session, enrolment_id)
    if not known:
        return "That's the quick check done. We'll start from the beginning."
    names = ", ".join(course.skills[s].title for s in course.skill_order() if s in known)
    return (
        f"That's the quick check done. You seem to know: {names}. A quick question or two on "
        "each will confirm it, then we'll move on."
    )


def _probe_exercise(course: Course, skill_id: str) -> Exercise | None:
    """Return the easiest problem of a skill (reflections cannot place a learner)."""
    problems = [e for e in course.exercises_for(skill_id) if e.kind == "problem"]
    return min(problems, key=lambda e: e.difficulty) if problems else None


def _with_prerequisites(course: Course, skill_id: str) -> set[str]:
    """Return a skill and every skill it depends on."""
    found: set[str] = set()
    stack = [skill_id]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(course.skills[current].prerequisites)
    return found
