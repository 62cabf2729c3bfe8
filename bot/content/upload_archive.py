"""Unpack uploaded course files in memory, refusing what a course never needs.

An upload is a zip, or loose YAML files. Every entry's name is checked before anything is
read (no absolute path, no `..`, no link, no encrypted or nested archive), and each read
stops at the caps: a file at `MAX_FILE_BYTES`, the whole upload at `MAX_UNPACKED_BYTES`,
so a zip bomb costs at most that much work. Nothing touches the disk here.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from bot.content.files import MAX_FILE_BYTES
from bot.errors import ContentProblem

__all__ = [
    "MAX_ENTRIES",
    "MAX_UNPACKED_BYTES",
    "MAX_UPLOAD_BYTES",
    "Unpacked",
    "UploadedFile",
    "unpack",
]

MAX_UPLOAD_BYTES = 5_000_000  # what the platform hands over, all files together
MAX_UNPACKED_BYTES = 10_000_000  # what the course's files may add up to, unpacked
MAX_ENTRIES = 200
MAX_NAME_CHARS = 255
YAML_SUFFIXES = (".yaml", ".yml")
_ARCHIVES = (".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DRIVE = re.compile(r"^[a-z]:", re.I)


@dataclass(frozen=True)
class UploadedFile:
    """One file as a person uploaded it: its name on their machine and its bytes."""

    filename: str
    data: bytes


@dataclass
class Unpacked:
    """The YAML files of an upload by their safe relative name, and what was refused."""

    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[ContentProblem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def refuse(self, name: str, message: str) -> None:
        """Note a problem with one file of the upload (line 0: the file as a whole)."""
        self.problems.append(ContentProblem(Path(name or "upload"), 0, message))


def unpack(uploads: Sequence[UploadedFile]) -> Unpacked:
    """Take a zip or loose YAML files apart into checked names and bytes."""
    found = Unpacked()
    total = sum(len(u.data) for u in uploads)
    if total > MAX_UPLOAD_BYTES:
        found.refuse("upload", f"the upload is {total:,} bytes; at most {MAX_UPLOAD_BYTES:,}")
        return found
    if len(uploads) > MAX_ENTRIES:
        found.refuse("upload", f"{len(uploads)} files; at most {MAX_ENTRIES}")
        return found
    archives = [u for u in uploads if u.filename.lower().endswith(".zip")]
    if archives and len(uploads) > 1:
        found.refuse("upload", "upload one zip on its own, or the YAML files without a zip")
        return found
    if archives:
        _unzip(archives[0], found)
        return found
    for upload in uploads:
        name = _base_name(upload.filename)
        if not name.lower().endswith(YAML_SUFFIXES):
            found.refuse(name, "not a course file: upload .yaml/.yml files, or one .zip")
        elif name in found.files:
            found.refuse(name, "two uploaded files have this name")
        elif len(upload.data) > MAX_FILE_BYTES:
            found.refuse(name, f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB")
        else:
            found.files[name] = upload.data
    return found


def _unzip(upload: UploadedFile, found: Unpacked) -> None:
    """Read a zip's YAML entries, checking each name and capping every read."""
    label = _base_name(upload.filename)
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload.data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        found.refuse(label, f"not a readable zip file ({exc})")
        return
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            found.refuse(label, f"the zip holds {len(entries)} entries; at most {MAX_ENTRIES}")
            return
        budget = MAX_UNPACKED_BYTES
        for info in entries:
            name = _entry_name(info, found)
            if name is None:
                continue
            if info.file_size > MAX_FILE_BYTES:
                found.refuse(name, f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB")
                continue
            cap = min(MAX_FILE_BYTES, budget)
            data = _read_capped(archive, info, name, cap, found)
            if data is None:
                continue
            if len(data) > cap and cap < MAX_FILE_BYTES:
                found.refuse(label, f"the zip unpacks to more than {MAX_UNPACKED_BYTES:,} bytes")
                return
            if len(data) > cap:
                found.refuse(name, f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB")
                continue
            budget -= len(data)
            found.files[name] = data


def _entry_name(info: zipfile.ZipInfo, found: Unpacked) -> str | None:
    """The safe relative name of a YAML entry, or None (refused, or not read at all)."""
    raw = info.filename.replace("\\", "/")
    if info.is_dir() or raw.endswith("/"):
        return None
    parts = [p for p in raw.split("/") if p not in ("", ".")]
    shown = "/".join(parts) or raw
    if raw.startswith("/") or _DRIVE.match(raw) or ".." in parts:
        found.refuse(shown, "a path outside the course folder: refused")
        return None
    if _CONTROL.search(raw) or len(raw) > MAX_NAME_CHARS:
        found.refuse(_CONTROL.sub("?", shown)[:MAX_NAME_CHARS], "a file name that is not plain")
        return None
    if any(p.startswith(".") or p == "__MACOSX" for p in parts):
        return None  # hidden files and the folders macOS adds to a zip
    name = "/".join(parts)
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        found.refuse(name, "a symbolic link: upload the file itself")
        return None
    if info.flag_bits & 0x1:
        found.refuse(name, "an encrypted file: upload it without a password")
        return None
    if name.lower().endswith(_ARCHIVES):
        found.refuse(name, "an archive inside the zip: put its files in the zip itself")
        return None
    if not name.lower().endswith(YAML_SUFFIXES):
        found.ignored.append(name)
        return None
    if name in found.files:
        found.refuse(name, "the zip holds this file twice")
        return None
    return name


def _read_capped(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, cap: int, found: Unpacked
) -> bytes | None:
    """Read one entry, never more than `cap` + 1 bytes whatever its header claims."""
    try:
        with archive.open(info) as stream:
            return stream.read(cap + 1)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError) as exc:
        found.refuse(name, f"cannot unpack this file ({exc})")
        return None
    except EOFError:
        found.refuse(name, "cannot unpack this file (it is cut short)")
        return None


def _base_name(filename: str) -> str:
    """The last part of an uploaded file's name, without folders or control characters."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    return _CONTROL.sub("", name)[:MAX_NAME_CHARS] or "upload"
