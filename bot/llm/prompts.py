"""Prompts are files under `prompts/`, validated when first loaded, filled in with data.

A prompt file starts with `#` lines saying what it is for, then a `=== system ===` part
that holds no placeholders (the static prefix a provider can cache), then a `=== user ===`
part with `$name` placeholders. Each template's placeholders are declared here; an unknown
or missing one is an error naming the file and line. Every value is put in as data:
learner text cannot open or close a block, whatever it contains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

from bot.errors import ContentError, ContentProblem

__all__ = [
    "LEARNER_PLACEHOLDERS",
    "PLACEHOLDERS",
    "PROMPTS_DIR",
    "Prompt",
    "PromptError",
    "PromptTemplate",
    "learner_data",
    "load_prompts",
    "prompt_book",
    "render",
    "text_data",
]

PROMPTS_DIR = Path(__file__).parent / "prompts"
SYSTEM_MARK = "=== system ==="
USER_MARK = "=== user ==="
LEARNER_TEXT_LIMIT = 2_000
TEXT_LIMIT = 4_000

# The placeholders each template must use, no more and no fewer.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "word": frozenset({"intent", "material", "draft", "problem", "conversation", "learner"}),
    "read": frozenset({"problem", "asked", "learner"}),
    "judge": frozenset({"question", "reference", "criteria", "conversation", "learner"}),
    "diagnose": frozenset({"problem", "reference", "learner"}),
    "reasoning": frozenset({"problem", "reference", "learner"}),
    "reframe": frozenset({"problem", "interest"}),
    "summarise_learner": frozenset({"problem", "conversation"}),
    "summarise_coach": frozenset({"problem", "conversation"}),
    "followup": frozenset({"work"}),
    "propose": frozenset({"question"}),
    "draft": frozenset({"kind", "question", "answer"}),
    "check": frozenset({"token"}),
}

# Placeholders that carry the learner's own words: the strictest cleaning applies.
LEARNER_PLACEHOLDERS = frozenset({"learner", "interest", "work"})

# Block names the templates use; text put into a prompt can never open or close one.
_BLOCK_TAG = re.compile(r"<(\s*/?\s*[A-Za-z_][\w\-]*[^<>\n]{0,60})>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class PromptError(ContentError):
    """A prompt file that does not fit its declared shape."""


@dataclass(frozen=True)
class Prompt:
    """A filled-in prompt: the static system part first, then the user part."""

    name: str
    system: str
    user: str

    def messages(self, system_suffix: str = "") -> list[dict[str, Any]]:
        """Return the chat messages, the static part (and ``system_suffix``) first."""
        return [
            {"role": "system", "content": self.system + system_suffix},
            {"role": "user", "content": self.user},
        ]

    @property
    def text(self) -> str:
        """Everything the model reads, for size estimates."""
        return self.system + "\n" + self.user


@dataclass(frozen=True)
class PromptTemplate:
    """One prompt file: what it is for, its static part and its user template."""

    name: str
    note: str
    system: str
    user: Template

    def fill(self, **values: str) -> Prompt:
        """Put the values in; every declared placeholder must be given, no other."""
        expected = PLACEHOLDERS[self.name]
        if set(values) != expected:
            missing = sorted(expected - set(values))
            unknown = sorted(set(values) - expected)
            raise ValueError(f"prompt {self.name}: missing {missing}, unknown {unknown}")
        return Prompt(self.name, self.system, self.user.substitute(values))


def learner_data(text: str, limit: int = LEARNER_TEXT_LIMIT) -> str:
    """Return learner text safe to put inside a block: no angle brackets, no control bytes."""
    cleaned = _CONTROL.sub(" ", text).replace("<", "‹").replace(">", "›")
    return _clip(cleaned.strip(), limit) or "(empty)"


def text_data(text: str, limit: int = TEXT_LIMIT) -> str:
    """Return authored or engine text safe to put inside a block (tags cannot be forged)."""
    cleaned = _BLOCK_TAG.sub(lambda m: f"‹{m.group(1)}›", _CONTROL.sub(" ", text))
    return _clip(cleaned.strip(), limit) or "(none)"


def _clip(text: str, limit: int) -> str:
    """Shorten a long text, saying so."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _problem(path: Path, line: int, message: str) -> ContentProblem:
    return ContentProblem(path, line, message)


