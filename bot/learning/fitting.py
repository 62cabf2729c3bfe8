"""Fit BKT parameters per skill from learners' recorded attempts.

The input is the deployment's attempt log as time-ordered ``(learner, skill, credit)``
records, credit being 0/1 or an evidence credit in [0, 1] (``bkt.evidence_credit``).
Each learner's attempts at one skill form one sequence of a two-state hidden Markov
model (unknown -> known with probability ``learn``, never back: forget = 0), and the
parameters are the maximum-likelihood ones, found by expectation-maximisation
(Baum-Welch) from several fixed starting points, all skills and starts at once.

A partial credit c enters the likelihood as a fractional Bernoulli observation:
P(c | known) = (1 - slip)^c slip^(1 - c) and P(c | unknown) = guess^c (1 - guess)^(1 - c),
so 0/1 credits give the textbook BKT likelihood and the M-step stays closed-form.

Bounds (each M-step maximises within them, so EM still never lowers the likelihood):

- slip and guess in [0.01, 0.30], hence guess + slip <= 0.6 < 1: a correct answer is
  always evidence of knowing, never of not knowing (the "degenerate" BKT solutions);
- learn in [0.01, 0.60];
- prior in [0.01, 0.90], below the 0.95 gate: no learner is proficient before any
  evidence of their own.

A skill is fitted only with at least ``MIN_LEARNERS`` (20) learners and ``MIN_RESPONSES``
(200) responses; others keep the authored parameters, which stay the prior until then.
The function is pure: no I/O, no randomness, the same log always gives the same fit.

Why not pyBKT: its 1.4.3 release does not import with scikit-learn >= 1.6 nor fit with
numpy 2 (both in this project's lock), its pure-Python fallback took 17 s (one start) to
65 s (five) per fit where this takes 0.2 to 0.3 s on the same 16,000 simulated responses with
the same estimates, and it truncates a fractional credit to 0.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.learning.bkt import BktParamsLike

__all__ = [
    "BOUNDS",
    "MIN_LEARNERS",
    "MIN_RESPONSES",
    "FittedParams",
    "SkillFit",
    "fit_bkt",
]

MIN_LEARNERS: Final = 20
MIN_RESPONSES: Final = 200
BOUNDS: Final = {
    "prior": (0.01, 0.90),
    "learn": (0.01, 0.60),
    "slip": (0.01, 0.30),
    "guess": (0.01, 0.30),
}
MAX_ITERATIONS: Final = 200
TOLERANCE: Final = 1e-7  # stop when no log-likelihood per response rises by more
# Starting points (prior, learn, slip, guess) besides the authored parameters: EM for BKT
# has local optima, so each skill keeps the best of these runs.
STARTS: Final = (
    (0.50, 0.10, 0.10, 0.20),
    (0.20, 0.30, 0.05, 0.10),
    (0.70, 0.05, 0.20, 0.25),
)
_FLOOR: Final = 1e-300  # keeps logs finite where a probability underflows
_STATS: Final = (
    "log_likelihood",
    "prior",
    "learned",
    "unknown_before",
    "known",
    "known_missed",
    "unknown",
    "unknown_solved",
)

Array = npt.NDArray[np.float64]
Record = tuple[Hashable, str, float]


@dataclass(frozen=True)
class FittedParams:
    """The BKT parameters of one skill (forget is always 0 here)."""

    prior: float
    learn: float
    slip: float
    guess: float
    forget: float = 0.0


@dataclass(frozen=True)
class SkillFit:
    """One skill's parameters, whether they were fitted, and the data behind them."""

    params: FittedParams
    fitted: bool
    learners: int
    responses: int
    log_likelihood: float | None = None  # of the skill's data under params, when fitted
    iterations: int = 0  # EM iterations of the run (all skills are fitted together)


def _sequences(records: Iterable[Record]) -> dict[str, dict[Hashable, list[float]]]:
    """Group credits by skill and learner, keeping their order."""
    by_skill: dict[str, dict[Hashable, list[float]]] = {}
    for learner, skill, credit in records:
        value = float(credit)
        if not 0.0 <= value <= 1.0:  # also refuses NaN
            raise ValueError(f"credit must be in [0, 1], got {credit!r}")
        by_skill.setdefault(skill, {}).setdefault(learner, []).append(value)
    return by_skill


