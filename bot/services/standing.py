"""A learner's standing in one read: what a home screen and a settings form show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.content.catalog import Catalog
from bot.services.account import describe_settings
from bot.services.messages import Person
from bot.services.progress import skill_progress
from bot.services.progress_text import SkillProgress
from bot.store import dialogues as dialogue_store
from bot.store import users as user_store


@dataclass(frozen=True)
class LearnerSettings:
    """A learner's own settings, as the settings form shows them."""

    timezone: str
    quiet_start: str
    quiet_end: str
    paused_until: datetime | None
    summary: str
    interests: str = ""

    @property
    def paused(self) -> bool:
        """Whether review prompts are paused."""
        return self.paused_until is not None

    @property
    def quiet_hours(self) -> str:
        """Quiet hours as the learner types them."""
        return f"{self.quiet_start}-{self.quiet_end}"


@dataclass(frozen=True)
class Standing:
    """A learner's standing: consent, course, skills, due reviews, open exercise, settings."""

    consented: bool
    course_title: str | None = None
    skills: tuple[SkillProgress, ...] = ()
    threshold: float = 0.95
    open_exercise: str | None = None
    settings: LearnerSettings | None = None

    @property
    def reviews_due(self) -> int:
        """Reviews due now, over every skill."""
        return sum(skill.due_reviews for skill in self.skills)


def read_standing(
    session: Session, person: Person, catalog: Catalog, now: datetime, threshold: float
) -> Standing:
    """Read the learner's standing; nothing is written (one who has not agreed stays unknown)."""
    user = user_store.get_user(session, person.platform, person.user_id)
    if user is None or user.consent_at is None or user.id is None:
        return Standing(consented=False)
    settings = LearnerSettings(
        user.timezone,
        user.quiet_start,
        user.quiet_end,
        user.paused_until,
        describe_settings(user),
        user.interests,
    )
    _learner, dialogue = dialogue_store.user_and_open_dialogue(
        session, person.platform, person.user_id
    )
    open_exercise = None
    if dialogue is not None:
        open_course = catalog.get(dialogue.course_id)
        exercise = open_course.exercises.get(dialogue.exercise_id) if open_course else None
        if exercise is not None and open_course is not None:
            skill = open_course.skills.get(exercise.skill)
            open_exercise = exercise.title or (
                f"an exercise on {skill.title}" if skill else "an exercise"
            )
        else:
            open_exercise = "an exercise"
    course = catalog.get(user.active_course_id or "")
    if course is None:
        return Standing(True, open_exercise=open_exercise, settings=settings, threshold=threshold)
    skills = tuple(skill_progress(session, user.id, course, now))
    return Standing(True, course.title, skills, threshold, open_exercise, settings)
