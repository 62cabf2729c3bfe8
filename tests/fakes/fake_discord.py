"""A fake Discord (HTTP API v10 + gateway) on 127.0.0.1 that the real discord.py client talks to."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import secrets
import time
import zlib
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import discord
import discord.gateway
import discord.http
import yarl
from aiohttp import WSMsgType, web

from tests.fakes import discord_payloads as p
from tests.fakes.discord_guilds import FakeGuild
from tests.fakes.discord_mentions import live_mentions
from tests.fakes.discord_payloads import (
    JSON,
    ApiError,
    ApiRequest,
    json_response,
    parse_request,
    rate_limit_response,
)

API_PREFIX = "/api/v10"
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_GUILD_MEMBERS = 1 << 1
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message_content
_DM_EVENTS = frozenset({"MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE"})
_MEMBER_EVENTS = frozenset(
    {"GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE", "THREAD_MEMBERS_UPDATE"}
)

Handler = Callable[[ApiRequest, re.Match[str]], Awaitable[web.Response]]
FakeDiscordError = ApiError  # the name this error had before it moved to discord_payloads


# --- records ---------------------------------------------------------------------------------


@dataclass
class RecordedRequest:
    """One HTTP request the client made (path is relative to /api/v10, without the query)."""

    method: str
    path: str
    json: Any
    form_files: dict[str, bytes]
    headers: dict[str, str]
    time: float
    query: dict[str, str] = field(default_factory=dict)
    status: int = 0


@dataclass
class SentMessage:
    """A message the bot made visible: a channel post, an interaction response or a follow-up."""

    id: int
    channel_id: int
    source: str
    payload: JSON
    files: dict[str, bytes] = field(default_factory=dict)
    interaction_token: str | None = None
    loading: bool = False
    deleted: bool = False
    edits: int = 0
    allowed_mentions: JSON | None = None  # as the client sent it (Discord does not echo it)

    @property
    def content(self) -> str:
        """The message text."""
        return str(self.payload.get("content") or "")

    @property
    def embeds(self) -> list[JSON]:
        """The embeds as sent."""
        return list(self.payload.get("embeds") or [])

    @property
    def components(self) -> list[JSON]:
        """The components as sent."""
        return list(self.payload.get("components") or [])

    @property
    def attachments(self) -> list[str]:
        """The attachment filenames."""
        return [a["filename"] for a in self.payload.get("attachments") or []]

    @property
    def flags(self) -> int:
        """The message flags (64 = ephemeral)."""
        return int(self.payload.get("flags") or 0)


@dataclass
class InteractionCallback:
    """One `POST /interactions/{id}/{token}/callback`."""

    interaction_id: int
    token: str
    type: int
    data: JSON | None
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class RateLimitRule:
    """A pending injected 429 for requests matching method and path (re.fullmatch)."""

    method: str
    pattern: re.Pattern[str]
    retry_after: float
    remaining: int
    sent: int = 0


@dataclass
class _Interaction:
    """Server-side state of one interaction the fake handed out."""

    id: int
    token: str
    type: int
    channel_id: int
    message_id: int | None = None
    acknowledged: bool = False
    original_id: int | None = None


class _GatewayConnection:
    """One client websocket, optionally zlib-stream compressed."""

    def __init__(self, ws: web.WebSocketResponse, compress: bool) -> None:
        self.ws = ws
        self.compressor = zlib.compressobj() if compress else None
        self.lock = asyncio.Lock()
        self.intents: int | None = None
        self.identified = False

    async def send(self, payload: JSON) -> None:
        """Send one gateway frame (binary with Z_SYNC_FLUSH when zlib-stream was asked for)."""
        raw = json.dumps(payload)
        async with self.lock:
            if self.ws.closed:
                return
            if self.compressor is None:
                await self.ws.send_str(raw)
            else:
                data = self.compressor.compress(raw.encode()) + self.compressor.flush(
                    zlib.Z_SYNC_FLUSH
                )
                await self.ws.send_bytes(data)


# --- the fake --------------------------------------------------------------------------------


class FakeDiscord:
    """A local Discord: HTTP API under /api/v10 and a gateway websocket at /."""

    def __init__(
        self,
        *,
        bot_id: int = 900_000_000_000_000_001,
        bot_name: str = "Socratic Tutor",
        application_id: int | None = None,
        token: str | None = None,
        heartbeat_interval_ms: int = 41_250,
        privileged_intents: bool = True,
    ) -> None:
        self.bot_id = bot_id
        self.bot_name = bot_name
        self.application_id = application_id or bot_id
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.privileged_intents = privileged_intents
        self.ack_heartbeats = True
        self.guild_id = p.new_snowflake()
        self.default_guild_channel_id = p.new_snowflake()
        self.requests: list[RecordedRequest] = []
        self.unknown_requests: list[RecordedRequest] = []
        self.messages: list[SentMessage] = []
        self.interaction_callbacks: list[InteractionCallback] = []
        self.identify_payloads: list[JSON] = []
        self.presence_updates: list[JSON] = []
        self.gateway_queries: list[dict[str, str]] = []
        self.resumes: list[JSON] = []
        self.dropped_events: list[tuple[str, JSON]] = []
        self.commands: dict[int | None, list[JSON]] = {}
        self.rate_limit_rules: list[RateLimitRule] = []
        self.rate_limited_count = 0
        self.global_rate_limited_count = 0
        self.heartbeats = 0
        self.server_errors: list[BaseException] = []
        self._users: dict[int, JSON] = {bot_id: p.user_object(bot_id, bot_name, bot=True)}
        self._channels: dict[int, JSON] = {}
        self._dm_by_user: dict[int, int] = {}
        self._closed_dms: set[int] = set()
        self._typing_error: ApiError | None = None
        self._by_nonce: dict[tuple[int, str], SentMessage] = {}
        self.deduplicated_sends = 0
        self._interactions: dict[str, _Interaction] = {}
        self.member_permissions: dict[int, int] = {}  # user id -> permissions in guilds
        self._cdn_files: dict[str, bytes] = {}
        self._refused_channels: set[int] = set()
        self.threads: list[JSON] = []
        self._guilds: dict[int, FakeGuild] = {}
        self._connections: list[_GatewayConnection] = []
        self._wakeups: list[asyncio.Future[None]] = []
        self._per_second: int | None = None
        self._recent: deque[float] = deque()
        self._seq = 0
        self._runner: web.AppRunner | None = None
        self._patch: contextlib.ExitStack | None = None
        self.port = 0
        self._routes = self._build_routes()

    # lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Bind an aiohttp server to a free port on 127.0.0.1."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/", self._gateway)
        app.router.add_get("/attachments/{tail:.*}", self._cdn)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._http)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Close every gateway socket and the server; fail any pending waiters."""
        for conn in list(self._connections):
            await conn.ws.close(code=1001, message=b"fake discord stopping")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._notify()

    async def __aenter__(self) -> FakeDiscord:
        """Start the server and point discord.py at it."""
        await self.start()
        self._patch = contextlib.ExitStack()
        self._patch.enter_context(self.patch_discord())
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Restore discord.py's URLs and stop the server."""
        if self._patch is not None:
            self._patch.close()
            self._patch = None
        await self.stop()

    @property
    def http_base(self) -> str:
        """The value for `discord.http.Route.BASE`."""
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """The websocket URL discord.py connects to."""
        return f"ws://127.0.0.1:{self.port}/"

    @contextlib.contextmanager
    def patch_discord(self) -> Iterator[None]:
        """Point `Route.BASE` and `DiscordWebSocket.DEFAULT_GATEWAY` here, restoring them after."""
        old_base = discord.http.Route.BASE
        old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
        discord.http.Route.BASE = self.http_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            yield
        finally:
            discord.http.Route.BASE = old_base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    @contextlib.asynccontextmanager
    async def connect_client(
        self, client: discord.Client, *, token: str = "fake-token", seconds: float = 5.0
    ) -> AsyncIterator[discord.Client]:
        """Log `client` in, run its gateway loop until on_ready, and close it on exit."""
        if discord.http.Route.BASE != self.http_base:
            raise RuntimeError("discord.py is not patched: use `async with FakeDiscord()`")
        task: asyncio.Task[None] | None = None
        try:
            await client.login(token)
            task = asyncio.create_task(client.connect(), name="fake-discord-client")
            ready = asyncio.create_task(client.wait_until_ready())
            await asyncio.wait({ready, task}, timeout=seconds, return_when="FIRST_COMPLETED")
            if not ready.done():
                ready.cancel()
                if task.done():
                    task.result()
                raise TimeoutError("discord.py client did not become ready")
            yield client
        finally:
            await client.close()
            if task is not None:
                await asyncio.wait_for(task, seconds)

    # inspection and waiting -----------------------------------------------------------------

    def messages_to(self, channel_id: int) -> list[SentMessage]:
        """Visible (not deleted, not still-thinking) messages the bot made in a channel."""
        return [
            m for m in self.messages if m.channel_id == channel_id and not (m.deleted or m.loading)
        ]

    def dm_messages(self, user_id: int) -> list[SentMessage]:
        """Visible messages the bot made in the DM with `user_id`."""
        channel_id = self._dm_by_user.get(user_id)
        return [] if channel_id is None else self.messages_to(channel_id)

    def message(self, message_id: int) -> SentMessage | None:
        """The stored message with this id, if the bot made it."""
        return next((m for m in self.messages if m.id == message_id), None)

    @property
    def followups(self) -> list[SentMessage]:
        """Follow-up webhook messages, in order."""
        return [m for m in self.messages if m.source == "followup"]

    def callbacks_for(self, interaction: JSON) -> list[InteractionCallback]:
        """Callbacks answering the given INTERACTION_CREATE payload."""
        return [c for c in self.interaction_callbacks if c.interaction_id == int(interaction["id"])]

    def followups_for(self, interaction: JSON) -> list[SentMessage]:
        """Follow-ups sent with the given interaction's token."""
        return [m for m in self.followups if m.interaction_token == interaction["token"]]

    def original_response(self, interaction: JSON) -> SentMessage | None:
        """The interaction's original response message, if any."""
        state = self._interactions.get(interaction["token"])
        return (
            None if state is None or state.original_id is None else self.message(state.original_id)
        )

    def requests_to(self, method: str, path_regex: str) -> list[RecordedRequest]:
        """Recorded requests whose method matches and whose path fully matches the regex."""
        pattern = re.compile(path_regex)
        return [r for r in self.requests if r.method == method and pattern.fullmatch(r.path)]

    @property
    def intents(self) -> int | None:
        """The intents of the latest IDENTIFY."""
        return self.identify_payloads[-1].get("intents") if self.identify_payloads else None

    async def wait_until(self, predicate: Callable[[], bool], seconds: float = 60.0) -> None:
        """Wait until `predicate()` holds, re-checking on every fake event and every 50 ms.

        `seconds` only guards against a hang: a busy machine may take several seconds
        for a first chart, so the wait is for the event, not for a short deadline.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = [f"{r.method} {r.path} -> {r.status}" for r in self.requests[-5:]]
                raise TimeoutError(f"condition not met in {seconds}s; last requests: {recent}")
            wakeup: asyncio.Future[None] = loop.create_future()
            self._wakeups.append(wakeup)
            try:
                await asyncio.wait([wakeup], timeout=min(0.05, remaining))
            finally:
                self._wakeups.remove(wakeup)

    async def wait_for_request(
        self, method: str, path_regex: str, *, count: int = 1, seconds: float = 5.0
    ) -> RecordedRequest:
        """Wait until `count` matching requests were answered; return the `count`-th."""
        await self.wait_until(
            lambda: sum(1 for r in self.requests_to(method, path_regex) if r.status) >= count,
            seconds,
        )
        return self.requests_to(method, path_regex)[count - 1]

    async def wait_for_dm(
        self, user_id: int, *, count: int = 1, seconds: float = 5.0
    ) -> SentMessage:
        """Wait for `count` visible messages in the user's DM; return the `count`-th."""
        await self.wait_until(lambda: len(self.dm_messages(user_id)) >= count, seconds)
        return self.dm_messages(user_id)[count - 1]

    async def wait_identified(self, count: int = 1, seconds: float = 5.0) -> JSON:
        """Wait for the `count`-th IDENTIFY (READY has been sent by then)."""
        await self.wait_until(lambda: len(self.identify_payloads) >= count, seconds)
        return self.identify_payloads[count - 1]

    def _notify(self) -> None:
        for wakeup in self._wakeups:
            if not wakeup.done():
                wakeup.set_result(None)

    # failure injection ----------------------------------------------------------------------

    def rate_limit_next(
        self, method: str, path_regex: str, retry_after: float = 0.2, count: int = 1
    ) -> RateLimitRule:
        """Answer the next `count` matching requests with a per-route 429."""
        rule = RateLimitRule(method.upper(), re.compile(path_regex), retry_after, count)
        self.rate_limit_rules.append(rule)
        return rule

    def enforce_rate(self, per_second: int | None) -> None:
        """Answer a global 429 beyond `per_second` requests in any 1 s window (None = off)."""
        self._per_second = per_second
        self._recent.clear()

    def close_dms_of(self, user_id: int) -> None:
        """Make sending to this user's DM fail with 403 / 50007."""
        self._closed_dms.add(user_id)

    def open_dms_of(self, user_id: int) -> None:
        """Undo `close_dms_of`."""
        self._closed_dms.discard(user_id)

    def refuse_channel(self, channel_id: int) -> None:
        """Answer every message sent to this channel with 403 / 50001 Missing Access."""
        self._refused_channels.add(channel_id)

    def fail_typing(
        self, status: int = 403, message: str = "Missing Permissions", code: int = 50013
    ) -> None:
        """Answer every typing request with this error from now on."""
        self._typing_error = ApiError(status, message, code)

    # users and channels ---------------------------------------------------------------------

    def add_user(self, user_id: int, username: str | None = None) -> JSON:
        """Register (or rename) a user; unknown ids are auto-registered as `user<id>`."""
        if username is not None or user_id not in self._users:
            self._users[user_id] = p.user_object(user_id, username or f"user{user_id}")
        return self._users[user_id]

    def dm_channel_id(self, user_id: int) -> int:
        """The stable DM channel id between the bot and this user."""
        if user_id not in self._dm_by_user:
            channel_id = p.new_snowflake()
            self._dm_by_user[user_id] = channel_id
            self._channels[channel_id] = p.dm_channel_object(channel_id, self.add_user(user_id))
        return self._dm_by_user[user_id]

    def guild_channel_id(self, channel_id: int | None = None, guild_id: int | None = None) -> int:
        """Register a text channel in a guild (the fake guild and its default channel when
        no ids are given)."""
        channel_id = channel_id or self.default_guild_channel_id
        if channel_id not in self._channels:
            guild = guild_id or self.guild_id
            self._channels[channel_id] = p.guild_text_channel_object(channel_id, guild)
        return channel_id

    def guild(self, guild_id: int | None = None) -> FakeGuild:
        """The roles and members of a guild (the fake guild's when no id is given)."""
        guild_id = guild_id or self.guild_id
        if guild_id not in self._guilds:
            self._guilds[guild_id] = FakeGuild(guild_id, f"guild-{guild_id}")
        return self._guilds[guild_id]

    def add_member(
        self, user_id: int, roles: Sequence[int] = (), guild_id: int | None = None
    ) -> JSON:
        """Make a user a member of a guild with these roles; return their member object."""
        return self.guild(guild_id).add_member(self.add_user(user_id), roles)

    def new_guild(self) -> tuple[int, int]:
        """Register another guild with one text channel; return (guild id, channel id)."""
        guild_id = p.new_snowflake()
        return guild_id, self.guild_channel_id(p.new_snowflake(), guild_id)

    def upload_attachment(
        self, filename: str, data: bytes, content_type: str = "application/octet-stream"
    ) -> JSON:
        """Store a file a user attached; return its attachment object, served by this fake."""
        attachment_id = p.new_snowflake()
        path = f"attachments/{self.default_guild_channel_id}/{attachment_id}/{filename}"
        self._cdn_files[path] = data
        found = p.attachment_object(
            attachment_id, self.default_guild_channel_id, filename, data, content_type
        )
        url = f"http://127.0.0.1:{self.port}/{path}"
        return found | {"url": url, "proxy_url": url}

    # gateway --------------------------------------------------------------------------------

    async def dispatch(self, event: str, data: JSON) -> int:
        """Send an op-0 dispatch to every identified client; return its sequence number."""
        targets = [c for c in self._connections if c.identified]
        if not targets:
            raise RuntimeError("no identified gateway connection")
        self._seq += 1
        for conn in targets:
            if self._filtered_by_intents(conn, event, data):
                self.dropped_events.append((event, data))
                continue
            await conn.send({"op": 0, "t": event, "s": self._seq, "d": data})
        return self._seq

    async def send_dm(
        self,
        user_id: int,
        content: str,
        *,
        username: str | None = None,
        attachments: Sequence[JSON] = (),
    ) -> JSON:
        """Dispatch a MESSAGE_CREATE from `user_id` in their DM with the bot (with files from
        `upload_attachment`, if given)."""
        payload = self.dm_message_payload(user_id, content, username=username)
        payload["attachments"] = list(attachments)
        await self.dispatch("MESSAGE_CREATE", payload)
        return payload

    async def announce_guild(self, guild_id: int | None = None) -> None:
        """Dispatch GUILD_CREATE for a guild the bot is in (its channels, roles, the bot)."""
        guild = self.guild(guild_id)
        if self.bot_id not in guild.users:
            guild.add_member(self._users[self.bot_id])
        channels = [
            c
            for c in self._channels.values()
            if c.get("guild_id") == str(guild.id) and c["type"] == p.CHANNEL_GUILD_TEXT
        ]
        await self.dispatch("GUILD_CREATE", guild.create_payload(channels, self.bot_id))

    async def give_role(self, user_id: int, role_id: int, guild_id: int | None = None) -> JSON:
        """Give a member a role; dispatch the GUILD_MEMBER_UPDATE and return its body."""
        guild = self.guild(guild_id)
        guild.set_roles(user_id, [*guild.member_roles[user_id], role_id])
        return await self._member_update(guild, user_id)

    async def take_role(self, user_id: int, role_id: int, guild_id: int | None = None) -> JSON:
        """Take a role from a member; dispatch the GUILD_MEMBER_UPDATE and return its body."""
        guild = self.guild(guild_id)
        guild.set_roles(user_id, [r for r in guild.member_roles[user_id] if r != role_id])
        return await self._member_update(guild, user_id)

    async def member_joins(
        self, user_id: int, roles: Sequence[int] = (), guild_id: int | None = None
    ) -> JSON:
        """A user arrives in a guild (with roles, if any): dispatch GUILD_MEMBER_ADD."""
        guild = self.guild(guild_id)
        guild.add_member(self.add_user(user_id), roles)
        payload = guild.add_payload(user_id)
        await self.dispatch("GUILD_MEMBER_ADD", payload)
        return payload

    async def _member_update(self, guild: FakeGuild, user_id: int) -> JSON:
        payload = guild.update_payload(user_id)
        await self.dispatch("GUILD_MEMBER_UPDATE", payload)
        return payload

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT; discord.py reconnects to resume_gateway_url and RESUMEs."""
        for conn in list(self._connections):
            await conn.send({"op": 7, "d": None, "s": None, "t": None})

    @staticmethod
    def _filtered_by_intents(conn: _GatewayConnection, event: str, data: JSON) -> bool:
        """Like Discord: DM message events need the DIRECT_MESSAGES intent, and member
        events (a member's arrival, roles, departure) the privileged GUILD_MEMBERS one."""
        if conn.intents is None:
            return False
        if event in _MEMBER_EVENTS:
            return not conn.intents & INTENT_GUILD_MEMBERS
        if event not in _DM_EVENTS or "guild_id" in data:
            return False
        return not conn.intents & INTENT_DIRECT_MESSAGES

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self.gateway_queries.append(dict(request.query))
        conn = _GatewayConnection(ws, compress=request.query.get("compress") == "zlib-stream")
        self._connections.append(conn)
        try:
            interval = self.heartbeat_interval_ms
            await conn.send({"op": 10, "d": {"heartbeat_interval": interval}, "s": None, "t": None})
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await self._on_gateway_frame(conn, json.loads(msg.data))
        finally:
            self._connections.remove(conn)
        return ws

    async def _on_gateway_frame(self, conn: _GatewayConnection, frame: JSON) -> None:
        op, data = frame.get("op"), frame.get("d")
        body: JSON = data if isinstance(data, dict) else {}
        if op == 1:
            self.heartbeats += 1
            if self.ack_heartbeats:
                await conn.send({"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:
            await self._on_identify(conn, body)
        elif op == 3:
            self.presence_updates.append(body)
        elif op == 8:
            await self._on_request_members(conn, body)
        elif op == 6:
            self.resumes.append(body)
            conn.identified = True
            self._seq += 1
            await conn.send({"op": 0, "t": "RESUMED", "s": self._seq, "d": {}})
        self._notify()

    async def _on_request_members(self, conn: _GatewayConnection, data: JSON) -> None:
        """Answer op 8 with one GUILD_MEMBERS_CHUNK; the whole list needs GUILD_MEMBERS."""
        guild = self._guilds.get(int(data.get("guild_id") or 0))
        if guild is None or not (conn.intents or 0) & INTENT_GUILD_MEMBERS:
            return
        self._seq += 1
        chunk = guild.chunk_payload(data.get("nonce"))
        await conn.send({"op": 0, "t": "GUILD_MEMBERS_CHUNK", "s": self._seq, "d": chunk})

    async def _on_identify(self, conn: _GatewayConnection, data: JSON) -> None:
        if self.token is not None and data.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        if not self.privileged_intents and (data.get("intents") or 0) & PRIVILEGED_INTENTS:
            await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        conn.intents = data.get("intents")
        self._seq += 1
        ready = p.ready_payload(
            user=self._users[self.bot_id],
            application_id=self.application_id,
            session_id=secrets.token_hex(16),
            resume_url=self.gateway_url,
            shard=data.get("shard"),
        )
        await conn.send({"op": 0, "t": "READY", "s": self._seq, "d": ready})
        conn.identified = True
        self.identify_payloads.append(data)

    # payload builders -----------------------------------------------------------------------

    def dm_message_payload(
        self, user_id: int, content: str, *, username: str | None = None
    ) -> JSON:
        """A MESSAGE_CREATE body from `user_id` in their DM (no guild_id)."""
        author = self.add_user(user_id, username)
        return p.message_object(
            message_id=p.new_snowflake(),
            channel_id=self.dm_channel_id(user_id),
            author=author,
            payload={"content": content},
        )

    def slash_command_payload(
        self,
        user_id: int,
        name: str,
        options: Sequence[JSON] | Mapping[str, Any] | None = None,
        *,
        in_dm: bool = True,
        channel_id: int | None = None,
        resolved: JSON | None = None,
    ) -> JSON:
        """An application-command INTERACTION_CREATE body (options as `{name: value}` or raw).

        `channel_id` runs it in that guild channel; `resolved` carries attachments and the like.
        """
        data = self._command_data(name, options)
        if resolved is not None:
            data["resolved"] = resolved
        kind = p.INTERACTION_APPLICATION_COMMAND
        return self._interaction(user_id, kind, data, in_dm, channel_id=channel_id)

    def autocomplete_payload(
        self,
        user_id: int,
        name: str,
        focused_option: str,
        value: str,
        *,
        options: Mapping[str, Any] | None = None,
        in_dm: bool = True,
        subcommand: str | None = None,
    ) -> JSON:
        """An autocomplete INTERACTION_CREATE body with `focused_option` being typed.

        With `subcommand`, the options sit inside it, as Discord sends `/group sub`.
        """
        data = self._command_data(name, options)
        focused = {"name": focused_option, "type": 3, "value": value, "focused": True}
        data["options"].append(focused)
        if subcommand is not None:
            data["options"] = [{"name": subcommand, "type": 1, "options": data["options"]}]
        return self._interaction(user_id, p.INTERACTION_AUTOCOMPLETE, data, in_dm)

    def component_payload(
        self,
        user_id: int,
        custom_id: str,
        *,
        message_id: int | None = None,
        component_type: int = p.COMPONENT_BUTTON,
        values: Sequence[str] | None = None,
    ) -> JSON:
        """A component (button/select) INTERACTION_CREATE body on a bot message (DM by default)."""
        data: JSON = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = list(values)
        stored = self.message(message_id) if message_id is not None else None
        if stored is not None:
            message = json.loads(json.dumps(stored.payload))
        else:
            message = p.message_object(
                message_id=message_id or p.new_snowflake(),
                channel_id=self.dm_channel_id(user_id),
                author=self._users[self.bot_id],
                payload={},
            )
        kind = p.INTERACTION_MESSAGE_COMPONENT
        return self._interaction(user_id, kind, data, in_dm=True, message=message)

    def modal_submit_payload(
        self, user_id: int, custom_id: str, values: Mapping[str, str], *, in_dm: bool = True
    ) -> JSON:
        """A modal-submit INTERACTION_CREATE body; `values` maps text-input custom_id to text."""
        data = {"custom_id": custom_id, "components": p.modal_components(values)}
        return self._interaction(user_id, p.INTERACTION_MODAL_SUBMIT, data, in_dm)

    def _command_data(self, name: str, options: Sequence[JSON] | Mapping[str, Any] | None) -> JSON:
        data: JSON = {"name": name, "type": 1, "options": p.command_options(options)}
        for guild_id, commands in sorted(self.commands.items(), key=lambda kv: kv[0] is not None):
            for command in commands:
                if command["name"] == name and command.get("type", 1) == 1:
                    data["id"] = command["id"]
                    if guild_id is not None:
                        data["guild_id"] = str(guild_id)
                    return data
        data["id"] = str(p.new_snowflake())
        return data

    def _interaction(
        self,
        user_id: int,
        kind: int,
        data: JSON,
        in_dm: bool,
        message: JSON | None = None,
        channel_id: int | None = None,
    ) -> JSON:
        user = self.add_user(user_id)
        if message is not None:
            channel_id = int(message["channel_id"])
        elif channel_id is not None:
            self._channel(channel_id)
        else:
            channel_id = self.dm_channel_id(user_id) if in_dm else self.guild_channel_id()
        channel = self._channels[channel_id]
        state = _Interaction(
            id=p.new_snowflake(),
            token=p.new_token(),
            type=kind,
            channel_id=channel_id,
            message_id=int(message["id"]) if message is not None else None,
        )
        self._interactions[state.token] = state
        return p.interaction_object(
            interaction_id=state.id,
            application_id=self.application_id,
            interaction_type=kind,
            data=data,
            token=state.token,
            user=user,
            channel=channel,
            guild_id=None if channel["type"] == p.CHANNEL_DM else int(channel["guild_id"]),
            message=message,
            permissions=self.member_permissions.get(user_id),
        )

    # HTTP pipeline --------------------------------------------------------------------------

    async def _http(self, request: web.Request) -> web.Response:
        parsed = await parse_request(request, API_PREFIX)
        record = RecordedRequest(
            method=request.method,
            path=parsed.path,
            json=parsed.json,
            form_files=parsed.files,
            headers=dict(request.headers),
            time=time.monotonic(),
            query=dict(request.query),
        )
        self.requests.append(record)
        try:
            response = self._injected_429(record) or await self._route(parsed, record)
        except ApiError as exc:
            response = json_response(exc.status, {"message": exc.message, "code": exc.code})
        except Exception as exc:  # a fake bug: answer 400 (a 500 would be retried for ~25 s)
            self.server_errors.append(exc)
            response = json_response(400, {"message": f"FakeDiscord bug: {exc!r}", "code": 0})
        record.status = response.status
        self._notify()
        return response

    def _injected_429(self, record: RecordedRequest) -> web.Response | None:
        for rule in self.rate_limit_rules:
            if rule.remaining > 0 and rule.method == record.method:
                if rule.pattern.fullmatch(record.path):
                    rule.remaining -= 1
                    rule.sent += 1
                    self.rate_limited_count += 1
                    bucket = f"fake-{zlib.crc32(rule.pattern.pattern.encode()):08x}"
                    return rate_limit_response(rule.retry_after, bucket)
        if self._per_second is None or record.path.startswith("/interactions/"):
            return None
        now = time.monotonic()
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        if len(self._recent) < self._per_second:
            self._recent.append(now)
            return None
        self.rate_limited_count += 1
        self.global_rate_limited_count += 1
        return rate_limit_response(max(0.01, 1.0 - (now - self._recent[0])), None)

    async def _route(self, request: ApiRequest, record: RecordedRequest) -> web.Response:
        unauthenticated = request.path.startswith(("/webhooks/", "/interactions/"))
        auth = record.headers.get("Authorization")
        if self.token is not None and not unauthenticated and auth != f"Bot {self.token}":
            raise ApiError(401, "401: Unauthorized", 0)
        for method, pattern, handler in self._routes:
            if method == request.method and (match := pattern.fullmatch(request.path)):
                return await handler(request, match)
        self.unknown_requests.append(record)
        raise ApiError(404, "Unknown", 0)

    def _build_routes(self) -> list[tuple[str, re.Pattern[str], Handler]]:
        cmds = r"/applications/(?P<app>\d+)(?:/guilds/(?P<guild>\d+))?/commands"
        message = r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)"
        webhook = r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)"
        webhook_message = webhook + r"/messages/(?P<message>@original|\d+)"
        table: list[tuple[str, str, Handler]] = [
            ("GET", r"/users/@me", self._get_me),
            ("GET", r"/users/(?P<user>\d+)", self._get_user),
            ("GET", r"/oauth2/applications/@me", self._get_application),
            ("GET", r"/gateway(?:/bot)?", self._get_gateway),
            ("POST", r"/users/@me/channels", self._create_dm),
            ("GET", r"/channels/(?P<channel>\d+)", self._get_channel),
            ("POST", r"/channels/(?P<channel>\d+)/typing", self._typing),
            ("POST", r"/channels/(?P<channel>\d+)/messages", self._create_message),
            ("POST", message + r"/threads", self._start_thread),
            ("GET", message, self._get_message),
            ("PATCH", message, self._edit_message),
            ("DELETE", message, self._delete_msg),
            ("PUT", message + r"/reactions/[^/]+/@me", self._no_content),
            ("DELETE", message + r"/reactions/[^/]+/[^/]+", self._no_content),
            ("PUT", cmds, self._put_commands),
            ("GET", cmds, self._get_commands),
            ("POST", r"/interactions/(?P<id>\d+)/(?P<token>[^/]+)/callback", self._callback),
            ("POST", webhook, self._followup),
            ("GET", webhook_message, self._get_webhook_message),
            ("PATCH", webhook_message, self._edit_webhook_message),
            ("DELETE", webhook_message, self._delete_webhook_message),
        ]
        return [(method, re.compile(path), handler) for method, path, handler in table]

    # HTTP handlers: identity ----------------------------------------------------------------

    async def _get_me(self, request: ApiRequest, match: re.Match[str]) -> web.Response:
        return json_response(200, self._users[self.bot_id])

    async def _get_user(self, request: ApiRequest, match: re.Match[str]) -> web.Response:
        return json_response(200, self.add_user(int(match["user"])))

    async def _get_application(self, request: ApiRequest, match: re.Match[str]) -> web.Response:
        owner = p.user_object(p.new_snowflake(), "owner")
        return json_response(200, p.application_object(self.application_id, self.bot_name, owner))

    async def _get_gateway(self, request: ApiRequest, match: re.Match[str]) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return json_response(
            200, {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}
        )

    async def _no_content(self, request: ApiRequest, match: re.Match[str]) -> web.Response:
        return json_response(204, None)

    # HTTP handlers: channels and messages ---------------------------------------------------

    async def _typing(self, request: ApiRequest, match: re.Match[str]) -> web.Response:
        self._channel(int(match["channel"]))  # an unknown channel is a 404, as on Discord
        if self._typing_error is not None:
            raise self._typing_error
        return json_response(204, None)

    async def _create_dm(self, request: ApiRequest, match: re.Match[str]) -> web.Response:
        channel_id = self.dm_channel_id(int((request.json or {})["recipient_id"]))
        return json_response(200, self._channels[channel_id])

    async def _get_channel(self, request: ApiRequest, match: re.Match[str]) -> web.Response:
        return json_response(200, self._channel(int(match["channel"])))

    def _channel(self, channel_id: int) -> JSON:
        if channel_id not in self._channels:
            raise ApiError(404, "Unknown Channel", 10003)
        return self._channels[channel_id]

    async def _create_message(self, request: ApiRequest, match: re.Match[str]) -> web.Response:
        channel = self._channel(int(match["channel"]))
        if channel["type"] == p.CHANNEL_DM:
            if int(channel["recipients"][0]["id"]) in self._closed_dms:
                raise ApiError(403, "Cannot send messages to this user", 50007)
        if int(channel["id"]) in self._refused_channels:
            raise ApiError(403, "Missing Access", 50001)
        body = request.json or {}
        nonce = body.get("nonce")
        key = (int(channel["id"]), str(nonce))
        if nonce is not None and body.get("enforce_nonce") and key in self._by_nonce:
            # Discord answers a resend with the message it already created.
            self.deduplicated_sends += 1
            return json_response(200, self._by_nonce[key].payload)
        sent = self._store_message(int(channel["id"]), "channel", request)
        if nonce is not None:
            self._by_nonce[key] = sent
        return json_response(200, sent.payload)

    async def _start_thread(self, request: ApiRequest, match: re.Match[str]) -> web.Response:
        channel = self._channel(int(match["channel"]))
        started = self._stored(int(match["message"]))
        if "guild_id" not in channel:
            raise ApiError(400, "Cannot execute action on a DM channel", 50003)
        if any(t["id"] == str(started.id) for t in self.threads):
            raise ApiError(400, "A thread has already been created for this message", 160004)
        body = request.json or {}
        # a thread started from a message has that message's id
        thread = p.thread_channel_object(
            started.id,
            int(channel["guild_id"]),
            int(channel["id"]),
            str(body.get("name", "")),
            self.bot_id,
            int(body.get("auto_archive_duration") or 1440),
        )
        self._channels[started.id] = thread
        self.threads.append(thread)
        return json_response(201, thread)

    async def _cdn(self, request: web.Request) -> web.Response:
        data = self._cdn_files.get(request.path.lstrip("/"))
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="application/octet-stream")

    async def _get_message(self, request: ApiRequest, match: re.Match[str]) -> web.Response:
        return json_response(200, self._stored(int(match["message"])).payload)

    async def _edit_message(self, request: ApiRequest, match: re.Match[str]) -> web.Response:
        sent = self._stored(int(match["message"]))
        self._apply_edit(sent, request)
        return json_response(200, sent.payload)

    async def _delete_msg(self, request: ApiRequest, match: re.Match[str]) -> web.Response:
        self._stored(int(match["message"])).deleted = True
        return json_response(204, None)

    def _stored(self, message_id: int) -> SentMessage:
        sent = self.message(message_id)
        if sent is None or sent.deleted:
            raise ApiError(404, "Unknown Message", 10008)
        return sent

    def _store_message(
        self, channel_id: int, source: str, request: ApiRequest, token: str | None = None
    ) -> SentMessage:
        message_id = p.new_snowflake()
        channel = self._channels.get(channel_id, {})
        sent = SentMessage(
            id=message_id,
            channel_id=channel_id,
            source=source,
            payload=p.message_object(
                message_id=message_id,
                channel_id=channel_id,
                author=self._users[self.bot_id],
                payload=request.json or {},
                attachments=self._attachments(channel_id, request),
                guild_id=int(channel["guild_id"]) if "guild_id" in channel else None,
                webhook_id=self.application_id if token else None,
            ),
            files=dict(request.files),
            interaction_token=token,
            allowed_mentions=(request.json or {}).get("allowed_mentions"),
        )
        self.messages.append(sent)
        return sent

    def _attachments(self, channel_id: int, request: ApiRequest) -> list[JSON]:
        return [
            p.attachment_object(
                p.new_snowflake(), channel_id, name, data, request.content_types.get(name)
            )
            for name, data in request.files.items()
        ]

    def _apply_edit(self, sent: SentMessage, request: ApiRequest) -> None:
        body = request.json or {}
        for key, empty in (("content", ""), ("embeds", []), ("components", []), ("flags", 0)):
            if key in body:
                sent.payload[key] = empty if body[key] is None else body[key]
        if "content" in body:
            # an edit is parsed for mentions afresh, under the edit's own allowed_mentions
            sent.allowed_mentions = body.get("allowed_mentions")
            mentions = live_mentions(sent.content, sent.allowed_mentions)
            sent.payload["mention_everyone"] = mentions.everyone
            sent.payload["mentions"] = [p.user_object(int(u), f"user{u}") for u in mentions.users]
            sent.payload["mention_roles"] = list(mentions.roles)
        if "attachments" in body or request.files:
            kept_ids = {str(a.get("id")) for a in body.get("attachments") or []}
            kept = [a for a in sent.payload["attachments"] if a["id"] in kept_ids]
            sent.payload["attachments"] = kept + self._attachments(sent.channel_id, request)
            sent.files = {
                name: data for name, data in sent.files.items() if name in sent.attachments
            } | dict(request.files)
        sent.payload["edited_timestamp"] = p.iso_now()
        sent.loading = False
        sent.edits += 1

    # HTTP handlers: application commands ----------------------------------------------------

    async def _put_commands(self, request: ApiRequest, match: re.Match[str]) -> web.Response:
        self._check_app(match)
        guild_id = int(match["guild"]) if match["guild"] else None
        previous = {(c["name"], c.get("type", 1)): c["id"] for c in self.commands.get(guild_id, [])}
        stored: list[JSON] = []
        for command in request.json or []:
            key = (command["name"], command.get("type", 1))
            echoed = {
                "type": 1,
                "description": "",
                **command,
                "id": previous.get(key, str(p.new_snowflake())),
                "application_id": str(self.application_id),
                "version": str(p.new_snowflake()),
            }
            if guild_id is not None:
                echoed["guild_id"] = str(guild_id)
            stored.append(echoed)
        self.commands[guild_id] = stored
        return json_response(200, stored)

    async def _get_commands(self, request: ApiRequest, match: re.Match[str]) -> web.Response:
        self._check_app(match)
        guild_id = int(match["guild"]) if match["guild"] else None
        return json_response(200, self.commands.get(guild_id, []))

    def _check_app(self, match: re.Match[str]) -> None:
        if int(match["app"]) != self.application_id:
            raise ApiError(404, "Unknown Application", 10002)

    # HTTP handlers: interactions and webhooks -----------------------------------------------

    async def _callback(self, request: ApiRequest, match: re.Match[str]) -> web.Response:
        state = self._interactions.get(match["token"])
        if state is None or state.id != int(match["id"]):
            raise ApiError(404, "Unknown interaction", 10062)
        if state.acknowledged:
            raise ApiError(400, "Interaction has already been acknowledged.", 40060)
        body = request.json or {}
        kind, data = int(body.get("type", 0)), body.get("data")
        self.interaction_callbacks.append(
            InteractionCallback(state.id, state.token, kind, data, dict(request.files))
        )
        state.acknowledged = True
        message: JSON | None = None
        if kind in (4, 5):
            inner = ApiRequest(request.method, request.path, {}, data or {}, request.files, {})
            sent = self._store_message(state.channel_id, "interaction", inner, state.token)
            sent.loading = kind == 5
            state.original_id, message = sent.id, sent.payload
        elif kind in (6, 7) and state.message_id is not None:
            state.original_id = state.message_id
            clicked = self.message(state.message_id)
            if kind == 7 and clicked is not None:
                inner = ApiRequest(request.method, request.path, {}, data or {}, request.files, {})
                self._apply_edit(clicked, inner)
                message = clicked.payload
        return json_response(200, p.callback_response(state.id, kind, state.type, message))

    def _webhook_interaction(self, match: re.Match[str]) -> _Interaction:
        state = self._interactions.get(match["token"])
        if int(match["app"]) != self.application_id or state is None or not state.acknowledged:
            raise ApiError(404, "Unknown Webhook", 10015)
        return state

    def _webhook_message(self, match: re.Match[str]) -> SentMessage:
        state = self._webhook_interaction(match)
        if match["message"] == "@original":
            if state.original_id is None:
                raise ApiError(404, "Unknown Message", 10008)
            return self._stored(state.original_id)
        sent = self._stored(int(match["message"]))
        if sent.interaction_token != state.token and sent.id != state.original_id:
            raise ApiError(404, "Unknown Message", 10008)
        return sent

    async def _followup(self, request: ApiRequest, match: re.Match[str]) -> web.Response:
        state = self._webhook_interaction(match)
        sent = self._store_message(state.channel_id, "followup", request, state.token)
        wait = request.query.get("wait", "").lower() in ("1", "true")
        return json_response(200, sent.payload) if wait else json_response(204, None)

    async def _get_webhook_message(self, request: ApiRequest, match: re.Match[str]) -> web.Response:
        return json_response(200, self._webhook_message(match).payload)

    async def _edit_webhook_message(
        self, request: ApiRequest, match: re.Match[str]
    ) -> web.Response:
        sent = self._webhook_message(match)
        self._apply_edit(sent, request)
        return json_response(200, sent.payload)

    async def _delete_webhook_message(
        self, request: ApiRequest, match: re.Match[str]
    ) -> web.Response:
        self._webhook_message(match).deleted = True
        return json_response(204, None)
