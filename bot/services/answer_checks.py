"""Grade expensive answers before the unit of work, so the database thread never waits on them.

A learner's turn first runs as a unit of work that stops, before writing anything, when
the reply needs an isolated check (algebra or an authored regex) that has not been done.
The tutor then grades those off the event loop in the grading pool, with its time limit,
and runs the unit again with the grades in hand. Cheap checkers grade inline.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.learning.grading import UNCHECKED, AnswerKey, Grade, Grader, grade_answer
from bot.learning.grading_pool import DEFAULT_TIME_LIMIT, GradeRequest, GradingPool, needs_isolation

__all__ = ["AnswerChecks", "GradingNeeded"]


@dataclass(frozen=True)
class GradingNeeded:
    """What a unit of work returns instead of replies when it needs isolated grades first."""

    requests: tuple[GradeRequest, ...]


class AnswerChecks:
    """Isolated grading for the tutor: known grades inline, the rest in the grading pool."""

    def __init__(self, pool: GradingPool | None = None, time_limit: float = DEFAULT_TIME_LIMIT):
        self._pool = pool
        self._time_limit = time_limit
        self._owned = pool is None

    @property
    def pool(self) -> GradingPool:
        """The grading pool, started on first use when none was given."""
        if self._pool is None:
            self._pool = GradingPool(self._time_limit)
            weakref.finalize(self, self._pool.close)
        return self._pool

    def missing(
        self, keys: Iterable[AnswerKey], text: str, known: Mapping[GradeRequest, Grade]
    ) -> GradingNeeded | None:
        """Return the isolated checks of ``text`` not yet in ``known`` (None if there are none)."""
        requests = tuple(
            dict.fromkeys((k, text) for k in keys if needs_isolation(k) and (k, text) not in known)
        )
        return GradingNeeded(requests) if requests else None

    def grader(self, known: Mapping[GradeRequest, Grade]) -> Grader:
        """Return a grader for use inside a unit of work: known grades first."""

        def grade(key: AnswerKey, text: str) -> Grade:
            found = known.get((key, text))
            if found is not None:
                return found
            if not needs_isolation(key):
                return grade_answer(key, text)
            # Not foreseen by `missing`: still isolated and bounded, if not off the thread.
            return self.pool.grade([(key, text)])[0] or UNCHECKED

        return grade

    async def check(self, needed: GradingNeeded) -> dict[GradeRequest, Grade]:
        """Grade the requests in the pool; those that ran out of time come back unchecked."""
        results = await self.pool.grade_async(needed.requests)
        return {
            request: grade or UNCHECKED
            for request, grade in zip(needed.requests, results, strict=True)
        }

    def close(self) -> None:
        """Stop the pool if this object started it."""
        if self._owned and self._pool is not None:
            self._pool.close()
