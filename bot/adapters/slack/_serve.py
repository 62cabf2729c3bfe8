"""How Slack reaches the app: an HTTP endpoint (Events API) or a Socket Mode connection."""

from __future__ import annotations

import logging

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import SettingsError

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"  # events, interactivity and slash commands all come here
HEALTH_PATH = "/slack/health"  # for a load balancer's checks
SHUTDOWN_SECONDS = 5.0


class HttpEndpoint:
    """One port and one path for every request Slack sends, each checked by bolt."""

    def __init__(self, app: AsyncApp, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Listen; a port that is taken is one sentence naming the setting."""
        web_app = web.Application()
        web_app.router.add_post(EVENTS_PATH, self._dispatch)
        web_app.router.add_get(HEALTH_PATH, self._health)
        runner = web.AppRunner(web_app, access_log=None, shutdown_timeout=SHUTDOWN_SECONDS)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except OSError as exc:
            await runner.cleanup()
            raise SettingsError(
                f"Can't listen on {self.host}:{self.port} ({exc.strerror or exc}): "
                "set SLACK_PORT (and SLACK_HOST) to a free address."
            ) from exc
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        log.info("slack: listening for Slack on %s:%d%s", self.host, self.port, EVENTS_PATH)

    async def _dispatch(self, request: web.Request) -> web.Response:
        """Hand the request to bolt (which checks its signature first)."""
        bolt_response = await self.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def _health(self, request: web.Request) -> web.Response:
        """Say the process is up."""
        return web.Response(text="ok")

    async def stop(self) -> None:
        """Stop listening; requests in flight get a few seconds to finish."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


class SocketConnection:
    """A Socket Mode connection: Slack pushes requests over a websocket, no public URL."""

    def __init__(self, app: AsyncApp, app_token: str, client: AsyncWebClient) -> None:
        self.handler = AsyncSocketModeHandler(
            app, app_token, logger=client.logger, web_client=client
        )

    async def start(self) -> None:
        """Open the connection (the SDK reconnects by itself when it drops)."""
        await self.handler.connect_async()
        log.info("slack: connected over Socket Mode")

    async def stop(self) -> None:
        """Close the connection."""
        await self.handler.close_async()
