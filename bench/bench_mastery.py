"""How well mastery predicts learners who do not follow BKT: authored vs fitted parameters.

Usage (from the repo root): python bench/bench_mastery.py [--learners N] [--skills S]
    [--items I] [--seed S]

Simulated truth (logistic, with practice effects; no hidden known/unknown state):

- skill s has a base difficulty ~ N(0, 0.8) and I items whose difficulty is that plus
  N(0, 0.6); an item is drawn at random for every attempt;
- learner l has an ability ~ N(-0.5, 1), an aptitude per skill ~ N(0, 0.5) and a learning
  rate r ~ log-normal (median 0.8, log sd 0.5);
- attempt k (0-based) of learner l at skill s on item i succeeds with probability
  sigma(ability + aptitude + r log(1 + k) - difficulty);
- every learner works 10 to 30 attempts at every skill.

Learners are split in half: the train half's log fits the BKT parameters
(``bot.learning.fitting.fit_bkt``) and the Elo item difficulties
(``bot.learning.difficulty``); every figure is measured on the test half, predicting each
response before seeing it:

- authored: BKT with the course defaults (``bot.content.models.BktParams()``);
- fitted: BKT with the parameters fitted per skill on the train half;
- running accuracy: (successes + 1) / (attempts + 2) of this learner at this skill so far;
- elo: sigma(ability - difficulty), item difficulties from the train half, one ability per
  learner and skill updated after every response (``elo_update``).

Calibration after the gate: for each learner and skill, the first time P(known) reaches
``MASTERY_THRESHOLD`` (proficient), the next three responses' predicted success (the BKT
prediction, still updated after each) against the observed success rate. The same for
*mastered*: the response after the gate stands for the spaced check, and only a right one
counts (the simulated learners do not forget, so the check's spacing is not modelled).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.content.models import BktParams
from bot.learning.bkt import MASTERY_THRESHOLD, BktParamsLike, predicted_success, update
from bot.learning.difficulty import elo_update, estimate_difficulty, success_chance
from bot.learning.fitting import fit_bkt

NEXT_ITEMS = 3
ATTEMPTS = (10, 30)


@dataclass(frozen=True)
class Attempt:
    """One response of the simulated log."""

    learner: int
    skill: str
    item: str
    correct: float


@dataclass(frozen=True)
class Gate:
    """Calibration after the gate for one model."""

    sequences: int  # learner x skill sequences that reached the gate with NEXT_ITEMS after
    responses_to_gate: list[int]
    predicted: list[float]  # per sequence: mean predicted success on the next items
    observed: list[float]  # per sequence: observed success rate on the next items


def simulate(learners: int, skills: int, items: int, seed: int) -> list[Attempt]:
    """Return every learner's attempts, learner by learner, each skill in order."""
    rng = random.Random(seed)
    difficulty: dict[str, float] = {}
    skill_items: dict[str, list[str]] = {}
    for s in range(skills):
        base = rng.gauss(0.0, 0.8)
        skill_items[f"skill-{s}"] = [f"skill-{s}/item-{i}" for i in range(items)]
        for item in skill_items[f"skill-{s}"]:
            difficulty[item] = base + rng.gauss(0.0, 0.6)
    log = []
    for learner in range(learners):
        ability = rng.gauss(-0.5, 1.0)
        rate = 0.8 * math.exp(rng.gauss(0.0, 0.5))
        for skill, pool in skill_items.items():
            aptitude = rng.gauss(0.0, 0.5)
            for k in range(rng.randint(*ATTEMPTS)):
                item = rng.choice(pool)
                chance = success_chance(ability + aptitude + rate * math.log1p(k), difficulty[item])
                log.append(Attempt(learner, skill, item, float(rng.random() < chance)))
    return log


def sequences(log: Sequence[Attempt]) -> list[list[Attempt]]:
    """Split the log into one ordered sequence per learner and skill."""
    grouped: dict[tuple[int, str], list[Attempt]] = {}
    for attempt in log:
        grouped.setdefault((attempt.learner, attempt.skill), []).append(attempt)
    return list(grouped.values())


