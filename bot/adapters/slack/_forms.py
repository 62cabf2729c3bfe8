"""The settings form and the long-answer form: opened from buttons or `/tutor`, submitted here."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack._render import LONG_ANSWER_MODAL, SETTINGS_MODAL
from bot.adapters.slack._send import Place
from bot.adapters.slack._surfaces import long_answer_modal, settings_modal, submitted
from bot.adapters.slack._turns import SlackTurns, person
from bot.services.account import (
    MAX_PAUSE_DAYS,
    SettingsChange,
    SettingsInputError,
    parse_interests,
    parse_quiet_hours,
    parse_timezone,
)

NOT_YET = "Say hello to me in a direct message first, then set your preferences."


def register(app: AsyncApp, turns: SlackTurns) -> None:
    """Listen to the forms' submissions."""

    @app.view(SETTINGS_MODAL)
    async def on_settings(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        """Refuse a bad value in the form itself; apply the rest and confirm in the DM."""
        values = view.get("state", {}).get("values", {})
        change, errors = settings_change(values, _metadata(view))
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        async with turns.running.tracked():
            user_id = str(body["user"]["id"])
            text = await turns.tutor.change_settings(person(user_id), change)
            await turns.sender.send_text(Place(await turns.sender.dm_channel(user_id)), text)
            turns.home.refresh(person(user_id))

    @app.view(LONG_ANSWER_MODAL)
    async def on_long_answer(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        """Treat the form's text as the learner's answer, in the conversation it came from."""
        await ack()
        async with turns.running.tracked():
            user_id = str(body["user"]["id"])
            text = submitted(view.get("state", {}).get("values", {}), "answer") or ""
            metadata = _metadata(view)
            channel = metadata.get("channel") or await turns.sender.dm_channel(user_id)
            place = Place(str(channel), metadata.get("thread_ts") or None)
            await turns.turn(user_id, text, place)


def settings_change(
    values: dict[str, Any], before: dict[str, Any]
) -> tuple[SettingsChange, dict[str, str]]:
    """Read the settings form: what changed, and a plain sentence per field that is wrong."""
    errors: dict[str, str] = {}
    timezone, quiet = submitted(values, "timezone"), submitted(values, "quiet")
    pause_text = submitted(values, "pause")
    try:
        if timezone is not None:
            timezone = parse_timezone(timezone)
    except SettingsInputError as exc:
        errors["timezone"] = str(exc)
    try:
        if quiet is not None:
            quiet = "-".join(parse_quiet_hours(quiet))
    except SettingsInputError as exc:
        errors["quiet"] = str(exc)
    interests = str(before.get("interests", ""))
    try:
        interests = ", ".join(parse_interests(submitted(values, "interests") or ""))
    except SettingsInputError as exc:
        errors["interests"] = str(exc)
    pause: int | None = None
    if pause_text is not None:
        try:
            pause = int(pause_text)
        except ValueError:
            pause = -1
        if not 0 <= pause <= MAX_PAUSE_DAYS:
            errors["pause"] = f"Pause for 0 to {MAX_PAUSE_DAYS} days."
    change = SettingsChange(
        timezone=timezone if timezone != before.get("tz") else None,
        quiet_hours=quiet if quiet != before.get("quiet") else None,
        # 0 when nothing was paused changes nothing: say nothing about it
        pause_days=None if pause == 0 and not before.get("paused") else pause,
        interests=None if interests == before.get("interests", "") else interests or "none",
    )
    return change, errors


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    """The form's private metadata (where it was opened, the values it was opened with)."""
    try:
        found = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


async def open_settings(
    turns: SlackTurns, user_id: str, trigger_id: str, client: AsyncWebClient, place: Place
) -> None:
    """Open the settings form with the learner's values (once they have agreed)."""
    state = await turns.home.state(person(user_id))
    if state.settings is None:
        await turns.sender.send_text(place, NOT_YET)
        return
    settings = state.settings
    metadata = json.dumps(
        {
            "quiet": settings.quiet_hours,
            "tz": settings.timezone,
            "paused": settings.paused,
            "interests": settings.interests,
        }
    )
    await client.views_open(trigger_id=trigger_id, view=settings_modal(state.settings, metadata))


async def open_long_answer(
    client: AsyncWebClient, trigger_id: str, channel: str, thread_ts: str | None = None
) -> None:
    """Open the long-answer form; its answer goes back to `channel` (and thread)."""
    metadata = json.dumps({"channel": channel, "thread_ts": thread_ts})
    await client.views_open(trigger_id=trigger_id, view=long_answer_modal(metadata))
