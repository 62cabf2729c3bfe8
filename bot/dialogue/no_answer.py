"""A reply with no answer in it: what it does instead, when the engine can tell.

Ruling options out ("not oxygen"), denying one answer ("definitely not Sydney"), asking
about the options, naming none of them ("Oceania"), or talking about the problem in
words ("subtract 5 first"). None of these counts as an attempt. Anything else is off
topic, which the caller answers with a smaller step.
"""

from __future__ import annotations

from bot.content.rendering import RenderedExercise
from bot.dialogue import moves
from bot.dialogue.mentions import (
    about_the_options,
    only_denies,
    problem_words,
    short_answer,
    takes_up,
)
from bot.dialogue.replies import (
    asked,
    heard,
    names_an_operation,
    offers_no_number,
    reply_heard,
)
from bot.dialogue.state import DialogueState
from bot.learning.grading_choice import ruled_out_options

__all__ = ["no_answer_move"]


def no_answer_move(
    exercise: RenderedExercise, state: DialogueState, text: str
) -> tuple[DialogueState, moves.Move] | None:
    """The state and move for a reply that gives no answer, or None when it is off topic."""
    key = exercise.key
    ruled_out = ruled_out_options(key, text)
    if ruled_out:  # "not oxygen": a way in, no attempt; nothing is said about it
        return heard(state), moves.RuledOut(len(ruled_out), state.heard)
    if key.checker == "choice":
        if about_the_options(exercise, text):
            # "the one with 12" where two options have a 12: which one is it?
            return asked(state, None), moves.PickAnOption()
        if short_answer(text):
            # "Oceania" for a continent none of the options names: pick one of them.
            return asked(state, None), moves.PickAnOption(unlisted=True)
    elif only_denies(text, key.language):
        # "definitely not Sydney": one answer set aside, none given; nothing is judged.
        return heard(state), moves.RuledOut(0, state.heard)
    if names_an_operation(text) or (
        offers_no_number(exercise, text) and takes_up(text, problem_words(exercise))
    ):
        # "subtract 5 first", "it prints the same list": about the problem, in words.
        return heard(state), reply_heard(exercise, state, text)
    return None
