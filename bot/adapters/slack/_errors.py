"""The one error handler for Slack: a plain sentence for the user, one traceback in the log."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack._connect import library_log

log = logging.getLogger(__name__)

# honest: the failure may have come before or after the write, so promise nothing
SORRY = (
    "Something went wrong on my side, and that message may not have been saved. "
    "Please send it again in a moment."
)


async def report_error(error: BaseException, body: dict[str, Any], client: AsyncWebClient) -> None:
    """Log the error once with its traceback and tell the user in a plain sentence."""
    log.error("slack: %s failed", where(body), exc_info=error)
    try:
        await _tell_user(body, client)
    except (SlackApiError, aiohttp.ClientError, OSError, TimeoutError):
        log.warning("slack: could not tell the user about the error")


async def _tell_user(body: dict[str, Any], client: AsyncWebClient) -> None:
    """Answer where the request came from: its response URL, its DM, or the user's DM."""
    response_url = body.get("response_url")
    if not response_url and body.get("response_urls"):
        response_url = body["response_urls"][0].get("response_url")
    if isinstance(response_url, str) and response_url:
        await AsyncWebhookClient(response_url, logger=library_log).send(
            text=SORRY, response_type="ephemeral"
        )
        return
    event = body.get("event") or {}
    if event.get("channel_type") == "im" and event.get("channel"):
        thread = event.get("thread_ts")
        await client.chat_postMessage(channel=event["channel"], text=SORRY, thread_ts=thread)
        return
    user = (body.get("user") or {}).get("id") or body.get("user_id") or event.get("user")
    if isinstance(user, str) and user:
        opened = await client.conversations_open(users=user)
        await client.chat_postMessage(channel=opened["channel"]["id"], text=SORRY)


def where(body: dict[str, Any]) -> str:
    """Name what failed, without any message content."""
    kind = body.get("type")
    if kind == "event_callback":
        return f"the {(body.get('event') or {}).get('type', '?')} event"
    if body.get("command"):
        return f"the {body['command']} command"
    if kind == "block_actions":
        actions = body.get("actions") or [{}]
        return f"the button {actions[0].get('action_id', '?')}"
    if kind in {"view_submission", "view_closed"}:
        return f"the form {(body.get('view') or {}).get('callback_id', '?')}"
    return f"a {kind or 'request'}"
