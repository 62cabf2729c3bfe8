"""Checks across a course: skill references, prerequisite cycles, ids, every variant."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from bot.content.models import AnsweredExercise, CourseHeader
from bot.content.rendering import render_exercise
from bot.content.templates import (
    MAX_VARIANTS_CHECKED,
    TemplateError,
    Variant,
    combination_count,
    condition_holds,
    render,
    sample_variants,
)
from bot.content.yaml_lines import LineMap
from bot.errors import ContentProblem
from bot.learning.answer_leak import reveals_answer
from bot.learning.grading import grade_answer

if TYPE_CHECKING:
    from bot.content.loader import Located

MAX_COMBINATIONS = 100_000


def check_course(
    header: CourseHeader, located: list[Located], course_path: Path, lines: LineMap
) -> list[ContentProblem]:
    """Return every cross-reference and variant problem of one course."""
    problems = _check_skills(header, course_path, lines)
    skill_ids = {s.id for s in header.skills}
    first_seen: dict[str, Located] = {}
    for loc in located:
        exercise = loc.exercise
        if exercise.id in first_seen:
            other = first_seen[exercise.id]
            problems.append(
                _at(
                    loc,
                    ("id",),
                    f"duplicate exercise id {exercise.id!r} (first at "
                    f"{other.path.name}:{other.lines.line_of(('id',))})",
                )
            )
        else:
            first_seen[exercise.id] = loc
        if exercise.skill not in skill_ids:
            problems.append(_at(loc, ("skill",), f"unknown skill {exercise.skill!r}"))
        if isinstance(exercise, AnsweredExercise):
            problems.extend(_check_variants(loc, exercise))
    return problems


def _check_skills(header: CourseHeader, path: Path, lines: LineMap) -> list[ContentProblem]:
    """Check skill ids are unique, prerequisites exist, and they form no cycle."""
    problems: list[ContentProblem] = []
    seen: set[str] = set()
    for i, skill in enumerate(header.skills):
        if skill.id in seen:
            problems.append(
                ContentProblem(
                    path, lines.line_of(("skills", i, "id")), f"duplicate skill id {skill.id!r}"
                )
            )
        seen.add(skill.id)
    for i, skill in enumerate(header.skills):
        for j, prerequisite in enumerate(skill.prerequisites):
            where = lines.line_of(("skills", i, "prerequisites", j))
            if prerequisite not in seen:
                problems.append(
                    ContentProblem(
                        path, where, f"skill {skill.id!r}: unknown prerequisite {prerequisite!r}"
                    )
                )
    graph = {s.id: [p for p in s.prerequisites if p in seen] for s in header.skills}
    for cycle in _cycles(graph):
        index = next(i for i, s in enumerate(header.skills) if s.id == cycle[0])
        problems.append(
            ContentProblem(
                path,
                lines.line_of(("skills", index, "prerequisites")),
                "prerequisite cycle: " + " -> ".join([*cycle, cycle[0]]),
            )
        )
    return problems


def _cycles(graph: dict[str, list[str]]) -> Iterator[list[str]]:
    """Yield each prerequisite cycle once, found by depth-first search."""
    state: dict[str, int] = {}
    stack: list[str] = []
    reported: set[frozenset[str]] = set()

    def visit(node: str) -> Iterator[list[str]]:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt) :]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    yield cycle
            elif nxt not in state:
                yield from visit(nxt)
        stack.pop()
        state[node] = 2

    for node in graph:
        if node not in state:
            yield from visit(node)


def _check_variants(loc: Located, exercise: AnsweredExercise) -> list[ContentProblem]:
    """Render a sample of variants (all, when few) and check each one grades as authored."""
    combinations = combination_count(exercise.parameters)
    if combinations > MAX_COMBINATIONS:
        return [
            _at(
                loc,
                ("parameters",),
                f"{combinations} parameter combinations; at most {MAX_COMBINATIONS} are allowed",
            )
        ]
    try:
        variants = sample_variants(
            exercise.parameters, exercise.where, MAX_VARIANTS_CHECKED, random.Random(0)
        )
    except TemplateError as exc:
        return [_at(loc, ("where", _failing_condition(exercise)), str(exc))]
    if not variants:
        return [_at(loc, ("where",), "no parameter values meet the 'where' conditions")]
    for variant in variants:
        problems = _check_one_variant(loc, exercise, variant)
        if problems:
            return problems
    return []


def _check_one_variant(
    loc: Located, exercise: AnsweredExercise, variant: Variant
) -> list[ContentProblem]:
    """Check that one variant renders, its answer grades correct, and no misconception does."""
    shown = _show(variant)
    problems = []
    for path, template in _templates(exercise):
        try:
            render(template, variant)
        except TemplateError as exc:
            problems.append(_at(loc, path, f"{exc}{shown}"))
    if problems:
        return problems
    rendered = render_exercise(exercise, variant)
    key = rendered.key
    for path, text in [(("answer",), key.answer)] + [
        (("accept", i), text) for i, text in enumerate(key.accept)
    ]:
        if not grade_answer(key, text).correct:
            problems.append(
                _at(
                    loc,
                    path,
                    f"answer {text!r} does not pass its own {key.checker!r} checker{shown}",
                )
            )
    public = (rendered.prompt,)
    early: list[tuple[tuple[str | int, ...], str]] = [
        (("hints", "nudge"), rendered.hints[0]),
        (("hints", "specific"), rendered.hints[1]),
    ]
    early += [
        (("misconceptions", i, "question"), m.question)
        for i, m in enumerate(rendered.misconceptions)
    ]
    for path, text in early:
        if reveals_answer(key, text, public_texts=public):
            problems.append(
                _at(loc, path, f"reveals the answer {key.answer!r} before the worked step{shown}")
            )
    for i, misconception in enumerate(rendered.misconceptions):
        wrong = exercise.misconceptions[i]
        if wrong.answer is None:
            continue
        if grade_answer(key, misconception.key.answer).correct:
            problems.append(
                _at(
                    loc,
                    ("misconceptions", i, "answer"),
                    f"misconception answer {misconception.key.answer!r} equals "
                    f"the correct answer{shown}; add a 'where' condition",
                )
            )
    return problems


def _templates(exercise: AnsweredExercise) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Yield every template of an answered exercise with its path in the file."""
    yield ("prompt",), exercise.prompt
    yield ("answer",), exercise.answer
    for i, text in enumerate(exercise.accept):
        yield ("accept", i), text
    for i, text in enumerate(exercise.choices):
        yield ("choices", i), text
    yield ("hints", "nudge"), exercise.hints.nudge
    yield ("hints", "specific"), exercise.hints.specific
    yield ("hints", "worked"), exercise.hints.worked
    for i, m in enumerate(exercise.misconceptions):
        yield ("misconceptions", i, "question"), m.question
        if m.answer is not None:
            yield ("misconceptions", i, "answer"), m.answer
        if m.pattern is not None:
            yield ("misconceptions", i, "pattern"), m.pattern
    reflection = getattr(exercise, "reflection", None)
    if reflection:
        yield ("reflection",), reflection


def _failing_condition(exercise: AnsweredExercise) -> int:
    """Find the index of the first `where` condition that cannot be evaluated."""
    sample = {name: 1 for name in exercise.parameters}
    for i, condition in enumerate(exercise.where):
        try:
            condition_holds(condition, sample)
        except TemplateError:
            return i
    return 0


def _show(variant: Variant) -> str:
    """Describe a variant for an error message."""
    if not variant:
        return ""
    return " (for " + ", ".join(f"{k}={v}" for k, v in sorted(variant.items())) + ")"


def _at(loc: Located, path: tuple[str | int, ...], message: str) -> ContentProblem:
    """Make a problem at a path inside an exercise."""
    return ContentProblem(
        loc.path, loc.lines.line_of(path), f"exercise {loc.exercise.id!r}: {message}"
    )
