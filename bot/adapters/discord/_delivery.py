"""Deliver outbox rows as Discord DMs (one request when the DM channel is known), and a
cohort's weekly posts into its channel, each with its discussion thread."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import logging
from collections.abc import Callable
from typing import Literal

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
THREAD_EXISTS = 160004  # the thread of this message was started by an earlier try
CHANNEL_POST = "cohort_post"  # sent to the channel named by `recipient`, not to a DM
THREAD_MINUTES: Literal[10080] = 10080  # a week's thread stays open for the week
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
        in_channel = message.kind == CHANNEL_POST
        try:
            if in_channel:
                channel = self.client.get_partial_messageable(int(message.recipient))
            else:
                channel = self.client.get_partial_messageable(
                    await self._dm_channel(message), type=discord.ChannelType.private
                )
            stored = message.payload.get("choices", [])
            found = (choice_from_payload(item) for item in stored if isinstance(stored, list))
            choices = tuple(choice for choice in found if choice is not None)
            text = safe_text(str(message.payload.get("text", "")))[:2000]
            nonce = nonce_for(message.idempotency_key)
            files = _files(message.payload.get("attachment"))
            if choices and self.views is not None:
                sent = await channel.send(
                    text,
                    view=self.views(choices),
                    files=files,
                    nonce=nonce,
                    allowed_mentions=NO_MENTIONS,
                )
            else:
                sent = await channel.send(
                    text, files=files, nonce=nonce, allowed_mentions=NO_MENTIONS
                )
            thread = message.payload.get("thread")
            if in_channel and isinstance(thread, dict):
                await self._thread(sent, thread, message.idempotency_key)
        except discord.Forbidden as exc:
            if in_channel:  # the channel's permissions, not the creator's DMs: never unreachable
                return DeliveryResult("failed", error=f"the channel refused the post ({exc.code})")
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

    async def _thread(self, sent: discord.Message, thread: dict[str, object], key: str) -> None:
        """Start the post's public thread and put its first message in it (once per post)."""
        name = str(thread.get("title") or "Discussion")[:100]
        try:
            data = await self.client.http.start_thread_with_message(
                sent.channel.id, sent.id, name=name, auto_archive_duration=THREAD_MINUTES
            )
            thread_id = int(data["id"])
        except discord.HTTPException as exc:
            if exc.code != THREAD_EXISTS:
                raise
            thread_id = sent.id  # a thread started from a message has the message's id
        channel = self.client.get_partial_messageable(
            thread_id, type=discord.ChannelType.public_thread
        )
        text = safe_text(str(thread.get("text") or ""))[:2000]
        if text:
            await channel.send(text, nonce=nonce_for(f"{key}:thread"), allowed_mentions=NO_MENTIONS)

    async def _dm_channel(self, message: OutboxMessage) -> int:
        """Return the learner's DM channel, opening it (and storing it) only the first time."""
        known = await self.database.run(user_store.dm_channel, message.user_id)
        if known:
            return int(known)
        data = await self.client.http.start_private_message(int(message.recipient))
        channel_id = int(data["id"])
        await self.database.run(user_store.save_dm_channel, message.user_id, str(channel_id))
        return channel_id


def _files(attachment: object) -> list[discord.File]:
    """The payload's optional file (`{filename, content_type, data_b64}`), ready to send."""
    if not isinstance(attachment, dict):
        return []
    try:
        data = base64.b64decode(str(attachment.get("data_b64", "")), validate=True)
    except (binascii.Error, ValueError):
        log.warning("outbox attachment is not base64: sent without it")
        return []
    name = str(attachment.get("filename") or "attachment")[:100]
    return [discord.File(io.BytesIO(data), filename=name)]
