"""The probe ladder of each reflection criterion: the author's probes, then defaults by kind.

A probe with `{quote}` is asked only when the learner wrote words worth quoting back; the
quote is a verbatim slice of their latest answer, never invented. Each text asks one
question. Lead-ins for vague replies are statements, so a probe still asks only one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.content.models import (
    AllOf,
    AnyOf,
    Criterion,
    HasCommitment,
    HasDate,
    HasNumber,
    Keywords,
    MinItems,
    NamesPerson,
    NoneOf,
)
from bot.learning import detectors
from bot.learning.criteria import Answers, criterion_met, items_listed

QUOTE = "{quote}"

DEFAULTS: dict[str, tuple[str, ...]] = {
    "names_person": (
        'You wrote "{quote}". That is a lot of people to picture. Who is one of them? A first '
        'name or a role ("my direct report", "a client called Sam") is enough.',
        "Who exactly do you have in mind? A first name or a role is enough.",
        "Picture one real person this is about. What do you call them: their name, or their role?",
        "If you could say this to just one person, who would it be?",
    ),
    "has_date": (
        'You wrote "{quote}". When exactly? A day, a date or a week number is enough.',
        # Neither past nor future: a prompt may ask about last week or next month.
        'Which day or time is it about? A day, a date, or a point like "week 6" is enough.',
        "Can you pin it to a time: a day of the week, an evening, or a week number?",
        "Put a rough time on it, even a guess: which day or week is it?",
    ),
    "has_number": (
        'You wrote "{quote}". How much, exactly? A rough number is fine.',
        "What number would show it: how much, how many, or how often?",
        "If you had to put one figure on it, even a rough guess, what would it be?",
        "What could you count here: hours, people, money, times a week?",
    ),
    "has_commitment": (
        'You wrote "{quote}". What will you actually do? Try a sentence that starts "I will".',
        'What will you do about it? Say it as a commitment: "I will ...".',
        "What is the first thing you'll do, in one sentence that starts with \"I'll\"?",
        'Make it a promise to yourself: "I\'m going to ...". What comes after it?',
    ),
    "min_words": (
        "Tell me a little more: what does it look like in practice?",
        'You wrote "{quote}". Can you say more about that?',
        "Add one concrete detail: an example, a moment, or something someone said. What is it?",
    ),
    "min_items": (
        "So far I count {count}. Can you list at least {min}? One per line is fine.",
        "What else belongs on the list? Aim for {min} in all.",
        "What would someone who knows your situation well add to the list?",
    ),
    "none_of": (
        'You wrote "{quote}". Can you say it more specifically, about one real case?',
        "How would you say it about one specific case?",
    ),
    "labelled": (
        "Can you say more about {label}? One concrete example is enough.",
        'You wrote "{quote}". What does that look like in terms of {label}?',
        "Let's pin down {label}: what is one real example from your own case?",
    ),
    "unlabelled": (
        "Can you make that more specific? One concrete example is enough.",
        'You wrote "{quote}". What is one real example of that?',
        "What would that look like in your own case, this week?",
    ),
}
DEFAULT_LABELS = {
    "names_person": "a specific person or role",
    "has_date": "when it happens",
    "has_time": "when it happens",
    "has_number": "a number you could count",
    "has_commitment": "a commitment in your own words",
    "min_words": "more detail",
}
# Statements only: the probe after them asks the one question.
VAGUE_LEADS: dict[str, tuple[str, ...]] = {
    "empty": ("I didn't catch anything there.", "Nothing came through that time."),
    "dont_know": (
        "That's fine: a rough first thought is enough.",
        "No rush: even a guess gives us something to work with.",
    ),
    "answer_request": (
        "There's no answer to hand over here: it's about your own case.",
        "Only you know this one, so let's find it together.",
    ),
    "question": (
        "Good question: there's no right answer here, only your own case.",
        "There's no trick to it: your own experience is the answer.",
    ),
    "feeling": (
        "That's normal: thinking about your own work is hard.",
        "Fair enough. Let's make it smaller.",
    ),
    "filler": ("Say a little more than that.", "I'll need a few more words to go on."),
    "repeat": (
        "That's what you wrote before, so let's come at it from another side.",
        "Same words as before: let's try a different angle.",
    ),
    "short": ("A few more words would help: a sentence is plenty.", "Tell me in a sentence."),
    "salad": (
        "Those are the right words. Now put them in a sentence about one real case.",
        "Try it as a sentence, as if you were telling a friend.",
    ),
}
NOTHING_YET = "Let's leave this one here for now: you can come back to it any time."


@dataclass(frozen=True)
class Rung:
    """One probe on the ladder: its template (its identity) and the text to ask."""

    template: str
    text: str
    quoted: str | None


def label_of(criterion: Criterion) -> str:
    """Return what a criterion asks for, as a short noun phrase for the summary."""
    if criterion.label:
        return criterion.label
    if isinstance(criterion, MinItems):
        return f"at least {criterion.min} items"
    authored = criterion.authored_probes()
    return DEFAULT_LABELS.get(criterion.check) or (authored[0] if authored else "more specifics")


def ladder(criterion: Criterion, answers: Answers) -> list[Rung]:
    """Return the probes for an unmet criterion that can be asked now, in order."""
    quote = quote_for(criterion, answers)
    rungs: dict[str, Rung] = {}
    for template, source, label in _templates(criterion, answers, criterion.label):
        if template in rungs or (QUOTE in template and quote is None):
            continue  # asked once each; and never invent a quote the learner did not write
        text = template.replace("{label}", label)
        if isinstance(source, MinItems):
            text = text.replace("{min}", str(source.min))
            text = text.replace("{count}", str(items_listed(answers)))
        text = text.replace(QUOTE, quote or "")
        rungs[template] = Rung(template, text, quote if QUOTE in template else None)
    return list(rungs.values())


def _templates(
    criterion: Criterion, answers: Answers, label: str
) -> list[tuple[str, Criterion, str]]:
    """The author's probes, then those of the part still unmet, then the kind's defaults.

    A part of an `all_of` or `any_of` without a label of its own speaks with its parent's.
    """
    label = criterion.label or label
    found = [(text, criterion, label) for text in criterion.authored_probes()]
    if isinstance(criterion, AllOf | AnyOf):
        part = next((p for p in criterion.of if not criterion_met(p, answers)), None)
        if part is not None:
            return found + _templates(part, answers, label)
    kind = "has_date" if isinstance(criterion, HasDate) else criterion.check
    defaults = DEFAULTS.get(kind) or DEFAULTS["labelled" if label else "unlabelled"]
    return found + [(text, criterion, label) for text in defaults]


def quote_for(criterion: Criterion, answers: Answers) -> str | None:
    """Return the learner's own words that show what this criterion still misses."""
    latest = answers.latest
    match criterion:
        case NamesPerson():
            return _vague_people(latest)
        case HasDate():
            return detectors.vague_time(latest)
        case HasNumber():
            return detectors.vague_amount(latest)
        case HasCommitment():
            return detectors.hedge(latest)
        case NoneOf(of=parts):
            return _trigger(parts, latest)
        case AllOf(of=parts) | AnyOf(of=parts):
            part = next((p for p in parts if not criterion_met(p, answers)), None)
            return quote_for(part, answers) if part is not None else None
    return _quote_clause(latest)


# The latest answer is quoted again on every later turn of the dialogue: read it once.
_vague_people = lru_cache(256)(detectors.vague_people)
_quote_clause = lru_cache(256)(detectors.quote_clause)


def _trigger(parts: list[Criterion], latest: str) -> str | None:
    """The words of the latest answer that a `none_of` criterion objects to."""
    for part in parts:
        if isinstance(part, Keywords):
            for keyword in part.any:
                edge = r"\b" if keyword[:1].isalnum() else ""
                found = re.search(edge + re.escape(keyword), latest, re.IGNORECASE)
                if found:
                    return detectors.clause_from(latest, found.start())
        elif criterion_met(part, latest):
            return _quote_clause(latest)
    return None


def vague_lead(reason: str, rung: int) -> str:
    """Return the lead-in for a probe after a vague reply, varied by the probe's rung."""
    options = VAGUE_LEADS.get(reason, VAGUE_LEADS["short"])
    return options[(rung - 1) % len(options)]
