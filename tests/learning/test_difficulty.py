"""Item difficulty: Elo updates, recovery from simulated attempts, aiming at 70-85 %."""

from __future__ import annotations

import math
import random
import statistics

import pytest

from bot.learning.difficulty import (
    MIN_ITEM_ATTEMPTS,
    Estimate,
    authored_difficulty,
    elo_update,
    estimate_difficulty,
    item_offsets,
    rank_for_target,
    step_size,
    success_chance,
)


def test_success_chance_is_the_logistic_of_the_gap() -> None:
    assert success_chance(0.0, 0.0) == 0.5
    assert success_chance(1.0, 0.0) == pytest.approx(1 / (1 + math.exp(-1)))
    assert success_chance(0.0, 1.0) == pytest.approx(1 - success_chance(1.0, 0.0))
    assert success_chance(0.0, 1000.0) == 0.0  # no overflow either way
    assert success_chance(1000.0, 0.0) == 1.0


def test_step_size_shrinks_as_an_estimate_sees_more_attempts() -> None:
    assert step_size(0) == 1.0
    assert step_size(20) == pytest.approx(0.5)
    assert step_size(100) < step_size(10) < step_size(0)
    with pytest.raises(ValueError):
        step_size(-1)


def test_a_success_raises_ability_and_lowers_difficulty_by_the_surprise() -> None:
    # p = 0.5; surprise = 1 - 0.5; K(0) = 1 for the learner, K(20) = 0.5 for the item
    assert elo_update(0.0, 0.0, 1.0, 0, 20) == pytest.approx((0.5, -0.25))
    # a miss moves both the other way
    assert elo_update(0.0, 0.0, 0.0, 0, 20) == pytest.approx((-0.5, 0.25))
    # partial credit equal to the prediction moves nothing
    assert elo_update(0.0, 0.0, 0.5, 3, 3) == pytest.approx((0.0, 0.0))


@pytest.mark.parametrize("credit", [-0.5, 1.01, math.nan])
def test_a_credit_outside_zero_to_one_is_refused(credit: float) -> None:
    with pytest.raises(ValueError, match="credit"):
        elo_update(0.0, 0.0, credit, 0, 0)
    with pytest.raises(ValueError, match="credit"):
        estimate_difficulty([("ana", "q1", credit)])


def test_replay_counts_attempts_and_observed_success() -> None:
    ratings = estimate_difficulty(
        [("ana", "q1", 1.0), ("ben", "q1", 0.0), ("ana", "q2", 0.4)],
        initial={"q2": 1.0},
    )
    ana, q1, q2 = ratings.abilities["ana"], ratings.difficulties["q1"], ratings.difficulties["q2"]
    assert (ana.attempts, ana.mean_credit) == (2, pytest.approx(0.7))
    assert (q1.attempts, q1.mean_credit) == (2, 0.5)
    # ben meets q1 at -0.5 after ana's success: p = sigma(0.5), a miss, K(0) = 1
    assert ratings.abilities["ben"] == Estimate(-success_chance(0.0, -0.5), 1, 0.0)
    # q1: ana's success (p 0.5, K 1) takes it to -0.5, ben's miss (p sigma(0.5)) back up
    assert q1.value == pytest.approx(-0.5 + step_size(1) * success_chance(0.0, -0.5))
    # q2 starts from its initial difficulty 1.0, ana's ability 0.5 then: p = sigma(-0.5)
    assert q2.value == pytest.approx(1.0 - (0.4 - success_chance(0.5, 1.0)))


def test_recovers_item_difficulties_from_simulated_learners() -> None:
    rng = random.Random(23)
    truth = {f"item-{i}": rng.gauss(0.0, 1.2) for i in range(30)}
    abilities = [rng.gauss(0.0, 1.0) for _ in range(300)]
    records = []
    for _ in range(12):  # rounds of practice, every learner on random items each round
        for learner, ability in enumerate(abilities):
            item = rng.choice(list(truth))
            solved = rng.random() < success_chance(ability, truth[item])
            records.append((learner, item, float(solved)))
    ratings = estimate_difficulty(records)
    items = sorted(truth)
    estimated = [ratings.difficulties[i].value for i in items]
    assert statistics.correlation(estimated, [truth[i] for i in items]) > 0.9
    learners = sorted(ratings.abilities, key=lambda k: int(str(k)))
    assert (
        statistics.correlation(
            [ratings.abilities[k].value for k in learners],
            [abilities[int(str(k))] for k in learners],
        )
        > 0.6
    )
    easiest, hardest = min(truth, key=truth.__getitem__), max(truth, key=truth.__getitem__)
    assert ratings.difficulties[easiest].value < ratings.difficulties[hardest].value


def test_ranks_items_inside_the_band_first_nearest_its_middle() -> None:
    difficulties = {"hard": 2.0, "stretch": 0.0, "good": -1.2, "easier": -1.5, "trivial": -3.0}
    # chances at ability 0: 0.12, 0.50, 0.77, 0.82, 0.95; the band is 0.70 to 0.85
    assert rank_for_target(0.0, difficulties) == ["good", "easier", "trivial", "stretch", "hard"]
    # a stronger learner needs harder items: at ability 1.5, "stretch" (0.82) is in band
    assert rank_for_target(1.5, difficulties)[0] == "stretch"


def test_ranking_keeps_the_given_order_on_ties_and_accepts_any_band() -> None:
    assert rank_for_target(0.0, {"b": 0.0, "a": 0.0}) == ["b", "a"]
    assert rank_for_target(0.0, {"x": 0.0, "y": -2.0}, band=(0.45, 0.55)) == ["x", "y"]
    assert rank_for_target(0.0, {}) == []
    with pytest.raises(ValueError):
        rank_for_target(0.0, {"x": 0.0}, band=(0.9, 0.7))
    with pytest.raises(ValueError):
        rank_for_target(0.0, {"x": 0.0}, band=(0.0, 1.0))


def test_authored_levels_start_on_the_logit_scale() -> None:
    assert [authored_difficulty(level) for level in range(1, 6)] == pytest.approx(
        [-0.4, 0.0, 0.4, 0.8, 1.2]
    )
    with pytest.raises(ValueError):
        authored_difficulty(0)


def test_offsets_are_relative_to_the_skills_items_once_one_is_rated() -> None:
    levels = {"a": 2, "b": 2, "c": 4}
    assert item_offsets(levels, {}) is None
    few = {"c": Estimate(3.0, MIN_ITEM_ATTEMPTS - 1, 0.1)}
    assert item_offsets(levels, few) is None  # too few attempts: the authored levels decide
    rated = {"c": Estimate(2.0, MIN_ITEM_ATTEMPTS, 0.2)}
    offsets = item_offsets(levels, rated)
    assert offsets is not None
    # values a=0, b=0 (authored), c=2 (rated): mean 2/3
    assert offsets == pytest.approx({"a": -2 / 3, "b": -2 / 3, "c": 4 / 3})
    assert sum(offsets.values()) == pytest.approx(0.0)
