"""The course file format (v1), as pydantic models that reject unknown keys."""

from __future__ import annotations

import math
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from bot.content.criteria_models import (
    PROBE_FIELD,
    AllOf,
    AnyOf,
    Criterion,
    CriterionBase,
    HasCommitment,
    HasDate,
    HasNumber,
    Keywords,
    MinItems,
    MinWords,
    NamesPerson,
    NoneOf,
    PatternCriterion,
    says_what_is_missing,
)
from bot.content.model_base import (
    ID_PATTERN,
    AnswerText,
    Condition,
    Id,
    ParamName,
    Strict,
    Text,
)
from bot.content.patterns import regex_problem

# The course format in one place: the criteria and base types are re-exported here.
__all__ = [
    "FIELD_NAME",
    "ID_PATTERN",
    "MAX_ROW_FIELDS",
    "MAX_TABLE_ROWS",
    "MAX_VALUE_CHARS",
    "PROBE_FIELD",
    "TEMPLATE_FIELD",
    "AllOf",
    "AnswerText",
    "AnsweredExercise",
    "AnyOf",
    "BktParams",
    "Checker",
    "Condition",
    "CourseHeader",
    "Criterion",
    "CriterionBase",
    "Exercise",
    "ExerciseBase",
    "ExerciseFile",
    "HasCommitment",
    "HasDate",
    "HasNumber",
    "HintLadder",
    "Id",
    "Keywords",
    "MinItems",
    "MinWords",
    "Misconception",
    "NamesPerson",
    "NoneOf",
    "ParamName",
    "Parameter",
    "PatternCriterion",
    "PlainValue",
    "ProblemExercise",
    "RangeParam",
    "RecallExercise",
    "ReflectionExercise",
    "Row",
    "Skill",
    "Strict",
    "TableParam",
    "Text",
    "ValuesParam",
]

# A template field: `{a}`, `{+a}`, `{v.verb}` (a field of a table's row) or `{= expression}`.
TEMPLATE_FIELD = re.compile(r"\{(=[^{}]*|\+?[a-z](?:\.[a-z][a-z0-9_]*)?)\}")


class BktParams(Strict):
    """Bayesian Knowledge Tracing parameters for one skill."""

    prior: float = Field(0.2, ge=0.0, le=1.0)
    learn: float = Field(0.2, gt=0.0, le=1.0)
    slip: float = Field(0.1, ge=0.0, le=0.5)
    guess: float = Field(0.2, ge=0.0, le=0.5)


class Skill(Strict):
    """A skill of a course; prerequisites name other skills of the same course."""

    id: Id
    title: Text
    description: str = ""
    prerequisites: list[Id] = []
    bkt: BktParams | None = None


class RangeParam(Strict):
    """An integer parameter taking every value from low to high, both included."""

    range: tuple[int, int]

    @field_validator("range")
    @classmethod
    def _ordered(cls, value: tuple[int, int]) -> tuple[int, int]:
        low, high = value
        if low > high:
            raise ValueError(f"range low {low} is above high {high}")
        if high - low > 10_000:
            raise ValueError("range spans more than 10,000 values")
        return value


