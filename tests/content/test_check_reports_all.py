"""The content check reports every problem of every file on its first run, each at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.loader import check_content
from bot.errors import ContentProblem

COURSE = """\
id: many
title: Many problems
description: Independent problems in several files.
skills:
  - id: basics
    title: Basics
  - id: broken
    titel: A typo in the header  # MARK header-typo
exercises:
  - id: minutes
    kind: recall
    skill: basics
    parameters:
      h: {range: [2, 5]}
    prompt: "How many minutes are in {h} hours?"
    answer: "{= m*60}"  # MARK unknown-computed
    checker: numeric
    hints: {nudge: "How many minutes in one hour?", specific: "Sixty each.", worked: "Times 60."}
"""

CHOICES = """\
title: a stray top-level key  # MARK stray-key
exercises:
  - id: prime
    kind: recall
    skill: basics
    prompt: "Pick the prime."
    choices: ["4", "6", "7"]
    answer: "e"  # MARK not-an-option
    checker: choice
    hints: {nudge: "Count divisors.", specific: "Only 1 and itself.", worked: "7 is prime."}
  - id: no-hints  # MARK model-error
    kind: recall
    skill: basics
    prompt: "One?"
    answer: "1"
    checker: numeric
  - id: capital
    kind: recall
    skill: basics
    prompt: "Capital of France?"
    choices: ["Paris", "Lyon"]
    answer: "a"
    accept: ["b"]  # MARK other-option
    checker: choice
    hints: {nudge: "The biggest city.", specific: "The Eiffel tower.", worked: "Paris."}
"""

ANSWERS = """\
exercises:
  - id: times
    kind: recall
    skill: basics
    parameters:
      a: {range: [2, 5]}
      b: {range: [2, 5]}
    prompt: "What is {a} times {b}?"
    answer: "{= a*b}"
    accept: ["12"]  # MARK literal-accept
    checker: numeric
    hints: {nudge: "Count in steps of {a}.", specific: "Use the table.", worked: "{= a*b}."}
  - id: two-lines
    kind: recall
    skill: basics
    prompt: "Give three, then two."
    answer: "3\\n2"  # MARK multi-line
    checker: numeric
    hints: {nudge: "Two numbers.", specific: "Three first.", worked: "3, then 2."}
  - id: typo-and-wrong-key
    kind: recall
    skill: basics
    parameters:
      a: {range: [2, 5]}
    prompt: "What is {a} plus {a}?"
    answer: "{= a + a}"
    hints:
      nudge: "Count on {q}."  # MARK unknown-field
      specific: "Double {a}."
      worked: "{a} + {a} = {= 2*a}."
    checker: numeric
    misconceptions:
      - answer: "{= 2*a}"  # MARK misconception-is-answer
        question: "Did you double it?"
"""

BROKEN_YAML = """\
exercises:
  - id: two: colons  # MARK yaml
"""


def _line(text: str, mark: str) -> int:
    """The line of `text` that carries `# MARK mark`."""
    lines = text.splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.endswith(f"# MARK {mark}"))


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def _problems(folder: Path) -> list[ContentProblem]:
    _, problems = check_content([folder])
    return problems


def _at(problems: list[ContentProblem], name: str, line: int, words: str) -> bool:
    return any(p.path.name == name and p.line == line and words in p.message for p in problems)


def test_every_independent_problem_is_reported_on_the_first_run(tmp_path: Path) -> None:
    files = {
        "course.yaml": COURSE,
        "choices.yaml": CHOICES,
        "answers.yaml": ANSWERS,
        "zbroken.yaml": BROKEN_YAML,
    }
    _write(tmp_path / "many", files)
    problems = _problems(tmp_path / "many")
    expected = [
        ("course.yaml", "header-typo", "unknown key"),
        ("course.yaml", "unknown-computed", "unknown parameter m"),
        ("choices.yaml", "stray-key", "unknown key 'title'"),
        ("choices.yaml", "not-an-option", "is not one of the options"),
        ("choices.yaml", "model-error", "missing field 'hints'"),
        ("choices.yaml", "other-option", "is option b, but the answer is option a"),
        ("answers.yaml", "literal-accept", "disagrees with the answer"),
        ("answers.yaml", "multi-line", "one line"),
        ("answers.yaml", "unknown-field", "unknown parameter {q}"),
        ("answers.yaml", "misconception-is-answer", "equals the correct answer"),
        ("zbroken.yaml", "yaml", "YAML"),
    ]
    missing = [
        (name, mark, words)
        for name, mark, words in expected
        if not _at(problems, name, _line(files[name], mark), words)
    ]
    assert not missing, [str(p) for p in problems]


def test_an_unreadable_course_yaml_still_has_its_other_files_checked(tmp_path: Path) -> None:
    _write(tmp_path / "c", {"course.yaml": "id: two: colons\n", "answers.yaml": ANSWERS})
    problems = _problems(tmp_path / "c")
    assert _at(problems, "course.yaml", 1, "YAML")
    assert _at(problems, "answers.yaml", _line(ANSWERS, "literal-accept"), "disagrees")
    assert not any("unknown skill" in p.message for p in problems)


HEADER = """\
id: one
title: One
description: One exercise.
skills:
  - id: basics
    title: Basics
