"""The criteria a reflection answer is judged by, as content models."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from bot.content.model_base import Strict, Text
from bot.content.patterns import regex_problem

__all__ = [
    "PROBE_FIELD",
    "AllOf",
    "AnyOf",
    "Criterion",
    "CriterionBase",
    "HasCommitment",
    "HasDate",
    "HasNumber",
    "Keywords",
    "MinItems",
    "MinWords",
    "NamesPerson",
    "NoneOf",
    "PatternCriterion",
    "says_what_is_missing",
]


class CriterionBase(Strict):
    """What a reflection answer must show, and the probes to ask while it does not."""

    label: str = ""
    probe: Text | None = None
    # Further probes, asked in order when the criterion is still unmet; none twice.
    probes: Annotated[list[Text], Field(max_length=10)] = []

    def authored_probes(self) -> list[str]:
        """Return the author's probes in the order they are asked."""
        return [*([self.probe] if self.probe else []), *self.probes]

    @field_validator("probe", "probes")
    @classmethod
    def _only_quote_field(cls, value: str | list[str] | None) -> str | list[str] | None:
        for text in [value] if isinstance(value, str) else value or []:
            unknown = sorted(set(PROBE_FIELD.findall(text)) - {"quote"})
            if unknown:
                raise ValueError(
                    f"a probe may only use {{quote}} (the learner's own words), not "
                    f"{{{unknown[0]}}}"
                )
        return value


class NamesPerson(CriterionBase):
    """Met when the answer names one person: a name, a role, or "my <relation>"."""

    check: Literal["names_person"]


class HasNumber(CriterionBase):
    """Met when the answer contains a number (an amount, a count, a price)."""

    check: Literal["has_number"]


class HasDate(CriterionBase):
    """Met when the answer names a time: a day, a date, a week, an hour, an event."""

    check: Literal["has_date", "has_time"]


class HasCommitment(CriterionBase):
    """Met when the answer makes a first-person commitment ("I will…", "I'm going to…")."""

    check: Literal["has_commitment"]


class MinWords(CriterionBase):
    """Met when the answer has at least `min` words."""

    check: Literal["min_words"]
    min: int = Field(ge=1, le=500)


class MinItems(CriterionBase):
    """Met when the answer lists at least `min` different items (lines, bullets, commas)."""

    check: Literal["min_items"]
    min: int = Field(ge=2, le=50)


Keyword = Annotated[str, Field(min_length=1, max_length=200)]
# `{quote}` in a probe is filled with the learner's own words; nothing else is a field.
PROBE_FIELD = re.compile(r"\{([^{}]*)\}")


class Keywords(CriterionBase):
    """Met when the answer mentions `min` (default 1) of the keywords, case-insensitive."""

    check: Literal["keywords"]
    any: Annotated[list[Keyword], Field(min_length=1, max_length=200)]
    min: int = Field(1, ge=1, le=50)

    @model_validator(mode="after")
    def _enough_keywords(self) -> Keywords:
        different = len({k.casefold() for k in self.any})
        if self.min > different:
            raise ValueError(f"'min' is {self.min} but only {different} different keyword(s)")
        return self


class PatternCriterion(CriterionBase):
    """Met when a regular expression is found in the answer (case-insensitive)."""

    check: Literal["pattern"]
    pattern: str

    @field_validator("pattern")
    @classmethod
    def _safe_pattern(cls, value: str) -> str:
        problem = regex_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class AllOf(CriterionBase):
    """Met when every criterion listed under `of` is met."""

    check: Literal["all_of"]
    of: Annotated[list[Criterion], Field(min_length=1, max_length=10)]


class AnyOf(CriterionBase):
    """Met when at least one criterion listed under `of` is met."""

    check: Literal["any_of"]
    of: Annotated[list[Criterion], Field(min_length=1, max_length=10)]


class NoneOf(CriterionBase):
    """Met when the latest answer meets none of the criteria under `of` (say, "everyone")."""

    check: Literal["none_of"]
    of: Annotated[list[Criterion], Field(min_length=1, max_length=10)]


Criterion = Annotated[
    NamesPerson
    | HasNumber
    | HasDate
    | HasCommitment
    | MinWords
    | MinItems
    | Keywords
    | PatternCriterion
    | AllOf
    | AnyOf
    | NoneOf,
    Field(discriminator="check"),
]
for _composite in (AllOf, AnyOf, NoneOf):
    _composite.model_rebuild()


def says_what_is_missing(criterion: Criterion) -> Criterion:
    """Refuse a top criterion whose default probes could only say "that"."""
    if isinstance(criterion, _NEEDS_WORDS) and not (criterion.label or criterion.authored_probes()):
        raise ValueError(
            f"a {criterion.check!r} criterion needs a `label` or a `probe`, so the tutor "
            "can say what is missing"
        )
    return criterion


_NEEDS_WORDS = (Keywords, PatternCriterion, AllOf, AnyOf, NoneOf)
