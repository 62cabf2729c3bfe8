"""A cohort's join role on Discord: whoever is given it is asked to join, in a DM.

Discord tells the bot about role changes only with the privileged Server Members intent
(`DISCORD_MEMBERS_INTENT`); without it, setting a role is refused and the Join button is
the way in. The consent question is the Join button's own, so nothing is stored before
the member clicks I agree, and someone already in is not asked again. Losing the role
changes nothing, as leaving a cohort's channel on Slack changes nothing: membership rests
on the member's consent, and `/cohort leave` ends it.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

import discord
from discord.ext import commands

from bot.services.cohort_desk import CohortDesk
from bot.services.tutor import Tutor
from cogs.cohort_replies import DM_CLOSED
from cogs.sending import send_replies
from cogs.tutor_cog import person
from cogs.views import ChoiceHandler

log = logging.getLogger(__name__)

MEMBERS_INTENT_OFF = (
    "Joining by role needs Discord's Server Members intent, and this bot runs without it. "
    "Whoever runs the bot turns on *Server Members Intent* in the Developer Portal (Bot → "
    "Privileged Gateway Intents), sets `DISCORD_MEMBERS_INTENT=true` and restarts it. "
    "Meanwhile members join with the cohort's Join button."
)
EVERYONE = "Everyone has @everyone: pick a role that members are given."


def role_refusal(bot: commands.Bot, role: discord.Role) -> str | None:
    """Why this role cannot be a cohort's join role here, or None when it can."""
    if not bot.intents.members:
        return MEMBERS_INTENT_OFF
    if role.is_default():
        return EVERYONE
    return None


class CohortRoleCog(commands.Cog):
    """Hands a member's newly given roles to the cohort desk; sends its questions to the DM."""

    def __init__(self, desk: CohortDesk, tutor: Tutor, handler: ChoiceHandler) -> None:
        self.desk = desk
        self.tutor = tutor
        self.handler = handler  # the cohort cog's: the I agree button comes back to it

    @commands.Cog.listener()
    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        """A member was given roles: ask them to join the cohorts those roles lead to."""
        gained = {role.id for role in after.roles} - {role.id for role in before.roles}
        await self.invite(after, gained)

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        """Someone arrived in the server already holding roles (a linked role, a rejoin)."""
        await self.invite(member, {role.id for role in member.roles if not role.is_default()})

    async def invite(self, member: discord.Member, role_ids: Collection[int]) -> None:
        """Send the consent question of each cohort the roles join, unless the member is in."""
        if member.bot or not role_ids:
            return
        who = person(member)
        roles = [str(role_id) for role_id in role_ids]
        asked = await self.desk.role_invitations(who, str(member.guild.id), roles)
        if not asked:
            return
        try:
            channel = await member.create_dm()
            await send_replies(channel, asked, self.handler)
        except discord.Forbidden as exc:
            if exc.code != DM_CLOSED:
                raise
            await self.tutor.mark_unreachable(who)  # changes someone stored already, only
            log.info("discord: a join role's invitation went unsent: the member's DMs are closed")
            return
        await self.tutor.remember_dm_channel(who, str(channel.id))
