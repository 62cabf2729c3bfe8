"""A cohort's channel post from the outbox (the week's focus, Start practising, a thread for
the week's question) and files attached to cohort DMs (a certificate, a digest's chart).

Like a DM prompt, the post carries its idempotency key as message metadata; a row that
may have been posted before is first looked for in the channel, and its thread reply in
the thread, so neither is posted twice.
"""

from __future__ import annotations

import base64
import binascii
import logging
from typing import TYPE_CHECKING, Any

from bot.adapters.slack._render import reply_message
from bot.services.messages import Attachment, Reply, choice_from_payload
from bot.store.models import OutboxMessage

if TYPE_CHECKING:
    from bot.adapters.slack._delivery import SlackDelivery

log = logging.getLogger(__name__)

CHANNEL_POST = "cohort_post"
THREAD_SUFFIX = "#thread"


def post_reply(payload: dict[str, Any]) -> Reply:
    """The post's text and buttons as a neutral reply."""
    stored = payload.get("choices", [])
    found = (choice_from_payload(item) for item in stored) if isinstance(stored, list) else ()
    return Reply(str(payload.get("text", "")), tuple(c for c in found if c is not None))


def thread_text(payload: dict[str, Any]) -> str:
    """The thread reply's text: its title in bold, then the question (empty: no thread)."""
    thread = payload.get("thread")
    if not isinstance(thread, dict) or not str(thread.get("text") or "").strip():
        return ""
    title = str(thread.get("title") or "").strip()
    return f"**{title}**\n{thread['text']}" if title else str(thread["text"])


async def post_to_channel(delivery: SlackDelivery, message: OutboxMessage) -> None:
    """Post the row into its channel, then its thread reply; skip what is already there."""
    channel, key = message.recipient, message.idempotency_key
    parent = None
    if delivery._may_have_been_sent(message):
        parent = await _find(delivery, channel, message, key)
    fresh = parent is None
    if parent is None:
        rendered = reply_message(post_reply(message.payload))
        await delivery._slot(delivery.pacing.channels, channel)
        response = await delivery.client.chat_postMessage(
            channel=channel,
            text=rendered.text,
            blocks=rendered.blocks,
            metadata=_metadata(key),
            unfurl_links=False,
            unfurl_media=False,
        )
        parent = str(response["ts"])
    text = thread_text(message.payload)
    if not text:
        return
    if not fresh and await _in_thread(delivery, channel, parent, key + THREAD_SUFFIX):
        return
    # the post took this channel's slot: wait for the next, never defer half a post
    await delivery.pacing.message(channel)
    rendered = reply_message(Reply(text))
    await delivery.client.chat_postMessage(
        channel=channel,
        thread_ts=parent,
        text=rendered.text,
        blocks=rendered.blocks,
        metadata=_metadata(key + THREAD_SUFFIX),
        unfurl_links=False,
        unfurl_media=False,
    )


async def send_attachment(delivery: SlackDelivery, channel: str, payload: dict[str, Any]) -> None:
    """Upload a DM row's optional file (`{"filename", "content_type", "data_b64"}`)."""
    attachment = _attachment(payload.get("attachment"))
    if attachment is None:
        return
    await delivery._method_slot("files.getUploadURLExternal")
    await delivery.client.files_upload_v2(
        channel=channel,
        content=attachment.data,
        filename=attachment.filename,
        title=attachment.filename,
    )


def attachment_name(payload: dict[str, Any]) -> str | None:
    """The file name of a DM row's attachment (None: the row has none to send)."""
    value = payload.get("attachment")
    if not isinstance(value, dict) or not value.get("data_b64"):
        return None
    return str(value.get("filename") or "attachment")


def _attachment(value: object) -> Attachment | None:
    """Read a stored attachment; one that cannot be read is left out (and logged)."""
    name = attachment_name({"attachment": value})
    if name is None or not isinstance(value, dict):
        return None
    try:
        data = base64.b64decode(str(value["data_b64"]), validate=True)
    except (binascii.Error, ValueError):
        log.warning("outbox: an attachment could not be decoded; the message goes without it")
        return None
    return Attachment(name, data, str(value.get("content_type") or "application/octet-stream"))


def _metadata(key: str) -> dict[str, Any]:
    """The message metadata carrying an idempotency key."""
    from bot.adapters.slack._delivery import METADATA_TYPE

    return {"event_type": METADATA_TYPE, "event_payload": {"key": key}}


def _has_key(messages: list[dict[str, Any]], key: str) -> dict[str, Any] | None:
    """The message carrying the idempotency key, if any."""
    from bot.adapters.slack._delivery import METADATA_TYPE

    for posted in messages:
        metadata = posted.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == METADATA_TYPE and payload.get("key") == key:
            return posted
    return None


async def _find(
    delivery: SlackDelivery, channel: str, message: OutboxMessage, key: str
) -> str | None:
    """The ts of the row's post in the channel, if it was posted."""
    from bot.adapters.slack._delivery import HISTORY_LOOKBACK

    await delivery._method_slot("conversations.history")
    oldest = message.created_at.timestamp() - 60
    response = await delivery.client.conversations_history(
        channel=channel, oldest=f"{oldest:.6f}", limit=HISTORY_LOOKBACK, include_all_metadata=True
    )
    found = _has_key(list(response.get("messages") or []), key)
    return str(found["ts"]) if found is not None else None


async def _in_thread(delivery: SlackDelivery, channel: str, parent: str, key: str) -> bool:
    """Tell whether the thread already holds the reply with this key."""
    await delivery._method_slot("conversations.history")
    response = await delivery.client.conversations_replies(
        channel=channel, ts=parent, include_all_metadata=True
    )
    return _has_key(list(response.get("messages") or []), key) is not None
