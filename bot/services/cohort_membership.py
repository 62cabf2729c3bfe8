"""A member's side of the cohort desk: join (consent first), leave, the leaderboard.

Joining stores nothing: it asks for consent, and only the consent stores the person and
their membership. `DeskBase` holds what every cohort request shares.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy.orm import Session

from bot.content.catalog import Catalog
from bot.services.cohort_access import cohort_here
from bot.services.cohort_calendar import CohortInputError, Place
from bot.services.cohort_render import leaderboard_text
from bot.services.cohort_status import StatusRules
from bot.services.course_access import ensure_courses
from bot.services.messages import Choice, Person, Reply
from bot.store import cohorts as cohort_store
from bot.store import cohorts_members as member_store
from bot.store import users as user_store
from bot.store.cohort_models import Cohort
from bot.store.db import Database
from bot.store.models import User
from bot.store.types import utc_now

__all__ = ["CONSENT_ACTION", "DeskBase", "MemberRequests"]

CONSENT_ACTION = "cohort-consent"  # "cohort-consent:<cohort id>": the member's I agree
T = TypeVar("T")


def _consent_text(cohort: Cohort, course_title: str) -> str:
    """Say what joining stores and who sees what, before anything is stored."""
    return (
        f"Joining **{cohort.title}** ({course_title}). Your practice happens here, in "
        "private. I store your answers and progress to tutor you; the cohort's staff see, "
        "per skill, how far you are, when you last practised, where you are stuck and which "
        "misconception the tutor noticed, never what you wrote. If the cohort has a "
        "leaderboard, other members see your name and how many skills you mastered unless "
        "you opt out. You can leave the cohort (`cohort leave`), export or delete "
        "everything (`/export`, `/forget`). Is that OK?"
    )


class DeskBase:
    """The database, catalog and clock of the cohort desk, and how a request runs."""

    def __init__(
        self,
        database: Database,
        catalog: Catalog,
        *,
        clock: Callable[[], datetime] = utc_now,
        rules: StatusRules | None = None,
        user_defaults: user_store.UserDefaults | None = None,
    ) -> None:
        self.database = database
        self.catalog = catalog
        self.clock = clock
        self.rules = rules or StatusRules()
        self.user_defaults = user_defaults or user_store.UserDefaults()

    async def _run(self, work: Callable[[Session], T]) -> T | Reply:
        """Run one unit; an error the person caused comes back as their sentence."""
        try:
            return await self.database.run(work)
        except CohortInputError as exc:
            return Reply(str(exc))

    async def _reply(self, work: Callable[[Session], Reply]) -> Reply:
        """Run one unit that answers in words."""
        result = await self._run(work)
        assert isinstance(result, Reply)
        return result

    def _store(self, session: Session, person: Person) -> User:
        """Store someone acting as a creator or member, with their consent."""
        user = user_store.get_or_create_user(
            session, person.platform, person.user_id, person.display_name, self.user_defaults
        )
        if user.consent_at is None:
            user_store.record_consent(session, user, self.clock())
        session.flush()
        assert user.id is not None
        return user


class MemberRequests(DeskBase):
    """What a member (or would-be member) asks of a cohort."""

    async def join(self, person: Person, place: Place, cohort_id: int | None = None) -> Reply:
        """Ask a would-be member for consent (the Join button); nothing is stored yet."""
        return await self._reply(
            lambda session: self._invitation(
                session, person, cohort_here(session, person, place, cohort_id)
            )
        )

    def _invitation(self, session: Session, person: Person, cohort: Cohort) -> Reply:
        """The consent question (with I agree), or a sentence for someone already in."""
        assert cohort.id is not None
        user = user_store.get_user(session, person.platform, person.user_id)
        member = (
            member_store.membership(session, cohort.id, user.id)
            if user is not None and user.id is not None
            else None
        )
        if member is not None and member.left_at is None:
            return Reply(f"You're already in {cohort.title}. Practise here any time.")
        ensure_courses(session, self.catalog, cohort.course_id)  # stored by another process
        course = self.catalog.get(cohort.course_id)
        text = _consent_text(cohort, course.title if course else cohort.course_id)
        return Reply(text, (Choice(f"{CONSENT_ACTION}:{cohort.id}", "I agree"),))

    async def consent(self, person: Person, cohort_id: int) -> Reply:
        """Record a member's consent and membership; their course becomes the active one."""
        now = self.clock()

        def work(session: Session) -> Reply:
            cohort = session.get(Cohort, cohort_id)
            if (
                cohort is None
                or cohort.platform != person.platform
                or cohort.state != cohort_store.ACTIVE
            ):
                raise CohortInputError("That cohort isn't open any more.")
            user = self._store(session, person)
            assert user.id is not None
            member_store.add_member(session, cohort_id, user.id, now)
            user_store.enrol(session, user, cohort.course_id)
            return Reply(
                f"Welcome to {cohort.title}! We work here, just the two of us: say `next` "
                "for an exercise. `cohort leave` takes you out of the cohort."
            )

        return await self._reply(work)

    async def leave(self, person: Person, cohort_id: int | None = None) -> Reply:
        """Leave a cohort: staff no longer see the member; their own progress stays theirs."""
        now = self.clock()

        def work(session: Session) -> Reply:
            user = user_store.get_user(session, person.platform, person.user_id)
            if user is None or user.id is None:
                return Reply("You aren't in that cohort.")
            mine = member_store.cohorts_of_member(session, user.id)
            chosen = [c for c in mine if cohort_id is None or c.id == cohort_id]
            if not chosen:
                return Reply("You aren't in that cohort.")
            if len(chosen) > 1:
                listed = ", ".join(f"#{c.id} {c.title}" for c in chosen)
                return Reply(f"Which one? {listed}.")
            assert chosen[0].id is not None
            member_store.leave_cohort(session, chosen[0].id, user.id, now)
            return Reply(f"You've left {chosen[0].title}; its staff no longer see your work.")

        return await self._reply(work)

    async def leaderboard_opt_out(self, person: Person, cohort_id: int, out: bool = True) -> Reply:
        """Take oneself off a cohort's leaderboard, or back on."""

        def work(session: Session) -> Reply:
            user = user_store.get_user(session, person.platform, person.user_id)
            if user is None or user.id is None:
                return Reply("You aren't in that cohort.")
            if not member_store.set_leaderboard_opt_out(session, cohort_id, user.id, out):
                return Reply("You aren't in that cohort.")
            return Reply("You're off the leaderboard." if out else "You're on the leaderboard.")

        return await self._reply(work)

    async def leaderboard(self, person: Person, cohort_id: int) -> Reply:
        """The cohort's leaderboard, for its members and staff, once three members scored."""

        def work(session: Session) -> Reply:
            user = user_store.get_user(session, person.platform, person.user_id)
            cohort = session.get(Cohort, cohort_id)
            if user is None or user.id is None or cohort is None:
                return Reply("You aren't in that cohort.")
            member = member_store.membership(session, cohort_id, user.id)
            scope = cohort_store.StaffScope(
                user.id, cohort_id, cohort.platform, cohort.workspace_id
            )
            is_member = member is not None and member.left_at is None
            if not is_member and cohort_store.cohort_for_staff(session, scope) is None:
                return Reply("You aren't in that cohort.")
            if not cohort.leaderboard:
                return Reply(f"{cohort.title} has no leaderboard.")
            rows = member_store.leaderboard_rows(session, cohort)
            return Reply(leaderboard_text(cohort.title, rows))

        return await self._reply(work)
