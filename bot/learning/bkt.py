"""Bayesian Knowledge Tracing: the probability that a learner knows one skill.

Each observation is one graded attempt reduced to an evidence credit in [0, 1]: a clean
solve is full evidence of knowing, a solve after hints is weaker evidence, a wrong answer
is none (and every wrong answer is an observation). The update is the standard BKT
posterior followed by the learning transition. Parameters come from any object with float
``prior``, ``learn``, ``slip`` and ``guess`` attributes, such as
``bot.content.models.BktParams`` or the parameters fitted from the deployment's logs.
What the estimate means for the learner (proficient, mastered) is ``bot.learning.mastery``.
"""

from __future__ import annotations

from typing import Final, Protocol

__all__ = [
    "MASTERY_THRESHOLD",
    "BktParamsLike",
    "evidence_credit",
    "is_mastered",
    "predicted_success",
    "update",
]

MASTERY_THRESHOLD: Final = 0.95
P_MIN: Final = 0.0001
P_MAX: Final = 0.9999
MAX_RUNG: Final = 3  # nudge, specific hint, worked step
# Credit of a solve by the highest hint rung reached before it (0 = no hint).
RUNG_CREDIT: Final = (1.0, 0.7, 0.4, 0.1)


class BktParamsLike(Protocol):
    """The four BKT parameters of one skill."""

    @property
    def prior(self) -> float: ...

    @property
    def learn(self) -> float: ...

    @property
    def slip(self) -> float: ...

    @property
    def guess(self) -> float: ...


def _check_probability(name: str, value: float) -> None:
    """Raise ValueError unless value is a probability."""
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be in [0, 1], got {value!r}")


def _clamp(p: float) -> float:
    """Keep a probability away from 0 and 1 so evidence can always move it."""
    return min(P_MAX, max(P_MIN, p))


def evidence_credit(solved: bool, hint_rung: int, skipped: bool = False) -> float:
    """Return how strongly one outcome shows the skill is known, from 0 to 1."""
    if not 0 <= hint_rung <= MAX_RUNG:
        raise ValueError(f"hint_rung must be in [0, {MAX_RUNG}], got {hint_rung!r}")
    if skipped or not solved:
        return 0.0
    return RUNG_CREDIT[hint_rung]


def predicted_success(p_known: float, params: BktParamsLike) -> float:
    """Return the probability of a correct answer: p(1 - slip) + (1 - p) guess."""
    _check_probability("p_known", p_known)
    return p_known * (1.0 - params.slip) + (1.0 - p_known) * params.guess


def update(p_known: float, credit: float, params: BktParamsLike) -> float:
    """Return P(known) after one observation and the learning transition.

    With p = p_known, s = slip, g = guess:

    - correct posterior   = p(1 - s) / (p(1 - s) + (1 - p) g)
    - incorrect posterior = p s / (p s + (1 - p)(1 - g))
    - posterior = credit * correct + (1 - credit) * incorrect, so credit 1 is the
      textbook correct-answer update, credit 0 the incorrect one, and partial credit
      (a solve after hints) interpolates linearly between the two;
    - then p' = posterior + (1 - posterior) * learn, clamped to [0.0001, 0.9999].
    """
    _check_probability("p_known", p_known)
    _check_probability("credit", credit)
    p = _clamp(p_known)
    slip, guess = params.slip, params.guess
    correct = p * (1.0 - slip) / (p * (1.0 - slip) + (1.0 - p) * guess)
    incorrect = p * slip / (p * slip + (1.0 - p) * (1.0 - guess))
    posterior = credit * correct + (1.0 - credit) * incorrect
    return _clamp(posterior + (1.0 - posterior) * params.learn)


def is_mastered(p_known: float, threshold: float = MASTERY_THRESHOLD) -> bool:
    """Return whether P(known) has reached the mastery threshold."""
    return p_known >= threshold
