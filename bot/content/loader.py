"""Read course folders, validate every file, and report every problem with file and line."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from bot.content.cache import CatalogCache, configured_cache
from bot.content.catalog import Catalog, Course
from bot.content.files import UnreadableFile, read_course_file
from bot.content.models import CourseHeader, Exercise, ExerciseFile, Skill
from bot.content.sources import COURSE_FILE, course_folders, exercise_files
from bot.errors import ContentError, ContentProblem

if TYPE_CHECKING:
    from bot.content.yaml_lines import LineMap

log = logging.getLogger(__name__)

__all__ = ["COURSE_FILE", "Located", "check_content", "check_content_report", "load_catalog"]

_EXERCISE = TypeAdapter[Exercise](Exercise)


@dataclass(frozen=True)
class Located:
    """An exercise and where it was written."""

    exercise: Exercise
    path: Path
    lines: LineMap


def load_catalog(paths: Sequence[Path], cache: CatalogCache | None = None) -> Catalog:
    """Load every course under `paths`; raise ContentError listing every problem."""
    catalog, problems = check_content(paths, cache)
    if problems:
        raise ContentError(problems)
    return catalog


def check_content(
    paths: Sequence[Path], cache: CatalogCache | None = None
) -> tuple[Catalog, list[ContentProblem]]:
    """Load what is valid under `paths` and list every problem found (warnings left out)."""
    catalog, problems = check_content_report(paths, cache)
    return catalog, [p for p in problems if not p.warning]


def check_content_report(
    paths: Sequence[Path], cache: CatalogCache | None = None
) -> tuple[Catalog, list[ContentProblem]]:
    """Load what is valid under `paths` and list every problem and warning found.

    With a cache (given, or chosen at start-up), an unchanged content is not checked again.
    """
    cache = cache if cache is not None else configured_cache()
    if cache is None:
        return _check_report(paths)
    return cache.checked(paths, _check_report)


def _check_report(paths: Sequence[Path]) -> tuple[Catalog, list[ContentProblem]]:
    """Read and check every course under `paths`."""
    problems: list[ContentProblem] = []
    courses: dict[str, Course] = {}
    for folder in course_folders(paths, problems):
        course = _load_course(folder, problems)
        if course is None:
            continue
        if course.id in courses:
            problems.append(
                ContentProblem(
                    folder / COURSE_FILE,
                    1,
                    f"course id {course.id!r} is also used by {courses[course.id].folder}",
                )
            )
            continue
        courses[course.id] = course
    return Catalog(courses), problems


def _load_course(folder: Path, problems: list[ContentProblem]) -> Course | None:
    """Validate one course folder; return the course when its header is valid."""
    # imported here: the checks load sympy, which a start from the cache never needs
    from bot.content.checks import check_course
    from bot.content.yaml_lines import LineMap

    course_path = folder / COURSE_FILE
    loaded = _read_yaml(course_path, problems)
    data, lines = loaded if loaded is not None else ({}, LineMap({(): 1}))
    header = None
    if loaded is not None:
        header = _validate(CourseHeader, data, course_path, lines, problems)
    # Whatever is wrong with the header or a file's top level, every exercise is still
    # checked, so the first run reports every problem.
    located = _exercises_in(data, course_path, lines, problems)
    for path in exercise_files(folder):
        loaded = _read_yaml(path, problems)
        if loaded is None:
            continue
        _validate(ExerciseFile, loaded[0], path, loaded[1], problems)
        located.extend(_exercises_in(loaded[0], path, loaded[1], problems))
    checked = header if header is not None else _stand_in_header(data, located)
    problems.extend(check_course(checked, located, course_path, lines))
    if header is None:
        return None
    exercises: dict[str, Exercise] = {}
    for loc in located:
        exercises.setdefault(loc.exercise.id, loc.exercise)
    return Course(
        id=header.id,
        title=header.title,
        description=header.description,
        desired_retention=header.desired_retention,
        placement=header.placement,
        language=header.language,
        skills={s.id: s for s in header.skills},
        exercises=exercises,
        folder=folder,
    )


def _exercises_in(
    data: Any, path: Path, lines: LineMap, problems: list[ContentProblem]
) -> list[Located]:
    """Validate each exercise of a file on its own, so every bad one is reported."""
    items = data.get("exercises") if isinstance(data, dict) else None
    located: list[Located] = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        sub = lines.sub(("exercises", index))
        exercise = _validate(_EXERCISE, item, path, sub, problems)
        if exercise is not None:
            located.append(Located(exercise, path, sub))
    return located


def _stand_in_header(data: Any, located: list[Located]) -> CourseHeader:
    """A header to check the exercises of a course whose course.yaml is invalid."""
    raw = data.get("skills") if isinstance(data, dict) else None
    skills: list[Skill] = []
    for item in raw if isinstance(raw, list) else []:
        try:
            skills.append(Skill.model_validate(item))
        except ValidationError:  # already reported; its id still counts as a skill
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                skills.append(Skill.model_construct(id=item["id"], title=item["id"]))
    if not isinstance(raw, list):
        # No skill list to go by: call no exercise's skill unknown.
        skills = [Skill.model_construct(id=s, title=s) for s in {x.exercise.skill for x in located}]
    return CourseHeader.model_construct(id="", title="", description="", skills=skills)


def _read_yaml(path: Path, problems: list[ContentProblem]) -> tuple[Any, LineMap] | None:
    """Read a YAML file; report unreadable, oversized or malformed files."""
    from bot.content.yaml_lines import YamlProblem, load_yaml_with_lines

    try:
        text = read_course_file(path).decode("utf-8")
    except UnreadableFile as exc:
        problems.append(ContentProblem(path, 1, str(exc)))
        return None
    except UnicodeDecodeError as exc:
        problems.append(ContentProblem(path, 1, f"cannot read file: not UTF-8 ({exc.reason})"))
        return None
    try:
        data, lines, duplicates = load_yaml_with_lines(text)
    except YamlProblem as exc:
        problems.append(ContentProblem(path, exc.line, exc.message))
        return None
    problems.extend(ContentProblem(path, d.line, d.message) for d in duplicates)
    if not isinstance(data, dict):
        problems.append(ContentProblem(path, 1, "expected a mapping of keys at the top level"))
        return None
    return data, lines


def _validate(
    model: Any,
    data: Any,
    path: Path,
    lines: LineMap,
    problems: list[ContentProblem],
) -> Any:
    """Validate `data` with a model or type adapter; report each error at its line."""
    try:
        if isinstance(model, TypeAdapter):
            return model.validate_python(data)
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = _real_path(data, tuple(error["loc"]))
            problems.append(ContentProblem(path, lines.line_of(loc), _describe(error, loc)))
        return None


def _real_path(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Drop the tags pydantic adds for union members, keeping the keys of the data."""
    path: list[str | int] = []
    current = data
    for position, part in enumerate(loc):
        if isinstance(current, dict) and part in current:
            current = current[part]
            path.append(part)
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
            path.append(part)
        elif position == len(loc) - 1 and isinstance(part, str | int):
            path.append(part)
    return tuple(path)


def _describe(error: Any, loc: tuple[str | int, ...]) -> str:
    """Write one pydantic error as a sentence a course creator understands."""
    where = ".".join(str(p) for p in loc)
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return f"unknown key {where!r}"
    if kind == "missing":
        return f"missing field {where!r}"
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
