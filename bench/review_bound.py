"""The fewest reviews any scheduler can spend for a retention, in the bench's simulated memory.

A scheduler that knows every pair's true memory and plans the whole horizon: for a price
``lam`` per review, dynamic programming over (time, true stability) picks each next review
time to maximise the expected days of true recall minus ``lam`` times the expected
reviews, failures included. Raising the price trades retention for reviews along the
lowest curve any policy can reach (up to the grids' resolution); the bench prices reviews
until this planner keeps the ladder's retention and reads its reviews off that point.

The memory's rules are ``review_simulation``'s. One plan serves every pair whose growth
factor falls in one of ``GROWTH_BINS`` quantile bins (a pair's initial stability is only
where its plan starts), and ``PlannedPolicy`` follows a pair's plan through the same
``simulate`` as every other policy, tracking the true stability as the oracle does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from review_simulation import FAIL_FACTOR, MIN_STABILITY, Pair, true_update

STEP = 0.5  # days between the times a review can be planned at
GROWTH_BINS = 12
LOG_S = np.linspace(math.log(0.05), math.log(5000.0), 240)  # the stability grid, log days
NEVER = -1


def _recall_days(elapsed: np.ndarray, stability: np.ndarray) -> np.ndarray:
    """Expected days recalled over ``elapsed`` days after a review: the integral of R."""
    return 9.0 * stability * np.log1p(elapsed / (9.0 * stability))


def _at(table: np.ndarray, stability: np.ndarray) -> np.ndarray:
    """Read ``table[k, s]`` for row k at each column's stability, interpolated in log S."""
    grid_step = LOG_S[1] - LOG_S[0]
    x = (np.log(np.clip(stability, math.exp(LOG_S[0]), math.exp(LOG_S[-1]))) - LOG_S[0]) / (
        grid_step
    )
    low = np.clip(np.floor(x).astype(int), 0, len(LOG_S) - 2)
    frac = x - low
    rows = np.arange(table.shape[0])[None, :]
    return table[rows, low] * (1.0 - frac) + table[rows, low + 1] * frac


@dataclass(frozen=True)
class Plan:
    """For one growth factor: steps to the next review at each (step, stability), or NEVER."""

    growth: float
    wait: np.ndarray  # int, shape (steps, len(LOG_S))


def plan(growth: float, lam: float, days: int) -> Plan:
    """Solve the priced problem backwards from the horizon for one growth factor."""
    steps = round(days / STEP)
    stability = np.exp(LOG_S)
    value = np.zeros((steps + 1, len(LOG_S)))
    wait = np.full((steps, len(LOG_S)), NEVER, dtype=np.int32)
    columns = np.arange(len(LOG_S))
    for now in range(steps - 1, -1, -1):
        best = _recall_days(np.full_like(stability, (steps - now) * STEP), stability)
        if steps - now > 1:
            elapsed = np.arange(1, steps - now) * STEP
            s = stability[:, None]
            recall = 1.0 / (1.0 + elapsed[None, :] / (9.0 * s))
            grown = s * (1.0 + (growth - 1.0) * (1.0 - recall) / 0.1)
            lapsed = np.broadcast_to(np.maximum(MIN_STABILITY, FAIL_FACTOR * s), recall.shape)
            later = value[now + 1 : steps]
            score = (
                _recall_days(elapsed[None, :], s)
                - lam
                + recall * _at(later, grown)
                + (1.0 - recall) * _at(later, lapsed)
            )
            choice = np.argmax(score, axis=1)
            chosen = score[columns, choice]
            better = chosen > best
            best = np.where(better, chosen, best)
            wait[now] = np.where(better, choice + 1, NEVER)
        value[now] = best
    return Plan(growth, wait)


def plans(pairs: list[Pair], lam: float, days: int) -> list[Plan]:
    """One plan per growth bin, at the bins' median growth factors."""
    growth = np.array(sorted(p.growth for p in pairs))
    bins = np.array_split(growth, min(GROWTH_BINS, len(growth)))
    return [plan(float(np.median(b)), lam, days) for b in bins if len(b)]


def plan_for(pair: Pair, options: list[Plan]) -> Plan:
    """The plan made for the growth factor nearest the pair's."""
    return min(options, key=lambda p: abs(p.growth - pair.growth))


class PlannedPolicy:
    """Follows a plan, knowing the pair's true stability (tracked with the true rules)."""

    def __init__(self, pair: Pair, chosen: Plan) -> None:
        """Plan the first review from the pair's true initial stability at day 0."""
        self.growth, self.plan, self.stability = pair.growth, chosen, pair.s0
        self.due = self._next(0.0)

    def _next(self, at: float) -> float:
        """The planned time of the next review after one at ``at`` days."""
        now = round(at / STEP)
        if now >= self.plan.wait.shape[0]:
            return math.inf
        column = int(np.abs(LOG_S - math.log(self.stability)).argmin())
        wait = int(self.plan.wait[now, column])
        return math.inf if wait == NEVER else (now + wait) * STEP

    def next_due(self) -> float:
        """Return the next review time in days since the introduction."""
        return self.due

    def record(self, at: float, recalled: bool, recall_p: float) -> None:
        """Apply the true update and look the next review up in the plan."""
        self.stability = true_update(self.stability, self.growth, recalled, recall_p)
        self.due = self._next(at)
