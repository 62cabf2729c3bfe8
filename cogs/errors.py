"""The one error handler for Discord: a plain sentence for the user, one traceback in the log."""

from __future__ import annotations

import logging

import aiohttp
import discord
from discord import app_commands

from bot.adapters.discord import NO_MENTIONS

log = logging.getLogger(__name__)

# honest: the failure may have come before or after the write, so promise nothing
SORRY = (
    "Something went wrong on my side, and that message may not have been saved. "
    "Please send it again in a moment."
)


async def report_error(
    interaction: discord.Interaction | None,
    error: BaseException,
    *,
    channel: discord.abc.Messageable | None = None,
) -> None:
    """Log the error once with its traceback and tell the user in a plain sentence."""
    log.error("discord: %s failed", _where(interaction), exc_info=error)
    try:
        if interaction is not None and interaction.response.is_done():
            await interaction.followup.send(SORRY, ephemeral=True, allowed_mentions=NO_MENTIONS)
        elif interaction is not None:
            await interaction.response.send_message(
                SORRY, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
        elif channel is not None:
            await channel.send(SORRY, allowed_mentions=NO_MENTIONS)
    except (discord.HTTPException, aiohttp.ClientError, RuntimeError):
        log.warning("discord: could not tell the user about the error")


async def on_app_command_error(
    interaction: discord.Interaction, error: app_commands.AppCommandError
) -> None:
    """Handle an error raised by any slash command."""
    original = getattr(error, "original", error)
    await report_error(interaction, original)


def _where(interaction: discord.Interaction | None) -> str:
    """Name what failed, without any message content."""
    if interaction is None:
        return "a direct message"
    command = interaction.command.qualified_name if interaction.command else "a component"
    return f"/{command}" if interaction.command else command
