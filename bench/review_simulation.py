"""The simulated learners of the review-policy bench, and the policies that review them.

The truth is one memory per learner x item pair, independent of FSRS's own model; see
``bench_review_policies.py``'s docstring for its rules. Policies: this project's FSRS
scheduling, a fixed 1-3-7-14-30-day ladder, and an oracle that knows the true memory.
"""

from __future__ import annotations

import math
import random
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fsrs import Card, Rating, Scheduler

from bot.learning.memory import MemoryState, rating_for, review

DESIRED_RETENTION = 0.9
T0 = datetime(2026, 1, 5, tzinfo=UTC)
LADDER = (1.0, 3.0, 7.0, 14.0, 30.0)
EASY_R = 0.95
FAIL_FACTOR = 0.3
MIN_STABILITY = 0.25


class Memory(Protocol):
    """One pair's true memory as the simulation runs it."""

    def recall(self, elapsed: float) -> float:
        """Return the probability of recall ``elapsed`` days after the last review."""
        ...

    def review(self, recalled: bool, recall_p: float) -> None:
        """Apply one review's outcome (at recall probability ``recall_p``)."""
        ...

    def interval(self, target: float) -> float:
        """Days after the last review until recall falls to ``target``."""
        ...


class Subject(Protocol):
    """A learner x item pair: what its true memory is at the introduction."""

    def memory(self) -> Memory:
        """A fresh copy of the pair's true memory, just after the introduction."""
        ...


@dataclass(frozen=True)
class Pair:
    """The true memory parameters of one learner x item pair in the spacing truth."""

    s0: float
    growth: float

    def memory(self) -> Memory:
        """The pair's true memory under this module's rules."""
        return SpacingMemory(self)


class SpacingMemory:
    """This module's truth: the FSRS v4 power curve with gains scaled by what was forgotten."""

    def __init__(self, pair: Pair) -> None:
        """Start from the pair's initial stability."""
        self.growth, self.stability = pair.growth, pair.s0

    def recall(self, elapsed: float) -> float:
        """Return the probability of recall ``elapsed`` days after the last review."""
        return true_recall(elapsed, self.stability)

    def review(self, recalled: bool, recall_p: float) -> None:
        """Grow or cut the stability."""
        self.stability = true_update(self.stability, self.growth, recalled, recall_p)

    def interval(self, target: float) -> float:
        """Days after the last review until recall falls to ``target``."""
        return 9.0 * self.stability * (1.0 / target - 1.0)


@dataclass(frozen=True)
class Outcome:
    """What one policy did for one pair."""

    reviews: int
    lapses: int
    retention_sum: float


def true_recall(elapsed: float, stability: float) -> float:
    """Return the true probability of recall after ``elapsed`` days."""
    return 1.0 / (1.0 + elapsed / (9.0 * stability))


def true_update(stability: float, growth: float, recalled: bool, recall_p: float) -> float:
    """The true stability after a review: grown by how much was forgotten, or cut."""
    if recalled:
        return stability * (1.0 + (growth - 1.0) * (1.0 - recall_p) / 0.1)
    return max(MIN_STABILITY, FAIL_FACTOR * stability)


def population(learners: int, items: int, seed: int) -> list[Pair]:
    """Draw every learner x item pair's true initial stability and growth factor."""
    rng = random.Random(seed)
    item_s = [rng.gauss(0.0, 0.6) for _ in range(items)]
    item_g = [rng.gauss(0.0, 0.3) for _ in range(items)]
    pairs = []
    for _ in range(learners):
        learner_s, learner_g = rng.gauss(0.0, 0.4), rng.gauss(0.0, 0.2)
        for i in range(items):
            s0 = 1.5 * math.exp(item_s[i] + learner_s + rng.gauss(0.0, 0.4))
            growth = 1.0 + 1.5 * math.exp(item_g[i] + learner_g + rng.gauss(0.0, 0.2))
            pairs.append(Pair(s0, growth))
    return pairs


