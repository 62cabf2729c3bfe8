"""Optimise a course's FSRS weights from its review logs (opt-in), with fsrs-rs-python.

Each card's history is its graded reviews in order, (time, rating 1-4). The optimiser reads
them as FSRS items (days between reviews; every prefix that ends on a review days after
the one before), as fsrs-rs expects. It runs only with enough evidence: at least
``MIN_REVIEWS`` reviews a day or more after the card's previous one (reviews within a day
say little about long-term memory) on at least ``MIN_CARDS`` cards; otherwise the default
weights stay. The optimiser (Rust, no deep-learning framework) is seeded, so the same
logs give the same weights. No I/O.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from bot.learning.memory import PARAMETER_COUNT

__all__ = ["MIN_CARDS", "MIN_REVIEWS", "MemoryFit", "fit_memory", "long_term_reviews"]

MIN_REVIEWS: Final = 1000
MIN_CARDS: Final = 50
SECONDS_PER_DAY: Final = 86_400.0

History = Sequence[tuple[datetime, int]]


@dataclass(frozen=True)
class MemoryFit:
    """A course's optimised weights (None: too little data, keep the defaults)."""

    parameters: tuple[float, ...] | None
    reviews: int  # reviews a day or more after the card's previous review
    cards: int  # cards with at least one such review

    @property
    def fitted(self) -> bool:
        """Tell whether weights were optimised."""
        return self.parameters is not None


def _days(history: History) -> list[tuple[int, int]]:
    """Return (rating, whole days since the previous review) for each review, in order."""
    out: list[tuple[int, int]] = []
    previous: datetime | None = None
    for moment, rating in history:
        if not 1 <= rating <= 4:
            raise ValueError(f"rating must be 1..4, got {rating!r}")
        elapsed = 0 if previous is None else (moment - previous).total_seconds()
        if elapsed < 0:
            raise ValueError("a card's reviews must be in time order")
        out.append((rating, math.floor(elapsed / SECONDS_PER_DAY)))
        previous = moment
    return out


def long_term_reviews(histories: Iterable[History]) -> tuple[int, int]:
    """Count reviews a day or more after the previous one, and the cards that have one."""
    reviews = cards = 0
    for history in histories:
        count = sum(1 for _, days in _days(history)[1:] if days > 0)
        reviews += count
        cards += count > 0
    return reviews, cards


def fit_memory(
    histories: Sequence[History],
    *,
    min_reviews: int = MIN_REVIEWS,
    min_cards: int = MIN_CARDS,
) -> MemoryFit:
    """Optimise FSRS weights on these card histories, when there are enough."""
    reviews, cards = long_term_reviews(histories)
    if reviews < min_reviews or cards < min_cards:
        return MemoryFit(None, reviews, cards)
    from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS, FSRSItem, FSRSReview

    items = []
    for history in histories:
        steps: list[FSRSReview] = []
        for rating, days in _days(history):
            steps.append(FSRSReview(rating, days))
            item = FSRSItem(list(steps))
            if item.long_term_review_cnt() > 0:
                items.append(item)
    weights = FSRS(DEFAULT_PARAMETERS).compute_parameters(items, enable_short_term=False)
    parameters = tuple(float(w) for w in weights)
    if len(parameters) != PARAMETER_COUNT or not all(map(math.isfinite, parameters)):
        return MemoryFit(None, reviews, cards)
    return MemoryFit(parameters, reviews, cards)
