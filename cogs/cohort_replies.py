"""What the cohort and course cogs share: where a request was made, who may manage, answering."""

from __future__ import annotations

import discord

from bot.services.cohort_calendar import Place
from bot.services.messages import Reply
from bot.services.tutor import Tutor
from cogs.sending import followup_replies, send_replies
from cogs.tutor_cog import person
from cogs.views import ChoiceHandler

DM_CLOSED = 50007
NO_SERVER = "Use this in the server (in the cohort's channel), not in a DM."
CANNOT_MANAGE = "Only people who can manage this server or its channels can do that."


def place_of(interaction: discord.Interaction) -> Place | None:
    """The server and channel a request came from; None in a DM."""
    if interaction.guild_id is None:
        return None
    channel = str(interaction.channel_id) if interaction.channel_id is not None else None
    return Place(str(interaction.guild_id), channel)


def may_manage(interaction: discord.Interaction) -> bool:
    """Tell whether the asker has Manage Server or Manage Channels here (Discord's own rule)."""
    allowed = interaction.permissions
    return interaction.guild_id is not None and (allowed.manage_guild or allowed.manage_channels)


async def answer(
    interaction: discord.Interaction, reply: Reply, handler: ChoiceHandler, *, private: bool = True
) -> None:
    """Follow a deferred interaction up with a reply; in a server only the asker sees it."""
    ephemeral = private and interaction.guild_id is not None
    await followup_replies(interaction, [reply], handler, ephemeral=ephemeral)


async def say(interaction: discord.Interaction, text: str, handler: ChoiceHandler) -> None:
    """Answer a deferred interaction in one plain sentence."""
    await answer(interaction, Reply(text), handler)


async def to_dm(
    interaction: discord.Interaction, tutor: Tutor, replies: list[Reply], handler: ChoiceHandler
) -> bool:
    """Send replies to the asker's DM; False when their DMs are closed to the bot."""
    try:
        channel = await interaction.user.create_dm()
        await send_replies(channel, replies, handler)
    except discord.Forbidden as exc:
        if exc.code == DM_CLOSED:
            await tutor.mark_unreachable(person(interaction.user))
            return False
        raise
    await tutor.remember_dm_channel(person(interaction.user), str(channel.id))
    return True
