"""A skill's standing over time: learning, proficient at the gate, mastered once it lasts.

P(known) comes from Bayesian Knowledge Tracing (``bkt.update``), one observation per
graded attempt. Reaching the threshold in practice makes a skill *proficient*: it unlocks
the skills that need it and leaves practice. It becomes *mastered* only when a spaced
check succeeds: a review of one of its items on a later day (a later date in the
learner's time zone, and at least ``MIN_CHECK_GAP`` after it became proficient), recalled
cleanly (first try, no hint). A check that fails drops the skill back to learning with
its estimate below the gate, so it is practised, shown again and checked again. Any
observation that takes P(known) below the gate drops a proficient or mastered skill too.

Two kinds of evidence never lift a skill through the gate on their own: a placement
answer (a single item, before any teaching) and a review of a skill still learning (a
memory check, not practice). Their estimate is capped below the gate.

Pure: no I/O, times passed in, UTC-aware datetimes only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Final, Literal

from bot.learning.bkt import BktParamsLike, update

__all__ = [
    "MIN_CHECK_GAP",
    "PLACEMENT_MARGIN",
    "RECHECK_MARGIN",
    "Event",
    "Observation",
    "SkillState",
    "Status",
    "Transition",
    "check_is_due",
    "observe",
    "placement_cap",
]

Status = Literal["learning", "proficient", "mastered"]
Event = Literal["proficient", "mastered", "dropped"]

MIN_CHECK_GAP: Final = timedelta(hours=8)  # a night's sleep, even across midnight
# Below the gate by this much after a failed check, and at most this far below it from
# placement: one clean answer in practice (with the default parameters) passes the gate.
RECHECK_MARGIN: Final = 0.05
PLACEMENT_MARGIN: Final = 0.05
STATUSES: Final = ("learning", "proficient", "mastered")


def _aware(moment: datetime, name: str) -> datetime:
    """Refuse a naive datetime."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (UTC), got naive {moment!r}")
    return moment


@dataclass(frozen=True)
class SkillState:
    """One learner's standing on one skill."""

    p_known: float
    status: Status = "learning"
    proficient_at: datetime | None = None  # when it last reached the gate in practice
    mastered_at: datetime | None = None  # when a spaced check confirmed it
    checked_at: datetime | None = None  # the last spaced check, passed or failed

    def __post_init__(self) -> None:
        """Refuse an unknown status or a probability outside [0, 1]."""
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")
        if not 0.0 <= self.p_known <= 1.0:
            raise ValueError(f"p_known must be in [0, 1], got {self.p_known!r}")

    @property
    def unlocks(self) -> bool:
        """Tell whether the skill opens what depends on it (proficient or mastered)."""
        return self.status != "learning"


@dataclass(frozen=True)
class Observation:
    """One graded attempt at one of the skill's items.

    ``credit``: the evidence credit in [0, 1]. ``review``: None outside a review; in a
    review, True when the item was recalled cleanly (first try, no hint), False when not.
    ``placement``: a placement answer, capped below the gate.
    """

    credit: float
    at: datetime
    review: bool | None = None
    placement: bool = False


@dataclass(frozen=True)
class Transition:
    """The skill's new standing and what changed, if anything worth telling."""

    state: SkillState
    event: Event | None = None


def placement_cap(threshold: float) -> float:
    """Return the highest estimate placement alone can give a skill."""
    return threshold - PLACEMENT_MARGIN


def check_is_due(since: datetime, at: datetime, zone: tzinfo = UTC) -> bool:
    """Tell whether a review at ``at`` is on a later day than ``since``, far enough apart."""
    _aware(since, "since")
    _aware(at, "at")
    later_day = at.astimezone(zone).date() > since.astimezone(zone).date()
    return later_day and at - since >= MIN_CHECK_GAP


def observe(
    state: SkillState,
    observation: Observation,
    params: BktParamsLike,
    threshold: float,
    zone: tzinfo = UTC,
) -> Transition:
    """Return the skill's standing after one observation.

    ``zone`` is the learner's time zone, which decides what "a later day" is.
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be in (0, 1), got {threshold!r}")
    at = _aware(observation.at, "observation time")
    p = update(state.p_known, observation.credit, params)
    if observation.placement or (observation.review is not None and state.status == "learning"):
        ceiling = placement_cap(threshold) if observation.placement else threshold - RECHECK_MARGIN
        p = min(p, max(ceiling, state.p_known))
        if state.status == "learning":
            return Transition(replace(state, p_known=p))
    checked = state.status == "proficient" and (
        observation.review is not None
        and state.proficient_at is not None
        and check_is_due(state.proficient_at, at, zone)
    )
    if checked and not observation.review:
        dropped = SkillState(min(p, threshold - RECHECK_MARGIN), checked_at=at)
        return Transition(dropped, "dropped")
    if p < threshold:
        if state.status == "learning":
            return Transition(replace(state, p_known=p))
        return Transition(SkillState(p, checked_at=at if checked else state.checked_at), "dropped")
    if state.status == "learning":
        return Transition(SkillState(p, "proficient", proficient_at=at), "proficient")
    if checked:
        return Transition(
            replace(state, p_known=p, status="mastered", mastered_at=at, checked_at=at), "mastered"
        )
    return Transition(replace(state, p_known=p))
