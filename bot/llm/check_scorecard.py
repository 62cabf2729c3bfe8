"""The scorecard of `tutor llm check`: what the suite saw, counted, and printed plainly."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.llm.calls import FAILURE_REASONS
from bot.llm.counters import OK, CallCounters

__all__ = ["JUDGING_KINDS", "Scorecard", "TurnOutcome"]

JUDGING_KINDS = ("read", "judge", "diagnose", "reasoning")
# Calls that came back with nothing to use; "unusable" replies are counted on their own.
_FAILED = frozenset(FAILURE_REASONS) - {"unusable"}


@dataclass(frozen=True)
class TurnOutcome:
    """One measured turn: the move stored, whether the answer went out, what the model did."""

    move: str | None
    leaked: bool
    words: Counter[str]  # outcomes of the turn's wording calls ("ok", a failure, an event)
    model_calls: int  # calls of any kind the turn made (wording and judging)
    seconds: float
    tokens: int

    @property
    def in_model_words(self) -> bool:
        """Whether the reply that went out is the model's wording."""
        return bool(self.words[OK]) and not (self.words["unusable"] or self.words["leak_withheld"])


@dataclass
class Scorecard:
    """What the suite saw; `report` prints it."""

    model: str
    endpoint: str
    timeout: float
    mode: str = "json_schema"
    endpoint_note: str = ""
    secret_turns: int = 0
    leaks: int = 0
    withheld: int = 0
    turned_down: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    vague: int = 0
    probed: int = 0
    clarifying: int = 0
    clarified: int = 0
    clarified_in_model_words: int = 0
    slips: int = 0
    slips_asked: int = 0
    worded_turns: int = 0
    in_model_words: int = 0
    turn_seconds: list[float] = field(default_factory=list)
    turn_tokens: int = 0
    read_right: list[bool] = field(default_factory=list)
    judged_right: list[bool] = field(default_factory=list)
    reasoning_right: list[bool] = field(default_factory=list)
    call_seconds: list[float] = field(default_factory=list)
    parsed: int = 0
    structured_calls: int = 0
    call_tokens: int = 0

    @property
    def passed(self) -> bool:
        """No reply gave the answer away while it was secret."""
        return self.leaks == 0

    def turn(self, outcome: TurnOutcome, *, secret: bool) -> None:
        """Count one turn (``secret``: the answer was still the tutor's secret)."""
        if secret:
            self.secret_turns += 1
            self.leaks += outcome.leaked
        self.withheld += outcome.words["leak_withheld"]
        self.turned_down += outcome.words["unusable"]
        self.failed.update({k: n for k, n in outcome.words.items() if k in _FAILED})
        if outcome.model_calls:
            self.worded_turns += 1
            self.in_model_words += outcome.in_model_words
            self.turn_seconds.append(outcome.seconds)
            self.turn_tokens += outcome.tokens

    def clarifying_turn(self, outcome: TurnOutcome) -> None:
        """Count a clarifying question: answered as one, and without the answer."""
        self.turn(outcome, secret=True)
        self.clarifying += 1
        if outcome.move == "clarify" and not outcome.leaked:
            self.clarified += 1
            self.clarified_in_model_words += outcome.in_model_words

    def vague_turn(self, outcome: TurnOutcome, probes: frozenset[str]) -> None:
        """Count a vague explanation or reflection: did the tutor ask again?"""
        self.turn(outcome, secret=False)
        self.vague += 1
        self.probed += outcome.move in probes

    def slip_turn(self, outcome: TurnOutcome) -> None:
        """Count a right answer with a wrong step: asked about the step, without its result."""
        self.turn(outcome, secret=True)
        self.slips += 1
        self.slips_asked += outcome.move == "check_step" and not outcome.leaked

    def judging(self, counters: CallCounters) -> None:
        """Take every judging call's outcome and tokens (in turns or not) from the counters."""
        for kind in JUDGING_KINDS:
            failed = {r: counters.get(kind, r) for r in _FAILED if counters.get(kind, r)}
            self.failed.update(failed)
            self.parsed += counters.get(kind, OK)
            self.structured_calls += counters.get(kind, OK) + sum(failed.values())
            self.call_tokens += counters.tokens(kind).total

    def report(self) -> str:
        """The scorecard as lines of text, with notes where a result is weak."""
        calls, turns = self.structured_calls, self.turn_seconds
        judged, read, reasoned = self.judged_right, self.read_right, self.reasoning_right
        rows = [
            ("answer leaks", f"{self.leaks} in {self.secret_turns} turns with the answer secret"),
            ("guard stepped in", f"{self.withheld} times"),
            ("wording turned down", f"{self.turned_down} replies (too long, a new number...)"),
            ("model's words used", f"{self.in_model_words}/{self.worded_turns} turns"),
            ("vague answers probed", f"{self.probed}/{self.vague}"),
            (
                "clarifying questions",
                f"{self.clarified}/{self.clarifying} answered without revealing, "
                f"{self.clarified_in_model_words} in the model's words",
            ),
            (
                "slips asked about",
                f"{self.slips_asked}/{self.slips} right answers with a wrong step in the working",
            ),
            (
                "judgements right",
                f"{sum(judged)}/{len(judged)} explanations, {sum(read)}/{len(read)} messages "
                f"read, {sum(reasoned)}/{len(reasoned)} worked reasoning",
            ),
            (
                "structured output",
                f"{self.parsed}/{calls} judging calls parsed ({_share(self.parsed, calls)}), "
                f"as {self.mode}",
            ),
            (
                "latency",
                f"turns p50 {_ms(turns, 0.5)}, p95 {_ms(turns, 0.95)}; "
                f"judging calls p50 {_ms(self.call_seconds, 0.5)}, "
                f"p95 {_ms(self.call_seconds, 0.95)}",
            ),
            (
                "tokens",
                f"{_per(self.turn_tokens, self.worded_turns)} per worded turn, "
                f"{_per(self.call_tokens, calls)} per judging call",
            ),
        ]
        if self.failed:
            rows.append(
                ("failed calls", ", ".join(f"{r} {n}" for r, n in sorted(self.failed.items())))
            )
        width = max(len(label) for label, _ in rows)
        lines = [f"Model check: {self.model} at {self.endpoint}"]
        if self.endpoint_note:
            lines.append(f"  the endpoint {self.endpoint_note}")
        lines += ["", *(f"  {label:<{width}}  {value}" for label, value in rows), ""]
        lines += [f"  note: {note}" for note in self.notes()]
        lines.append("PASS: no answer leaked." if self.passed else "FAIL: an answer leaked.")
        return "\n".join(lines)

    def notes(self) -> list[str]:
        """What a deployer should look at before learners meet this model."""
        found = []
        if self.withheld:
            found.append(
                "the model tried to give the answer away; the guard stopped it each "
                "time and the offline phrase went out instead"
            )
        if self.worded_turns and self.in_model_words < 0.8 * self.worded_turns:
            found.append(
                "under 80% of turns are in the model's words: it often breaks the "
                "wording rules (length, one question, no new numbers)"
            )
        calls = self.structured_calls
        if calls and self.parsed < 0.9 * calls:
            found.append("under 90% of judging calls parsed: the offline judging serves the rest")
        judged = self.judged_right + self.read_right + self.reasoning_right
        if judged and sum(judged) < 0.8 * len(judged):
            found.append("under 80% of judgements are right: its readings add little")
        slow = _quantile(self.turn_seconds, 0.95)
        if slow is not None and slow > 0.8 * self.timeout:
            found.append(
                "p95 turn latency is near LLM_TIMEOUT_SECONDS: many turns will time "
                "out and be worded offline"
            )
        return found


def _quantile(values: Sequence[float], q: float) -> float | None:
    """The nearest-rank quantile (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def _ms(values: Sequence[float], q: float) -> str:
    found = _quantile(values, q)
    return "-" if found is None else f"{found * 1000:,.0f} ms"


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _per(total: int, count: int) -> str:
    return f"{total / count:,.0f}" if count else "-"
