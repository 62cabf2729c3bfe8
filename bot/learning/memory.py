"""FSRS memory of one item: grade an outcome, review the card, read its retrievability.

The scheduler is ``fsrs.Scheduler`` with no same-day learning steps and fuzzing off, so
the same history always gives the same schedule. Its weights are FSRS-6's defaults, or a
course's weights optimised from its own review logs when the caller passes them
(``parameters``, see ``bot.learning.memory_fitting``). Cards travel as ``Card.to_dict()``
dicts, the shape stored in ``review_cards.card``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Final

from fsrs import Card, Rating, Scheduler

__all__ = [
    "PARAMETER_COUNT",
    "MemoryState",
    "memory_from_card",
    "new_memory",
    "rating_for",
    "retrievability",
    "review",
]

EASY_SECONDS: Final = 20.0  # a first-try, hint-free solve at most this fast is Easy
SLOW_SECONDS: Final = 120.0  # a solve slower than this is Hard
HARD_ATTEMPTS: Final = 3  # a solve on this attempt or later is Hard
PARAMETER_COUNT: Final = len(Scheduler().parameters)  # FSRS-6: 21 weights


def _utc(moment: datetime, name: str = "now") -> datetime:
    """Return moment in UTC; raise ValueError when it is naive."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (UTC), got naive {moment!r}")
    return moment.astimezone(UTC)


def _scheduler(desired_retention: float, parameters: Sequence[float] | None = None) -> Scheduler:
    """Return the shared deterministic scheduler for one desired retention and weights."""
    if not 0.0 < desired_retention < 1.0:
        raise ValueError(f"desired_retention must be in (0, 1), got {desired_retention!r}")
    weights = None if parameters is None else tuple(float(w) for w in parameters)
    if weights is not None and len(weights) != PARAMETER_COUNT:
        raise ValueError(f"FSRS needs {PARAMETER_COUNT} parameters, got {len(weights)}")
    return _cached_scheduler(desired_retention, weights)


@lru_cache(maxsize=64)
def _cached_scheduler(desired_retention: float, weights: tuple[float, ...] | None) -> Scheduler:
    """Build a scheduler once per retention and weights."""
    # Reviews arrive as prompts days apart, never minutes: no same-day learning steps,
    # so a first solve is scheduled straight into review by its interval.
    if weights is None:
        return Scheduler(
            desired_retention=desired_retention,
            learning_steps=(),
            relearning_steps=(),
            enable_fuzzing=False,
        )
    return Scheduler(
        parameters=weights,
        desired_retention=desired_retention,
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=False,
    )


def rating_for(solved: bool, hint_rung: int, attempts: int, seconds: float | None) -> Rating:
    """Grade one outcome: Again unsolved, Hard laboured, Easy quick and clean, else Good.

    ``attempts`` counts answers given, the solving one included (1 = first try);
    ``seconds`` is the time to solve, or None when unknown (never Easy then).
    """
    if hint_rung < 0 or attempts < 0 or (seconds is not None and seconds < 0):
        raise ValueError("hint_rung, attempts and seconds must not be negative")
    if not solved:
        return Rating.Again
    if attempts < 1:
        raise ValueError("a solved item needs at least one attempt")
    slow = seconds is not None and seconds > SLOW_SECONDS
    if hint_rung > 0 or attempts >= HARD_ATTEMPTS or slow:
        return Rating.Hard
    if attempts == 1 and seconds is not None and seconds <= EASY_SECONDS:
        return Rating.Easy
    return Rating.Good


@dataclass(frozen=True)
class MemoryState:
    """One item's FSRS card (as a dict) with its due time and last review."""

    card: dict[str, Any]
    due: datetime
    last_review: datetime | None

    def __post_init__(self) -> None:
        """Refuse naive datetimes."""
        _utc(self.due, "due")
        if self.last_review is not None:
            _utc(self.last_review, "last_review")


def _from_card(card: Card) -> MemoryState:
    """Wrap an fsrs card."""
    return MemoryState(card=dict(card.to_dict()), due=card.due, last_review=card.last_review)


def _to_card(memory: MemoryState) -> Card:
    """Rebuild the fsrs card of a memory."""
    return Card.from_dict(memory.card)  # type: ignore[arg-type]


def memory_from_card(card: Mapping[str, Any]) -> MemoryState:
    """Rebuild a memory from a stored ``Card.to_dict()`` dict."""
    restored = Card.from_dict(dict(card))  # type: ignore[arg-type]
    _utc(restored.due, "card due")
    return _from_card(restored)


def new_memory(now: datetime) -> MemoryState:
    """Return a fresh, never-reviewed card due now.

    The card id is ``now`` in epoch milliseconds (fsrs would read the wall clock instead);
    it only labels the card, the store keeps its own row id.
    """
    moment = _utc(now)
    card = Card(card_id=int(moment.timestamp() * 1000), due=moment)
    return _from_card(card)


def review(
    memory: MemoryState | None,
    rating: Rating,
    now: datetime,
    desired_retention: float = 0.9,
    parameters: Sequence[float] | None = None,
) -> MemoryState:
    """Return the memory after one review at ``now``; a missing memory starts a new card.

    ``parameters``: the course's optimised FSRS weights, or None for the defaults.
    """
    moment = _utc(now)
    current = memory if memory is not None else new_memory(moment)
    card, _log = _scheduler(desired_retention, parameters).review_card(
        _to_card(current), rating, review_datetime=moment
    )
    return _from_card(card)


def retrievability(
    memory: MemoryState | None,
    now: datetime,
    desired_retention: float = 0.9,
    parameters: Sequence[float] | None = None,
) -> float:
    """Return the predicted probability of recall at ``now`` (0 before any review)."""
    moment = _utc(now)
    if memory is None:
        return 0.0
    scheduler = _scheduler(desired_retention, parameters)
    return float(scheduler.get_card_retrievability(_to_card(memory), moment))
