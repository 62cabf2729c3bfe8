"""Turn a worksheet (Markdown or plain text) into a draft course: questions become exercises.

A heading becomes a skill, each needing the one before it; a numbered, bulleted or
question-mark line becomes an exercise. A question with a short answer given ("Answer:
42") becomes a problem; any other becomes a reflection with criteria guessed from how it
is asked. The draft is course files as text, for the creator to review and check: nothing
here reads or writes a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.content.upload_draft import DraftCourse, draft_course, slug

__all__ = [
    "WORKSHEET_SUFFIXES",
    "DraftCourse",
    "Question",
    "Section",
    "Worksheet",
    "WorksheetError",
    "draft_course",
    "import_worksheet",
    "parse_worksheet",
    "slug",
    "title_from_filename",
    "unnumbered",
    "worksheet_text",
]

MAX_QUESTIONS = 500
MAX_TITLE_CHARS = 100
MAX_DESCRIPTION_CHARS = 4000
# Numbering and bullets: "- ", "1.", "2)", "Q3:", "(4)", "a)", "- [ ]" (a task box).
_BULLET = re.compile(
    r"^\s*(?:[-*•·+]|\(?\d{1,2}[.):]|q\d{1,2}[.):]?|[a-j][.)]|\[[ xX]?\])\s*", re.I
)
_NUMBERED = re.compile(r"^\s*(?:[-*•·+]\s|\(?\d{1,2}[.):]\s*|q\d{1,2}[.):]?\s)", re.I)
_OPTION = re.compile(r"^\s*\(?([a-h])[.)]\s+(\S.*)$", re.I)
_ATX = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s*(?:=+|-{3,})\s*$")
_PLAIN_HEADING = re.compile(
    r"^(?:part|section|unit|chapter|topic|lesson|week|module)\b[^?]{0,80}$", re.I
)
_BOLD_LINE = re.compile(r"^(?:\*\*|__)([^*_]{1,100})(?:\*\*|__):?$")
_ANSWER_LINE = re.compile(r"^[*_]*(?:(?:answers?|ans)[*_]*\s*[:=]|a[*_]*\s*:)[*_]*\s*(.*)$", re.I)
_INLINE_ANSWER = re.compile(r"\s*[(\[]?\b(?:answer|ans)\s*[:=]\s*([^()\[\]]+?)[)\]]?\s*$", re.I)
_BLANK_SPACE = re.compile(r"^[\s_.…-]*$")
_TASK = re.compile(
    r"^(?:explain|describe|write|list|name|give|show|calculate|solve|compute|find|simplify|"
    r"evaluate|compare|define|justify|prove|state|estimate|convert|reflect|think|plan)\b",
    re.I,
)


WORKSHEET_SUFFIXES = (".md", ".markdown", ".txt", ".text")
# Formats no library in the lock reads well: the creator converts them first.
_CONVERT_FIRST = (".pdf", ".docx", ".doc", ".odt", ".rtf", ".pages", ".xlsx", ".pptx")


class WorksheetError(ValueError):
    """A worksheet that cannot become a course; the message says why, in plain words."""


def worksheet_text(data: bytes, filename: str) -> str:
    """The text of a worksheet file (Markdown or plain text, UTF-8)."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix in _CONVERT_FIRST:
        raise WorksheetError(
            f"{suffix[1:].upper()} is not supported: convert the worksheet to "
            "plain text or Markdown (save as .txt or .md) and import that."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WorksheetError(
            f"not UTF-8 text (byte {exc.start}): save it as UTF-8 text or Markdown."
        ) from exc


@dataclass
class Question:
    """One question as the worksheet wrote it, with its answer and options if any."""

    text: str
    line: int
    answer: str | None = None
    choices: list[str] = field(default_factory=list)


@dataclass
class Section:
    """The questions under one heading."""

    title: str
    questions: list[Question] = field(default_factory=list)


@dataclass(frozen=True)
class Worksheet:
    """A parsed worksheet: its title, description and sections in order."""

    title: str
    description: str
    sections: tuple[Section, ...]


def unnumbered(line: str) -> str:
    """A worksheet line without its bullet and numbering ("- Q2) Who?" is "Who?")."""
    for _ in range(3):
        shorter = _BULLET.sub("", line, count=1)
        if shorter == line:
            break
        line = shorter
    return line.strip()


def title_from_filename(filename: str) -> str:
    """A course title from a file's name: "week-2_fractions.md" is "Week 2 fractions"."""
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    words = " ".join(re.split(r"[-_\s]+", stem)).strip()
    return words[:1].upper() + words[1:]


def import_worksheet(
    text: str, title: str = "", course_id: str = "", default_title: str = ""
) -> DraftCourse:
    """Parse a worksheet and build its draft course in one step."""
    return draft_course(parse_worksheet(text, title, default_title), course_id)


def parse_worksheet(text: str, title: str = "", default_title: str = "") -> Worksheet:
    """Read headings, questions, answers and options from a worksheet's text.

    The title is `title` if given, else the worksheet's first heading (before any
    question), else `default_title` (such as the file's name).
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    reader = _Reader()
    for index, raw in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        reader.read(raw, index + 1, following)
    reader.flush()
    sections = tuple(s for s in reader.sections if s.questions)
    if not sections:
        raise WorksheetError(
            "I found no questions: put each on its own line, numbered (1.), bulleted (-) "
            "or ending with a question mark."
        )
    count = sum(len(s.questions) for s in sections)
    if count > MAX_QUESTIONS:
        raise WorksheetError(f"The worksheet has {count} questions; split it (at most 500).")
    sheet_title = title.strip() or reader.title or default_title.strip() or "Worksheet"
    sheet_title = sheet_title[:MAX_TITLE_CHARS]
    description = " ".join(reader.description)[:MAX_DESCRIPTION_CHARS]
    return Worksheet(sheet_title, description, sections)


class _Reader:
    """The state of one pass over a worksheet's lines."""

    def __init__(self) -> None:
        self.title = ""
        self.description: list[str] = []
        self.sections: list[Section] = [Section("")]
        self.pending: Question | None = None
        self.after_blank = False
        self.skip_next = False
        self.in_fence = False

    def read(self, raw: str, number: int, following: str) -> None:
        """Read one line: a heading, an answer, an option, a question or its continuation."""
        stripped = raw.strip()
        if self.skip_next:  # the underline of a setext heading
            self.skip_next = False
            return
        if stripped.startswith(("```", "~~~")) or self.in_fence:
            # Code belongs to the question it follows, whatever it looks like ("# x").
            self.in_fence = self.in_fence != stripped.startswith(("```", "~~~"))
            if self.pending is not None:
                self.pending.text = f"{self.pending.text}\n{raw.rstrip()}"
            return
        if not stripped or _BLANK_SPACE.match(stripped):
            self.after_blank = self.after_blank or not stripped
            return
        heading = self._heading(stripped, following)
        if heading is not None:
            self.flush()
            self._start_section(_plain(heading[0]), may_be_title=heading[1])
        elif (answer := _ANSWER_LINE.match(stripped)) is not None and self._last() is not None:
            self._set_answer(answer[1])
        elif (option := _OPTION.match(stripped)) and self._takes_options(option[2]):
            assert self.pending is not None
            self.pending.choices.append(option[2].strip())
        elif _NUMBERED.match(raw) or stripped.endswith("?") or _TASK.match(stripped):
            self.flush()
            self.pending = Question(unnumbered(stripped), number)
            self._split_inline_answer()
        elif self.pending is not None and not self.after_blank and not self.pending.choices:
            self.pending.text = f"{self.pending.text}\n{stripped}"
            self._split_inline_answer()
        elif self.pending is None and not any(s.questions for s in self.sections):
            self.description.append(_plain(stripped))
        self.after_blank = False

    def flush(self) -> None:
        """File the question being read under the current section."""
        if self.pending is not None and self.pending.text.strip():
            self.sections[-1].questions.append(self.pending)
        self.pending = None

    def _heading(self, stripped: str, following: str) -> tuple[str, bool] | None:
        """The words of a heading (Markdown, underlined, bold or "Part 2:"), and whether it
        is of the first level (only such a heading may be the worksheet's title)."""
        if (atx := _ATX.match(stripped)) is not None:
            return atx[2], len(atx[1]) == 1
        underlined = following.strip() and _SETEXT.match(following)
        if underlined and not _NUMBERED.match(stripped) and not stripped.endswith("?"):
            self.skip_next = True
            return stripped, following.strip().startswith("=")
        if (bold := _BOLD_LINE.match(stripped)) is not None:
            return bold[1], False
        if _PLAIN_HEADING.match(stripped) and not stripped.endswith("."):
            return stripped.rstrip(":"), False
        return None

    def _start_section(self, heading: str, may_be_title: bool) -> None:
        """Open a section; a first-level heading before anything else is the title."""
        nothing_yet = not any(s.questions for s in self.sections) and not self.description
        if not self.title and may_be_title and nothing_yet and not self.sections[-1].title:
            self.title = heading
            return
        if not self.sections[-1].questions:
            self.sections[-1].title = heading
        else:
            self.sections.append(Section(heading))

    def _last(self) -> Question | None:
        """The question an answer line belongs to: the one being read, or the last filed."""
        if self.pending is not None:
            return self.pending
        return self.sections[-1].questions[-1] if self.sections[-1].questions else None

    def _set_answer(self, text: str) -> None:
        """Keep an answer unless it is only a space to write in."""
        question = self._last()
        answer = _plain(text)
        if question is not None and answer and not _BLANK_SPACE.match(answer):
            question.answer = answer

    def _takes_options(self, text: str) -> bool:
        """Tell whether a lettered line is an option of the question being read."""
        return self.pending is not None and not text.rstrip().endswith("?")

    def _split_inline_answer(self) -> None:
        """Move "(Answer: 42)" from the end of a question into its answer."""
        assert self.pending is not None
        found = _INLINE_ANSWER.search(self.pending.text)
        if found is not None and found.start() > 0:
            self.pending.text = self.pending.text[: found.start()].rstrip()
            self._set_answer(found[1])


def _plain(text: str) -> str:
    """Heading or answer words without Markdown emphasis or code marks."""
    return re.sub(r"[*_`]{1,3}([^*_`]+)[*_`]{1,3}", r"\1", text).strip(" *_`#:").strip()
