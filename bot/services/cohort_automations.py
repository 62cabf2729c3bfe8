"""The cohort automations as the scheduler runs them: weekly posts, members' nudges, stuck
flags and congratulations, and the creators' weekly digests.

Each job sweeps every active cohort in batches (a fixed set of queries per batch), and
everything it sends goes through the outbox, recorded in `cohort_events` in the same unit:
a job that runs twice, late, or after a restart sends nothing twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.content.catalog import Catalog
from bot.services.cohort_digest import sweep_digests
from bot.services.cohort_nudges import sweep_members
from bot.services.cohort_posts import AutomationPolicy, sweep_posts
from bot.store.db import Database
from bot.store.types import utc_now

__all__ = ["AutomationPolicy", "CohortAutomations"]


class CohortAutomations:
    """The cohort sweeps over one database and catalog, on one clock."""

    def __init__(
        self,
        database: Database,
        catalog: Catalog,
        *,
        clock: Callable[[], datetime] = utc_now,
        policy: AutomationPolicy | None = None,
    ) -> None:
        self.database = database
        self.catalog = catalog
        self.clock = clock
        self.policy = policy or AutomationPolicy()

    def jobs(self) -> list[tuple[str, Callable[[], Awaitable[int]], float]]:
        """The cohort jobs as (name, run, seconds between runs)."""
        return [
            ("cohort-posts", self.post_weekly, 60.0),
            ("cohort-members", self.sweep_members, 300.0),
            ("cohort-digests", self.send_digests, 300.0),
        ]

    async def post_weekly(self) -> int:
        """Queue each cohort's weekly channel post whose time has come."""
        return await sweep_posts(self.database, self.catalog, self.clock(), self.policy)

    async def sweep_members(self) -> int:
        """Queue nudges, stuck flags and congratulations that are due."""
        return await sweep_members(self.database, self.catalog, self.clock(), self.policy)

    async def send_digests(self) -> int:
        """Queue the creators' weekly digests that are due."""
        return await sweep_digests(self.database, self.catalog, self.clock(), self.policy)
