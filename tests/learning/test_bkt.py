"""Bayesian Knowledge Tracing: hand-computed updates, credit, mastery speed."""

from __future__ import annotations

from itertools import pairwise

import pytest

from bot.content.models import BktParams
from bot.learning.bkt import (
    MASTERY_THRESHOLD,
    evidence_credit,
    is_mastered,
    predicted_success,
    update,
)

PARAMS = BktParams(prior=0.2, learn=0.2, slip=0.1, guess=0.2)


def test_clean_solve_matches_hand_computation() -> None:
    # correct posterior = 0.2*0.9 / (0.2*0.9 + 0.8*0.2) = 0.18 / 0.34 = 0.529412
    # p' = 0.529412 + 0.470588*0.2 = 0.623529
    assert update(0.2, 1.0, PARAMS) == pytest.approx(0.18 / 0.34 + (1 - 0.18 / 0.34) * 0.2)
    assert update(0.2, 1.0, PARAMS) == pytest.approx(0.623529, abs=1e-6)


def test_miss_matches_hand_computation() -> None:
    # incorrect posterior = 0.5*0.1 / (0.5*0.1 + 0.5*0.8) = 0.05 / 0.45 = 0.111111
    # p' = 0.111111 + 0.888889*0.2 = 0.288889
    assert update(0.5, 0.0, PARAMS) == pytest.approx(0.288889, abs=1e-6)


def test_partial_credit_mixes_the_two_posteriors() -> None:
    # from p = 0.5: correct posterior = 0.45 / (0.45 + 0.1) = 0.818182,
    # incorrect posterior = 0.111111; credit 0.4 mixes them:
    # 0.4*0.818182 + 0.6*0.111111 = 0.393939, then + 0.606061*0.2 = 0.515152
    assert update(0.5, 0.4, PARAMS) == pytest.approx(0.515152, abs=1e-6)


def test_predicted_success_matches_formula() -> None:
    # 0.6*0.9 + 0.4*0.2 = 0.54 + 0.08 = 0.62
    assert predicted_success(0.6, PARAMS) == pytest.approx(0.62)


def test_credit_by_rung() -> None:
    assert [evidence_credit(True, rung) for rung in range(4)] == [1.0, 0.7, 0.4, 0.1]
    assert evidence_credit(False, 0) == 0.0
    assert evidence_credit(True, 0, skipped=True) == 0.0


def test_credit_is_monotone_non_increasing_in_rung() -> None:
    credits = [evidence_credit(True, rung) for rung in range(4)]
    assert all(a >= b for a, b in pairwise(credits))
    updates = [update(0.4, credit, PARAMS) for credit in credits]
    assert all(a > b for a, b in pairwise(updates))


def test_bad_rung_is_refused() -> None:
    with pytest.raises(ValueError):
        evidence_credit(True, 4)
    with pytest.raises(ValueError):
        evidence_credit(True, -1)


def test_three_clean_solves_reach_mastery_and_two_do_not() -> None:
    # 1: 0.18 / 0.34 = 0.529412, + 0.470588*0.2 -> 0.623529
    # 2: 0.561176 / (0.561176 + 0.075294) = 0.881701, + 0.118299*0.2 -> 0.905360
    # 3: 0.814824 / (0.814824 + 0.018928) = 0.977298, + 0.022702*0.2 -> 0.981838
    p = PARAMS.prior
    trail = []
    for _ in range(3):
        p = update(p, 1.0, PARAMS)
        trail.append(p)
    assert trail == pytest.approx([0.623529, 0.905360, 0.981838], abs=1e-6)
    assert not is_mastered(trail[1])
    assert is_mastered(trail[2])
    assert MASTERY_THRESHOLD == 0.95


def test_a_miss_lowers_p_known() -> None:
    for p in (0.3, 0.6, 0.9):
        assert update(p, 0.0, PARAMS) < p


def test_result_is_clamped() -> None:
    assert update(1.0, 1.0, PARAMS) == 0.9999
    sticky = BktParams(prior=0.2, learn=0.0001, slip=0.5, guess=0.0)
    assert update(0.0, 0.0, sticky) >= 0.0001


def test_any_object_with_the_four_attributes_works() -> None:
    class Plain:
        prior = 0.2
        learn = 0.2
        slip = 0.1
        guess = 0.2

    assert update(0.2, 1.0, Plain()) == update(0.2, 1.0, PARAMS)
    assert not is_mastered(0.9499)
    assert is_mastered(0.9, threshold=0.9)
