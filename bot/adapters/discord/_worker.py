"""Review prompts from a process without a gateway: extra `tutor worker` processes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

import discord

from bot.adapters.discord._connect import configure_discord, login
from bot.adapters.discord._delivery import DiscordDelivery
from bot.adapters.discord._render import NO_MENTIONS, choice_buttons
from bot.runtime import Root
from bot.scheduling.sender import Delivery
from bot.services.messages import Choice
from bot.settings import Settings

log = logging.getLogger(__name__)

PLATFORM = "discord"


def buttons_only(choices: tuple[Choice, ...]) -> discord.ui.View:
    """Build prompt buttons without handlers: their clicks reach the bot process."""
    view = discord.ui.View(timeout=None)
    for button in choice_buttons(choices):
        view.add_item(button)
    return view


class DiscordWorkerAdapter:
    """Send review prompts through Discord's HTTP API only, until SIGTERM or SIGINT."""

    serves_until_signal = True

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client: discord.Client | None = None
        self._closed = asyncio.Event()

    async def connect(self, root: Root) -> Mapping[str, Delivery]:
        """Log in over HTTP; a rejected token or an unreachable API is one sentence."""
        configure_discord(self.settings)
        # no gateway here, so no intent matters; `guilds` only keeps discord.py from warning
        self.client = discord.Client(
            intents=discord.Intents(guilds=True), allowed_mentions=NO_MENTIONS
        )
        await login(self.client, self.settings)
        log.info("review worker started")
        return {PLATFORM: DiscordDelivery(self.client, root.database, buttons_only)}

    async def serve(self) -> None:
        """Wait: the worker's jobs do the sending."""
        await self._closed.wait()

    async def close(self) -> None:
        """Log out."""
        self._closed.set()
        if self.client is not None:
            await self.client.close()
