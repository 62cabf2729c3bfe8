"""The review bench's second truth follows the fsrs package's own FSRS-6 rules."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler, State

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from fsrs_truth import FsrsMemory, FsrsPair, fsrs_population

START = datetime(2026, 3, 2, tzinfo=UTC)


@pytest.mark.parametrize("recalled", [True, False])
@pytest.mark.parametrize(("stability", "difficulty", "elapsed"), [(3.0, 6.0, 5), (40.0, 2.5, 30)])
def test_a_review_moves_memory_as_the_fsrs_scheduler_does(
    recalled: bool, stability: float, difficulty: float, elapsed: int
) -> None:
    scheduler = Scheduler(enable_fuzzing=False, learning_steps=(), relearning_steps=())
    card = Card(
        state=State.Review,
        stability=stability,
        difficulty=difficulty,
        due=START,
        last_review=START - timedelta(days=elapsed),
    )
    expected = scheduler.get_card_retrievability(card, START)
    after, _ = scheduler.review_card(card, Rating.Good if recalled else Rating.Again, START)

    memory = FsrsMemory(FsrsPair(stability, difficulty))
    recall = memory.recall(elapsed)
    memory.review(recalled, recall)

    assert recall == pytest.approx(expected)
    assert memory.stability == pytest.approx(after.stability)
    assert memory.difficulty == pytest.approx(after.difficulty)


def test_interval_is_where_recall_reaches_the_target() -> None:
    memory = FsrsMemory(FsrsPair(12.0, 5.0))
    assert memory.recall(memory.interval(0.9)) == pytest.approx(0.9)
    assert memory.interval(0.9) == pytest.approx(12.0)
    assert memory.interval(0.95) < memory.interval(0.9)


def test_population_is_reproducible_and_in_range() -> None:
    pairs = fsrs_population(20, 10, seed=3)
    assert pairs == fsrs_population(20, 10, seed=3)
    assert len(pairs) == 200
    assert all(1.0 <= p.difficulty <= 10.0 and p.s0 > 0 for p in pairs)
    assert len({round(p.difficulty, 6) for p in pairs}) > 100
