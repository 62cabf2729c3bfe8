"""Read a learner's message against the conversation: its act, and replies to our questions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from bot.content.rendering import RenderedExercise, RenderedMisconception
from bot.dialogue import moves
from bot.dialogue.intents import Intent, classify
from bot.dialogue.state import DialogueState
from bot.learning.answer_text import fold as fold_accents
from bot.learning.grading import Grader

_NUMBER_CHECKERS = {"numeric", "expression"}
# Words that go around an answer without saying anything about the question asked.
_ANSWER_FILLER = {
    "is",
    "it",
    "its",
    "it's",
    "the",
    "answer",
    "answers",
    "so",
    "then",
    "that",
    "think",
    "get",
    "got",
    "my",
    "final",
    "equals",
    "makes",
    "and",
    "or",
    "maybe",
    "guess",
    "would",
    "be",
    "oh",
    "ok",
    "okay",
    "hmm",
    "wait",
    "right",
    "sorry",
    "i",
    "now",
    "this",
    "time",
    "try",
    "again",
    "actually",
    "sure",
    "pretty",
    "instead",
    "should",
    "definitely",
}


def read_intent(exercise: RenderedExercise, text: str) -> Intent:
    """Read a message's dialogue act; 'yes' or 'ok' may answer a question asked in words."""
    intent = classify(text)
    if intent == "chitchat" and exercise.key.checker not in _NUMBER_CHECKERS:
        return "answer"
    return intent


def asked(
    state: DialogueState, question: str | None, misconception: int | None = None
) -> DialogueState:
    """Remember the tutor's question (None: the last reply asked for the answer itself)."""
    return replace(state, asked=question, asked_misconception=misconception)


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a text, spaces folded."""
    return " ".join(fold_accents(text).split())


def mentions_any(text: str, phrases: Iterable[str]) -> bool:
    """Return True if the text contains one of the phrases as whole words."""
    folded = fold(text)
    # "1" must not be found inside "1/2" or "1.5": a number is whole or not at all.
    return any(
        re.search(rf"(?<![\w/.,]){re.escape(fold(phrase))}(?!\w|[/.,]\d)", folded)
        for phrase in phrases
        if phrase.strip()
    )


def reply_to_question(
    exercise: RenderedExercise,
    state: DialogueState,
    text: str,
    candidate: str | None,
    grader: Grader,
) -> moves.ReplyHeard | None:
    """Read a message after a targeted or re-check question as a reply to that question.

    It is a reply (no attempt counted) when it says what the question was after, or when
    it carries no answer of its own to the problem. None: grade it as an answer.
    """
    misconception = asked_misconception(exercise, state)
    if misconception is not None and grader(misconception.key, text).correct:
        return None  # the same mistake again: that is an attempt
    heard = reply_heard(exercise, state, text)
    if not heard.expected and candidate is not None and mostly_answer(text, candidate):
        return None
    return heard


def asked_misconception(
    exercise: RenderedExercise, state: DialogueState
) -> RenderedMisconception | None:
    """The misconception the tutor's last (targeted) question was about, if any."""
    index = state.asked_misconception
    if isinstance(index, int) and 0 <= index < len(exercise.misconceptions):
        return exercise.misconceptions[index]
    return None


def reply_heard(exercise: RenderedExercise, state: DialogueState, text: str) -> moves.ReplyHeard:
    """Take a message as a reply to the tutor's question: did it say what it was after?"""
    misconception = asked_misconception(exercise, state)
    if misconception is None:
        return moves.ReplyHeard(expected=False, misconception=None)
    expected = mentions_any(text, misconception.expects)
    return moves.ReplyHeard(expected=expected, misconception=misconception.name)


def mostly_answer(text: str, candidate: str) -> bool:
    """Return True if the message is an answer rather than words about the question."""
    rest = fold(text).replace(fold(candidate), " ")
    words = [w for w in re.findall(r"[^\W\d_]{2,}", rest) if w not in _ANSWER_FILLER]
    return len(words) <= 2
