"""Moves for a reflection exercise: check each criterion, probe the first unmet, summarise."""

from __future__ import annotations

from dataclasses import replace

from bot.content.models import ReflectionExercise
from bot.dialogue import phrases
from bot.dialogue.intents import classify
from bot.dialogue.state import DialogueState, Step
from bot.learning.criteria import criterion_met

CHOICES_OPEN = ("Skip",)
CHOICES_CLOSED = ("Next", "Progress")


def opening(exercise: ReflectionExercise) -> str:
    """Return the first message: the open prompt."""
    return exercise.prompt


def unmet_criteria(exercise: ReflectionExercise, answers: tuple[str, ...]) -> list[int]:
    """Return the indexes of criteria that the learner's answers so far do not meet."""
    combined = "\n".join(answers)
    return [i for i, c in enumerate(exercise.criteria) if not criterion_met(c, combined)]


def respond(exercise: ReflectionExercise, state: DialogueState, text: str) -> Step:
    """Take one answer; probe the first unmet criterion, or close with a summary."""
    intent = classify(text)
    if intent in {"empty", "dont_know", "answer_request"}:
        unmet = unmet_criteria(exercise, state.answers) or [0]
        probe = exercise.criteria[unmet[0]].probe
        return Step(
            replace(state, vague=state.vague + 1), f"{phrases.PROBE_VAGUE} {probe}", CHOICES_OPEN
        )
    answers = (*state.answers, text.strip()[:2000])
    state = replace(state, answers=answers, attempts=state.attempts + 1)
    unmet = unmet_criteria(exercise, answers)
    if unmet and state.probes < exercise.max_probes:
        probe = exercise.criteria[unmet[0]].probe
        return Step(replace(state, probes=state.probes + 1), probe, CHOICES_OPEN)
    closed = replace(state, stage="closed", outcome="closed" if unmet else "solved")
    return Step(
        closed, summary(exercise, answers, unmet), CHOICES_CLOSED, answered=True, closed=True
    )


def summary(exercise: ReflectionExercise, answers: tuple[str, ...], unmet: list[int]) -> str:
    """Summarise what the learner worked out, in their words, and what is still open."""
    lines = [phrases.REFLECTION_SUMMARY]
    lines.extend(f"- {_clip(answer)}" for answer in answers)
    if unmet:
        lines.append(phrases.REFLECTION_OPEN)
        lines.extend(f"- {exercise.criteria[i].label or exercise.criteria[i].probe}" for i in unmet)
    else:
        lines.append(phrases.REFLECTION_DONE)
    lines.append(phrases.CLOSED_NEXT)
    return "\n".join(lines)


def skip(state: DialogueState) -> Step:
    """Close the dialogue as skipped."""
    closed = replace(state, stage="closed", outcome="skipped")
    return Step(
        closed, "Skipped. " + phrases.CLOSED_NEXT, CHOICES_CLOSED, answered=True, closed=True
    )


def _clip(text: str, limit: int = 300) -> str:
    """Shorten a long answer for the summary."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
