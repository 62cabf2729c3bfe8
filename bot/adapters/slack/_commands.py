"""`/tutor` and its subcommands: acknowledged at once, the work done after."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack._forms import open_long_answer, open_settings
from bot.adapters.slack._render import SlackMessage, course_picker
from bot.adapters.slack._send import Place
from bot.adapters.slack._turns import SlackTurns, person
from bot.services.commands import HELP_TEXT
from bot.services.data_requests import FORGET_QUESTION
from bot.services.messages import choices_for

COMMAND = "/tutor"
TUTORING = {"hint", "skip", "next", "progress", "review", "courses"}
ALIASES = {"start": "learn", "stats": "progress", "delete": "forget", "prefs": "settings"}
SLASH_HELP = (
    "*/tutor* learn <course> · hint · skip · next · progress · review · answer (a form for "
    "long answers) · settings · export · forget · help\n"
    "In our direct messages you can also just type your answers and these words:\n"
)


def register(app: AsyncApp, turns: SlackTurns) -> None:
    """Listen to the slash command."""

    @app.command(COMMAND)
    async def on_tutor(ack: Any, command: dict[str, Any], client: AsyncWebClient) -> None:
        """Acknowledge within Slack's 3 seconds, then run the subcommand."""
        await ack()
        async with turns.running.tracked():
            await run_command(turns, command, client)


async def run_command(turns: SlackTurns, command: dict[str, Any], client: AsyncWebClient) -> None:
    """Run one subcommand; tutoring goes on in the learner's DM."""
    words = (command.get("text") or "").strip().split(maxsplit=1)
    name = ALIASES.get(words[0].lower(), words[0].lower()) if words else "help"
    argument = words[1].strip() if len(words) > 1 else ""
    user_id = str(command["user_id"])
    origin = Place(response_url=command.get("response_url"))
    invoked_in = str(command.get("channel_id") or "")
    if name == "learn":
        course = await course_argument(turns, user_id, argument)
        if course is None:
            await turns.sender.send_message(origin, SlackMessage("Pick a course", course_picker()))
        else:
            await turns.turn_in_dm(user_id, f"start {course}", origin, invoked_in)
    elif name in TUTORING:
        await turns.turn_in_dm(user_id, name, origin, invoked_in)
    elif name == "settings":
        await open_settings(turns, user_id, str(command["trigger_id"]), client, origin)
    elif name == "answer":
        channel = await turns.sender.dm_channel(user_id)
        await open_long_answer(client, str(command["trigger_id"]), channel)
    elif name == "export":
        await turns.export(user_id, origin, invoked_in)
    elif name == "forget":
        await turns.sender.send_text(origin, FORGET_QUESTION, choices_for(("forget-confirm",)))
    else:
        await turns.sender.send_text(origin, SLASH_HELP + HELP_TEXT)


async def course_argument(turns: SlackTurns, user_id: str, argument: str) -> str | None:
    """The course to start: the id typed, or the one course whose name matches (None: ask)."""
    if not argument:
        return None
    matches = await turns.tutor.course_choices_for(person(user_id), argument)
    exact = [course_id for course_id, _title in matches if course_id == argument.lower()]
    if exact or len(matches) == 1:
        return (exact or [matches[0][0]])[0]
    # one word: the tutor names the candidates or the courses; several words: a menu
    return argument if " " not in argument else None
