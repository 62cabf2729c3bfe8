"""Reflection criteria read people: detectors, composite criteria, vague replies, credit."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from bot.content.models import Criterion
from bot.learning import detectors
from bot.learning.criteria import (
    Answers,
    count_items,
    criterion_met,
    reflection_credit,
    vagueness,
)

CRITERION = TypeAdapter[Criterion](Criterion)


def criterion(**data: object) -> Criterion:
    return CRITERION.validate_python(data)


@pytest.mark.parametrize(
    "text",
    [
        "Maria runs a bakery",
        "Maria, who runs a small bakery",
        "my direct report",
        "I need to talk to my direct report about the rota",
        "the coachee",
        "my manager keeps moving the deadline",
        "a client called Sam",
        "a client called sam",
        "Priya from my old team",
        "the new managers I met at the workshop",
        "a nurse moving into management",
        "my sister",
        "a friend of mine",
        "Sam.",
    ],
)
def test_a_person_is_named(text: str) -> None:
    assert detectors.names_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "Women mostly",
        "Mostly women in their 40s",
        "People who want to grow",
        "everyone who wants to grow their business",
        "someone nice",
        "Anyone really",
        "I'm a coach who helps people",  # the writer's own role is not the client
        "As a nurse I want to help others",
        "I post on LinkedIn",
        "HR people",
        "the report is due",  # a report, not a direct report
        "Hope this helps",
        "Ambitious women in tech",
        "my ideal client is a client who pays",
    ],
)
def test_people_in_general_are_not_a_person(text: str) -> None:
    assert not detectors.names_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "week 6",
        "in week 4",
        "before our next 1:1",
        "by Friday",
        "tomorrow morning",
        "on 12/05",
        "2026-05-12",
        "in May",
        "May 12",
        "the 15th",
        "in 3 weeks",
        "within six weeks",
        "90 days",
        "3 months into a new role",
        "every January",
        "at 9am",
        "at 14:30",
        "end of the month",
        "after 6 sessions",
        "at the halfway point",
        "next session",
        "every other week",
    ],
)
def test_a_time_is_named(text: str) -> None:
    assert detectors.mentions_time(text)


@pytest.mark.parametrize(
    "text", ["soon", "later", "at some point", "one of these days I may", "9 amazing people"]
)
def test_a_vague_time_is_not_a_time(text: str) -> None:
    assert not detectors.mentions_time(text)


def test_vague_time_is_quoted_as_written() -> None:
    assert detectors.vague_time("I will do it At Some Point, promise") == "At Some Point"
    assert detectors.vague_time("on Friday") is None


@pytest.mark.parametrize(
    "text", ["3 clients", "£300", "50%", "twice a week", "double her sales", "twenty hours"]
)
def test_a_quantity_is_found(text: str) -> None:
    assert detectors.has_quantity(text)


@pytest.mark.parametrize("text", ["before our 1:1", "more clients", "a lot", "in Q2"])
def test_meeting_names_and_vague_amounts_are_not_quantities(text: str) -> None:
    assert not detectors.has_quantity(text)


@pytest.mark.parametrize(
    "text",
    [
        "I will message Sam",
        "I'll call Priya on Friday",
        "I’ll call Priya on Friday",
        "I'm going to post my offer",
        "im going to call her",
        "We will launch the group",
        "I plan to write the email tonight",
        "Going to call Jo tomorrow",
        "First I will post. Maybe more later",
    ],
)
def test_a_first_person_commitment(text: str) -> None:
    assert detectors.commits(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'll try to post something",
        "I will try",
        "I might email her",
        "I want to write more",
        "maybe I will post something",
        "If I have time I will post",
        "She will call me",
        "I will not",
        "I will.",
        "she is ill today",
        "Will is my client",
    ],
)
def test_hedges_and_other_people_are_not_a_commitment(text: str) -> None:
    assert not detectors.commits(text)


def test_quotes_are_slices_of_what_the_learner_wrote() -> None:
    text = "Honestly? People who want to grow their business, mostly."
    assert detectors.vague_people(text) == "People who want to grow their business"
    assert detectors.hedge("OK so I'll try to post something, soon") == "I'll try to post something"
    assert detectors.vague_amount("they'd get More Clients") == "More Clients"
    long = "she is a nurse who has just been promoted to run the ward at night"
    assert detectors.quote_clause(long) == "she is a nurse who has just been"  # 8 words
    for quote in filter(None, [detectors.vague_people(text), detectors.quote_clause(long)]):
        assert quote in text or quote in long


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("not sure, maybe people who are stressed?", "people who are stressed"),
        ("Hmm. Well, new managers in tech", "new managers in tech"),
        ("no one on my team talks to me", "no one on my team talks to me"),
        ("not sure", None),
        ("ok, idk", None),
    ],
)
def test_a_quote_passes_over_filler_and_opening_hedges(text: str, quoted: str | None) -> None:
    quote = detectors.quote_clause(text)
    assert quote == quoted
    assert quote is None or quote in text  # still the learner's own words, as written


def test_keywords_need_min_different_ones_at_word_starts() -> None:
    two = criterion(check="keywords", any=["stuck", "promot", "deadline"], min=2)
    assert criterion_met(two, "She got promoted and feels stuck")
    assert not criterion_met(two, "She got promoted, promoted again")
    assert not criterion_met(two, "unstuck, in a way")


@pytest.mark.parametrize(
    ("text", "met"),
    [
        ("Next time I will leave my phone in another room", True),
        ("No, I will plan it for Monday", True),  # "no" opening a clause denies nothing
        ("I won't plan anything", False),
        ("I'm not going to try anything new", False),
        ("nothing will change", False),
        ("I couldn't focus, so next week I will plan shorter sessions", True),
        ("I didn't stop, but I will try a timer", True),  # the denial ends with its clause
    ],
)
def test_a_keyword_denied_just_before_it_is_not_met(text: str, met: bool) -> None:
    change = criterion(check="keywords", any=["will", "plan", "try", "going to"])
    assert criterion_met(change, text) is met


def test_a_keyword_that_is_itself_a_denial_is_still_found() -> None:
    stuck = criterion(check="keywords", any=["can't", "cannot", "not sure"])
    assert criterion_met(stuck, "She can't say no to her boss")
    assert criterion_met(stuck, "he's not sure what comes next")


def test_min_keywords_above_the_list_is_refused() -> None:
    with pytest.raises(ValueError, match="'min' is 3"):
        criterion(check="keywords", any=["a", "b"], min=3)


def test_all_of_any_of_and_none_of() -> None:
    one_person = criterion(
        check="all_of",
        of=[
            {"check": "names_person"},
            {"check": "none_of", "of": [{"check": "keywords", "any": ["anyone", "everyone"]}]},
        ],
    )
    assert criterion_met(one_person, "Maria, a nurse")
    assert not criterion_met(one_person, "Maria, or anyone really")
    assert not criterion_met(one_person, "anyone who wants to grow")
    either = criterion(check="any_of", of=[{"check": "has_number"}, {"check": "has_time"}])
    assert criterion_met(either, "by Friday") and criterion_met(either, "3 calls")
    assert not criterion_met(either, "as soon as I can")


def test_none_of_judges_the_latest_answer_so_a_learner_can_move_on() -> None:
    not_everyone = criterion(check="none_of", of=[{"check": "keywords", "any": ["everyone"]}])
    assert not criterion_met(not_everyone, Answers.of(["everyone, really"]))
    assert criterion_met(not_everyone, Answers.of(["everyone, really", "OK: Maria, a nurse"]))


def test_positive_criteria_judge_everything_written_so_far() -> None:
    both = criterion(check="all_of", of=[{"check": "names_person"}, {"check": "has_time"}])
    assert not criterion_met(both, Answers.of(["on Friday"]))
    assert criterion_met(both, Answers.of(["my manager", "on Friday"]))


def test_pattern_criterion_searches_case_insensitively_and_refuses_slow_patterns() -> None:
    price = criterion(check="pattern", pattern=r"[$€£]\s?\d")
    assert criterion_met(price, "It costs £ 900 in all")
    assert not criterion_met(price, "900 in all")
    with pytest.raises(ValueError, match="quantifier inside a repeated group"):
        criterion(check="pattern", pattern=r"^(a+)+$")


def test_items_are_counted_by_line_bullet_number_or_comma() -> None:
    assert count_items("- time\n- money\n- confidence") == 3
    assert count_items("1) call Sam 2) email Jo 3) post the offer") == 3
    assert count_items("My obstacles: time, money and confidence") == 3
    assert count_items("time, time, ok") == 1  # repeats and filler are not items
    at_least_three = criterion(check="min_items", min=3)
    assert criterion_met(at_least_three, Answers.of(["time, money", "confidence"]))
    assert not criterion_met(at_least_three, "time and money")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("yes", "filler"),
        ("ok", "filler"),
        ("idk", "filler"),
        ("lol", "filler"),
        ("ok ok lol", "filler"),
        ("stuck stuck stuck", "filler"),
        ("Women mostly", "short"),
        ("growth", "short"),
        ("stuck promoted overwhelm deadline", "salad"),
        ("stuck, burnout, launch, new", "salad"),
    ],
)
def test_filler_short_replies_and_keyword_salad_are_vague(text: str, reason: str) -> None:
    keywords = ["stuck", "promot", "overwhelm", "deadline", "burn", "launch", "new"]
    assert vagueness(text, [], keywords) == reason


@pytest.mark.parametrize(
    "text",
    [
        "Friday",  # a short reply that answers a probe
        "Sam",
        "£300",
        "She got stuck after her promotion",
        "stuck after the promotion",
        "Maria, a nurse",
    ],
)
def test_short_facts_and_sentences_are_judged(text: str) -> None:
    assert vagueness(text, [], ["stuck", "promot"]) is None


def test_a_reply_repeated_word_for_word_is_vague() -> None:
    assert vagueness("People who want to grow!", ["people who want to grow"], []) == "repeat"


def test_vague_replies_never_meet_keyword_criteria_through_the_engine_reading() -> None:
    # The engine judges only replies that are not vague: a salad made of a criterion's own
    # keywords would meet it, which is why it is read as vague first.
    situation = criterion(check="keywords", any=["stuck", "promot"])
    salad = "stuck promoted stuck-ish promotion"
    assert criterion_met(situation, salad)
    assert vagueness(salad, [], ["stuck", "promot"]) == "salad"


def test_credit_is_the_mean_of_criteria_less_for_each_probe() -> None:
    assert reflection_credit([(True, 0), (True, 0)]) == 1.0
    assert reflection_credit([(True, 1), (True, 0)]) == pytest.approx(0.95)
    assert reflection_credit([(True, 2), (True, 5)]) == pytest.approx((0.75 + 0.6) / 2)
    assert reflection_credit([(True, 0), (False, 0)]) == 0.5
    assert reflection_credit([]) == 0.0