class FsrsPolicy:
    """This project's scheduler: ``review`` graded by ``rating_for``.

    With ``parameters`` (optimised weights) it runs an ``fsrs.Scheduler`` configured like
    ``bot.learning.memory``'s but with those weights, which ``review`` does not take yet.
    Every grade is kept in ``history`` as (day, rating) for the optimiser.
    """

    def __init__(
        self,
        desired_retention: float = DESIRED_RETENTION,
        parameters: tuple[float, ...] | None = None,
    ) -> None:
        """Introduce the item at day 0 with a clean solve."""
        self.desired_retention = desired_retention
        self.scheduler = (
            None
            if parameters is None
            else Scheduler(
                parameters=parameters,
                desired_retention=desired_retention,
                learning_steps=(),
                relearning_steps=(),
                enable_fuzzing=False,
            )
        )
        self.card = Card(card_id=1, due=T0)
        self.memory: MemoryState | None = None
        self.history: list[tuple[float, int]] = []
        self._grade(0.0, rating_for(True, 0, 1, 60.0))

    def _grade(self, at: float, rating: Rating) -> None:
        """Review the card with this rating at ``at`` days."""
        at_time = T0 + timedelta(days=at)
        self.history.append((at, int(rating)))
        if self.scheduler is None:
            self.memory = review(self.memory, rating, at_time, self.desired_retention)
        else:
            self.card, _ = self.scheduler.review_card(self.card, rating, review_datetime=at_time)

    def next_due(self) -> float:
        """Return the next review time in days since the introduction."""
        due = self.card.due if self.memory is None else self.memory.due
        return (due - T0).total_seconds() / 86400.0

    def record(self, at: float, recalled: bool, recall_p: float) -> None:
        """Grade and schedule one review."""
        seconds = 15.0 if recall_p >= EASY_R else 60.0
        self._grade(at, rating_for(recalled, 0, 1, seconds))


class LadderPolicy:
    """Reviews 1-3-7-14-30 days apart, then every 30; a failure restarts the ladder."""

    def __init__(self) -> None:
        """Schedule the first rung after the introduction."""
        self.rung = 0
        self.due = LADDER[0]

    def next_due(self) -> float:
        """Return the next review time in days since the introduction."""
        return self.due

    def record(self, at: float, recalled: bool, recall_p: float) -> None:
        """Climb a rung on success, restart on failure."""
        self.rung = min(self.rung + 1, len(LADDER) - 1) if recalled else 0
        self.due = at + LADDER[self.rung]


class OraclePolicy:
    """Reviews each pair when its true recall falls to ``target``: the best a scheduler
    that holds one retention can do, since it knows the pair's true memory.

    It tracks a copy of the true memory with the simulation's own rules, so its intervals
    are exact. It bounds what any constant-retention scheduler (FSRS included) can reach.
    """

    def __init__(self, pair: Subject, target: float) -> None:
        """Start from the pair's true memory at the introduction."""
        self.memory, self.target = pair.memory(), target
        self.due = self.memory.interval(target)

    def next_due(self) -> float:
        """Return the next review time in days since the introduction."""
        return self.due

    def record(self, at: float, recalled: bool, recall_p: float) -> None:
        """Apply the true update, then wait until recall falls to the target again."""
        self.memory.review(recalled, recall_p)
        self.due = at + self.memory.interval(self.target)


class Policy(Protocol):
    """What ``simulate`` asks of a policy: when the next review is, and how one went."""

    def next_due(self) -> float:
        """Return the next review time in days since the introduction."""
        ...

    def record(self, at: float, recalled: bool, recall_p: float) -> None:
        """Take one review's outcome and schedule the next."""
        ...


def simulate(pair: Subject, policy: Policy, days: int, rng: random.Random) -> Outcome:
    """Run one pair under one policy; sample true recall at noon of every day."""
    memory, last = pair.memory(), 0.0
    reviews = lapses = 0
    retention_sum = 0.0
    for checkpoint in [*(day + 0.5 for day in range(days)), float(days)]:
        while (at := policy.next_due()) < checkpoint:
            recall_p = memory.recall(at - last)
            recalled = rng.random() < recall_p
            memory.review(recalled, recall_p)
            lapses += not recalled
            reviews += 1
            last = at
            policy.record(at, recalled, recall_p)
        if checkpoint < days:
            retention_sum += memory.recall(checkpoint - last)
    return Outcome(reviews, lapses, retention_sum)
