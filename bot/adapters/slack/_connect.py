"""Point the Slack SDK at Slack (or a proxy or test server) and check the tokens, plainly."""

from __future__ import annotations

import logging
from typing import Literal

import aiohttp
import yarl
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import InfrastructureError, SettingsError
from bot.settings import Settings

DEFAULT_API_BASE = "https://slack.com/api/"
Mode = Literal["http", "socket"]
# Slack's library records carry request and message bodies at DEBUG: learners' words.
library_log = logging.getLogger("bot.adapters.slack.library")
_REJECTED = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}


def quiet_library_logs() -> None:
    """Keep the Slack libraries' records at INFO or above, whatever the log level."""
    level = max(logging.INFO, logging.getLogger().getEffectiveLevel())
    for name in (library_log.name, "slack_bolt", "slack_sdk"):
        logging.getLogger(name).setLevel(level)


def slack_mode(settings: Settings) -> Mode:
    """Socket Mode when asked for, or by default when an app-level token is set; else HTTP."""
    if settings.slack_mode is not None:
        return settings.slack_mode
    return "socket" if settings.slack_app_token is not None else "http"


def check_settings(settings: Settings) -> Mode:
    """Name every missing Slack setting for the chosen mode, in one sentence."""
    mode = slack_mode(settings)
    if mode == "socket":
        settings.require("slack_bot_token", "slack_app_token")
    else:
        settings.require("slack_bot_token", "slack_signing_secret")
    return mode


def api_base(settings: Settings) -> str:
    """The Web API base URL, ending in a slash as the SDK expects."""
    base = settings.slack_api_base_url or DEFAULT_API_BASE
    return base if base.endswith("/") else base + "/"


def shown_base(settings: Settings) -> str:
    """Name the API address in a message, without any credentials a proxy URL may carry."""
    try:
        return str(yarl.URL(api_base(settings)).with_user(None))
    except ValueError:
        return "the address in SLACK_API_BASE_URL"


def web_client(
    settings: Settings, session: aiohttp.ClientSession | None, *, retry_rate_limits: bool
) -> AsyncWebClient:
    """A Web API client with the bot token; replies wait out a 429, deliveries report it."""
    assert settings.slack_bot_token is not None
    handlers: list[AsyncRetryHandler] = [AsyncConnectionErrorRetryHandler()]
    if retry_rate_limits:
        handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=3))
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=api_base(settings),
        session=session,
        logger=library_log,
        retry_handlers=handlers,
    )


async def check_bot_token(client: AsyncWebClient, settings: Settings) -> dict[str, str]:
    """Ask Slack who the bot is; a rejected token or an unreachable API is one sentence."""
    response = await _checked(client, "auth.test", "SLACK_BOT_TOKEN", settings)
    return {key: str(response.get(key, "")) for key in ("team_id", "team", "user_id", "bot_id")}


async def check_app_token(client: AsyncWebClient, settings: Settings) -> None:
    """Check the app-level token before Socket Mode starts retrying it forever."""
    assert settings.slack_app_token is not None
    await _checked(
        client,
        "apps.connections.open",
        "SLACK_APP_TOKEN",
        settings,
        token=settings.slack_app_token.get_secret_value(),
    )


async def _checked(
    client: AsyncWebClient, method: str, setting: str, settings: Settings, **kwargs: str
) -> dict[str, object]:
    """Call a method at start-up and turn each way it can fail into a plain error."""
    try:
        response = await client.api_call(method, params=kwargs or None)
    except SlackApiError as exc:
        status = exc.response.status_code
        error = str(exc.response.get("error", "")) if status == 200 else ""
        if error in _REJECTED:
            raise SettingsError(f"Slack rejected {setting} ({error}): check it in .env.") from exc
        if status == 404:
            raise SettingsError(
                f"There is no Slack Web API at {shown_base(settings)} (HTTP 404): "
                "check SLACK_API_BASE_URL."
            ) from exc
        if status >= 500 or status == 429:
            raise InfrastructureError(
                f"The Slack Web API at {shown_base(settings)} answered HTTP {status}: "
                "try again later."
            ) from exc
        raise  # a request the bot got wrong: a bug to log, not a setting to check
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise InfrastructureError(
            f"Can't reach the Slack Web API at {shown_base(settings)}: check the network, "
            "or SLACK_API_BASE_URL if you set it."
        ) from exc
    return dict(response.data) if isinstance(response.data, dict) else {}
