"""The one error handler for Discord: a plain sentence for the user, one traceback in the log."""

from __future__ import annotations

import logging

import aiohttp
import discord
from discord import app_commands

log = logging.getLogger(__name__)

SORRY = "Something went wrong on my side. Your work is saved; please try again in a moment."


async def report_error(interaction: discord.Interaction | None, error: BaseException) -> None:
    """Log the error once with its traceback and tell the user in a plain sentence."""
    log.error("discord: %s failed", _where(interaction), exc_info=error)
    if interaction is None:
        return
    try:
        if interaction.response.is_done():
            await interaction.followup.send(SORRY, ephemeral=True)
        else:
            await interaction.response.send_message(SORRY, ephemeral=True)
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
        return "an event"
    command = interaction.command.qualified_name if interaction.command else "a component"
    return f"/{command}" if interaction.command else command
