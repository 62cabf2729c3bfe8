"""`/cohort` subcommands: each parses its words, asks the cohort desk once, and answers the
person alone (an ephemeral reply; files and consent questions go to their DM)."""

from __future__ import annotations

import re
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack._cohort_buttons import CohortButtons
from bot.adapters.slack._cohort_roles import WorkspaceRoles
from bot.adapters.slack._send import Place
from bot.adapters.slack._turns import SlackTurns, person
from bot.adapters.slack._uploads import upload_modal
from bot.services.cohort_desk import CohortDesk
from bot.services.cohort_desk import Place as CohortPlace
from bot.services.messages import Person, Reply

COMMAND = "/cohort"
COHORT_HELP = """\
*/cohort* for course creators and their staff (run it in the cohort's channel):
  `create <course> [start] [weekly|self] [time zone]`  run a course as a cohort here
  `upload`  upload a course (a zip or YAML files) or a worksheet (.md, .txt) to check
  `status [#]`  where the cohort is: who is stuck, on what, with which misconception
  `chart [#]` · `csv [#]`  the status as a picture or a spreadsheet, in our DM
  `staff add|remove @someone [#]`  name an assistant who sees the status
  `leaderboard on|off [#]`  a leaderboard by skills mastered (members can opt out)
  `automations nudge <days> certificates on|off [#n]`  idle nudges (0: none), certificates
  `end [#]`  end the cohort: no more posts or nudges
  `list`  your cohorts in this workspace
*/cohort* for members:
  `join` · `leave [#]` · `leaderboard [#]` · `leaderboard out|in [#]`"""
NO_COHORTS = "Cohorts aren't available here."
NOT_ALLOWED = (
    "Only a workspace admin or owner, or whoever made this channel, can start a cohort in it."
)
IN_A_CHANNEL = "Run `/cohort create` in the channel the cohort will run in."
INVITE_ME = (
    "I'm not in this channel, so I couldn't post the Join button: invite me "
    "(`/invite @Socratic Tutor`), then members join with `/cohort join`."
)
USAGE = {
    "create": "Name the course: `/cohort create <course> [YYYY-MM-DD] [weekly|self] [time zone]`.",
    "staff": "Say who: `/cohort staff add @someone` (or `remove`).",
    "automations": "Say what: `/cohort automations nudge 5 certificates on` (either or both).",
}
_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$")
_NUMBER = re.compile(r"^#?(\d+)$")
PACE_WORDS = {"weekly", "week", "self", "self-paced", "selfpaced"}


def cohort_number(words: list[str]) -> tuple[int | None, list[str]]:
    """Take a trailing cohort number (`3` or `#3`) off the words."""
    if words:
        found = _NUMBER.match(words[-1])
        if found is not None:
            return int(found[1]), words[:-1]
    return None, words


def create_words(args: list[str]) -> tuple[str, str, str, str]:
    """Read `<course> [start] [pace] [time zone]`, the optional ones in any order."""
    start, pace, zone = "today", "weekly", "UTC"
    for word in args[1:]:
        if word.lower() in PACE_WORDS:
            pace = word
        elif word[:1].isdigit() or word.lower() in {"today", "tomorrow", "now"}:
            start = word
        else:
            zone = word
    return args[0], start, pace, zone