def bkt_predictions(
    seqs: list[list[Attempt]], params: Callable[[str], BktParamsLike]
) -> list[float]:
    """Predict every response from P(known) before it."""
    out = []
    for seq in seqs:
        p_params = params(seq[0].skill)
        p = p_params.prior
        for attempt in seq:
            out.append(predicted_success(p, p_params))
            p = update(p, attempt.correct, p_params)
    return out


def running_accuracy(seqs: list[list[Attempt]]) -> list[float]:
    """Predict every response from the learner's smoothed success rate at the skill so far."""
    out = []
    for seq in seqs:
        right = 0.0
        for n, attempt in enumerate(seq):
            out.append((right + 1.0) / (n + 2.0))
            right += attempt.correct
    return out


def elo_predictions(seqs: list[list[Attempt]], train: Sequence[Attempt]) -> list[float]:
    """Predict with train-half item difficulties and a fresh ability per learner and skill."""
    ratings = estimate_difficulty((a.learner, a.item, a.correct) for a in train)
    difficulty = {item: e.value for item, e in ratings.difficulties.items()}
    seen = {item: e.attempts for item, e in ratings.difficulties.items()}
    out = []
    for seq in seqs:
        ability = 0.0
        for n, attempt in enumerate(seq):
            d = difficulty.get(attempt.item, 0.0)
            out.append(success_chance(ability, d))
            ability, _ = elo_update(ability, d, attempt.correct, n, seen.get(attempt.item, 0))
    return out


