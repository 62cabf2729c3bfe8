"""The model words moves from what each move carries, never the answer while it is secret."""

from __future__ import annotations

import inspect

import pytest

from bot.dialogue import moves
from bot.dialogue.wording import WordingContext, offline_text
from bot.llm.briefs import OFFLINE_ONLY, brief_for
from bot.llm.client import ModelClient
from bot.llm.wording import ModelWording, usable_wording
from tests.fakes.fake_openai import FakeOpenAI, Reply

PROBLEM = "What is 1/3 + 1/4? Give a fraction."
ANSWER = "7/12"
WORKED = "1/3 = 4/12 and 1/4 = 3/12, so 1/3 + 1/4 = 4/12 + 3/12 = 7/12."
NUDGE = "Can you add thirds and quarters directly?"
WHY = "Why did you need a common denominator before adding?"

# One of every kind of move, carrying what the demo exercise would give it.
SAMPLES: list[moves.Move] = [
    moves.Targeted("adding-denominators", "Is a half plus a half really a half?"),
    moves.Recheck("numeric", "5/12", 1),
    moves.Diagnosed("adds the tops and the bottoms", "adding the two fractions", 0),
    moves.Hint(1, NUDGE),
    moves.Hint(2, "How many twelfths is 1/3?", automatic=True),
    moves.Hint(3, WORKED),
    moves.SmallerStep("answer_request", 1, NUDGE),
    moves.SmallerStep("dont_know", 2, "How many twelfths is 1/3?"),
    moves.NoMoreHints(),
    moves.Hedged(2),
    moves.Unchecked(),
    moves.Praise(after_hints=True, attempt=2, question=WHY),
    moves.CheckStep(after_hints=False, attempt=1, step="turning 1/4 into twelfths"),
    moves.Reveal(ANSWER, WORKED, WHY),
    moves.AskWhyAgain(WHY),
    moves.ReflectionClosed(1),
    moves.AlreadySolved(WHY),
    moves.Skipped(),
    moves.ReviewClosed(False, ANSWER, WORKED),
    moves.PlacementNoted(True),
    moves.Probe(1, "Who is it with?", vague=True, reason="filler", quoted="my boss"),
    moves.ReflectionSummary(("I will call Sam",), ("when",)),
    moves.LeakWithheld("hint"),
    moves.Clarify(None, PROBLEM, "adding fractions"),
    moves.Clarify(None, PROBLEM, step="add the tops"),
    moves.Encourage(1, NUDGE),
    moves.ChitChat(),
    moves.ReplyHeard(expected=True, misconception="adding-denominators"),
    moves.ReplyHeard(expected=False),
    moves.OnTheWay("12x = 7"),
    moves.Rounded(fraction=True),
    moves.RuledOut(1),
    moves.RuledOut(0),
    moves.PickAnOption(),
    moves.PickAnOption(unlisted=True),
    moves.SayItInCode(1),
    moves.TryFirst(2),
    moves.WhyFollowUp("Which step made it work?"),
    moves.ModelExplanation("Pieces must be the same size before you count them together."),
    moves.SkippedWithAnswer(ANSWER, WORKED),
    moves.PlacementHelp(),
]
# Moves made while the answer is secret (before the ladder has run out).
SECRET_TIME = (
    moves.Targeted,
    moves.Recheck,
    moves.Diagnosed,
    moves.SmallerStep,
    moves.NoMoreHints,
    moves.Hedged,
    moves.Unchecked,
    moves.Clarify,
    moves.Encourage,
    moves.ChitChat,
    moves.ReplyHeard,
    moves.OnTheWay,
    moves.Rounded,
    moves.RuledOut,
    moves.PickAnOption,
    moves.SayItInCode,
    moves.TryFirst,
    moves.LeakWithheld,
    moves.PlacementNoted,
    moves.PlacementHelp,
)


def test_every_kind_of_move_is_sampled_so_each_gets_a_decision() -> None:
    kinds = {
        cls
        for _name, cls in inspect.getmembers(moves, inspect.isclass)
        if issubclass(cls, moves.Move) and cls is not moves.Move
    }
    assert kinds == {type(m) for m in SAMPLES}


def test_moves_that_carry_the_answer_or_the_worked_step_are_worded_offline() -> None:
    for move in SAMPLES:
        if isinstance(move, OFFLINE_ONLY) or (isinstance(move, moves.Hint) and move.rung == 3):
            assert brief_for(move) is None, move
    for move in SAMPLES:
        brief = brief_for(move)
        if brief is not None:
            # made while the answer is secret: no number beyond the problem's and the move's
            assert brief.only_known_numbers or not isinstance(move, SECRET_TIME), move
            assert ANSWER not in brief.material_text(), move
            assert WORKED not in brief.material_text(), move


async def test_no_wording_prompt_holds_the_answer_or_the_worked_step(
    fake: FakeOpenAI, client: ModelClient
) -> None:
    wording = ModelWording(client)
    context = WordingContext(prompt=PROBLEM, learner_text="I'm not sure, can you help?")
    for move in SAMPLES:
        words = await wording.word(move, context)
        assert words == offline_text(move)  # the faithful fake words as the draft does
    sent = fake.chat_requests("word")
    assert len(sent) == len([m for m in SAMPLES if brief_for(m) is not None])
    for request in sent:
        assert ANSWER not in request.text
        assert "4/12" not in request.text and "3/12" not in request.text


@pytest.mark.parametrize(
    ("reply", "usable"),
    [
        ("Can thirds and quarters go together as they are?", True),
        ("Can thirds and quarters go together? Or can they?", False),
        ("The answer is 7/12. Can thirds and quarters be added?", False),
        ("Think of 12 pieces: can thirds and quarters be added?", False),
        ("<draft>Here's a nudge</draft>", False),
        ("x" * 800, False),
        ("", False),
    ],
    ids=["fine", "two-questions", "answer", "new-number", "prompt-echo", "long", "empty"],
)
def test_a_worded_reply_is_checked_before_it_stands_in(reply: str, usable: bool) -> None:
    move = moves.Hint(1, NUDGE)
    brief = brief_for(move)
    assert brief is not None
    assert usable_wording(reply, offline_text(move), brief, PROBLEM) is usable


def test_commands_and_the_learners_own_numbers_are_kept_exact() -> None:
    chit = moves.ChitChat()
    brief = brief_for(chit)
    assert brief is not None
    draft = offline_text(chit)
    assert not usable_wording("Give it a go, or ask for a hint!", draft, brief, PROBLEM)
    assert usable_wording("Give it a go, or type `hint`.", draft, brief, PROBLEM)
    recheck = moves.Recheck("numeric", "5/12", 1)
    brief = brief_for(recheck)
    assert brief is not None
    draft = offline_text(recheck)
    assert usable_wording("How did you get 5/12?", draft, brief, PROBLEM)


async def test_a_model_reply_in_the_learners_language_is_used(
    fake: FakeOpenAI, client: ModelClient
) -> None:
    fake.script(Reply("¿Puedes sumar tercios y cuartos directamente?"))
    context = WordingContext(prompt=PROBLEM, learner_text="no sé, ayúdame")
    words = await ModelWording(client).word(moves.Hint(1, NUDGE), context)
    assert words == "¿Puedes sumar tercios y cuartos directamente?"
    assert "no sé, ayúdame" in fake.chat_requests("word")[0].block("learner_message")  # type: ignore[operator]
