"""Cohort buttons: Join, I agree, Start practising, and a status's Chart, CSV and Post.

Join, consent, start, chart and CSV carry the cohort's number in their id
(`tutor:cohort-join:12`), so the template button of the coaching views matches them and
routes their clicks here after a restart too. Post buttons name a misconception and live
only under a staff member's own status message.
"""

from __future__ import annotations

import discord

from bot.adapters.discord import NO_MENTIONS, safe_text, split_text
from bot.services.cohort_desk import (
    CHART_ACTION,
    CONSENT_ACTION,
    CSV_ACTION,
    DISCUSS_ACTION,
    JOIN_ACTION,
    CohortDesk,
)
from bot.services.messages import Reply
from bot.services.tutor import Tutor
from cogs.cohort_replies import NO_SERVER, answer, place_of, say, to_dm
from cogs.tutor_cog import incoming, person
from cogs.views import ChoiceHandler

START_ACTION = "cohort-start"  # "cohort-start:<cohort id>": Start practising, in a channel post
SENT_TO_DM = "I've sent you a DM: let's continue there."
DMS_CLOSED = (
    "I can't send you direct messages. Allow DMs from this server's members (Privacy "
    "settings), then try again; meanwhile here is my reply:"
)


class CohortClicks:
    """Answers the cohort's buttons through the cohort desk and the tutor."""

    def __init__(self, desk: CohortDesk, tutor: Tutor, handler: ChoiceHandler) -> None:
        self.desk = desk
        self.tutor = tutor
        self.handler = handler  # the cohort cog's: every cohort button comes back to it

    async def click(self, interaction: discord.Interaction, word: str) -> None:
        """Handle one click on a cohort button."""
        action, _, rest = word.partition(":")
        number, _, misconception = rest.partition(":")
        if not number.isdigit():
            await interaction.response.send_message(
                "That button is no longer in use.", ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        cohort_id = int(number)
        in_server = interaction.guild_id is not None
        await interaction.response.defer(ephemeral=in_server, thinking=True)
        if action == CONSENT_ACTION:
            reply = await self.desk.consent(person(interaction.user), cohort_id)
            await answer(interaction, reply, self.handler)
        elif action == JOIN_ACTION:
            await self.join(interaction, cohort_id)
        elif action == START_ACTION:
            await self.start(interaction, cohort_id)
        elif action in {CHART_ACTION, CSV_ACTION, DISCUSS_ACTION}:
            await self.staff_click(interaction, action, cohort_id, misconception)
        else:
            await say(interaction, "That button is no longer in use.", self.handler)

    async def join(self, interaction: discord.Interaction, cohort_id: int | None) -> None:
        """Ask a would-be member for consent in their DM (the Join button and `/cohort join`)."""
        place = place_of(interaction)
        if place is None:
            await say(interaction, NO_SERVER, self.handler)
            return
        reply = await self.desk.join(person(interaction.user), place, cohort_id)
        await self._in_dm(interaction, [reply] if reply.choices else [], reply)

    async def start(self, interaction: discord.Interaction, cohort_id: int) -> None:
        """Open the member's DM on the cohort's course; a non-member is asked to join first."""
        who = person(interaction.user)
        mine = {c.id: c for c in await self.desk.member_cohorts(who)}
        if cohort_id not in mine:
            await self.join(interaction, cohort_id)
            return
        channel = await interaction.user.create_dm()
        event = incoming(interaction.user, f"start {mine[cohort_id].course_id}", channel.id, True)
        replies = await self.tutor.handle(event)
        await self._in_dm(interaction, replies, None)

    async def _in_dm(
        self, interaction: discord.Interaction, replies: list[Reply], otherwise: Reply | None
    ) -> None:
        """Send replies to the DM and say so; with nothing for the DM, answer `otherwise`."""
        if not replies:
            await answer(interaction, otherwise or Reply("…"), self.handler)
        elif interaction.guild_id is None:
            await answer(interaction, replies[0], self.handler)
            for reply in replies[1:]:
                await answer(interaction, reply, self.handler)
        elif await to_dm(interaction, self.tutor, replies, self.handler):
            await say(interaction, SENT_TO_DM, self.handler)
        else:
            for reply in [Reply(DMS_CLOSED), *replies]:
                await answer(interaction, reply, self.handler)

    async def staff_click(
        self, interaction: discord.Interaction, action: str, cohort_id: int, misconception: str
    ) -> None:
        """A staff member's Chart, CSV or Post button under their status."""
        place = place_of(interaction)
        if place is None:
            await say(interaction, NO_SERVER, self.handler)
            return
        staff = person(interaction.user)
        if action == CHART_ACTION:
            reply = await self.desk.chart(staff, place, cohort_id)
        elif action == CSV_ACTION:
            reply = await self.desk.export_csv(staff, place, cohort_id)
        else:
            found = await self.desk.discussion(staff, place, misconception, cohort_id)
            if found.channel_id is not None:  # a question to post, not a refusal
                await self.post(interaction, found.reply.text)
                return
            reply = found.reply
        await answer(interaction, reply, self.handler)

    async def post(self, interaction: discord.Interaction, text: str) -> None:
        """Post a discussion question in the channel the staff member asked from."""
        channel = interaction.channel
        if not isinstance(channel, discord.abc.Messageable):
            await say(interaction, NO_SERVER, self.handler)
            return
        try:
            for chunk in split_text(safe_text(text)):
                await channel.send(chunk, allowed_mentions=NO_MENTIONS)
        except discord.Forbidden:
            await say(interaction, "I may not post in this channel.", self.handler)
            return
        await say(interaction, "Posted the question in this channel.", self.handler)
