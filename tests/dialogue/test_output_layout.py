"""Program output given on one line: the values are right, the layout is asked about."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.rendering import RenderedExercise
from bot.dialogue.wording import offline_text
from bot.learning.grading import AnswerKey
from bot.learning.grading_text import output_on_one_line
from tests.dialogue.player import inline_exercise, play

LOOPS = """\
id: loops
title: Loops
description: Predicting output.
placement: false
skills:
  - id: range
    title: range
exercises:
  - id: countdown
    kind: problem
    skill: range
    prompt: |
      What does this program print?

      ```python
      for i in range(7, 4, -1):
          print(i)
      ```
    answer: "7\\n6\\n5"
    checker: exact
    hints:
      nudge: Which values does i take, and where does it stop?
      specific: range counts down from the start and stops before the stop.
      worked: i takes 7, 6 and 5, and each print puts its value on a line of its own.
    misconceptions:
      - answer: "7\\n6\\n5\\n4"
        question: You printed 4 too. Does range include its stop value?
    reflection: Why does the loop stop before 4?
"""


@pytest.fixture(scope="module")
def countdown(tmp_path_factory: pytest.TempPathFactory) -> RenderedExercise:
    return inline_exercise(tmp_path_factory.mktemp("courses"), LOOPS, "countdown")


@pytest.mark.parametrize(
    ("reply", "one_line"),
    [
        ("7 6 5", True),
        ("7, 6, 5", True),
        ("it prints 7, 6 and 5.", True),
        ("7\n6\n5", False),  # the answer itself
        ("7 6 5 4", False),
        ("5 6 7", False),  # another order
        ("17 6 5", False),
        ("banana 7 6 5", False),
    ],
)
def test_the_lines_on_one_line(reply: str, one_line: bool) -> None:
    assert output_on_one_line(AnswerKey("exact", "7\n6\n5"), reply) is one_line


def test_right_values_on_one_line_are_asked_about_their_layout(
    countdown: RenderedExercise,
) -> None:
    steps = play(countdown, ["7 6 5", "7, 6, 5", "7\n6\n5"])
    assert [getattr(s.move, "checker", s.move.kind) for s in steps] == [
        "layout",
        "hint",  # once in a row: then the ladder goes on
        "praise",
    ]
    assert [s.verdict for s in steps] == ["wrong", "wrong", "correct"]
    said = offline_text(steps[0].move)
    assert "right values" in said and "7" not in said


def test_a_misconception_on_one_line_gets_its_question(countdown: RenderedExercise) -> None:
    step = play(countdown, ["7 6 5 4"])[0]
    assert step.move.kind == "targeted" and "Does range include" in offline_text(step.move)


def test_words_with_no_number_are_no_guess_at_printed_numbers(
    countdown: RenderedExercise,
) -> None:
    step = play(countdown, ["oh, it stops before the stop value"])[0]
    assert step.verdict is None and step.state.attempts == 0


def test_words_about_a_printed_list_ask_for_the_list_itself(tmp_path: Path) -> None:
    rendered = inline_exercise(tmp_path, LISTS, "unchanged")
    on_topic = play(rendered, ["it prints the same list"])[0]
    assert on_topic.move.kind == "reply_heard" and on_topic.state.attempts == 0
    off_topic = play(rendered, ["what is for lunch"])[0]
    assert off_topic.move.kind == "smaller_step" and off_topic.state.attempts == 0
    assert play(rendered, ["[4, 14]"])[0].verdict == "wrong"


LISTS = """\
id: lists
title: Lists
description: Lists and loops.
placement: false
skills:
  - id: lists
    title: Lists
exercises:
  - id: unchanged
    kind: problem
    skill: lists
    prompt: |
      What does this program print?

      ```python
      prices = [2, 7]
      for p in prices:
          p = p * 2
      print(prices)
      ```
    answer: "[2, 7]"
    checker: exact
    hints:
      nudge: On each round, is p the list itself, or one value taken out of it?
      specific: Does anything in the loop change prices?
      worked: Only p changes, never prices, so it prints [2, 7].
    reflection: How could you double every price in the list?
"""