def auc(predictions: Sequence[float], outcomes: Sequence[float]) -> float:
    """Return the area under the ROC curve (Mann-Whitney, ties counted half)."""
    order = sorted(range(len(predictions)), key=predictions.__getitem__)
    ranks = [0.0] * len(order)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and predictions[order[j + 1]] == predictions[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2.0 + 1.0
        i = j + 1
    positives = sum(1 for y in outcomes if y >= 0.5)
    negatives = len(outcomes) - positives
    rank_sum = sum(r for r, y in zip(ranks, outcomes, strict=True) if y >= 0.5)
    return (rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives)


def rmse(predictions: Sequence[float], outcomes: Sequence[float]) -> float:
    """Return the root mean squared error of the predictions."""
    total = sum((p - y) ** 2 for p, y in zip(predictions, outcomes, strict=True))
    return math.sqrt(total / len(outcomes))


def after_gate(
    seqs: list[list[Attempt]], params: Callable[[str], BktParamsLike], checked: bool = False
) -> Gate:
    """Compare predicted and observed success on the next items after proficiency.

    With ``checked``, only sequences whose first response after the gate (the spaced check
    that makes a skill mastered) was right count, and the next items follow that check.
    """
    to_gate: list[int] = []
    predicted: list[float] = []
    observed: list[float] = []
    for seq in seqs:
        p_params = params(seq[0].skill)
        p = p_params.prior
        for n, attempt in enumerate(seq):
            p = update(p, attempt.correct, p_params)
            if p < MASTERY_THRESHOLD:
                continue
            if checked:
                if n + 1 >= len(seq) or seq[n + 1].correct < 1.0:
                    break  # no check, or a failed one: the skill drops back, not mastered
                p = update(p, seq[n + 1].correct, p_params)
                n += 1
            following = seq[n + 1 : n + 1 + NEXT_ITEMS]
            if len(following) == NEXT_ITEMS:
                chances = []
                for later in following:
                    chances.append(predicted_success(p, p_params))
                    p = update(p, later.correct, p_params)
                to_gate.append(n + 1)
                predicted.append(sum(chances) / NEXT_ITEMS)
                observed.append(sum(a.correct for a in following) / NEXT_ITEMS)
            break
    return Gate(len(predicted), to_gate, predicted, observed)


def mean(values: Sequence[float]) -> float:
    """Return the mean, or NaN for no values."""
    return sum(values) / len(values) if values else math.nan


def print_gate(name: str, gate: Gate, total: int) -> None:
    """Print one model's calibration after the gate, overall and by speed to the gate."""
    predicted, observed = mean(gate.predicted), mean(gate.observed)
    reached = f"{gate.sequences:>7} ({gate.sequences / total:>4.0%})"
    print(
        f"{name:<10}{reached}{mean(gate.responses_to_gate):>8.1f}"
        f"{predicted:>11.3f}{observed:>10.3f}{100 * (predicted - observed):>+9.1f}"
    )
    for label, low, high in (("<= 3", 1, 3), ("4-10", 4, 10), ("> 10", 11, 10**9)):
        picked = [i for i, n in enumerate(gate.responses_to_gate) if low <= n <= high]
        if picked:
            p = mean([gate.predicted[i] for i in picked])
            o = mean([gate.observed[i] for i in picked])
            print(
                f"  gate at {label:<5}{len(picked):>7}{'':>15}{p:>11.3f}{o:>10.3f}"
                f"{100 * (p - o):>+9.1f}"
            )


def main(argv: list[str] | None = None) -> None:
    """Simulate, fit on the train half, print prediction quality on the test half."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--skills", type=int, default=8)
    parser.add_argument("--items", type=int, default=6, help="items per skill")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.learners < 4 or args.skills < 1 or args.items < 1:
        parser.error("--learners must be at least 4, --skills and --items positive")

    started = time.perf_counter()
    log = simulate(args.learners, args.skills, args.items, args.seed)
    train = [a for a in log if a.learner % 2 == 0]
    test = sequences([a for a in log if a.learner % 2 == 1])
    outcomes = [a.correct for seq in test for a in seq]
    print(
        f"{len(log)} responses: {args.learners} learners x {args.skills} skills "
        f"({args.items} items each, {ATTEMPTS[0]}-{ATTEMPTS[1]} attempts), seed {args.seed}; "
        f"train {len(train)}, test {len(outcomes)} (mean success {mean(outcomes):.3f})"
    )

    authored = BktParams()
    fit_started = time.perf_counter()
    fits = fit_bkt(((a.learner, a.skill, a.correct) for a in train), lambda _s: authored)
    fit_seconds = time.perf_counter() - fit_started
    print(
        f"\nauthored: prior {authored.prior:.2f} learn {authored.learn:.2f} "
        f"slip {authored.slip:.2f} guess {authored.guess:.2f}"
    )
    print(f"fitted per skill ({fit_seconds:.1f} s for {len(train)} responses):")
    for skill, fit in sorted(fits.items()):
        p = fit.params
        print(
            f"  {skill:<9} prior {p.prior:.2f} learn {p.learn:.2f} slip {p.slip:.2f} "
            f"guess {p.guess:.2f}  ({fit.learners} learners, {fit.responses} responses, "
            f"{'fitted' if fit.fitted else 'authored'})"
        )

    def fitted(skill: str) -> BktParamsLike:
        return fits[skill].params if skill in fits else authored

    models = {
        "authored": bkt_predictions(test, lambda _s: authored),
        "fitted": bkt_predictions(test, fitted),
        "running accuracy": running_accuracy(test),
        "elo": elo_predictions(test, train),
    }
    print(f"\n{'next-response prediction':<26}{'AUC':>7}{'RMSE':>8}")
    for name, predictions in models.items():
        print(f"{name:<26}{auc(predictions, outcomes):>7.3f}{rmse(predictions, outcomes):>8.3f}")

    print(f"\ncalibration after the gate (p >= {MASTERY_THRESHOLD}), next {NEXT_ITEMS} responses:")
    print(
        f"{'params':<10}{'reached':>15}{'at resp':>8}{'predicted':>11}{'observed':>10}"
        f"{'gap pts':>9}"
    )
    print_gate("authored", after_gate(test, lambda _s: authored), len(test))
    print_gate("fitted", after_gate(test, fitted), len(test))
    print(f"mastered (a right check after the gate), next {NEXT_ITEMS} responses after it:")
    print_gate("authored", after_gate(test, lambda _s: authored, checked=True), len(test))
    print_gate("fitted", after_gate(test, fitted, checked=True), len(test))
    print("(goal: |gap| <= 5 points)")
    print(f"\n({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
