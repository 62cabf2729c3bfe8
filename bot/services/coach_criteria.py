"""A coach's criteria in plain words, turned into the checks a reflection is judged by.

"names a person", "a date", "a number", "a commitment", "at least 3 items", "at least 40
words", "mentions: budget, cost", "mentions 2 of: a, b, c", "not: everyone, nobody".
A line may add the coach's own probe after a bar: "a date | By when, exactly?". The
result is the same criterion models the course files use, so the same engine probes.

A pure module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import TypeAdapter, ValidationError

from bot.content.criteria_models import Criterion
from bot.content.style_checks import question_count
from bot.services.coach_dates import SMALL_NUMBERS

__all__ = [
    "FORMS",
    "CriteriaInputError",
    "criteria_from_words",
    "criterion_from_words",
    "suggested_criteria",
]

FORMS = (
    '"names a person", "a date", "a number", "a commitment", "at least 3 items", '
    '"at least 40 words", "mentions: budget, cost", "mentions 2 of: a, b, c", '
    '"not: everyone, nobody"'
)
MAX_CRITERIA = 8
LABEL_CHARS = 80

# The number words a criterion may use ("at least three items"); "a" is not one here.
_NUMBER_WORDS = {word: n for word, n in SMALL_NUMBERS.items() if word not in {"a", "an"}}
_N = r"(?P<n>\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")"
_LEAD = re.compile(
    r"^(?:(?:the |a specific |a good |an )?answer |it |they |client )?"
    r"(?:has|have|contains?|includes?|gives?|says?|states?|with|needs?)?\s*",
)
_KEYWORDS = re.compile(
    r"^(?:mentions?|uses?(?: the words?)?|keywords?|includes? one of|one of|talks? about|words?)"
    r"(?:\s+(?:at least\s+)?" + _N + r"\s+of)?\s*:\s*(?P<words>.+)$"
)
_NOT = re.compile(
    r"^(?:not|no|avoids?|doesn'?t say|does not say|never says?|without)\s*:?\s*(?P<words>.+)$"
)
_WORDS = re.compile(r"^(?:at least\s+|min(?:imum)?\s+)?" + _N + r"\+?\s+words?$")
_ITEMS = re.compile(
    r"^(?:at least\s+|a list of\s+|lists?\s+)?" + _N + r"\+?\s+(?:different\s+)?"
    r"(?:items?|things?|examples?|ideas?|options?|points?|reasons?|steps?|ways?|people|"
    r"names?|actions?|strengths?|obstacles?)$"
)
_KINDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\b(?:names?|a|one|the|specific|particular)?\s*(?:person|someone|somebody|"
            r"who(?: exactly)?|a name|colleague|stakeholder)\b"
        ),
        "names_person",
    ),
    (
        re.compile(r"\b(?:commit\w*|promise|i will|next step|an action|action step|plan to)\b"),
        "has_commitment",
    ),
    (
        re.compile(r"\b(?:dates?|days?|deadline|by when|when|times?|timeline|timeframe|week)\b"),
        "has_date",
    ),
    (
        re.compile(
            r"\b(?:numbers?|amounts?|figures?|how (?:much|many|often)|quantity|price|"
            r"count|metric|percentage|budget figure)\b"
        ),
        "has_number",
    ),
)
_CRITERION: TypeAdapter[Criterion] = TypeAdapter(Criterion)


class CriteriaInputError(ValueError):
    """A criterion in plain words that cannot be turned into a check; says which and why."""


def criteria_from_words(lines: Sequence[str]) -> list[Criterion]:
    """Turn each non-empty line into a criterion; every line that fails is named at once."""
    found: list[Criterion] = []
    problems: list[str] = []
    for line in (raw for raw in lines if raw.strip()):
        try:
            found.append(criterion_from_words(line))
        except CriteriaInputError as exc:
            problems.append(str(exc))
    if problems:
        raise CriteriaInputError(" ".join(problems))
    if len(found) > MAX_CRITERIA:
        raise CriteriaInputError(f"Give at most {MAX_CRITERIA} criteria per step.")
    return found


def criterion_from_words(line: str) -> Criterion:
    """Turn one plain-words criterion (with an optional "| probe") into a check."""
    phrase, _, probe = line.partition("|")
    label = " ".join(phrase.split())[:LABEL_CHARS]
    probe = " ".join(probe.split())
    if not label:
        raise CriteriaInputError("A criterion needs some words before the '|'.")
    if probe and question_count(probe) > 1:
        raise CriteriaInputError(
            f"The probe for {label!r} asks {question_count(probe)} questions: ask one, so "
            "the client knows what to answer."
        )
    data = _check_for(label.lower().rstrip("."))
    if data is None:
        raise CriteriaInputError(f"I can't turn {label!r} into a check. Try one of: {FORMS}.")
    data["label"] = label
    if probe:
        data["probe"] = probe
    try:
        return _CRITERION.validate_python(data)
    except ValidationError as exc:
        reason = exc.errors()[0].get("msg", "not valid")
        raise CriteriaInputError(f"{label!r}: {reason}.") from exc


def _check_for(text: str) -> dict[str, object] | None:
    """The criterion data a lower-case phrase asks for, or None."""
    if (match := _KEYWORDS.match(text)) is not None:
        words = _word_list(match["words"])
        least = _number(match["n"]) if match["n"] else 1
        return {"check": "keywords", "any": words, "min": least} if words else None
    if (match := _NOT.match(text)) is not None:
        words = _word_list(match["words"])
        label = "not " + ", ".join(words)
        keywords = {"check": "keywords", "any": words, "label": label}
        return {"check": "none_of", "of": [keywords]} if words else None
    body = _LEAD.sub("", text, count=1).strip()
    if (match := _WORDS.match(body)) is not None:
        return {"check": "min_words", "min": _number(match["n"])}
    if (match := _ITEMS.match(body)) is not None:
        least = _number(match["n"])
        if least < 2:
            raise CriteriaInputError(
                f"{text!r}: a list needs at least 2 items; for one, say what it contains "
                '("names a person", "a date"...).'
            )
        return {"check": "min_items", "min": least}
    for pattern, check in _KINDS:
        if pattern.search(body):
            return {"check": check}
    if body.startswith(("mentions ", "mention ", "talks about ")):
        words = _word_list(body.split(" ", 1)[1])
        return {"check": "keywords", "any": words} if words else None
    return None


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _word_list(text: str) -> list[str]:
    """Split "a, b or c" / "a/b" into keywords, quotes and duplicates dropped."""
    parts = re.split(r",|;|/|\bor\b|\band\b", text)
    words = [p.strip().strip("\"'“”‘’").strip() for p in parts]
    return list(dict.fromkeys(w for w in words if w))[:50]


_SUGGESTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bwho\b|\bwhom\b|\bwith whom\b", re.I), "names a person"),
    (re.compile(r"\bwhen\b|\bby when\b|\bwhich day\b|\bdeadline\b", re.I), "a date"),
    (re.compile(r"\bhow (?:much|many|often|long)\b", re.I), "a number"),
    (
        re.compile(r"\bwhat will you\b|\bwhat are you going to\b|\bcommit\b|\bnext step\b", re.I),
        "a commitment",
    ),
)
_LIST_ASK = re.compile(r"\b(?:list|name|give|write down)\s+" + _N + r"\b", re.I)


def suggested_criteria(question: str) -> list[str]:
    """Propose plain-words criteria for a worksheet question, from how it is asked."""
    found = [words for pattern, words in _SUGGESTIONS if pattern.search(question)]
    listing = _LIST_ASK.search(question)
    if listing is not None and _number(listing["n"].lower()) >= 2:
        found.append(f"at least {_number(listing['n'].lower())} items")
    return found or ["at least 12 words"]
