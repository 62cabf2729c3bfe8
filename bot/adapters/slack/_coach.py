"""`/coach` and the coach's forms: acknowledged at once, the coaching desk does the work."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack._coach_commands import COMMAND, CoachCommands
from bot.adapters.slack._coach_forms import (
    ASSIGN_MODAL,
    EXERCISE_MODAL,
    WORKSHEET_MODAL,
    edited_exercise,
    exercise_modal,
    read_assignment,
    read_exercise,
    read_worksheet,
)
from bot.adapters.slack._turns import SlackTurns, person
from bot.services.coach_desk import CoachDesk
from bot.services.messages import Person, Reply


def register(app: AsyncApp, turns: SlackTurns, desk: CoachDesk | None) -> None:
    """Listen to `/coach` and, where coaching runs, to the coach's forms."""
    commands = CoachCommands(turns, desk)

    @app.command(COMMAND)
    async def on_coach(ack: Any, command: dict[str, Any], client: AsyncWebClient) -> None:
        """Acknowledge within Slack's 3 seconds, then run the subcommand."""
        await ack()
        async with turns.running.tracked():
            await commands.run(command, client)

    if desk is None:
        return

    @app.view(EXERCISE_MODAL)
    async def on_exercise(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        """Refuse an empty or unusable field in the form itself; save the rest."""
        form, errors = read_exercise(view)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        async with turns.running.tracked():
            coach = submitter(body)
            saved = await desk.save_exercise(coach, form, edited_exercise(view))
            await commands.to_dm(coach.user_id, saved)

    @app.view(WORKSHEET_MODAL)
    async def on_worksheet(ack: Any, view: dict[str, Any], client: AsyncWebClient) -> None:
        """Turn the pasted questions into the exercise form, filled in, for the coach to review.

        The guesses come back at once; a model's criteria, when there is one, replace them
        in the open form a moment later (Slack's 3 seconds do not wait for a model).
        """
        text, title = read_worksheet(view)
        form = desk.worksheet(text, title)
        if isinstance(form, Reply):
            await ack(response_action="errors", errors={"worksheet": form.text[:300]})
            return
        await ack(response_action="update", view=exercise_modal(form))
        if desk.criteria_writer is None or not view.get("id"):
            return
        async with turns.running.tracked():
            proposed = await desk.propose_criteria(form)
            if proposed != form:
                await client.views_update(view_id=view["id"], view=exercise_modal(proposed))

    @app.view(ASSIGN_MODAL)
    async def on_assign(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        """Refuse a date that cannot be read in the form; assign, and confirm in the DM."""
        (client, exercise, due, note), errors = read_assignment(view, desk.clock())
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        async with turns.running.tracked():
            coach = submitter(body)
            reply = await desk.assign(coach, client, exercise, due, note)
            await commands.to_dm(coach.user_id, reply)


def submitter(body: dict[str, Any]) -> Person:
    """The person who submitted a form."""
    user = body.get("user") or {}
    return person(str(user["id"]), str(user.get("username") or user.get("name") or ""))
