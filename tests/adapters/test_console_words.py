"""The console's own layout, words and leaving, piece by piece."""

from __future__ import annotations

import asyncio
import io

import pytest

from bot.adapters.console._input import MessageReader, StreamLines
from bot.adapters.console._render import reply_lines
from bot.adapters.console._screen import Screen
from bot.adapters.console._words import (
    CoachWord,
    SettingsWords,
    coach_word,
    console_word,
    read_settings,
)
from bot.cli import _interrupted


def test_a_fenced_block_loses_its_fences_and_is_indented_under_the_text() -> None:
    text = "Read this:\n```python\nfor i in range(3):\n    print(i)\n\n```\nWhat prints?"
    assert reply_lines(text) == [
        "tutor: Read this:",
        "           for i in range(3):",
        "               print(i)",
        "",
        "       What prints?",
    ]


def test_tilde_fences_and_longer_fences_close_only_on_their_own_kind() -> None:
    text = "~~~~\n```\nstill code\n~~~~\nprose"
    assert reply_lines(text) == [
        "tutor:",
        "           ```",
        "           still code",
        "       prose",
    ]


def test_an_unclosed_fence_keeps_the_rest_as_code() -> None:
    assert reply_lines("See:\n```\nx = 1") == ["tutor: See:", "           x = 1"]


def test_triple_backticks_inside_a_line_are_inline_code_not_a_fence() -> None:
    assert reply_lines("Type ```x = 1``` here\nthen go on") == [
        "tutor: Type ```x = 1``` here",
        "       then go on",
    ]


def test_prose_wraps_to_the_terminal_under_its_indent_and_code_never_does() -> None:
    long_item = "  demo: " + "word " * 20
    code = "```\n" + "x" * 90 + "\n```"
    lines = reply_lines(f"Courses:\n{long_item}\n{code}", width=50)
    assert all(len(line) <= 50 for line in lines if "xxx" not in line)
    assert lines[2].startswith("         word"), "a wrapped list item stays under its text"
    assert lines[-1] == "           " + "x" * 90


@pytest.mark.parametrize(
    ("words", "change"),
    [
        ("timezone Europe/Paris", SettingsWords(timezone="Europe/Paris")),
        ("tz America/New York", SettingsWords(timezone="America/New York")),
        ("quiet 22:00-07:00", SettingsWords(quiet_hours="22:00-07:00")),
        ("quiet hours 22:00 to 07:00", SettingsWords(quiet_hours="22:00 07:00")),
        (
            "quiet_hours=21:30-08:00 pause_days=2",
            SettingsWords(quiet_hours="21:30-08:00", pause_days=2),
        ),
        ("pause 3 days", SettingsWords(pause_days=3)),
        ("pause off", SettingsWords(pause_days=0)),
        ("resume", SettingsWords(pause_days=0)),
        ("interests football, days out", SettingsWords(interests="football, days out")),
        ("interest none", SettingsWords(interests="none")),
        ("", SettingsWords()),
    ],
)
def test_settings_read_like_the_discord_options(words: str, change: SettingsWords) -> None:
    assert read_settings(words.split()) == change


@pytest.mark.parametrize("words", ["colour blue", "pause", "pause three", "pause 99999", "tz"])
def test_settings_the_console_cannot_read_say_how(words: str) -> None:
    with pytest.raises(ValueError, match="settings"):
        read_settings(words.split())


def test_a_long_list_of_interests_is_still_a_settings_word() -> None:
    word = console_word("settings interests football, cooking, jazz piano, hiking, board games")
    assert word is not None and word.settings.interests == (
        "football, cooking, jazz piano, hiking, board games"
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("export", "export"),
        ("/Export", "export"),
        ("  forget ", "forget"),
        ("settings tz UTC", "settings"),
        ("export my answers", None),
        ("Forget me", "forget"),
        ("delete my data.", "forget"),
        ("export my data", "export"),
        ("delete my data and 7/12", None),
        ("forget it, 7/12", None),
        ("settings are what I changed in week 4 with my direct report, before the review", None),
        ("7/12", None),
    ],
)
def test_only_the_words_alone_are_console_words(text: str, name: str | None) -> None:
    word = console_word(text)
    assert (word.name if word is not None else None) == name


def test_an_error_raised_while_stopping_for_ctrl_c_counts_as_the_interrupt() -> None:
    try:
        try:
            raise asyncio.CancelledError
        finally:
            raise ValueError("no active connection")  # a part that could not close
    except ValueError as error:
        assert _interrupted(error)
    assert not _interrupted(ValueError("a bug of its own"))


async def test_a_reader_that_fails_raises_in_the_session_instead_of_leaving_it_waiting() -> None:
    closed = io.StringIO("start demo\n")
    closed.close()
    reader = MessageReader(StreamLines(closed), Screen(io.StringIO(), interactive=False))
    try:
        with pytest.raises(ValueError, match="closed file"):
            await asyncio.wait_for(reader.read(), timeout=60)
    finally:
        reader.close()


async def test_lines_ending_in_a_backslash_are_one_message_and_the_end_sends_the_rest() -> None:
    text = "first \\\nsecond\nalone\nlast \\\n"
    reader = MessageReader(StreamLines(io.StringIO(text)), Screen(io.StringIO(), False))
    try:
        assert await reader.read() == "first \nsecond"
        assert await reader.read() == "alone"
        assert await reader.read() == "last "
        assert await reader.read() is None
    finally:
        reader.close()


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("coach followup sam", CoachWord("followup", client="sam")),
        ("coach send 3", CoachWord("send", exercise=3)),
        (
            "coach send #3 How did the talk go?",
            CoachWord("send", exercise=3, note="How did the talk go?"),
        ),
        ("coach discard 3", CoachWord("discard", exercise=3)),
        ("coach next sam in 7 days", CoachWord("next", client="sam", due="in 7 days")),
        (
            "coach reminders sam overdue pause after 2",
            CoachWord("reminders", client="sam", mode="overdue", pause_after=2),
        ),
        (
            "coach from demo-coaching ideal-client",
            CoachWord("from", course="demo-coaching", course_exercise="ideal-client"),
        ),
        ("coach csv", CoachWord("csv")),
        ("coach edit #2", CoachWord("edit", exercise=2)),
        ("coach discard 3 now please", None),
        ("coach reminders sam sometimes", None),
        ("coach send three", None),
    ],
)
def test_a_coachs_console_words(text: str, word: CoachWord | None) -> None:
    assert coach_word(text) == word
