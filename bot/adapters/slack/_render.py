"""Render neutral replies the Slack way: mrkdwn sections, buttons, modals, no pings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.services.messages import Choice, Reply

Block = dict[str, Any]

ACTION_PREFIX = "tutor:"
SAY_PREFIX = "tutor:say:"  # a button that answers with its word, e.g. a lettered option
COURSE_SELECT = "tutor:course"
SETTINGS_MODAL = "tutor:settings-modal"
LONG_ANSWER_MODAL = "tutor:long-answer-modal"

SECTION_LIMIT = 3000  # characters of text in one section block
FALLBACK_LIMIT = 3000  # the notification text beside the blocks
BUTTON_LABEL_LIMIT = 75
BUTTONS_PER_BLOCK = 25
MAX_SECTIONS = 40  # a message holds 50 blocks; leave room for the buttons

_FENCE = re.compile(r"^```[\w+#.-]*[ \t]*$")
_OPTION = re.compile(r"^([a-z])\) \S")
_BUTTON_STYLES = {
    "consent": "primary",
    "start-review": "primary",
    "next": "primary",
    "forget-confirm": "danger",
}
FORGET_CONFIRM = {
    "title": {"type": "plain_text", "text": "Delete everything?"},
    "text": {
        "type": "plain_text",
        "text": "Your progress, answers and settings are deleted for good.",
    },
    "confirm": {"type": "plain_text", "text": "Delete"},
    "deny": {"type": "plain_text", "text": "Keep my data"},
    "style": "danger",
}


def escape(text: str) -> str:
    """Escape the three characters Slack reads as markup, so echoed text pings no one."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Turn a learner's Slack message back into what they typed."""
    text = re.sub(r"<(?:mailto:)?([^<>|]+)\|([^<>]*)>", r"\2", text)  # links with a label
    text = re.sub(r"<([^@#!<>][^<>]*)>", r"\1", text)  # bare links
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def to_mrkdwn(text: str) -> str:
    """Render the tutor's Markdown-like text as Slack mrkdwn.

    Slack shows fenced code blocks, but a language after the fence would show as text.
    """
    lines = [("```" if _FENCE.match(line.strip()) else line) for line in escape(text).split("\n")]
    return "\n".join(lines)


def split_sections(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split mrkdwn into pieces of at most `limit` characters, keeping code blocks closed."""
    room = limit - 8  # space to close a code block at a cut and open it again after
    lines = [
        line[i : i + room] for line in text.split("\n") for i in range(0, len(line) or 1, room)
    ]
    pieces: list[str] = []
    current: list[str] = []
    size, in_code = 0, False
    for line in lines:
        if current and size + len(line) + 1 > room:
            pieces.append("\n".join([*current, "```"] if in_code else current))
            current, size = (["```"], 4) if in_code else ([], 0)
        current.append(line)
        size += len(line) + 1
        if line == "```":
            in_code = not in_code
    pieces.append("\n".join(current))
    return [p for p in pieces if p.replace("```", "").strip()] or ["…"]


def lettered_options(text: str) -> list[str]:
    """Return the letters of the trailing a), b), c)… option lines of an exercise."""
    letters: list[str] = []
    for line in reversed(text.strip().split("\n")):
        match = _OPTION.match(line.strip())
        if match is None:
            break
        letters.append(match.group(1))
    letters.reverse()
    expected = [chr(ord("a") + i) for i in range(len(letters))]
    return letters if len(letters) >= 2 and letters == expected else []


def button(choice: Choice, *, confirm: bool = True) -> Block:
    """Build one button whose action id carries the choice's stable action."""
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": choice.label[:BUTTON_LABEL_LIMIT], "emoji": True},
        "action_id": f"{ACTION_PREFIX}{choice.action}"[:255],
        "value": choice.action[:2000],
    }
    style = _BUTTON_STYLES.get(choice.action)
    if style is not None:
        element["style"] = style
    if confirm and choice.action == "forget-confirm":
        element["confirm"] = FORGET_CONFIRM
    return element


def say_button(word: str) -> Block:
    """Build a button that answers with `word` (an option letter)."""
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": word},
        "action_id": f"{SAY_PREFIX}{word}",
        "value": word,
    }


def actions_block(elements: list[Block], block_id: str = "tutor-choices") -> list[Block]:
    """Put buttons into actions blocks of at most 25 each."""
    return [
        {"type": "actions", "block_id": f"{block_id}-{i}", "elements": elements[i : i + 25]}
        for i in range(0, len(elements), BUTTONS_PER_BLOCK)
    ]


@dataclass(frozen=True)
class SlackMessage:
    """One chat message: the notification text and the blocks shown."""

    text: str
    blocks: list[Block]


def reply_message(reply: Reply) -> SlackMessage:
    """Lay out one reply as a message: mrkdwn sections, then its buttons."""
    body = to_mrkdwn(reply.text)
    sections = split_sections(body)[:MAX_SECTIONS]
    blocks: list[Block] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": piece}} for piece in sections
    ]
    elements: list[Block] = []
    actions = {choice.action for choice in reply.choices}
    if "hint" in actions:  # an exercise waiting for an answer: its options become buttons
        elements += [say_button(letter) for letter in lettered_options(reply.text)]
    elements += [button(choice) for choice in reply.choices]
    blocks += actions_block(elements)
    return SlackMessage(_fallback(body), blocks)


def text_message(text: str, choices: tuple[Choice, ...] = ()) -> SlackMessage:
    """Lay out a short text (which may echo the learner), with optional buttons."""
    return reply_message(Reply(text, choices))


def _fallback(mrkdwn: str) -> str:
    """The notification text: the start of the message."""
    if len(mrkdwn) <= FALLBACK_LIMIT:
        return mrkdwn
    return mrkdwn[: FALLBACK_LIMIT - 1] + "…"


def plain(text: str, limit: int) -> Block:
    """A plain-text object, cut to `limit` characters."""
    return {"type": "plain_text", "text": text[:limit] or " "}


def course_picker() -> list[Block]:
    """A prompt with a course menu that searches as the learner types."""
    return [
        {
            "type": "section",
            "block_id": "tutor-course",
            "text": {"type": "mrkdwn", "text": "Which course would you like to work on?"},
            "accessory": {
                "type": "external_select",
                "action_id": COURSE_SELECT,
                "placeholder": plain("Search the courses", 150),
                "min_query_length": 0,
            },
        }
    ]


def course_options(courses: list[tuple[str, str]]) -> list[Block]:
    """The options of the course menu: at most 100, labels of at most 75 characters."""
    return [
        {"text": plain(f"{title} ({course_id})", 75), "value": course_id[:150]}
        for course_id, title in courses[:100]
    ]
