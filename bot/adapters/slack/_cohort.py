"""`/cohort`, joining a cohort's channel, and course uploads: acknowledged at once, the
cohort desk and the course shelf do the work."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack._cohort_buttons import CohortButtons
from bot.adapters.slack._cohort_commands import COMMAND, CohortCommands
from bot.adapters.slack._turns import SlackTurns
from bot.adapters.slack._uploads import UPLOAD_MODAL, CourseUploads, submitted_files
from bot.services.cohort_desk import CohortDesk
from bot.services.cohort_desk import Place as CohortPlace
from bot.services.course_shelf import CourseShelf


def register(
    app: AsyncApp,
    turns: SlackTurns,
    desk: CohortDesk | None,
    shelf: CourseShelf | None,
    buttons: CohortButtons | None,
) -> None:
    """Listen to `/cohort`, to members joining a channel and, with a shelf, to uploads."""
    commands = CohortCommands(turns, desk, buttons, uploads=shelf is not None)

    @app.command(COMMAND)
    async def on_cohort(ack: Any, command: dict[str, Any], client: AsyncWebClient) -> None:
        """Acknowledge within Slack's 3 seconds, then run the subcommand."""
        await ack()
        async with turns.running.tracked():
            await commands.run(command, client)

    @app.event("member_joined_channel")
    async def on_member_joined(
        body: dict[str, Any], event: dict[str, Any], context: dict[str, Any]
    ) -> None:
        """Someone joined a cohort's channel: ask for their consent in a DM (nothing stored)."""
        user = str(event.get("user") or "")
        if buttons is None or not user or user == context.get("bot_user_id"):
            return
        team = str(event.get("team") or body.get("team_id") or "")
        async with turns.running.tracked():
            place = CohortPlace(team, str(event.get("channel") or "") or None)
            await buttons.ask_consent(user, place, None, None)

    if shelf is None:
        return
    uploads = CourseUploads(turns, shelf, desk)
    app.use(uploads.middleware)

    @app.view(UPLOAD_MODAL)
    async def on_upload(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        """Close the form, then check the files and answer in the DM."""
        await ack()
        async with turns.running.tracked():
            user = body.get("user") or {}
            team = str((body.get("team") or {}).get("id") or user.get("team_id") or "")
            await uploads.receive(str(user["id"]), team, submitted_files(view))
