"""Start-up shared by every adapter: check the content, migrate the database, build the tutor."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.content.loader import check_content
from bot.errors import ContentError
from bot.learning.grading_pool import GradingPool
from bot.services.answer_checks import AnswerChecks
from bot.services.tutor import Tutor
from bot.settings import Settings
from bot.store.db import Database
from bot.store.users import UserDefaults

log = logging.getLogger(__name__)


@asynccontextmanager
async def tutor_runtime(settings: Settings, content: Path | None = None) -> AsyncIterator[Tutor]:
    """Load and check the courses, migrate the database, and yield a ready tutor."""
    paths = [content] if content is not None else [settings.content_dir]
    catalog, problems = await asyncio.to_thread(check_content, paths)
    if problems:
        raise ContentError(problems)
    database = Database(settings.database_url)
    pool = GradingPool(settings.grading_time_limit)
    try:
        await database.upgrade()
        # The first worker starts now, while the adapters connect, not on a learner's turn.
        warming = asyncio.create_task(asyncio.to_thread(pool.warm))
        defaults = UserDefaults(
            timezone=settings.default_timezone,
            quiet_start=settings.quiet_hours_start,
            quiet_end=settings.quiet_hours_end,
        )
        yield Tutor(
            database,
            catalog,
            mastery_threshold=settings.mastery_threshold,
            user_defaults=defaults,
            checks=AnswerChecks(pool),
        )
        await warming
    finally:
        pool.close()
        await database.close()


def print_content_problems(error: ContentError) -> None:
    """Print every content problem as file:line, for the person starting the bot."""
    for problem in error.problems:
        print(problem, file=sys.stderr)
    print(f"{len(error.problems)} content problem(s); fix them and try again.", file=sys.stderr)
