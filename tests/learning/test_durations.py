"""A duration is read in the answer's unit of time, however the learner splits it."""

from __future__ import annotations

import pytest

from bot.learning.grading import AnswerKey, grade_answer


@pytest.mark.parametrize(
    ("answer", "reply", "correct"),
    [
        ("2.5 hours", "2 hours 30 minutes", True),
        ("2.5 hours", "2 hours and 30 minutes", True),
        ("2.5 hours", "2h30", True),
        ("2.5 hours", "2h 30min", True),
        ("2.5 hours", "150 minutes", True),
        ("2.5 hours", "9000 seconds", True),
        ("2.5 hours", "2:30", True),
        ("2.5 hours", "2 hours 20 minutes", False),
        ("2.5 hours", "150", False),  # a number without its unit is in the key's unit
        ("2.5 hours", "150 m", False),  # "m" alone may be metres
        ("150 min", "2 hours 30 minutes", True),
        ("150 min", "2.5 h", True),
        ("150 min", "3 hours", False),
        ("90 seconds", "1 min 30 s", True),
        ("90 seconds", "1 minute 30 seconds", True),
        ("6 minutes", "12 eggs in 6 minutes", True),  # another count beside it is no time
        ("12", "3 m 12", True),  # a key with no unit of time: nothing is converted
        ("95 minutes", "1:35", True),  # hours and minutes
        ("95 minutes", "an hour and 35 minutes", True),
        ("95 minutes", "one hour 35", True),
        ("95 minutes", "1:35 pm", False),  # a time of day, not a length of time
        ("95 seconds", "1:35", True),  # minutes and seconds where the key is in seconds
        ("90 minutes", "an hour and a half", True),
        ("90 minutes", "1 hour and a half", True),
        ("30 minutes", "half an hour", True),
        ("2.5 hours", "2 hours and a half", True),
        ("45 minutes", "half an hour", False),
    ],
)
def test_durations(answer: str, reply: str, correct: bool) -> None:
    assert grade_answer(AnswerKey("numeric", answer), reply).correct is correct
