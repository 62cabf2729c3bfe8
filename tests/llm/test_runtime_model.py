"""The composition root turns the model on when the settings name one, and only then."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.llm.tutor_judge import TutorJudge
from bot.llm.wording import ModelWording
from bot.runtime import open_root
from bot.services.messages import Incoming
from bot.store import usage as usage_store
from tests.conftest import ROOT
from tests.fakes.fake_openai import FakeOpenAI
from tests.llm.conftest import settings_for

DEMO = ROOT / "tests" / "demo_courses"


async def test_a_configured_model_words_the_tutors_turns(tmp_path: Path, fake: FakeOpenAI) -> None:
    settings = settings_for(
        fake,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
        discord_token=None,
        slack_bot_token=None,
        llm_learner_daily_tokens=1_000_000,
    )
    async with open_root(settings, DEMO) as root:
        assert root.model is not None
        assert isinstance(root.tutor.turns.wording, ModelWording)
        assert isinstance(root.tutor.turns.judges.judge, TutorJudge)
        assert root.tutor.turns.judges.timeout > settings.llm_timeout_seconds
        await root.tutor.handle(Incoming("console", "ada", "start demo"))
        replies = await root.tutor.handle(Incoming("console", "ada", "hint"))
        assert "thirds and quarters" in replies[0].text
        assert fake.chat_requests("word")
        assert root.model.counters.get("word", "ok") >= 1
        await root.model.usage.flush()
        since = root.tutor.clock() - timedelta(hours=1)
        spent = await root.database.run(usage_store.tokens_by_kind, since)
        assert spent["word"][0] > 0  # the calls' tokens are recorded


async def test_without_model_settings_the_tutor_stays_offline(tmp_path: Path) -> None:
    from bot.settings import Settings

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
        openai_api_key=None,
        openai_base_url=None,
        discord_token=None,
        slack_bot_token=None,
    )
    async with open_root(settings, DEMO) as root:
        assert root.model is None
        assert root.tutor.turns.offline
        assert not root.tutor.turns.judges.active


async def test_a_configured_model_retells_problems_in_the_learners_interest(
    tmp_path: Path,
) -> None:
    from bot.services.account import SettingsChange
    from bot.services.messages import Person
    from tests.fakes.fake_openai import FaithfulModel

    retold = (
        "A striker runs 1/3 of the pitch, then 1/4 of it more. What part of the pitch is "
        "that? Give a fraction."
    )
    async with FakeOpenAI(FaithfulModel({"reframe": {"text": retold}})) as fake:
        settings = settings_for(
            fake,
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
            discord_token=None,
            slack_bot_token=None,
            llm_learner_daily_tokens=1_000_000,
        )
        async with open_root(settings, DEMO) as root:
            ada = Person("console", "ada", "Ada")
            await root.tutor.consent(ada.says(""))
            await root.tutor.change_settings(ada, SettingsChange(interests="football"))
            replies = await root.tutor.handle(ada.says("start demo"))
            assert replies[-1].text.endswith(retold)
            sent = fake.chat_requests("reframe")
            assert [r.block("interest") for r in sent] == ["football"]
            assert "ada" not in sent[0].text.lower()  # no platform ids or names go out
            assert root.model is not None
            await root.model.usage.flush()
            since = root.tutor.clock() - timedelta(hours=1)
            spent = await root.database.run(usage_store.tokens_by_kind, since)
            assert spent["reframe"][0] > 0
