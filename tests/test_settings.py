"""Settings come from the environment; adapters name what they miss."""

from __future__ import annotations

import pytest

from bot.errors import SettingsError
from bot.settings import DEFAULT_DATABASE_URL, Settings


def test_defaults_need_no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "DISCORD_TOKEN", "SLACK_BOT_TOKEN", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.platform() == "console"


def test_a_token_selects_its_platform_and_is_kept_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "very-secret-token")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.platform() == "discord"
    assert "very-secret-token" not in repr(settings)


def test_missing_settings_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET"):
        settings.require("slack_bot_token", "slack_signing_secret")


def test_blank_values_from_a_copied_example_count_as_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "  ")
    monkeypatch.setenv("OPENAI_BASE_URL", "")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.platform() == "console"
    assert settings.openai_base_url is None


def test_env_example_lists_every_setting() -> None:
    from tests.conftest import ROOT

    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"\n{name.upper()}=" in example, name


def test_bad_values_are_named_in_one_plain_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.settings import load_settings

    monkeypatch.setenv("DEFAULT_TIMEZONE", "Mars/Olympus")
    monkeypatch.setenv("QUIET_HOURS_START", "late")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "DEFAULT_TIMEZONE" in str(caught.value) and "QUIET_HOURS_START" in str(caught.value)


def test_grading_time_limit_is_two_seconds_unless_set_within_a_minute(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.settings import load_settings

    monkeypatch.delenv("GRADING_TIME_LIMIT", raising=False)
    assert Settings(_env_file=None).grading_time_limit == 2.0  # type: ignore[call-arg]
    monkeypatch.setenv("GRADING_TIME_LIMIT", "0.5")
    assert Settings(_env_file=None).grading_time_limit == 0.5  # type: ignore[call-arg]
    for bad in ("0", "-1", "61", "soon"):
        monkeypatch.setenv("GRADING_TIME_LIMIT", bad)
        with pytest.raises(SettingsError, match="GRADING_TIME_LIMIT"):
            load_settings()


def test_log_level_is_a_known_level_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.settings import load_settings

    monkeypatch.setenv("LOG_LEVEL", "debug")
    assert Settings(_env_file=None).log_level == "DEBUG"  # type: ignore[call-arg]
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value) == (
        "invalid setting(s): LOG_LEVEL: use one of DEBUG, INFO, WARNING, ERROR, CRITICAL"
    )
