"""How the tutor's words look in a terminal: a hanging indent, code as indented blocks."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from bot.services.coach_desk import ACCEPT_ACTION
from bot.services.coach_followups import DISCARD_ACTION, EDIT_ACTION, SEND_ACTION
from bot.services.coach_messages import START_ACTION
from bot.services.messages import Attachment, Choice, Reply

SPEAKER = "tutor: "
HANG = " " * len(SPEAKER)
CODE_INDENT = "    "
MIN_WIDTH = 30  # narrower than this, wrapping helps no one
# A Markdown fence: three or more backticks or tildes, then an optional info string
# without backticks (a line such as ```x``` is inline code, not a fence).
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})([^`]*)$")


def reply_lines(text: str, width: int | None = None) -> list[str]:
    """Lay out one text of the tutor: after `tutor: `, code blocks indented.

    With a `width` (a terminal's), prose is wrapped under its first word; code never is.
    """
    blocks = _blocks(text.rstrip("\n"))
    # code never starts on the speaker's line, so its indent shows
    body: list[str] = [""] if blocks and blocks[0][1] else []
    for line, code in blocks:
        if code:
            body.append(CODE_INDENT + line if line.strip() else "")
        elif width is not None and width - len(HANG) >= MIN_WIDTH:
            body += _wrapped(line, width - len(HANG))
        else:
            body.append(line)
    lines: list[str] = []
    for index, line in enumerate(body):
        prefix = SPEAKER if index == 0 else HANG
        lines.append((prefix + line).rstrip() if line.strip() or index == 0 else "")
    return lines


def note_line(text: str) -> str:
    """Lay out a line under a reply (a saved file, the choices), in line with its text."""
    return HANG + text


# A follow-up draft's buttons, as a coach types them at the console.
FOLLOWUP_WORDS = {
    SEND_ACTION: "coach send {}",
    EDIT_ACTION: "coach send {} <your text>",
    DISCARD_ACTION: "coach discard {}",
}


def choices_line(reply: Reply) -> str | None:
    """Show the reply's choices as the words a learner can type."""
    if not reply.choices:
        return None
    return note_line("[" + "] [".join(typed_word(c) for c in reply.choices) + "]")


def typed_word(choice: Choice) -> str:
    """What to type for a choice: its label, or the word a coaching button stands for."""
    kind, _colon, value = choice.action.partition(":")
    if kind == START_ACTION and value:
        return f"assignment {value}"
    if kind == ACCEPT_ACTION and value:
        return "yes"
    if kind in FOLLOWUP_WORDS and value:
        return FOLLOWUP_WORDS[kind].format(value)
    return choice.label


def _blocks(text: str) -> list[tuple[str, bool]]:
    """Split a text into its lines, each marked as code or not; fence lines are dropped."""
    lines: list[tuple[str, bool]] = []
    fence: str | None = None
    for line in text.split("\n"):
        match = _FENCE.match(line)
        if fence is None and match is not None:
            fence = match.group(1)
        elif fence is not None and match is not None and _closes(match, fence):
            fence = None
        else:
            lines.append((line, fence is not None))
    return lines


def _closes(match: re.Match[str], fence: str) -> bool:
    """Tell whether a fence line closes the open block: same mark, as long, no info string."""
    mark = match.group(1)
    return mark[0] == fence[0] and len(mark) >= len(fence) and not match.group(2).strip()


def _wrapped(line: str, width: int) -> list[str]:
    """Wrap one line of prose to a width, its continuation lines under its own indent."""
    if len(line) <= width:
        return [line]
    indent = line[: len(line) - len(line.lstrip())]
    wrapped = textwrap.wrap(
        line, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )
    return wrapped or [line]


def save_attachment(attachment: Attachment, files_dir: Path, user: str) -> Path:
    """Write an attachment to the files folder, named after the learner."""
    safe_user = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in user)[:40] or "user"
    files_dir.mkdir(parents=True, exist_ok=True)
    path = files_dir / f"{safe_user}-{Path(attachment.filename).name}"
    path.write_bytes(attachment.data)
    return path
