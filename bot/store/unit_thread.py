"""The database thread: runs jobs in order, all the waiting ones in one trip.

Handing work to a thread and back costs far more than a SQLite statement on a small
machine (two wake-ups and a hand-over of the GIL). When many learners write at once,
the jobs that queued up while the thread was busy go to `run_batch` together and their
results go back to the event loop together, so that cost is paid once per batch.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

J = TypeVar("J")
Outcome = tuple[Any, BaseException | None]  # a job's result, or what it raised
_Settled = tuple["asyncio.Future[Any]", Any, BaseException | None]


class UnitThread(Generic[J]):
    """One thread that runs jobs in the order they were submitted, in batches."""

    def __init__(
        self,
        name: str,
        run_batch: Callable[[list[J]], list[Outcome]],
        on_stop: Callable[[], None],
    ) -> None:
        self._run_batch = run_batch
        self._on_stop = on_stop
        self._jobs: queue.SimpleQueue[
            tuple[asyncio.AbstractEventLoop, asyncio.Future[Any], J] | None
        ] = queue.SimpleQueue()
        self._stopped: asyncio.Future[None] | None = None
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: J) -> asyncio.Future[Any]:
        """Queue a job; the returned future gets its result or its exception."""
        if self._stopped is not None:
            raise RuntimeError("the database thread is stopped")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._jobs.put((loop, future, job))
        return future

    async def stop(self) -> None:
        """Finish the jobs already queued, run `on_stop` in the thread, end the thread."""
        if self._stopped is None:
            self._stopped = asyncio.get_running_loop().create_future()
            self._jobs.put(None)
        await self._stopped

    def _serve(self) -> None:
        """Take the waiting jobs, run them in order, hand the results back per loop."""
        while True:
            item = self._jobs.get()
            batch = []
            while item is not None:
                batch.append(item)
                try:
                    item = self._jobs.get_nowait()
                except queue.Empty:
                    break
            if batch:
                self._settle_batch(batch)
            if item is None:
                break
        try:
            self._on_stop()
        except Exception:
            log.exception("the database thread's clean-up failed")
        stopped = self._stopped
        if stopped is not None:
            _hand_back(stopped.get_loop(), [(stopped, None, None)])

    def _settle_batch(
        self, batch: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[Any], J]]
    ) -> None:
        """Run one batch and give every waiting task its outcome."""
        try:
            outcomes = self._run_batch([job for _, _, job in batch])
        except BaseException as exc:  # the batch runner itself failed: so did every job
            outcomes = [(None, exc)] * len(batch)
        by_loop: dict[asyncio.AbstractEventLoop, list[_Settled]] = {}
        for (loop, future, _), (result, error) in zip(batch, outcomes, strict=True):
            by_loop.setdefault(loop, []).append((future, result, error))
        for loop, settled in by_loop.items():
            _hand_back(loop, settled)


def _hand_back(loop: asyncio.AbstractEventLoop, settled: list[_Settled]) -> None:
    """Schedule the settling of futures in their event loop's thread."""
    try:
        loop.call_soon_threadsafe(_settle, settled)
    except RuntimeError:  # the loop is closed: nobody waits for these any more
        log.warning("%d database results came after their loop closed", len(settled))


def _settle(settled: list[_Settled]) -> None:
    """Give each waiting task its result (in the event loop's thread)."""
    for future, result, error in settled:
        if future.cancelled():
            continue
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)
