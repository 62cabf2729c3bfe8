"""One worksheet question as exercise data, with offline defaults for what it lacks.

A question with a number, an expression, a short word or an option as its answer is a
problem, with a generic hint ladder that never names the answer before its last rung.
Any other is a reflection judged by criteria guessed from how it is asked ("who" names
a person, "by when" a date, "list three" three items, "why" a reason).
"""

from __future__ import annotations

import copy
import re
from typing import Any

import yaml

from bot.content.models import TEMPLATE_FIELD

__all__ = ["exercise_data", "guessed_criteria", "yaml_text"]

# A number, with its sign, currency, fraction, percent or unit ("12 cm", "7 apples").
_NUMBER = re.compile(
    r"^[-+−]?[$€£]?\d+(?:[.,]\d+)?(?:\s+\d+/\d+|/\d+)?"
    r"\s*(?:%|°[CF]?|[a-z]{1,12}(?:\s[a-z]{1,12})?)?$",
    re.I,
)
_SCIENTIFIC = re.compile(r"^[-+−]?\d+(?:[.,]\d+)?\s*[x×*]\s*10\^[-+−]?\d+$")
_EQUATION = re.compile(r"^[a-z]\s*=\s*[-+−]?\d+(?:[.,/]\d+)?$", re.I)
_MATH_WORD = re.compile(r"[a-z]+", re.I)
_FUNCTIONS = {"sqrt", "sin", "cos", "tan", "log", "ln", "exp", "pi"}
_SHORT_WORDS = 4
_SHORT_CHARS = 40
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_LIST_ASK = re.compile(
    r"\b(?:list|name|give|write down|think of|suggest)\s+(\d{1,2}|"
    + "|".join(_NUMBER_WORDS)
    + r")\b",
    re.I,
)
_REASON = ["because", "since", "so that", "therefore", "which means", "that means", "due to"]
_KINDS: tuple[tuple[re.Pattern[str], dict[str, Any]], ...] = (
    (
        re.compile(r"\bwho\b|\bwhom\b", re.I),
        {
            "check": "names_person",
            "label": "who it is",
            "probe": "Who, exactly? A name or a role is enough.",
        },
    ),
    (
        # "when" asking for a time, not "when you get stuck"
        re.compile(
            r"(?:^|[,;:]\s*|\band\s+)when\b|\bby when\b|\bwhich day\b|\bdeadline\b|"
            r"\bwhen (?:will|do|does|did|are|is|can|could|should|would|might)\b|"
            r"\bwhat (?:date|time|day)\b",
            re.I,
        ),
        {
            "check": "has_date",
            "label": "when",
            "probe": "When, exactly? A day or a date is enough.",
        },
    ),
    (
        re.compile(r"\bhow (?:much|many|often|long)\b", re.I),
        {"check": "has_number", "label": "a number", "probe": "Can you put a number on it?"},
    ),
    (
        re.compile(r"\bwhat will you\b|\bwhat are you going to\b|\bcommit|\bnext step", re.I),
        {
            "check": "has_commitment",
            "label": "what you will do",
            "probe": "What will you do? Start with 'I will'.",
        },
    ),
    (
        re.compile(r"\bwhy\b|\bexplain\b|\bjustify\b|\breason\b", re.I),
        {
            "check": "keywords",
            "any": _REASON,
            "label": "a reason",
            "probe": "What makes it so? Give the reason in your own words.",
        },
    ),
)
_FULL_ANSWER = {
    "check": "min_words",
    "min": 12,
    "label": "a full answer",
    "probe": "Can you say a little more, in a sentence or two?",
}
_HINTS = {
    "nudge": "Read the question again slowly: what exactly does it ask you to find?",
    "specific": "Write down what the question gives you, then the one step that turns it "
    "into what it asks for.",
}
_REFLECTION = "How did you get there? Say the step that made it work, in your own words."


