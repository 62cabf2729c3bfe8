"""A cohort's buttons: Join and Start practising in the channel, I agree in the DM, and the
status's Chart, CSV and Post buttons for staff.

Each action id carries the cohort (`cohort-join:<id>`, `cohort-discuss:<id>:<name>`…), so a
button posted before a restart works after it. Members' work goes to their DM; what only
the clicker should read comes back ephemeral.
"""

from __future__ import annotations

from typing import Any

from bot.adapters.slack._send import Place
from bot.adapters.slack._turns import SlackTurns, person
from bot.services.account import SettingsChange
from bot.services.cohort_desk import (
    CHART_ACTION,
    CONSENT_ACTION,
    CSV_ACTION,
    DISCUSS_ACTION,
    JOIN_ACTION,
    CohortDesk,
)
from bot.services.cohort_desk import Place as CohortPlace
from bot.services.messages import Person, Reply

START_ACTION = "cohort-start"  # "cohort-start:<cohort id>": the channel post's Start practising
COHORT_BUTTONS = tuple(
    f"{kind}:"
    for kind in (
        JOIN_ACTION,
        CONSENT_ACTION,
        START_ACTION,
        CHART_ACTION,
        CSV_ACTION,
        DISCUSS_ACTION,
    )
)
SENT_TO_DM = "I've sent you a direct message."
RETIRED = "That button is no longer in use."


def team_of(body: dict[str, Any]) -> str:
    """The workspace a request came from."""
    team = body.get("team") or {}
    user = body.get("user") or {}
    return str(team.get("id") or user.get("team_id") or body.get("team_id") or "")


class CohortButtons:
    """Act on cohort buttons over the cohort desk and the adapter's sender."""

    def __init__(self, turns: SlackTurns, desk: CohortDesk) -> None:
        self.turns = turns
        self.desk = desk

    async def click(
        self, user_id: str, word: str, body: dict[str, Any], clicked: Place | None
    ) -> None:
        """Route one click by its action id."""
        kind, _, rest = word.partition(":")
        number, _, misconception = rest.partition(":")
        dm = Place(await self.turns.sender.dm_channel(user_id))
        # a click in a channel is answered for the clicker's eyes only
        url = body.get("response_url")
        aside = Place(response_url=url) if url else (clicked or dm)
        if clicked is not None and clicked.channel == dm.channel:
            aside = dm
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
            "channel_id"
        )
        where = CohortPlace(team_of(body), str(channel) if channel else None)
        if not number.isdigit():
            await self.turns.sender.send_text(aside, RETIRED)
            return
        cohort_id = int(number)
        if kind == JOIN_ACTION:
            await self.ask_consent(user_id, where, cohort_id, aside)
        elif kind == CONSENT_ACTION:
            await self.consent(user_id, cohort_id, dm)
        elif kind == START_ACTION:
            await self.start(user_id, where, cohort_id, aside)
        elif kind in {CHART_ACTION, CSV_ACTION}:
            await self.files(user_id, where, cohort_id, kind, aside)
        elif kind == DISCUSS_ACTION and misconception:
            await self.discuss(user_id, where, cohort_id, misconception, aside)
        else:
            await self.turns.sender.send_text(aside, RETIRED)

    async def ask_consent(
        self, user_id: str, where: CohortPlace, cohort_id: int | None, aside: Place | None
    ) -> bool:
        """Send the consent question to the person's DM; say why not where they asked."""
        reply = await self.desk.join(person(user_id), where, cohort_id)
        if not reply.choices:  # already in, or no cohort open here
            if aside is not None:
                await self.turns.sender.send_text(aside, reply.text)
            return False
        dm = Place(await self.turns.sender.dm_channel(user_id))
        await self.turns.sender.send(dm, [reply])
        if aside is not None and aside.channel != dm.channel:
            await self.turns.sender.send_text(aside, SENT_TO_DM)
        return True

    async def consent(self, user_id: str, cohort_id: int, dm: Place) -> None:
        """Record the member with their Slack name; a new one gets their time zone too."""
        profile = await self.turns.slack_profile(user_id)
        member = person(user_id, profile.name)
        new = not (await self.turns.home.state(member)).consented
        reply = await self.desk.consent(member, cohort_id)
        if new and profile.timezone and (await self.turns.home.state(member)).consented:
            await self.turns.tutor.change_settings(
                member, SettingsChange(timezone=profile.timezone)
            )
        await self.turns.sender.send(dm, [reply])
        self.turns.home.refresh(member)

    async def start(self, user_id: str, where: CohortPlace, cohort_id: int, aside: Place) -> None:
        """Start or continue the cohort's course in the member's DM (consent first)."""
        mine = [c for c in await self.desk.member_cohorts(person(user_id)) if c.id == cohort_id]
        if not mine:
            await self.ask_consent(user_id, where, cohort_id, aside)
            return
        await self.turns.turn_in_dm(user_id, f"start {mine[0].course_id}")
        dm = await self.turns.sender.dm_channel(user_id)
        if aside.channel != dm:
            await self.turns.sender.send_text(aside, SENT_TO_DM)

    async def files(
        self, user_id: str, where: CohortPlace, cohort_id: int, kind: str, aside: Place
    ) -> None:
        """The chart or the CSV, into the staff member's DM only."""
        staff = person(user_id)
        read = self.desk.chart if kind == CHART_ACTION else self.desk.export_csv
        reply = await read(staff, where, cohort_id)
        await self.to_dm(user_id, reply, aside)

    async def to_dm(self, user_id: str, reply: Reply, aside: Place) -> None:
        """A reply with files goes to the DM (and a pointer where asked); a refusal, aside."""
        if not reply.attachments:
            await self.turns.sender.send(aside, [reply])
            return
        dm = Place(await self.turns.sender.dm_channel(user_id))
        await self.turns.sender.send(dm, [reply])
        if aside.channel != dm.channel:
            await self.turns.sender.send_text(aside, SENT_TO_DM)

    async def discuss(
        self, user_id: str, where: CohortPlace, cohort_id: int, name: str, aside: Place
    ) -> None:
        """Post a cluster's question in the cohort's channel, for staff, for a cluster shown."""
        staff: Person = person(user_id)
        found = await self.desk.discussion(staff, where, name, cohort_id)
        if found.channel_id is None:  # not staff here, or the cohort has ended: it says so
            await self.turns.sender.send_text(aside, found.reply.text)
            return
        await self.turns.sender.send(Place(found.channel_id), [found.reply])
        await self.turns.sender.send_text(aside, "Posted in the cohort's channel.")
