"""The typing indicator while the tutor works on a DM that takes a while (a model wording it)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import discord

log = logging.getLogger(__name__)

# A reply faster than this needs no indicator: an offline turn is done in milliseconds, and
# a typing request it did not need would only spend the channel's rate limit.
TYPING_AFTER = 0.3
# Discord shows "typing…" for about 10 s per request: renew it before then.
TYPING_EVERY = 8.0
_EXPECTED = (discord.HTTPException, aiohttp.ClientError, TimeoutError)


@asynccontextmanager
async def typing_while_working(
    channel: discord.abc.Messageable, *, after: float = TYPING_AFTER, every: float = TYPING_EVERY
) -> AsyncIterator[None]:
    """Show "typing…" in ``channel`` once the block has run ``after`` seconds, until it ends.

    The typing requests run beside the block: they never delay it, and one that fails is
    logged and given up, never raised into the block.
    """
    typing = asyncio.create_task(_keep_typing(channel, after, every))
    try:
        yield
    finally:
        typing.cancel()


async def _keep_typing(channel: discord.abc.Messageable, after: float, every: float) -> None:
    """Wait ``after`` seconds, then send a typing request every ``every`` seconds."""
    await asyncio.sleep(after)
    while True:
        try:
            await channel.typing()
        except _EXPECTED as error:
            log.warning("discord: the typing indicator could not be shown (%s)", _why(error))
            return
        except Exception:
            log.exception("discord: the typing indicator failed")
            return
        await asyncio.sleep(every)


def _why(error: BaseException) -> str:
    """Name a failure without any message content."""
    if isinstance(error, discord.HTTPException):
        return f"HTTP {error.status}, code {error.code}"
    return type(error).__name__