@dataclass
class _Bucket:
    """Sequences of similar length, padded into time-major arrays."""

    credit: Array  # (T, R)
    mask: Array  # (T, R), 1.0 where a response exists
    skill: npt.NDArray[np.intp]  # (R,), index of each row's skill


def _buckets(sequences: list[tuple[int, list[float]]]) -> list[_Bucket]:
    """Pad sequences in length bands (1, 2, 3-4, 5-8, ...) so padding at most doubles work."""
    bands: dict[int, list[tuple[int, list[float]]]] = {}
    for skill, seq in sequences:
        bands.setdefault((len(seq) - 1).bit_length(), []).append((skill, seq))
    buckets = []
    for band in sorted(bands):
        rows = bands[band]
        length = max(len(seq) for _, seq in rows)
        credit = np.zeros((length, len(rows)))
        mask = np.zeros((length, len(rows)))
        for r, (_, seq) in enumerate(rows):
            credit[: len(seq), r] = seq
            mask[: len(seq), r] = 1.0
        skills = np.array([s for s, _ in rows], dtype=np.intp)
        buckets.append(_Bucket(credit, mask, skills))
    return buckets


def _clip(name: str, values: Array) -> Array:
    """Keep one parameter inside its bounds."""
    low, high = BOUNDS[name]
    return np.clip(values, low, high)


def _e_step(bucket: _Bucket, params: dict[str, Array], stats: dict[str, Array]) -> None:
    """Add one bucket's expected counts (per start and skill) to stats.

    params hold (K, S) arrays for K starts and S skills; the forward pass keeps the
    filtered P(known) and the backward pass the scaled likelihood of what follows.
    """
    credit, mask = bucket.credit[:, None, :], bucket.mask[:, None, :]
    prior, learn, slip, guess = (params[n][:, bucket.skill] for n in BOUNDS)  # (K, R)
    miss = 1.0 - credit
    log_k = credit * np.log(1.0 - slip) + miss * np.log(slip)
    log_u = credit * np.log(guess) + miss * np.log(1.0 - guess)
    e_known = np.where(mask > 0, np.exp(log_k), 1.0)  # (T, K, R); padding is uninformative
    e_unknown = np.where(mask > 0, np.exp(log_u), 1.0)

    steps = credit.shape[0]
    filtered = np.empty_like(e_known)  # P(known at t | responses up to t)
    norm = np.empty_like(e_known)  # P(response t | responses before t)
    p_known = prior
    for t in range(steps):
        known = p_known * e_known[t]
        total = known + (1.0 - p_known) * e_unknown[t]
        norm[t] = total
        filtered[t] = known / total
        p_known = filtered[t] + (1.0 - filtered[t]) * learn

    gamma_k = np.empty_like(e_known)  # P(known at t | all responses)
    learned = np.zeros_like(e_known)  # P(unknown at t, known at t + 1 | all responses)
    beta_k = np.ones_like(prior)
    beta_u = np.ones_like(prior)
    gamma_k[steps - 1] = filtered[steps - 1]
    for t in range(steps - 2, -1, -1):
        to_known = e_known[t + 1] * beta_k / norm[t + 1]
        to_unknown = e_unknown[t + 1] * beta_u / norm[t + 1]
        learned[t] = (1.0 - filtered[t]) * learn * to_known
        beta_u = (1.0 - learn) * to_unknown + learn * to_known
        beta_k = to_known
        gamma_k[t] = filtered[t] * beta_k

    gamma_u = 1.0 - gamma_k
    has_next = np.concatenate([mask[1:], np.zeros_like(mask[:1])])  # a transition follows t

    def add(name: str, per_row: Array) -> None:
        """Sum a (K, R) statistic into (K, S) by each row's skill."""
        total = stats[name]
        for k in range(total.shape[0]):
            total[k] += np.bincount(bucket.skill, weights=per_row[k], minlength=total.shape[1])

    add("log_likelihood", (np.log(np.maximum(norm, _FLOOR)) * mask).sum(axis=0))
    add("prior", gamma_k[0])
    add("learned", (learned * has_next).sum(axis=0))
    add("unknown_before", (gamma_u * has_next).sum(axis=0))
    add("known", (gamma_k * mask).sum(axis=0))
    add("known_missed", (gamma_k * miss * mask).sum(axis=0))
    add("unknown", (gamma_u * mask).sum(axis=0))
    add("unknown_solved", (gamma_u * credit * mask).sum(axis=0))


