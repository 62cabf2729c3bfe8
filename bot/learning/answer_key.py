"""The answer key of one exercise and the verdict on one reply: small, frozen, picklable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

__all__ = ["MAX_REPLY_CHARS", "UNCHECKED", "AnswerKey", "Grade", "within_tolerance"]

MAX_REPLY_CHARS: Final = 2000  # what grading reads of a reply: one chat message


@dataclass(frozen=True)
class AnswerKey:
    """How to recognise a correct answer to one exercise."""

    checker: Literal["exact", "numeric", "expression", "choice", "pattern"]
    answer: str
    accept: tuple[str, ...] = ()
    tolerance: float = 0.0
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    language: str = "en"  # the course language: its hedge, negation and number words
    strict_accents: bool = False  # an answer that differs only in accents is then wrong
    # The words around the prompt's gap ("forgot ___ books"): a reply that writes them out
    # is graded on what it puts in the gap (see ``gaps``).
    gap: str | None = None


def within_tolerance(difference: float, tolerance: float, percent: bool) -> bool:
    """Whether a value this far from the key's is within the key's ``tolerance``.

    A tolerance counts in the answer's own figures: for a percent answer ("25%", read as
    0.25) it is in percentage points, so 0.1 allows 24.9% to 25.1%.
    """
    scale = 100.0 if percent else 1.0
    return tolerance > 0 and abs(difference) * scale <= tolerance * (1 + 1e-9)


@dataclass(frozen=True)
class Grade:
    """The verdict on one reply."""

    correct: bool
    candidate: str | None
    hedged: bool = False
    unchecked: bool = False  # grading gave up (too slow or too big): no verdict either way
    accent_only: bool = False  # the right answer but for its accents: say "mind the accent"
    # An equation the answer satisfies but that is not solved yet ("2x = 8" on the way to
    # "x = 4"), as the learner wrote it: right so far, not a wrong answer.
    step: str | None = None
    rounded: bool = False  # the right value rounded ("0.58" for 7/12): ask for it exactly
    typed_power: bool = False  # right once "x2" is read as x^2: say how powers are written
    other_unit: bool = False  # the answer's number in another unit ("50 mph" for 50 km/h)
    # The answer's value in another form: "1:4" (a ratio) for 1/4, "3" for the ratio 3:1.
    # Names the form the key wants: "ratio" or "number"; None when the form is not at issue.
    wants_form: Literal["ratio", "number"] | None = None


UNCHECKED: Final = Grade(False, None, unchecked=True)
