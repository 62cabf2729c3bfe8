"""The course file format (v1), as pydantic models that reject unknown keys."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.content.patterns import regex_problem

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
Id = Annotated[str, Field(pattern=ID_PATTERN)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
AnswerText = Annotated[str, Field(min_length=1, max_length=2000)]
ParamName = Annotated[str, Field(pattern=r"^[a-z]$")]
Condition = Annotated[str, Field(min_length=1, max_length=200)]
# A template field: `{a}`, `{+a}` or `{= expression}`.
TEMPLATE_FIELD = re.compile(r"\{(=[^{}]*|\+?[a-z])\}")


class Strict(BaseModel):
    """Base for content models: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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


class ValuesParam(Strict):
    """A parameter taking one of the listed values."""

    values: Annotated[list[int | str], Field(min_length=1, max_length=1000)]


Parameter = RangeParam | ValuesParam


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


class CriterionBase(Strict):
    """What a reflection answer must show, and the probe to ask when it does not."""

    label: str = ""
    probe: Text


class NamesPerson(CriterionBase):
    """Met when the answer names a specific person or a specific role."""

    check: Literal["names_person"]


class HasNumber(CriterionBase):
    """Met when the answer contains a number (an amount, a count, a price)."""

    check: Literal["has_number"]


class HasDate(CriterionBase):
    """Met when the answer names a day, a date or a time frame."""

    check: Literal["has_date"]


class MinWords(CriterionBase):
    """Met when the answer has at least `min` words."""

    check: Literal["min_words"]
    min: int = Field(ge=1, le=500)


class Keywords(CriterionBase):
    """Met when the answer mentions any of the keywords (case-insensitive)."""

    check: Literal["keywords"]
    any: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]


Criterion = Annotated[
    NamesPerson | HasNumber | HasDate | MinWords | Keywords, Field(discriminator="check")
]


class ReflectionExercise(ExerciseBase):
    """An open prompt judged against criteria, probing the first one unmet."""

    kind: Literal["reflection"]
    criteria: Annotated[list[Criterion], Field(min_length=1)]
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