class CohortCommands:
    """Run `/cohort` subcommands over the cohort desk and the adapter's sender."""

    def __init__(
        self,
        turns: SlackTurns,
        desk: CohortDesk | None,
        buttons: CohortButtons | None,
        *,
        uploads: bool = False,
    ) -> None:
        self.turns = turns
        self.desk = desk
        self.buttons = buttons
        self.uploads = uploads
        self.roles = WorkspaceRoles(turns.sender)

    async def run(self, command: dict[str, Any], client: AsyncWebClient) -> None:
        """Run one subcommand and answer the person who typed it."""
        words = (command.get("text") or "").split()
        name = words[0].lower() if words else "help"
        user_id = str(command["user_id"])
        origin = Place(response_url=command.get("response_url"))
        where = CohortPlace(
            str(command.get("team_id") or ""), str(command.get("channel_id") or "") or None
        )
        who = person(user_id, str(command.get("user_name") or ""))
        if self.desk is None or self.buttons is None:
            await self.turns.sender.send_text(origin, NO_COHORTS)
            return
        # `automations nudge 5` ends in a number that is no cohort: it names one with `#`
        number, args = cohort_number(words[1:]) if name != "automations" else (None, words[1:])
        if name == "create":
            await self._create(who, where, words[1:], origin)
        elif name == "upload" and not self.uploads:
            await self.turns.sender.send_text(origin, "Course uploads aren't available here.")
        elif name == "upload":
            await client.views_open(trigger_id=str(command.get("trigger_id")), view=upload_modal())
        elif name == "join":
            await self.buttons.ask_consent(user_id, where, number, origin)
        elif name in {"chart", "csv"}:
            read = self.desk.chart if name == "chart" else self.desk.export_csv
            await self.buttons.to_dm(user_id, await read(who, where, number), origin)
        else:
            reply = await self._reply(self.desk, name, who, where, number, args)
            await self.turns.sender.send(origin, [reply])

    async def _create(
        self, creator: Person, where: CohortPlace, args: list[str], origin: Place
    ) -> None:
        """Start a cohort here, for someone Slack says may; post its Join button here."""
        assert self.desk is not None
        channel = where.channel_id or ""
        if not args:
            await self.turns.sender.send_text(origin, USAGE["create"])
            return
        if not channel or channel.startswith("D"):
            await self.turns.sender.send_text(origin, IN_A_CHANNEL)
            return
        if not await self.roles.may_create(creator.user_id, channel):
            await self.turns.sender.send_text(origin, NOT_ALLOWED)
            return
        course, start, pace, zone = create_words(args)
        named = person(creator.user_id, (await self.turns.profile(creator.user_id))[0])
        reply = await self.desk.create(named, where, course, start, pace, zone)
        if not reply.choices:  # refused: the reason is the creator's to read
            await self.turns.sender.send(origin, [reply])
            return
        try:
            await self.turns.sender.send(Place(channel), [reply])
        except SlackApiError as exc:
            if exc.response.get("error") not in {"not_in_channel", "channel_not_found"}:
                raise
            await self.turns.sender.send(origin, [reply, Reply(INVITE_ME)])

    async def _reply(
        self,
        desk: CohortDesk,
        name: str,
        who: Person,
        where: CohortPlace,
        number: int | None,
        args: list[str],
    ) -> Reply:
        """Ask the desk for one subcommand's reply."""
        if name == "status":
            return await desk.status(who, where, number)
        if name == "end":
            return await desk.end(who, where, number)
        if name == "list":
            return await desk.list_cohorts(who, where)
        if name == "leave":
            return await desk.leave(who, number)
        if name == "staff":
            return await self._staff(desk, who, where, number, args)
        if name == "leaderboard":
            return await self._leaderboard(desk, who, where, number, args)
        if name == "automations":
            return await self._automations(desk, who, where, args)
        return Reply(COHORT_HELP)

    async def _staff(
        self,
        desk: CohortDesk,
        creator: Person,
        where: CohortPlace,
        number: int | None,
        args: list[str],
    ) -> Reply:
        """Add or remove an assistant named by a mention."""
        found = _MENTION.match(args[1]) if len(args) == 2 else None
        if found is None or args[0].lower() not in {"add", "remove"}:
            return Reply(USAGE["staff"])
        name = found[2] or (await self.turns.profile(found[1]))[0]
        assistant = person(found[1], name)
        if args[0].lower() == "add":
            return await desk.add_staff(creator, where, assistant, number)
        return await desk.remove_staff(creator, where, assistant, number)

    async def _leaderboard(
        self, desk: CohortDesk, who: Person, where: CohortPlace, number: int | None, args: list[str]
    ) -> Reply:
        """Turn the leaderboard on or off (creator), opt out or in (member), or show it."""
        word = args[0].lower() if args else ""
        if word in {"on", "off"}:
            return await desk.set_leaderboard(who, where, word == "on", number)
        if number is None:
            number = await self._my_cohort(who, where)
            if number is None:
                return Reply("Which cohort? Add its number: `/cohort leaderboard 3`.")
        if word in {"out", "in"}:
            return await desk.leaderboard_opt_out(who, number, word == "out")
        return await desk.leaderboard(who, number)

    async def _automations(
        self, desk: CohortDesk, creator: Person, where: CohortPlace, args: list[str]
    ) -> Reply:
        """Set idle nudges and certificates: `nudge <days>`, `certificates on|off`, `#n`."""
        words = [w.lower() for w in args]
        days: int | None = None
        certificates: bool | None = None
        number: int | None = None
        for word, value in zip(words, [*words[1:], ""], strict=True):
            if word == "nudge" and value.isdigit():
                days = int(value)
            elif word == "certificates" and value in {"on", "off"}:
                certificates = value == "on"
            elif word.startswith("#") and word[1:].isdigit():
                number = int(word[1:])
        if days is None and certificates is None:
            return Reply(USAGE["automations"])
        return await desk.set_automation(creator, where, days, certificates, number)

    async def _my_cohort(self, who: Person, where: CohortPlace) -> int | None:
        """The cohort a member means: the one in this channel, or their only one."""
        mine = await self.desk.member_cohorts(who) if self.desk is not None else []
        here = [c.id for c in mine if c.channel_id == where.channel_id]
        if len(here) == 1:
            return here[0]
        return mine[0].id if len(mine) == 1 else None
