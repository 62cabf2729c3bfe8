"""One learner turn from any Slack surface: ask the tutor, send the replies, refresh Home."""

from __future__ import annotations

import json
import logging
from typing import NamedTuple

from slack_sdk.errors import SlackApiError

from bot.adapters.slack._home import HomePublisher
from bot.adapters.slack._send import Place, ReplySender
from bot.adapters.slack._tasks import RunningWork
from bot.services.account import SettingsChange
from bot.services.messages import Attachment, Person
from bot.services.tutor import Tutor

log = logging.getLogger(__name__)

PLATFORM = "slack"
DM_MOVED = "I've sent you a direct message: let's continue there."
EXPORT_NAME = "socratic-tutor-export.json"


class SlackProfile(NamedTuple):
    """What Slack says about a user: display name, time zone and language tag (or empty)."""

    name: str
    timezone: str
    locale: str


def person(user_id: str, name: str = "") -> Person:
    """Name a Slack user in the tutor's neutral words."""
    return Person(PLATFORM, user_id, name)


class SlackTurns:
    """What every Slack listener shares: the tutor, the sender, App Home, running work."""

    def __init__(
        self, tutor: Tutor, sender: ReplySender, home: HomePublisher, running: RunningWork
    ) -> None:
        self.tutor = tutor
        self.sender = sender
        self.home = home
        self.running = running

    async def turn(self, user_id: str, text: str, place: Place) -> None:
        """Hand the learner's words to the tutor and answer in their DM (or its thread).

        Learners work only in the app's DM: plain messages, threads there, the assistant
        panel (its threads are in the DM too) and the answers to buttons and forms.
        """
        learner = person(user_id)
        replies = await self.tutor.handle(learner.says(text, channel_id=place.channel))
        await self.sender.send(place, replies)
        if place.channel is not None:
            await self.tutor.remember_dm_channel(learner, place.channel)
        self.home.refresh(learner)

    async def turn_in_dm(
        self, user_id: str, text: str, origin: Place | None = None, invoked_in: str = ""
    ) -> None:
        """Run a turn whose replies go to the learner's DM; say so when asked elsewhere."""
        channel = await self.sender.dm_channel(user_id)
        if origin is not None and invoked_in != channel:
            await self.sender.send_text(origin, DM_MOVED)
        await self.turn(user_id, text, Place(channel))

    async def consent(self, user_id: str, place: Place) -> None:
        """Record consent with the Slack profile's name, time zone and language, then welcome."""
        profile = await self.slack_profile(user_id)
        learner = person(user_id, profile.name)
        replies = await self.tutor.consent(learner.says(""))
        # Defaults the learner changes any time; one this machine can't read is left out alone.
        if profile.timezone:
            await self.tutor.change_settings(learner, SettingsChange(timezone=profile.timezone))
        if profile.locale:
            await self.tutor.change_settings(learner, SettingsChange(locale=profile.locale))
        if place.channel is not None:  # stored before the welcome, which says all is ready
            await self.tutor.remember_dm_channel(learner, place.channel)
        await self.sender.send(place, replies)
        self.running.spawn(self.home.publish(learner), "publishing App Home")

    async def profile(self, user_id: str) -> tuple[str, str]:
        """Return the user's display name and time zone from Slack (empty when unknown)."""
        found = await self.slack_profile(user_id)
        return found.name, found.timezone

    async def slack_profile(self, user_id: str) -> SlackProfile:
        """Ask Slack for the user's name, time zone and language (empty when unknown)."""
        await self.sender.pacing.method("users.info")
        try:
            response = await self.sender.client.users_info(user=user_id, include_locale=True)
        except SlackApiError as exc:
            log.warning("slack: users.info failed (%s)", exc.response.get("error", "?"))
            return SlackProfile("", "", "")
        user = response.get("user") or {}
        profile = user.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or user.get("name") or ""
        return SlackProfile(str(name), str(user.get("tz") or ""), str(user.get("locale") or ""))

    async def snooze(self, user_id: str, action: str, place: Place) -> None:
        """Hold review prompts back for an hour or until tomorrow."""
        until = "tomorrow" if action == "snooze-tomorrow" else "hour"
        await self.sender.send_text(place, await self.tutor.snooze(person(user_id), until))

    async def export(self, user_id: str, origin: Place | None = None, invoked_in: str = "") -> None:
        """Send every row about the learner as a file into their DM, for their eyes only."""
        channel = await self.sender.dm_channel(user_id)
        data = await self.tutor.export(person(user_id))
        if data is None:
            await self.sender.send_text(origin or Place(channel), "I have no data about you.")
            return
        payload = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        await self.sender.send_text(Place(channel), "Here is everything I store about you.")
        await self.sender.upload(channel, Attachment(EXPORT_NAME, payload, "application/json"))
        if origin is not None and invoked_in != channel:
            await self.sender.send_text(origin, "I've sent your data to our direct messages.")

    async def forget(self, user_id: str, place: Place) -> None:
        """Delete everything about the learner, then say so."""
        learner = person(user_id)
        removed = await self.tutor.forget(learner)
        text = "Done: everything about you is deleted." if removed else "I had no data about you."
        await self.sender.send_text(place, text, replace=place.private)
        self.running.spawn(self.home.publish(learner), "publishing App Home")
