"""A mock Slack Web API (and Socket Mode websocket) on 127.0.0.1 that the real SDK talks to.

The base URL ends in `/api/`, as the SDK expects. Arguments are read from the query string,
the form and a JSON body, merged, because the SDK sends some methods' arguments in the
query string of a POST. Every call is recorded; tests wait on the records, never on a clock.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

JSON = dict[str, Any]
API_PREFIX = "/api/"
# arguments the SDK may send as JSON text inside a form or a query string
_JSON_ARGUMENTS = {"blocks", "attachments", "metadata", "files", "view", "prompts"}
TIERS = {
    "conversations.open": 100,
    "conversations.history": 50,
    "users.info": 100,
    "views.publish": 100,
    "views.open": 100,
    "views.update": 100,
    "files.getUploadURLExternal": 100,
    "files.completeUploadExternal": 100,
    "conversations.info": 50,
}


@dataclass
class ApiCall:
    """One Web API call the app made."""

    method: str
    args: JSON
    token: str | None
    time: float
    status: int = 0
    answer: JSON = field(default_factory=dict)

    @property
    def error(self) -> str | None:
        """The error Slack answered, if any."""
        return None if self.answer.get("ok") else str(self.answer.get("error"))


@dataclass
class Posted:
    """A message the app posted (or sent through a response URL)."""

    channel: str
    ts: str
    text: str
    blocks: list[JSON]
    thread_ts: str | None = None
    metadata: JSON | None = None
    ephemeral: bool = False
    replace_original: bool = False
    time: float = 0.0

    @property
    def shown(self) -> str:
        """The text people read: the sections of the blocks, or the text."""
        parts = [
            b["text"]["text"] for b in self.blocks if b.get("type") == "section" and b.get("text")
        ]
        return "\n".join(parts) if parts else self.text

    @property
    def buttons(self) -> list[str]:
        """The action ids of the message's buttons and menus, in order."""
        ids: list[str] = []
        for block in self.blocks:
            ids += [e["action_id"] for e in block.get("elements", []) if "action_id" in e]
            accessory = block.get("accessory") or {}
            if "action_id" in accessory:
                ids.append(accessory["action_id"])
        return ids


@dataclass
class Hold:
    """A call whose answer the mock holds back: `reached` when it comes, answered on `release`."""

    method: str
    nth: int
    reached: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class Uploaded:
    """A file uploaded through the external upload flow."""

    id: str
    filename: str
    data: bytes = b""
    title: str = ""
    channel: str | None = None
    thread_ts: str | None = None
    ts: str = ""  # when it was shared in its channel


