"""A wrong text answer is quoted back as the learner typed it, not as grading folded it."""

from __future__ import annotations

from pathlib import Path

from bot.dialogue import moves
from bot.dialogue.wording import offline_text
from bot.learning.answer_text import as_written
from tests.dialogue.player import inline_exercise, play

COURSE = """
id: keys
title: Keys
description: Keys and their relatives.
skills: [{id: keys, title: Keys}]
exercises:
  - id: relative
    kind: problem
    skill: keys
    prompt: "What is the relative minor of C major?"
    answer: "A minor"
    checker: exact
    hints:
      nudge: "The relative minor shares the key signature."
      specific: "Go down three semitones from C."
      worked: "Three semitones below C is A: the relative minor of C major is A minor."
    reflection: "Why do relative keys sound different with the same notes?"
"""


def test_a_recheck_quotes_the_learners_casing(tmp_path: Path) -> None:
    (step,) = play(inline_exercise(tmp_path, COURSE, "relative"), ["I think it's  E Flat"])
    assert isinstance(step.move, moves.Recheck) and step.move.candidate == "E Flat"
    assert "E Flat" in offline_text(step.move)


def test_as_written_finds_the_words_whatever_their_spacing() -> None:
    assert as_written("a minor", "Hmm... A\n  Minor?") == "A Minor"
    assert as_written("straße", "STRASSE") == "straße"  # not told apart: kept as read
    assert as_written("", "A") == ""
