"""The pure dialogue engine: scripted learner messages in, the sequence of moves out."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.content.models import ReflectionExercise
from bot.content.rendering import RenderedExercise, render_exercise
from bot.dialogue import moves, placement, problem, reflection
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
            step = problem.skip(state, exercise)
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


def test_the_worked_step_waits_for_a_real_attempt(fractions: RenderedExercise) -> None:
    script = ["5/12", "6/12", "hint", "hint", "1/12", "hint", "2/12", "no idea", "no idea"]
    steps = run(fractions, script)
    assert kinds(steps) == [
        "recheck",
        "hint",  # climbed after two misses
        "hint",
        "try_first",  # the worked step waits: no attempt since the last hint
        "recheck",
        "hint",  # the worked step, after a try
        "reveal",
        "ask_why_again",  # a blank why: the question once more
        "model_explanation",
    ]
    rungs = [s.move.rung for s in steps if isinstance(s.move, moves.Hint)]
    assert rungs == [1, 2, 3]
    assert isinstance(steps[1].move, moves.Hint) and steps[1].move.automatic
    assert steps[6].state.outcome == "revealed"
    assert steps[-1].closed and steps[-1].state.outcome == "revealed"


def test_a_smile_is_small_talk_and_reaches_no_worked_step(fractions: RenderedExercise) -> None:
    steps = run(fractions, ["hint", "hint", "🙂"])
    assert kinds(steps)[-1] == "chitchat" and steps[-1].state.hint_rung == 2
    assert "7/12" not in offline_text(steps[-1].move)


def test_non_answers_never_reach_the_worked_step(fractions: RenderedExercise) -> None:
    steps = run(fractions, ["", "idk", "just tell me the answer", "…", "banana", "hint"])
    assert kinds(steps) == ["smaller_step", "smaller_step"] + ["try_first"] * 4
    reasons = [s.move.reason for s in steps if isinstance(s.move, moves.SmallerStep)]
    assert reasons == ["empty", "dont_know"]
    assert steps[-1].state.attempts == 0 and steps[-1].state.hint_rung == 2
    for step in steps:
        assert "7/12" not in offline_text(step.move)
    # each wait is worded anew, not the same sentence again and again
    waits = [offline_text(s.move) for s in steps if isinstance(s.move, moves.TryFirst)]
    assert len(set(waits[:3])) == 3 and waits[3] == waits[0]


def test_a_reply_to_the_targeted_question_is_not_graded_as_an_answer(
    fractions: RenderedExercise,
) -> None:
    steps = run(fractions, ["2/7", "no, a half and a half is a whole one", "7/12"])
    assert kinds(steps) == ["targeted", "reply_heard", "praise"]
    assert steps[1].state.attempts == 1  # the reply was not counted as a miss
    assert steps[1].verdict is None


def test_a_clarifying_question_is_answered_without_the_answer(
    fractions: RenderedExercise,
) -> None:
    steps = run(fractions, ["what do you mean by a fraction?", "7/12"])
    assert kinds(steps) == ["clarify", "praise"]
    assert "7/12" not in offline_text(steps[0].move)
    assert fractions.prompt in offline_text(steps[0].move)


def test_feelings_and_chitchat_get_their_own_moves(fractions: RenderedExercise) -> None:
    assert kinds(run(fractions, ["I'm so confused", "thanks"])) == ["encourage", "chitchat"]


def test_a_vague_why_gets_one_follow_up_then_a_model_explanation(
    fractions: RenderedExercise,
) -> None:
    assert kinds(run(fractions, ["7/12", "yes", "ok"])) == [
        "praise",
        "why_follow_up",
        "model_explanation",
    ]
    good = run(fractions, ["7/12", "because thirds and quarters are different sized pieces"])
    assert kinds(good) == ["praise", "close"]
    restated = run(fractions, ["7/12", "it is 7/12", "the answer is 7/12 I think"])
    assert kinds(restated)[1:] == ["why_follow_up", "model_explanation"]


def test_skipping_the_why_step_keeps_the_exercise_solved(fractions: RenderedExercise) -> None:
    steps = run(fractions, ["7/12", "skip"])
    assert kinds(steps) == ["praise", "skip"]
    assert steps[-1].state.outcome == "solved" and steps[-1].closed


def test_skip_keeps_the_answer_until_the_ladder_has_run_out(fractions: RenderedExercise) -> None:
    for script in ([], ["hint"], ["hint", "5/12", "hint"], ["5/12", "6/12", "1/12"]):
        state = run(fractions, script)[-1].state if script else DialogueState()
        step = problem.skip(state, fractions)
        assert step.state.outcome == "skipped" and step.answered and step.closed
        words = offline_text(step.move)
        assert "7/12" not in words and fractions.hints[-1] not in words, script
        assert problem.guard(fractions, state, words) == words


def test_after_the_worked_step_skip_shows_how_it_goes(fractions: RenderedExercise) -> None:
    state = run(fractions, ["hint", "5/12", "hint", "6/12", "hint"])[-1].state
    assert state.hint_rung == problem.LADDER_TOP
    words = offline_text(problem.skip(state, fractions).move)
    assert "7/12" in words and fractions.hints[-1] in words


def test_hedge_skip_and_hint_after_solving(fractions: RenderedExercise) -> None:
    assert kinds(run(fractions, ["7/12 or 5/12?", "skip"])) == ["hedged", "skip"]
    assert kinds(run(fractions, ["is it 7/12 or 5/12?"])) == ["hedged"]
    assert kinds(run(fractions, ["7/12", "hint"])) == ["praise", "already_solved"]


def test_a_review_closes_on_the_answer(fractions: RenderedExercise) -> None:
    remembered = run(fractions, ["7/12"], purpose="review")[-1]
    assert isinstance(remembered.move, moves.ReviewClosed) and remembered.move.remembered
    assert remembered.closed


def test_placement_is_noted_without_a_verdict(fractions: RenderedExercise) -> None:
    step = placement.placement_answer(fractions, DialogueState(), "7/12")
    assert step.move == moves.PlacementNoted(correct=True)
    assert step.verdict == "correct" and step.state.outcome == "solved"


def test_reflection_probes_unmet_criteria_then_summarises(coaching: ReflectionExercise) -> None:
    state, found = DialogueState(), []
    for message in ["someone nice", "idk", "Maria, a coach", "she doubles her clients to 20"]:
        step = reflection.respond(coaching, state, message)
        move = step.move
        vague = move.reason if isinstance(move, moves.Probe) and move.vague else None
        found.append((move.kind, move.facts().get("criterion"), move.facts().get("rung"), vague))
        state = step.state
    # "someone nice" is two words naming nobody: too short to judge, so it is probed as
    # vague like "idk", and the second probe on criterion 0 is the next rung, not a repeat.
    assert found == [
        ("probe", 0, 1, "short"),
        ("probe", 0, 2, "dont_know"),
        ("probe", 1, 1, None),
        ("summary", None, None, None),
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
    # A lead that introduces the step itself is not followed by a second one.
    assert offline_text(moves.SmallerStep("off_topic", 2, "Cut both into twelfths.")) == (
        "Let's stay with this problem. Here's a way in: Cut both into twelfths."
    )
    assert offline_text(moves.SmallerStep("empty", 1, "Look at the pieces.")) == (
        "I didn't catch an answer there. Here's a smaller first step: Look at the pieces."
    )
    assert offline_text(moves.Praise(after_hints=False, attempt=1, question="Why?")) == (
        "Correct. Why?"
    )
    assert offline_text(moves.LeakWithheld("hint")) == (
        "Let's keep working on it: what is your next step?"
    )


@pytest.mark.parametrize(
    ("why", "accepted"),
    [
        ("because the teacher said so", False),
        ("that's just the rule", False),
        ("because it works", False),
        ("because that's what we learned in class", False),
        ("because the pieces have to be the same size", True),
        ("my teacher told me to find a common denominator because the pieces must match", True),
    ],
)
def test_who_said_so_is_no_reason(fractions: RenderedExercise, why: str, accepted: bool) -> None:
    steps = run(fractions, ["7/12", why])
    assert (steps[-1].move.kind == "close") is accepted
