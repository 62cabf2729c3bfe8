"""In-process counters of model calls, per kind and outcome, for checks, tests and logs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from bot.llm.calls import FAILURE_REASONS, CallKind, Usage

__all__ = ["OK", "CallCounters"]

OK = "ok"


class CallCounters:
    """Count model calls by (kind, outcome) and the tokens each kind used.

    An outcome is "ok", a failure reason, or an event a caller reports (a structured-output
    mode given up, a worded reply turned down). Read it with `get` or `snapshot`.
    """

    def __init__(self) -> None:
        self._outcomes: Counter[tuple[str, str]] = Counter()
        self._prompt_tokens: Counter[str] = Counter()
        self._completion_tokens: Counter[str] = Counter()

    def count(self, kind: CallKind | str, outcome: str) -> None:
        """Add one to the count of ``outcome`` for calls of ``kind``."""
        self._outcomes[(kind, outcome)] += 1

    def add_tokens(self, kind: CallKind | str, usage: Usage) -> None:
        """Add a call's tokens to its kind's totals."""
        self._prompt_tokens[kind] += usage.prompt_tokens
        self._completion_tokens[kind] += usage.completion_tokens

    def get(self, kind: CallKind | str, outcome: str) -> int:
        """Return how often calls of ``kind`` ended in ``outcome``."""
        return self._outcomes[(kind, outcome)]

    def failures(self, kind: CallKind | str | None = None) -> int:
        """Return how many calls (of ``kind``, or of any kind) failed, whatever the reason."""
        return sum(
            n
            for (k, outcome), n in self._outcomes.items()
            if outcome in FAILURE_REASONS and (kind is None or k == kind)
        )

    def tokens(self, kind: CallKind | str) -> Usage:
        """Return the tokens calls of ``kind`` used so far."""
        return Usage(self._prompt_tokens[kind], self._completion_tokens[kind])

    def snapshot(self) -> Mapping[tuple[str, str], int]:
        """Return a copy of every (kind, outcome) count."""
        return dict(self._outcomes)