MAX_TABLE_ROWS = 1000
MAX_ROW_FIELDS = 20
MAX_VALUE_CHARS = 500
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def _plain_value(value: object) -> object:
    """Accept a number or a text; refuse, in plain words, what YAML made of something else."""
    if isinstance(value, bool):
        # YAML 1.1 reads an unquoted yes/no/on/off as a boolean: "no" in a Spanish drill.
        raise ValueError(
            f"YAML reads an unquoted yes/no/on/off as {str(value).lower()}; "
            "quote the word, such as 'no'"
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("a number must be finite")
    if isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
        raise ValueError(f"a value is at most {MAX_VALUE_CHARS} characters")
    if not isinstance(value, int | float | str):
        raise ValueError(f"a value is a number or a text, not a {type(value).__name__}; quote it")
    return value


PlainValue = Annotated[int | float | str, BeforeValidator(_plain_value)]


class ValuesParam(Strict):
    """A parameter taking one of the listed values."""

    values: Annotated[list[PlainValue], Field(min_length=1, max_length=1000)]


def _row_shape(value: object) -> object:
    """Check that a table row is a mapping of 1 to 20 well-named fields."""
    if not isinstance(value, dict):
        raise ValueError("a row is a mapping of fields, such as {verb: hablar, stem: habl}")
    if not 1 <= len(value) <= MAX_ROW_FIELDS:
        raise ValueError(f"a row has 1 to {MAX_ROW_FIELDS} fields, not {len(value)}")
    for name in value:
        if not isinstance(name, str) or not FIELD_NAME.match(name):
            raise ValueError(
                f"field name {name!r}: lowercase letters, digits and _, "
                "starting with a letter, at most 32 characters"
            )
    return value


Row = Annotated[dict[str, PlainValue], BeforeValidator(_row_shape)]


class TableParam(Strict):
    """A parameter taking one whole row of a table: the row's fields travel together."""

    table: Annotated[list[Row], Field(min_length=1, max_length=MAX_TABLE_ROWS)]


def _parameter_kind(value: object) -> str | None:
    """Tell a parameter's kind by its key, so an error names only what that kind needs."""
    if isinstance(value, dict):
        return next((key for key in ("range", "values", "table") if key in value), None)
    kinds: dict[type, str] = {RangeParam: "range", ValuesParam: "values", TableParam: "table"}
    return kinds.get(type(value))


Parameter = Annotated[
    Annotated[RangeParam, Tag("range")]
    | Annotated[ValuesParam, Tag("values")]
    | Annotated[TableParam, Tag("table")],
    Discriminator(
        _parameter_kind,
        custom_error_type="parameter_kind",
        custom_error_message="a parameter needs one of 'range', 'values' or 'table'",
    ),
]


class HintLadder(Strict):
    """Three rungs, climbed in order: a nudge, a specific hint, a worked step."""

    nudge: Text
    specific: Text
    worked: Text


class Misconception(Strict):
    """A known wrong answer (or pattern of answers) and the question that targets it."""

    name: Id | None = None
    answer: AnswerText | None = None
    pattern: str | None = None
    question: Text
    # Words a good reply to the question contains ("1", "a whole"): any one is enough.
    expects: Annotated[list[AnswerText], Field(max_length=20)] = []

    @field_validator("pattern")
    @classmethod
    def _safe_pattern(cls, value: str | None) -> str | None:
        return _vetted(value)

    @model_validator(mode="after")
    def _one_matcher(self) -> Misconception:
        if (self.answer is None) == (self.pattern is None):
            raise ValueError("a misconception needs exactly one of 'answer' or 'pattern'")
        return self


Checker = Literal["exact", "numeric", "expression", "choice", "pattern"]


class ExerciseBase(Strict):
    """Fields every exercise kind shares."""

    id: Id
    skill: Id
    title: str = ""
    difficulty: int = Field(2, ge=1, le=5)
    context: str = ""
    prompt: Text


class AnsweredExercise(ExerciseBase):
    """An exercise with a checkable answer, possibly parameterised."""

    parameters: dict[ParamName, Parameter] = {}
    where: Annotated[list[Condition], Field(max_length=10)] = []
    answer: AnswerText
    checker: Checker
    tolerance: float = Field(0.0, ge=0.0)
    accept: Annotated[list[AnswerText], Field(max_length=20)] = []
    # choices are named by a letter, a to z
    choices: Annotated[list[AnswerText], Field(max_length=26)] = []
    pattern: str | None = None
    # exact and pattern answers ignore accents unless this is set (then an accent is wrong)
    strict_accents: bool = False
    hints: HintLadder
    misconceptions: Annotated[list[Misconception], Field(max_length=30)] = []
    # Said when the learner asks what the problem means; must not give the answer away.
    clarification: Text | None = None
    # The why-step: words a good explanation uses (any one), and a model explanation.
    explanation_criteria: Annotated[list[AnswerText], Field(max_length=20)] = []
    explanation: Text | None = None

    @field_validator("pattern")
    @classmethod
    def _safe_pattern(cls, value: str | None) -> str | None:
        return _vetted(value)

    @model_validator(mode="after")
    def _checker_fields(self) -> AnsweredExercise:
        if self.checker == "choice" and len(self.choices) < 2:
            raise ValueError("the 'choice' checker needs at least two 'choices'")
        if self.checker != "choice" and self.choices:
            raise ValueError("'choices' only goes with the 'choice' checker")
        if self.checker == "pattern":
            if not self.pattern:
                raise ValueError("the 'pattern' checker needs a 'pattern'")
        elif self.pattern is not None:
            raise ValueError("'pattern' only goes with the 'pattern' checker")
        if self.tolerance and self.checker != "numeric":
            raise ValueError("'tolerance' only goes with the 'numeric' checker")
        return self


class ProblemExercise(AnsweredExercise):
    """A question with a checkable answer, then a reflection question."""

    kind: Literal["problem"]
    reflection: Text


class RecallExercise(AnsweredExercise):
    """A short retrieval question, used for spaced review."""

    kind: Literal["recall"]
    reflection: str | None = None


class ReflectionExercise(ExerciseBase):
    """An open prompt judged against criteria, probing the first one unmet."""

    kind: Literal["reflection"]
    criteria: Annotated[
        list[Annotated[Criterion, AfterValidator(says_what_is_missing)]], Field(min_length=1)
    ]
    max_probes: int = Field(3, ge=1, le=10)


Exercise = Annotated[
    ProblemExercise | RecallExercise | ReflectionExercise, Field(discriminator="kind")
]


class CourseHeader(Strict):
    """The `course.yaml` of a course folder, without its exercises."""

    id: Id
    title: Text
    description: Text
    desired_retention: float = Field(0.9, ge=0.7, le=0.99)
    placement: bool = True
    # The learners' language (a code such as "es" or "pt-BR"): its hedge, negation and number
    # words are read when grading, as well as English ones.
    language: str = Field("en", pattern=r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")
    skills: Annotated[list[Skill], Field(min_length=1, max_length=500)]
    exercises: list[object] = []


class ExerciseFile(Strict):
    """Any other YAML file of a course folder: a list of exercises."""

    exercises: list[object]


def _vetted(pattern: str | None) -> str | None:
    """Refuse an authored regex that is invalid or could backtrack for minutes."""
    if pattern is None:
        return None
    # Fields are filled per variant (and checked again then); judge the rest with a digit.
    problem = regex_problem(TEMPLATE_FIELD.sub("0", pattern))
    if problem:
        raise ValueError(problem)
    return pattern
