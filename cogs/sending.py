"""Send neutral replies to Discord: into a channel, or as interaction follow-ups."""

from __future__ import annotations

import discord

from bot.adapters.discord import NO_MENTIONS, message_parts, safe_text
from bot.services.messages import Reply
from cogs.views import ChoiceHandler, ChoiceView


def _view(reply: Reply, handler: ChoiceHandler) -> discord.ui.View | None:
    """Build the buttons for a reply's choices, if it has any."""
    return ChoiceView(handler, reply.choices) if reply.choices else None


async def send_replies(
    channel: discord.abc.Messageable,
    replies: list[Reply],
    handler: ChoiceHandler,
    *,
    mentions: discord.AllowedMentions = NO_MENTIONS,
) -> None:
    """Send replies into a channel (a DM), split to Discord's limits, buttons on the last part."""
    for reply in replies:
        for text, view, files in message_parts(reply, _view(reply, handler)):
            if view is not None:
                await channel.send(text, view=view, files=files, allowed_mentions=mentions)
            else:
                await channel.send(text, files=files, allowed_mentions=mentions)


async def followup_replies(
    interaction: discord.Interaction,
    replies: list[Reply],
    handler: ChoiceHandler,
    *,
    ephemeral: bool,
    mentions: discord.AllowedMentions = NO_MENTIONS,
) -> None:
    """Send replies as follow-ups of a deferred interaction."""
    for reply in replies:
        for text, view, files in message_parts(reply, _view(reply, handler)):
            if view is not None:
                await interaction.followup.send(
                    text, view=view, files=files, ephemeral=ephemeral, allowed_mentions=mentions
                )
            else:
                await interaction.followup.send(
                    text, files=files, ephemeral=ephemeral, allowed_mentions=mentions
                )


async def followup_text(
    interaction: discord.Interaction,
    text: str,
    *,
    ephemeral: bool,
    file: discord.File | None = None,
) -> None:
    """Send one short text (which may echo the learner) as a follow-up, pinging no one."""
    if file is not None:
        await interaction.followup.send(
            safe_text(text), file=file, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS
        )
    else:
        await interaction.followup.send(
            safe_text(text), ephemeral=ephemeral, allowed_mentions=NO_MENTIONS
        )
