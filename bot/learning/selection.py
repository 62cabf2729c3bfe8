"""Choose the next exercise in the zone of proximal development.

Skills unlock when all their prerequisites are proficient (or mastered). Among unlocked
skills not yet proficient the earliest (in the caller's skill order) is worked first, and
within it the exercise whose predicted success lies nearest a target band (70-85 % by
default): hard enough to teach, easy enough to succeed. An item's predicted success is
BKT's prediction for the skill shifted by the item's difficulty: rated from the logs
when its skill has rated items (``Candidate.offset``), from its authored level otherwise.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from bot.learning.bkt import BktParamsLike, predicted_success

__all__ = [
    "KINDS",
    "Candidate",
    "SkillView",
    "choose_next",
    "predicted_success_for",
    "unlocked_skills",
]

KINDS: Final = frozenset({"problem", "reflection", "recall"})
TYPICAL_DIFFICULTY: Final = 2  # the difficulty of a skill's typical item
DIFFICULTY_STEP: Final = 0.08  # success lost per difficulty step above the typical item
SUCCESS_FLOOR: Final = 0.02
SUCCESS_CEILING: Final = 0.98
TARGET_BAND: Final = (0.70, 0.85)
RECENT_WINDOW: Final = 3  # exercises this recent are offered again only when nothing else is


@dataclass(frozen=True)
class Candidate:
    """An exercise that could be offered next."""

    exercise_id: str
    skill_id: str
    difficulty: int
    context: str
    kind: str = "problem"
    # Difficulty relative to the skill's other items, in logits, rated from the logs
    # (``difficulty.item_offsets``); None: the authored level decides.
    offset: float | None = None

    def __post_init__(self) -> None:
        """Refuse a difficulty outside 1..5 or an unknown kind."""
        if not 1 <= self.difficulty <= 5:
            raise ValueError(f"difficulty must be in 1..5, got {self.difficulty!r}")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {sorted(KINDS)}, got {self.kind!r}")


@dataclass(frozen=True)
class SkillView:
    """What selection needs to know about one skill for one learner."""

    skill_id: str
    p_known: float
    mastered: bool  # proficient or mastered: it needs no new practice
    unlocked: bool
    params: BktParamsLike


def unlocked_skills(prerequisites: Mapping[str, Sequence[str]], mastered: set[str]) -> set[str]:
    """Return the skills whose prerequisites are all mastered."""
    return {
        skill for skill, needs in prerequisites.items() if all(need in mastered for need in needs)
    }


def predicted_success_for(
    p_known: float, difficulty: int, params: BktParamsLike, offset: float | None = None
) -> float:
    """Return the chance of solving an item of this difficulty.

    The BKT predicted success describes the skill's typical item. Without a rated
    ``offset`` that is an item of difficulty 2, and each step of difficulty above it takes
    0.08 off and each step below adds 0.08. With one, the item is ``offset`` logits harder
    than its skill's average: success = sigma(logit(BKT success) - offset). The result is
    clamped to [0.02, 0.98].
    """
    if not 1 <= difficulty <= 5:
        raise ValueError(f"difficulty must be in 1..5, got {difficulty!r}")
    base = predicted_success(p_known, params)
    if offset is None:
        shifted = base - DIFFICULTY_STEP * (difficulty - TYPICAL_DIFFICULTY)
    else:
        odds = min(SUCCESS_CEILING, max(SUCCESS_FLOOR, base))
        shifted = 1.0 / (1.0 + math.exp(offset - math.log(odds / (1.0 - odds))))
    return min(SUCCESS_CEILING, max(SUCCESS_FLOOR, shifted))


def _band_distance(success: float, target: tuple[float, float]) -> float:
    """Return how far a success probability lies outside the target band."""
    low, high = target
    if success < low:
        return low - success
    if success > high:
        return success - high
    return 0.0


def choose_next(
    candidates: Sequence[Candidate],
    skills: Mapping[str, SkillView],
    recent: Sequence[str],
    rng: random.Random,
    target: tuple[float, float] = TARGET_BAND,
) -> Candidate | None:
    """Return the next exercise to offer, or None when no skill is open to practise.

    Recall items are left to the review scheduler. The skill is the first unlocked,
    unmastered one (in ``skills`` order) with an exercise other than the most recent;
    only when no skill has one is the most recent exercise repeated. Within the skill,
    exercises not among the last ``RECENT_WINDOW`` come first (a question just answered in
    placement does not come straight back), then candidates rank by distance to the
    target band, then by a context different from the most recent exercise's, then at
    random.
    """
    low, high = target
    if not 0.0 <= low <= high <= 1.0:
        raise ValueError(f"target must be an ordered pair in [0, 1], got {target!r}")
    last = recent[0] if recent else None
    last_context = next((c.context for c in candidates if c.exercise_id == last), None)
    pools = [
        (view, [c for c in candidates if c.skill_id == skill_id and c.kind != "recall"])
        for skill_id, view in skills.items()
        if view.unlocked and not view.mastered
    ]
    fresh = [(view, [c for c in pool if c.exercise_id != last]) for view, pool in pools]
    # The most recent exercise comes back only when nothing else is open.
    chosen = next(((v, p) for v, p in fresh if p), None)
    if chosen is None:
        chosen = next(((v, p) for v, p in pools if p), None)
    if chosen is None:
        return None
    view, pool = chosen
    window = set(recent[:RECENT_WINDOW])
    pool = [c for c in pool if c.exercise_id not in window] or pool

    def rank(candidate: Candidate) -> tuple[float, bool, float]:
        """Rank by band distance, same context as last, then a random draw."""
        success = predicted_success_for(
            view.p_known, candidate.difficulty, view.params, candidate.offset
        )
        return (
            _band_distance(success, target),
            candidate.context == last_context,
            rng.random(),
        )

    return min(pool, key=rank)
