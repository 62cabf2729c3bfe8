"""A learner's progress in a course: per-skill standing, due reviews, and a chart.

A skill shows as mastered only once a spaced check confirmed it; at the gate before
that it shows as proficient (unlocked what needs it, waiting for its check).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.content.catalog import Course
from bot.services.messages import Attachment, Reply, choices_for
from bot.services.outcomes import unlocked
from bot.services.progress_text import SkillProgress, Status, progress_lines
from bot.store import fitted as fitted_store
from bot.store import learning as learning_store


def skill_progress(
    session: Session, user_id: int, course: Course, now: datetime
) -> list[SkillProgress]:
    """Gather standing, estimate and due reviews for every skill, in course order."""
    rows = learning_store.mastery_states(session, user_id, course.id)
    due = learning_store.due_cards(session, user_id, course.id, now, limit=10_000)
    due_by_skill = Counter(
        course.exercises[c.exercise_id].skill for c in due if c.exercise_id in course.exercises
    )
    fitted = fitted_store.course_bkt(session, course.id) if len(rows) < len(course.skills) else {}
    p_known = {
        s: rows[s].p_known if s in rows else course.bkt_for(s, fitted).prior for s in course.skills
    }
    standing = {s: rows[s].status if s in rows else "learning" for s in course.skills}
    open_skills = unlocked(course, {s for s, st in standing.items() if st != "learning"})

    def status(skill_id: str) -> Status:
        if standing[skill_id] == "mastered":
            return "mastered"
        if standing[skill_id] == "proficient":
            return "proficient"
        return "learning" if skill_id in open_skills else "locked"

    return [
        SkillProgress(
            skill_id=s,
            title=course.skills[s].title,
            status=status(s),
            p_known=p_known[s],
            due_reviews=due_by_skill.get(s, 0),
            attempts=rows[s].attempts if s in rows else 0,
        )
        for s in course.skill_order()
    ]


@dataclass(frozen=True)
class ProgressReport:
    """A learner's progress, read in the unit of work; the chart is drawn after it."""

    course_id: str
    title: str
    skills: list[SkillProgress]
    threshold: float

    async def reply(self) -> Reply:
        """Build the progress text and its chart (rendered in a worker thread)."""
        text = progress_lines(self.title, self.skills, self.threshold)
        png = await asyncio.to_thread(_render_chart, self.title, self.skills, self.threshold)
        chart = Attachment(f"progress-{self.course_id}.png", png, "image/png")
        return Reply(text, choices_for(("next", "review")), (chart,))


def progress_report(
    session: Session, user_id: int, course: Course, now: datetime, threshold: float
) -> ProgressReport:
    """Read what the progress reply shows; no chart is drawn inside the transaction."""
    skills = skill_progress(session, user_id, course, now)
    return ProgressReport(course.id, course.title, skills, threshold)


def next_review_text(session: Session, user_id: int, course: Course, now: datetime) -> str:
    """Say that nothing is due, and when the next review is."""
    upcoming = learning_store.next_due(session, user_id, course.id)
    if upcoming is None:
        return "Nothing to review yet: solve a few exercises first, and they'll come back."
    days = (upcoming - now).total_seconds() / 86400
    when = "within a day" if days < 1 else f"in {round(days)} day{'s' if round(days) != 1 else ''}"
    return f"Nothing is due right now. Your next review is {when}."


def _render_chart(title: str, skills: list[SkillProgress], threshold: float) -> bytes:
    """Render the chart; matplotlib is imported here, off the event loop and off start-up."""
    from bot.services.charts import render_mastery_chart

    return render_mastery_chart(title, skills, threshold)
