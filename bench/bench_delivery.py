"""Delivering review prompts to a local fake Discord that enforces 50 requests per second.

Prints the achieved rate as a share of the limit (goal >= 90%), the 429s received and the
duplicates (goal 0), using the real discord.py client, the real sender and a SQLite file.
Run: python bench/bench_delivery.py [--messages 5000] [--limit 50]
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
from sqlalchemy import insert  # noqa: E402

from bot.adapters.discord import DiscordDelivery  # noqa: E402
from bot.scheduling.jobs import PLATFORM_RATES  # noqa: E402
from bot.scheduling.sender import OutboxSender, RateLimiter  # noqa: E402
from bot.store.db import Database  # noqa: E402
from bot.store.models import OutboxMessage, User  # noqa: E402
from tests.fakes.fake_discord import FakeDiscord  # noqa: E402

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


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--limit", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(run(args.messages, args.limit))


if __name__ == "__main__":
    main()
