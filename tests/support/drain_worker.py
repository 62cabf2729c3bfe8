"""A worker process for the multi-worker test: the real sender, recording what it delivers.

Run: python -m tests.support.drain_worker DATABASE_URL OUT_FILE
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.scheduling.sender import DeliveryResult, OutboxSender
from bot.store.db import Database
from bot.store.models import OutboxMessage


class RecordingDelivery:
    """Append each delivered row id to a file (one line per delivery, flushed)."""

    def __init__(self, out: Path) -> None:
        self.handle = out.open("a", encoding="utf-8")

    async def deliver(self, message: OutboxMessage) -> DeliveryResult:
        self.handle.write(f"{message.id}\n")
        self.handle.flush()
        await asyncio.sleep(0)
        return DeliveryResult("sent")


async def main(url: str, out: Path) -> None:
    database = Database(url)
    delivery = RecordingDelivery(out)
    sender = OutboxSender(
        database,
        {"discord": delivery},
        {},
        clock=lambda: datetime.now(UTC),
        worker=f"proc-{out.stem}",
        concurrency=8,
    )
    try:
        await sender.drain(limit=50)
    finally:
        await database.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2])))
