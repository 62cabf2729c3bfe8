"""A reply that writes out the prompt's gapped sentence is graded on what fills the gap."""

from __future__ import annotations

import pickle

import pytest

from bot.content.rendering import render_exercise
from bot.learning.gaps import filled_in, gap_of
from bot.learning.grading import grade_answer
from tests.learning.test_grading_keys import exercise


@pytest.mark.parametrize(
    ("prompt", "gap"),
    [
        (
            "Fill the gap: 'The students forgot ___ books.' (their / there / they're)",
            "forgot ___ books",
        ),
        ("___ is the capital of France.", "___ is the capital of France"),
        ("Complete: 2 + ___ = 7", "2 + ___ = 7"),
        ("Complete the sentence: She ____ to school every day.", "She ___ to"),
        ("Yo ___ (hablar) español.", "Yo ___ español"),  # the verb to use is not written back
        ("No gap here.", None),
        ("What does __init__ do?", None),  # underscores inside a name are no gap
        ("Two ___ gaps ___ here", None),
    ],
)
def test_the_words_around_the_one_gap_are_kept(prompt: str, gap: str | None) -> None:
    assert gap_of(prompt) == gap


@pytest.mark.parametrize(
    ("gap", "reply", "fill"),
    [
        ("forgot ___ books", "The students forgot their books.", "their"),
        ("forgot ___ books", "I think they forgot their books", "their"),
        ("forgot ___ books", "their", None),  # the filler alone is graded as it is
        ("forgot ___ books", "their books", "their"),  # one side, at the reply's start
        ("forgot ___ books", "they forgot", None),
        ("Yo ___ español", "Hablo español.", "Hablo"),  # the subject left out
        ("___ is the capital of France", "Paris is the capital of France", "Paris"),
        ("___ is the capital of France", "it is Paris", None),
        ("2 + ___ = 7", "2 + 5 = 7", "5"),
        ("2 + ___ = 7", "3 + 4 = 7", None),
        ("Yo ___ español", "yo hablo español", "hablo"),
    ],
)
def test_what_fills_the_gap(gap: str, reply: str, fill: str | None) -> None:
    assert filled_in(gap, reply) == fill


def test_a_rendered_key_and_its_misconceptions_carry_the_gap() -> None:
    gapped = exercise(
        prompt="Fill the gap: 'The students forgot ___ books.'",
        answer="their",
        misconceptions=[{"answer": "there", "question": "A place?"}],
    )
    rendered = render_exercise(gapped, {})
    assert rendered.key.gap == "forgot ___ books"
    assert grade_answer(rendered.key, "The students forgot their books.").correct
    assert not grade_answer(rendered.key, "The students forgot there books.").correct
    assert grade_answer(rendered.misconceptions[0].key, "they forgot there books").correct
    assert pickle.loads(pickle.dumps(rendered.key)) == rendered.key
