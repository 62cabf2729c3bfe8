"""Deliver outbox rows as Slack DMs, paced per channel, each at most once.

Slack has no idempotency key for messages: each prompt carries its key as message
metadata, and a row that may have been posted before (a worker died after posting, or an
attempt timed out) is first looked for in the DM's latest messages.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack._cohort_posts import (
    CHANNEL_POST,
    attachment_name,
    post_to_channel,
    send_attachment,
)
from bot.adapters.slack._pacing import Pacer, SlackPacing
from bot.adapters.slack._render import reply_message
from bot.scheduling.sender import DeliveryResult
from bot.services.messages import Reply, choice_from_payload
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import OutboxMessage

log = logging.getLogger(__name__)

METADATA_TYPE = "tutor_outbox_message"
# the learner cannot be reached: their account is gone, or the DM cannot be had
UNREACHABLE = {
    "user_not_found",
    "user_disabled",
    "user_not_visible",
    "cannot_dm_bot",
    "channel_not_found",
    "is_archived",
}
# the bot's own token is refused: no learner is to blame, and a retry may follow a fix
TOKEN_REFUSED = {"account_inactive", "invalid_auth", "not_authed", "token_revoked"}
HISTORY_LOOKBACK = 50
# A prompt whose channel or method slot is further off than this is put back for later
# rather than waited for: a wait would hold one of the sender's few slots (and its lease).
LONGEST_WAIT = 0.5


class _Deferred(Exception):
    """The slot is far off: try this row again in `seconds`."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class SlackDelivery:
    """Send review prompts into learners' DMs through the Web API."""

    def __init__(
        self,
        client: AsyncWebClient,
        database: Database,
        pacing: SlackPacing,
        *,
        clock: Callable[[], datetime],
        lease: timedelta,
    ) -> None:
        self.client = client
        self.database = database
        self.pacing = pacing
        self.clock = clock
        self.lease = lease

    async def deliver(self, message: OutboxMessage) -> DeliveryResult:
        """Send one prompt; report closed accounts, rate limits and outages instead of raising."""
        if message.kind == CHANNEL_POST:
            return await self._deliver_to_channel(message)
        method, channel = "conversations.open", ""
        try:
            channel = await self._dm_channel(message)
            if self._may_have_been_sent(message):
                method = "conversations.history"
                files = await self._already_posted(channel, message)
                if files is not None:
                    log.info("outbox %s: already in the DM; not sent again", message.id)
                    if attachment_name(message.payload) not in (None, *files):
                        # The message went out, its file did not: send just the file.
                        method = "files.getUploadURLExternal"
                        await send_attachment(self, channel, message.payload)
                    return DeliveryResult("sent")
            method = "chat.postMessage"
            await self._post(channel, message)
        except _Deferred as deferred:
            return DeliveryResult("deferred", retry_after=deferred.seconds, error="paced")
        except SlackApiError as exc:
            return self._failure(exc, method, channel)
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            return DeliveryResult("retry", error=type(exc).__name__)
        return DeliveryResult("sent")

    async def _deliver_to_channel(self, message: OutboxMessage) -> DeliveryResult:
        """Post a cohort's message in its channel; a channel the app cannot post in parks the
        row (the creator is not unreachable for it)."""
        channel = message.recipient
        try:
            await post_to_channel(self, message)
        except _Deferred as deferred:
            return DeliveryResult("deferred", retry_after=deferred.seconds, error="paced")
        except SlackApiError as exc:
            method = str(exc.response.api_url or "").rsplit("/", 1)[-1] or "chat.postMessage"
            result = self._failure(exc, method, channel)
            if result.status == "unreachable":
                log.warning("outbox %s: the cohort's channel cannot be posted in", message.id)
                return DeliveryResult("failed", error=result.error)
            return result
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            return DeliveryResult("retry", error=type(exc).__name__)
        return DeliveryResult("sent")

    async def _post(self, channel: str, message: OutboxMessage) -> None:
        """Post the prompt, with its buttons and its idempotency key as metadata."""
        stored = message.payload.get("choices", [])
        found = (choice_from_payload(item) for item in stored) if isinstance(stored, list) else ()
        choices = tuple(choice for choice in found if choice is not None)
        rendered = reply_message(Reply(str(message.payload.get("text", "")), choices))
        await self._slot(self.pacing.channels, channel)
        await self.client.chat_postMessage(
            channel=channel,
            text=rendered.text,
            blocks=rendered.blocks,
            metadata={
                "event_type": METADATA_TYPE,
                "event_payload": {"key": message.idempotency_key},
            },
            unfurl_links=False,
            unfurl_media=False,
        )
        await send_attachment(self, channel, message.payload)

    def _may_have_been_sent(self, message: OutboxMessage) -> bool:
        """Tell a row tried before, or claimed again after its lease ran out, from a fresh one."""
        return message.attempts > 0 or self.clock() - message.next_attempt_at >= self.lease

    async def _already_posted(self, channel: str, message: OutboxMessage) -> set[str] | None:
        """Look for the row's key among the DM's messages since the row was written.

        Returns None when it is not there, else the names of the files shared in the DM
        from that message on (a file goes up after its message)."""
        await self._method_slot("conversations.history")
        oldest = message.created_at - timedelta(minutes=1)
        response = await self.client.conversations_history(
            channel=channel,
            oldest=f"{oldest.timestamp():.6f}",
            limit=HISTORY_LOOKBACK,
            include_all_metadata=True,
        )
        posted_list = list(response.get("messages") or [])
        for posted in posted_list:
            metadata = posted.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if (
                metadata.get("event_type") == METADATA_TYPE
                and payload.get("key") == message.idempotency_key
            ):
                return _files_since(posted_list, str(posted.get("ts") or "0"))
        return None

    async def _dm_channel(self, message: OutboxMessage) -> str:
        """Return the learner's DM channel, opening it (and storing it) only the first time."""
        known = await self.database.run(user_store.dm_channel, message.user_id)
        if known:
            return str(known)
        await self._method_slot("conversations.open")
        response = await self.client.conversations_open(users=message.recipient)
        channel = str(response["channel"]["id"])
        await self.database.run(user_store.save_dm_channel, message.user_id, channel)
        return channel

    async def _method_slot(self, method: str) -> None:
        """Wait for a tiered method's slot, or defer the row."""
        slot = self.pacing.method_pacer(method)
        if slot is not None:
            await self._slot(slot[0], method, burst=slot[1])

    async def _slot(self, pacer: Pacer, key: str, burst: int = 1) -> None:
        """Wait for a slot that comes soon; defer the row when it is further off."""
        wait = pacer.reserve_within(key, burst, LONGEST_WAIT)
        if wait is None:  # back a little early, to wait the rest of the way in its slot
            raise _Deferred(pacer.delay(key, burst) - LONGEST_WAIT / 2)
        if wait > 0:
            await asyncio.sleep(wait)

    def _failure(self, exc: SlackApiError, method: str, channel: str) -> DeliveryResult:
        """Classify a Web API error: wait and retry, the learner is gone, or a failure."""
        status = exc.response.status_code
        error = str(exc.response.get("error", "")) if status != 429 else "ratelimited"
        if status == 429:
            retry_after = _retry_after(exc)
            if method == "chat.postMessage":
                self.pacing.channels.pause(channel, retry_after)
            else:
                self.pacing.pause_method(method, retry_after)
            return DeliveryResult("retry", retry_after=retry_after, error=f"{method}: HTTP 429")
        if status >= 500 or error in {"ratelimited", "internal_error", "fatal_error"}:
            return DeliveryResult("retry", error=f"{method}: HTTP {status} {error}".strip())
        if error in UNREACHABLE:
            return DeliveryResult("unreachable", error=f"{method}: {error}")
        if error in TOKEN_REFUSED:
            log.error("slack: the bot token was refused (%s); check SLACK_BOT_TOKEN", error)
            return DeliveryResult("retry", error=f"{method}: {error}")
        return DeliveryResult("failed", error=f"{method}: {error or status}")


def _files_since(messages: list[dict[str, object]], ts: str) -> set[str]:
    """The names of the files shared in messages posted at or after ``ts``."""
    names: set[str] = set()
    for posted in messages:
        files = posted.get("files")
        if float(str(posted.get("ts") or "0")) >= float(ts) and isinstance(files, list):
            names.update(str(f.get("name")) for f in files if isinstance(f, dict))
    return names


def _retry_after(exc: SlackApiError) -> float:
    """Read Retry-After (seconds) from a 429, defaulting to a second."""
    headers = exc.response.headers or {}
    value = headers.get("Retry-After") or headers.get("retry-after")
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return max(0.0, float(value)) if value is not None else 1.0
    except (TypeError, ValueError):
        return 1.0
