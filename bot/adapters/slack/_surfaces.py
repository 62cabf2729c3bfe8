"""App Home and the two forms (settings, long answer) as Block Kit views."""

from __future__ import annotations

from typing import Any

from bot.adapters.slack._render import (
    LONG_ANSWER_MODAL,
    SETTINGS_MODAL,
    Block,
    actions_block,
    button,
    escape,
    plain,
)
from bot.services.messages import Choice, choices_for
from bot.services.privacy import CONSENT_CHOICE, CONSENT_TEXT
from bot.services.progress_text import SkillProgress, whole_percent
from bot.services.standing import LearnerSettings, Standing

HOME_SKILLS = 40  # a home view holds 100 blocks
_STATUS = {
    "mastered": "✅ mastered",
    "proficient": "🟢 proficient",
    "learning": "🟡 learning",
    "locked": "🔒 locked",
}
CONTINUE = Choice("next", "Continue")
NEXT_EXERCISE = Choice("next", "Next exercise")
CHANGE_SETTINGS = Choice("settings", "Change settings")
EXPORT = Choice("export", "Export my data")
FORGET = Choice("forget-confirm", "Delete my data")


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def home_view(state: Standing) -> dict[str, Any]:
    """The learner's App Home: progress, reviews due, the open exercise, settings."""
    blocks: list[Block] = [{"type": "header", "text": plain("Socratic Tutor", 150)}]
    if not state.consented:
        blocks += [
            _section(escape(CONSENT_TEXT)),
            *actions_block([button(CONSENT_CHOICE)], "tutor-consent"),
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": "Nothing is stored until you agree."}],
            },
        ]
        return {"type": "home", "blocks": blocks}
    blocks += _course_blocks(state)
    blocks.append({"type": "divider"})
    if state.open_exercise is not None:
        blocks.append(_section(f"*Open exercise:* {escape(state.open_exercise)}"))
        blocks += actions_block([button(CONTINUE)], "tutor-continue")
    elif state.course_title is not None:
        blocks.append(_section("No exercise is open."))
        blocks += actions_block([button(NEXT_EXERCISE)], "tutor-continue")
    blocks.append({"type": "divider"})
    if state.settings is not None:
        blocks.append(_section(f"*Settings:* {escape(state.settings.summary)}"))
    blocks += actions_block(
        [button(CHANGE_SETTINGS), button(EXPORT), button(FORGET)], "tutor-account"
    )
    return {"type": "home", "blocks": blocks}


def _course_blocks(state: Standing) -> list[Block]:
    """The course's skills with their standing, and the reviews due."""
    if state.course_title is None:
        return [_section("You haven't started a course yet: type `/tutor learn` to pick one.")]
    mastered = sum(1 for s in state.skills if s.status == "mastered")
    goal = whole_percent(state.threshold)
    blocks = [
        _section(
            f"*{escape(state.course_title)}* · {mastered} of {len(state.skills)} skills "
            f"mastered (goal {goal}%)"
        )
    ]
    shown = state.skills[:HOME_SKILLS]
    lines = [_skill_line(skill) for skill in shown]
    for start in range(0, len(lines), 10):  # ten skills a section keeps each under the limit
        blocks.append(_section("\n".join(lines[start : start + 10])))
    if len(state.skills) > len(shown):
        blocks.append(_section(f"…and {len(state.skills) - len(shown)} more skills."))
    due = state.reviews_due
    if due:
        blocks.append(_section(f"*{due} review{'s' if due != 1 else ''} due.*"))
        blocks += actions_block(list(map(button, choices_for(("start-review",)))), "tutor-review")
    else:
        blocks.append(_section("No reviews due."))
    blocks += actions_block([button(Choice("progress", "Progress chart"))], "tutor-progress")
    return blocks


def _skill_line(skill: SkillProgress) -> str:
    """One skill: its standing, the estimate, reviews due."""
    due = f" · {skill.due_reviews} due" if skill.due_reviews else ""
    status = _STATUS.get(skill.status, skill.status)
    return f"{status} · *{escape(skill.title[:80])}* · {whole_percent(skill.p_known)}%{due}"


def settings_modal(settings: LearnerSettings, metadata: str) -> dict[str, Any]:
    """The settings form, filled with the learner's current values."""
    paused = settings.paused_until is not None
    return {
        "type": "modal",
        "callback_id": SETTINGS_MODAL,
        "private_metadata": metadata,
        "title": plain("Your settings", 24),
        "submit": plain("Save", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            input_block(
                "timezone",
                "Time zone",
                {"type": "plain_text_input", "initial_value": settings.timezone},
                "An IANA name such as Europe/Paris or America/New_York.",
            ),
            input_block(
                "quiet",
                "Quiet hours",
                {"type": "plain_text_input", "initial_value": settings.quiet_hours},
                "No review prompts between these times, e.g. 21:00-08:00 (your time).",
            ),
            input_block(
                "pause",
                "Pause review prompts for (days)",
                {
                    "type": "number_input",
                    "is_decimal_allowed": False,
                    "min_value": "0",
                    "max_value": "365",
                    **({} if paused else {"initial_value": "0"}),
                },
                "0 keeps them on (or turns them back on).",
                optional=True,
            ),
            input_block(
                "interests",
                "Interests",
                {
                    "type": "plain_text_input",
                    "max_length": 200,
                    **({"initial_value": settings.interests} if settings.interests else {}),
                },
                "What you care about, comma-separated (e.g. football, cooking): "
                "where I can, I set problems in them.",
                optional=True,
            ),
        ],
    }


def long_answer_modal(metadata: str) -> dict[str, Any]:
    """A form for an answer too long or too many lines for a chat message."""
    return {
        "type": "modal",
        "callback_id": LONG_ANSWER_MODAL,
        "private_metadata": metadata,
        "title": plain("Your answer", 24),
        "submit": plain("Send", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            input_block(
                "answer",
                "Your answer",
                {"type": "plain_text_input", "multiline": True, "max_length": 3000},
            )
        ],
    }


def input_block(
    block_id: str, label: str, element: Block, hint: str = "", *, optional: bool = False
) -> Block:
    """An input block whose action id is its block id."""
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": {**element, "action_id": block_id},
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def submitted(values: dict[str, Any], block_id: str) -> str | None:
    """Read one field of a submitted form (None when left empty)."""
    field = values.get(block_id, {}).get(block_id, {})
    value = field.get("value")
    return value if isinstance(value, str) and value.strip() else None
