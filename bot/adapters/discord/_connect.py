"""Point discord.py at Discord (or a proxy or test server) and log in, failing plainly."""

from __future__ import annotations

import aiohttp
import discord
import yarl

from bot.errors import InfrastructureError, SettingsError
from bot.settings import Settings


def configure_discord(settings: Settings) -> None:
    """Send discord.py's requests to a proxy or test server when one is configured."""
    if settings.discord_api_base_url:
        discord.http.Route.BASE = settings.discord_api_base_url.rstrip("/")
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)
    # the tutor has no voice: warnings about missing voice libraries only bury real messages
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False


async def login(client: discord.Client, settings: Settings) -> None:
    """Log in; a rejected token, a wrong API address or an unreachable API is one sentence."""
    assert settings.discord_token is not None
    try:
        await client.login(settings.discord_token.get_secret_value())
    except discord.LoginFailure as exc:
        raise SettingsError("Discord rejected DISCORD_TOKEN: check the bot token in .env.") from exc
    except discord.HTTPException as exc:
        if exc.status == 404:  # no Discord API at that address
            raise SettingsError(
                f"There is no Discord API at {api_base(settings)} (HTTP 404): "
                "check DISCORD_API_BASE_URL."
            ) from exc
        if exc.status < 500:
            raise  # a request the bot got wrong: a bug to log, not a setting to check
        raise InfrastructureError(
            f"The Discord API at {api_base(settings)} answered HTTP {exc.status}: "
            "try again later, or check DISCORD_API_BASE_URL."
        ) from exc
    except (aiohttp.ClientError, OSError) as exc:
        raise InfrastructureError(unreachable(settings)) from exc


def api_base(settings: Settings) -> str:
    """Name the API address in a message, without any credentials a proxy URL may carry."""
    base = settings.discord_api_base_url or discord.http.Route.BASE
    try:
        return str(yarl.URL(base).with_user(None))
    except ValueError:
        return "the address in DISCORD_API_BASE_URL"


def unreachable(settings: Settings) -> str:
    """Say in one sentence which setting points at an API that did not answer."""
    if settings.discord_api_base_url:
        return (
            f"Can't reach the Discord API at {api_base(settings)}: check DISCORD_API_BASE_URL "
            "and that the server there is running."
        )
    return (
        "Can't reach the Discord API (discord.com): check the network connection, or set "
        "DISCORD_API_BASE_URL if this machine goes through a proxy."
    )
