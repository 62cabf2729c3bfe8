"""Deliver outbox rows as Discord DMs: one request when the DM channel is known."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

import aiohttp
import discord

from bot.adapters.discord._render import NO_MENTIONS, safe_text
from bot.scheduling.sender import DeliveryResult
from bot.services.messages import Choice, choice_from_payload
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import OutboxMessage

log = logging.getLogger(__name__)

DM_CLOSED = 50007
ViewFactory = Callable[[tuple[Choice, ...]], discord.ui.View]


def nonce_for(idempotency_key: str) -> str:
    """Derive Discord's message nonce (at most 25 characters) from an idempotency key.

    discord.py sends it with `enforce_nonce`, so Discord answers a resend of the same
    message with the message it already created instead of a duplicate.
    """
    return hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:25]


class DiscordDelivery:
    """Send review prompts into learners' DMs through a logged-in discord.py client."""

    def __init__(
        self, client: discord.Client, database: Database, views: ViewFactory | None = None
    ) -> None:
        self.client = client
        self.database = database
        self.views = views

    async def deliver(self, message: OutboxMessage) -> DeliveryResult:
        """Send one prompt; report closed DMs, rate limits and outages instead of raising."""
        try:
            channel_id = await self._dm_channel(message)
            channel = self.client.get_partial_messageable(
                channel_id, type=discord.ChannelType.private
            )
            stored = message.payload.get("choices", [])
            found = (choice_from_payload(item) for item in stored if isinstance(stored, list))
            choices = tuple(choice for choice in found if choice is not None)
            text = safe_text(str(message.payload.get("text", "")))[:2000]
            nonce = nonce_for(message.idempotency_key)
            if choices and self.views is not None:
                await channel.send(
                    text, view=self.views(choices), nonce=nonce, allowed_mentions=NO_MENTIONS
                )
            else:
                await channel.send(text, nonce=nonce, allowed_mentions=NO_MENTIONS)
        except discord.Forbidden as exc:
            if exc.code == DM_CLOSED:
                return DeliveryResult("unreachable", error="DMs closed (50007)")
            return DeliveryResult("failed", error=f"forbidden ({exc.code})")
        except discord.HTTPException as exc:
            if exc.status == 429 or exc.status >= 500:
                return DeliveryResult("retry", error=f"HTTP {exc.status}")
            return DeliveryResult("failed", error=f"HTTP {exc.status} ({exc.code})")
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            return DeliveryResult("retry", error=type(exc).__name__)
        return DeliveryResult("sent")

    async def _dm_channel(self, message: OutboxMessage) -> int:
        """Return the learner's DM channel, opening it (and storing it) only the first time."""
        known = await self.database.run(user_store.dm_channel, message.user_id)
        if known:
            return int(known)
        data = await self.client.http.start_private_message(int(message.recipient))
        channel_id = int(data["id"])
        await self.database.run(user_store.save_dm_channel, message.user_id, str(channel_id))
        return channel_id
