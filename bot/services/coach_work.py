"""A client's work on one assignment, read back from the recorded dialogues.

Each step's transcript keeps the tutor's move beside its words, so the coach can be shown
the client's own words, what was probed (and for which criterion), and what is still
open, with no model: `read_work` gathers it and `offline_summary` states the facts.
Callers check who is asking before they call these (see `bot.store.coaching_assignments`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.dialogue.conversation import Exchange
from bot.dialogue.reflection import HINT, unmet_criteria
from bot.learning.detectors import commits
from bot.services.coach_exercises import ExerciseInputError, step_exercise
from bot.services.commands import parse_command
from bot.store import coaching_assignments as assignment_store
from bot.store.coaching_models import Assignment
from bot.store.models import Turn

__all__ = ["StepWork", "WorkReport", "clip", "commitment_of", "offline_summary", "read_work"]

ANSWER_CHARS = 300


@dataclass(frozen=True)
class Probe:
    """One probe the tutor asked: the criterion it was for and its words."""

    label: str
    text: str


@dataclass(frozen=True)
class StepWork:
    """One step as the client worked it."""

    number: int
    prompt: str
    answers: tuple[str, ...]  # the client's own words, in order
    probes: tuple[Probe, ...]
    still_open: tuple[str, ...]  # labels of the criteria not met
    outcome: str | None  # solved, closed, skipped; None while open
    vague: int  # replies too vague to judge
    transcript: tuple[Turn, ...]


@dataclass(frozen=True)
class WorkReport:
    """An assignment and the work done on it, step by step."""

    assignment_id: int
    client_id: int
    coach_id: int
    title: str
    due_at: datetime
    completed_at: datetime | None
    steps: tuple[StepWork, ...]

    @property
    def probes(self) -> int:
        """How many probes the tutor asked across the steps."""
        return sum(len(s.probes) for s in self.steps)

    def exchanges(self) -> list[Exchange]:
        """The whole exercise as a model reads a conversation."""
        return [
            Exchange("learner" if t.role == "learner" else "tutor", t.text)
            for step in self.steps
            for t in step.transcript
        ]

    def problem(self) -> str:
        """The exercise's title and prompts, as a model's prompt names the problem."""
        prompts = "\n".join(f"Step {s.number}: {s.prompt}" for s in self.steps)
        return f"{self.title}\n{prompts}"


def read_work(session: Session, assignment: Assignment) -> WorkReport:
    """Gather the work done on an assignment from its steps' transcripts."""
    assert assignment.id is not None
    steps = assignment_store.steps_of(session, assignment.id)
    transcripts = assignment_store.turns_of(session, [s.dialogue_id for s in steps])
    states = assignment_store.dialogue_states(session, [s.dialogue_id for s in steps])
    worked = tuple(
        _step_work(
            assignment,
            s.step,
            transcripts.get(s.dialogue_id, []),
            s.outcome,
            int(states.get(s.dialogue_id, {}).get("vague", 0)),
        )
        for s in steps
    )
    return WorkReport(
        assignment.id,
        assignment.client_id,
        assignment.coach_id,
        assignment.title,
        assignment.due_at,
        assignment.completed_at,
        worked,
    )


def _step_work(
    assignment: Assignment, number: int, turns: list[Turn], outcome: str | None, vague: int
) -> StepWork:
    """One step's work, read from its transcript and the step as it was assigned."""
    data = assignment.steps[number - 1] if 0 < number <= len(assignment.steps) else {}
    criteria = list(data.get("criteria", []))
    labels = [str(c.get("label") or c.get("check", "")) for c in criteria]
    answers = tuple(
        t.text for t in turns if t.role == "learner" and t.text.strip() and not _is_command(t.text)
    )
    probes = tuple(
        Probe(
            labels[t.criterion] if t.criterion is not None and t.criterion < len(labels) else "",
            t.text,
        )
        for t in turns
        if t.role == "tutor" and t.move == "probe"
    )
    still_open: tuple[str, ...] = ()
    try:
        exercise = step_exercise(data, number)
    except ExerciseInputError:
        exercise = None
    if exercise is not None:
        unmet = unmet_criteria(exercise, answers)
        still_open = tuple(labels[i] for i in unmet if i < len(labels))
    return StepWork(
        number=number,
        prompt=str(data.get("prompt", "")),
        answers=answers,
        probes=probes,
        still_open=still_open,
        outcome=outcome,
        vague=vague,
        transcript=tuple(turns),
    )


def _is_command(text: str) -> bool:
    """A `hint` or `skip` typed in a step is not an answer."""
    return text.strip().lower() == HINT or parse_command(text) is not None


_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


def commitment_of(answers: tuple[str, ...] | list[str]) -> str | None:
    """The last first-person commitment ("I will…") in the client's answers, verbatim."""
    found = None
    for answer in answers:
        for sentence in _SENTENCE.split(answer):
            if commits(sentence):
                found = sentence.strip()
    return clip(found) if found else None


def offline_summary(report: WorkReport) -> str:
    """A short factual summary of the work, assembled from the recorded moves."""
    parts: list[str] = []
    if report.completed_at is not None:
        late = report.completed_at - report.due_at
        days = late.days + (1 if late.seconds else 0)
        timing = "on time" if late.total_seconds() <= 0 else f"{days} day(s) after the due date"
        parts.append(f"Finished {timing}.")
    done = [s for s in report.steps if s.outcome == "solved"]
    skipped = [s.number for s in report.steps if s.outcome == "skipped"]
    parts.append(f"{len(done)} of {len(report.steps)} step(s) met every criterion.")
    probed = Counter(p.label for s in report.steps for p in s.probes if p.label)
    if report.probes:
        most = ", ".join(label for label, _ in probed.most_common(2))
        parts.append(f"I probed {report.probes} time(s)" + (f", most on {most}." if most else "."))
    else:
        parts.append("Every answer was specific the first time.")
    still_open = list(dict.fromkeys(label for s in report.steps for label in s.still_open))
    if still_open:
        parts.append("Still open: " + ", ".join(still_open) + ".")
    if skipped:
        parts.append("Skipped: step " + ", ".join(map(str, skipped)) + ".")
    commitment = commitment_of([a for s in report.steps for a in s.answers])
    if commitment:
        parts.append(f'Commitment: "{commitment}"')
    return " ".join(parts)


def clip(text: str, limit: int = ANSWER_CHARS) -> str:
    """Shorten a long answer for a message (one line, at most `limit` characters)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
