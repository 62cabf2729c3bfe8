"""Style checks that warn without failing: one question per message."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.content.models import AnsweredExercise, Exercise, ReflectionExercise
from bot.errors import ContentProblem

if TYPE_CHECKING:
    from bot.content.loader import Located

# A question ends in "?"; code spans and quoted questions do not count.
_CODE = re.compile(r"`[^`]*`")


def question_count(text: str) -> int:
    """Count the questions a text asks: sentences that end with a question mark."""
    # A "?" just before a closing quote belongs to the quoted words, not to a question.
    return len(re.findall(r"\?+!*(?=\s|$|[)\]])", _CODE.sub("", text)))


def question_warnings(loc: Located, exercise: Exercise) -> list[ContentProblem]:
    """Warn about each text the tutor sends alone that asks more than one question."""
    warnings = []
    for path, text in _sent_alone(exercise):
        count = question_count(text)
        if count > 1:
            warnings.append(
                ContentProblem(
                    loc.path,
                    loc.lines.line_of(path),
                    f"exercise {exercise.id!r}: {'.'.join(map(str, path))} asks {count} "
                    "questions; ask one per message, so the learner knows what to answer",
                    warning=True,
                )
            )
    return warnings


def _sent_alone(exercise: Exercise) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Yield the authored texts that make up a whole message, with their paths."""
    if isinstance(exercise, AnsweredExercise):
        for rung in ("nudge", "specific", "worked"):
            yield ("hints", rung), getattr(exercise.hints, rung)
        for index, misconception in enumerate(exercise.misconceptions):
            yield ("misconceptions", index, "question"), misconception.question
        if exercise.clarification:
            yield ("clarification",), exercise.clarification
        reflection = getattr(exercise, "reflection", None)
        if reflection:
            yield ("reflection",), reflection
    if isinstance(exercise, ReflectionExercise):
        for index, criterion in enumerate(exercise.criteria):
            for probe in criterion.authored_probes():
                yield ("criteria", index), probe
