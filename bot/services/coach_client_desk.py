"""What a coach's client asks of the desk: an invite read and accepted, assignments, screening."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.services import assignments, coaching
from bot.services.coach_flags import (
    ASKED_FOR_COACH,
    DISTRESS,
    SafetyWords,
    read_flag,
    screen_message,
)
from bot.services.coach_reminders import ReminderPolicy
from bot.services.coaching import CoachingError
from bot.services.messages import Choice, Incoming, Person, Reply
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import User

__all__ = ["ACCEPT_ACTION", "ClientRequests"]

ACCEPT_ACTION = "coach-accept"  # the Accept button of an invite: "coach-accept:<code>"
NO_ASSIGNMENT = Reply("You have no exercise from a coach right now.")


class ClientRequests:
    """A client's requests; the `CoachDesk` serves them with these methods."""

    database: Database
    clock: Callable[[], datetime]
    reminders: ReminderPolicy
    safety: SafetyWords
    # The desk's runner: the person stored on first use, their errors as a sentence.
    _as: Callable[..., Any]
    _reply: Callable[..., Any]

    async def preview_invite(self, client: Person, code: str) -> Reply:
        """Say who invited the client and what that coach will see, with an Accept button."""
        now = self.clock()
        try:
            text = await self.database.run(coaching.invite_preview, code, now)
        except CoachingError as exc:
            return Reply(str(exc))
        choice = Choice(f"{ACCEPT_ACTION}:{coaching.normalise_code(code)}", "Accept")
        return Reply(text, (choice,))

    async def accept(self, client: Person, code: str) -> Reply:
        """Accept an invite (the client read what the coach will see)."""
        now = self.clock()

        def work(session: Session, user: User) -> Reply:
            link = coaching.accept_invite(session, user, code, now)
            coach = session.get(User, link.coach_id)
            name = coaching.name_of(coach) if coach is not None else "your coach"
            return Reply(
                f"You're connected with {name}. Exercises they give you will arrive here; "
                "`assignments` lists them, and `coach end` ends this at any time."
            )

        return await self._reply(client, work)

    async def start(self, client: Person, assignment_id: int | None = None) -> list[Reply]:
        """Start or resume an assignment (the Start button, or `assignments` then start)."""
        now = self.clock()
        result = await self._as(
            client,
            lambda s, u: assignments.start_assignment(s, u, assignment_id, now, self.reminders),
            unknown=NO_ASSIGNMENT,
        )
        return [result] if isinstance(result, Reply) else result

    async def assignments(self, client: Person) -> Reply:
        """The client's open assignments, each with a Start button."""
        return await self._reply(client, assignments.client_assignments, NO_ASSIGNMENT)

    async def screen(self, message: Incoming) -> Reply | None:
        """Read a message before tutoring: distress gets a caring reply, never tutoring;
        asking for the coach tells the coach. None: tutor the message as usual."""
        kind = read_flag(message.text)
        if kind is None:
            return None
        now, person = self.clock(), message.person

        def unit(session: Session) -> int:
            user = user_store.get_user(session, person.platform, person.user_id)
            if user is None or user.consent_at is None:
                return 0
            screened = screen_message(session, user, message.text, now)
            return screened.coaches_told if screened is not None else 0

        told = await self.database.run(unit)
        if kind == DISTRESS:
            return Reply(self.safety.caring_message(coach_told=told > 0))
        if kind == ASKED_FOR_COACH and told:
            return Reply("I've let your coach know you'd like to talk.")
        return None
