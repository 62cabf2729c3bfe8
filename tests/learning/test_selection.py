"""Exercise selection: prerequisite gating, target band, no repeats, varied contexts."""

from __future__ import annotations

import math
import random

import pytest

from bot.content.models import BktParams
from bot.learning.selection import (
    Candidate,
    SkillView,
    choose_next,
    predicted_success_for,
    unlocked_skills,
)

PARAMS = BktParams(prior=0.2, learn=0.2, slip=0.1, guess=0.2)
# Diamond: add -> (multiply, subtract) -> divide.
DIAMOND = {"add": [], "multiply": ["add"], "subtract": ["add"], "divide": ["multiply", "subtract"]}


def _view(skill_id: str, p: float, *, mastered: bool = False, unlocked: bool = True) -> SkillView:
    """Return a skill view with the test parameters."""
    return SkillView(skill_id, p, mastered, unlocked, PARAMS)


def _ladder(skill_id: str, context: str = "shop") -> list[Candidate]:
    """Return one problem per difficulty 1..5, named like ``add-d3``."""
    return [Candidate(f"{skill_id}-d{d}", skill_id, d, context, "problem") for d in range(1, 6)]


def test_gating_follows_the_diamond() -> None:
    assert unlocked_skills(DIAMOND, set()) == {"add"}
    assert unlocked_skills(DIAMOND, {"add"}) == {"add", "multiply", "subtract"}
    assert unlocked_skills(DIAMOND, {"add", "multiply"}) == {"add", "multiply", "subtract"}
    assert unlocked_skills(DIAMOND, {"add", "multiply", "subtract"}) == set(DIAMOND)


def test_predicted_success_shifts_by_difficulty() -> None:
    # BKT: 0.7*0.9 + 0.3*0.2 = 0.69 for the typical item (difficulty 2), 0.08 per step
    got = [predicted_success_for(0.7, d, PARAMS) for d in range(1, 6)]
    assert got == pytest.approx([0.77, 0.69, 0.61, 0.53, 0.45])
    # 0.9999*0.9 + 0.0001*0.2 + 0.08 = 0.97993, just under the ceiling
    assert predicted_success_for(0.9999, 1, PARAMS) == pytest.approx(0.97993)
    assert predicted_success_for(1.0, 1, BktParams(slip=0.0)) == 0.98
    assert predicted_success_for(0.0, 5, PARAMS) == pytest.approx(0.02)
    with pytest.raises(ValueError):
        predicted_success_for(0.5, 6, PARAMS)


def test_choice_lands_in_the_band() -> None:
    # at p = 0.7 only difficulty 1 (0.77) is inside 0.70-0.85
    skills = {"add": _view("add", 0.7)}
    chosen = choose_next(_ladder("add"), skills, [], random.Random(1))
    assert chosen is not None and chosen.exercise_id == "add-d1"
    # at p = 0.3 (typical 0.41) nothing is inside: difficulty 1 (0.49) is nearest
    skills = {"add": _view("add", 0.3)}
    chosen = choose_next(_ladder("add"), skills, [], random.Random(1))
    assert chosen is not None and chosen.exercise_id == "add-d1"
    # at p = 0.95 (typical 0.865) difficulties 3 (0.785) and 4 (0.705) are both inside
    skills = {"add": _view("add", 0.95)}
    picks = {choose_next(_ladder("add"), skills, [], random.Random(s)) for s in range(20)}
    assert {p.exercise_id for p in picks if p is not None} == {"add-d3", "add-d4"}


def test_the_earliest_open_skill_comes_first() -> None:
    mastered = {"add"}
    open_ = unlocked_skills(DIAMOND, mastered)
    skills = {
        s: _view(s, 0.99 if s in mastered else 0.4, mastered=s in mastered, unlocked=s in open_)
        for s in DIAMOND
    }
    pool = [c for s in DIAMOND for c in _ladder(s)]
    chosen = choose_next(pool, skills, [], random.Random(3))
    assert chosen is not None and chosen.skill_id == "multiply"


def test_no_back_to_back_repeat() -> None:
    skills = {"add": _view("add", 0.7)}
    for seed in range(20):
        chosen = choose_next(_ladder("add"), skills, ["add-d1"], random.Random(seed))
        assert chosen is not None and chosen.exercise_id == "add-d2"  # next nearest, 0.69


def test_an_exercise_answered_a_few_turns_ago_waits_while_its_skill_has_another() -> None:
    skills = {"add": _view("add", 0.7), "subtract": _view("subtract", 0.5)}
    # "add-d1" (the best fit) was answered in placement, then a subtraction item: it does
    # not come straight back.
    recent = ["sub-1", "add-d1"]
    candidates = [*_ladder("add"), Candidate("sub-1", "subtract", 2, "shop", "problem")]
    for seed in range(20):
        chosen = choose_next(candidates, skills, recent, random.Random(seed))
        assert chosen is not None and chosen.exercise_id == "add-d2"  # the next nearest
    # Only when the skill has nothing else does it come back.
    only = [Candidate("add-d1", "add", 1, "shop", "problem")]
    chosen = choose_next(only, skills, recent, random.Random(0))
    assert chosen is not None and chosen.exercise_id == "add-d1"


