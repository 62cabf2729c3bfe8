"""Compare this project's FSRS review scheduling with a fixed 1-3-7-14-30-day ladder.

Usage (from the repo root): python bench/bench_review_policies.py [--items N]
    [--learners L] [--days 180] [--seed S] [--retention 0.9] [--no-optimiser] [--no-bound]
    [--truth spacing|fsrs]

Simulated truth, one memory per learner x item pair (independent of FSRS's own model;
the population and the policies live in ``review_simulation.py``):

- initial stability S0 (days) is log-normal: a median of 1.5 days times an item factor,
  a learner factor and a pair factor (log sds 0.6, 0.4, 0.4);
- the growth factor G of a successful review is 1 + log-normal (median 1.5, log sds 0.3
  item, 0.2 learner, 0.2 pair), so a median pair multiplies its stability by 2.5;
- recall probability t days after the last review is R = (1 + t / (9 S))^-1, the FSRS v4
  power curve (R = 0.9 at t = S); FSRS-6 schedules with its own, flatter curve (decay
  0.1542), so the scheduler works with a mis-specified curve, as it will with real learners;
- a review recalls with probability R; a success sets S *= 1 + (G - 1) (1 - R) / 0.1
  (spacing effect: gains scale with how much was forgotten, G itself at R = 0.9, almost
  nothing for massed practice at R near 1); a failure sets S = max(0.25, 0.3 S), and the
  learner is shown the answer, so the clock restarts at every review either way.

Every pair is introduced (solved once, not counted as a review) at day 0, 00:00 UTC.
Policies, run on the same population with the same per-pair random streams:

- fsrs: ``bot.learning.memory.review`` (no same-day learning steps, no fuzzing) at
  desired retention 0.9 (``--retention``), each review at the card's due time. The grade
  comes from ``rating_for``: a failure is unsolved (Again); a success is a first-try,
  hint-free solve taking 15 s (Easy) when true R >= 0.95, else 60 s (Good);
- ladder: reviews 1, 3, 7, 14 and 30 days apart, then every 30 days; a failure restarts
  the ladder (next review 1 day later).

Reported: reviews per item in the first ``days`` days, and average true retention, the
mean of R sampled daily at 12:00 UTC over all pairs and days. The comparison that counts
is at equal true retention: FSRS's desired retention is tuned by bisection until its true
retention matches the ladder's within 0.005 (goal: FSRS at most 0.7 times the ladder's
reviews). Then the same with FSRS parameters optimised by ``fsrs_rs_python`` (a Rust
optimiser, no deep-learning framework) on the review logs of a second population drawn
from the same distribution (another seed) and scheduled by default FSRS at 0.9: the
deployment's situation, which schedules with the defaults until it has logs to fit.

Retention can also be read as the share of reviews recalled (Anki's "true retention",
what FSRS's desired retention aims at): the last lines compare at an equal share, with the
time-averaged retention each policy then keeps.

A row bounds what any scheduler that holds one retention can reach here: an oracle
that knows each pair's true memory and reviews it exactly when its true recall falls to
one target, that target matched to the ladder's retention like FSRS's. Under a spacing
effect, reviews at a high recall add little stability, and the ladder's growing intervals
review young memories at lower recall and old ones at higher: when even the oracle needs
about the ladder's reviews, FSRS's desired retention cannot reach the goal in this truth.

A last row bounds every scheduler, one retention or not: a planner that knows each pair's
true memory and the horizon, and spends each review where it buys the most retention
(dynamic programming, ``review_bound.py``), priced until it keeps the ladder's retention.
No scheduler reaches the goal in this truth when this planner needs more than 0.7 of the
ladder's reviews.

``--truth fsrs`` runs everything (the planner aside, which is built for the spacing truth)
on a second truth, FSRS-6's own memory model with a difficulty and stability per pair
(``fsrs_truth.py``): the scheduler then knows the true curve and rules, so a goal missed
there is not missed for want of a better memory model.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fsrs_truth import FsrsPair, fsrs_population
from review_bound import Plan, PlannedPolicy, plan_for, plans
from review_simulation import (
    DESIRED_RETENTION,
    FsrsPolicy,
    LadderPolicy,
    OraclePolicy,
    Pair,
    Policy,
    Subject,
    population,
    simulate,
)

MATCH = 0.005  # retentions this close count as equal
GOAL_RATIO = 0.7

Result = tuple[float, float, float]  # reviews per item, lapses per item, mean true retention
P = TypeVar("P", bound=Subject)


def run(pairs: Sequence[P], make: Callable[[P], Policy], days: int, seed: int) -> Result:
    """Return reviews per item, lapses per item and mean true retention for one policy."""
    outcomes = [
        simulate(pair, make(pair), days, random.Random(seed * 1_000_003 + index))
        for index, pair in enumerate(pairs)
    ]
    n = len(outcomes)
    return (
        sum(o.reviews for o in outcomes) / n,
        sum(o.lapses for o in outcomes) / n,
        sum(o.retention_sum for o in outcomes) / (n * days),
    )


def fsrs_at(
    desired: float, parameters: tuple[float, ...] | None = None
) -> Callable[[Subject], Policy]:
    """FSRS at this desired retention (with these weights), for every pair alike."""
    return lambda _pair: FsrsPolicy(desired, parameters)


def oracle_at(target: float) -> Callable[[Subject], Policy]:
    """The oracle holding this true retention at every review."""
    return lambda pair: OraclePolicy(pair, target)


def average_retention(result: Result) -> float:
    """The mean true recall over all days: what the comparison at equal retention holds."""
    return result[2]


def pass_rate(result: Result) -> float:
    """The share of reviews recalled: Anki's "true retention", what FSRS's target aims at."""
    reviews, lapses, _ = result
    return 1.0 - lapses / reviews if reviews else 1.0


def match_retention(
    pairs: Sequence[Subject],
    target: float,
    days: int,
    seed: int,
    policy: Callable[[float], Callable[[Subject], Policy]] = fsrs_at,
    metric: Callable[[Result], float] = average_retention,
) -> tuple[float, Result]:
    """Bisect a policy's retention knob until its ``metric`` is within MATCH of target.

    Returns the knob's value and the result closest to the target (the metric rises with
    the knob); keeps narrowing to within MATCH / 5 when it can.
    """
    low, high = 0.70, 0.995
    best: tuple[float, Result] | None = None
    for _ in range(14):
        desired = (low + high) / 2.0
        result = run(pairs, policy(desired), days, seed)
        if best is None or abs(metric(result) - target) < abs(metric(best[1]) - target):
            best = (desired, result)
        if abs(metric(result) - target) <= MATCH / 5:
            break
        low, high = (desired, high) if metric(result) < target else (low, desired)
    assert best is not None
    return best


def planner(options: list[Plan]) -> Callable[[Pair], Policy]:
    """The planner following, for each pair, the plan made for its growth factor."""
    return lambda pair: PlannedPolicy(pair, plan_for(pair, options))


def match_price(pairs: list[Pair], target: float, days: int, seed: int) -> tuple[float, Result]:
    """Price reviews for the planner until it keeps ``target`` retention (within MATCH).

    Bisects the price per review in log space (retention falls as the price rises) and
    returns the price and the result closest to the target.
    """
    low, high = math.log(0.05), math.log(20.0)
    best: tuple[float, Result] | None = None
    for _ in range(10):
        middle = (low + high) / 2.0
        price = math.exp(middle)
        result = run(pairs, planner(plans(pairs, price, days)), days, seed)
        if best is None or abs(result[2] - target) < abs(best[1][2] - target):
            best = (price, result)
        if abs(result[2] - target) <= MATCH / 5:
            break
        low, high = (low, middle) if result[2] < target else (middle, high)
    assert best is not None
    return best


def optimised_parameters(
    pairs: Sequence[Subject], days: int, seed: int
) -> tuple[float, ...] | None:
    """Fit FSRS weights to default-FSRS review logs of these pairs, or None without fsrs-rs."""
    try:
        from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS, FSRSItem, FSRSReview
    except ImportError:
        return None
    items = []
    for index, pair in enumerate(pairs):
        policy = FsrsPolicy()
        simulate(pair, policy, days, random.Random(seed * 1_000_003 + index))
        reviews, last = [], 0.0
        for at, rating in policy.history:
            reviews.append(FSRSReview(rating, round(at - last)))
            last = at
            item = FSRSItem(list(reviews))
            if item.long_term_review_cnt() > 0:
                items.append(item)
    weights = FSRS(DEFAULT_PARAMETERS).compute_parameters(items, enable_short_term=False)
    return tuple(float(w) for w in weights)


def describe(pairs: Sequence[Subject]) -> str:
    """The spread of the population's true memory parameters."""
    spacing = [p for p in pairs if isinstance(p, Pair)]
    fsrs = [p for p in pairs if isinstance(p, FsrsPair)]
    named = [
        ("true S0 days", [p.s0 for p in spacing] + [p.s0 for p in fsrs]),
        ("growth", [p.growth for p in spacing]),
        ("difficulty", [p.difficulty for p in fsrs]),
    ]
    parts = []
    for name, values in named:
        if values:
            values.sort()
            parts.append(
                f"{name}: p10 {values[len(values) // 10]:.2f}  median "
                f"{statistics.median(values):.2f}  p90 {values[9 * len(values) // 10]:.2f}"
            )
    return "; ".join(parts)


