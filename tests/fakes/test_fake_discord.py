"""The real discord.py client against FakeDiscord: login, DMs, app commands, views, failures."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import AsyncIterator

import discord
import discord.gateway
import discord.http
import pytest
import yarl
from discord import app_commands

from tests.fakes.fake_discord import FakeDiscord

BOT_ID = 900_000_000_000_000_001
APP_ID = 900_000_000_000_000_002
USER_ID = 700_000_000_000_000_042
TOKEN = "fake-bot-token"


def make_client(intents: discord.Intents | None = None) -> discord.Client:
    """A client that dispatches on_ready right after READY (no guilds to wait for)."""
    return discord.Client(intents=intents or discord.Intents.default(), guild_ready_timeout=0)


class EchoClient(discord.Client):
    """Replies to every DM with `echo: <content>`."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=0)
        self.seen: list[discord.Message] = []

    async def on_message(self, message: discord.Message) -> None:
        """Echo anything not sent by the bot itself."""
        if self.user is not None and message.author.id == self.user.id:
            return
        self.seen.append(message)
        await message.channel.send(f"echo: {message.content}")


class HintView(discord.ui.View):
    """A persistent view with one button."""

    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.clicked_by: list[int] = []

    @discord.ui.button(label="Hint", custom_id="tutor:hint")
    async def hint(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        """Answer the click with an ephemeral message."""
        self.clicked_by.append(interaction.user.id)
        await interaction.response.send_message("Think about the denominator.", ephemeral=True)


class AnswerModal(discord.ui.Modal, title="Your answer"):
    """A modal with one text input."""

    answer: discord.ui.TextInput = discord.ui.TextInput(label="Answer", custom_id="answer")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Confirm the submitted text."""
        await interaction.response.send_message(f"You said {self.answer.value}")


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """A running fake Discord with discord.py pointed at it."""
    async with FakeDiscord(bot_id=BOT_ID, application_id=APP_ID, token=TOKEN) as fake:
        yield fake
    assert fake.server_errors == []
    leftovers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert leftovers == [], "the client or the fake left tasks running"


async def test_login_identify_and_ready(fake: FakeDiscord) -> None:
    """Login hits /users/@me and /oauth2/applications/@me, then IDENTIFY gets READY."""
    client = make_client()
    async with fake.connect_client(client, token=TOKEN):
        assert client.is_ready()
        assert client.user is not None and client.user.id == BOT_ID
        assert client.application_id == APP_ID
        identify = await fake.wait_identified()
        assert identify["token"] == TOKEN
        assert fake.intents == discord.Intents.default().value
        await fake.wait_until(lambda: fake.heartbeats >= 1)
    paths = [(r.method, r.path) for r in fake.requests]
    assert paths[:2] == [("GET", "/users/@me"), ("GET", "/oauth2/applications/@me")]
    assert fake.gateway_queries[0] == {"v": "10", "encoding": "json", "compress": "zlib-stream"}
    assert fake.unknown_requests == []


async def test_wrong_token_is_a_login_failure(fake: FakeDiscord) -> None:
    """A 401 from /users/@me surfaces as discord.LoginFailure."""
    client = make_client()
    with pytest.raises(discord.LoginFailure):
        async with fake.connect_client(client, token="wrong"):
            pass


async def test_dm_reaches_on_message_and_reply_is_posted(fake: FakeDiscord) -> None:
    """A DM MESSAGE_CREATE resolves to a DMChannel and the reply is POSTed to it."""
    client = EchoClient()
    async with fake.connect_client(client, token=TOKEN):
        await fake.send_dm(USER_ID, "3/4 + 1/4", username="ada")
        reply = await fake.wait_for_dm(USER_ID)
    assert reply.content == "echo: 3/4 + 1/4"
    assert reply.channel_id == fake.dm_channel_id(USER_ID)
    (seen,) = client.seen
    assert isinstance(seen.channel, discord.DMChannel)
    assert seen.guild is None
    assert seen.author.name == "ada"
    posts = fake.requests_to("POST", rf"/channels/{fake.dm_channel_id(USER_ID)}/messages")
    assert posts[0].json["content"] == "echo: 3/4 + 1/4"


async def test_mentions_are_live_unless_allowed_mentions_says_otherwise(fake: FakeDiscord) -> None:
    """Like Discord: without allowed_mentions every mention pings; `parse: []` pings none."""
    role, user = "123456789012345678", "234567890123456789"
    text = f"@everyone <@&{role}> <@{user}>"
    client = EchoClient()
    async with fake.connect_client(client, token=TOKEN):
        channel = await client.create_dm(discord.Object(USER_ID))
        loud = await channel.send(text)
        quiet = await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
        named = await channel.send(text, allowed_mentions=discord.AllowedMentions(roles=False))
    assert loud.mention_everyone and [m.id for m in loud.mentions] == [int(user)]
    assert not quiet.mention_everyone and quiet.mentions == []
    assert named.mention_everyone and named.mentions
    stored = {m.id: m for m in fake.messages}
    assert stored[loud.id].payload["mention_roles"] == [role]
    assert stored[loud.id].allowed_mentions is None
    assert stored[quiet.id].payload["mention_roles"] == []
    assert stored[quiet.id].allowed_mentions == {"parse": []}
    assert stored[named.id].payload["mention_roles"] == []


async def test_dm_events_need_the_direct_messages_intent(fake: FakeDiscord) -> None:
    """Like Discord, the fake withholds DM messages from a client without DIRECT_MESSAGES."""
    intents = discord.Intents.default()
    intents.dm_messages = False
    client = make_client(intents)
    async with fake.connect_client(client, token=TOKEN):
        await fake.send_dm(USER_ID, "hello?")
    assert [event for event, _ in fake.dropped_events] == ["MESSAGE_CREATE"]


async def test_file_upload_is_recorded(fake: FakeDiscord) -> None:
    """A multipart send records payload_json, file bytes and attachment names."""
    client = make_client()
    async with fake.connect_client(client, token=TOKEN):
        channel = await (await client.fetch_user(USER_ID)).create_dm()
        png = b"\x89PNG\r\n\x1a\nfake"
        embed = discord.Embed(title="Progress")
        sent = await channel.send(
            "Your chart", file=discord.File(io.BytesIO(png), "chart.png"), embed=embed
        )
    (stored,) = fake.dm_messages(USER_ID)
    assert stored.files == {"chart.png": png}
    assert stored.attachments == ["chart.png"]
    assert stored.embeds[0]["title"] == "Progress"
    assert sent.attachments[0].filename == "chart.png"
    assert sent.attachments[0].size == len(png)
    request = fake.requests_to("POST", r"/channels/\d+/messages")[0]
    assert request.form_files == {"chart.png": png}
    assert request.json["content"] == "Your chart"


async def test_slash_command_defers_then_follows_up(fake: FakeDiscord) -> None:
    """tree.sync() reaches the fake; the command defers (type 5) and sends a follow-up."""
    client = make_client()
    tree = app_commands.CommandTree(client)
    done = asyncio.Event()

    @tree.command(name="practice", description="Start practising")
    async def practice(interaction: discord.Interaction, topic: str) -> None:
        """Defer, follow up, then edit the original response."""
        await interaction.response.defer(thinking=True)
        await interaction.followup.send(f"Let's practise {topic}")
        await interaction.edit_original_response(content="Ready when you are")
        done.set()

    async with fake.connect_client(client, token=TOKEN):
        synced = await tree.sync()
        assert [c.name for c in synced] == ["practice"]
        assert fake.commands[None][0]["options"][0]["name"] == "topic"
        interaction = fake.slash_command_payload(USER_ID, "practice", {"topic": "fractions"})
        await fake.dispatch("INTERACTION_CREATE", interaction)
        await asyncio.wait_for(done.wait(), 5)
    assert interaction["data"]["id"] == str(synced[0].id)
    assert [c.type for c in fake.callbacks_for(interaction)] == [5]
    (followup,) = fake.followups_for(interaction)
    assert followup.content == "Let's practise fractions"
    original = fake.original_response(interaction)
    assert original is not None and original.content == "Ready when you are"
    assert [m.content for m in fake.dm_messages(USER_ID)] == [
        "Ready when you are",
        "Let's practise fractions",
    ]
    assert fake.requests_to("POST", r"/webhooks/\d+/[^/]+")[0].query["wait"] == "1"


async def test_guild_slash_command_sees_a_member_and_text_channel(fake: FakeDiscord) -> None:
    """in_dm=False builds a guild interaction: Member user, TextChannel, guild_id set."""
    client = make_client()
    tree = app_commands.CommandTree(client)
    seen: list[discord.Interaction] = []

    @tree.command(name="ping", description="Ping")
    async def ping(interaction: discord.Interaction) -> None:
        """Answer immediately."""
        seen.append(interaction)
        await interaction.response.send_message("pong")

    async with fake.connect_client(client, token=TOKEN):
        await tree.sync()
        payload = fake.slash_command_payload(USER_ID, "ping", in_dm=False)
        await fake.dispatch("INTERACTION_CREATE", payload)
        await fake.wait_until(lambda: bool(fake.callbacks_for(payload)))
    (interaction,) = seen
    assert interaction.guild_id == fake.guild_id
    assert isinstance(interaction.user, discord.Member)
    assert isinstance(interaction.channel, discord.TextChannel)
    assert [m.content for m in fake.messages_to(fake.default_guild_channel_id)] == ["pong"]


async def test_persistent_view_button_click(fake: FakeDiscord) -> None:
    """A type-3 interaction reaches a persistent view's button callback."""
    client = make_client()
    view = HintView()
    async with fake.connect_client(client, token=TOKEN):
        client.add_view(view)
        interaction = fake.component_payload(USER_ID, "tutor:hint")
        await fake.dispatch("INTERACTION_CREATE", interaction)
        await fake.wait_until(lambda: bool(fake.callbacks_for(interaction)))
    (callback,) = fake.callbacks_for(interaction)
    assert view.clicked_by == [USER_ID]
    assert callback.type == 4
    assert callback.data is not None and callback.data["flags"] == 64


async def test_button_on_sent_message_edits_it(fake: FakeDiscord) -> None:
    """Clicking a button on a message the bot sent can update that message (type 7)."""
    client = make_client()

    class Next(discord.ui.View):
        """A non-persistent view whose button replaces the question."""

        @discord.ui.button(label="Next", custom_id="tutor:next")
        async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
            """Edit the clicked message in place (callback type 7)."""
            await interaction.response.edit_message(content="Question 2", view=None)
            self.stop()  # client.close() leaves a live view's timeout task pending

    async with fake.connect_client(client, token=TOKEN):
        user = await client.fetch_user(USER_ID)
        sent = await user.send("Question 1", view=Next())
        interaction = fake.component_payload(USER_ID, "tutor:next", message_id=sent.id)
        await fake.dispatch("INTERACTION_CREATE", interaction)
        await fake.wait_until(lambda: bool(fake.callbacks_for(interaction)))
    stored = fake.message(sent.id)
    assert stored is not None and stored.content == "Question 2" and stored.components == []
    assert [c.type for c in fake.callbacks_for(interaction)] == [7]


async def test_modal_and_autocomplete(fake: FakeDiscord) -> None:
    """A command opens a modal (type 9), its submission is answered, autocomplete gets type 8."""
    client = make_client()
    tree = app_commands.CommandTree(client)

    async def topics(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Offer topics starting with what was typed."""
        return [
            app_commands.Choice(name=t, value=t)
            for t in ("fractions", "factors")
            if t.startswith(current)
        ]

    @tree.command(name="answer", description="Answer")
    @app_commands.autocomplete(topic=topics)
    async def answer(interaction: discord.Interaction, topic: str) -> None:
        """Open the answer modal."""
        await interaction.response.send_modal(AnswerModal(custom_id="answer-modal"))

    async with fake.connect_client(client, token=TOKEN):
        await tree.sync()
        complete = fake.autocomplete_payload(USER_ID, "answer", "topic", "fr")
        await fake.dispatch("INTERACTION_CREATE", complete)
        command = fake.slash_command_payload(USER_ID, "answer", {"topic": "fractions"})
        await fake.dispatch("INTERACTION_CREATE", command)
        await fake.wait_until(lambda: bool(fake.callbacks_for(command)))
        (modal,) = fake.callbacks_for(command)
        assert modal.type == 9 and modal.data is not None
        submit = fake.modal_submit_payload(USER_ID, modal.data["custom_id"], {"answer": "1"})
        await fake.dispatch("INTERACTION_CREATE", submit)
        await fake.wait_until(lambda: bool(fake.callbacks_for(submit)))
        await fake.wait_until(lambda: bool(fake.callbacks_for(complete)))
    (choices,) = fake.callbacks_for(complete)
    assert choices.type == 8
    assert choices.data == {"choices": [{"name": "fractions", "value": "fractions"}]}
    (reply,) = fake.callbacks_for(submit)
    assert reply.type == 4 and reply.data is not None and reply.data["content"] == "You said 1"


async def test_proactive_dm_opens_channel_then_sends(fake: FakeDiscord) -> None:
    """fetch_user + send opens the DM via POST /users/@me/channels, once, then posts."""
    client = make_client()
    async with fake.connect_client(client, token=TOKEN):
        user = await client.fetch_user(USER_ID)
        await user.send("Time for today's review!")
        await user.send("Two cards are due.")
    opened = fake.requests_to("POST", r"/users/@me/channels")
    assert len(opened) == 1 and opened[0].json == {"recipient_id": USER_ID}
    assert [m.content for m in fake.dm_messages(USER_ID)] == [
        "Time for today's review!",
        "Two cards are due.",
    ]


async def test_route_429_is_honoured_and_retried(fake: FakeDiscord) -> None:
    """discord.py sleeps retry_after on a per-route 429 and retries the same request."""
    client = make_client()
    rule = fake.rate_limit_next("POST", r"/channels/\d+/messages", retry_after=0.2)
    async with fake.connect_client(client, token=TOKEN):
        user = await client.fetch_user(USER_ID)
        started = time.monotonic()
        await user.send("after a pause")
        elapsed = time.monotonic() - started
    calls = fake.requests_to("POST", r"/channels/\d+/messages")
    assert [c.status for c in calls] == [429, 200]
    assert rule.sent == 1 and fake.rate_limited_count == 1
    assert elapsed >= 0.2
    assert [m.content for m in fake.dm_messages(USER_ID)] == ["after a pause"]


async def test_global_rate_limit_is_honoured(fake: FakeDiscord) -> None:
    """Beyond the per-second budget the fake answers global 429s; every send still lands."""
    client = make_client()
    async with fake.connect_client(client, token=TOKEN):
        channel = await (await client.fetch_user(USER_ID)).create_dm()
        fake.enforce_rate(per_second=3)
        await asyncio.gather(*(channel.send(f"card {n}") for n in range(5)))
    assert fake.global_rate_limited_count >= 1
    assert sorted(m.content for m in fake.dm_messages(USER_ID)) == [f"card {n}" for n in range(5)]


async def test_closed_dms_raise_forbidden_50007(fake: FakeDiscord) -> None:
    """A user with closed DMs yields discord.Forbidden with code 50007."""
    client = make_client()
    fake.close_dms_of(USER_ID)
    async with fake.connect_client(client, token=TOKEN):
        user = await client.fetch_user(USER_ID)
        with pytest.raises(discord.Forbidden) as caught:
            await user.send("are you there?")
    assert caught.value.code == 50007
    assert caught.value.status == 403
    assert fake.dm_messages(USER_ID) == []


async def test_unknown_routes_are_recorded(fake: FakeDiscord) -> None:
    """Calls the fake does not implement answer 404 and are listed in unknown_requests."""
    client = make_client()
    async with fake.connect_client(client, token=TOKEN):
        with pytest.raises(discord.NotFound):
            await client.fetch_guild(1234)
    assert [(r.method, r.path) for r in fake.unknown_requests] == [("GET", "/guilds/1234")]


async def test_reconnect_resumes_and_keeps_delivering(fake: FakeDiscord) -> None:
    """After op 7 the client RESUMEs on resume_gateway_url and still receives DMs."""
    client = EchoClient()
    async with fake.connect_client(client, token=TOKEN):
        await fake.request_reconnect()
        await fake.wait_until(lambda: len(fake.resumes) == 1)
        await fake.send_dm(USER_ID, "still there?")
        await fake.wait_for_dm(USER_ID)
    assert len(fake.identify_payloads) == 1
    assert fake.resumes[0]["token"] == TOKEN


async def test_silent_gateway_makes_the_client_resume() -> None:
    """With heartbeats left un-ACKed the client gives up on the socket and RESUMEs."""
    async with FakeDiscord(heartbeat_interval_ms=100) as fake:
        client = discord.Client(
            intents=discord.Intents.default(), guild_ready_timeout=0, heartbeat_timeout=0.5
        )
        async with fake.connect_client(client):
            fake.ack_heartbeats = False
            await fake.wait_until(lambda: len(fake.resumes) >= 1)
            fake.ack_heartbeats = True
        assert len(fake.gateway_queries) >= 2


async def test_disallowed_privileged_intents_close_with_4014() -> None:
    """Asking for message_content when the app may not yields PrivilegedIntentsRequired."""
    intents = discord.Intents.default()
    intents.message_content = True
    async with FakeDiscord(privileged_intents=False) as fake:
        with pytest.raises(discord.PrivilegedIntentsRequired):
            async with fake.connect_client(make_client(intents)):
                pass


async def test_canary_discord_py_honours_the_patched_urls(fake: FakeDiscord) -> None:
    """Fails if discord.py moves or stops honouring Route.BASE / DEFAULT_GATEWAY."""
    assert isinstance(discord.http.Route.__dict__.get("BASE"), str)
    assert isinstance(discord.gateway.DiscordWebSocket.__dict__.get("DEFAULT_GATEWAY"), yarl.URL)
    assert discord.http.Route("GET", "/users/@me").url == fake.http_base + "/users/@me"
    client = make_client()
    async with fake.connect_client(client, token=TOKEN):
        await fake.wait_identified()
    assert fake.requests, "HTTP did not go through Route.BASE"
    assert fake.gateway_queries, "the gateway did not use DiscordWebSocket.DEFAULT_GATEWAY"


async def test_patch_is_undone() -> None:
    """Leaving the context restores discord.py's real URLs."""
    base = discord.http.Route.BASE
    gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    async with FakeDiscord() as fake:
        assert discord.http.Route.BASE == fake.http_base
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == fake.gateway_url
    assert discord.http.Route.BASE == base
    assert discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY == gateway