exercises:
"""


def _exercise(body: str) -> str:
    lines = ["  - id: item", "    kind: recall", "    skill: basics"]
    lines += ["    " + line for line in body.strip("\n").splitlines()]
    lines.append('    hints: {nudge: "Look again.", specific: "Step by step.", worked: "Done."}')
    return HEADER + "\n".join(lines) + "\n"


NEW_CHECKS = {
    "choice answer is not an option": (
        'prompt: "Pick."\nchoices: ["{a}", "{= a + 1}"]\nparameters: {a: {range: [1, 3]}}\n'
        'answer: "5"  # MARK here\nchecker: choice',
        "is not one of the options",
    ),
    "unknown parameter in a computed field": (
        'prompt: "Add one to {a}."\nparameters: {a: {range: [1, 3]}}\n'
        'answer: "{= q + 1}"  # MARK here\nchecker: numeric',
        "{= q + 1}: unknown parameter q",
    ),
    "unknown parameter in a computed field of a hint": (
        'prompt: "Add one to {a}."\nparameters: {a: {range: [1, 3]}}\nanswer: "{= a + 1}"\n'
        'checker: numeric\nclarification: "Add {= z} to it."  # MARK here',
        "unknown parameter z",
    ),
    "unknown row field": (
        'prompt: "Say {v.word}."\nparameters: {v: {table: [{word: hola}]}}\n'
        'answer: "{v.wrod}"  # MARK here\nchecker: exact',
        "table v has no field 'wrod'",
    ),
    "computed answer against a literal accept": (
        'prompt: "Square {a}."\nparameters: {a: {range: [2, 5]}}\nanswer: "{= a^2}"\n'
        'accept: ["16"]  # MARK here\nchecker: numeric',
        "disagrees with the answer",
    ),
    "literal answer against a computed accept": (
        'prompt: "What is 1/3 + 1/4?"\nanswer: "5/12"\n'
        'accept: ["{= 1/3 + 1/5}"]  # MARK here\nchecker: numeric',
        "disagrees with the answer",
    ),
    "literal accept beside a varying exact answer": (
        'prompt: "Say {v.word}."\nparameters: {v: {table: [{word: hola}, {word: adiós}]}}\n'
        'answer: "{v.word}"\naccept: ["hola"]  # MARK here\nchecker: exact',
        "counts as right in every variant",
    ),
    "multi-line choice answer": (
        'prompt: "Pick."\nchoices: ["one\\ntwo", "three"]\nanswer: "a"  # MARK here\n'
        "checker: choice",
        "one line",
    ),
    "answer longer than a message": (
        'prompt: "Repeat."\nparameters: {v: {table: [{w: "' + "x" * 300 + '"}]}}\n'
        'answer: "' + "{v.w}" * 7 + '"  # MARK here\nchecker: exact',
        "more than a chat message holds",
    ),
    "ragged table row": (
        'prompt: "Say {v.word}."\nparameters:\n  v:\n    table:\n      - {word: hola}\n'
        '      - {wrd: adiós}  # MARK here\nanswer: "{v.word}"\nchecker: exact',
        "row 2 lacks word",
    ),
    "where on an unknown parameter": (
        'prompt: "Say {p}."\nparameters: {p: {values: [yo, tú]}}\n'
        'where: ["q != \'yo\'"]  # MARK here\nanswer: "{p}"\nchecker: exact',
        "q is not a parameter",
    ),
    "where comparing a text with a number": (
        'prompt: "Say {p}."\nparameters: {p: {values: [yo, tú]}}\n'
        'where: ["p != 3"]  # MARK here\nanswer: "{p}"\nchecker: exact',
        "compares a text with a number",
    ),
}


@pytest.mark.parametrize("case", sorted(NEW_CHECKS))
def test_each_new_check_reports_its_problem_at_its_line(tmp_path: Path, case: str) -> None:
    body, words = NEW_CHECKS[case]
    text = _exercise(body)
    _write(tmp_path / "one", {"course.yaml": text})
    problems = _problems(tmp_path / "one")
    assert _at(problems, "course.yaml", _line(text, "here"), words), [str(p) for p in problems]


FINE = {
    "the problem's own variable": (
        'prompt: "Solve {a}x = {= a*s} for x."\n'
        "parameters: {a: {range: [2, 4]}, s: {range: [1, 3]}}\n"
        'answer: "{s}"\nchecker: numeric\nreflection: "Why does {= a*x} = {= a*s} give x?"'
    ),
    "algebra under the expression checker": (
        'prompt: "Expand {a}(y + 1)."\nparameters: {a: {range: [2, 4]}}\n'
        'answer: "{= a*y + a}"\nchecker: expression'
    ),
    "a rounded literal beside a literal fraction": (
        'prompt: "What is 7/12 as a decimal, roughly?"\nanswer: "7/12"\naccept: ["0.58"]\n'
        "checker: numeric\ntolerance: 0.01"
    ),
    "an accept naming the answer's own option": (
        'prompt: "Capital of France?"\nchoices: ["Paris", "Lyon"]\nanswer: "Paris"\n'
        'accept: ["a", "paris"]\nchecker: choice'
    ),
    "a multi-line exact answer": ('prompt: "Print 3, then 2."\nanswer: "3\\n2"\nchecker: exact'),
}


@pytest.mark.parametrize("case", sorted(FINE))
def test_sound_exercises_pass_the_new_checks(tmp_path: Path, case: str) -> None:
    _write(tmp_path / "one", {"course.yaml": _exercise(FINE[case])})
    assert _problems(tmp_path / "one") == []
