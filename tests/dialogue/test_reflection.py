"""The reflection engine: vague replies stay vague, probes climb a ladder, quotes are real."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from bot.content.loader import load_catalog
from bot.content.models import ReflectionExercise
from bot.dialogue import moves, probes, reflection
from bot.dialogue.state import DialogueState, Step
from bot.dialogue.wording import offline_text

CONTENT = Path(__file__).resolve().parents[2] / "content"
EXERCISE = TypeAdapter(ReflectionExercise)
QUOTED = re.compile(r'You wrote "([^"]+)"')


def exercise(criteria: list[dict[str, object]], max_probes: int = 3) -> ReflectionExercise:
    return EXERCISE.validate_python(
        {
            "id": "r",
            "kind": "reflection",
            "skill": "s",
            "prompt": "Who is one person you will talk to, and when?",
            "criteria": criteria,
            "max_probes": max_probes,
        }
    )


PERSON_AND_TIME = exercise(
    [
        {"check": "names_person", "label": "who", "probe": "Who is it?"},
        {"check": "has_time", "label": "when", "probes": ["When?", "Which day?"]},
    ]
)


def play(ex: ReflectionExercise, script: list[str]) -> list[Step]:
    """Play learner messages (`hint` is the command) until the reflection closes."""
    state, steps = DialogueState(), []
    for message in script:
        if message == "hint":
            step = reflection.probe(ex, state)
        else:
            step = reflection.respond(ex, state, message)
        steps.append(step)
        state = step.state
        if step.closed:
            break
    return steps


def probes_of(steps: list[Step]) -> list[moves.Probe]:
    return [s.move for s in steps if isinstance(s.move, moves.Probe)]


def test_authored_probes_come_first_then_defaults_and_none_repeats() -> None:
    steps = play(PERSON_AND_TIME, ["I want to talk to people", "hint", "people, really"])
    asked = probes_of(steps)
    assert [p.probe for p in asked][:1] == ["Who is it?"]
    assert [p.rung for p in asked] == [1, 2, 3]
    assert len({p.probe for p in asked}) == len(asked)
    assert asked[1].reason == "hint" and not asked[1].vague
    assert asked[0].facts() == {"criterion": 0, "rung": 1}


def test_a_default_probe_quotes_only_the_learners_own_words() -> None:
    steps = play(PERSON_AND_TIME, ["Honestly? People who want to grow, mostly.", "hint"])
    quoting = [p for p in probes_of(steps) if p.quoted]
    assert quoting, "the default ladder quotes the vague words back"
    assert quoting[0].quoted == "People who want to grow"
    assert f'You wrote "{quoting[0].quoted}"' in quoting[0].probe


def test_with_nothing_to_quote_a_quoting_probe_is_skipped() -> None:
    steps = play(PERSON_AND_TIME, ["hint", "hint", "hint"])
    assert all(p.quoted is None for p in probes_of(steps))
    assert not any("You wrote" in p.probe for p in probes_of(steps))


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("ok", "filler"),
        ("yes", "filler"),
        ("lol", "filler"),
        ("idk", "dont_know"),
        ("Women mostly", "short"),
        ("person time talk", "salad"),
        ("just tell me the answer", "answer_request"),
        ("what do you mean by that?", "question"),
        ("I'm so confused", "feeling"),
    ],
)
def test_vague_replies_are_probed_not_judged(reply: str, reason: str) -> None:
    ex = exercise(
        [
            {"check": "keywords", "any": ["person", "time", "talk"], "label": "the talk"},
            {"check": "names_person", "label": "who"},
        ]
    )
    step = reflection.respond(ex, DialogueState(), reply)
    assert isinstance(step.move, moves.Probe)
    assert step.move.vague and step.move.reason == reason
    assert step.state.attempts == 0 and step.state.probes == 0
    assert offline_text(step.move).endswith(step.move.probe)


def test_a_reflection_about_a_clients_feelings_is_judged() -> None:
    ex = exercise([{"check": "keywords", "any": ["promot"], "label": "what changed"}])
    step = reflection.respond(ex, DialogueState(), "She is feeling overwhelmed since her promotion")
    assert isinstance(step.move, moves.ReflectionSummary)
    assert step.state.outcome == "solved"


def test_a_question_that_names_a_person_is_an_answer() -> None:
    step = reflection.respond(PERSON_AND_TIME, DialogueState(), "Should I pick my manager?")
    assert isinstance(step.move, moves.Probe) and step.move.criterion == 1
    assert not step.move.vague


def test_a_repeated_reply_is_vague_and_shown_once_in_the_summary() -> None:
    steps = play(PERSON_AND_TIME, ["people who want to grow"] * 4)
    reasons = [p.reason for p in probes_of(steps)]
    assert reasons == ["", "repeat", "repeat"]
    summary = steps[-1].move
    assert isinstance(summary, moves.ReflectionSummary)
    assert summary.answers == ("people who want to grow",)
    assert summary.still_open == ("who", "when")
    assert steps[-1].state.outcome == "closed"


def test_three_vague_replies_in_a_row_close_kindly() -> None:
    steps = play(PERSON_AND_TIME, ["ok", "idk", "lol", "never reached"])
    assert [s.move.kind for s in steps] == ["probe", "probe", "summary"]
    assert steps[-1].state.outcome == "closed" and steps[-1].closed
    text = offline_text(steps[-1].move)
    assert "leave this one here" in text and "- who" in text


def test_hints_never_close_the_reflection_and_never_repeat() -> None:
    steps = play(PERSON_AND_TIME, ["hint"] * 6)
    asked = probes_of(steps)
    assert len(asked) == 6 and len({p.probe for p in asked}) == 6
    assert steps[-1].state.probes == 0  # hints do not use up max_probes


def test_max_probes_bounds_the_probes_after_real_replies() -> None:
    ex = exercise([{"check": "has_number", "label": "a number"}], max_probes=2)
    steps = play(ex, ["they would get more clients", "many more clients", "so many more clients"])
    assert [s.move.kind for s in steps] == ["probe", "probe", "summary"]
    first = steps[0].move
    assert isinstance(first, moves.Probe) and first.quoted == "more clients"


def test_none_of_quotes_the_words_it_objects_to() -> None:
    ex = exercise(
        [
            {
                "check": "all_of",
                "label": "one person",
                "of": [
                    {"check": "names_person"},
                    {"check": "none_of", "of": [{"check": "keywords", "any": ["anyone"]}]},
                ],
            }
        ]
    )
    step = reflection.respond(ex, DialogueState(), "Maria, or anyone really")
    assert isinstance(step.move, moves.Probe)
    assert step.move.quoted == "anyone really"
    done = reflection.respond(ex, step.state, "OK, just Maria: a nurse on nights")
    assert done.state.outcome == "solved"


def test_min_items_counts_what_is_listed_so_far() -> None:
    ex = exercise([{"check": "min_items", "min": 3}])
    step = reflection.respond(ex, DialogueState(), "My blockers are time and money")
    assert isinstance(step.move, moves.Probe)
    assert "So far I count 2" in step.move.probe and "at least 3" in step.move.probe
    assert reflection.respond(ex, step.state, "and confidence").state.outcome == "solved"


def test_evidence_counts_criteria_met_less_for_probes() -> None:
    clean = play(PERSON_AND_TIME, ["I'll talk to my manager on Friday"])
    assert reflection.evidence(PERSON_AND_TIME, clean[-1].state) == 1.0
    probed = play(PERSON_AND_TIME, ["I'll talk to my manager", "on Friday"])
    assert reflection.evidence(PERSON_AND_TIME, probed[-1].state) == pytest.approx(0.95)
    vague = play(PERSON_AND_TIME, ["ok", "idk", "lol"])
    assert reflection.evidence(PERSON_AND_TIME, vague[-1].state) == 0.0
    half = play(PERSON_AND_TIME, ["my manager", "hmm, my manager really", "my boss", "my CEO"])
    assert half[-1].state.outcome == "closed"
    assert reflection.evidence(PERSON_AND_TIME, half[-1].state) == pytest.approx(0.5)


def test_a_state_from_before_vague_turns_were_kept_still_replays() -> None:
    old = DialogueState(answers=("my manager",), attempts=1, probes=1)
    step = reflection.respond(PERSON_AND_TIME, old, "on Friday")
    assert step.state.outcome == "solved"


@pytest.fixture(scope="module")
def shipped() -> list[ReflectionExercise]:
    catalog = load_catalog([CONTENT / "coaching-positioning"])
    return [
        e
        for course in catalog.courses.values()
        for e in course.exercises.values()
        if isinstance(e, ReflectionExercise)
    ]


REPLIES = [
    "ok",
    "idk",
    "hint",
    "yes",
    "lol",
    "people who want to grow",
    "Women mostly",
    "stuck promoted overwhelm deadline",
    "I'll try to post something soon",
    "they would get more clients and a lot more confidence",
    "Maria, a nurse, or anyone really",
    "She just got promoted and feels stuck since the reorganisation",
    "I will message Priya from my old team",
    "on Tuesday morning, before our next 1:1",
    "£900 for 6 sessions over 3 months",
    "What do you mean?",
    "they say 'I can't keep doing this' to a friend",
]


@pytest.mark.parametrize("seed", range(40))
def test_no_probe_repeats_and_every_quote_is_the_learners(
    seed: int, shipped: list[ReflectionExercise]
) -> None:
    rng = random.Random(seed)
    for ex in shipped:
        script = [rng.choice(REPLIES) for _ in range(12)]
        steps = play(ex, script)
        said = " ".join(script)
        asked = [offline_text(p) for p in probes_of(steps)]
        bare = [p.probe for p in probes_of(steps)]
        assert len(set(bare)) == len(bare), (ex.id, script)
        assert len(set(asked)) == len(asked), (ex.id, script)
        for probe in probes_of(steps):
            for quote in QUOTED.findall(probe.probe):
                assert quote in said, (ex.id, quote, script)
            if probe.quoted is not None:
                assert probe.quoted in said
        assert steps[-1].closed or len(steps) == len(script)


def test_each_default_probe_asks_one_question_and_leads_ask_none() -> None:
    for templates in probes.DEFAULTS.values():
        for template in templates:
            assert template.count("?") == 1, template
    for leads in probes.VAGUE_LEADS.values():
        assert all("?" not in lead for lead in leads)


def test_the_summary_leaves_out_the_false_starts_before_the_first_real_reply() -> None:
    script = [
        "anyone who needs help I guess",  # judged, meets nothing: probed and left behind
        "Maria, my new team lead",
        "she is nervous about it",  # after the learner got going: kept, in their words
        "next Tuesday at 10",
    ]
    summary = play(PERSON_AND_TIME, script)[-1].move
    assert isinstance(summary, moves.ReflectionSummary)
    assert summary.answers == tuple(script[1:])
    assert summary.still_open == ()


def test_a_summary_with_no_reply_meeting_anything_still_shows_what_was_written() -> None:
    script = ["people who want to grow", "those who want more", "folks", "hmm", "ok", "meh"]
    summary = play(PERSON_AND_TIME, script)[-1].move
    assert isinstance(summary, moves.ReflectionSummary)
    assert summary.answers and summary.answers[0] == "people who want to grow"
