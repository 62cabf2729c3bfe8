"""The one coaching API adapters call: a coach's and a client's requests in, replies out.

Each method takes the person asking (`Person`, as adapters already build it) and runs one
unit of work; every coach-facing read is scoped to that coach in the store. Errors a
person can cause come back as a plain sentence; nothing here knows a platform.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy.orm import Session

from bot.content.catalog import Catalog
from bot.services import assignments, coach_views, coaching
from bot.services.coach_briefs import Brief, build_brief, send_due_briefs, with_model_pattern
from bot.services.coach_client_desk import ACCEPT_ACTION, ClientRequests
from bot.services.coach_criteria import CriteriaInputError
from bot.services.coach_dates import DateInputError, describe
from bot.services.coach_exercises import (
    ExerciseForm,
    ExerciseInputError,
    build_steps,
    form_from_course,
    form_of_saved,
    style_notes,
    worksheet_form,
)
from bot.services.coach_flags import (
    SafetyWords,
)
from bot.services.coach_followups import CoachFollowups, FollowupWriter
from bot.services.coach_notices import CoachSummariser, send_completion_notices
from bot.services.coach_pickers import CoachPickers
from bot.services.coach_proposals import CoachProposals, CriteriaWriter
from bot.services.coach_reminders import ReminderPolicy, sweep_coach_reminders
from bot.services.coaching import CoachingError
from bot.services.messages import Person, Reply
from bot.store import coaching as coaching_store
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import User
from bot.store.types import utc_now

__all__ = ["ACCEPT_ACTION", "CoachDesk"]

log = logging.getLogger(__name__)

PERSON_ERRORS = (CoachingError, DateInputError, ExerciseInputError, CriteriaInputError)
COACH_STORES = (
    "I keep what you write here (exercises, notes, due dates) for your clients; "
    "deleting your data (`forget`) deletes it."
)
NOTHING_TO_END = Reply("You aren't working with a coach here.")
T = TypeVar("T")


class CoachDesk(ClientRequests, CoachPickers, CoachFollowups, CoachProposals):
    """Coaching over one database: links, exercises, assignments, views, briefs, flags."""

    def __init__(
        self,
        database: Database,
        catalog: Catalog,
        *,
        clock: Callable[[], datetime] = utc_now,
        reminders: ReminderPolicy | None = None,
        safety: SafetyWords | None = None,
        summariser: CoachSummariser | None = None,
        followup_writer: FollowupWriter | None = None,
        criteria_writer: CriteriaWriter | None = None,
        user_defaults: user_store.UserDefaults | None = None,
    ) -> None:
        self.database = database
        self.catalog = catalog
        self.clock = clock
        self.reminders = reminders or ReminderPolicy()
        self.safety = safety or SafetyWords()
        self.summariser = summariser
        self.followup_writer = followup_writer
        self.criteria_writer = criteria_writer
        self.user_defaults = user_defaults or user_store.UserDefaults()

    async def _as(
        self,
        person: Person,
        work: Callable[[Session, User], T],
        *,
        unknown: Reply | None = None,
    ) -> T | Reply:
        """Run `work` for the person; errors they can cause come back in words.

        Someone who acts as a coach (or accepts an invite) is stored, with their consent,
        on first use; for anything else a person not stored yet gets `unknown`.
        """

        def unit(session: Session) -> T | Reply:
            user = user_store.get_user(session, person.platform, person.user_id)
            if user is None and unknown is not None:
                return unknown
            if user is None:
                user = user_store.get_or_create_user(
                    session,
                    person.platform,
                    person.user_id,
                    person.display_name,
                    self.user_defaults,
                )
            if user.consent_at is None:
                if unknown is not None:
                    return unknown
                user_store.record_consent(session, user, self.clock())
            session.flush()
            return work(session, user)

        try:
            return await self.database.run(unit)
        except PERSON_ERRORS as exc:
            return Reply(str(exc))

    async def _reply(
        self,
        person: Person,
        work: Callable[[Session, User], Reply],
        unknown: Reply | None = None,
    ) -> Reply:
        result = await self._as(person, work, unknown=unknown)
        assert isinstance(result, Reply)
        return result

    # A coach's side.

    async def invite(self, coach: Person) -> Reply:
        """Make an invite code for a client to accept in a DM with the bot."""
        now = self.clock()

        def work(session: Session, user: User) -> Reply:
            invite = coaching.create_invite(session, user, now)
            return Reply(
                f"Your invite code: {invite.shown} (it works until "
                f"{invite.expires_at:%d %B}). Your client sends me `coach join {invite.shown}` "
                f"in a DM, and reads what you will see before accepting. {COACH_STORES}"
            )

        return await self._reply(coach, work)

    def worksheet(self, text: str, title: str = "") -> ExerciseForm | Reply:
        """Turn a pasted worksheet into a form the coach reviews before saving it."""
        try:
            return worksheet_form(text, title)
        except ExerciseInputError as exc:
            return Reply(str(exc))

    async def save_exercise(
        self, coach: Person, form: ExerciseForm, exercise_id: int | None = None
    ) -> Reply:
        """Store a new exercise from a form, or change one of the coach's own."""
        now = self.clock()

        def work(session: Session, user: User) -> Reply:
            assert user.id is not None
            steps = build_steps(form)
            if exercise_id is None:
                saved = coaching_store.add_exercise(
                    session, user.id, form.title.strip(), steps, form.source, now
                )
            else:
                found = coaching_store.exercise_for_coach(session, user.id, exercise_id)
                if found is None:
                    raise CoachingError("That isn't one of your exercises. `exercises` lists them.")
                coaching_store.update_exercise(session, found, form.title.strip(), steps, now)
                saved = found
            lines = [f'Saved exercise #{saved.id} "{saved.title}", {len(steps)} step(s):']
            for number, step in enumerate(steps, 1):
                lines.append(f"  {number}. {step['prompt']} (checks: {', '.join(step['plain'])})")
            lines += style_notes(steps)
            lines.append(
                f"Assign it with `assign`: a client, exercise {saved.id}, a due date and a note."
            )
            return Reply("\n".join(lines))

        return await self._reply(coach, work)

    async def exercise_form(self, coach: Person, exercise_id: int) -> ExerciseForm | Reply:
        """One of the coach's own exercises as its form, to edit (a sentence if not theirs)."""

        def work(session: Session, user: User) -> ExerciseForm | Reply:
            assert user.id is not None
            found = coaching_store.exercise_for_coach(session, user.id, exercise_id)
            if found is None:
                return Reply("That isn't one of your exercises. `exercises` lists them.")
            return form_of_saved(found.title, list(found.steps), found.source)

        return await self._as(coach, work)  # type: ignore[no-any-return]

    async def exercise_from_course(self, coach: Person, course_id: str, exercise_id: str) -> Reply:
        """Store a reflection from an installed course as one of the coach's exercises."""
        try:
            form = form_from_course(self.catalog, course_id, exercise_id)
        except ExerciseInputError as exc:
            return Reply(str(exc))
        return await self.save_exercise(coach, form)

    async def exercises(self, coach: Person) -> Reply:
        """List the coach's exercises."""

        def work(session: Session, user: User) -> Reply:
            assert user.id is not None
            found = coaching_store.exercises_of(session, user.id)
            if not found:
                return Reply("No exercises yet: write one, or paste a worksheet.")
            lines = ["Your exercises:"]
            lines += [f'  #{e.id} "{e.title}" ({len(e.steps)} step(s))' for e in found]
            return Reply("\n".join(lines))

        return await self._reply(coach, work)

    async def assign(
        self, coach: Person, client: str, exercise_id: int, due: str, note: str = ""
    ) -> Reply:
        """Give a client one of the coach's exercises, due at a date in the client's zone."""
        now = self.clock()

        def work(session: Session, user: User) -> Reply:
            assert user.id is not None
            link = coaching.find_client(session, user, client)
            exercise = coaching_store.exercise_for_coach(session, user.id, exercise_id)
            if exercise is None:
                raise CoachingError("That isn't one of your exercises. `exercises` lists them.")
            given = assignments.assign(
                session, user, link, exercise, due, note, now, self.reminders
            )
            client_user = session.get(User, link.client_id)
            zone = client_user.timezone if client_user is not None else user.timezone
            return Reply(
                f'Assigned "{given.title}", due {describe(given.due_at, zone)} '
                f"(their time, {zone}). They get a DM in their waking hours, and reminders."
            )

        return await self._reply(coach, work)

    async def next_session(self, coach: Person, client: str, when: str) -> Reply:
        """Set the next session with a client (the brief comes the day before)."""
        now = self.clock()
        return await self._reply(
            coach,
            lambda s, u: Reply(coaching.set_next_session(s, u, client, when, now)),
        )

    async def reminders_for(
        self, coach: Person, client: str, mode: str, pause_after: int | None = None
    ) -> Reply:
        """Turn a client's reminders to all, overdue only, or off; and when to pause them."""

        def work(session: Session, user: User) -> Reply:
            link = coaching.set_reminders(session, user, client, mode, pause_after)
            return Reply(
                f"Reminders for #{link.id}: {coaching.REMINDER_MODES[link.reminders]}, paused "
                f"after {link.pause_after} go unanswered."
            )

        return await self._reply(coach, work)

    async def clients(self, coach: Person) -> Reply:
        """The coach's clients at a glance."""
        now = self.clock()
        return await self._reply(coach, lambda s, u: coach_views.clients_reply(s, u, now))

    async def client(self, coach: Person, client: str) -> Reply:
        """One client's assignments and summaries, with their transcripts as a file."""
        now = self.clock()
        return await self._reply(
            coach,
            lambda s, u: coach_views.client_reply(s, u, coaching.find_client(s, u, client), now),
        )

    async def export_csv(self, coach: Person) -> Reply:
        """The coach's clients' assignments as a CSV file."""
        return await self._reply(coach, coach_views.export_csv)

    async def brief(self, coach: Person, client: str) -> Reply:
        """The brief for the next session with a client, now (drafted by the model if any)."""
        now = self.clock()

        def work(session: Session, user: User) -> tuple[Brief, str]:
            link = coaching.find_client(session, user, client)
            return build_brief(session, user, link, now), user.timezone

        result = await self._as(coach, work)
        if isinstance(result, Reply):
            return result
        brief, timezone = result
        brief = await with_model_pattern(brief, self.summariser)
        return Reply(brief.text(timezone))

    async def end(self, person: Person, other: str = "") -> Reply:
        """End a link, from the coach's side (a client) or the client's (a coach)."""
        now = self.clock()
        return await self._reply(
            person, lambda s, u: Reply(coaching.end_link(s, u, other, now)), NOTHING_TO_END
        )

    # Periodic jobs (the composition root registers them).

    def jobs(self) -> list[tuple[str, Callable[[], Awaitable[int]], float]]:
        """The coaching jobs as (name, run, seconds between runs)."""
        return [
            ("coach-reminders", self.sweep_reminders, 60.0),
            ("coach-notices", self.send_notices, 30.0),
            ("coach-briefs", self.send_briefs, 300.0),
        ]

    async def sweep_reminders(self) -> int:
        """Queue the assignment reminders whose time has come."""
        return await sweep_coach_reminders(self.database, self.clock(), self.reminders)

    async def send_notices(self) -> int:
        """Tell coaches about finished assignments."""
        return await send_completion_notices(self.database, self.clock(), self.summariser)

    async def send_briefs(self) -> int:
        """Send the briefs of sessions due tomorrow."""
        return await send_due_briefs(self.database, self.clock(), self.summariser)
