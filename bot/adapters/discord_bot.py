"""The Discord bot: intents, the tutor cog, persistent buttons, the error handler."""

from __future__ import annotations

import logging
import sys
from typing import Any

import discord
from discord.ext import commands

from bot.errors import ContentError
from bot.runtime import print_content_problems, tutor_runtime
from bot.services.tutor import Tutor
from bot.settings import Settings
from cogs.errors import on_app_command_error
from cogs.tutor_cog import TutorCog
from cogs.views import persistent_views

log = logging.getLogger(__name__)


class TutorBot(commands.Bot):
    """A discord.py bot whose only job is to carry messages to and from the tutor."""

    def __init__(self, tutor: Tutor, *, sync_commands: bool = True, **options: Any) -> None:
        intents = discord.Intents.default()
        intents.message_content = False  # DMs carry content without the privileged intent
        super().__init__(
            command_prefix=commands.when_mentioned, intents=intents, help_command=None, **options
        )
        self.tutor = tutor
        self.sync_commands = sync_commands

    async def setup_hook(self) -> None:
        """Add the cog, register persistent buttons, and publish the slash commands."""
        cog = TutorCog(self, self.tutor)
        await self.add_cog(cog)
        for view in persistent_views(cog.on_choice):
            self.add_view(view)
        self.tree.on_error = on_app_command_error  # type: ignore[method-assign]
        if self.sync_commands:
            synced = await self.tree.sync()
            log.info("discord: %d slash commands published", len(synced))

    async def on_ready(self) -> None:
        """Log who we are."""
        log.info("discord: logged in as %s (%s)", self.user, getattr(self.user, "id", "?"))

    async def on_error(self, event_method: str, /, *args: object, **kwargs: object) -> None:
        """Log an unexpected error in an event handler once, with its traceback."""
        log.error("discord: error in %s", event_method, exc_info=sys.exc_info())


async def run_discord(settings: Settings) -> int:
    """Run the tutor on Discord until the process is stopped."""
    settings.require("discord_token")
    assert settings.discord_token is not None
    try:
        async with tutor_runtime(settings) as tutor:
            async with TutorBot(tutor) as client:
                await client.start(settings.discord_token.get_secret_value())
    except ContentError as error:
        print_content_problems(error)
        return 1
    return 0
