"""Discord API v10 wire format: JSON object builders and HTTP request/response helpers."""

from __future__ import annotations

import itertools
import json
import math
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import BodyPartReader, web

from tests.fakes.discord_mentions import live_mentions

JSON = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000

CHANNEL_DM = 1
CHANNEL_GUILD_TEXT = 0
CHANNEL_PUBLIC_THREAD = 11

INTERACTION_APPLICATION_COMMAND = 2
INTERACTION_MESSAGE_COMPONENT = 3
INTERACTION_AUTOCOMPLETE = 4
INTERACTION_MODAL_SUBMIT = 5

CONTEXT_GUILD = 0
CONTEXT_BOT_DM = 1

COMPONENT_ACTION_ROW = 1
COMPONENT_BUTTON = 2
COMPONENT_TEXT_INPUT = 4

OPTION_TYPES: dict[type, int] = {str: 3, int: 4, bool: 5, float: 10}

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024

_counter = itertools.count(1)


# --- HTTP wire helpers -----------------------------------------------------------------------


class ApiError(Exception):
    """A Discord JSON error (`{"message", "code"}`) to answer with."""

    def __init__(self, status: int, message: str, code: int) -> None:
        super().__init__(f"{status} {message} ({code})")
        self.status, self.message, self.code = status, message, code


@dataclass
class ApiRequest:
    """A parsed API request: JSON body (or multipart payload_json) and uploaded files."""

    method: str
    path: str
    query: Mapping[str, str]
    json: Any
    files: dict[str, bytes]
    content_types: dict[str, str]


async def parse_request(request: web.Request, prefix: str) -> ApiRequest:
    """Read a JSON or multipart (payload_json + files[n]) body; files are keyed by filename."""
    body: Any = None
    files: dict[str, bytes] = {}
    content_types: dict[str, str] = {}
    if request.content_type == "multipart/form-data":
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader) or not part.name:
                continue
            raw = await part.read()
            if part.name == "payload_json":
                body = json.loads(raw)
            else:
                name = part.filename or part.name
                files[name] = bytes(raw)
                content_types[name] = part.headers.get("Content-Type", "")
    elif request.can_read_body:
        text = await request.text()
        body = json.loads(text) if text else None
    path = request.path.removeprefix(prefix)
    return ApiRequest(request.method, path, request.query, body, files, content_types)


def json_response(status: int, body: Any, headers: Mapping[str, str] | None = None) -> web.Response:
    """Answer with exactly `Content-Type: application/json` (discord.py compares it verbatim)."""
    if body is None:
        return web.Response(status=204, headers=dict(headers or {}))
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(status=status, body=json.dumps(body).encode(), headers=all_headers)


def rate_limit_response(retry_after: float, bucket: str | None) -> web.Response:
    """A 429 discord.py honours: `Via` present, JSON body; global when `bucket` is None."""
    headers = {"Via": "1.1 google", "Retry-After": str(math.ceil(retry_after))}
    if bucket is None:
        headers |= {"X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"}
    else:
        headers |= {
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Bucket": bucket,
            "X-RateLimit-Scope": "user",
        }
    body = {
        "message": "You are being rate limited.",
        "retry_after": retry_after,
        "global": not bucket,
    }
    return json_response(429, body, headers)


# --- snowflakes and tokens -------------------------------------------------------------------


def new_snowflake() -> int:
    """Return a fresh snowflake whose embedded timestamp is now (discord.py reads it back)."""
    millis = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return (millis << 22) | (next(_counter) & 0x3FFFFF)


def new_token() -> str:
    """Return a random interaction token."""
    return "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(24)


def iso_now() -> str:
    """Return the current UTC time in Discord's ISO-8601 timestamp format."""
    return datetime.now(UTC).isoformat()


# --- API objects -----------------------------------------------------------------------------


def user_object(user_id: int, username: str, *, bot: bool = False) -> JSON:
    """Build a v10 user object."""
    return {
        "id": str(user_id),
        "username": username,
        "global_name": username,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
        "flags": 0,
    }


def application_object(app_id: int, name: str, owner: JSON) -> JSON:
    """Build the `GET /oauth2/applications/@me` object (every key AppInfo indexes directly)."""
    return {
        "id": str(app_id),
        "name": name,
        "icon": None,
        "description": "",
        "summary": "",
        "bot_public": False,
        "bot_require_code_grant": False,
        "owner": owner,
        "team": None,
        "verify_key": "0" * 64,
        "flags": 0,
        "interactions_endpoint_url": None,
        "redirect_uris": [],
        "tags": [],
    }


def dm_channel_object(channel_id: int, recipient: JSON) -> JSON:
    """Build a type-1 DM channel object."""
    return {
        "id": str(channel_id),
        "type": CHANNEL_DM,
        "last_message_id": None,
        "flags": 0,
        "recipients": [recipient],
    }


def guild_text_channel_object(channel_id: int, guild_id: int) -> JSON:
    """Build a minimal guild text channel object (keys TextChannel indexes directly)."""
    return {
        "id": str(channel_id),
        "type": CHANNEL_GUILD_TEXT,
        "guild_id": str(guild_id),
        "name": f"channel-{channel_id}",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "last_message_id": None,
        "flags": 0,
    }


def thread_channel_object(
    thread_id: int, guild_id: int, parent_id: int, name: str, owner_id: int, archive_minutes: int
) -> JSON:
    """Build a public thread channel object (keys Thread indexes directly)."""
    return {
        "id": str(thread_id),
        "type": CHANNEL_PUBLIC_THREAD,
        "guild_id": str(guild_id),
        "parent_id": str(parent_id),
        "owner_id": str(owner_id),
        "name": name,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": archive_minutes,
            "archive_timestamp": iso_now(),
            "locked": False,
        },
    }


