"""Optimising a course's FSRS weights: only from enough reviews days apart, deterministic."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pytest
from fsrs_rs_python import DEFAULT_PARAMETERS

from bot.learning.memory import PARAMETER_COUNT
from bot.learning.memory_fitting import (
    MIN_CARDS,
    MIN_REVIEWS,
    fit_memory,
    long_term_reviews,
)

T0 = datetime(2026, 1, 5, 18, 0, tzinfo=UTC)


def histories(cards: int, reviews: int, seed: int) -> list[list[tuple[datetime, int]]]:
    """Cards reviewed at growing intervals; recall fades with the gap (a forgetting curve)."""
    rng = random.Random(seed)
    out = []
    for _ in range(cards):
        stability = rng.uniform(1.0, 4.0)
        at, gap = T0 + timedelta(minutes=rng.randint(0, 600)), 1.0
        history = [(at, 3)]
        for _ in range(reviews):
            at += timedelta(days=gap, minutes=rng.randint(0, 120))
            recalled = rng.random() < math.exp(-gap / stability)
            rating = (4 if rng.random() < 0.2 else 3) if recalled else 1
            history.append((at, rating))
            stability = stability * 2.2 if recalled else max(1.0, stability / 2)
            gap = max(1.0, round(stability))
        out.append(history)
    return out


def test_reviews_within_a_day_do_not_count() -> None:
    same_day = [(T0, 3), (T0 + timedelta(hours=3), 3), (T0 + timedelta(days=2), 1)]
    assert long_term_reviews([same_day, [(T0, 3)]]) == (1, 1)


def test_too_few_reviews_keep_the_default_weights() -> None:
    small = histories(cards=MIN_CARDS, reviews=3, seed=1)
    fit = fit_memory(small)
    assert not fit.fitted and fit.parameters is None
    assert fit.reviews == MIN_CARDS * 3 < MIN_REVIEWS
    assert fit.cards == MIN_CARDS


def test_enough_reviews_give_finite_weights_the_same_every_time() -> None:
    logs = histories(cards=200, reviews=7, seed=2)
    fit = fit_memory(logs)
    assert fit.fitted and fit.parameters is not None
    assert fit.reviews >= MIN_REVIEWS and fit.cards == 200
    assert len(fit.parameters) == PARAMETER_COUNT
    assert all(math.isfinite(w) for w in fit.parameters)
    assert fit_memory(logs) == fit
    assert fit.parameters != pytest.approx(tuple(DEFAULT_PARAMETERS))


def test_bad_histories_are_refused() -> None:
    with pytest.raises(ValueError):
        long_term_reviews([[(T0, 5)]])
    with pytest.raises(ValueError):
        long_term_reviews([[(T0, 3), (T0 - timedelta(days=1), 3)]])
