"""Slack rendering and pacing as pure functions: mrkdwn, sections, buttons, forms, slots."""

from __future__ import annotations

import pytest

from bot.adapters.slack._dedupe import SeenEvents
from bot.adapters.slack._forms import settings_change
from bot.adapters.slack._pacing import Pacer, SlackPacing
from bot.adapters.slack._render import (
    SECTION_LIMIT,
    lettered_options,
    reply_message,
    split_sections,
    to_mrkdwn,
    unescape,
)
from bot.services.messages import Reply, choices_for


def test_mrkdwn_escapes_markup_and_drops_the_code_language() -> None:
    text = "Look:\n```python\nif a < b and c > d:\n    print('&')\n```\n<!channel> hi"
    rendered = to_mrkdwn(text)
    assert rendered.split("\n")[1] == "```"
    assert "a &lt; b and c &gt; d" in rendered and "'&amp;'" in rendered
    assert "<!channel>" not in rendered, "echoed text pings no one"


def test_learner_text_is_unescaped_and_links_lose_their_markup() -> None:
    typed = "a &lt; b &amp;&amp; <https://example.org|the site> <https://x.org>"
    assert unescape(typed) == "a < b && the site https://x.org"


def test_long_text_is_split_into_sections_with_code_blocks_closed() -> None:
    code = "\n".join(f"line_{i} = {i}" for i in range(400))
    pieces = split_sections(f"Intro\n```\n{code}\n```\nOutro")
    assert len(pieces) > 1
    assert all(len(p) <= SECTION_LIMIT for p in pieces)
    assert all(p.count("```") % 2 == 0 for p in pieces), "every piece opens what it closes"
    assert pieces[0].startswith("Intro") and pieces[-1].endswith("Outro")
    one_long_line = split_sections("```\n" + "y" * 7000 + "\n```")
    assert [p.count("```") for p in one_long_line] == [2, 2, 2]
    assert sum(p.count("y") for p in one_long_line) == 7000


def test_a_reply_is_sections_then_buttons_with_stable_action_ids() -> None:
    message = reply_message(Reply("What is 1/3 + 1/4?", choices_for(("hint", "skip"))))
    section, actions = message.blocks
    assert section["text"]["text"] == "What is 1/3 + 1/4?"
    assert [e["action_id"] for e in actions["elements"]] == ["tutor:hint", "tutor:skip"]
    forget = reply_message(Reply("Sure?", choices_for(("forget-confirm",)))).blocks[-1]
    assert forget["elements"][0]["style"] == "danger" and "confirm" in forget["elements"][0]


def test_only_a_trailing_run_of_lettered_options_becomes_buttons() -> None:
    assert lettered_options("Which?\na) one\nb) two\nc) three") == ["a", "b", "c"]
    assert lettered_options("a) one\nb) two\nThen say why.") == []
    assert lettered_options("Which?\nb) two\nc) three") == []
    worked = reply_message(Reply("a) x\nb) y", choices_for(("next",))))
    assert [e["action_id"] for e in worked.blocks[-1]["elements"]] == ["tutor:next"]


def test_the_settings_form_names_each_bad_field_and_keeps_what_did_not_change() -> None:
    before = {"tz": "UTC", "quiet": "21:00-08:00", "paused": False}
    values = {
        "timezone": {"timezone": {"value": "Mars/Base"}},
        "quiet": {"quiet": {"value": "late"}},
        "pause": {"pause": {"value": "400"}},
    }
    _change, errors = settings_change(values, before)
    assert set(errors) == {"timezone", "quiet", "pause"}
    unchanged = {
        "timezone": {"timezone": {"value": "UTC"}},
        "quiet": {"quiet": {"value": "21:00-08:00"}},
        "pause": {"pause": {"value": "0"}},
    }
    change, errors = settings_change(unchanged, before)
    assert errors == {} and (change.timezone, change.quiet_hours, change.pause_days) == (
        None,
        None,
        None,
    )


def test_the_settings_form_sets_changes_and_clears_interests() -> None:
    before = {"tz": "UTC", "quiet": "21:00-08:00", "paused": False, "interests": "chess"}
    field = "interests"
    change, errors = settings_change({field: {field: {"value": "football,  jazz"}}}, before)
    assert errors == {} and change.interests == "football, jazz"
    change, errors = settings_change({field: {field: {"value": " chess "}}}, before)
    assert errors == {} and change.interests is None  # unchanged: nothing to say
    change, errors = settings_change({field: {field: {"value": None}}}, before)
    assert errors == {} and change.interests == "none"  # emptied: cleared
    _change, errors = settings_change({field: {field: {"value": "a,b,c,d,e,f"}}}, before)
    assert set(errors) == {"interests"}


def test_a_channel_gets_a_short_burst_then_one_message_a_second() -> None:
    now = [100.0]
    pacer = Pacer(1.0, clock=lambda: now[0])
    assert [pacer.reserve("D1", burst=3) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert pacer.reserve("D1", burst=3) == 1.0
    assert pacer.reserve("D2") == 0.0, "channels are paced apart"
    assert pacer.reserve_within("D1", 1, 0.5) is None and pacer.delay("D1") == 4.0
    now[0] += 4.0
    assert pacer.reserve_within("D1", 1, 0.5) == 0.0


@pytest.mark.parametrize(
    ("method", "per_minute"), [("conversations.open", 100), ("conversations.info", 50)]
)
def test_a_tier_never_exceeds_its_limit_in_any_minute(method: str, per_minute: int) -> None:
    now = [0.0]
    pacing = SlackPacing(clock=lambda: now[0])
    slot = pacing.method_pacer(method)
    assert slot is not None
    pacer, burst = slot
    times = []
    for _ in range(300):
        wait = pacer.reserve(method, burst)
        times.append(now[0] + wait)
    for i, start in enumerate(times):
        assert sum(1 for t in times[i:] if t < start + 60) <= per_minute


def test_seen_events_are_bounded_and_remember_the_latest() -> None:
    seen = SeenEvents(size=2)
    assert seen.first_time("Ev1") and seen.first_time("Ev2")
    assert not seen.first_time("Ev1")
    assert seen.first_time("Ev3")  # Ev2 was the oldest: forgotten
    assert seen.first_time("Ev2") and not seen.first_time("Ev3")
