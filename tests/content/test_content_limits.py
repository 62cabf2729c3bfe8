"""Hostile course files become file:line problems: no expansion, no block, no deep stack."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from bot.content.catalog import Catalog, Course
from bot.content.files import MAX_FILE_BYTES
from bot.content.loader import Located, check_content
from bot.content.models import (
    AnsweredExercise,
    Exercise,
    HintLadder,
    RangeParam,
    RecallExercise,
    Skill,
)
from bot.content.templates import MAX_VARIANTS_CHECKED
from bot.content.variant_checks import CHECK_BUDGET_CHARS, MIN_VARIANTS_CHECKED, variants_to_check
from bot.content.yaml_lines import MAX_DEPTH, LineMap, YamlProblem, load_yaml_with_lines
from bot.errors import ContentProblem
from tests.conftest import FIXTURES

COURSE = """\
id: limits
title: Limits
description: A course built by a test.
skills:
  - id: adding
    title: Adding
"""

EXERCISE = """\
exercises:
  - id: add-one
    kind: recall
    skill: adding
    prompt: "What is 1 + 1?"
    answer: "2"
    checker: numeric
    hints: {nudge: "Count.", specific: "Count on by one.", worked: "1 + 1 = 2."}
"""


@contextlib.contextmanager
def _hang_guard(seconds: int = 60) -> Iterator[None]:
    """Fail the test, rather than hang the suite, should the code under test block."""

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError(f"still blocked after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _course(tmp_path: Path, course: str = COURSE) -> Path:
    folder = tmp_path / "limits"
    folder.mkdir()
    (folder / "course.yaml").write_text(course, encoding="utf-8")
    return folder


def _where(problems: list[ContentProblem]) -> list[tuple[str, int, str]]:
    return [(p.path.name, p.line, p.message) for p in problems]


def test_an_alias_bomb_is_refused_at_its_first_anchor() -> None:
    _, problems = check_content([FIXTURES / "alias-bomb"])
    assert [(name, line) for name, line, _ in _where(problems)] == [("exercises.yaml", 5)]
    assert "anchors and aliases (&a) are not allowed" in problems[0].message


@pytest.mark.parametrize(
    ("text", "line", "shown"),
    [
        ("a: 1\nb: &x 2\n", 2, "&x"),
        ("a: 1\nb: [1,\n  *x]\n", 3, "*x"),
        ("a: &x [1]\nb: *x\n", 1, "&x"),
        ("base: &b {k: 1}\nmore:\n  <<: *b\n", 1, "&b"),
    ],
)
def test_anchors_and_aliases_are_problems_at_their_line(text: str, line: int, shown: str) -> None:
    with pytest.raises(YamlProblem) as caught:
        load_yaml_with_lines(text)
    assert caught.value.line == line
    assert f"anchors and aliases ({shown})" in caught.value.message


def test_deep_nesting_is_a_problem_at_its_line() -> None:
    _, problems = check_content([FIXTURES / "deep-nesting"])
    assert _where(problems) == [
        ("exercises.yaml", 7, f"YAML: nested more than {MAX_DEPTH} levels deep")
    ]


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
def test_nesting_is_capped_at_the_limit(opening: str) -> None:
    closing = {"[": "]", "{a: ": "}", "- ": ""}[opening]

    def nested(depth: int) -> str:
        """A document `depth` values deep, counting the top mapping and the innermost 1."""
        if opening == "- ":
            return "".join("  " * i + "-\n" for i in range(depth - 2)) + "  " * (depth - 2) + "- 1"
        return "x: " + opening * (depth - 2) + "1" + closing * (depth - 2)

    load_yaml_with_lines(nested(MAX_DEPTH))
    with pytest.raises(YamlProblem, match="nested more than"):
        load_yaml_with_lines(nested(MAX_DEPTH + 1) + "\n")


def test_ten_thousand_nested_mappings_are_a_problem_not_a_recursion_error() -> None:
    with pytest.raises(YamlProblem) as caught:
        load_yaml_with_lines("ok: 1\nbad: " + "{a: " * 10_000 + "1" + "}" * 10_000)
    assert caught.value.line == 2


@pytest.mark.parametrize(
    "value",
    ["1" * 200, ":".join(["1"] * 200_000), "1" * 120 + ".5", "0x" + "f" * 200],
)
def test_over_long_numbers_are_refused_before_they_are_built(value: str) -> None:
    with pytest.raises(YamlProblem, match="number longer than"):
        load_yaml_with_lines(f"a: 1\nb: {value}\n")


def test_ordinary_numbers_and_lines_still_load() -> None:
    data, lines, duplicates = load_yaml_with_lines("a: 12\nb:\n  - 1.5\n  - 190:20:30\na: 3\n")
    assert data == {"a": 3, "b": [1.5, 685230]}
    assert lines.line_of(("b", 1)) == 4
    assert lines.sub(("b",)).line_of((0,)) == 3
    assert [(d.line, d.message) for d in duplicates] == [(5, "duplicate key 'a'")]


def test_a_symlink_to_dev_zero_is_reported_not_read(tmp_path: Path) -> None:
    folder = _course(tmp_path)
    (folder / "zero.yaml").symlink_to("/dev/zero")
    with _hang_guard():
        _, problems = check_content([folder])
    assert _where(problems) == [
        ("zero.yaml", 1, "cannot read file: it is a device, not a regular file")
    ]


def test_a_fifo_is_reported_without_blocking(tmp_path: Path) -> None:
    folder = _course(tmp_path)
    os.mkfifo(folder / "pipe.yaml")
    os.mkfifo(folder / "linked-pipe-target")
    (folder / "linked.yml").symlink_to(folder / "linked-pipe-target")
    with _hang_guard():
        _, problems = check_content([folder])
    message = "cannot read file: it is a named pipe, not a regular file"
    assert _where(problems) == [("linked.yml", 1, message), ("pipe.yaml", 1, message)]


def test_a_fifo_in_place_of_course_yaml_is_reported_without_blocking(tmp_path: Path) -> None:
    folder = tmp_path / "piped"
    folder.mkdir()
    os.mkfifo(folder / "course.yaml")
    with _hang_guard():
        _, problems = check_content([folder])
    assert _where(problems) == [
        ("course.yaml", 1, "cannot read file: it is a named pipe, not a regular file")
    ]


def test_a_folder_or_a_dangling_link_named_yaml_is_a_problem(tmp_path: Path) -> None:
    folder = _course(tmp_path)
    (folder / "notes.yaml").mkdir()
    (folder / "gone.yaml").symlink_to(tmp_path / "missing.yaml")
    _, problems = check_content([folder])
    assert sorted((name, line) for name, line, _ in _where(problems)) == [
        ("gone.yaml", 1),
        ("notes.yaml", 1),
    ]
    assert "it is a folder" in next(p.message for p in problems if p.path.name == "notes.yaml")


def test_a_symlink_to_a_regular_file_is_followed(tmp_path: Path) -> None:
    folder = _course(tmp_path)
    shared = tmp_path / "shared-exercises.yaml"
    shared.write_text(EXERCISE, encoding="utf-8")
    (folder / "exercises.yaml").symlink_to(shared)
    catalog, problems = check_content([folder])
    assert problems == []
    assert list(catalog.courses["limits"].exercises) == ["add-one"]


def test_the_size_cap_applies_to_the_bytes_read(tmp_path: Path) -> None:
    folder = _course(tmp_path)
    padding = "# padding\n"
    at_cap = EXERCISE + padding * ((MAX_FILE_BYTES - len(EXERCISE)) // len(padding))
    at_cap += "#" * (MAX_FILE_BYTES - len(at_cap))
    (folder / "at-cap.yaml").write_text(at_cap, encoding="utf-8")
    (folder / "over-cap.yaml").write_text(at_cap + "\n", encoding="utf-8")
    catalog, problems = check_content([folder])
    assert _where(problems) == [("over-cap.yaml", 1, "file is larger than 1 MB")]
    assert "add-one" in catalog.courses["limits"].exercises


def test_a_long_prerequisite_chain_orders_without_deep_recursion() -> None:
    count = 5000
    skills = {
        f"s{i}": Skill(
            id=f"s{i}", title="Step", prerequisites=[f"s{i + 1}"] if i + 1 < count else []
        )
        for i in range(count)
    }
    course = Course("chain", "Chain", "A long chain.", 0.9, True, skills, {}, Path("."))
    order = course.skill_order()
    assert order == [f"s{i}" for i in reversed(range(count))]


def _chain(count: int, *, cycle: bool) -> str:
    skills = "".join(
        f"  - id: s{i}\n    title: Step\n    prerequisites: [s{i + 1}]\n" for i in range(count - 1)
    )
    last = "[s0]" if cycle else "[]"
    return (
        "id: chain\ntitle: Chain\ndescription: A long chain.\nskills:\n"
        f"{skills}  - id: s{count - 1}\n    title: Step\n    prerequisites: {last}\n"
    )


def test_a_cycle_through_the_longest_allowed_chain_is_found(tmp_path: Path) -> None:
    folder = _course(tmp_path, _chain(500, cycle=True))
    _, problems = check_content([folder])
    assert len(problems) == 1
    assert problems[0].message.startswith("prerequisite cycle: s0 -> s1 -> s2")
    assert problems[0].message.endswith("s499 -> s0")


def test_a_course_has_at_most_500_skills(tmp_path: Path) -> None:
    folder = _course(tmp_path, _chain(501, cycle=False))
    _, problems = check_content([folder])
    assert [(p.line, "at most 500 items" in p.message) for p in problems] == [(5, True)]


@pytest.mark.parametrize(
    ("key", "entries", "line"),
    [
        ("where", ['"1 < 2"'] * 11, 9),
        ("accept", ['"2"'] * 21, 9),
    ],
)
def test_lists_that_multiply_the_check_are_capped(
    tmp_path: Path, key: str, entries: list[str], line: int
) -> None:
    folder = _course(tmp_path)
    extra = f"    {key}: [{', '.join(entries)}]\n"
    (folder / "exercises.yaml").write_text(EXERCISE + extra, encoding="utf-8")
    _, problems = check_content([folder])
    assert [(p.line, key in p.message) for p in problems] == [(line, True)]


def _located(exercise: Exercise) -> Located:
    return Located(exercise, Path("exercises.yaml"), LineMap())


def test_shipped_courses_are_checked_on_the_full_sample(catalog: Catalog) -> None:
    for course in catalog.courses.values():
        located = [
            _located(e) for e in course.exercises.values() if isinstance(e, AnsweredExercise)
        ]
        assert variants_to_check(located) == MAX_VARIANTS_CHECKED, course.id


def test_a_course_of_huge_templates_is_checked_on_fewer_variants() -> None:
    text = "{= a*b + 1} " * 300

    def exercise(n: int) -> RecallExercise:
        return RecallExercise(
            kind="recall",
            id=f"big-{n}",
            skill="adding",
            parameters={"a": RangeParam(range=(1, 30)), "b": RangeParam(range=(1, 30))},
            prompt=text,
            answer="{= a + b}",
            checker="numeric",
            hints=HintLadder(nudge=text, specific=text, worked=text),
        )

    size = 4 * len(text) + len("{= a + b}")
    two = variants_to_check([_located(exercise(1)), _located(exercise(2))])
    assert MIN_VARIANTS_CHECKED < two < MAX_VARIANTS_CHECKED
    assert two == CHECK_BUDGET_CHARS // (2 * size)
    many = variants_to_check([_located(exercise(n)) for n in range(100)])
    assert many == MIN_VARIANTS_CHECKED


def test_a_field_that_fails_in_the_checker_pattern_is_a_problem_at_its_line(
    tmp_path: Path,
) -> None:
    folder = _course(tmp_path)
    text = EXERCISE.replace("checker: numeric", 'checker: pattern\n    pattern: "^{z}$"')
    (folder / "exercises.yaml").write_text(text, encoding="utf-8")
    _, problems = check_content([folder])
    assert [(p.line, p.message) for p in problems] == [
        (8, "exercise 'add-one': unknown parameter {z}")
    ]
