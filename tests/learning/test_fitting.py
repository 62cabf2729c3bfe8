"""BKT fitting: parameter recovery from simulated learners, data thresholds, bounds, credit."""

from __future__ import annotations

import math
import random
from dataclasses import astuple

import pytest

from bot.content.models import BktParams
from bot.learning.fitting import (
    BOUNDS,
    MIN_LEARNERS,
    MIN_RESPONSES,
    FittedParams,
    SkillFit,
    fit_bkt,
)

AUTHORED = BktParams()
# Heterogeneous skills: (prior, learn, slip, guess).
TRUTH = {
    "fractions": FittedParams(0.20, 0.15, 0.10, 0.20),
    "ratios": FittedParams(0.50, 0.05, 0.05, 0.25),
    "equations": FittedParams(0.10, 0.30, 0.20, 0.10),
    "graphs": FittedParams(0.35, 0.10, 0.15, 0.15),
}
# Largest error seen over 20 seeds of this population (400 learners, 10 to 30 responses
# each per skill) was 0.074 prior, 0.031 learn, 0.011 slip and 0.027 guess.
TOLERANCE = {"prior": 0.08, "learn": 0.05, "slip": 0.03, "guess": 0.04}


def authored(_skill: str) -> BktParams:
    return AUTHORED


def simulate(
    truth: dict[str, FittedParams],
    learners: int,
    lengths: tuple[int, int],
    seed: int,
    draws: int = 1,
) -> list[tuple[int, str, float]]:
    """Return time-ordered records of learners following BKT with the true parameters.

    With ``draws`` > 1 a response's credit is the share of that many Bernoulli draws
    that came out right, so its expectation is still 1 - slip (known) or guess.
    """
    rng = random.Random(seed)
    timed: list[tuple[float, tuple[int, str, float]]] = []
    for skill, p in truth.items():
        for learner in range(learners):
            known = rng.random() < p.prior
            count = rng.randint(*lengths)
            # Interleave learners and skills as a real log would, each stream in order.
            for moment in sorted(rng.random() for _ in range(count)):
                right = 1.0 - p.slip if known else p.guess
                credit = sum(rng.random() < right for _ in range(draws)) / draws
                timed.append((moment, (learner, skill, credit)))
                known = known or rng.random() < p.learn
    return [record for _, record in sorted(timed)]


def errors(fit: SkillFit, truth: FittedParams) -> dict[str, float]:
    return {name: abs(getattr(fit.params, name) - getattr(truth, name)) for name in TOLERANCE}


def assert_sane(params: FittedParams) -> None:
    for name, (low, high) in BOUNDS.items():
        value = getattr(params, name)
        assert math.isfinite(value)
        assert low <= value <= high, (name, value)
    assert params.guess + params.slip < 1.0
    assert params.forget == 0.0


@pytest.fixture(scope="module")
def population() -> list[tuple[int, str, float]]:
    return simulate(TRUTH, learners=400, lengths=(10, 30), seed=11)


def test_recovers_heterogeneous_skills_within_tolerance(
    population: list[tuple[int, str, float]],
) -> None:
    fits = fit_bkt(population, authored)
    assert set(fits) == set(TRUTH)
    for skill, truth in TRUTH.items():
        fit = fits[skill]
        assert fit.fitted
        assert_sane(fit.params)
        off = errors(fit, truth)
        assert all(off[name] <= TOLERANCE[name] for name in TOLERANCE), (skill, fit.params)


def test_reports_the_data_behind_each_fit(population: list[tuple[int, str, float]]) -> None:
    fits = fit_bkt(population, authored)
    for skill in TRUTH:
        mine = [r for r in population if r[1] == skill]
        assert fits[skill].learners == 400
        assert fits[skill].responses == len(mine)
        log_likelihood = fits[skill].log_likelihood
        assert log_likelihood is not None and log_likelihood < 0.0
        assert fits[skill].iterations >= 1


def test_fits_from_the_defaults_and_from_the_truth_reach_the_same_maximum(
    population: list[tuple[int, str, float]],
) -> None:
    # Starting EM at the true parameters instead of the defaults must not find a better
    # likelihood: the default-started fit did not stop in a poorer local optimum.
    from_defaults = fit_bkt(population, authored)
    from_truth = fit_bkt(population, lambda skill: TRUTH[skill])
    for skill in TRUTH:
        a, b = from_defaults[skill].log_likelihood, from_truth[skill].log_likelihood
        assert a is not None and b is not None
        assert a == pytest.approx(b, abs=0.5)


