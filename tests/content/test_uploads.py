"""Uploaded courses are unpacked safely and checked by the one checker, with upload names."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.content.upload_archive import MAX_ENTRIES, unpack
from bot.content.uploads import UploadedFile, check_upload

DEMO = Path(__file__).resolve().parent.parent / "demo_courses" / "demo-reflection-path"
COURSE = (DEMO / "course.yaml").read_text(encoding="utf-8")
BROKEN = COURSE.replace("skill: follow-through", "skill: follow-thru")


def zipped(entries: dict[str, bytes], *, links: tuple[str, ...] = ()) -> bytes:
    """A zip of the given entries; names in `links` are stored as symbolic links."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in links:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def test_a_zipped_course_in_a_folder_is_checked_and_named_as_uploaded() -> None:
    upload = UploadedFile("course.zip", zipped({"demo/course.yaml": COURSE.encode()}))
    check = check_upload([upload])
    assert check.ok and not check.draft
    assert check.course is not None and check.course.id == "demo-reflection-path"
    assert check.files == {"course.yaml": COURSE}
    assert check.report().splitlines() == [
        "OK: 1 course(s), 2 skill(s), 2 exercise(s).",
        "  demo-reflection-path: 2 skills, 2 exercises",
    ]


def test_an_error_is_reported_as_file_and_line_exactly_as_the_cli_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FILES_DIR", str(tmp_path / "data" / "files"))  # its cache goes there
    extra = "exercises:\n  - id: extra\n    kind: reflection\n    skill: one\n    prompt: Hi?\n"
    check = check_upload(
        [
            UploadedFile("course.yaml", BROKEN.encode()),
            UploadedFile("more.yml", extra.encode()),
        ]
    )
    assert not check.ok and check.course is not None
    folder = tmp_path / "same"
    folder.mkdir()
    (folder / "course.yaml").write_text(BROKEN, encoding="utf-8")
    (folder / "more.yml").write_text(extra, encoding="utf-8")
    cli = CliRunner().invoke(app, ["content", "check", str(folder)])
    assert cli.exit_code == 1
    expected = [line.replace(f"{folder}/", "") for line in cli.output.splitlines()]
    assert check.report().splitlines() == expected
    assert "course.yaml:32: exercise 'after-the-talk': unknown skill 'follow-thru'" in expected
    assert "more.yml:2: missing field 'criteria'" in expected
    assert expected[-1] == "2 problem(s) found."


@pytest.mark.parametrize(
    "name", ["../evil.yaml", "/etc/evil.yaml", "demo/../../evil.yaml", "C:/evil.yaml"]
)
def test_a_path_outside_the_course_folder_is_refused(name: str) -> None:
    upload = UploadedFile("c.zip", zipped({"course.yaml": COURSE.encode(), name: b"x: 1"}))
    check = check_upload([upload])
    assert not check.ok
    assert "a path outside the course folder: refused" in check.report()
    assert list(check.files) == ["course.yaml"]  # checked too: every problem at once


def test_a_zip_bomb_is_refused_without_unpacking_it() -> None:
    bomb = zipped({"course.yaml": COURSE.encode(), "bomb.yaml": b"0" * 50_000_000})
    assert len(bomb) < 200_000
    check = check_upload([UploadedFile("c.zip", bomb)])
    assert "bomb.yaml:0: file is larger than 1 MB" in check.report()
    assert not check.ok


def test_many_small_files_that_add_up_are_refused() -> None:
    entries = {f"part{i}.yaml": b"#" * 900_000 for i in range(15)}
    check = check_upload(
        [UploadedFile("c.zip", zipped({"course.yaml": COURSE.encode(), **entries}))]
    )
    assert "the zip unpacks to more than 10,000,000 bytes" in check.report()
    assert not check.ok


def test_links_nested_archives_and_too_many_entries_are_refused() -> None:
    entries = {"course.yaml": COURSE.encode(), "link.yaml": b"/etc/passwd", "inner.zip": b"PK"}
    found = unpack([UploadedFile("c.zip", zipped(entries, links=("link.yaml",)))])
    messages = {str(p.path): p.message for p in found.problems}
    assert messages["link.yaml"] == "a symbolic link: upload the file itself"
    assert messages["inner.zip"].startswith("an archive inside the zip")
    crowd = {f"e{i}.yaml": b"" for i in range(MAX_ENTRIES + 1)}
    assert "at most 200" in check_upload([UploadedFile("c.zip", zipped(crowd))]).report()


def test_hidden_files_and_other_files_are_left_out() -> None:
    entries = {
        "course.yaml": COURSE.encode(),
        "__MACOSX/._course.yaml": b"\x00\x01",
        ".hidden.yaml": b"\xff",
        "notes.md": b"# notes",
    }
    found = unpack([UploadedFile("c.zip", zipped(entries))])
    assert list(found.files) == ["course.yaml"] and found.problems == []
    assert found.ignored == ["notes.md"]


def test_a_file_that_is_not_utf8_gets_its_own_line() -> None:
    latin = COURSE.replace("Demo reflection path", "Démo").encode("latin-1")
    check = check_upload([UploadedFile("course.yaml", latin)])
    assert check.report().splitlines()[0].startswith("course.yaml:1: cannot read file: not UTF-8")
    assert not check.ok


def test_what_is_not_one_course_is_refused_in_words() -> None:
    def report(*files: UploadedFile) -> str:
        return check_upload(list(files)).report()

    assert "no course.yaml in the upload" in report(UploadedFile("more.yaml", b"exercises: []"))
    assert "not a readable zip file" in report(UploadedFile("c.zip", b"not a zip"))
    assert "upload one zip on its own" in report(
        UploadedFile("c.zip", zipped({})), UploadedFile("course.yaml", b"")
    )
    assert "not a course file" in report(
        UploadedFile("course.yaml", b""), UploadedFile("photo.png", b"")
    )
    two = zipped({"a/course.yaml": COURSE.encode(), "b/course.yaml": COURSE.encode()})
    assert "upload one course at a time: course.yaml in a/, b/" in report(
        UploadedFile("c.zip", two)
    )
    assert "the upload is" in report(UploadedFile("big.yaml", b"#" * 6_000_000))


def test_a_worksheet_upload_comes_back_as_a_checked_draft() -> None:
    sheet = b"## Plans\n1. Who will you ask for feedback?\n2. What is 2 + 3? Answer: 5\n"
    check = check_upload([UploadedFile("My plan.md", sheet)])
    assert check.draft and check.ok
    assert check.course is not None and check.course.id == "my-plan"
    assert set(check.files) == {"course.yaml", "01-plans.yaml"}
    refused = check_upload([UploadedFile("sheet.docx", b"PK")])
    assert refused.draft and not refused.ok
    assert "sheet.docx:0: DOCX is not supported: convert" in refused.report()
