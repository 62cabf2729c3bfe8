"""The Discord bot on the gateway: intents, the tutor cog, persistent buttons, the error handler."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from typing import Any

import discord
from discord.ext import commands

from bot.adapters.discord._connect import configure_discord, login
from bot.adapters.discord._delivery import DiscordDelivery, ViewFactory
from bot.adapters.discord._render import NO_MENTIONS
from bot.errors import SettingsError
from bot.runtime import Root
from bot.scheduling.sender import Delivery
from bot.services.coach_desk import CoachDesk
from bot.services.cohort_desk import CohortDesk
from bot.services.course_shelf import CourseShelf
from bot.services.tutor import Tutor
from bot.settings import Settings
from bot.store.db import Database

log = logging.getLogger(__name__)

PLATFORM = "discord"
MEMBERS_INTENT_REFUSED = (
    "Discord refused the Server Members intent that DISCORD_MEMBERS_INTENT=true asks for: "
    "turn on Server Members Intent for this bot in the Developer Portal (Bot > Privileged "
    "Gateway Intents), or set DISCORD_MEMBERS_INTENT=false."
)


class TutorBot(commands.Bot):
    """A discord.py bot whose only job is to carry messages to and from the tutor."""

    def __init__(
        self,
        tutor: Tutor,
        *,
        coaching: CoachDesk | None = None,
        cohorts: CohortDesk | None = None,
        shelf: CourseShelf | None = None,
        sync_commands: bool = True,
        members_intent: bool = False,
        **options: Any,
    ) -> None:
        intents = discord.Intents.default()
        intents.message_content = False  # DMs carry content without the privileged intent
        intents.members = members_intent  # privileged: role changes, for cohort join roles
        options.setdefault("allowed_mentions", NO_MENTIONS)
        super().__init__(
            command_prefix=commands.when_mentioned, intents=intents, help_command=None, **options
        )
        self.tutor = tutor
        self.coaching = coaching
        self.cohorts = cohorts
        self.shelf = shelf
        self.sync_commands = sync_commands
        self.views: ViewFactory | None = None

    async def setup_hook(self) -> None:
        """Add the cogs, register persistent buttons, and publish the slash commands."""
        # imported here: the cogs import this package's rendering, so importing them at
        # the top would have the package and the cogs each wait for the other
        from cogs.coaching_cog import CoachingCog
        from cogs.coaching_views import ChoiceWithArgument
        from cogs.errors import on_app_command_error
        from cogs.tutor_cog import TutorCog
        from cogs.views import ChoiceView, persistent_views

        cog = TutorCog(self, self.tutor)
        await self.add_cog(cog)
        if self.coaching is not None:
            await self.add_cog(CoachingCog(self, self.coaching, cog.on_choice))
        if self.cohorts is not None:
            from cogs.cohort_cog import CohortCog

            cohort_cog = CohortCog(self, self.cohorts, self.tutor, self.shelf)
            await self.add_cog(cohort_cog)
            if self.intents.members:
                from cogs.cohort_roles import CohortRoleCog

                await self.add_cog(CohortRoleCog(self.cohorts, self.tutor, cohort_cog.on_choice))
        if self.shelf is not None:
            from cogs.course_cog import CourseCog

            await self.add_cog(CourseCog(self, self.shelf, cog.on_choice, self.cohorts))
        for view in persistent_views(cog.on_choice):
            self.add_view(view)
        # Start and Accept buttons name their assignment or invite: matched by a template
        self.add_dynamic_items(ChoiceWithArgument)
        self.tree.on_error = on_app_command_error  # type: ignore[method-assign]
        self.views = lambda choices: ChoiceView(cog.on_choice, choices)
        if self.sync_commands:
            synced = await self.tree.sync()
            log.info("discord: %d slash commands published", len(synced))

    def delivery(self, database: Database) -> DiscordDelivery:
        """Deliver review prompts as DMs from this bot, with buttons its cog answers."""
        return DiscordDelivery(self, database, self.views)

    async def on_ready(self) -> None:
        """Log who we are."""
        log.info("discord: logged in as %s (%s)", self.user, getattr(self.user, "id", "?"))

    async def on_error(self, event_method: str, /, *args: object, **kwargs: object) -> None:
        """Log an unexpected error in an event handler once, with its traceback."""
        log.error("discord: error in %s", event_method, exc_info=sys.exc_info())


class DiscordBotAdapter:
    """The tutor on Discord: DMs, slash commands and buttons in; replies and prompts out."""

    serves_until_signal = True

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client: TutorBot | None = None

    async def connect(self, root: Root) -> Mapping[str, Delivery]:
        """Log in; a rejected token or an unreachable API raises a one-sentence StartupError."""
        configure_discord(self.settings)
        self.client = TutorBot(
            root.tutor,
            coaching=root.coaching,
            cohorts=root.cohorts,
            shelf=root.shelf,
            members_intent=self.settings.discord_members_intent,
        )
        await login(self.client, self.settings)
        return {PLATFORM: self.client.delivery(root.database)}

    async def serve(self) -> None:
        """Hold the gateway connection until close()."""
        assert self.client is not None, "connect() first"
        try:
            await self.client.connect()
        except discord.PrivilegedIntentsRequired as exc:
            raise SettingsError(MEMBERS_INTENT_REFUSED) from exc

    async def close(self) -> None:
        """Disconnect from the gateway and the API."""
        if self.client is not None:
            await self.client.close()
