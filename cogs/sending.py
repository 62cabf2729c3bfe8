"""Send neutral replies to Discord: into a channel, or as interaction follow-ups."""

from __future__ import annotations

import discord

from bot.adapters.discord_render import message_parts
from bot.services.messages import Reply
from cogs.views import ChoiceHandler, ChoiceView


def _view(reply: Reply, handler: ChoiceHandler) -> discord.ui.View | None:
    """Build the buttons for a reply's choices, if it has any."""
    return ChoiceView(handler, reply.choices) if reply.choices else None


async def send_replies(
    channel: discord.abc.Messageable, replies: list[Reply], handler: ChoiceHandler
) -> None:
    """Send replies into a channel (a DM), split to Discord's limits, buttons on the last part."""
    for reply in replies:
        for text, view, files in message_parts(reply, _view(reply, handler)):
            if view is not None:
                await channel.send(text, view=view, files=files)
            else:
                await channel.send(text, files=files)


async def followup_replies(
    interaction: discord.Interaction,
    replies: list[Reply],
    handler: ChoiceHandler,
    *,
    ephemeral: bool,
) -> None:
    """Send replies as follow-ups of a deferred interaction."""
    for reply in replies:
        for text, view, files in message_parts(reply, _view(reply, handler)):
            if view is not None:
                await interaction.followup.send(text, view=view, files=files, ephemeral=ephemeral)
            else:
                await interaction.followup.send(text, files=files, ephemeral=ephemeral)
