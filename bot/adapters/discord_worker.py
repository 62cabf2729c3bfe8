"""Run review prompts on Discord: inside the bot, or as separate HTTP-only workers."""

from __future__ import annotations

import asyncio
import logging
import signal

import discord

from bot.adapters.discord_connect import configure_discord, login
from bot.adapters.discord_delivery import DiscordDelivery, ViewFactory
from bot.adapters.discord_render import NO_MENTIONS
from bot.scheduling.jobs import ReviewWorker
from bot.scheduling.sweep import SweepPolicy
from bot.services.messages import Choice
from bot.services.tutor import Tutor
from bot.settings import Settings
from cogs.views import ChoiceView

log = logging.getLogger(__name__)


def buttons_only(choices: tuple[Choice, ...]) -> discord.ui.View:
    """Build prompt buttons in a process without a gateway: the bot process handles clicks."""

    async def unused(_interaction: discord.Interaction, _word: str) -> None:
        return None

    return ChoiceView(unused, choices)


def review_worker(
    settings: Settings, tutor: Tutor, client: discord.Client, views: ViewFactory | None
) -> ReviewWorker:
    """Build the sweep and sender that DM review prompts through `client`."""
    return ReviewWorker(
        tutor.database,
        {"discord": DiscordDelivery(client, tutor.database, views)},
        clock=tutor.clock,
        policy=SweepPolicy(daily_cap=settings.daily_review_prompts),
        sweep_seconds=settings.sweep_seconds,
        lease_seconds=settings.outbox_lease_seconds,
    )


async def run_http_worker(settings: Settings, tutor: Tutor) -> None:
    """Sweep and send without a gateway connection, until SIGTERM or SIGINT."""
    assert settings.discord_token is not None
    configure_discord(settings)
    # no gateway here, so no intent matters; `guilds` only keeps discord.py from warning
    intents = discord.Intents(guilds=True)
    client = discord.Client(intents=intents, allowed_mentions=NO_MENTIONS)
    try:
        await login(client, settings)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        worker = review_worker(settings, tutor, client, buttons_only)
        worker.start()
        log.info("review worker started")
        try:
            await stop.wait()
        finally:
            await worker.stop()
    finally:
        await client.close()
