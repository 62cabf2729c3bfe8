"""Pickers for coaches' forms: their own clients and exercises, a course's reflections."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.content.catalog import Catalog
from bot.services.messages import Person
from bot.store import coaching as coaching_store
from bot.store import users as user_store
from bot.store.db import Database

__all__ = ["CoachPickers"]


class CoachPickers:
    """What a coach's form offers to pick; the `CoachDesk` serves it with these methods."""

    database: Database
    catalog: Catalog

    async def client_choices(self, coach: Person, typed: str = "") -> list[tuple[str, str]]:
        """The coach's own clients as (reference, name) for a picker; none for a stranger."""

        def unit(session: Session) -> list[tuple[str, str]]:
            user = user_store.get_user(session, coach.platform, coach.user_id)
            if user is None or user.id is None:
                return []
            clients = coaching_store.clients_of(session, user.id)
            return [(f"#{c.link_id}", c.display_name or "client") for c in clients]

        return _matching(await self.database.run(unit), typed)

    async def exercise_choices(self, coach: Person, typed: str = "") -> list[tuple[str, str]]:
        """The coach's own exercises as (id, title) for a picker, newest first."""

        def unit(session: Session) -> list[tuple[str, str]]:
            user = user_store.get_user(session, coach.platform, coach.user_id)
            if user is None or user.id is None:
                return []
            return [(str(e.id), e.title) for e in coaching_store.exercises_of(session, user.id)]

        return _matching(await self.database.run(unit), typed)

    def course_exercise_choices(self, course_id: str, typed: str = "") -> list[tuple[str, str]]:
        """The reflections of an installed course (what a coach can take) as (id, title)."""
        course = self.catalog.get(course_id)
        found = [
            (e.id, e.title or e.id)
            for e in (course.exercises.values() if course is not None else ())
            if e.kind == "reflection"
        ]
        return _matching(found, typed)


def _matching(found: list[tuple[str, str]], typed: str, limit: int = 25) -> list[tuple[str, str]]:
    """The (value, name) pairs whose name or value contains what was typed so far."""
    needle = typed.strip().lstrip("#").casefold()
    return [(v, n) for v, n in found if needle in n.casefold() or needle in v.casefold()][:limit]
