"""Typed settings from the environment and `.env`; secrets have no defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import SettingsError

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/tutor.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Settings(BaseSettings):
    """Every setting of the bot; see `.env.example` for what each one does."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    content_dir: Path = Path("content")
    files_dir: Path = Path("data/files")
    log_level: str = "INFO"
    default_timezone: str = "UTC"

    discord_token: SecretStr | None = None
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_mode: Literal["http", "socket"] | None = None  # None: socket with an app token
    slack_host: str = "0.0.0.0"  # HTTP mode: the address and port Slack's requests reach
    slack_port: int = Field(3000, ge=0, le=65535)
    slack_api_base_url: str | None = None  # only for a proxy or tests

    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    llm_timeout_seconds: float = Field(5.0, gt=0, le=120.0)
    llm_max_retries: int = Field(2, ge=0, le=10)
    llm_learner_daily_tokens: int = Field(0, ge=0)
    llm_course_monthly_tokens: int = Field(0, ge=0)
    grading_time_limit: float = Field(2.0, gt=0, le=60.0)

    mastery_threshold: float = Field(0.95, gt=0.5, lt=1.0)
    fit_weekly: bool = False  # fit the learning model to this deployment's logs every week
    fit_memory: bool = False  # and optimise each course's FSRS weights (opt-in)
    # Days of graded attempts kept (and read by the fit); older ones are deleted daily.
    attempts_keep_days: int = Field(365, ge=0, le=36_500)  # 0: keep them forever
    daily_review_prompts: int = Field(3, ge=0, le=50)
    sweep_seconds: float = Field(60.0, ge=0.2, le=3600.0)
    outbox_lease_seconds: float = Field(60.0, ge=1.0, le=3600.0)
    discord_api_base_url: str | None = None
    discord_gateway_url: str | None = None
    # Ask Discord for the privileged Server Members intent, so that a cohort's join role
    # works; off by default: Discord refuses the connection unless the Developer Portal
    # allows the intent for this bot.
    discord_members_intent: bool = False
    quiet_hours_start: str = "21:00"
    quiet_hours_end: str = "08:00"
    # The pointer to real help in the reply to a message that may need a human ("" keeps
    # the built-in one); coaching's reminders: hours before the due date, then overdue.
    safety_pointer: str = ""
    coach_reminder_hours_before: float = Field(24.0, ge=0, le=24 * 14)
    coach_overdue_after_hours: float = Field(12.0, ge=0, le=24 * 14)
    coach_overdue_every_hours: float = Field(48.0, ge=1, le=24 * 30)
    # Cohorts: the local hour (in the cohort's zone) of each week's channel post, on the
    # week's first day; and how many nudges an idle member gets in a whole membership.
    cohort_post_hour: int = Field(9, ge=0, le=23)
    cohort_nudge_cap: int = Field(2, ge=0, le=10)

    @field_validator(
        "discord_token",
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "openai_api_key",
        "openai_base_url",
        "discord_api_base_url",
        "discord_gateway_url",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        """Treat an empty value (as in a copied .env.example) as not set."""
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("slack_mode", "slack_api_base_url", mode="before")
    @classmethod
    def _blank_slack_setting(cls, value: Any, info: ValidationInfo) -> Any:
        """Treat an empty Slack setting as not set; accept the mode in any case."""
        if not isinstance(value, str):
            return value
        value = value.strip()
        return (value.lower() if info.field_name == "slack_mode" else value) or None

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        """Accept the standard level names, in any case."""
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError("use one of " + ", ".join(LOG_LEVELS))
        return level

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        """Accept only time zones this machine knows (IANA names such as Europe/Paris)."""
        from bot.services.account import SettingsInputError, parse_timezone

        try:
            return parse_timezone(value)
        except SettingsInputError as exc:
            raise ValueError(str(exc)) from exc

    @field_validator("quiet_hours_start", "quiet_hours_end")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        """Accept HH:MM."""
        from bot.services.account import SettingsInputError, parse_quiet_hours

        try:
            return parse_quiet_hours(f"{value}-{value}")[0]
        except SettingsInputError as exc:
            raise ValueError("use HH:MM, for example 21:00") from exc

    def platform(self) -> str:
        """Name the adapter `tutor run` starts: discord, slack or console."""
        if self.discord_token is not None:
            return "discord"
        if self.slack_bot_token is not None:
            return "slack"
        return "console"

    def llm_configured(self) -> bool:
        """Tell whether a language model is configured (an endpoint, a key, or both)."""
        return self.openai_base_url is not None or self.openai_api_key is not None

    def require(self, *names: str) -> None:
        """Fail with a plain message naming each required setting that is missing."""
        missing = [name.upper() for name in names if getattr(self, name) in (None, "")]
        if missing:
            raise SettingsError(
                "missing setting(s): " + ", ".join(missing) + " (set them in the environment "
                "or in .env; see .env.example)"
            )


def load_settings() -> Settings:
    """Read settings from the environment and `.env`; a bad value is a plain SettingsError."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']).upper()}: "
            + error["msg"].removeprefix("Value error, ")
            for error in exc.errors()
        )
        raise SettingsError(f"invalid setting(s): {problems}") from exc
