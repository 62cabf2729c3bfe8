"""Delivering review prompts to a local fake Discord and a local mock Slack.

Discord: the fake enforces 50 requests per second. Slack: the mock enforces one message
per second per channel and each method's tier (conversations.open at 100 a minute).
Prints the achieved rate as a share of the limit (goal >= 90%), the 429s received and the
duplicates (goal 0), using the real clients, the real sender and a SQLite file.
Run: python bench/bench_delivery.py [--platform all|discord|slack] [--messages 5000]
     [--limit 50] [--slack-channels 40] [--slack-per-channel 8] [--slack-new 10]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import discord  # noqa: E402
from slack_sdk.web.async_client import AsyncWebClient  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from bot.adapters.discord import DiscordDelivery  # noqa: E402
from bot.adapters.slack import SlackDelivery, SlackPacing  # noqa: E402
from bot.scheduling.jobs import PLATFORM_RATES  # noqa: E402
from bot.scheduling.sender import OutboxSender, RateLimiter  # noqa: E402
from bot.store.db import Database  # noqa: E402
from bot.store.models import OutboxMessage, User  # noqa: E402
from tests.fakes.fake_discord import FakeDiscord  # noqa: E402
from tests.fakes.fake_slack import FakeSlack  # noqa: E402

TOKEN = "bench-token"
FIRST_USER = 500_000_000_000_000_000


async def run(messages: int, limit: int) -> None:
    """Queue `messages` prompts, drain them through the fake, print the figures."""
    now = datetime.now(UTC) - timedelta(seconds=1)
    async with FakeDiscord(bot_id=1, token=TOKEN) as fake:
        fake.enforce_rate(limit)
        with tempfile.TemporaryDirectory() as folder:
            database = Database(f"sqlite+aiosqlite:///{folder}/delivery.db")
            await database.upgrade()
            async with database.session() as session:
                await session.execute(
                    insert(User),
                    [
                        {
                            "id": i + 1,
                            "platform": "discord",
                            "platform_user_id": str(FIRST_USER + i),
                            "display_name": "",
                            "timezone": "UTC",
                            "quiet_start": "21:00",
                            "quiet_end": "08:00",
                            "consent_at": now,
                            "created_at": now,
                            "dm_channel_id": str(fake.dm_channel_id(FIRST_USER + i)),
                        }
                        for i in range(messages)
                    ],
                )
                await session.execute(
                    insert(OutboxMessage),
                    [
                        {
                            "user_id": i + 1,
                            "platform": "discord",
                            "recipient": str(FIRST_USER + i),
                            "kind": "review_prompt",
                            "payload": {"text": "Time for a quick review: 2 items are ready."},
                            "idempotency_key": f"bench:{i}",
                            "status": "pending",
                            "attempts": 0,
                            "next_attempt_at": now,
                            "created_at": now,
                        }
                        for i in range(messages)
                    ],
                )
            client = discord.Client(intents=discord.Intents.none())
            await client.login(TOKEN)
            sender = OutboxSender(
                database,
                {"discord": DiscordDelivery(client, database)},
                {"discord": RateLimiter(PLATFORM_RATES["discord"])},
                clock=lambda: datetime.now(UTC),
                worker="bench",
                concurrency=8,
            )
            started = time.perf_counter()
            await sender.drain(limit=500)
            elapsed = time.perf_counter() - started
            await client.close()
            await database.close()
        sent = [m for m in fake.messages if m.source == "channel"]
        per_channel = Counter(m.channel_id for m in sent)
        requests = len(fake.requests_to("POST", r"/channels/\d+/messages"))
    rate = len(sent) / elapsed
    print(f"delivery benchmark: {messages:,} DMs, fake Discord enforcing {limit} requests/s")
    print(
        f"  delivered: {len(sent):,} in {elapsed:.1f} s = {rate:.1f} DMs/s "
        f"= {rate / limit:.0%} of the limit  (goal >= 90%)"
    )
    print(
        f"  requests: {requests:,}; 429s received: {fake.rate_limited_count} "
        f"(global {fake.global_rate_limited_count})"
    )
    print(
        f"  duplicates: {sum(c - 1 for c in per_channel.values())}  (goal 0); "
        f"missing: {messages - len(per_channel)}"
    )


async def run_slack(channels: int, per_channel: int, new: int) -> None:
    """Queue `per_channel` prompts for each of `channels` learners; drain; print the figures.

    `new` of the learners have no DM channel stored yet, so conversations.open (tier 4) is
    paced too. The sender runs without a platform-wide limiter: the Slack delivery paces
    each channel and method itself, and puts back a prompt whose turn is more than half a
    second off instead of waiting in one of the sender's slots.
    """
    total = channels * per_channel
    users = [f"U{i:06d}" for i in range(channels)]
    async with FakeSlack() as fake:
        fake.enforce_channel_rate(1.0)
        fake.enforce_tiers(True)
        with tempfile.TemporaryDirectory() as folder:
            database = Database(f"sqlite+aiosqlite:///{folder}/slack.db")
            await database.upgrade()
            await _slack_rows(database, fake, users, per_channel, new)
            client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_base)
            delivery = SlackDelivery(
                client,
                database,
                SlackPacing(),
                clock=lambda: datetime.now(UTC),
                lease=timedelta(seconds=60),
            )
            sender = OutboxSender(
                database,
                {"slack": delivery},
                {},
                clock=lambda: datetime.now(UTC),
                worker="bench",
                concurrency=8,
            )
            started = time.perf_counter()
            while len(fake.messages) < total and time.perf_counter() - started < 20 * total:
                if not await sender.drain(limit=500):
                    await asyncio.sleep(0.02)  # the rest is put back for its turn
            elapsed = time.perf_counter() - started
            await database.close()
        per_user = Counter(m.channel for m in fake.messages)
        opens = len(fake.calls_to("conversations.open"))
    # the limits allow: 100 DMs opened a minute (tier 4), then a second between two
    # messages of one channel
    ideal = max(0, new - 100) * 60 / 100 + per_channel - 1.0
    global_rate = PLATFORM_RATES["slack"]
    print(
        f"delivery benchmark: {total:,} Slack DMs to {channels} learners ({per_channel} each, "
        f"{new} without a stored DM), mock enforcing 1 message/s per channel and method tiers"
    )
    print(
        f"  delivered: {len(fake.messages):,} in {elapsed:.1f} s; the limits allow {ideal:.1f} s "
        f"= {ideal / elapsed:.0%} of the limit  (goal >= 90%)"
    )
    print(f"  conversations.open: {opens}; 429s received: {fake.rate_limited}")
    print(
        f"  duplicates: {sum(max(0, c - per_channel) for c in per_user.values())}  (goal 0); "
        f"missing: {total - sum(min(c, per_channel) for c in per_user.values())}"
    )
    print(
        f"  note: the worker's platform-wide limiter for Slack is {global_rate:g} message/s "
        f"(PLATFORM_RATES): as configured it would take {total / global_rate:.0f} s here "
        f"= {ideal / (total / global_rate):.0%} of the per-channel limit"
    )


async def _slack_rows(
    database: Database, fake: FakeSlack, users: list[str], per_channel: int, new: int
) -> None:
    """Slack learners (the first `new` without a stored DM) and their prompts, interleaved."""
    now = datetime.now(UTC) - timedelta(seconds=1)
    async with database.session() as session:
        await session.execute(
            insert(User),
            [
                {
                    "id": i + 1,
                    "platform": "slack",
                    "platform_user_id": user,
                    "display_name": "",
                    "timezone": "UTC",
                    "quiet_start": "21:00",
                    "quiet_end": "08:00",
                    "consent_at": now,
                    "created_at": now,
                    "dm_channel_id": None if i < new else fake.dm_channel(user),
                }
                for i, user in enumerate(users)
            ],
        )
        await session.execute(
            insert(OutboxMessage),
            [
                {
                    "user_id": j % len(users) + 1,
                    "platform": "slack",
                    "recipient": users[j % len(users)],
                    "kind": "review_prompt",
                    "payload": {"text": "Time for a quick review: 2 items are ready."},
                    "idempotency_key": f"bench:slack:{j}",
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
                for j in range(len(users) * per_channel)
            ],
        )


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--platform", choices=("all", "discord", "slack"), default="all")
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--slack-channels", type=int, default=40)
    parser.add_argument("--slack-per-channel", type=int, default=8)
    parser.add_argument("--slack-new", type=int, default=10)
    args = parser.parse_args()
    if args.platform in {"all", "discord"}:
        asyncio.run(run(args.messages, args.limit))
    if args.platform in {"all", "slack"}:
        asyncio.run(run_slack(args.slack_channels, args.slack_per_channel, args.slack_new))


if __name__ == "__main__":
    main()
