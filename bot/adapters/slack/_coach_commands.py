"""`/coach` subcommands: each parses its words, asks the coaching desk once, and answers
the person alone (an ephemeral reply, or their DM when it comes with a file)."""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack._coach_forms import assign_modal, exercise_modal, worksheet_modal
from bot.adapters.slack._send import Place
from bot.adapters.slack._turns import SlackTurns, person
from bot.services.coach_desk import CoachDesk
from bot.services.messages import Person, Reply

COMMAND = "/coach"
NO_COACHING = "Coaching isn't available here."
SENT_TO_DM = "I've sent it to our direct messages."
COACH_HELP = """\
*/coach* for coaches:
  `invite`  a code for a client to accept
  `exercise`  write an exercise in a form (a question, what a specific answer contains, follow-ups)
  `worksheet`  paste a list of questions and review the exercise made of it
  `from <course> <exercise>`  take a reflection from an installed course
  `exercises`  your exercises; `edit <n>` changes one in its form
  `assign`  give a client an exercise, with a due date and a note
  `clients`  your clients at a glance
  `client <name>`  one client's work (transcripts as a file, in our DM)
  `csv`  your clients' assignments as a CSV file, in our DM
  `brief <client>`  the brief for your next session with them
  `next <client> <when>`  set the next session (`next sam monday 10:00`)
  `reminders <client> all|overdue|off [n]`  their reminders, paused after n unanswered
  `followup <client>`  a message drafted from their work: nothing goes before you send it
  `send <n> [your text]`  send draft n (as it is, or as you rewrote it); `discard <n>`
  `end <client>`  stop working with a client
*/coach* for clients:
  `accept <code>`  read what your coach will see, then accept
  `assignments`  the exercises your coach gave you
  `end [coach]`  stop working with a coach"""
ALIASES = {"join": "accept", "export": "csv", "write": "exercise", "session": "next"}
USAGE = {
    "from": "Name a course and one of its exercises: `/coach from <course> <exercise>`.",
    "client": "Name the client: `/coach client <name>` (or their number from `/coach clients`).",
    "brief": "Name the client: `/coach brief <name>`.",
    "next": "Name the client and when: `/coach next sam monday 10:00`.",
    "reminders": "Say whose and how: `/coach reminders sam overdue 2` (all, overdue or off).",
    "accept": "Give the invite code: `/coach accept ABCD-EFGH`.",
    "followup": "Name the client: `/coach followup <name>`.",
    "send": "Give the draft's number: `/coach send 3` (add your own text to replace it).",
    "discard": "Give the draft's number: `/coach discard 3`.",
    "edit": "Give the exercise's number: `/coach edit 2` (`/coach exercises` lists them).",
}
NO_CLIENTS = "No clients yet: `/coach invite` makes a code to send to one."
NO_EXERCISES = (
    "No exercises yet: `/coach exercise` writes one, `/coach worksheet` makes one from a list "
    "of questions, `/coach from <course> <exercise>` takes one from a course."
)