def exercise_data(
    exercise_id: str,
    skill_id: str,
    text: str,
    answer: str | None,
    choices: list[str],
    max_chars: int,
) -> tuple[dict[str, Any], str]:
    """The exercise a question becomes, and a note on what was guessed or cut ("" if none)."""
    prompt = text.strip()
    if choices:
        prompt += "\n" + "\n".join(f"{chr(97 + i)}) {c}" for i, c in enumerate(choices[:26]))
    note = ""
    if len(prompt) > max_chars:
        prompt, note = prompt[: max_chars - 1].rstrip() + "…", "the question was cut to fit."
    base = {"id": exercise_id, "kind": "reflection", "skill": skill_id, "prompt": prompt}
    checked = _answer_key(answer, choices) if answer else None
    if checked is not None and TEMPLATE_FIELD.search(prompt + str(checked["answer"])):
        checked, note = None, "its braces ({x}) would be read as template fields: a reflection."
    if checked is not None:
        shown = checked.get("answer", "")
        worked = f"The answer is {shown}. Go through the question once more and check each step."
        hints = {**_HINTS, "worked": worked}
        return {
            **base,
            "kind": "problem",
            **checked,
            "hints": hints,
            "reflection": _REFLECTION,
        }, note
    if answer and not note.startswith("its braces"):
        note = (note + " " if note else "") + (
            f"the answer {answer[:60]!r} is not a number, an expression, a short word or an "
            "option: it became a reflection; add a keywords criterion for what it must say."
        )
    return {**base, "criteria": guessed_criteria(text)}, note


def guessed_criteria(question: str) -> list[dict[str, Any]]:
    """Criteria for a reflection, guessed from how its question is asked."""
    found = [copy.deepcopy(c) for pattern, c in _KINDS if pattern.search(question)]
    listing = _LIST_ASK.search(question)
    if listing is not None:
        word = listing[1].lower()
        count = int(word) if word.isdigit() else _NUMBER_WORDS[word]
        if 2 <= count <= 50:
            found.insert(
                0,
                {
                    "check": "min_items",
                    "min": count,
                    "label": f"{count} different items",
                    "probe": f"Can you list {count} different ones, one per line?",
                },
            )
    if not found or all(c["check"] == "keywords" for c in found):
        found.insert(0, dict(_FULL_ANSWER))
    return found


def _answer_key(answer: str, choices: list[str]) -> dict[str, Any] | None:
    """The checker and answer fields for a given answer, or None when none fits."""
    answer = answer.strip().rstrip(".")
    if choices:
        return _choice_key(answer, choices)
    if _NUMBER.match(answer) or _SCIENTIFIC.match(answer):
        return {"answer": answer, "checker": "numeric"}
    if _EQUATION.match(answer) or _looks_like_math(answer):
        return {"answer": answer, "checker": "expression"}
    if len(answer.split()) <= _SHORT_WORDS and len(answer) <= _SHORT_CHARS:
        return {"answer": answer, "checker": "exact"}
    return None


def _choice_key(answer: str, choices: list[str]) -> dict[str, Any] | None:
    """The choice fields when the answer names an option by its letter or its text."""
    letter = re.fullmatch(r"\(?([a-z])\)?(?:[.)]\s*.*)?", answer, re.I)
    texts = [c.casefold() for c in choices]
    if letter is not None and ord(letter[1].lower()) - 97 < len(choices):
        index = ord(letter[1].lower()) - 97
    elif answer.casefold() in texts:
        index = texts.index(answer.casefold())
    else:
        return None
    if len(set(texts)) != len(texts):
        return None
    return {"answer": choices[index], "checker": "choice", "choices": list(choices)}


def _looks_like_math(answer: str) -> bool:
    """Tell whether an answer is a short formula: digits, operators, one-letter variables."""
    if len(answer) > _SHORT_CHARS or not re.search(r"[-+*/^=()]", answer):
        return False
    words = _MATH_WORD.findall(answer)
    return all(len(w) == 1 or w.lower() in _FUNCTIONS for w in words) and bool(
        re.search(r"\d|[a-z]", answer, re.I)
    )


class _NoAliases(yaml.SafeDumper):
    """A YAML writer that writes every value out: course files may not use aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        """Never write an alias, even for a value used twice."""
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Write a text of several lines as a block, the way a person writes it."""
    style = "|" if "\n" in value and value == value.strip() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_NoAliases.add_representer(str, _text)


def yaml_text(data: dict[str, Any], comment: str) -> str:
    """A course file's text: a comment line, then the data as block YAML."""
    body = yaml.dump(data, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=100)
    return f"# {comment}\n{body}"
