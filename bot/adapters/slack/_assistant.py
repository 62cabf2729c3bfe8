"""The assistant side panel (Agents & AI Apps): suggested prompts, a status while working.

Where a workspace has no such panel, plain DMs do the same; a reply in a DM thread is
handled here too, with the status skipped when Slack has no assistant thread there.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.set_status.async_set_status import AsyncSetStatus
from slack_bolt.context.set_suggested_prompts.async_set_suggested_prompts import (
    AsyncSetSuggestedPrompts,
)
from slack_bolt.middleware.assistant.async_assistant import AsyncAssistant
from slack_sdk.errors import SlackApiError

from bot.adapters.slack._messages import is_learner_dm
from bot.adapters.slack._render import unescape
from bot.adapters.slack._send import Place
from bot.adapters.slack._turns import SlackTurns

log = logging.getLogger(__name__)

PROMPTS = [
    {"title": "Continue my course", "message": "next"},
    {"title": "What's due for review?", "message": "review"},
    {"title": "Show my progress", "message": "progress"},
    {"title": "Which courses are there?", "message": "courses"},
]
THINKING = "is thinking…"


def register(app: AsyncApp, turns: SlackTurns) -> None:
    """Add the assistant's listeners to the app."""
    assistant = AsyncAssistant()

    @assistant.thread_started
    async def on_thread_started(set_suggested_prompts: AsyncSetSuggestedPrompts) -> None:
        """Offer the learner a few ways to begin."""
        async with turns.running.tracked():
            await set_suggested_prompts(prompts=PROMPTS, title="What would you like to do?")

    @assistant.user_message
    async def on_user_message(payload: dict[str, Any], set_status: AsyncSetStatus) -> None:
        """Show a status while the tutor works, then answer in the thread."""
        if not is_learner_dm(payload):
            return
        async with turns.running.tracked():
            try:
                await set_status(THINKING)
            except SlackApiError as exc:  # a thread in a plain DM has no status to set
                log.debug("slack: no assistant status here (%s)", exc.response.get("error"))
            place = Place(payload["channel"], payload.get("thread_ts"))
            text = unescape(payload.get("text") or "")
            await turns.turn(payload["user"], text, place)

    app.use(assistant)
