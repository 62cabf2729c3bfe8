"""The Discord bot: intents, the tutor cog, persistent buttons, the error handler."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from typing import Any

import discord
from discord.ext import commands

from bot.adapters.discord_connect import configure_discord, login
from bot.adapters.discord_render import NO_MENTIONS
from bot.adapters.discord_worker import review_worker
from bot.errors import ContentError
from bot.runtime import print_content_problems, tutor_runtime
from bot.scheduling.jobs import ReviewWorker
from bot.services.tutor import Tutor
from bot.settings import Settings
from cogs.errors import on_app_command_error
from cogs.tutor_cog import TutorCog
from cogs.views import ChoiceView, persistent_views

log = logging.getLogger(__name__)


class TutorBot(commands.Bot):
    """A discord.py bot whose only job is to carry messages to and from the tutor."""

    def __init__(
        self,
        tutor: Tutor,
        *,
        sync_commands: bool = True,
        settings: Settings | None = None,
        **options: Any,
    ) -> None:
        intents = discord.Intents.default()
        intents.message_content = False  # DMs carry content without the privileged intent
        options.setdefault("allowed_mentions", NO_MENTIONS)
        super().__init__(
            command_prefix=commands.when_mentioned, intents=intents, help_command=None, **options
        )
        self.tutor = tutor
        self.sync_commands = sync_commands
        self.settings = settings
        self.worker: ReviewWorker | None = None

    async def setup_hook(self) -> None:
        """Add the cog, register persistent buttons, and publish the slash commands."""
        cog = TutorCog(self, self.tutor)
        await self.add_cog(cog)
        for view in persistent_views(cog.on_choice):
            self.add_view(view)
        self.tree.on_error = on_app_command_error  # type: ignore[method-assign]
        if self.settings is not None:
            self.worker = review_worker(
                self.settings, self.tutor, self, lambda choices: ChoiceView(cog.on_choice, choices)
            )
            self.worker.start()
        if self.sync_commands:
            synced = await self.tree.sync()
            log.info("discord: %d slash commands published", len(synced))

    async def close(self) -> None:
        """Stop the review jobs, then disconnect."""
        if self.worker is not None:
            await self.worker.stop()
        await super().close()

    async def on_ready(self) -> None:
        """Log who we are."""
        log.info("discord: logged in as %s (%s)", self.user, getattr(self.user, "id", "?"))

    async def on_error(self, event_method: str, /, *args: object, **kwargs: object) -> None:
        """Log an unexpected error in an event handler once, with its traceback."""
        log.error("discord: error in %s", event_method, exc_info=sys.exc_info())


async def run_discord(settings: Settings) -> int:
    """Run the tutor on Discord until the process is stopped.

    A rejected token or an unreachable API raises a StartupError: one plain sentence.
    """
    settings.require("discord_token")
    try:
        async with tutor_runtime(settings) as tutor:
            configure_discord(settings)
            async with TutorBot(tutor, settings=settings) as client:
                loop = asyncio.get_running_loop()
                for sig in (signal.SIGTERM, signal.SIGINT):
                    # a clean stop: the review jobs finish, then the gateway closes
                    loop.add_signal_handler(sig, lambda: asyncio.create_task(client.close()))
                await login(client, settings)
                await client.connect()
    except ContentError as error:
        print_content_problems(error)
        return 1
    return 0
