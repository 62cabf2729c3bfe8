"""Check the variants of answered exercises: each renders, grades as authored, leaks nothing.

Checking costs grow with template text times variants, so a course is given a fixed
budget: every exercise is checked on up to 400 variants while the course is of ordinary
size, and on fewer (never under 10) as its templates grow, so a check ends in minutes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from bot.content.answer_checks import key_findings, literal_findings
from bot.content.field_checks import Finding, Path_, field_findings, quoted, templates_of
from bot.content.models import TEMPLATE_FIELD, AnsweredExercise
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


# Texts only rendered, never graded nor searched for the answer: they cost next to nothing.
_RENDERED_ONLY = {"clarification", "explanation", "explanation_criteria", "expects"}


def _template_chars(exercise: AnsweredExercise) -> int:
    """The length of the templates of an exercise that are checked, the unit of the budget."""
    return sum(
        len(template)
        for path, template in templates_of(exercise)
        if not _RENDERED_ONLY.intersection(map(str, path))
    )


def check_variants(
    loc: Located, exercise: AnsweredExercise, limit: int, language: str = "en"
) -> list[ContentProblem]:
    """Check an exercise's fields, then render a sample of variants (all, when few) and check
    each one grades as authored; report each problem once per place, all of them."""
    found = _Found(loc)
    static = field_findings(exercise)
    found.add(static)
    combinations = combination_count(exercise.parameters)
    if combinations > MAX_COMBINATIONS:
        message = f"{combinations} parameter combinations; at most {MAX_COMBINATIONS} are allowed"
        found.add([(("parameters",), "size", message)])
        return found.problems()
    # A condition that can never be evaluated is left out, so the variants are still checked.
    broken = {path[1] for path, kind, _ in static if kind == "where"}
    kept = [i for i in range(len(exercise.where)) if i not in broken]
    failures: list[ConditionError] = []
    where = [exercise.where[i] for i in kept]
    variants = sample_variants(exercise.parameters, where, limit, random.Random(0), failures)
    found.add([(("where", kept[exc.index]), "where", str(exc)) for exc in failures])
    if not variants and not failures and not broken:
        message = "no parameter values meet the 'where' conditions"
        found.add([(("where",), "where", message)])
    answers: set[str] = set()
    for variant in variants:
        found.add(_variant_findings(exercise, variant, answers, language))
    found.add(literal_findings(exercise, answers))
    return found.problems()


class _Found:
    """The problems of one exercise, one per place and kind (the first variant's)."""

    def __init__(self, loc: Located) -> None:
        self.loc = loc
        self._by_place: dict[tuple[Path_, str], ContentProblem] = {}

    def add(self, findings: list[Finding]) -> None:
        """Keep each finding whose place and kind has none yet."""
        for path, kind, message in findings:
            if kind == "render" and (path, "field") in self._by_place:
                continue  # the field check already said why this template fails
            self._by_place.setdefault((path, kind), problem_at(self.loc, path, message))

    def problems(self) -> list[ContentProblem]:
        """Return the problems found, in the order found."""
        return list(self._by_place.values())


# A failing template here leaves no answer key to check the variant against.
_KEY_PARTS = ("answer", "accept", "choices", "pattern")


def _variant_findings(
    exercise: AnsweredExercise, variant: Variant, answers: set[str], language: str = "en"
) -> list[Finding]:
    """Check that one variant renders, its answer grades correct, and no misconception does."""
    shown = _show(variant)
    findings: list[Finding] = []
    try:
        rendered = render_exercise(exercise, variant, language=language)
    except TemplateError:
        # Render again template by template, only now, to say which ones fail.
        failed = _failed_templates(exercise, variant)
        findings += [(path, "render", f"{message}{shown}") for path, message in failed]
        if not failed or any(path[0] in _KEY_PARTS or path[-1] in _KEY_PARTS for path, _ in failed):
            return findings or [((), "render", f"a template fails to render{shown}")]
        # Stand in for the failed texts, so the answer key is still checked.
        exercise = _with_stand_ins(exercise, [path for path, _ in failed])
        rendered = render_exercise(exercise, variant, language=language)
    answers.add(rendered.key.answer)
    # Vet every regex before any is matched: the check itself must not hang on one.
    unsafe = [
        (path, "regex", f"{problem}{shown}")
        for path, regex in _regexes(rendered)
        if (problem := regex_problem(regex)) is not None
    ]
    if unsafe:
        return findings + unsafe
    key = rendered.key
    about_key = key_findings(exercise, key, shown)
    unsendable = {path for path, kind, _ in about_key if kind == "fit"}
    entries: list[tuple[Path_, str]] = [(("answer",), key.answer)]
    entries += [(("accept", i), text) for i, text in enumerate(key.accept)]
    for path, text in entries:
        if path not in unsendable and not grade_answer(key, text).correct:
            said = f"answer {quoted(text)} does not pass its own {key.checker!r} checker{shown}"
            findings.append((path, "grade", said))
    public = (rendered.prompt,)
    early: list[tuple[Path_, str]] = [
        (("hints", "nudge"), rendered.hints[0]),
        (("hints", "specific"), rendered.hints[1]),
    ]
    early += [
        (("misconceptions", i, "question"), m.question)
        for i, m in enumerate(rendered.misconceptions)
    ]
    if rendered.clarification:
        early.append((("clarification",), rendered.clarification))
    for path, text in early:
        if reveals_answer(key, text, public_texts=public):
            message = f"reveals the answer {quoted(key.answer)} before the worked step{shown}"
            findings.append((path, "leak", message))
    for i, misconception in enumerate(rendered.misconceptions):
        if exercise.misconceptions[i].answer is None:
            continue
        if grade_answer(key, misconception.key.answer).correct:
            message = (
                f"misconception answer {quoted(misconception.key.answer)} equals "
                f"the correct answer{shown}; add a 'where' condition"
            )
            findings.append((("misconceptions", i, "answer"), "grade", message))
    return findings + about_key


def _failed_templates(exercise: AnsweredExercise, variant: Variant) -> list[tuple[Path_, str]]:
    """List each template that fails to render for one variant, with why."""
    failed = []
    for path, template in templates_of(exercise):
        try:
            render(template, variant)
        except TemplateError as exc:
            failed.append((path, str(exc)))
    return failed


def _with_stand_ins(exercise: AnsweredExercise, paths: list[Path_]) -> AnsweredExercise:
    """A copy of the exercise whose texts at `paths` have their fields taken out."""
    data = exercise.model_dump()
    for path in paths:
        *parents, last = path
        holder: Any = data
        for part in parents:
            holder = holder[part]
        holder[last] = TEMPLATE_FIELD.sub("...", holder[last])
    return type(exercise).model_validate(data)


def _regexes(rendered: RenderedExercise) -> Iterator[tuple[Path_, str]]:
    """Yield every text grading will use as a regex, with its path (as grading picks them)."""
    keys: list[tuple[Path_, AnswerKey]] = [((), rendered.key)]
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


def _show(variant: Variant) -> str:
    """Describe a variant for an error message (a table's row by its first field)."""
    shown: dict[str, str] = {}
    for key, value in variant.items():
        if not key.startswith("_"):
            text = value if len(str(value)) <= 30 else quoted(value)
            shown.setdefault(key.partition(".")[0], f"{key}={text}")
    if not shown:
        return ""
    return " (for " + ", ".join(text for _, text in sorted(shown.items())) + ")"


def problem_at(loc: Located, path: tuple[str | int, ...], message: str) -> ContentProblem:
    """Make a problem at a path inside an exercise."""
    return ContentProblem(
        loc.path, loc.lines.line_of(path), f"exercise {loc.exercise.id!r}: {message}"
    )
