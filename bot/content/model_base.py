"""What every content model shares: strict models and the basic field types."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
Id = Annotated[str, Field(pattern=ID_PATTERN)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
AnswerText = Annotated[str, Field(min_length=1, max_length=2000)]
ParamName = Annotated[str, Field(pattern=r"^[a-z]$")]
Condition = Annotated[str, Field(min_length=1, max_length=200)]


class Strict(BaseModel):
    """Base for content models: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)
