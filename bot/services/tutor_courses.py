"""The courses a learner may see and start: listed, suggested, looked up, started; the
next exercise, a review now, the progress report.

Uploaded courses are shown only where they belong (`course_access.shown_to`); the
`Tutor` serves these with this mixin.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from bot.content.catalog import Catalog
from bot.services import progress
from bot.services.coach_flow import CoachingFlow
from bot.services.commands import Command
from bot.services.course_access import matching_courses, shown_to, shown_to_person
from bot.services.course_lookup import find_course
from bot.services.messages import Person, Reply
from bot.services.next_step import due_review
from bot.services.progress import ProgressReport
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.dialogues import OpenDialogue
from bot.store.models import User

__all__ = ["CourseRequests"]


class CourseRequests:
    """Which courses a learner sees, and starting one; the `Tutor` serves it with these."""

    database: Database
    catalog: Catalog
    flow: CoachingFlow
    clock: Callable[[], datetime]
    threshold: float

    def course_choices(self, prefix: str = "", limit: int = 25) -> list[tuple[str, str]]:
        """Return (id, title) of installed courses whose id or title contains `prefix`."""
        return matching_courses(self.catalog, prefix, limit)

    async def course_choices_for(
        self, person: Person, prefix: str = "", limit: int = 25
    ) -> list[tuple[str, str]]:
        """Return (id, title) of the courses `person` may start that contain `prefix`."""
        shown = await self.database.run(
            shown_to_person, self.catalog, person.platform, person.user_id
        )
        return matching_courses(shown, prefix, limit)

    def _names_no_course(self, session: Session, user_id: int, command: Command | None) -> bool:
        """Tell whether a `start` of several words names no course (then it is a reply)."""
        if command is None or command.name != "start" or " " not in command.argument:
            return False
        course, candidates = find_course(shown_to(session, self.catalog, user_id), command.argument)
        return course is None and not candidates

    def _courses_text(self, shown: Catalog | None = None) -> str:
        """List the courses (those `shown` to the learner, else the installed) and how to start."""
        shown = self.catalog if shown is None else shown
        if not shown.courses:
            return "No courses are installed yet."
        listed = matching_courses(shown, limit=len(shown.courses))
        lines = ["Courses:", *(f"  {typed}: {title}" for typed, title in listed)]
        lines.append(f"Type `start <course>` to begin, e.g. `start {listed[0][0]}`.")
        return "\n".join(lines)

    def _courses_for(self, session: Session, user_id: int | None) -> str:
        """List the courses a learner may start (uploaded ones only where they belong)."""
        return self._courses_text(shown_to(session, self.catalog, user_id))

    def _start(
        self, session: Session, user: User, dialogue: OpenDialogue | None, course_id: str
    ) -> list[Reply]:
        """Enrol in a course and continue where the learner stopped."""
        shown = shown_to(session, self.catalog, user.id)
        if not course_id:
            return [Reply(self._courses_text(shown))]
        course, candidates = find_course(shown, course_id)
        if course is None and candidates:
            names = ", ".join(c.id for c in candidates[:5])
            return [Reply(f"Which one do you mean: {names}? Type `start <course>` with its id.")]
        if course is None:
            return [
                Reply(
                    f"I don't know a course called {course_id[:64]!r}. " + self._courses_text(shown)
                )
            ]
        if dialogue is not None and dialogue.course_id == course.id:
            user_store.enrol(session, user, course.id)
            return [self.flow.resume(session, dialogue, returning=False)]
        if dialogue is not None:
            self.flow.close(session, dialogue, "closed")
        user_store.enrol(session, user, course.id)
        intro = Reply(f"{course.title}: {course.description.strip()}")
        assert user.id is not None
        return [intro, *self.flow.next(session, user.id, course.id)]

    def _next(self, session: Session, user_id: int, course_id: str | None) -> list[Reply]:
        """Open the next exercise, or ask the learner to pick a course."""
        replies = self.flow.next(session, user_id, course_id)
        return replies or [Reply("Pick a course first. " + self._courses_for(session, user_id))]

    def _review(self, session: Session, user: User, dialogue: OpenDialogue | None) -> list[Reply]:
        """Run the next due review now, or say when the next one is due."""
        assert user.id is not None
        if dialogue is not None:
            return [self.flow.resume(session, dialogue, returning=False)]
        course = self.catalog.get(user.active_course_id or "")
        if course is None:
            return [Reply("Pick a course first. " + self._courses_for(session, user.id))]
        item = due_review(session, user.id, course, self.clock())
        if item is None:
            return [Reply(progress.next_review_text(session, user.id, course, self.clock()))]
        return [self.flow.open(session, user.id, course, item)]

    def _progress(self, session: Session, user: User) -> Reply | ProgressReport:
        """Describe the learner's mastery in their active course, with a chart."""
        assert user.id is not None
        course = self.catalog.get(user.active_course_id or "")
        if course is None:
            return Reply("You haven't started a course yet. " + self._courses_for(session, user.id))
        return progress.progress_report(session, user.id, course, self.clock(), self.threshold)
