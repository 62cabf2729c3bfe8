"""Check an exercise's template fields against its parameters, before any variant is drawn.

A computed field that names no parameter does not fail: `{= q + 1}` renders as `q + 1`,
so learners would read "the answer is q + 1". Such names are allowed only where they
are the problem's own variable (the x of "Solve for x"), and reported everywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.content.expressions import TemplateError, compile_condition, compile_expression
from bot.content.models import TEMPLATE_FIELD, AnsweredExercise, TableParam

Path_ = tuple[str | int, ...]
# What a check found: where in the exercise, a kind (one report per place and kind), and what.
Finding = tuple[Path_, str, str]

MAX_QUOTED_CHARS = 60
# A letter standing alone in a prompt's text: the x of "Solve for x", of "2x + 3" (not the
# s of "it's", the m of "I'm", or the e and g of "e.g.").
_LONE_LETTER = re.compile(r"(?<![^\W\d_])(?<!['’.])([a-z])(?![^\W\d_]|['’]|\.[^\W\d_])")


def templates_of(exercise: AnsweredExercise) -> Iterator[tuple[Path_, str]]:
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
        for j, text in enumerate(m.expects):
            yield ("misconceptions", i, "expects", j), text
    reflection = getattr(exercise, "reflection", None)
    if reflection:
        yield ("reflection",), reflection
    if exercise.clarification:
        yield ("clarification",), exercise.clarification
    if exercise.explanation:
        yield ("explanation",), exercise.explanation
    for i, text in enumerate(exercise.explanation_criteria):
        yield ("explanation_criteria", i), text


def field_findings(exercise: AnsweredExercise) -> list[Finding]:
    """Find fields and conditions naming what is not a parameter, and ragged tables."""
    findings = _ragged_rows(exercise)
    params = exercise.parameters
    tables = {name: list(p.table[0]) for name, p in params.items() if isinstance(p, TableParam)}
    plain = set(exercise.parameters) - set(tables)
    # The expression checker takes algebra, so any letter may be a variable there.
    variables = None if exercise.checker == "expression" else _lone_letters(exercise.prompt)
    for path, template in templates_of(exercise):
        reported: set[str] = set()
        for match in TEMPLATE_FIELD.finditer(template):
            body = match.group(1)
            try:
                names, free = _field_names(body, variables)
            except TemplateError:
                continue  # the variant check says why, with the values
            computed = body.startswith("=")
            for name in names:
                message = _name_problem(name, plain, tables, free)
                if message is None or name in reported:
                    continue
                reported.add(name)
                if not computed:
                    message = message or f"unknown parameter {{{name}}}"
                else:
                    message = f"{{{body}}}: " + (
                        message
                        or f"unknown parameter {name}; learners would read the letter {name} "
                        "(if it is the problem's variable, name it in the prompt, or use the "
                        "expression checker)"
                    )
                findings.append((path, "field", message))
    for index, condition in enumerate(exercise.where):
        try:
            names = _condition_names(condition)
        except TemplateError as exc:
            findings.append((("where", index), "where", str(exc)))
            continue
        for name in names:
            message = _name_problem(name, plain, tables, frozenset())
            if message is not None:
                said = message or f"{name} is not a parameter"
                findings.append((("where", index), "where", f"{condition!r}: {said}"))
                break
    return findings


def quoted(text: object) -> str:
    """Quote a value for a message, shortened when long."""
    shown = repr(text)
    if len(shown) <= MAX_QUOTED_CHARS:
        return shown
    return f"{shown[: MAX_QUOTED_CHARS - 15]}...{shown[-10:]} ({len(str(text))} characters)"


def _field_names(body: str, variables: frozenset[str] | None) -> tuple[list[str], frozenset[str]]:
    """The names a field uses, and the free variables it may keep (only a computed one may)."""
    if not body.startswith("="):
        return [body.lstrip("+")], frozenset()
    names = sorted(compile_expression(body[1:].strip()).names)
    if variables is None:
        return names, frozenset(n for n in names if "." not in n)
    return names, variables


def _condition_names(condition: str) -> list[str]:
    """The names a `where` condition uses; raise TemplateError when it cannot parse."""
    compiled = compile_condition(condition)
    names: set[str] = set()
    for side in (compiled.left, compiled.right):
        if side.expression is not None:
            names |= compile_expression(side.expression).names
    return sorted(names)


def _name_problem(
    name: str, plain: set[str], tables: dict[str, list[str]], free: frozenset[str]
) -> str | None:
    """Say what is wrong with a name a field uses: None when fine, "" when it is unknown."""
    table, _, field = name.partition(".")
    if field:
        if table in tables:
            if field in tables[table]:
                return None
            return f"table {table} has no field {field!r} (its fields: {', '.join(tables[table])})"
        if table in plain:
            return f"{table} is not a table, so it has no field {field!r}"
        return f"unknown parameter {table}"
    if name in plain:
        return None
    if name in tables:
        return f"{name} is a table; name one of its fields, such as {{{name}.{tables[name][0]}}}"
    return None if name in free else ""


def _lone_letters(prompt: str) -> frozenset[str]:
    """The letters a prompt's own text uses as variables, outside its fields."""
    return frozenset(_LONE_LETTER.findall(TEMPLATE_FIELD.sub(" ", prompt)))


def _ragged_rows(exercise: AnsweredExercise) -> list[Finding]:
    """Find table rows whose fields differ from the first row's: every variant must render."""
    findings: list[Finding] = []
    for name, parameter in exercise.parameters.items():
        if not isinstance(parameter, TableParam):
            continue
        first = list(parameter.table[0])
        for index, row in enumerate(parameter.table[1:], start=1):
            missing = [f for f in first if f not in row]
            extra = [f for f in row if f not in first]
            if missing or extra:
                said = "; ".join(
                    part
                    for part in (
                        missing and f"lacks {', '.join(missing)}",
                        extra and f"has {', '.join(extra)}",
                    )
                    if part
                )
                findings.append(
                    (
                        ("parameters", name, "table", index),
                        "table",
                        f"table {name}, row {index + 1} {said}: every row needs the fields "
                        f"of the first ({', '.join(first)})",
                    )
                )
    return findings
