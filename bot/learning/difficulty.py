"""Estimate item difficulty from attempts (Elo-style) and aim practice at 70-85 % success.

Model: a learner of ability a solves an item of difficulty d with probability
sigma(a - d) = 1 / (1 + exp(d - a)), both on the logit scale (0 = an average item).
After each attempt with credit c in [0, 1] and prediction p = sigma(a - d):

    a' = a + K(n_learner) (c - p)        d' = d - K(n_item) (c - p)

with K(n) = ALPHA / (1 + BETA n) for a side seen n times before: early attempts move an
estimate fast, later ones settle it (the uncertainty function of Elo systems used in
adaptive practice). Who "a learner" is belongs to the caller: pass (learner, skill)
keys to keep one ability per skill. Everything here is pure and deterministic.

The next-exercise choice reads an item's difficulty relative to its skill's other items
(``item_offsets``): BKT predicts success on the skill's typical item, and an item rated
harder or easier than its skill's average shifts that prediction on the logit scale. An
item starts at its authored level (``authored_difficulty``) and is trusted from the logs
once it has ``MIN_ITEM_ATTEMPTS`` attempts.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Final, TypeVar

__all__ = [
    "ALPHA",
    "BETA",
    "LEVEL_LOGIT",
    "MIN_ITEM_ATTEMPTS",
    "TARGET_BAND",
    "Estimate",
    "Ratings",
    "authored_difficulty",
    "elo_update",
    "estimate_difficulty",
    "item_offsets",
    "rank_for_target",
    "step_size",
    "success_chance",
]

ALPHA: Final = 1.0
BETA: Final = 0.05
TARGET_BAND: Final = (0.70, 0.85)
TYPICAL_LEVEL: Final = 2  # the authored level (1..5) of a skill's typical item
# Logits per authored level: near 75 % success one level is about 8 points of success,
# the step the selection used before any item was rated.
LEVEL_LOGIT: Final = 0.4
MIN_ITEM_ATTEMPTS: Final = 20

Item = TypeVar("Item", bound=Hashable)


@dataclass(frozen=True)
class Estimate:
    """One learner's ability or one item's difficulty, with the data behind it."""

    value: float
    attempts: int
    mean_credit: float  # the observed success rate (mean credit) of those attempts


@dataclass(frozen=True)
class Ratings:
    """Abilities per learner key and difficulties per item after the whole log."""

    abilities: dict[Hashable, Estimate]
    difficulties: dict[Hashable, Estimate]


def success_chance(ability: float, difficulty: float) -> float:
    """Return the predicted chance of success, sigma(ability - difficulty)."""
    gap = ability - difficulty
    if gap >= 0:
        return 1.0 / (1.0 + math.exp(-gap))
    odds = math.exp(gap)  # no overflow for very hard items
    return odds / (1.0 + odds)


def step_size(seen: int) -> float:
    """Return K for an estimate already updated ``seen`` times."""
    if seen < 0:
        raise ValueError(f"seen must not be negative, got {seen!r}")
    return ALPHA / (1.0 + BETA * seen)


def elo_update(
    ability: float,
    difficulty: float,
    credit: float,
    learner_seen: int,
    item_seen: int,
) -> tuple[float, float]:
    """Return (ability, difficulty) after one attempt with this credit."""
    if not 0.0 <= credit <= 1.0:  # also refuses NaN
        raise ValueError(f"credit must be in [0, 1], got {credit!r}")
    surprise = credit - success_chance(ability, difficulty)
    return (
        ability + step_size(learner_seen) * surprise,
        difficulty - step_size(item_seen) * surprise,
    )


def estimate_difficulty(
    records: Iterable[tuple[Hashable, Hashable, float]],
    initial: Mapping[Hashable, float] | None = None,
) -> Ratings:
    """Replay time-ordered ``(learner, item, credit)`` records through the Elo updates.

    ``initial`` gives starting difficulties (for example from authored levels); other
    items and every learner start at 0.
    """
    start = dict(initial or {})
    ability: dict[Hashable, float] = {}
    difficulty: dict[Hashable, float] = {}
    learner_n: dict[Hashable, int] = {}
    item_n: dict[Hashable, int] = {}
    learner_credit: dict[Hashable, float] = {}
    item_credit: dict[Hashable, float] = {}
    for learner, item, credit in records:
        value = float(credit)
        a, d = elo_update(
            ability.get(learner, 0.0),
            difficulty.get(item, start.get(item, 0.0)),
            value,
            learner_n.get(learner, 0),
            item_n.get(item, 0),
        )
        ability[learner], difficulty[item] = a, d
        learner_n[learner] = learner_n.get(learner, 0) + 1
        item_n[item] = item_n.get(item, 0) + 1
        learner_credit[learner] = learner_credit.get(learner, 0.0) + value
        item_credit[item] = item_credit.get(item, 0.0) + value
    return Ratings(
        abilities={
            k: Estimate(v, learner_n[k], learner_credit[k] / learner_n[k])
            for k, v in ability.items()
        },
        difficulties={
            k: Estimate(v, item_n[k], item_credit[k] / item_n[k]) for k, v in difficulty.items()
        },
    )


def rank_for_target(
    ability: float,
    difficulties: Mapping[Item, float],
    band: tuple[float, float] = TARGET_BAND,
) -> list[Item]:
    """Return the items best first for a learner of this ability.

    Items whose predicted success lies in the band come first, nearest its middle first;
    then the others, nearest the band first. Ties keep the mapping's order.
    """
    low, high = band
    if not 0.0 < low <= high < 1.0:
        raise ValueError(f"band must be an ordered pair inside (0, 1), got {band!r}")
    middle = (low + high) / 2.0

    def rank(item: Item) -> tuple[bool, float]:
        chance = success_chance(ability, difficulties[item])
        outside = max(low - chance, chance - high, 0.0)
        return (outside > 0.0, outside if outside > 0.0 else abs(chance - middle))

    return sorted(difficulties, key=rank)


def authored_difficulty(level: int) -> float:
    """Return the starting difficulty (logits) of an item of this authored level (1..5)."""
    if not 1 <= level <= 5:
        raise ValueError(f"level must be in 1..5, got {level!r}")
    return (level - TYPICAL_LEVEL) * LEVEL_LOGIT


def item_offsets(
    levels: Mapping[Item, int],
    rated: Mapping[Item, Estimate],
    min_attempts: int = MIN_ITEM_ATTEMPTS,
) -> dict[Item, float] | None:
    """Return each item's difficulty minus the mean of its skill's items, in logits.

    ``levels`` are the authored levels of one skill's items; ``rated`` their estimates
    from the logs. An item with fewer than ``min_attempts`` attempts counts at its authored
    level. None when no item has enough attempts: the authored levels alone decide then.
    """
    if not levels:
        return None
    trusted = {i for i in levels if i in rated and rated[i].attempts >= min_attempts}
    if not trusted:
        return None
    values = {
        item: rated[item].value if item in trusted else authored_difficulty(level)
        for item, level in levels.items()
    }
    mean = sum(values.values()) / len(values)
    return {item: value - mean for item, value in values.items()}
