"""Requests as Slack sends them to an app: signed bodies for events, commands and clicks."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

from slack_sdk.signature import SignatureVerifier

JSON = dict[str, Any]
_ids = itertools.count(1)


@dataclass(frozen=True)
class SlackRequest:
    """A body as Slack sends it, its content type and, once signed, its headers."""

    body: str
    content_type: str

    def headers(self, secret: str, *, timestamp: int | None = None, retry: int = 0) -> JSON:
        """Sign the body with `v0:{timestamp}:{body}` (HMAC-SHA256), as Slack does."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=self.body)
        headers = {
            "Content-Type": self.content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature,
        }
        if retry:
            headers["X-Slack-Retry-Num"] = str(retry)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        return headers

    def payload(self) -> JSON:
        """The body as Socket Mode carries it (a parsed payload)."""
        if self.content_type == "application/json":
            return dict(json.loads(self.body))
        form = {k: v[0] for k, v in parse_qs(self.body).items()}
        return dict(json.loads(form["payload"])) if "payload" in form else form


def event(event: JSON, *, team_id: str = "T0TEAM", event_id: str | None = None) -> SlackRequest:
    """An Events API callback around one event."""
    body = {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "api_app_id": "A0APP",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):08d}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": team_id, "user_id": "U0BOT", "is_bot": True}],
    }
    return SlackRequest(json.dumps(body), "application/json")


def dm(
    user: str, text: str, *, channel: str | None = None, thread_ts: str | None = None, **extra: Any
) -> JSON:
    """A `message` event in the app's DM with `user`."""
    message: JSON = {
        "type": "message",
        "user": user,
        "text": text,
        "ts": f"{time.time():.6f}",
        "channel": channel or "D" + user.removeprefix("U"),
        "channel_type": "im",
        "event_ts": f"{time.time():.6f}",
        **extra,
    }
    if thread_ts:
        message["thread_ts"] = thread_ts
    return message


def home_opened(user: str) -> JSON:
    """An `app_home_opened` event on the Home tab."""
    return {"type": "app_home_opened", "user": user, "channel": "D" + user[1:], "tab": "home"}


def command(user: str, text: str, *, response_url: str, channel: str = "C0GENERAL") -> SlackRequest:
    """`/tutor text`, as a form."""
    form = {
        "token": "legacy-verification-token",
        "team_id": "T0TEAM",
        "channel_id": channel,
        "channel_name": "directmessage" if channel.startswith("D") else "general",
        "user_id": user,
        "user_name": user.lower(),
        "command": "/tutor",
        "text": text,
        "api_app_id": "A0APP",
        "response_url": response_url,
        "trigger_id": f"trigger.{next(_ids)}",
    }
    return SlackRequest(urlencode(form), "application/x-www-form-urlencoded")


def _interactive(payload: JSON) -> SlackRequest:
    return SlackRequest(
        urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
    )


def click(
    user: str,
    action_id: str,
    *,
    message: Any = None,
    ephemeral_url: str | None = None,
    home: bool = False,
    response_url: str = "",
) -> SlackRequest:
    """A click on a button: under a posted message (the mock's `Posted`), under an ephemeral
    message (answered through `ephemeral_url`), or on App Home."""
    action = {
        "type": "button",
        "action_id": action_id,
        "block_id": "tutor-choices-0",
        "value": action_id.split(":")[-1],
        "action_ts": f"{time.time():.6f}",
    }
    payload: JSON = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "team_id": "T0TEAM"},
        "api_app_id": "A0APP",
        "team": {"id": "T0TEAM"},
        "trigger_id": f"trigger.{next(_ids)}",
        "actions": [action],
    }
    if home:
        payload["container"] = {"type": "view", "view_id": "V0HOME"}
        payload["view"] = {"id": "V0HOME", "type": "home"}
    elif ephemeral_url is not None:
        payload["container"] = {"type": "message", "is_ephemeral": True}
        payload["response_url"] = ephemeral_url
    elif message is not None:
        payload["container"] = {
            "type": "message",
            "message_ts": message.ts,
            "channel_id": message.channel,
            "is_ephemeral": False,
        }
        payload["channel"] = {"id": message.channel, "name": "directmessage"}
        payload["message"] = {
            "ts": message.ts,
            "text": message.text,
            "thread_ts": message.thread_ts,
        }
        payload["response_url"] = response_url
    return _interactive(payload)


