"""Buttons and menus: every action id carries what it needs, so old buttons keep working."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack._coach_buttons import COACH_BUTTONS, coach_click
from bot.adapters.slack._cohort_buttons import COHORT_BUTTONS, CohortButtons
from bot.adapters.slack._forms import open_long_answer, open_settings
from bot.adapters.slack._render import ACTION_PREFIX, COURSE_SELECT, SAY_PREFIX, course_options
from bot.adapters.slack._send import Place
from bot.adapters.slack._turns import SlackTurns, person

WORDS = {"hint": "hint", "skip": "skip", "next": "next", "progress": "progress"}
WORDS |= {"review": "review", "start-review": "review"}
RETIRED = "That button is no longer in use."


def register(app: AsyncApp, turns: SlackTurns, cohorts: CohortButtons | None = None) -> None:
    """Listen to the tutor's buttons and its course menu."""

    @app.action(re.compile(f"^{re.escape(ACTION_PREFIX)}"))
    async def on_action(
        ack: Any, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """Acknowledge the click, then act on it."""
        await ack()
        async with turns.running.tracked():
            await run_action(turns, body, action, client, cohorts)

    @app.options(COURSE_SELECT)
    async def on_course_search(ack: Any, payload: dict[str, Any]) -> None:
        """Offer the courses this learner may start that match what they typed."""
        typed = str(payload.get("value") or "")
        learner = person(str((payload.get("user") or {}).get("id") or ""))
        found = await turns.tutor.course_choices_for(learner, typed, limit=100)
        await ack(options=course_options(found))


def place_of(body: dict[str, Any]) -> Place | None:
    """Where the clicked message is: a DM (and thread), an ephemeral reply, or App Home (None)."""
    container = body.get("container") or {}
    if container.get("type") != "message":
        return None  # App Home or a form: answers go to the DM
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    if container.get("is_ephemeral") or not channel:
        return Place(response_url=body.get("response_url"))
    return Place(str(channel), (body.get("message") or {}).get("thread_ts"))


async def run_action(
    turns: SlackTurns,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    cohorts: CohortButtons | None = None,
) -> None:
    """Act on one click; tutoring answers in the clicked conversation, or in the DM."""
    user_id = str(body["user"]["id"])
    action_id = str(action.get("action_id", ""))
    clicked = place_of(body)
    conversation = clicked if clicked is not None and not clicked.private else None
    word = action_id.removeprefix(ACTION_PREFIX)
    if action_id == COURSE_SELECT:
        course = (action.get("selected_option") or {}).get("value")
        if course:
            await turns.turn_in_dm(user_id, f"start {course}")
    elif action_id.startswith(SAY_PREFIX) or word in WORDS:
        text = WORDS.get(word) or action_id.removeprefix(SAY_PREFIX)
        if conversation is not None:
            await turns.turn(user_id, text, conversation)
        else:
            await turns.turn_in_dm(user_id, text)
    elif word == "consent":
        target = conversation or Place(await turns.sender.dm_channel(user_id))
        await turns.consent(user_id, target)
    elif word in {"snooze-hour", "snooze-tomorrow"}:
        await turns.snooze(user_id, word, await _answer_place(turns, user_id, clicked))
    elif word == "forget-confirm":
        await turns.forget(user_id, await _answer_place(turns, user_id, clicked))
    elif word == "export":
        await turns.export(user_id)
    elif word == "long-answer":
        target = conversation or Place(await turns.sender.dm_channel(user_id))
        assert target.channel is not None
        await open_long_answer(client, body["trigger_id"], target.channel, target.thread_ts)
    elif word == "settings":
        place = await _answer_place(turns, user_id, clicked)
        await open_settings(turns, user_id, body["trigger_id"], client, place)
    elif word.startswith(COACH_BUTTONS):
        await coach_click(turns, user_id, word, clicked)
    elif word.startswith(COHORT_BUTTONS) and cohorts is not None:
        await cohorts.click(user_id, word, body, clicked)
    else:
        await turns.sender.send_text(await _answer_place(turns, user_id, clicked), RETIRED)


async def _answer_place(turns: SlackTurns, user_id: str, clicked: Place | None) -> Place:
    """Answer where the click was, or in the DM when it was on App Home."""
    return clicked if clicked is not None else Place(await turns.sender.dm_channel(user_id))
