"""Grade answers in worker processes that are killed when one runs past its time limit.

Algebraic and pattern checkers run sympy and regular expressions, whose worst cases hold
the interpreter lock for minutes in C code: no thread can stop them. So those checks run
in a separate process that answers within the time limit or is killed and replaced. The
worst learner message then costs one learner an "I couldn't check that one" and every
other learner nothing.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import queue
import resource
import threading
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Final

from bot.learning.grading import AnswerKey, Grade, grade_answer

__all__ = ["GradeRequest", "GradingPool", "needs_isolation"]

log = logging.getLogger(__name__)

DEFAULT_TIME_LIMIT: Final = 2.0
DEFAULT_MEMORY_LIMIT: Final = 2 << 30  # address space of one worker, in bytes
ISOLATED_CHECKERS: Final = frozenset({"expression", "pattern"})

GradeRequest = tuple[AnswerKey, str]


def needs_isolation(key: AnswerKey) -> bool:
    """Return True if grading against ``key`` can be expensive (sympy or an authored regex)."""
    return key.checker in ISOLATED_CHECKERS


def _serve(conn: Connection, memory_limit: int, grade: Callable[[AnswerKey, str], Any]) -> None:
    """Worker loop: receive a batch of (key, text), send back their grades."""
    if memory_limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            return
        try:
            results = [grade(key, text) for key, text in batch]
        except MemoryError:
            results = [None] * len(batch)
        conn.send(results)


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self, context: Any, memory_limit: int, grade: Callable[..., Any]) -> None:
        self.conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve, args=(child, memory_limit, grade), daemon=True
        )
        self.process.start()
        child.close()

    def run(self, batch: Sequence[GradeRequest], time_limit: float) -> list[Any] | None:
        """Send a batch and wait for its grades; None if the worker ran out of time or died."""
        try:
            self.conn.send(list(batch))
            if self.conn.poll(time_limit):
                results = self.conn.recv()
                return results if isinstance(results, list) else None
        except (EOFError, OSError, BrokenPipeError):
            pass
        return None

    def kill(self) -> None:
        """Stop the worker at once, whatever it is doing."""
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class GradingPool:
    """A few grading processes; a batch that takes longer than the limit is given up on."""

    def __init__(
        self,
        time_limit: float = DEFAULT_TIME_LIMIT,
        *,
        workers: int = 2,
        memory_limit: int = DEFAULT_MEMORY_LIMIT,
        grade: Callable[[AnswerKey, str], Any] = grade_answer,
    ) -> None:
        self.time_limit = time_limit
        self.memory_limit = memory_limit
        self.timeouts = 0
        self.busy = 0  # batches being graded right now
        self.working = threading.Event()  # set while any batch is being graded
        self._grade = grade
        self._size = max(1, workers)
        self._context: Any = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["bot.learning.grading"])
        self._idle: queue.LifoQueue[_Worker | None] = queue.LifoQueue()
        for _ in range(self._size):
            self._idle.put(None)  # a slot; its worker starts on first use
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    def grade(self, batch: Sequence[GradeRequest]) -> list[Grade | None]:
        """Grade every (key, text); None for each when the batch could not be checked in time."""
        if not batch:
            return []
        worker = self._take()
        with self._lock:
            self.busy += 1
            self.working.set()
        try:
            results = worker.run(batch, self.time_limit)
        except BaseException:
            self._discard(worker)
            self._idle.put(None)
            raise
        finally:
            with self._lock:
                self.busy -= 1
                if not self.busy:
                    self.working.clear()
        if results is None or len(results) != len(batch):
            self.timeouts += 1
            log.warning("grading gave up after %.1f s; the worker was replaced", self.time_limit)
            self._discard(worker)
            self._idle.put(None)
            return [None] * len(batch)
        self._idle.put(worker)
        return [r if isinstance(r, Grade) else None for r in results]

    async def grade_async(self, batch: Sequence[GradeRequest]) -> list[Grade | None]:
        """Grade off the event loop: the loop keeps serving while a worker computes."""
        return await asyncio.to_thread(self.grade, batch)

    def warm(self) -> None:
        """Start one worker now, so the first learner does not wait for it."""
        self._idle.put(self._take())

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.kill()

    def _take(self) -> _Worker:
        slot = self._idle.get()
        if slot is not None and slot.process.is_alive():
            return slot
        if slot is not None:
            self._discard(slot)
        try:
            worker = _Worker(self._context, self.memory_limit, self._grade)
        except BaseException:
            self._idle.put(None)
            raise
        with self._lock:
            if self._closed:
                self._idle.put(None)
                worker.kill()
                raise RuntimeError("the grading pool is closed")
            self._all.add(worker)
        return worker

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()
