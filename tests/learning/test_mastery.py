"""A skill's standing: proficient at the gate, mastered after a spaced check, dropped back."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.content.models import BktParams
from bot.learning.mastery import (
    Observation,
    SkillState,
    check_is_due,
    observe,
    placement_cap,
)

PARAMS = BktParams()  # prior 0.2, learn 0.2, slip 0.1, guess 0.2
GATE = 0.95
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def practise(state: SkillState, *credits: float, at: datetime = T0) -> SkillState:
    for credit in credits:
        state = observe(state, Observation(credit, at), PARAMS, GATE).state
    return state


def proficient_at(at: datetime = T0) -> SkillState:
    return SkillState(0.97, "proficient", proficient_at=at)


def test_three_clean_solves_from_the_prior_reach_the_gate_in_practice() -> None:
    two = practise(SkillState(PARAMS.prior), 1.0, 1.0)
    assert two.status == "learning" and two.p_known < GATE
    transition = observe(two, Observation(1.0, T0), PARAMS, GATE)
    assert transition.event == "proficient"
    assert transition.state.status == "proficient"
    assert transition.state.proficient_at == T0
    assert transition.state.mastered_at is None
    assert transition.state.unlocks


def test_every_wrong_attempt_is_evidence() -> None:
    # The same mistake on every first try, then the answer: no longer 98 %.
    state = SkillState(PARAMS.prior)
    for _ in range(6):
        state = practise(state, 0.0, 1.0)
    assert state.status == "learning"
    assert state.p_known < 0.9
    assert practise(SkillState(0.5), 0.0).p_known < 0.5


def test_a_solve_after_hints_keeps_only_its_discounted_credit() -> None:
    clean = practise(SkillState(0.5), 1.0).p_known
    hinted = practise(SkillState(0.5), 0.4).p_known
    missed = practise(SkillState(0.5), 0.0).p_known
    assert missed < hinted < clean


def test_a_clean_review_on_a_later_day_confirms_mastery() -> None:
    later = T0 + timedelta(days=2)
    transition = observe(proficient_at(), Observation(1.0, later, review=True), PARAMS, GATE)
    assert transition.event == "mastered"
    assert transition.state.status == "mastered"
    assert transition.state.mastered_at == later == transition.state.checked_at
    assert transition.state.proficient_at == T0


def test_a_review_the_same_day_is_no_check() -> None:
    same_day = T0 + timedelta(hours=6)
    transition = observe(proficient_at(), Observation(1.0, same_day, review=True), PARAMS, GATE)
    assert transition.event is None
    assert transition.state.status == "proficient"
    assert transition.state.checked_at is None


@pytest.mark.parametrize("credit", [0.0, 0.7])
def test_a_failed_check_drops_the_skill_below_the_gate(credit: float) -> None:
    later = T0 + timedelta(days=3)
    transition = observe(proficient_at(), Observation(credit, later, review=False), PARAMS, GATE)
    assert transition.event == "dropped"
    assert transition.state.status == "learning"
    assert transition.state.p_known < GATE
    assert transition.state.proficient_at is None
    assert transition.state.checked_at == later
    assert not transition.state.unlocks


def test_a_dropped_skill_is_proficient_again_after_practice_and_needs_a_new_check() -> None:
    dropped = observe(
        proficient_at(), Observation(0.0, T0 + timedelta(days=3), review=False), PARAMS, GATE
    ).state
    again_at = T0 + timedelta(days=3, hours=1)
    state = dropped
    for _ in range(5):
        state = practise(state, 1.0, at=again_at)
    assert state.status == "proficient"
    assert state.proficient_at == again_at
    assert state.mastered_at is None


def test_a_review_never_lifts_a_learning_skill_through_the_gate() -> None:
    state = SkillState(0.9)
    for day in range(1, 6):
        at = T0 + timedelta(days=day)
        state = observe(state, Observation(1.0, at, review=True), PARAMS, GATE).state
    assert state.status == "learning"
    assert state.p_known == pytest.approx(GATE - 0.05)


def test_placement_never_lifts_a_skill_through_the_gate() -> None:
    state = SkillState(0.2)
    for _ in range(10):
        state = observe(state, Observation(1.0, T0, placement=True), PARAMS, GATE).state
    assert state.status == "learning"
    assert state.p_known == pytest.approx(placement_cap(GATE)) == pytest.approx(0.90)
    # and one clean answer in practice then passes it
    assert practise(state, 1.0).status == "proficient"


def test_any_observation_below_the_gate_drops_a_mastered_skill() -> None:
    mastered = SkillState(0.96, "mastered", proficient_at=T0, mastered_at=T0 + timedelta(days=2))
    transition = observe(mastered, Observation(0.0, T0 + timedelta(days=9)), PARAMS, GATE)
    assert transition.event == "dropped"
    assert transition.state == SkillState(transition.state.p_known)


def test_a_later_day_is_the_learners_day_and_a_night_apart() -> None:
    evening = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
    assert check_is_due(evening, evening + timedelta(hours=12))
    assert not check_is_due(evening, evening + timedelta(hours=3))  # past midnight, no sleep
    # 20:00 UTC is already the next day in Tokyo; 10:00 UTC the next morning is still that day
    tokyo = ZoneInfo("Asia/Tokyo")
    assert not check_is_due(evening, evening + timedelta(hours=14), tokyo)
    assert check_is_due(evening, evening + timedelta(hours=14))


def test_naive_times_and_bad_states_are_refused() -> None:
    with pytest.raises(ValueError):
        observe(SkillState(0.2), Observation(1.0, datetime(2026, 3, 2)), PARAMS, GATE)  # noqa: DTZ001
    with pytest.raises(ValueError):
        SkillState(0.2, "expert")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        observe(replace(SkillState(0.2)), Observation(1.0, T0), PARAMS, 1.0)