def member_object(user: JSON, permissions: int | None = None) -> JSON:
    """Build a guild member object as sent inside interactions (default permissions unless
    given)."""
    return {
        "user": user,
        "roles": [],
        "joined_at": iso_now(),
        "nick": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "permissions": str(permissions) if permissions is not None else "2248473465835073",
    }


def message_object(
    *,
    message_id: int,
    channel_id: int,
    author: JSON,
    payload: Mapping[str, Any],
    attachments: Sequence[JSON] = (),
    guild_id: int | None = None,
    webhook_id: int | None = None,
) -> JSON:
    """Build a full message object from what a client sent, with the mentions that ping."""
    mentions = live_mentions(str(payload.get("content") or ""), payload.get("allowed_mentions"))
    message: JSON = {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "type": 0,
        "author": author,
        "content": payload.get("content") or "",
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": bool(payload.get("tts", False)),
        "mention_everyone": mentions.everyone,
        "mentions": [user_object(int(u), f"user{u}") for u in mentions.users],
        "mention_roles": list(mentions.roles),
        "attachments": list(attachments),
        "embeds": list(payload.get("embeds") or []),
        "components": list(payload.get("components") or []),
        "pinned": False,
        "flags": int(payload.get("flags") or 0),
    }
    if guild_id is not None:
        message["guild_id"] = str(guild_id)
    if webhook_id is not None:
        message["webhook_id"] = str(webhook_id)
        message["application_id"] = str(webhook_id)
    if "nonce" in payload:
        message["nonce"] = payload["nonce"]
    return message


def attachment_object(
    attachment_id: int, channel_id: int, filename: str, data: bytes, content_type: str | None
) -> JSON:
    """Build an attachment object for an uploaded file."""
    url = f"https://cdn.discordapp.com/attachments/{channel_id}/{attachment_id}/{filename}"
    return {
        "id": str(attachment_id),
        "filename": filename,
        "size": len(data),
        "url": url,
        "proxy_url": url,
        "content_type": content_type,
    }


def command_options(options: Sequence[JSON] | Mapping[str, Any] | None) -> list[JSON]:
    """Turn `{name: value}` into interaction option objects (raw option lists pass through)."""
    if options is None:
        return []
    if not isinstance(options, Mapping):
        return list(options)
    return [
        {"name": name, "type": OPTION_TYPES.get(type(value), 3), "value": value}
        for name, value in options.items()
    ]


def interaction_object(
    *,
    interaction_id: int,
    application_id: int,
    interaction_type: int,
    data: JSON,
    token: str,
    user: JSON,
    channel: JSON,
    guild_id: int | None = None,
    message: JSON | None = None,
    locale: str = "en-US",
    permissions: int | None = None,
) -> JSON:
    """Build an INTERACTION_CREATE payload (DM when guild_id is None, else a guild interaction)."""
    payload: JSON = {
        "id": str(interaction_id),
        "application_id": str(application_id),
        "type": interaction_type,
        "data": data,
        "channel_id": channel["id"],
        "channel": channel,
        "token": token,
        "version": 1,
        "app_permissions": "2248473465835073",
        "locale": locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }
    if guild_id is None:
        payload["user"] = user
        payload["context"] = CONTEXT_BOT_DM
        payload["authorizing_integration_owners"] = {"0": "0"}
    else:
        payload["guild_id"] = str(guild_id)
        payload["guild_locale"] = locale
        payload["guild"] = {"id": str(guild_id), "locale": locale, "features": []}
        payload["member"] = member_object(user, permissions)
        payload["context"] = CONTEXT_GUILD
        payload["authorizing_integration_owners"] = {"0": str(guild_id)}
    if message is not None:
        payload["message"] = message
    return payload


def modal_components(values: Mapping[str, str]) -> list[JSON]:
    """Build modal-submit components: one action row holding one text input per value."""
    return [
        {
            "type": COMPONENT_ACTION_ROW,
            "components": [{"type": COMPONENT_TEXT_INPUT, "custom_id": key, "value": value}],
        }
        for key, value in values.items()
    ]


def ready_payload(
    *, user: JSON, application_id: int, session_id: str, resume_url: str, shard: Any = None
) -> JSON:
    """Build the READY dispatch body (v10)."""
    ready: JSON = {
        "v": 10,
        "user": user,
        "guilds": [],
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "session_id": session_id,
        "session_type": "normal",
        "resume_gateway_url": resume_url,
        "application": {"id": str(application_id), "flags": 0},
        "user_settings": {},
        "geo_ordered_rtc_regions": ["local"],
        "_trace": ["fake-discord"],
    }
    if shard is not None:
        ready["shard"] = shard
    return ready


def callback_response(
    interaction_id: int, callback_type: int, interaction_type: int, message: JSON | None
) -> JSON:
    """Build the `?with_response=1` body discord.py parses into InteractionCallbackResponse."""
    has_message = message is not None and callback_type in (4, 5, 7)
    flags = int(message.get("flags", 0)) if message is not None else 0
    body: JSON = {
        "interaction": {
            "id": str(interaction_id),
            "type": interaction_type,
            "response_message_id": message["id"] if has_message and message else None,
            "response_message_loading": callback_type == 5,
            "response_message_ephemeral": bool(flags & 64),
        }
    }
    if has_message:
        body["resource"] = {"type": callback_type, "message": message}
    return body