def test_a_sole_recent_exercise_moves_to_the_next_skill_or_repeats() -> None:
    only = [Candidate("add-1", "add", 2, "shop", "problem")]
    both = [*only, Candidate("sub-1", "subtract", 2, "shop", "problem")]
    skills = {"add": _view("add", 0.5), "subtract": _view("subtract", 0.5)}
    chosen = choose_next(both, skills, ["add-1"], random.Random(0))
    assert chosen is not None and chosen.exercise_id == "sub-1"
    chosen = choose_next(only, skills, ["add-1"], random.Random(0))
    assert chosen is not None and chosen.exercise_id == "add-1"


def test_context_varies_between_equal_fits() -> None:
    pool = [
        Candidate("a", "add", 1, "shop", "problem"),
        Candidate("b", "add", 1, "shop", "problem"),
        Candidate("c", "add", 1, "garden", "problem"),
    ]
    skills = {"add": _view("add", 0.7)}
    picks = {choose_next(pool, skills, ["a"], random.Random(s)) for s in range(20)}
    assert {p.exercise_id for p in picks if p is not None} == {"c"}
    picks = {choose_next(pool, skills, ["c"], random.Random(s)) for s in range(20)}
    assert {p.exercise_id for p in picks if p is not None} == {"a", "b"}  # rng breaks ties


def test_same_seed_same_choice() -> None:
    pool = [Candidate(f"add-{n}", "add", 1, f"context-{n}", "problem") for n in range(6)]
    skills = {"add": _view("add", 0.7)}
    first = choose_next(pool, skills, [], random.Random(42))
    assert all(choose_next(pool, skills, [], random.Random(42)) == first for _ in range(5))
    picks = {choose_next(pool, skills, [], random.Random(s)) for s in range(40)}
    assert len(picks) > 1


def test_recall_items_are_left_to_reviews() -> None:
    pool = [Candidate("r", "add", 1, "shop", "recall"), Candidate("p", "add", 5, "shop", "problem")]
    chosen = choose_next(pool, {"add": _view("add", 0.7)}, [], random.Random(0))
    assert chosen is not None and chosen.exercise_id == "p"
    assert choose_next(pool[:1], {"add": _view("add", 0.7)}, [], random.Random(0)) is None


def test_none_when_all_mastered_or_nothing_unlocked() -> None:
    pool = [c for s in DIAMOND for c in _ladder(s)]
    done = {s: _view(s, 0.99, mastered=True) for s in DIAMOND}
    assert choose_next(pool, done, [], random.Random(0)) is None
    locked = {s: _view(s, 0.2, unlocked=False) for s in DIAMOND}
    assert choose_next(pool, locked, [], random.Random(0)) is None


def test_bad_candidates_are_refused() -> None:
    with pytest.raises(ValueError):
        Candidate("x", "add", 0, "shop", "problem")
    with pytest.raises(ValueError):
        Candidate("x", "add", 2, "shop", "essay")


def test_a_rated_offset_replaces_the_authored_step() -> None:
    # BKT gives 0.69 for the skill's typical item, whatever the item's authored level
    assert predicted_success_for(0.7, 4, PARAMS, offset=0.0) == pytest.approx(0.69)
    # an item rated one logit harder than its skill's average
    expected = 1 / (1 + math.exp(1.0 - math.log(0.69 / 0.31)))
    assert predicted_success_for(0.7, 1, PARAMS, offset=1.0) == pytest.approx(expected)
    assert predicted_success_for(0.7, 1, PARAMS, offset=-40.0) == 0.98
    assert predicted_success_for(0.7, 1, PARAMS, offset=40.0) == 0.02


def test_rated_items_steer_the_choice_into_the_band() -> None:
    # Authored all alike (difficulty 3); the logs found one item far easier, one far harder.
    pool = [
        Candidate("easy", "add", 3, "shop", "problem", offset=-2.5),
        Candidate("fair", "add", 3, "shop", "problem", offset=-0.3),
        Candidate("hard", "add", 3, "shop", "problem", offset=2.5),
    ]
    # p = 0.7 (typical item 0.69): fair ~0.75 is in the band, easy ~0.96, hard ~0.15
    chosen = choose_next(pool, {"add": _view("add", 0.7)}, [], random.Random(3))
    assert chosen is not None and chosen.exercise_id == "fair"
    # p = 0.3 (typical item 0.41): only the easy item (~0.89) comes near the band
    chosen = choose_next(pool, {"add": _view("add", 0.3)}, [], random.Random(3))
    assert chosen is not None and chosen.exercise_id == "easy"