def test_the_result_does_not_depend_on_how_learners_interleave() -> None:
    records = simulate(TRUTH, learners=60, lengths=(5, 12), seed=3)
    by_learner = sorted(records, key=lambda r: (r[1], -r[0]))  # stable: order kept per learner
    interleaved, grouped = fit_bkt(records, authored), fit_bkt(by_learner, authored)
    assert interleaved.keys() == grouped.keys()
    for skill, fit in interleaved.items():
        # Only the order of floating-point sums may differ.
        assert astuple(fit.params) == pytest.approx(astuple(grouped[skill].params), abs=1e-9)
        assert fit.responses == grouped[skill].responses


def test_too_little_data_keeps_the_authored_parameters() -> None:
    rng = random.Random(5)
    few_learners = [(n, "few-learners", 1.0 * (rng.random() < 0.7)) for n in range(19)] * 20
    few_responses = [(n, "few-responses", 1.0 * (rng.random() < 0.7)) for n in range(30)] * 6
    enough = [(n, "enough", 1.0 * (rng.random() < 0.7)) for n in range(20)] * 10
    special = BktParams(prior=0.3, learn=0.1, slip=0.05, guess=0.15)
    fits = fit_bkt(
        few_learners + few_responses + enough,
        lambda skill: special if skill == "few-learners" else AUTHORED,
    )
    assert (MIN_LEARNERS, MIN_RESPONSES) == (20, 200)
    assert fits["few-learners"] == SkillFit(
        FittedParams(0.3, 0.1, 0.05, 0.15), fitted=False, learners=19, responses=380
    )
    assert fits["few-responses"].fitted is False
    assert fits["few-responses"].params == FittedParams(0.2, 0.2, 0.1, 0.2)
    assert (fits["few-responses"].learners, fits["few-responses"].responses) == (30, 180)
    assert fits["enough"].fitted is True
    assert (fits["enough"].learners, fits["enough"].responses) == (20, 200)


def test_thresholds_can_be_set_by_the_caller() -> None:
    records = [(n, "small", float(n % 2)) for n in range(10)] * 3
    assert not fit_bkt(records, authored)["small"].fitted
    assert fit_bkt(records, authored, min_learners=10, min_responses=30)["small"].fitted


def test_no_records_fit_nothing() -> None:
    assert fit_bkt([], authored) == {}


@pytest.mark.parametrize("credit", [1.0, 0.0])
def test_uniform_data_gives_bounded_not_degenerate_parameters(credit: float) -> None:
    records = [(n, "uniform", credit) for n in range(50)] * 8
    fit = fit_bkt(records, authored)["uniform"]
    assert fit.fitted
    assert_sane(fit.params)
    if credit == 1.0:
        # Everyone right from the start: as sure as the bounds allow, and still below the
        # gate before any evidence of one's own.
        assert fit.params.prior == BOUNDS["prior"][1]
        assert fit.params.slip == BOUNDS["slip"][0]
    else:
        assert fit.params.prior == BOUNDS["prior"][0]
        assert fit.params.guess == BOUNDS["guess"][0]


def test_partial_credit_recovers_the_expected_success_rates() -> None:
    truth = {"fractions": TRUTH["fractions"], "equations": TRUTH["equations"]}
    records = simulate(truth, learners=400, lengths=(10, 30), seed=17, draws=3)
    assert {r[2] for r in records} == {0.0, 1 / 3, 2 / 3, 1.0}
    fits = fit_bkt(records, authored)
    for skill, p in truth.items():
        assert_sane(fits[skill].params)
        off = errors(fits[skill], p)
        # A share of draws carries less about the hidden state than one clean response
        # (largest errors over 20 seeds: 0.090 prior, 0.045 learn, 0.016 slip, 0.103 guess).
        assert off["slip"] <= 0.03 and off["learn"] <= 0.06, (skill, fits[skill].params)
        assert off["prior"] <= 0.12 and off["guess"] <= 0.12, (skill, fits[skill].params)


def test_binary_credit_may_be_given_as_bools_or_ints() -> None:
    records = simulate(TRUTH, learners=30, lengths=(8, 10), seed=2)
    as_ints = [(learner, skill, int(credit)) for learner, skill, credit in records]
    as_bools = [(learner, skill, bool(credit)) for learner, skill, credit in records]
    assert fit_bkt(records, authored) == fit_bkt(as_ints, authored) == fit_bkt(as_bools, authored)


@pytest.mark.parametrize("credit", [-0.1, 1.5, math.nan])
def test_a_credit_outside_zero_to_one_is_refused(credit: float) -> None:
    with pytest.raises(ValueError, match="credit"):
        fit_bkt([(1, "s", 1.0), (1, "s", credit)], authored)