def print_row(name: str, desired: float | None, result: Result) -> None:
    """Print one policy's figures."""
    reviews, lapses, retention = result
    shown = f"{desired:.3f}" if desired is not None else "-"
    print(f"{name:<40}{shown:>8}{reviews:>14.2f}{lapses:>13.2f}{retention:>20.3f}")


def print_ratio(name: str, fsrs: Result, ladder: Result) -> None:
    """Print FSRS's reviews per item as a share of the ladder's; judge it at equal retention."""
    ratio = fsrs[0] / ladder[0]
    if abs(fsrs[2] - ladder[2]) > MATCH:
        verdict = "retentions differ: not comparable"
    else:
        verdict = f"{'meets' if ratio <= GOAL_RATIO else 'misses'} the goal <= {GOAL_RATIO:.1f}"
    print(
        f"  {name}: {ratio:.2f} of the ladder's reviews at retention "
        f"{fsrs[2]:.3f} vs {ladder[2]:.3f} ({verdict})"
    )


def main(argv: list[str] | None = None) -> None:
    """Simulate the population under both policies and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--items", type=int, default=40, help="items per learner")
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--retention", type=float, default=DESIRED_RETENTION, help="FSRS desired retention"
    )
    parser.add_argument(
        "--no-optimiser", action="store_true", help="skip the optimised-parameters rows"
    )
    parser.add_argument(
        "--no-bound", action="store_true", help="skip the planner that bounds every scheduler"
    )
    parser.add_argument(
        "--truth",
        choices=("spacing", "fsrs"),
        default="spacing",
        help="the simulated memory: the spacing truth, or FSRS-6's own model (fsrs_truth.py)",
    )
    args = parser.parse_args(argv)
    if args.items < 1 or args.learners < 1 or args.days < 1:
        parser.error("--items, --learners and --days must be positive")
    if not 0.0 < args.retention < 1.0:
        parser.error("--retention must be in (0, 1)")

    started = time.perf_counter()
    draw = fsrs_population if args.truth == "fsrs" else population
    pairs: Sequence[Subject] = draw(args.learners, args.items, args.seed)
    print(
        f"{len(pairs)} pairs ({args.learners} learners x {args.items} items), "
        f"{args.days} days, seed {args.seed}, {args.truth} truth"
    )
    print(describe(pairs))
    fsrs = run(pairs, fsrs_at(args.retention), args.days, args.seed)
    ladder = run(pairs, lambda _pair: LadderPolicy(), args.days, args.seed)
    matched_at, matched = match_retention(pairs, ladder[2], args.days, args.seed)
    oracle_at_value, oracle = match_retention(pairs, ladder[2], args.days, args.seed, oracle_at)

    print()
    print(
        f"{'policy':<40}{'desired':>8}{'reviews/item':>14}{'lapses/item':>13}"
        f"{'avg true retention':>20}"
    )
    print_row("ladder 1-3-7-14-30", None, ladder)
    print_row("fsrs, default weights", args.retention, fsrs)
    print_row("fsrs, default weights, matched", matched_at, matched)
    print_row("oracle at one true retention, matched", oracle_at_value, oracle)
    optimised: Result | None = None
    weights: tuple[float, ...] | None = None
    notes = []
    if args.no_optimiser:
        print(f"{'fsrs, optimised weights':<40}  skipped (--no-optimiser)")
    else:
        fit_started = time.perf_counter()
        weights = optimised_parameters(
            draw(args.learners, args.items, args.seed + 1), args.days, args.seed + 1
        )
        fit_seconds = time.perf_counter() - fit_started
        if weights is None:
            print(f"{'fsrs, optimised weights':<40}  not available (fsrs_rs_python not installed)")
        else:
            tuned = run(pairs, fsrs_at(args.retention, weights), args.days, args.seed)
            opt_at, optimised = match_retention(
                pairs, ladder[2], args.days, args.seed, partial(fsrs_at, parameters=weights)
            )
            print_row("fsrs, optimised weights", args.retention, tuned)
            print_row("fsrs, optimised weights, matched", opt_at, optimised)
            notes.append(
                f"  optimised weights fitted in {fit_seconds:.1f} s on a second population "
                f"(seed {args.seed + 1}): {', '.join(f'{w:.3f}' for w in weights)}"
            )
    planned: Result | None = None
    spacing = [pair for pair in pairs if isinstance(pair, Pair)]
    if args.no_bound or len(spacing) < len(pairs):
        why = "--no-bound" if args.no_bound else "built for the spacing truth"
        print(f"{'planner knowing every memory':<40}  skipped ({why})")
    else:
        plan_started = time.perf_counter()
        price, planned = match_price(spacing, ladder[2], args.days, args.seed)
        print_row("planner knowing every memory, matched", None, planned)
        notes.append(
            f"  the planner prices a review at {price:.3f} days of recall "
            f"(found in {time.perf_counter() - plan_started:.1f} s)"
        )
    print()
    print_ratio(f"fsrs at {args.retention:g}", fsrs, ladder)
    rows = (
        ("fsrs matched", matched),
        ("fsrs optimised, matched", optimised),
        ("oracle matched", oracle),
        ("planner matched (no scheduler does better)", planned),
    )
    for name, result in rows:
        if result is None:
            continue
        print_ratio(name, result, ladder)
    for note in notes:
        print(note)
    print_pass_rates(pairs, ladder, args.days, args.seed, weights)
    print(f"\n({time.perf_counter() - started:.1f} s)")


def print_pass_rates(
    pairs: Sequence[Subject],
    ladder: Result,
    days: int,
    seed: int,
    weights: tuple[float, ...] | None,
) -> None:
    """The same comparison with retention read as the share of reviews recalled."""
    target = pass_rate(ladder)
    print(
        f"\nat equal share of reviews recalled (Anki's true retention; ladder {target:.3f}),"
        " the time-averaged retention each keeps in brackets:"
    )
    policies: list[tuple[str, Callable[[float], Callable[[Subject], Policy]]]] = [
        ("fsrs matched", fsrs_at),
        ("oracle matched", oracle_at),
    ]
    if weights is not None:
        policies.insert(1, ("fsrs optimised, matched", partial(fsrs_at, parameters=weights)))
    for name, policy in policies:
        knob, result = match_retention(pairs, target, days, seed, policy, pass_rate)
        ratio = result[0] / ladder[0]
        print(
            f"  {name} (at {knob:.3f}): {ratio:.2f} of the ladder's reviews, recalled "
            f"{pass_rate(result):.3f} ({average_retention(result):.3f} vs "
            f"{average_retention(ladder):.3f})"
        )


if __name__ == "__main__":
    main()
