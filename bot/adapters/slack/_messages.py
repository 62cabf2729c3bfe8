"""Direct messages to the app: each becomes one turn of the tutor."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.adapters.slack._render import unescape
from bot.adapters.slack._send import Place
from bot.adapters.slack._turns import SlackTurns

# plain messages, and messages with a file (the text is read; the file is not)
TUTORED_SUBTYPES = {None, "file_share"}


def is_learner_dm(event: dict[str, Any]) -> bool:
    """Tell a learner's new DM from edits, deletions, bots and messages in channels."""
    return (
        event.get("channel_type") == "im"
        and event.get("subtype") in TUTORED_SUBTYPES
        and not event.get("bot_id")
        and bool(event.get("user"))
        and bool(event.get("channel"))
    )


def register(app: AsyncApp, turns: SlackTurns) -> None:
    """Listen to messages; the Events API acknowledges them before the tutor works."""

    @app.event("message")
    async def on_message(event: dict[str, Any]) -> None:
        """Tutor a learner's DM; ignore every other message."""
        if not is_learner_dm(event):
            return
        async with turns.running.tracked():
            place = Place(event["channel"], event.get("thread_ts"))
            await turns.turn(event["user"], unescape(event.get("text") or ""), place)
