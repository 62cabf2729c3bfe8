"""App Home opened: publish the learner's progress there."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.adapters.slack._turns import SlackTurns, person


def register(app: AsyncApp, turns: SlackTurns) -> None:
    """Listen to the Home tab being opened."""

    @app.event("app_home_opened")
    async def on_home_opened(event: dict[str, Any]) -> None:
        """Publish the Home tab (the Messages tab needs nothing)."""
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        async with turns.running.tracked():
            await turns.home.publish(person(str(event["user"])), force=True)
