"""The criteria format: what a course creator may write, and every mistake at its line."""

from __future__ import annotations

from pathlib import Path

from bot.content.loader import check_content
from bot.content.models import AllOf, HasCommitment, HasDate, NoneOf, ReflectionExercise

HEADER = """\
id: criteria-course
title: Criteria course
description: Reflection criteria, written every way.
placement: false
skills:
  - id: plan
    title: Plan
exercises:
"""


def course(tmp_path: Path, exercises: str) -> Path:
    folder = tmp_path / "criteria-course"
    folder.mkdir()
    (folder / "course.yaml").write_text(HEADER + exercises, encoding="utf-8")
    return folder


def reflection(criteria: str) -> str:
    return (
        "  - id: step\n"
        "    kind: reflection\n"
        "    skill: plan\n"
        "    prompt: What will you do next, and when?\n"
        "    criteria:\n" + criteria
    )


def test_the_richer_criteria_load(tmp_path: Path) -> None:
    folder = course(
        tmp_path,
        reflection(
            """\
      - check: all_of
        label: one person, not everyone
        of:
          - check: names_person
          - check: none_of
            of:
              - check: keywords
                any: [everyone, anyone]
      - check: has_time
      - check: has_commitment
        probes:
          - You wrote "{quote}". What will you do?
          - Say it as "I will ...". What is it?
      - check: min_items
        min: 3
      - check: pattern
        label: a price
        pattern: '[$€£]\\s?\\d'
      - check: keywords
        label: a channel
        any: [email, call, post]
        min: 2
"""
        ),
    )
    catalog, problems = check_content([folder])
    assert [str(p) for p in problems] == []
    exercise = catalog.courses["criteria-course"].exercises["step"]
    assert isinstance(exercise, ReflectionExercise)
    first, when, commitment = exercise.criteria[:3]
    assert isinstance(first, AllOf) and isinstance(first.of[1], NoneOf)
    assert isinstance(when, HasDate) and when.check == "has_time"
    assert isinstance(commitment, HasCommitment)
    assert commitment.authored_probes()[1] == 'Say it as "I will ...". What is it?'


def test_every_criteria_mistake_is_reported_at_its_line(tmp_path: Path) -> None:
    folder = course(
        tmp_path,
        reflection(
            """\
      - check: keywords
        any: [email, call]
      - check: names_person
        probe: What is {name}'s role?
      - check: pattern
        label: slow
        pattern: '^(a+)+$'
      - check: keywords
        label: too few
        any: [email]
        min: 2
      - check: has_weather
        label: unknown
"""
        ),
    )
    _, problems = check_content([folder])
    found = {(p.line, p.message.split(":")[-1].strip()[:40]) for p in problems}
    lines = sorted(p.line for p in problems)
    messages = " | ".join(p.message for p in problems)
    assert len(problems) == 5, messages
    assert "needs a `label` or a `probe`" in messages
    assert "{name}" in messages and "{quote}" in messages
    assert "quantifier inside a repeated group" in messages
    assert "'min' is 2" in messages
    assert "has_weather" in messages
    # Each at the criterion (or the probe) it is about, not at the top of the file.
    assert lines == [14, 17, 20, 21, 25], found
