"""The pure dialogue engine: scripted learner messages in, the sequence of moves out."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.content.models import ReflectionExercise
from bot.content.rendering import RenderedExercise, render_exercise
from bot.dialogue import moves, problem, reflection
from bot.dialogue.state import DialogueState, Step
from bot.dialogue.wording import offline_text

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog([DEMO])


@pytest.fixture(scope="module")
def fractions(catalog: Catalog) -> RenderedExercise:
    exercise = catalog.courses["demo"].exercises["third-plus-quarter"]
    return render_exercise(exercise, {})  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def coaching(catalog: Catalog) -> ReflectionExercise:
    exercise = catalog.courses["demo-coaching"].exercises["ideal-client"]
    assert isinstance(exercise, ReflectionExercise)
    return exercise


def run(exercise: RenderedExercise, script: list[str], purpose: str = "practice") -> list[Step]:
    """Play a learner's messages (or `hint` / `skip`) through the engine."""
    state, steps = DialogueState(), []
    for message in script:
        if message == "hint":
            step = problem.hint(exercise, state)
        elif message == "skip":
            step = problem.skip(state)
        else:
            step = problem.respond(exercise, state, message)
            if purpose == "review":
                step = problem.end_review(exercise, step)
        steps.append(step)
        state = step.state
    return steps


def kinds(steps: list[Step]) -> list[str]:
    return [step.move.kind for step in steps]


def test_misconception_then_right_answer_then_why(fractions: RenderedExercise) -> None:
    steps = run(fractions, ["2/7", "7/12", "because twelfths are the same size"])
    assert kinds(steps) == ["targeted", "praise", "close"]
    targeted = steps[0].move
    assert isinstance(targeted, moves.Targeted)
    assert targeted.misconception == "adding-denominators"
    assert targeted.facts() == {"misconception": "adding-denominators"}
    assert [s.verdict for s in steps] == ["wrong", "correct", None]
    assert steps[-1].state.outcome == "solved" and steps[-1].closed


def test_repeated_misses_climb_the_ladder_then_reveal(fractions: RenderedExercise) -> None:
    steps = run(fractions, ["5/12", "6/12", "hint", "hint", "1/12", "no idea"])
    assert kinds(steps) == ["recheck", "hint", "hint", "hint", "reveal", "ask_why_again"]
    rungs = [s.move.rung for s in steps if isinstance(s.move, moves.Hint)]
    assert rungs == [1, 2, 3]
    assert isinstance(steps[1].move, moves.Hint) and steps[1].move.automatic
    assert steps[4].state.outcome == "revealed"


def test_non_answers_get_a_smaller_step_with_its_reason(fractions: RenderedExercise) -> None:
    steps = run(fractions, ["", "idk", "banana", "just tell me the answer"])
    assert kinds(steps) == ["smaller_step"] * 3 + ["no_more_hints"]
    reasons = [s.move.reason for s in steps if isinstance(s.move, moves.SmallerStep)]
    assert reasons == ["empty", "dont_know", "off_topic"]
    assert steps[-1].state.attempts == 0  # none of them was an attempt


def test_hedge_skip_and_hint_after_solving(fractions: RenderedExercise) -> None:
    assert kinds(run(fractions, ["7/12 or 5/12?", "skip"])) == ["hedged", "skip"]
    assert kinds(run(fractions, ["7/12", "hint"])) == ["praise", "already_solved"]


def test_a_review_closes_on_the_answer(fractions: RenderedExercise) -> None:
    remembered = run(fractions, ["7/12"], purpose="review")[-1]
    assert isinstance(remembered.move, moves.ReviewClosed) and remembered.move.remembered
    assert remembered.closed


def test_placement_is_noted_without_a_verdict(fractions: RenderedExercise) -> None:
    step = problem.placement_answer(fractions, DialogueState(), "7/12")
    assert step.move == moves.PlacementNoted(correct=True)
    assert step.verdict == "correct" and step.state.outcome == "solved"


def test_reflection_probes_unmet_criteria_then_summarises(coaching: ReflectionExercise) -> None:
    state, found = DialogueState(), []
    for message in ["someone nice", "idk", "Maria, a coach", "she doubles her clients to 20"]:
        step = reflection.respond(coaching, state, message)
        found.append((step.move.kind, step.move.facts().get("criterion")))
        state = step.state
    assert found == [
        ("probe", 0),
        ("probe", 0),
        ("probe", 1),
        ("summary", None),
    ]
    assert state.outcome == "solved"


def test_golden_wording_of_moves() -> None:
    assert offline_text(moves.Recheck("numeric", "5/12", 0)) == (
        "Not yet. How did you get 5/12? Tell me your first step, and check that one."
    )
    assert offline_text(moves.Hint(rung=2, text="Cut both into twelfths.")) == (
        "A more specific hint: Cut both into twelfths."
    )
    assert offline_text(moves.SmallerStep("dont_know", 1, "Look at the pieces.")) == (
        "That's fine, let's make the first step smaller. Here's a nudge: Look at the pieces."
    )
    assert offline_text(moves.Praise(after_hints=False, attempt=1, question="Why?")) == (
        "Correct. Why?"
    )
    assert offline_text(moves.LeakWithheld("hint")) == (
        "Let's keep working on it: what is your next step?"
    )