class CoachCommands:
    """Run `/coach` subcommands over the coaching desk and the adapter's sender."""

    def __init__(self, turns: SlackTurns, desk: CoachDesk | None) -> None:
        self.turns = turns
        self.desk = desk

    async def run(self, command: dict[str, Any], client: AsyncWebClient) -> None:
        """Run one subcommand and answer the person who typed it."""
        words = (command.get("text") or "").strip().split(maxsplit=1)
        name = ALIASES.get(words[0].lower(), words[0].lower()) if words else "help"
        argument = words[1].strip() if len(words) > 1 else ""
        user_id = str(command["user_id"])
        origin = Place(response_url=command.get("response_url"))
        invoked_in = str(command.get("channel_id") or "")
        who = person(user_id, str(command.get("user_name") or ""))
        desk = self.desk
        if desk is None:
            await self.turns.sender.send_text(origin, NO_COACHING)
            return
        usage = self._usage(name, argument)
        if usage is not None:
            await self.turns.sender.send_text(origin, usage)
            return
        trigger = str(command.get("trigger_id") or "")
        if name in {"exercise", "worksheet"}:
            view = exercise_modal() if name == "exercise" else worksheet_modal()
            await client.views_open(trigger_id=trigger, view=view)
        elif name == "edit":
            number = int(argument.split()[0].lstrip("#"))
            found = await desk.exercise_form(who, number)
            if isinstance(found, Reply):
                await self.turns.sender.send(origin, [found])
            else:
                await client.views_open(trigger_id=trigger, view=exercise_modal(found, number))
        elif name == "assign":
            await self._open_assign(desk, who, trigger, origin, client)
        else:
            reply = await self._reply(desk, name, who, argument)
            if reply.attachments:  # a transcript or a CSV: a file for the person alone
                await self.to_dm(user_id, reply, origin, invoked_in)
            else:
                await self.turns.sender.send(origin, [reply])

    def _usage(self, name: str, argument: str) -> str | None:
        """The usage line of a subcommand missing its words; the help for an unknown one."""
        args = argument.split()
        needed = {"from": 2, "next": 2, "reminders": 2, "accept": 1, "client": 1, "brief": 1}
        needed |= {"followup": 1, "send": 1, "discard": 1, "edit": 1}
        if name in needed and len(args) < needed[name]:
            return USAGE[name]
        if name in {"send", "discard", "edit"} and not args[0].lstrip("#").isdigit():
            return USAGE[name]
        if name == "reminders" and len(args) > 2 and not args[2].isdigit():
            return USAGE[name]
        if name not in COMMANDS:
            return COACH_HELP
        return None

    async def _reply(self, desk: CoachDesk, name: str, who: Person, argument: str) -> Reply:
        """Ask the desk for one subcommand's reply."""
        first, _, rest = argument.partition(" ")
        if name == "invite":
            return await desk.invite(await self._named(who))
        if name == "accept":
            return await desk.preview_invite(who, argument)
        if name == "from":
            return await desk.exercise_from_course(who, first, rest.strip())
        if name == "exercises":
            return await desk.exercises(who)
        if name == "clients":
            return await desk.clients(who)
        if name == "client":
            return await desk.client(who, argument)
        if name == "csv":
            return await desk.export_csv(who)
        if name == "brief":
            return await desk.brief(who, argument)
        if name == "next":
            return await desk.next_session(who, first, rest.strip())
        if name == "reminders":
            mode, _, after = rest.strip().partition(" ")
            pause = int(after) if after.strip().isdigit() else None
            return await desk.reminders_for(who, first, mode.lower(), pause)
        if name == "assignments":
            return await desk.assignments(who)
        if name == "followup":
            return await desk.followup(who, argument)
        if name == "send":
            return await desk.send_followup(who, int(first.lstrip("#")), rest.strip() or None)
        if name == "discard":
            return await desk.discard_followup(who, int(first.lstrip("#")))
        return await desk.end(who, argument)

    async def _named(self, who: Person) -> Person:
        """The person with their Slack display name, which a client reads in an invite."""
        name, _timezone = await self.turns.profile(who.user_id)
        return person(who.user_id, name or who.display_name)

    async def _open_assign(
        self, desk: CoachDesk, coach: Person, trigger: str, origin: Place, client: AsyncWebClient
    ) -> None:
        """Open the assignment form with the coach's own clients and exercises."""
        clients = [(ref, f"{name} ({ref})") for ref, name in await desk.client_choices(coach)]
        found = await desk.exercise_choices(coach)
        exercises = [(value, f"#{value} {title}") for value, title in found]
        if not clients or not exercises:
            await self.turns.sender.send_text(origin, NO_CLIENTS if not clients else NO_EXERCISES)
            return
        await client.views_open(trigger_id=trigger, view=assign_modal(clients, exercises))

    async def to_dm(
        self, user_id: str, reply: Reply, origin: Place | None = None, invoked_in: str = ""
    ) -> None:
        """Send a reply (and its files) into the person's DM; say so where they asked."""
        channel = await self.turns.sender.dm_channel(user_id)
        await self.turns.sender.send(Place(channel), [reply])
        if origin is not None and invoked_in != channel:
            await self.turns.sender.send_text(origin, SENT_TO_DM)


COMMANDS = {
    "invite",
    "exercise",
    "worksheet",
    "from",
    "exercises",
    "assign",
    "clients",
    "client",
    "csv",
    "brief",
    "next",
    "reminders",
    "end",
    "accept",
    "assignments",
    "followup",
    "send",
    "discard",
    "edit",
}
