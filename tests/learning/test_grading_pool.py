"""The grading pool: real worker processes, killed and replaced when a check runs too long."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from bot.learning.grading import AnswerKey, Grade
from bot.learning.grading_pool import GradingPool, needs_isolation

EQUATION = AnswerKey("expression", "x = 3")
# Exponential backtracking: minutes of C code holding the interpreter lock.
CATASTROPHIC = AnswerKey("pattern", "aaa", pattern="^(a+)+$")
SLOW_TEXT = "a" * 40 + "!"


@pytest.fixture
def pool() -> Iterator[GradingPool]:
    pool = GradingPool(time_limit=1.0, workers=1)
    yield pool
    pool.close()


def test_grades_a_batch_like_the_grader(pool: GradingPool) -> None:
    grades = pool.grade([(EQUATION, "x = 3"), (EQUATION, "so x=4"), (EQUATION, "3 = x")])
    assert grades == [
        Grade(True, "3"),
        Grade(False, "4"),
        Grade(True, "3"),
    ]


def test_a_check_past_the_limit_is_given_up_and_the_pool_recovers(pool: GradingPool) -> None:
    assert pool.grade([(CATASTROPHIC, SLOW_TEXT), (EQUATION, "x = 3")]) == [None, None]
    assert pool.timeouts == 1
    # The stuck worker was killed; a fresh one grades the next batch.
    assert pool.grade([(EQUATION, "x = 3")]) == [Grade(True, "3")]
    assert pool.grade([(CATASTROPHIC, "aaaa")]) == [Grade(True, "aaaa")]


def test_a_worker_that_dies_costs_one_batch(pool: GradingPool) -> None:
    pool.warm()
    assert pool.grade([(EQUATION, "x = 3")])[0] == Grade(True, "3")
    for worker in list(pool._all):
        worker.process.kill()
        worker.process.wait()
    assert pool.grade([(EQUATION, "x = 3")]) == [Grade(True, "3")]


def test_only_algebra_and_patterns_are_isolated() -> None:
    assert needs_isolation(EQUATION)
    assert needs_isolation(CATASTROPHIC)
    assert not needs_isolation(AnswerKey("numeric", "7/12"))
    assert not needs_isolation(AnswerKey("exact", "hello"))
    assert not needs_isolation(AnswerKey("choice", "a", choices=("x", "y")))


def test_a_ctrl_c_at_the_terminal_does_not_reach_the_workers(pool: GradingPool) -> None:
    pool.warm()
    workers = list(pool._all)
    assert workers
    # Ctrl-C goes to the terminal's foreground process group: the workers are not in it.
    for worker in workers:
        assert os.getpgid(worker.process.pid) != os.getpgid(0)
    assert pool.grade([(EQUATION, "x = 3")]) == [Grade(True, "3")]
