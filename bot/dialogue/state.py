"""The state of one dialogue, stored as JSON between turns."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

from bot.dialogue.moves import Move

Stage = Literal["answering", "reflecting", "closed"]
Outcome = Literal["solved", "revealed", "skipped", "closed"]


@dataclass(frozen=True)
class DialogueState:
    """Where a dialogue stands: stage, hint rung reached, attempts and what was said."""

    stage: Stage = "answering"
    hint_rung: int = 0
    attempts: int = 0
    misses_in_row: int = 0
    vague: int = 0
    reflection_asks: int = 0
    probes: int = 0
    outcome: Outcome | None = None
    answers: tuple[str, ...] = field(default_factory=tuple)
    # A real attempt since the last rung: the worked step waits for one.
    tried_since_hint: bool = False
    held: int = 0  # times the worked step waited for a try: each wait is worded anew
    heard: int = 0  # replies to the tutor's questions taken: each is acknowledged anew
    # The tutor's last question, so the learner's next message can be read as a reply to it.
    asked: str | None = None
    asked_misconception: int | None = None  # the index of the targeted misconception
    # Per turn in `answers`: the criteria (0-based) a judge found met in it, where a judge
    # read it as a substantive reply; None where none did. Empty when no judge took part.
    model_met: tuple[tuple[int, ...] | None, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        # Every field is a plain value: no deep copy needed (asdict would make one).
        data = {f.name: getattr(self, f.name) for f in _FIELDS}
        data["answers"] = list(self.answers)
        if self.model_met:
            data["model_met"] = [None if met is None else list(met) for met in self.model_met]
        else:
            del data["model_met"]  # an offline dialogue stores what it always stored
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> DialogueState:
        """Rebuild a state from stored JSON, ignoring keys it does not know."""
        if not data:
            return cls()
        values = {k: v for k, v in data.items() if k in _NAMES}
        if "answers" in values:
            values["answers"] = tuple(str(a) for a in values["answers"])
        if "model_met" in values:
            values["model_met"] = tuple(
                None if met is None else tuple(int(i) for i in met) for met in values["model_met"]
            )
        return cls(**values)


_FIELDS = fields(DialogueState)
_NAMES = frozenset(f.name for f in _FIELDS)

Verdict = Literal["correct", "wrong", "hedged", "unchecked"]


@dataclass(frozen=True)
class Step:
    """What the engine decided for one learner message: the new state and the move."""

    state: DialogueState
    move: Move
    choices: tuple[str, ...] = ()
    answered: bool = False
    closed: bool = False
    verdict: Verdict | None = None  # how the message was graded, when it was
