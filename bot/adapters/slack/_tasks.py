"""Work that runs beside Slack's acknowledgements, tracked so a shutdown lets it finish."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any

log = logging.getLogger(__name__)


class RunningWork:
    """The listeners still working after their ack, and background tasks such as App Home."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self.closing = False

    @asynccontextmanager
    async def tracked(self) -> AsyncIterator[None]:
        """Count the current task as running until the block ends."""
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            yield
        finally:
            if task is not None:
                self._tasks.discard(task)

    def spawn(self, work: Coroutine[Any, Any, object], what: str) -> None:
        """Run work in the background; a failure is logged once with its traceback."""
        if self.closing:
            work.close()
            return
        task = asyncio.create_task(work)
        self._tasks.add(task)

        def done(finished: asyncio.Task[Any]) -> None:
            self._tasks.discard(finished)
            if not finished.cancelled() and finished.exception() is not None:
                log.error("slack: %s failed", what, exc_info=finished.exception())

        task.add_done_callback(done)

    async def wait_idle(self) -> None:
        """Wait until no work is running (other than the caller)."""
        current = asyncio.current_task()
        while running := {task for task in self._tasks if task is not current}:
            await asyncio.wait(running)

    async def finish(self, grace: float) -> None:
        """Let running work end (cancel what is still running after `grace` seconds)."""
        self.closing = True
        current = asyncio.current_task()
        running = {task for task in self._tasks if task is not current}
        if not running:
            return
        _done, late = await asyncio.wait(running, timeout=grace)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
