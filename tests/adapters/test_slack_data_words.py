"""On Slack, "delete my data" typed in the DM asks with the button `/tutor forget` gives."""

from __future__ import annotations

from bot.store.db import Database
from tests.adapters.slack_harness import USER, SlackHarness
from tests.adapters.test_slack_app import (  # noqa: F401 (fixtures used by name)
    agreed,
    demo_tutor,
    fake,
    slack,
    users,
)


async def test_delete_my_data_in_the_dm_asks_then_deletes_on_the_click(
    slack: SlackHarness,  # noqa: F811
    database: Database,
) -> None:
    await agreed(slack)
    (asked,) = await slack.reply("delete my data")
    assert "Are you sure?" in asked.text and asked.buttons == ["tutor:forget-confirm"]
    assert len(await users(database)) == 1, "nothing is deleted before the click"
    (exported,) = await slack.reply("export my data")
    assert "/tutor export" in exported.text
    await slack.click(asked, "tutor:forget-confirm")
    await slack.fake.wait_until(lambda: any("deleted" in m.text for m in slack.fake.dm(USER)))
    assert await users(database) == []
