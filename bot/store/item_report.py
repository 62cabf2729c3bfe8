"""For course creators: items far too hard or too easy, and misconceptions that never fire.

Read from the attempt log (what every graded attempt earned) and the transcript's moves
(a targeted question names the misconception it aims at), for one course and, for a
cohort, only its learners. Nothing here reads what a learner wrote.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.store.models import Attempt, Dialogue, ItemRating, Turn
from bot.store.unit import core

__all__ = [
    "MIN_ATTEMPTS",
    "MIN_MISSES",
    "TOO_EASY",
    "TOO_HARD",
    "ItemReport",
    "ItemStats",
    "item_report",
]

MIN_ATTEMPTS: Final = 20  # an item is judged on at least this many graded attempts
MIN_MISSES: Final = 10  # a misconception is called silent after this many wrong answers
TOO_HARD: Final = 0.30  # mean credit below this: far too hard
TOO_EASY: Final = 0.95  # mean credit above this: far too easy
PLACEMENT: Final = "placement"  # placement answers get no targeted question


@dataclass(frozen=True)
class ItemStats:
    """What the logs say about one item."""

    exercise_id: str
    attempts: int
    mean_credit: float  # the observed success rate, hints discounting it
    difficulty: float | None  # rated difficulty in logits (weekly fit), if rated
    verdict: Literal["too hard", "too easy"] | None


@dataclass(frozen=True)
class ItemReport:
    """The items a course creator should look at."""

    too_hard: list[ItemStats] = field(default_factory=list)  # hardest first
    too_easy: list[ItemStats] = field(default_factory=list)  # easiest first
    # Per exercise: its authored misconceptions whose targeted question never came up,
    # though the item had at least MIN_MISSES wrong answers.
    silent_misconceptions: dict[str, list[str]] = field(default_factory=dict)


def item_report(
    session: Session,
    course_id: str,
    misconceptions: Mapping[str, Sequence[str]],
    *,
    learners: Collection[int] | None = None,
    min_attempts: int = MIN_ATTEMPTS,
    min_misses: int = MIN_MISSES,
) -> ItemReport:
    """Report a course's items far too hard or too easy, and its silent misconceptions.

    ``misconceptions`` names each exercise's authored misconceptions (from the course
    content); ``learners`` restricts the report to those learners (a cohort), None
    reads every learner of the course.
    """
    attempts = select(
        col(Attempt.exercise_id),
        func.count(),
        func.avg(col(Attempt.credit)),
        func.sum(case((col(Attempt.credit) == 0.0, 1), else_=0)),
    ).where(col(Attempt.course_id) == course_id, col(Attempt.purpose) != PLACEMENT)
    if learners is not None:
        attempts = attempts.where(col(Attempt.user_id).in_(list(learners)))
    counts = {
        str(item): (int(n), float(mean or 0.0), int(misses or 0))
        for item, n, mean, misses in core(session).execute(
            attempts.group_by(col(Attempt.exercise_id))
        )
    }
    ratings = select(col(ItemRating.exercise_id), col(ItemRating.difficulty)).where(
        col(ItemRating.course_id) == course_id
    )
    rated = {str(item): float(value) for item, value in core(session).execute(ratings)}
    report = ItemReport()
    for item, (n, mean, _) in counts.items():
        if n < min_attempts:
            continue
        verdict: Literal["too hard", "too easy"] | None = (
            "too hard" if mean < TOO_HARD else "too easy" if mean > TOO_EASY else None
        )
        stats = ItemStats(item, n, mean, rated.get(item), verdict)
        if verdict == "too hard":
            report.too_hard.append(stats)
        elif verdict == "too easy":
            report.too_easy.append(stats)
    report.too_hard.sort(key=lambda s: s.mean_credit)
    report.too_easy.sort(key=lambda s: -s.mean_credit)
    fired = _fired(session, course_id, learners)
    for item, names in misconceptions.items():
        misses = counts.get(item, (0, 0.0, 0))[2]
        silent = [name for name in names if (item, name) not in fired]
        if misses >= min_misses and silent:
            report.silent_misconceptions[item] = silent
    return report


def _fired(
    session: Session, course_id: str, learners: Collection[int] | None
) -> set[tuple[str, str]]:
    """Return the (exercise, misconception) pairs whose targeted question was asked."""
    query = (
        select(col(Dialogue.exercise_id), col(Turn.misconception))
        .join(Turn, col(Turn.dialogue_id) == col(Dialogue.id))
        .where(
            col(Dialogue.course_id) == course_id,
            col(Turn.move) == "targeted",
            col(Turn.misconception).is_not(None),
        )
        .distinct()
    )
    if learners is not None:
        query = query.where(col(Dialogue.user_id).in_(list(learners)))
    return {(str(item), str(name)) for item, name in core(session).execute(query)}