class FakeSlack:
    """A local Slack: Web API under /api/, response URLs, uploads, a Socket Mode websocket."""

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-test-token",
        app_token: str = "xapp-test-token",
        signing_secret: str = "test-signing-secret",
        team_id: str = "T0TEAM",
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
    ) -> None:
        self.bot_token = bot_token
        self.app_token = app_token
        self.signing_secret = signing_secret
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.calls: list[ApiCall] = []
        self.messages: list[Posted] = []
        self.responses: list[Posted] = []  # sent to response URLs
        self.files: dict[str, Uploaded] = {}
        self.published: list[tuple[str, JSON]] = []  # (user id, home view)
        self.opened_views: list[JSON] = []
        self.updated_views: list[tuple[str, JSON]] = []  # (view id, the view sent)
        self.acks: list[JSON] = []  # Socket Mode acknowledgements
        self.server_errors: list[BaseException] = []
        self.disabled_users: set[str] = set()
        self.profiles: dict[str, JSON] = {}
        self.channel_creators: dict[str, str] = {}  # channel id -> the user who made it
        self.absent_from: set[str] = set()  # channels the app is not a member of
        self.user_files: dict[str, tuple[str, bytes]] = {}  # shared files: id -> (name, bytes)
        self.rate_limit_rules: list[list[Any]] = []  # [method, retry_after, remaining]
        self.rate_limited = 0
        self.channel_rate: float | None = None
        self.tier_limits = False
        self.holds: list[Hold] = []
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._ts = itertools.count(1)
        self._last_post: dict[str, float] = {}
        self._recent: dict[str, deque[float]] = defaultdict(deque)
        self._changed = asyncio.Condition()

    # lifecycle ------------------------------------------------------------------------------

    async def __aenter__(self) -> FakeSlack:
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_route("*", API_PREFIX + "{method}", self._api)
        app.router.add_post("/respond/{token}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/files-pri/{team_file}/download/{name}", self._download)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(self, *exc: object) -> None:
        for hold in self.holds:
            hold.release.set()
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base(self) -> str:
        """The root URL of this server."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """The value for SLACK_API_BASE_URL (ends in /api/)."""
        return self.base + API_PREFIX

    def response_url(self, name: str = "") -> str:
        """A response URL this server records posts to."""
        return f"{self.base}/respond/{name or uuid.uuid4().hex}"

    # inspection and waiting -----------------------------------------------------------------

    def calls_to(self, method: str) -> list[ApiCall]:
        """Answered calls of one method, in order."""
        return [c for c in self.calls if c.method == method and c.status]

    def unknown_methods(self) -> list[str]:
        """Methods the app called that this mock does not know."""
        return [c.method for c in self.calls if c.answer.get("error") == "unknown_method"]

    def dm_channel(self, user_id: str) -> str:
        """The DM channel between the app and a user."""
        return "D" + user_id.removeprefix("U")

    def dm(self, user_id: str) -> list[Posted]:
        """Messages the app posted in its DM with a user."""
        channel = self.dm_channel(user_id)
        return [m for m in self.messages if m.channel == channel]

    def files_in(self, channel: str) -> list[Uploaded]:
        """Files shared into a channel."""
        return [f for f in self.files.values() if f.channel == channel]

    async def wait_until(self, predicate: Callable[[], bool], seconds: float = 60.0) -> None:
        """Wait until `predicate()` holds, checking after each recorded call.

        `seconds` only guards against a hang; the wait is for the event itself.
        """

        async def changed() -> None:
            async with self._changed:
                await self._changed.wait_for(predicate)

        try:
            await asyncio.wait_for(changed(), seconds)
        except TimeoutError:
            recent = [f"{c.method} -> {c.status} {c.error or ''}" for c in self.calls[-6:]]
            raise TimeoutError(f"condition not met in {seconds}s; last calls: {recent}") from None

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # failure injection and limits -----------------------------------------------------------

    def rate_limit_next(self, method: str, retry_after: float = 1.0, count: int = 1) -> None:
        """Answer the next `count` calls of `method` with 429 and Retry-After."""
        self.rate_limit_rules.append([method, retry_after, count])

    def enforce_channel_rate(self, per_second: float | None) -> None:
        """Answer 429 to a chat.postMessage coming sooner than 1/per_second after the last."""
        self.channel_rate = per_second

    def enforce_tiers(self, on: bool = True) -> None:
        """Answer 429 past each tiered method's calls per minute."""
        self.tier_limits = on

    def hold(self, method: str, nth: int | None = None) -> Hold:
        """Do the `nth` call of `method` (default: the next), but hold its answer back."""
        if nth is None:
            nth = sum(1 for c in self.calls if c.method == method) + 1
        hold = Hold(method, nth)
        self.holds.append(hold)
        return hold

    def deactivate(self, user_id: str) -> None:
        """Make a user's account deactivated: no DM can be opened or posted to."""
        self.disabled_users.add(user_id)

    def set_profile(
        self,
        user_id: str,
        *,
        name: str = "",
        tz: str = "",
        locale: str = "",
        admin: bool = False,
        owner: bool = False,
    ) -> None:
        """Set what users.info answers for a user (and whether they run the workspace)."""
        self.profiles[user_id] = {
            "name": name,
            "tz": tz,
            "locale": locale,
            "is_admin": admin,
            "is_owner": owner,
        }

    def shared_file(self, name: str, data: bytes, mimetype: str = "text/plain") -> JSON:
        """A file a person shares in a message or a form, as Slack describes it in events."""
        file_id = f"F{next(self._ts):06d}U"
        self.user_files[file_id] = (name, data)
        private = f"{self.base}/files-pri/{self.team_id}-{file_id}/download/{name}"
        return {
            "id": file_id,
            "name": name,
            "title": name,
            "mimetype": mimetype,
            "filetype": name.rsplit(".", 1)[-1],
            "size": len(data),
            "url_private": private.replace("/download/", "/"),
            "url_private_download": private,
        }

    # the Web API ----------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _arguments(request)
        token = args.pop("token", None)
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            token = auth.removeprefix("Bearer ")
        call = ApiCall(method, args, token, time.monotonic())
        self.calls.append(call)
        try:
            status, answer, headers = await self._answer(call)
        except Exception as exc:  # a bug in the mock: recorded so the test fails loudly
            self.server_errors.append(exc)
            status, answer, headers = 500, {"ok": False, "error": "fake_error"}, {}
        call.status, call.answer = status, answer
        await self._notify()
        return web.json_response(answer, status=status, headers=headers)

    async def _answer(self, call: ApiCall) -> tuple[int, JSON, dict[str, str]]:
        limited = self._limited(call)
        if limited is not None:
            self.rate_limited += 1
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": limited}
        expected = self.app_token if call.method == "apps.connections.open" else self.bot_token
        if call.token != expected:
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        handler = getattr(self, "_" + call.method.replace(".", "_"), None)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        answer = await handler(call.args)
        nth = sum(1 for c in self.calls if c.method == call.method and c.time <= call.time)
        for hold in self.holds:
            if hold.method == call.method and hold.nth == nth:
                hold.reached.set()
                await self._notify()
                await hold.release.wait()
        return 200, {"ok": True, **answer} if "error" not in answer else answer, {}

    def _limited(self, call: ApiCall) -> str | None:
        """Return Retry-After when this call is over a limit."""
        for rule in self.rate_limit_rules:
            if rule[0] == call.method and rule[2] > 0:
                rule[2] -= 1
                return str(rule[1])
        now = call.time
        if call.method == "chat.postMessage" and self.channel_rate:
            channel = str(call.args.get("channel"))
            last = self._last_post.get(channel)
            if last is not None and now - last < 1.0 / self.channel_rate - 0.02:
                return "1"
            self._last_post[channel] = now
        per_minute = TIERS.get(call.method)
        if self.tier_limits and per_minute is not None:
            recent = self._recent[call.method]
            while recent and now - recent[0] >= 60.0:
                recent.popleft()
            if len(recent) >= per_minute:
                return "5"
            recent.append(now)
        return None

    async def _auth_test(self, args: JSON) -> JSON:
        return {
            "url": "https://fake.slack.test/",
            "team": "Fake team",
            "team_id": self.team_id,
            "user": "tutor",
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
        }

    async def _apps_connections_open(self, args: JSON) -> JSON:
        return {"url": f"ws://127.0.0.1:{self.port}/socket?ticket={uuid.uuid4().hex}"}

    async def _users_info(self, args: JSON) -> JSON:
        user_id = str(args.get("user"))
        profile = self.profiles.get(user_id, {})
        return {
            "user": {
                "id": user_id,
                "name": profile.get("name") or user_id.lower(),
                "tz": profile.get("tz") or "UTC",
                "locale": profile.get("locale") or "en-US",
                "profile": {"display_name": profile.get("name", ""), "real_name": ""},
                "is_admin": bool(profile.get("is_admin")),
                "is_owner": bool(profile.get("is_owner")),
            }
        }

    async def _conversations_info(self, args: JSON) -> JSON:
        channel = str(args.get("channel"))
        creator = self.channel_creators.get(channel)
        if creator is None:
            return {"ok": False, "error": "channel_not_found"}
        return {"channel": {"id": channel, "is_channel": True, "creator": creator}}

    async def _conversations_open(self, args: JSON) -> JSON:
        user_id = str(args.get("users"))
        if user_id in self.disabled_users:
            return {"ok": False, "error": "user_disabled"}
        return {"channel": {"id": self.dm_channel(user_id)}}

    async def _chat_postMessage(self, args: JSON) -> JSON:
        channel = str(args.get("channel"))
        if any(channel == self.dm_channel(u) for u in self.disabled_users):
            return {"ok": False, "error": "is_archived"}
        if channel in self.absent_from:
            return {"ok": False, "error": "not_in_channel"}
        posted = Posted(
            channel,
            self._next_ts(),
            str(args.get("text") or ""),
            list(args.get("blocks") or []),
            args.get("thread_ts") or None,
            args.get("metadata"),
            time=time.monotonic(),
        )
        self.messages.append(posted)
        return {"channel": channel, "ts": posted.ts, "message": {"text": posted.text}}

    async def _chat_update(self, args: JSON) -> JSON:
        return {"channel": args.get("channel"), "ts": args.get("ts")}

    async def _conversations_history(self, args: JSON) -> JSON:
        channel, oldest = str(args.get("channel")), float(args.get("oldest") or 0)
        found = [m for m in self.messages if m.channel == channel and float(m.ts) > oldest]
        with_metadata = str(args.get("include_all_metadata")).lower() in {"1", "true"}
        listed: list[JSON] = [
            {"ts": m.ts, "text": m.text, **({"metadata": m.metadata} if with_metadata else {})}
            for m in found
        ]
        listed += [  # a shared file is a message with a `files` list, as Slack shows it
            {"ts": f.ts, "text": "", "upload": True, "files": [{"id": f.id, "name": f.filename}]}
            for f in self.files.values()
            if f.channel == channel and f.ts and float(f.ts) > oldest and f.thread_ts is None
        ]
        listed.sort(key=lambda m: float(m["ts"]), reverse=True)  # newest first
        return {"messages": listed[: int(args.get("limit") or 100)], "has_more": False}

    async def _conversations_replies(self, args: JSON) -> JSON:
        channel, parent = str(args.get("channel")), str(args.get("ts"))
        found = [m for m in self.messages if m.channel == channel and m.thread_ts == parent]
        with_metadata = str(args.get("include_all_metadata")).lower() in {"1", "true"}
        return {
            "messages": [
                {
                    "ts": m.ts,
                    "thread_ts": parent,
                    "text": m.text,
                    **({"metadata": m.metadata} if with_metadata else {}),
                }
                for m in found
            ],
            "has_more": False,
        }

    async def _views_publish(self, args: JSON) -> JSON:
        self.published.append((str(args.get("user_id")), dict(args.get("view") or {})))
        return {"view": {"id": f"V{next(self._ts)}"}}

    async def _views_open(self, args: JSON) -> JSON:
        self.opened_views.append(dict(args.get("view") or {}))
        return {"view": {"id": f"V{next(self._ts)}"}}

    async def _views_update(self, args: JSON) -> JSON:
        view_id = str(args.get("view_id") or "")
        self.updated_views.append((view_id, dict(args.get("view") or {})))
        return {"view": {"id": view_id}}

    async def _assistant_threads_setStatus(self, args: JSON) -> JSON:
        return {}

    async def _assistant_threads_setSuggestedPrompts(self, args: JSON) -> JSON:
        return {}

    async def _files_getUploadURLExternal(self, args: JSON) -> JSON:
        file_id = f"F{next(self._ts):06d}"
        self.files[file_id] = Uploaded(file_id, str(args.get("filename")))
        return {"upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}

    async def _files_completeUploadExternal(self, args: JSON) -> JSON:
        shared = []
        for item in args.get("files") or []:
            uploaded = self.files.get(item.get("id"))
            if uploaded is None or not uploaded.data:
                return {"ok": False, "error": "file_not_found"}
            uploaded.title = item.get("title") or uploaded.filename
            uploaded.channel = args.get("channel_id")
            uploaded.thread_ts = args.get("thread_ts")
            uploaded.ts = self._next_ts()  # shared in the channel as a message of its own
            shared.append({"id": uploaded.id, "title": uploaded.title})
        return {"files": shared}

    def _next_ts(self) -> str:
        return f"{time.time():.0f}.{next(self._ts):06d}"

    # response URLs, uploads -----------------------------------------------------------------

    async def _respond(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.responses.append(
            Posted(
                request.match_info["token"],
                self._next_ts(),
                str(body.get("text") or ""),
                list(body.get("blocks") or []),
                ephemeral=body.get("response_type", "ephemeral") == "ephemeral",
                replace_original=bool(body.get("replace_original")),
                time=time.monotonic(),
            )
        )
        await self._notify()
        return web.Response(text="ok")

    async def _download(self, request: web.Request) -> web.Response:
        """A shared file's bytes, for the bot token only (as `url_private_download`)."""
        if request.headers.get("Authorization") != f"Bearer {self.bot_token}":
            return web.Response(status=302, headers={"Location": f"{self.base}/signin"})
        file_id = request.match_info["team_file"].split("-", 1)[-1]
        found = self.user_files.get(file_id)
        if found is None or found[0] != request.match_info["name"]:
            return web.Response(status=404)
        self.calls.append(ApiCall("files-pri", {"file": file_id}, self.bot_token, time.monotonic()))
        self.calls[-1].status, self.calls[-1].answer = 200, {"ok": True}
        await self._notify()
        return web.Response(body=found[1], content_type="application/octet-stream")

    async def _upload(self, request: web.Request) -> web.Response:
        uploaded = self.files.get(request.match_info["file_id"])
        if uploaded is None:
            return web.Response(status=404)
        uploaded.data = await request.read()
        await self._notify()
        return web.Response(text=f"OK - {len(uploaded.data)}")

    # Socket Mode ----------------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": len(self._sockets)})
        await self._notify()
        try:
            async for frame in socket:
                if frame.type == WSMsgType.TEXT:
                    self.acks.append(json.loads(frame.data))
                    await self._notify()
        finally:
            self._sockets.remove(socket)
            await self._notify()
        return socket

    @property
    def connected_sockets(self) -> int:
        """Socket Mode connections open now."""
        return len(self._sockets)

    async def push(self, kind: str, payload: JSON, *, retry_attempt: int = 0) -> str:
        """Send an envelope (events_api, slash_commands, interactive) over Socket Mode."""
        envelope_id = uuid.uuid4().hex
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
        }
        await self._sockets[-1].send_json(envelope)
        return envelope_id

    def acked(self, envelope_id: str) -> JSON | None:
        """The app's acknowledgement of an envelope, if it came."""
        return next((a for a in self.acks if a.get("envelope_id") == envelope_id), None)


async def _arguments(request: web.Request) -> JSON:
    """Merge the query string, a form and a JSON body into one set of arguments."""
    args: JSON = dict(request.query)
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            args.update(body)
    elif request.can_read_body:
        form = await request.post()
        args.update({k: v for k, v in form.items() if isinstance(v, str)})
    for key in _JSON_ARGUMENTS & set(args):
        if isinstance(args[key], str) and args[key][:1] in "[{":
            args[key] = json.loads(args[key])
    return args
