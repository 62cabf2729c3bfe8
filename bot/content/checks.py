"""Checks across a course: skill references, prerequisite cycles, ids, and variants."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from bot.content.models import AnsweredExercise, CourseHeader
from bot.content.style_checks import question_warnings
from bot.content.variant_checks import check_variants, problem_at, variants_to_check
from bot.content.yaml_lines import LineMap
from bot.errors import ContentProblem

if TYPE_CHECKING:
    from bot.content.loader import Located


def check_course(
    header: CourseHeader, located: list[Located], course_path: Path, lines: LineMap
) -> list[ContentProblem]:
    """Return every cross-reference and variant problem of one course."""
    problems = _check_skills(header, course_path, lines)
    skill_ids = {s.id for s in header.skills}
    limit = variants_to_check(located)
    first_seen: dict[str, Located] = {}
    for loc in located:
        exercise = loc.exercise
        if exercise.id in first_seen:
            other = first_seen[exercise.id]
            problems.append(
                problem_at(
                    loc,
                    ("id",),
                    f"duplicate exercise id {exercise.id!r} (first at "
                    f"{other.path.name}:{other.lines.line_of(('id',))})",
                )
            )
        else:
            first_seen[exercise.id] = loc
        if exercise.skill not in skill_ids:
            problems.append(problem_at(loc, ("skill",), f"unknown skill {exercise.skill!r}"))
        problems.extend(question_warnings(loc, exercise))
        if isinstance(exercise, AnsweredExercise):
            problems.extend(check_variants(loc, exercise, limit, header.language))
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
    # Iterative, so a long chain of prerequisites cannot exhaust the stack.
    state: dict[str, int] = {}
    reported: set[frozenset[str]] = set()
    for root in graph:
        if root in state:
            continue
        state[root] = 1
        path = [root]
        pending = [iter(graph.get(root, []))]
        while pending:
            nxt = next(pending[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                pending.pop()
            elif state.get(nxt) == 1:
                cycle = path[path.index(nxt) :]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    yield cycle
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                pending.append(iter(graph.get(nxt, [])))
