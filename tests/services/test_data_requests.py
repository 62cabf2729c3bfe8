"""Asking in words for one's data to be deleted or exported, as a DM may say it."""

from __future__ import annotations

import pytest

from bot.services.data_requests import data_reply, data_request


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("delete my data", "forget"),
        ("Please delete my data.", "forget"),
        ("can you forget me please", "forget"),
        ("I'd like you to delete my account", "forget"),
        ("export my data", "export"),
        ("Download my data please", "export"),
        ("forget", None),  # one word may be an answer ("the opposite of remember")
        ("export", None),
        ("I forgot to delete my data before, now what is 7/12", None),
        ("delete my data " * 10, None),
    ],
)
def test_requests_in_words(text: str, asked: str | None) -> None:
    assert data_request(text) == asked


def test_each_platform_is_pointed_at_its_own_way() -> None:
    forget = data_reply("forget", "discord")
    assert [c.action for c in forget.choices] == ["forget-confirm"]
    assert "/export" in data_reply("export", "discord").text
    assert "/tutor export" in data_reply("export", "slack").text
    assert "`export`" in data_reply("export", "console").text
