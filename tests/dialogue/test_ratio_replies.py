"""A ratio where one number is asked for, and one number where a ratio is, get a word on form."""

from __future__ import annotations

from pathlib import Path

from bot.dialogue import moves
from bot.dialogue.wording import offline_text
from tests.dialogue.player import inline_exercise, play

COURSE = """
id: chances
title: Chances and ratios
description: Genetics odds and ratios.
skills: [{id: odds, title: Odds}]
exercises:
  - id: punnett
    kind: problem
    skill: odds
    prompt: "Two Aa parents have a child. What is the probability that the child is aa?"
    answer: "1/4"
    checker: numeric
    hints:
      nudge: "Draw a 2 by 2 Punnett square."
      specific: "How many of the four boxes are aa?"
      worked: "AA, Aa, aA, aa: one box in four, so 1/4."
    misconceptions:
      - answer: "1/2"
        question: "1/2 is the chance of a carrier. Which boxes hold aa only?"
    reflection: "Why are the parents' contributions independent?"
  - id: simplify
    kind: problem
    skill: odds
    prompt: "A class has 18 girls and 6 boys. Write the ratio of girls to boys, simplified."
    answer: "3:1"
    checker: numeric
    hints:
      nudge: "Both numbers share a factor."
      specific: "Divide 18 and 6 by their biggest common factor."
      worked: "18 ÷ 6 = 3 and 6 ÷ 6 = 1, so 3:1."
    misconceptions:
      - answer: "1:3"
        question: "Which comes first in the ratio, the girls or the boys?"
    reflection: "Why does dividing both sides by the same number keep the ratio?"
"""


def test_a_ratio_for_a_probability_is_asked_as_one_number_once(tmp_path: Path) -> None:
    exercise = inline_exercise(tmp_path, COURSE, "punnett")
    first, second = play(exercise, ["1:4", "1:4"])
    assert first.move == moves.Recheck(checker="one_number", candidate="1:4", attempt=0)
    assert "one number" in offline_text(first.move) and "1/4" not in offline_text(first.move)
    assert first.state.attempts == 1
    assert not isinstance(second.move, moves.Recheck) and second.state.attempts == 2


def test_a_lone_number_for_a_ratio_is_asked_as_a_ratio(tmp_path: Path) -> None:
    exercise = inline_exercise(tmp_path, COURSE, "simplify")
    first, second = play(exercise, ["3", "3:1"])
    assert first.move == moves.Recheck(checker="ratio", candidate="3", attempt=0)
    assert "3:1" not in offline_text(first.move)
    assert isinstance(second.move, moves.Praise)


def test_a_reversed_ratio_meets_its_misconception_and_equivalents_are_right(
    tmp_path: Path,
) -> None:
    exercise = inline_exercise(tmp_path, COURSE, "simplify")
    (reversed_,) = play(exercise, ["1:3"])
    assert isinstance(reversed_.move, moves.Targeted)
    (in_words,) = play(exercise, ["it's 3 to 1"])
    assert isinstance(in_words.move, moves.Praise)


def test_a_ratio_after_a_question_is_a_new_answer(tmp_path: Path) -> None:
    exercise = inline_exercise(tmp_path, COURSE, "punnett")
    steps = play(exercise, ["1/3", "1:3"])
    assert isinstance(steps[0].move, moves.Recheck)
    assert not isinstance(steps[1].move, moves.ReplyHeard) and steps[1].state.attempts == 2
