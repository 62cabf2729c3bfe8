"""A second simulated truth for the review bench: FSRS-6's own memory model.

Each learner x item pair remembers as FSRS-6 with its default weights says a card does,
with a difficulty and an initial stability of its own (the rules are the published FSRS-6
formulas, written here from the algorithm's description, with the weights of the
installed ``fsrs`` package):

- recall t days after the last review is R = (1 + F t / S)^-w20, F = 0.9^(-1/w20) - 1;
- a success sets S *= 1 + e^w8 (11 - D) S^-w9 (e^(w10 (1 - R)) - 1), then D moves as
  after a Good grade; a failure sets S = min(w11 D^-w12 ((S + 1)^w13 - 1) e^(w14 (1 - R)),
  S / e^(w17 w18)), then D moves as after Again. D moves by -w6 (G - 3) damped by
  (10 - D) / 9, reverts to the initial Easy difficulty with weight w7, and stays in 1..10.

The scheduler is then right about the curve and the rules and only has to learn each
pair's difficulty and stability from its grades: the most favourable truth FSRS can meet.
If it cannot reach the goal here, the goal is out of reach for reasons other than a
mis-specified memory model.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from fsrs import Scheduler
from review_simulation import Memory

WEIGHTS = tuple(float(w) for w in Scheduler().parameters)
DECAY = -WEIGHTS[20]
FACTOR = 0.9 ** (1.0 / DECAY) - 1.0
GOOD, AGAIN, EASY = 3, 1, 4


def initial_difficulty(grade: int) -> float:
    """FSRS's difficulty after a first grade, unclamped."""
    return WEIGHTS[4] - math.exp(WEIGHTS[5] * (grade - 1)) + 1.0


def next_difficulty(difficulty: float, grade: int) -> float:
    """The difficulty after a review with this grade."""
    moved = difficulty + (10.0 - difficulty) * -WEIGHTS[6] * (grade - 3) / 9.0
    reverted = WEIGHTS[7] * initial_difficulty(EASY) + (1.0 - WEIGHTS[7]) * moved
    return min(10.0, max(1.0, reverted))


@dataclass(frozen=True)
class FsrsPair:
    """One pair's true initial stability (days) and difficulty (1..10) under FSRS-6."""

    s0: float
    difficulty: float

    def memory(self) -> Memory:
        """The pair's true memory under FSRS-6's rules."""
        return FsrsMemory(self)


class FsrsMemory:
    """FSRS-6's memory of one pair, updated by its own rules."""

    def __init__(self, pair: FsrsPair) -> None:
        """Start from the pair's initial stability and difficulty."""
        self.stability, self.difficulty = pair.s0, pair.difficulty

    def recall(self, elapsed: float) -> float:
        """Return the probability of recall ``elapsed`` days after the last review."""
        return float((1.0 + FACTOR * elapsed / self.stability) ** DECAY)

    def review(self, recalled: bool, recall_p: float) -> None:
        """Grow the stability on a success, cut it on a failure; move the difficulty."""
        s, d, w = self.stability, self.difficulty, WEIGHTS
        if recalled:
            gain = math.exp(w[8]) * (11.0 - d) * s ** -w[9] * math.expm1(w[10] * (1 - recall_p))
            self.stability = s * (1.0 + gain)
        else:
            long_term = w[11] * d ** -w[12] * ((s + 1.0) ** w[13] - 1.0)
            long_term *= math.exp(w[14] * (1.0 - recall_p))
            self.stability = min(long_term, s / math.exp(w[17] * w[18]))
        self.difficulty = next_difficulty(d, GOOD if recalled else AGAIN)

    def interval(self, target: float) -> float:
        """Days after the last review until recall falls to ``target``."""
        return self.stability / FACTOR * (target ** (1.0 / DECAY) - 1.0)


def fsrs_population(learners: int, items: int, seed: int) -> list[FsrsPair]:
    """Draw every pair around the stability and difficulty FSRS gives a first Good grade.

    Log-normal stability (item, learner and pair log sds 0.6, 0.4, 0.4, as in the spacing
    truth) and a difficulty spread by item (sd 1.5), learner (1.0) and pair (0.75), kept
    in 1..10.
    """
    rng = random.Random(seed)
    item = [(rng.gauss(0.0, 0.6), rng.gauss(0.0, 1.5)) for _ in range(items)]
    centre = initial_difficulty(GOOD)
    pairs = []
    for _ in range(learners):
        learner_s, learner_d = rng.gauss(0.0, 0.4), rng.gauss(0.0, 1.0)
        for item_s, item_d in item:
            s0 = WEIGHTS[2] * math.exp(item_s + learner_s + rng.gauss(0.0, 0.4))
            d = centre + item_d + learner_d + rng.gauss(0.0, 0.75)
            pairs.append(FsrsPair(s0, min(10.0, max(1.0, d))))
    return pairs
