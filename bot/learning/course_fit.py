"""Fit one course's learning model from its logs: BKT per skill, item difficulty, memory.

The input is plain data (picklable, so the work can run in another process): the
course's authored parameters and levels, its graded attempts in time order and, when
memory fitting is on, its cards' review histories. No I/O.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.learning.difficulty import Estimate, authored_difficulty, estimate_difficulty
from bot.learning.fitting import FittedParams, SkillFit, fit_bkt
from bot.learning.memory_fitting import MemoryFit, fit_memory

__all__ = ["CourseData", "CourseFit", "fit_course", "fit_courses"]

AttemptRecord = tuple[int, str, str, float]  # (learner, skill, exercise, credit)


@dataclass(frozen=True)
class CourseData:
    """What fitting one course reads."""

    course_id: str
    authored: dict[str, FittedParams]  # per skill: the course's own parameters
    levels: dict[str, int]  # per exercise: its authored difficulty level (1..5)
    attempts: list[AttemptRecord] = field(default_factory=list)  # oldest first
    histories: list[list[tuple[datetime, int]]] | None = None  # None: memory not fitted


@dataclass(frozen=True)
class CourseFit:
    """What fitting found for one course."""

    course_id: str
    skills: dict[str, SkillFit]
    items: dict[str, Estimate]
    memory: MemoryFit | None
    attempts: int


def fit_course(data: CourseData) -> CourseFit:
    """Fit BKT per skill, rate every attempted item, and optimise memory when asked."""
    attempts = [a for a in data.attempts if a[1] in data.authored]
    skills = fit_bkt(
        ((learner, skill, credit) for learner, skill, _, credit in attempts),
        data.authored.__getitem__,
    )
    # One ability per learner and skill: knowing fractions says little about equations.
    rated = [a for a in attempts if a[2] in data.levels]
    records: list[tuple[Hashable, Hashable, float]] = [
        ((learner, skill), exercise, credit) for learner, skill, exercise, credit in rated
    ]
    initial: dict[Hashable, float] = {
        exercise: authored_difficulty(level) for exercise, level in data.levels.items()
    }
    ratings = estimate_difficulty(records, initial)
    items = {str(item): estimate for item, estimate in ratings.difficulties.items()}
    memory = fit_memory(data.histories) if data.histories is not None else None
    return CourseFit(data.course_id, skills, items, memory, len(attempts))


def fit_courses(courses: Sequence[CourseData]) -> list[CourseFit]:
    """Fit every course in turn."""
    return [fit_course(course) for course in courses]
