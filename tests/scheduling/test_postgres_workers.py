"""Several worker processes share one PostgreSQL outbox: no row twice, no row missed."""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from bot.store.db import Database
from bot.store.models import OutboxMessage, User
from tests.conftest import ROOT
from tests.support.postgres import create_database_or_skip, drop_database

ROWS = 10_000
WORKERS = 4


async def test_four_workers_drain_ten_thousand_rows_exactly_once(tmp_path: Path) -> None:
    url = await create_database_or_skip()
    database = Database(url)
    try:
        await database.upgrade()
        past = datetime.now(UTC) - timedelta(minutes=1)
        async with database.session() as session:
            session.add(User(id=1, platform="discord", platform_user_id="1", consent_at=past))
            await session.flush()
            await session.execute(
                insert(OutboxMessage),
                [
                    {
                        "user_id": 1,
                        "platform": "discord",
                        "recipient": "1",
                        "kind": "review_prompt",
                        "payload": {"text": f"row {i}"},
                        "idempotency_key": f"k{i}",
                        "status": "pending",
                        "attempts": 0,
                        "next_attempt_at": past,
                        "created_at": past,
                    }
                    for i in range(ROWS)
                ],
            )
        procs = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.support.drain_worker",
                url,
                str(tmp_path / f"w{i}.txt"),
                cwd=ROOT,
            )
            for i in range(WORKERS)
        ]
        codes = await asyncio.wait_for(asyncio.gather(*(p.wait() for p in procs)), 240)
        assert codes == [0] * WORKERS
        per_worker = [
            (tmp_path / f"w{i}.txt").read_text().split()
            if (tmp_path / f"w{i}.txt").exists()
            else []
            for i in range(WORKERS)
        ]
        delivered = Counter(line for lines in per_worker for line in lines)
        assert len(delivered) == ROWS, "every row delivered"
        assert max(delivered.values()) == 1, "no row delivered twice"
        assert sum(1 for lines in per_worker if lines) >= 2, "the work was shared"
        async with database.session() as session:
            statuses = dict(
                (
                    await session.execute(
                        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
                    )
                ).all()
            )
        assert statuses == {"sent": ROWS}
    finally:
        await database.close()
        await drop_database(url)
