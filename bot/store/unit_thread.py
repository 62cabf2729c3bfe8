"""The database thread: runs units of work in order, all the waiting ones in one trip.

Handing work to a thread and back costs far more than a SQLite statement on a small
machine (two wake-ups and a hand-over of the GIL). When many learners write at once,
the units that queued up while the thread was busy are run back to back and their
results go back to the event loop together, so that cost is paid once per batch.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
_Job = tuple[asyncio.AbstractEventLoop, "asyncio.Future[Any]", Callable[[], Any]]
_Outcome = tuple["asyncio.Future[Any]", Any, BaseException | None]


class UnitThread:
    """One thread that runs calls in the order they were submitted."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._closed = False
        self._thread.start()

    def submit(self, call: Callable[[], T]) -> asyncio.Future[T]:
        """Queue `call`; the returned future gets its result or its exception."""
        if self._closed:
            raise RuntimeError("the database thread is stopped")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put((loop, future, call))
        return future

    async def stop(self, last: Callable[[], None] | None = None) -> None:
        """Run `last` after every call already queued, then end the thread."""
        if self._closed:
            return
        done = self.submit(last or _nothing)
        self._closed = True
        self._jobs.put(None)
        await done

    def _serve(self) -> None:
        """Take the waiting calls, run them in order, hand the results back per loop."""
        running = True
        while running:
            job = self._jobs.get()
            batch: list[_Job] = []
            while job is not None:
                batch.append(job)
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
            else:
                running = False
            by_loop: dict[asyncio.AbstractEventLoop, list[_Outcome]] = {}
            for loop, future, call in batch:
                by_loop.setdefault(loop, []).append(_run(future, call))
            for loop, outcomes in by_loop.items():
                try:
                    loop.call_soon_threadsafe(_settle, outcomes)
                except RuntimeError:  # the loop is closed: nobody waits for these any more
                    log.warning(
                        "%d database results arrived after their event loop closed", len(outcomes)
                    )


def _run(future: asyncio.Future[Any], call: Callable[[], Any]) -> _Outcome:
    """Run one call, catching what it raises."""
    try:
        return future, call(), None
    except BaseException as exc:  # handed to the waiting task, which re-raises it
        return future, None, exc


def _settle(outcomes: list[_Outcome]) -> None:
    """Give each waiting task its result (in the event loop's thread)."""
    for future, result, error in outcomes:
        if future.cancelled():
            continue
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)


def _nothing() -> None:
    """A call that does nothing (marks the end of the queue)."""
