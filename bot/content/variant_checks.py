"""Check the variants of answered exercises: each renders, grades as authored, leaks nothing.

Checking costs grow with template text times variants, so a course is given a fixed
budget: every exercise is checked on up to 400 variants while the course is of ordinary
size, and on fewer (never under 10) as its templates grow, so a check ends in minutes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from bot.content.models import AnsweredExercise
from bot.content.patterns import regex_problem
from bot.content.rendering import RenderedExercise, render_exercise
from bot.content.templates import (
    MAX_VARIANTS_CHECKED,
    ConditionError,
    TemplateError,
    Variant,
    combination_count,
    render,
    sample_variants,
)
from bot.errors import ContentProblem
from bot.learning.answer_leak import reveals_answer
from bot.learning.grading import AnswerKey, grade_answer

if TYPE_CHECKING:
    from bot.content.loader import Located

MAX_COMBINATIONS = 100_000
MIN_VARIANTS_CHECKED = 10
# Template characters times variants checked, per course: about a minute of checking
# even for templates dense with computed fields.
CHECK_BUDGET_CHARS = 6_000_000


def variants_to_check(located: Sequence[Located]) -> int:
    """How many variants to check per exercise: the same for every exercise of a course."""
    size = sum(
        _template_chars(loc.exercise)
        for loc in located
        if isinstance(loc.exercise, AnsweredExercise) and loc.exercise.parameters
    )
    fitting = CHECK_BUDGET_CHARS // max(size, 1)
    return max(MIN_VARIANTS_CHECKED, min(MAX_VARIANTS_CHECKED, fitting))


def _template_chars(exercise: AnsweredExercise) -> int:
    """The length of every template of an exercise, the unit of the check budget."""
    return sum(len(template) for _path, template in _templates(exercise))


def check_variants(loc: Located, exercise: AnsweredExercise, limit: int) -> list[ContentProblem]:
    """Render a sample of variants (all, when few) and check each one grades as authored."""
    combinations = combination_count(exercise.parameters)
    if combinations > MAX_COMBINATIONS:
        return [
            problem_at(
                loc,
                ("parameters",),
                f"{combinations} parameter combinations; at most {MAX_COMBINATIONS} are allowed",
            )
        ]
    try:
        variants = sample_variants(exercise.parameters, exercise.where, limit, random.Random(0))
    except ConditionError as exc:
        return [problem_at(loc, ("where", exc.index), str(exc))]
    if not variants:
        return [problem_at(loc, ("where",), "no parameter values meet the 'where' conditions")]
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
    try:
        rendered = render_exercise(exercise, variant)
    except TemplateError:
        # Render again template by template, only now, to say which ones fail.
        return _template_problems(loc, exercise, variant)
    # Vet every regex before any is matched: the check itself must not hang on one.
    problems = [
        problem_at(loc, path, f"{problem}{shown}")
        for path, regex in _regexes(rendered)
        if (problem := regex_problem(regex)) is not None
    ]
    if problems:
        return problems
    key = rendered.key
    answers: list[tuple[tuple[str | int, ...], str]] = [(("answer",), key.answer)]
    answers += [(("accept", i), text) for i, text in enumerate(key.accept)]
    for path, text in answers:
        if not grade_answer(key, text).correct:
            problems.append(
                problem_at(
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
                problem_at(
                    loc, path, f"reveals the answer {key.answer!r} before the worked step{shown}"
                )
            )
    for i, misconception in enumerate(rendered.misconceptions):
        wrong = exercise.misconceptions[i]
        if wrong.answer is None:
            continue
        if grade_answer(key, misconception.key.answer).correct:
            problems.append(
                problem_at(
                    loc,
                    ("misconceptions", i, "answer"),
                    f"misconception answer {misconception.key.answer!r} equals "
                    f"the correct answer{shown}; add a 'where' condition",
                )
            )
    return problems


def _template_problems(
    loc: Located, exercise: AnsweredExercise, variant: Variant
) -> list[ContentProblem]:
    """Report each template that fails to render for one variant."""
    problems = []
    for path, template in _templates(exercise):
        try:
            render(template, variant)
        except TemplateError as exc:
            problems.append(problem_at(loc, path, f"{exc}{_show(variant)}"))
    return problems or [problem_at(loc, (), f"a template fails to render{_show(variant)}")]


def _regexes(rendered: RenderedExercise) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Yield every text grading will use as a regex, with its path (as grading picks them)."""
    keys: list[tuple[tuple[str | int, ...], AnswerKey]] = [((), rendered.key)]
    keys += [(("misconceptions", i), m.key) for i, m in enumerate(rendered.misconceptions)]
    for prefix, key in keys:
        if key.checker != "pattern":
            continue
        if key.pattern:
            yield (*prefix, "pattern"), key.pattern
        else:
            yield (*prefix, "answer"), key.answer
        for i, text in enumerate(key.accept):
            yield (*prefix, "accept", i), text


def _templates(exercise: AnsweredExercise) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Yield every template of an answered exercise with its path in the file."""
    yield ("prompt",), exercise.prompt
    yield ("answer",), exercise.answer
    if exercise.pattern is not None:
        yield ("pattern",), exercise.pattern
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


def _show(variant: Variant) -> str:
    """Describe a variant for an error message."""
    if not variant:
        return ""
    return " (for " + ", ".join(f"{k}={v}" for k, v in sorted(variant.items())) + ")"


def problem_at(loc: Located, path: tuple[str | int, ...], message: str) -> ContentProblem:
    """Make a problem at a path inside an exercise."""
    return ContentProblem(
        loc.path, loc.lines.line_of(path), f"exercise {loc.exercise.id!r}: {message}"
    )
