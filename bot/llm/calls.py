"""What a model call is (its kind) and how it can fail, as data the callers match on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

__all__ = ["CALL_KINDS", "FAILURE_REASONS", "CallFailure", "CallKind", "FailureReason", "Usage"]

CallKind = Literal[
    "word",
    "read",
    "judge",
    "diagnose",
    "reasoning",
    "reframe",
    "summarise",
    "followup",
    "propose",
    "draft",
    "check",
]
FailureReason = Literal[
    "timeout",  # the call took longer than its deadline
    "connection",  # the endpoint could not be reached
    "rate_limited",  # 429, still, after the client's retries
    "server_error",  # 5xx, still, after the client's retries
    "rejected",  # another 4xx: a wrong model name, key or request
    "refused",  # the model declined (a refusal, or a content filter stopped it)
    "empty",  # an answer with no text in it
    "invalid_json",  # no JSON object could be read from the reply
    "schema_mismatch",  # JSON that does not fit the expected shape
    "unusable",  # well-formed, but the caller's own checks turned it down
    "budget_exhausted",  # the learner's or the course's token cap is reached
    "unexpected",  # anything else: logged with its traceback
]
CALL_KINDS: tuple[CallKind, ...] = get_args(CallKind)
FAILURE_REASONS: tuple[FailureReason, ...] = get_args(FailureReason)


@dataclass(frozen=True)
class CallFailure:
    """A model call that produced nothing usable; the caller takes the offline path."""

    kind: CallKind
    reason: FailureReason


@dataclass(frozen=True)
class Usage:
    """Tokens one call used, as the server reported them (or as estimated when it did not)."""

    prompt_tokens: int
    completion_tokens: int

    @property
    def total(self) -> int:
        """Prompt and completion tokens together."""
        return self.prompt_tokens + self.completion_tokens