def select_course(user: str, course_id: str, *, response_url: str) -> SlackRequest:
    """Picking a course in the menu of an ephemeral message."""
    payload = {
        "type": "block_actions",
        "user": {"id": user, "team_id": "T0TEAM"},
        "team": {"id": "T0TEAM"},
        "container": {"type": "message", "is_ephemeral": True},
        "response_url": response_url,
        "trigger_id": f"trigger.{next(_ids)}",
        "actions": [
            {
                "type": "external_select",
                "action_id": "tutor:course",
                "block_id": "tutor-course",
                "selected_option": {
                    "text": {"type": "plain_text", "text": course_id},
                    "value": course_id,
                },
            }
        ],
    }
    return _interactive(payload)


def course_search(user: str, typed: str) -> SlackRequest:
    """The course menu asking for options as the learner types."""
    return _interactive(
        {
            "type": "block_suggestion",
            "user": {"id": user, "team_id": "T0TEAM"},
            "team": {"id": "T0TEAM"},
            "action_id": "tutor:course",
            "block_id": "tutor-course",
            "value": typed,
        }
    )


def submit(user: str, view: JSON, values: dict[str, str | None]) -> SlackRequest:
    """Submitting a form the app opened, with a value per input block."""
    state: JSON = {}
    for block in view.get("blocks", []):
        block_id = block.get("block_id")
        if block.get("type") == "input" and block_id in values:
            kind = block["element"]["type"]
            state[block_id] = {block_id: {"type": kind, "value": values[block_id]}}
    payload = {
        "type": "view_submission",
        "user": {"id": user, "team_id": "T0TEAM"},
        "team": {"id": "T0TEAM"},
        "api_app_id": "A0APP",
        "view": {
            "id": "V0FORM",
            "type": "modal",
            "callback_id": view["callback_id"],
            "private_metadata": view.get("private_metadata", ""),
            "state": {"values": state},
            "hash": "h",
        },
    }
    return _interactive(payload)


def assistant_thread_started(user: str, channel: str, thread_ts: str) -> JSON:
    """The learner opened the assistant side panel."""
    return {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": user,
            "context": {},
            "channel_id": channel,
            "thread_ts": thread_ts,
        },
        "event_ts": f"{time.time():.6f}",
    }


def slash(
    name: str,
    user: str,
    text: str,
    *,
    response_url: str,
    channel: str = "C0GENERAL",
    team_id: str = "T0TEAM",
) -> SlackRequest:
    """Any slash command (`/coach text`), as a form."""
    form = {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "channel_id": channel,
        "channel_name": "directmessage" if channel.startswith("D") else "general",
        "user_id": user,
        "user_name": user.lower(),
        "command": name,
        "text": text,
        "api_app_id": "A0APP",
        "response_url": response_url,
        "trigger_id": f"trigger.{next(_ids)}",
    }
    return SlackRequest(urlencode(form), "application/x-www-form-urlencoded")


def submit_state(user: str, view: JSON, values: dict[str, JSON]) -> SlackRequest:
    """Submitting a form with each input's state as Slack sends it (a text's `value`, a
    menu's `selected_option`); `picked(value)` and `typed(value)` build them."""
    state = {block_id: {block_id: value} for block_id, value in values.items()}
    payload = {
        "type": "view_submission",
        "user": {"id": user, "username": user.lower(), "team_id": "T0TEAM"},
        "team": {"id": "T0TEAM"},
        "api_app_id": "A0APP",
        "trigger_id": f"trigger.{next(_ids)}",
        "view": {
            "id": "V0FORM",
            "type": "modal",
            "callback_id": view["callback_id"],
            "private_metadata": view.get("private_metadata", ""),
            "state": {"values": state},
            "hash": "h",
        },
    }
    return _interactive(payload)


def typed(value: str | None) -> JSON:
    """A text field's state."""
    return {"type": "plain_text_input", "value": value}


def picked(value: str | None) -> JSON:
    """A static menu's state: the option chosen, or none."""
    shown = {"type": "plain_text", "text": value}
    option = None if value is None else {"text": shown, "value": value}
    return {"type": "static_select", "selected_option": option}


def member_joined(user: str, channel: str, *, team_id: str = "T0TEAM") -> JSON:
    """A `member_joined_channel` event: someone joined (or was added to) a channel."""
    return {
        "type": "member_joined_channel",
        "user": user,
        "channel": channel,
        "channel_type": "C",
        "team": team_id,
        "event_ts": f"{time.time():.6f}",
    }


def file_share(user: str, files: list[JSON], text: str = "") -> JSON:
    """A `message` event in the app's DM sharing files (Slack's `file_share` subtype)."""
    return dm(user, text, subtype="file_share", files=files, upload=True)


def files_given(files: list[JSON]) -> JSON:
    """A file input's state in a submitted form: the files the person picked."""
    return {"type": "file_input", "files": files}
