"""One question per message: the content check warns, and the course still loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.content.loader import check_content, check_content_report
from bot.content.style_checks import question_count

COURSE = """\
id: style
title: Style
description: A course built by a test.
skills:
  - id: adding
    title: Adding
"""
EXERCISES = """\
exercises:
  - id: add
    kind: problem
    skill: adding
    prompt: What is 2 + 3?
    answer: "5"
    checker: numeric
    hints:
      nudge: Start at 2. How many steps up do you count?
      specific: Count up three from 2.
      worked: 2, then 3, 4, 5.
    misconceptions:
      - answer: "6"
        question: Did you count the 2 itself? What do you get if you start from 3?
    reflection: Why does counting on work?
"""


def test_questions_are_counted_outside_code() -> None:
    assert question_count("Why? And how?") == 2
    assert question_count("Does `x?` print? ") == 1
    assert question_count("No question here.") == 0
    assert question_count("Really?! What then?") == 2


def test_a_text_asking_two_questions_is_a_warning_at_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "style"
    folder.mkdir()
    (folder / "course.yaml").write_text(COURSE)
    (folder / "exercises.yaml").write_text(EXERCISES)
    catalog, problems = check_content_report([tmp_path])
    assert [(p.path.name, p.line, p.warning) for p in problems] == [("exercises.yaml", 14, True)]
    assert "asks 2 questions" in str(problems[0]) and "warning:" in str(problems[0])
    assert "style" in catalog.courses
    # Warnings never stop a course from loading.
    assert check_content([tmp_path])[1] == []


def test_the_check_command_prints_warnings_and_still_passes(tmp_path: Path) -> None:
    folder = tmp_path / "style"
    folder.mkdir()
    (folder / "course.yaml").write_text(COURSE)
    (folder / "exercises.yaml").write_text(EXERCISES)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "content", "check", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "exercises.yaml:14: warning: exercise 'add'" in result.stderr
    assert "1 warning(s)" in result.stderr
    assert "OK: 1 course(s)" in result.stdout


def test_a_quoted_question_is_part_of_the_sentence_that_quotes_it() -> None:
    assert question_count('If a friend asked "how much?", what would you say?') == 1