def parse_prompt(path: Path, name: str) -> PromptTemplate:
    """Read one prompt file; raise PromptError naming the file and line of each problem."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    problems: list[ContentProblem] = []
    try:
        system_at = lines.index(SYSTEM_MARK)
        user_at = lines.index(USER_MARK)
    except ValueError:
        raise PromptError(
            [_problem(path, 1, f"needs a '{SYSTEM_MARK}' line, then a '{USER_MARK}' line")]
        ) from None
    head = lines[:system_at]
    note = [ln.lstrip("#").strip() for ln in head if ln.startswith("#")]
    if not head or not all(ln.startswith("#") or not ln.strip() for ln in head) or not note:
        problems.append(_problem(path, 1, "start with '#' lines saying what the prompt is for"))
    if user_at < system_at:
        problems.append(_problem(path, user_at + 1, f"'{USER_MARK}' must follow the system"))
    system = "\n".join(lines[system_at + 1 : user_at]).strip()
    user_lines = lines[user_at + 1 :]
    user = Template("\n".join(user_lines).strip())
    if not system:
        problems.append(_problem(path, system_at + 1, "the system part is empty"))
    static = Template(system)
    if static.get_identifiers() or not static.is_valid():
        problems.append(
            _problem(path, system_at + 1, "the system part is the static prefix: no placeholders")
        )
    if not user.is_valid():
        problems.append(_problem(path, user_at + 1, "a '$' that is not a placeholder: write $$"))
    expected = PLACEHOLDERS.get(name)
    if expected is None:
        problems.append(_problem(path, 1, f"no prompt named {name!r} is declared"))
    else:
        used = set(user.get_identifiers())
        for unknown in sorted(used - expected):
            line = next((i for i, ln in enumerate(user_lines) if f"${unknown}" in ln), 0)
            problems.append(_problem(path, user_at + 2 + line, f"unknown placeholder ${unknown}"))
        for missing in sorted(expected - used):
            problems.append(_problem(path, user_at + 1, f"missing placeholder ${missing}"))
    if problems:
        raise PromptError(problems)
    # "$$" in the static part is a literal "$", as in the user part.
    return PromptTemplate(name, " ".join(note[:2]), static.substitute({}), user)


def load_prompts(folder: Path = PROMPTS_DIR) -> dict[str, PromptTemplate]:
    """Load and check every declared prompt in ``folder``; report every problem at once."""
    templates: dict[str, PromptTemplate] = {}
    problems: list[ContentProblem] = []
    for name in sorted(PLACEHOLDERS):
        path = folder / f"{name}.txt"
        if not path.is_file():
            problems.append(_problem(path, 0, "the prompt file is missing"))
            continue
        try:
            templates[name] = parse_prompt(path, name)
        except PromptError as error:
            problems.extend(error.problems)
    for path in sorted(folder.glob("*.txt")):
        if path.stem not in PLACEHOLDERS:
            problems.append(_problem(path, 0, "a prompt file no call uses"))
    if problems:
        raise PromptError(problems)
    return templates


@cache
def prompt_book() -> dict[str, PromptTemplate]:
    """The package's prompts, loaded and checked once."""
    return load_prompts()


def render(name: str, **values: str) -> Prompt:
    """Fill in the package's prompt ``name``, each value made safe as data first."""
    safe = {
        key: learner_data(value) if key in LEARNER_PLACEHOLDERS else text_data(value)
        for key, value in values.items()
    }
    return prompt_book()[name].fill(**safe)
