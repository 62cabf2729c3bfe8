"""Re-tell an opening problem in a context the learner cares about, keeping every number.

The unit that opens an exercise marks its reply with an `Opening` when the learner named
interests and a model can re-tell problems. After the unit, outside any transaction, the
model re-tells the problem's text; the result stands only if it holds exactly the
original's numbers and passes the one answer-leak check, and once the transcript's opening
says so. Anything else keeps the authored problem, and the learner never notices a failure.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from bot.content.catalog import Catalog
from bot.dialogue import problem
from bot.dialogue.state import DialogueState
from bot.learning.number_words import words_to_digits
from bot.llm.numbers import same_numbers
from bot.services.messages import Opening, Reply
from bot.services.practice import ExerciseRunner
from bot.store import dialogues as dialogue_store
from bot.store.db import Database

__all__ = ["REFRAME_TIMEOUT", "Reframer", "Retelling"]

log = logging.getLogger(__name__)

REFRAME_TIMEOUT = 10.0
MAX_GROWTH = 2.0  # a re-told problem may be at most this many times the original's length


class Reframer(Protocol):
    """Anything that re-tells a problem in an interest: a model, a test double."""

    async def reframe(
        self, problem: str, interest: str, *, user_id: int, course_id: str
    ) -> str | None:
        """Return the re-told problem, or None to keep the original."""
        ...


class Retelling:
    """Re-tell the problems openings carry, or leave them as authored."""

    def __init__(
        self,
        database: Database,
        catalog: Callable[[], Catalog],
        runner: ExerciseRunner,
        reframer: Reframer,
        timeout: float = REFRAME_TIMEOUT,
    ) -> None:
        self.database = database
        self.catalog = catalog
        self.runner = runner
        self.reframer = reframer
        self.timeout = timeout

    async def finish(self, reply: Reply) -> Reply:
        """Return ``reply`` with its problem re-told where that is safe, its opening dropped."""
        opening = reply.opening
        if opening is None:
            return reply
        plain = replace(reply, opening=None)
        retold = await self._retold(opening)
        if retold is None or not plain.text.endswith(opening.problem):
            return plain
        try:
            stored = await self.database.run(
                dialogue_store.retell_opening, opening.dialogue_id, opening.problem, retold
            )
        except Exception:
            log.warning("a re-told problem could not be stored; the authored one was sent")
            return plain
        if not stored:
            return plain
        lead = plain.text[: len(plain.text) - len(opening.problem)]
        return replace(plain, text=lead + retold)

    async def _retold(self, opening: Opening) -> str | None:
        """Ask for the re-told problem and keep it only if it is safe to show."""
        try:
            text = await asyncio.wait_for(
                self.reframer.reframe(
                    opening.problem,
                    opening.interest,
                    user_id=opening.user_id,
                    course_id=opening.course_id,
                ),
                timeout=self.timeout,
            )
        except Exception:
            log.warning("re-framing a problem failed; the authored one was sent")
            return None
        if not isinstance(text, str) or not text.strip():
            return None
        text = text.strip()
        if len(text) > MAX_GROWTH * len(opening.problem) + 80:
            return None
        return text if self._safe(opening, text) else None

    def _safe(self, opening: Opening, text: str) -> bool:
        """Tell whether the re-told problem keeps every number and gives nothing away."""
        course = self.catalog().get(opening.course_id)
        exercise = course.exercises.get(opening.exercise_id) if course is not None else None
        if course is None or exercise is None:
            return False
        # Every number kept and none added, in digits or in words: the answer stays the same.
        original = words_to_digits(opening.problem, course.language)
        if not same_numbers(original, words_to_digits(text, course.language)):
            return False
        rendered = self.runner.rendered(course, exercise, dict(opening.variant))
        if rendered is None or problem.guard(rendered, DialogueState(), text) is None:
            log.warning("a re-told problem was dropped: it would reveal the answer")
            return False
        return True
