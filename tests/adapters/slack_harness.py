"""Run the real Slack adapter against the mock Slack and send it signed requests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.adapters.slack import SlackAdapter, SlackDelivery
from bot.runtime import Root
from bot.services.tutor import Tutor
from bot.settings import Settings
from bot.store.db import Database
from tests.fakes import slack_requests as rq
from tests.fakes.fake_slack import FakeSlack, Posted

USER = "U0ANN"


def slack_settings(fake: FakeSlack, **values: Any) -> Settings:
    """Settings for the mock only: no `.env`, no Discord, HTTP on a free local port."""
    base: dict[str, Any] = {
        "discord_token": None,
        "slack_bot_token": fake.bot_token,
        "slack_signing_secret": fake.signing_secret,
        "slack_app_token": None,
        "slack_api_base_url": fake.api_base,
        "slack_mode": "http",
        "slack_host": "127.0.0.1",
        "slack_port": 0,
    }
    return Settings(_env_file=None, **{**base, **values})  # type: ignore[call-arg]


class SlackHarness:
    """The adapter, connected; requests go through the real bolt app."""

    def __init__(self, fake: FakeSlack, adapter: SlackAdapter, delivery: SlackDelivery) -> None:
        self.fake = fake
        self.adapter = adapter
        self.delivery = delivery

    async def send(
        self, request: rq.SlackRequest, *, retry: int = 0, timestamp: int | None = None
    ) -> BoltResponse:
        """Dispatch a correctly signed request through the app."""
        assert self.adapter.app is not None
        headers = request.headers(self.fake.signing_secret, timestamp=timestamp, retry=retry)
        return await self.adapter.app.async_dispatch(
            AsyncBoltRequest(body=request.body, headers=headers)
        )

    async def dm(self, text: str, user: str = USER, **extra: Any) -> BoltResponse:
        """The learner writes in the app's DM."""
        return await self.send(rq.event(rq.dm(user, text, **extra)))

    async def reply(self, text: str, user: str = USER, count: int = 1) -> list[Posted]:
        """The learner writes; wait for `count` new messages in the DM and return them."""
        before = len(self.fake.dm(user))
        response = await self.dm(text, user)
        assert response.status == 200
        await self.fake.wait_until(lambda: len(self.fake.dm(user)) >= before + count)
        return self.fake.dm(user)[before:]

    async def click(self, message: Posted, action_id: str, user: str = USER) -> BoltResponse:
        """The learner clicks a button under a message in the DM."""
        assert action_id in message.buttons, f"{action_id} not in {message.buttons}"
        response = await self.send(
            rq.click(user, action_id, message=message, response_url=self.fake.response_url())
        )
        assert response.status == 200
        return response

    async def command(
        self, text: str, user: str = USER, channel: str = "C0GENERAL"
    ) -> tuple[BoltResponse, str]:
        """The learner types `/tutor text`; return the answer and the command's response URL."""
        url = self.fake.response_url()
        response = await self.send(rq.command(user, text, response_url=url, channel=channel))
        return response, url

    def responses_to(self, url: str) -> list[Posted]:
        """What the app sent to a response URL."""
        token = url.rsplit("/", 1)[-1]
        return [r for r in self.fake.responses if r.channel == token]


@asynccontextmanager
async def running_slack(
    fake: FakeSlack, tutor: Tutor, database: Database, **values: Any
) -> AsyncIterator[SlackHarness]:
    """Connect the Slack adapter over the tutor and database; close it afterwards."""
    settings = slack_settings(fake, **values)
    root = Root(settings, tutor.catalog, database, tutor)
    adapter = SlackAdapter(settings)
    try:
        deliveries = await adapter.connect(root)
        delivery = deliveries["slack"]
        assert isinstance(delivery, SlackDelivery)
        yield SlackHarness(fake, adapter, delivery)
    finally:
        await adapter.close()
