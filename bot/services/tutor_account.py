"""The learner's own account through the service API: export, forget, settings, DMs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.content.catalog import Catalog
from bot.services.account import (
    SettingsChange,
    SettingsInputError,
    apply_settings,
    describe_settings,
)
from bot.services.known_turns import KnownDialogues
from bot.services.messages import Person, clean_id
from bot.services.privacy import export_user, forget_user
from bot.services.reminders import snooze
from bot.services.standing import Standing, read_standing
from bot.store import users as user_store
from bot.store.db import Database

__all__ = ["AccountRequests"]


class AccountRequests:
    """What a learner asks of their own record; the `Tutor` serves it with these methods."""

    database: Database
    catalog: Catalog
    clock: Callable[[], datetime]
    threshold: float
    known: KnownDialogues
    # The Tutor's per-learner lock, so none of these interleaves with a turn.
    _lock: Callable[[str, str], asyncio.Lock]

    async def standing(self, person: Person) -> Standing:
        """Read the learner's course, skills, due reviews, open exercise and settings."""
        return await self.database.run(
            read_standing, person, self.catalog, self.clock(), self.threshold
        )

    async def export(self, person: Person) -> dict[str, Any] | None:
        """Return every row about the learner, or None when nothing is stored."""
        platform, user_id = person.platform, person.user_id

        def unit(session: Session) -> dict[str, Any] | None:
            user = user_store.get_user(session, platform, user_id)
            return None if user is None else export_user(session, user)

        return await self.database.run(unit)

    async def forget(self, person: Person) -> bool:
        """Delete everything about the learner; tell whether anything was stored."""
        platform, user_id = person.platform, person.user_id

        def unit(session: Session) -> bool:
            user = user_store.get_user(session, platform, user_id)
            if user is None:
                return False
            forget_user(session, user)
            return True

        async with self._lock(platform, user_id):
            self.known.drop(platform, user_id)  # nothing of theirs stays in this process
            return await self.database.run(unit)

    async def change_settings(self, person: Person, change: SettingsChange) -> str:
        """Apply the learner's settings; a bad value gets a plain sentence back."""
        platform, user_id = person.platform, person.user_id

        def unit(session: Session) -> str:
            user = user_store.get_user(session, platform, user_id)
            if user is None or user.consent_at is None:
                return "Say hello to me in a DM first, then set your preferences."
            try:
                done = apply_settings(user, change, self.clock())
            except SettingsInputError as exc:
                return str(exc)
            session.add(user)
            return " ".join(done) if done else describe_settings(user)

        async with self._lock(platform, user_id):
            return await self.database.run(unit)

    async def snooze(self, person: Person, until: str) -> str:
        """Hold review prompts back for an hour (`hour`) or until tomorrow (`tomorrow`)."""
        platform, user_id = person.platform, person.user_id

        def unit(session: Session) -> str:
            user = user_store.get_user(session, platform, user_id)
            if user is None:
                return "There's nothing to snooze."
            return snooze(session, user, until, self.clock())

        async with self._lock(platform, user_id):
            return await self.database.run(unit)

    async def remember_dm_channel(self, person: Person, channel_id: str) -> None:
        """Store the learner's DM channel, so a later DM costs one request, not two."""
        platform, user_id, channel_id = person.platform, person.user_id, clean_id(channel_id)

        def unit(session: Session) -> None:
            user = user_store.get_user(session, platform, user_id)
            if user is not None and (
                user.dm_channel_id != channel_id or user.unreachable_at is not None
            ):
                user.dm_channel_id = channel_id
                user.unreachable_at = None
                session.add(user)

        await self.database.run(unit)

    async def mark_unreachable(self, person: Person) -> None:
        """Record that the learner's DMs are closed, so nothing retries in a loop."""
        platform, user_id = person.platform, person.user_id

        def unit(session: Session) -> None:
            user = user_store.get_user(session, platform, user_id)
            if user is not None:
                user.unreachable_at = self.clock()
                session.add(user)

        await self.database.run(unit)
