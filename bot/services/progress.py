"""Describe a learner's progress through a course as plain text."""

from __future__ import annotations

from bot.content.catalog import Course
from bot.content.models import Exercise

BAR_WIDTH = 10


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    """Draw a progress bar such as `[######----]`."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "[" + "#" * filled + "-" * (width - filled) + "]"


def progress_text(course: Course, done: set[str]) -> str:
    """List each skill with how many of its exercises are done."""
    lines = [f"{course.title}:"]
    for skill_id in course.skill_order():
        practice = [e for e in course.exercises_for(skill_id) if e.kind != "recall"]
        if not practice:
            continue
        solved = sum(1 for e in practice if e.id in done)
        fraction = solved / len(practice)
        lines.append(
            f"  {bar(fraction)} {course.skills[skill_id].title}: {solved}/{len(practice)} solved"
        )
    return "\n".join(lines)


def next_in_order(course: Course, outcomes: dict[str, set[str]]) -> Exercise | None:
    """Pick the first exercise never tried, in skill order; then the first not yet solved."""
    practice = [
        e
        for skill_id in course.skill_order()
        for e in course.exercises_for(skill_id)
        if e.kind != "recall"
    ]
    untried = [e for e in practice if e.id not in outcomes]
    if untried:
        return untried[0]
    unsolved = [e for e in practice if "solved" not in outcomes[e.id]]
    return unsolved[0] if unsolved else None
