"""FSRS memory: rating map, interval growth and ordering, serialisation, clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fsrs import Card, Rating

from bot.learning.memory import (
    MemoryState,
    memory_from_card,
    new_memory,
    rating_for,
    retrievability,
    review,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _graduated() -> MemoryState:
    """Return a card first solved with Good (no same-day steps: due 2 days later)."""
    return review(None, Rating.Good, T0)


def test_rating_map_reaches_all_four_grades() -> None:
    assert rating_for(False, 0, 1, 10.0) is Rating.Again
    assert rating_for(False, 3, 4, None) is Rating.Again
    assert rating_for(True, 1, 1, 10.0) is Rating.Hard
    assert rating_for(True, 0, 3, 30.0) is Rating.Hard
    assert rating_for(True, 0, 1, 121.0) is Rating.Hard
    assert rating_for(True, 0, 1, 20.0) is Rating.Easy
    assert rating_for(True, 0, 1, 21.0) is Rating.Good
    assert rating_for(True, 0, 1, None) is Rating.Good
    assert rating_for(True, 0, 2, 10.0) is Rating.Good
    assert rating_for(True, 0, 1, 120.0) is Rating.Good


def test_rating_map_refuses_impossible_outcomes() -> None:
    with pytest.raises(ValueError):
        rating_for(True, 0, 0, 5.0)
    with pytest.raises(ValueError):
        rating_for(True, -1, 1, 5.0)


def test_new_memory_is_due_now_and_unreviewed() -> None:
    memory = new_memory(T0)
    assert memory.due == T0
    assert memory.last_review is None
    assert memory.card["card_id"] == 1772442000000
    assert retrievability(memory, T0) == 0.0
    assert retrievability(None, T0) == 0.0


def test_intervals_grow_across_successive_good_reviews() -> None:
    memory = review(None, Rating.Good, T0)
    now = T0
    intervals = []
    for _ in range(6):
        intervals.append(memory.due - now)
        now = memory.due
        memory = review(memory, Rating.Good, now)
    # no same-day learning steps: FSRS-6 default weights at retention 0.9 from the first solve
    assert intervals == [
        timedelta(days=2),
        timedelta(days=11),
        timedelta(days=46),
        timedelta(days=163),
        timedelta(days=497),
        timedelta(days=1346),
    ]


def test_next_interval_orders_easy_good_hard_again() -> None:
    base = _graduated()
    at = base.due
    nxt = {r: review(base, r, at).due - at for r in Rating}
    assert nxt[Rating.Again] == timedelta(days=1)  # no relearning step: back tomorrow
    assert nxt[Rating.Hard] == timedelta(days=8)
    assert nxt[Rating.Good] == timedelta(days=11)
    assert nxt[Rating.Easy] == timedelta(days=19)


def test_a_lapse_shrinks_the_next_interval() -> None:
    base = _graduated()
    good = review(base, Rating.Good, base.due)
    lapsed = review(base, Rating.Again, base.due)
    relearned = review(lapsed, Rating.Good, lapsed.due)
    assert relearned.last_review is not None and good.last_review is not None
    assert relearned.due - relearned.last_review == timedelta(days=2)
    assert good.due - good.last_review == timedelta(days=11)
    assert lapsed.card["stability"] < base.card["stability"] < good.card["stability"]


def test_retrievability_decays_from_one() -> None:
    base = _graduated()
    assert base.last_review is not None
    assert retrievability(base, base.last_review) == 1.0
    assert retrievability(base, base.due) == pytest.approx(0.909493, abs=1e-6)
    assert retrievability(base, base.due + timedelta(days=30)) < 0.7


def test_round_trip_through_card_dict() -> None:
    base = _graduated()
    restored = memory_from_card(Card.from_dict(base.card).to_dict())  # type: ignore[arg-type]
    assert restored == base
    assert review(restored, Rating.Good, base.due) == review(base, Rating.Good, base.due)


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 3, 2, 9, 0)  # noqa: DTZ001
    with pytest.raises(ValueError):
        new_memory(naive)
    with pytest.raises(ValueError):
        review(None, Rating.Good, naive)
    with pytest.raises(ValueError):
        retrievability(_graduated(), naive)


def test_aware_non_utc_clocks_are_converted_to_utc() -> None:
    paris = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    memory = review(None, Rating.Good, paris)
    assert memory.last_review == T0
    assert memory.due == T0 + timedelta(days=2)
    assert memory.due.tzinfo is UTC


def test_optimised_weights_change_the_schedule_and_defaults_stay_the_default() -> None:
    from fsrs import Scheduler

    defaults = tuple(Scheduler().parameters)
    assert review(None, Rating.Good, T0, parameters=defaults) == review(None, Rating.Good, T0)
    # A course whose learners keep things longer: a larger initial stability for Good.
    longer = (defaults[0], defaults[1], defaults[2] * 3, *defaults[3:])
    assert review(None, Rating.Good, T0, parameters=longer).due > _graduated().due
    memory = _graduated()
    later = memory.due + timedelta(days=5)
    steeper = (*defaults[:20], 0.5)  # a faster-falling forgetting curve (FSRS-6 decay)
    assert retrievability(memory, later, parameters=steeper) < retrievability(memory, later)
    with pytest.raises(ValueError):
        review(None, Rating.Good, T0, parameters=defaults[:10])
