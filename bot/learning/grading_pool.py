"""Grade answers in worker processes that are killed when one runs past its time limit.

Algebraic and pattern checkers run sympy and regular expressions, whose worst cases hold
the interpreter lock for minutes in C code: no thread can stop them. So those checks run
in a separate process that answers within the time limit or is killed and replaced. The
worst learner message then costs one learner an "I couldn't check that one" and every
other learner nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Final

from bot.learning.grading import AnswerKey, Grade
from bot.learning.grading_worker import READY

__all__ = ["GradeRequest", "GradingPool", "needs_isolation"]

log = logging.getLogger(__name__)

DEFAULT_TIME_LIMIT: Final = 2.0
DEFAULT_MEMORY_LIMIT: Final = 2 << 30  # address space of one worker, in bytes
STARTUP_LIMIT: Final = 120.0  # a fresh interpreter importing sympy, on a busy machine
ISOLATED_CHECKERS: Final = frozenset({"expression", "pattern"})
_ROOT: Final = Path(__file__).resolve().parents[2]

GradeRequest = tuple[AnswerKey, str]


def needs_isolation(key: AnswerKey) -> bool:
    """Return True if grading against ``key`` can be expensive (sympy or an authored regex)."""
    return key.checker in ISOLATED_CHECKERS


class _Worker:
    """One worker process and the pipes to it."""

    def __init__(self, memory_limit: int) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH")]))
        command = [sys.executable, "-m", "bot.learning.grading_worker", str(memory_limit)]
        # A session of its own: Ctrl-C at the learner's terminal stops the tutor, which
        # closes the pool; the worker must not print its own KeyboardInterrupt over it.
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            close_fds=True,
            start_new_session=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self._to = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self._from = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self.ready = False

    def wait_ready(self, timeout: float) -> bool:
        """Wait until the worker has loaded the grader; False if it did not in time."""
        try:
            if not self.ready and self._from.poll(timeout):
                self.ready = self._from.recv() == READY
        except (EOFError, OSError):
            return False
        return self.ready

    def alive(self) -> bool:
        """Return True while the process runs."""
        return self.process.poll() is None

    def run(self, batch: Sequence[GradeRequest], time_limit: float) -> list[Any] | None:
        """Send a batch and wait for its grades; None if the worker ran out of time or died."""
        try:
            self._to.send(list(batch))
            if self._from.poll(time_limit):
                results = self._from.recv()
                return results if isinstance(results, list) else None
        except (EOFError, OSError):
            pass
        return None

    def kill(self) -> None:
        """Stop the worker at once, whatever it is doing."""
        self.process.kill()
        self.process.wait(timeout=10)
        # A pool closed while a worker was still being started (a bot that stops at once,
        # say on an unreachable platform) may find a pipe already gone: stopping goes on.
        for pipe in (self._to, self._from):
            with contextlib.suppress(OSError):
                pipe.close()


class GradingPool:
    """A few grading processes; a batch that takes longer than the limit is given up on."""

    def __init__(
        self,
        time_limit: float = DEFAULT_TIME_LIMIT,
        *,
        workers: int = 2,
        memory_limit: int = DEFAULT_MEMORY_LIMIT,
        startup_limit: float = STARTUP_LIMIT,
    ) -> None:
        self.time_limit = time_limit
        self.memory_limit = memory_limit
        self.startup_limit = startup_limit
        self.timeouts = 0
        self.busy = 0  # batches being graded right now
        self.working = threading.Event()  # set while any batch is being graded
        self._size = max(1, workers)
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
        if worker is None:
            return [None] * len(batch)
        with self._lock:
            self.busy += 1
            self.working.set()
        try:
            results = worker.run(batch, self.time_limit)
        except BaseException:
            self._replace(worker)
            raise
        finally:
            with self._lock:
                self.busy -= 1
                if not self.busy:
                    self.working.clear()
        if results is None or len(results) != len(batch):
            self.timeouts += 1
            log.warning("grading gave up after %.1f s; the worker was replaced", self.time_limit)
            self._replace(worker)
            return [None] * len(batch)
        self._idle.put(worker)
        return [r if isinstance(r, Grade) else None for r in results]

    async def grade_async(self, batch: Sequence[GradeRequest]) -> list[Grade | None]:
        """Grade off the event loop: the loop keeps serving while a worker computes."""
        return await asyncio.to_thread(self.grade, batch)

    def warm(self) -> None:
        """Start every worker now and wait until they are ready, so no learner waits."""
        taken = [self._take() for _ in range(self._size)]
        for worker in taken:
            if worker is not None:  # a worker that failed to start left its slot already
                self._idle.put(worker)

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.kill()

    def _take(self) -> _Worker | None:
        """Take an idle worker, started and ready (None if none could start)."""
        worker = self._idle.get()
        try:
            if worker is None or not worker.alive():
                if worker is not None:
                    self._discard(worker)
                worker = self._start()
            if worker.wait_ready(self.startup_limit):
                return worker
        except BaseException:
            self._idle.put(None)
            raise
        if not self._closed:  # closing the pool stops workers that are still starting
            log.error("a grading worker did not start within %.0f s", self.startup_limit)
        self._discard(worker)
        self._idle.put(None)
        return None

    def _start(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise RuntimeError("the grading pool is closed")
            worker = _Worker(self.memory_limit)
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start its successor now, so it is ready for the next batch."""
        self._discard(worker)
        try:
            self._idle.put(self._start())
        except RuntimeError:
            self._idle.put(None)

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()