def _m_step(stats: dict[str, Array], learners: Array) -> dict[str, Array]:
    """Return the bounded maximum-likelihood parameters for the expected counts."""

    def ratio(top: Array, bottom: Array) -> Array:
        return top / np.maximum(bottom, _FLOOR)

    return {
        "prior": _clip("prior", stats["prior"] / learners),
        "learn": _clip("learn", ratio(stats["learned"], stats["unknown_before"])),
        "slip": _clip("slip", ratio(stats["known_missed"], stats["known"])),
        "guess": _clip("guess", ratio(stats["unknown_solved"], stats["unknown"])),
    }


def _starts(authored: list[BktParamsLike]) -> dict[str, Array]:
    """Return (K, S) starting parameters: each skill's authored ones, then the fixed grid."""
    rows = [[(p.prior, p.learn, p.slip, p.guess) for p in authored]]
    rows += [[start] * len(authored) for start in STARTS]
    grid = np.array(rows, dtype=np.float64)  # (K, S, 4)
    return {name: _clip(name, grid[:, :, i]) for i, name in enumerate(BOUNDS)}


def _expected_counts(buckets: list[_Bucket], params: dict[str, Array]) -> dict[str, Array]:
    """Return the E-step's expected counts, and the log-likelihood, per start and skill."""
    stats = {name: np.zeros_like(params["prior"]) for name in _STATS}
    for bucket in buckets:
        _e_step(bucket, params, stats)
    return stats


def _run_em(
    buckets: list[_Bucket], params: dict[str, Array], learners: Array, responses: Array
) -> tuple[dict[str, Array], Array, int]:
    """Iterate EM until no run gains; return the parameters, log-likelihoods, iterations."""
    stats = _expected_counts(buckets, params)
    iteration = 0
    while iteration < MAX_ITERATIONS:
        iteration += 1
        new_params = _m_step(stats, learners)
        new_stats = _expected_counts(buckets, new_params)
        gain = (new_stats["log_likelihood"] - stats["log_likelihood"]) / responses
        params, stats = new_params, new_stats
        if np.all(gain < TOLERANCE):
            break
    return params, stats["log_likelihood"], iteration


def fit_bkt(
    records: Iterable[Record],
    authored: Callable[[str], BktParamsLike],
    *,
    min_learners: int = MIN_LEARNERS,
    min_responses: int = MIN_RESPONSES,
) -> dict[str, SkillFit]:
    """Fit BKT parameters for every skill in the time-ordered records.

    ``authored(skill)`` gives a skill's course parameters: a starting point of the fit,
    and the result for a skill with fewer than ``min_learners`` learners or
    ``min_responses`` responses.
    """
    by_skill = _sequences(records)
    result: dict[str, SkillFit] = {}
    chosen: list[str] = []
    for skill, learners in by_skill.items():
        responses = sum(len(seq) for seq in learners.values())
        if len(learners) >= min_learners and responses >= min_responses:
            chosen.append(skill)
            continue
        own = authored(skill)
        result[skill] = SkillFit(
            FittedParams(own.prior, own.learn, own.slip, own.guess),
            fitted=False,
            learners=len(learners),
            responses=responses,
        )
    if not chosen:
        return result

    sequences = [(s, seq) for s, skill in enumerate(chosen) for seq in by_skill[skill].values()]
    learner_counts = np.array([len(by_skill[s]) for s in chosen], dtype=np.float64)
    response_counts = np.array(
        [sum(len(seq) for seq in by_skill[s].values()) for s in chosen], dtype=np.float64
    )
    params, log_likelihood, iterations = _run_em(
        _buckets(sequences),
        _starts([authored(s) for s in chosen]),
        learner_counts,
        response_counts,
    )
    best = np.argmax(log_likelihood, axis=0)  # (S,): the best start of each skill
    for s, skill in enumerate(chosen):
        k = int(best[s])
        fitted = FittedParams(*(float(params[name][k, s]) for name in BOUNDS))
        result[skill] = SkillFit(
            fitted,
            fitted=True,
            learners=int(learner_counts[s]),
            responses=int(response_counts[s]),
            log_likelihood=float(log_likelihood[k, s]),
            iterations=iterations,
        )
    return result
