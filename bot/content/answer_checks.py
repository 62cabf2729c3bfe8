"""Check an answer key as learners meet it: a choice names an option, entries agree, and
every answer fits in one chat message."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from bot.content.field_checks import Finding, Path_, quoted
from bot.content.models import TEMPLATE_FIELD, AnsweredExercise
from bot.learning.grading import MAX_REPLY_CHARS, AnswerKey, grade_answer

# A learner's reply is read up to this length, which is also Discord's message limit.
MAX_ANSWER_CHARS = MAX_REPLY_CHARS
# A learner answers these with one value or one letter: a line break cannot be meant.
ONE_LINE_CHECKERS = ("numeric", "choice")
# These checkers judge meaning, so two entries can be compared: 7/12 and 14/24 agree.
VALUE_CHECKERS = ("numeric", "expression")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def key_findings(exercise: AnsweredExercise, key: AnswerKey, shown: str) -> list[Finding]:
    """Find what is wrong with one variant's rendered answer key."""
    entries: list[tuple[Path_, str]] = [(("answer",), key.answer)]
    entries += [(("accept", i), text) for i, text in enumerate(key.accept)]
    findings = _fit_findings(key.checker, entries, shown)
    if key.checker == "choice":
        findings += _choice_findings(key, shown)
    if key.checker in VALUE_CHECKERS:
        findings += _agreement_findings(exercise, key, shown)
    return findings


def literal_findings(exercise: AnsweredExercise, answers: set[str]) -> list[Finding]:
    """Find fixed `accept` entries of an exercise whose answer changes between variants.

    A fixed entry counts as right in every variant, so it is right in at most one of them.
    (The numeric and expression checkers compare each variant's values instead.)
    """
    if exercise.checker not in ("exact", "pattern") or len(answers) < 2:
        return []
    examples = ", ".join(quoted(a) for a in sorted(answers)[:2])
    return [
        (
            ("accept", i),
            "agree",
            f"accept {quoted(text)} has no fields, so it counts as right in every variant, "
            f"but the answer changes with the parameters ({examples}...)",
        )
        for i, text in enumerate(exercise.accept)
        if not TEMPLATE_FIELD.search(text)
    ]


def _fit_findings(checker: str, entries: list[tuple[Path_, str]], shown: str) -> list[Finding]:
    """Find answers a learner cannot send: on several lines, or longer than a message."""
    findings: list[Finding] = []
    for path, text in entries:
        if checker in ONE_LINE_CHECKERS and "\n" in text.strip():
            findings.append(
                (
                    path,
                    "fit",
                    f"a {checker} answer is one line, but {quoted(text)} has several{shown}",
                )
            )
        elif checker != "pattern" and len(text) > MAX_ANSWER_CHARS:
            findings.append(
                (
                    path,
                    "fit",
                    f"the answer is {len(text)} characters, more than a chat message holds "
                    f"({MAX_ANSWER_CHARS}){shown}",
                )
            )
    return findings


def _choice_findings(key: AnswerKey, shown: str) -> list[Finding]:
    """Find a choice answer that is no option, and an accepted entry naming another one."""
    options = [_plain(option) for option in key.choices]
    listed = "; ".join(f"{_LETTERS[i]}) {o}" for i, o in enumerate(key.choices))
    right = _option_index(key.answer, options)
    if right is None:
        message = f"the answer {quoted(key.answer)} is not one of the options ({listed}){shown}"
        return [(("answer",), "choice", message)]
    findings: list[Finding] = []
    for i, text in enumerate(key.accept):
        other = _option_index(text, options)
        if other is not None and other != right:
            findings.append(
                (
                    ("accept", i),
                    "choice",
                    f"accept {quoted(text)} is option {_LETTERS[other]}, but the answer is "
                    f"option {_LETTERS[right]}{shown}",
                )
            )
    return findings


def _agreement_findings(exercise: AnsweredExercise, key: AnswerKey, shown: str) -> list[Finding]:
    """Find `accept` entries that disagree with a computed answer (or computed ones with it)."""
    computed_answer = bool(TEMPLATE_FIELD.search(exercise.answer))
    findings: list[Finding] = []
    for i, text in enumerate(key.accept):
        # Two fixed entries may differ on purpose (a rounded 0.58 beside 7/12).
        if not computed_answer and not TEMPLATE_FIELD.search(exercise.accept[i]):
            continue
        by_answer = replace(key, accept=())
        by_entry = replace(key, answer=text, accept=())
        if grade_answer(by_answer, text).correct or grade_answer(by_entry, key.answer).correct:
            continue
        findings.append(
            (
                ("accept", i),
                "agree",
                f"accept {quoted(text)} disagrees with the answer {quoted(key.answer)}{shown}; "
                "one of them is wrong",
            )
        )
    return findings


def _option_index(text: str, options: list[str]) -> int | None:
    """The index of the option a text is, compared as learners' replies are."""
    plain = _plain(text)
    return options.index(plain) if plain in options else None


def _plain(text: str) -> str:
    """Fold case, accents, spacing and surrounding punctuation away."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", bare.casefold()).strip(" .,;:!?\"'`()")
