"""Slack reaches the tutor over HTTP or Socket Mode; bad settings fail in one sentence."""

from __future__ import annotations

import random
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.adapters.slack import EVENTS_PATH, SlackAdapter
from bot.content.loader import load_catalog
from bot.errors import SettingsError
from bot.services.tutor import Tutor
from bot.store.db import Database
from tests.adapters.slack_harness import USER, running_slack, slack_settings
from tests.conftest import ROOT, FixedClock
from tests.fakes import slack_requests as rq
from tests.fakes.fake_slack import FakeSlack

DEMO = ROOT / "tests" / "demo_courses"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as server:
        yield server
    assert server.server_errors == []
    assert server.unknown_methods() == []


@pytest.fixture
def demo_tutor(database: Database, clock: FixedClock) -> Tutor:
    return Tutor(database, load_catalog([DEMO]), clock=clock, rng=random.Random(1))


async def test_the_http_endpoint_serves_events_and_refuses_forged_requests(
    fake: FakeSlack, demo_tutor: Tutor, database: Database
) -> None:
    async with running_slack(fake, demo_tutor, database) as slack:
        url = f"http://127.0.0.1:{slack.adapter.port}{EVENTS_PATH}"
        request = rq.event(rq.dm(USER, "hello"))
        async with aiohttp.ClientSession() as http:
            forged = await http.post(url, data=request.body, headers=request.headers("wrong"))
            assert forged.status == 401
            sent = await http.post(
                url, data=request.body, headers=request.headers(fake.signing_secret)
            )
            assert sent.status == 200
            await fake.wait_until(lambda: bool(fake.dm(USER)))
            assert "Is that OK?" in fake.dm(USER)[0].shown
            command = rq.command(USER, "help", response_url=fake.response_url("help"))
            answered = await http.post(
                url, data=command.body, headers=command.headers(fake.signing_secret)
            )
            assert answered.status == 200
            await fake.wait_until(lambda: any(r.channel == "help" for r in fake.responses))
            health = await http.get(f"http://127.0.0.1:{slack.adapter.port}/slack/health")
            assert health.status == 200
    assert len(fake.dm(USER)) == 1


async def test_socket_mode_receives_events_commands_and_clicks(
    fake: FakeSlack, demo_tutor: Tutor, database: Database
) -> None:
    async with running_slack(
        fake,
        demo_tutor,
        database,
        slack_mode="socket",
        slack_app_token=fake.app_token,
        slack_signing_secret=None,
    ) as slack:
        await fake.wait_until(lambda: fake.connected_sockets == 1)
        event = await fake.push("events_api", rq.event(rq.dm(USER, "hello")).payload())
        await fake.wait_until(lambda: bool(fake.dm(USER)) and fake.acked(event) is not None)
        ask = fake.dm(USER)[0]
        assert ask.buttons == ["tutor:consent"]
        click = rq.click(USER, "tutor:consent", message=ask, response_url=fake.response_url())
        await fake.push("interactive", click.payload())
        await fake.wait_until(lambda: len(fake.dm(USER)) >= 2)
        assert "Thank you!" in fake.dm(USER)[1].shown
        command = rq.command(USER, "help", response_url=fake.response_url("help"))
        envelope = await fake.push("slash_commands", command.payload())
        await fake.wait_until(
            lambda: (
                any(r.channel == "help" for r in fake.responses)
                and fake.acked(envelope) is not None
            )
        )
        # a retried envelope of the same event is acknowledged and not answered again
        again = await fake.push(
            "events_api", rq.event(rq.dm(USER, "x"), event_id="Ev0SOCKET").payload()
        )
        retried = await fake.push(
            "events_api",
            rq.event(rq.dm(USER, "x"), event_id="Ev0SOCKET").payload(),
            retry_attempt=1,
        )
        await fake.wait_until(lambda: bool(fake.acked(again)) and bool(fake.acked(retried)))
        await fake.wait_until(lambda: len(fake.dm(USER)) >= 3)
        await slack.adapter.running.wait_idle()
        assert len(fake.dm(USER)) == 3, "the retried event was answered once"
    assert fake.connected_sockets == 0, "closed on shutdown"
    assert len(fake.calls_to("apps.connections.open")) >= 1


async def test_a_rejected_bot_token_is_one_sentence(
    fake: FakeSlack, demo_tutor: Tutor, database: Database
) -> None:
    with pytest.raises(SettingsError, match="Slack rejected SLACK_BOT_TOKEN") as failure:
        async with running_slack(fake, demo_tutor, database, slack_bot_token="xoxb-wrong"):
            pass
    assert "xoxb-wrong" not in str(failure.value)


async def test_a_rejected_app_token_is_one_sentence(
    fake: FakeSlack, demo_tutor: Tutor, database: Database
) -> None:
    with pytest.raises(SettingsError, match="Slack rejected SLACK_APP_TOKEN"):
        async with running_slack(
            fake, demo_tutor, database, slack_mode="socket", slack_app_token="xapp-wrong"
        ):
            pass


async def test_a_port_in_use_names_the_setting(
    fake: FakeSlack, demo_tutor: Tutor, database: Database
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SettingsError, match="SLACK_PORT"):
            async with running_slack(fake, demo_tutor, database, slack_port=port):
                pass


def test_missing_settings_are_named_for_the_chosen_mode(fake: FakeSlack) -> None:
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET"):
        SlackAdapter(slack_settings(fake, slack_signing_secret=None))
    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN"):
        SlackAdapter(slack_settings(fake, slack_mode="socket"))
    adapter = SlackAdapter(slack_settings(fake, slack_mode=None, slack_app_token="xapp-1"))
    assert adapter.mode == "socket", "an app-level token chooses Socket Mode by default"
