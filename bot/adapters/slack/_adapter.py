"""The tutor on Slack: DMs, `/tutor`, buttons, forms and App Home in; replies and prompts out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import timedelta

import aiohttp
from slack_bolt.async_app import AsyncApp

from bot.adapters.slack._app import build_app
from bot.adapters.slack._connect import (
    check_app_token,
    check_bot_token,
    check_settings,
    quiet_library_logs,
    web_client,
)
from bot.adapters.slack._delivery import SlackDelivery
from bot.adapters.slack._home import HomePublisher
from bot.adapters.slack._pacing import SlackPacing
from bot.adapters.slack._send import ReplySender
from bot.adapters.slack._serve import HttpEndpoint, SocketConnection
from bot.adapters.slack._tasks import RunningWork
from bot.adapters.slack._turns import PLATFORM, SlackTurns
from bot.runtime import Root
from bot.scheduling.sender import Delivery
from bot.settings import Settings

log = logging.getLogger(__name__)

FINISH_SECONDS = 10.0  # work started before a shutdown gets this long to end


class SlackAdapter:
    """Serve learners on Slack over HTTP or Socket Mode, as the settings choose."""

    serves_until_signal = True

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.mode = check_settings(settings)  # a missing setting fails before any start-up work
        self.endpoint: HttpEndpoint | SocketConnection | None = None
        self.app: AsyncApp | None = None
        self.running = RunningWork()
        self._session: aiohttp.ClientSession | None = None
        self._closed = asyncio.Event()

    async def connect(self, root: Root) -> Mapping[str, Delivery]:
        """Check the tokens, build the app and start receiving; return the DM delivery."""
        settings = self.settings
        quiet_library_logs()
        self._session = aiohttp.ClientSession()
        client = web_client(settings, self._session, retry_rate_limits=True)
        identity = await check_bot_token(client, settings)
        pacing = SlackPacing()
        sender = ReplySender(client, pacing, self._session)
        home = HomePublisher(client, root.tutor, pacing, self.running)
        turns = SlackTurns(root.tutor, sender, home, self.running)
        secret = settings.slack_signing_secret
        self.app = app = build_app(
            client,
            turns,
            mode=self.mode,
            signing_secret=secret.get_secret_value() if secret is not None else None,
            coaching=root.coaching,
            cohorts=root.cohorts,
            shelf=root.shelf,
        )
        if self.mode == "socket":
            await check_app_token(client, settings)
            assert settings.slack_app_token is not None
            self.endpoint = SocketConnection(
                app, settings.slack_app_token.get_secret_value(), client
            )
        else:
            self.endpoint = HttpEndpoint(app, settings.slack_host, settings.slack_port)
        await self.endpoint.start()
        log.info(
            "slack: connected to workspace %s as %s (%s mode)",
            identity["team_id"],
            identity["user_id"],
            self.mode,
        )
        delivery = SlackDelivery(
            web_client(settings, self._session, retry_rate_limits=False),
            root.database,
            pacing,
            clock=root.tutor.clock,
            lease=timedelta(seconds=settings.outbox_lease_seconds),
        )
        return {PLATFORM: delivery}

    @property
    def port(self) -> int | None:
        """The HTTP port listened on (useful when SLACK_PORT is 0)."""
        return self.endpoint.port if isinstance(self.endpoint, HttpEndpoint) else None

    async def serve(self) -> None:
        """Receive requests until close()."""
        await self._closed.wait()

    async def close(self) -> None:
        """Stop receiving, let started work finish, then close the connections."""
        self._closed.set()
        if self.endpoint is not None:
            await self.endpoint.stop()
            self.endpoint = None
        await self.running.finish(FINISH_SECONDS)
        if self._session is not None:
            await self._session.close()
            self._session = None


class SlackWorkerAdapter:
    """Send review prompts through Slack's Web API only (an extra `tutor worker` process)."""

    serves_until_signal = True

    def __init__(self, settings: Settings) -> None:
        settings.require("slack_bot_token")
        self.settings = settings
        self._session: aiohttp.ClientSession | None = None
        self._closed = asyncio.Event()

    async def connect(self, root: Root) -> Mapping[str, Delivery]:
        """Check the bot token; return the DM delivery."""
        quiet_library_logs()
        self._session = aiohttp.ClientSession()
        client = web_client(self.settings, self._session, retry_rate_limits=False)
        await check_bot_token(client, self.settings)
        log.info("slack: review worker started")
        delivery = SlackDelivery(
            client,
            root.database,
            SlackPacing(),
            clock=root.tutor.clock,
            lease=timedelta(seconds=self.settings.outbox_lease_seconds),
        )
        return {PLATFORM: delivery}

    async def serve(self) -> None:
        """Wait: the worker's jobs do the sending."""
        await self._closed.wait()

    async def close(self) -> None:
        """Close the connection."""
        self._closed.set()
        if self._session is not None:
            await self._session.close()
            self._session = None
