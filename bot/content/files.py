"""Read a course file safely: regular files only, never blocking, never more than the cap."""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 1_000_000

# O_NONBLOCK: should a FIFO take the file's place between the check and the open, the
# open returns at once instead of waiting for a writer. O_NOCTTY: a terminal never
# becomes ours.
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | os.O_CLOEXEC


class UnreadableFile(Exception):
    """A course file that is not a readable regular file of a sane size."""


def read_course_file(path: Path) -> bytes:
    """Return the bytes of a regular file (symlinks followed) of at most MAX_FILE_BYTES."""
    try:
        # stat follows symlinks, so a link to /dev/zero or a FIFO is judged by its target,
        # and nothing that is not a regular file is ever opened.
        _require_regular(os.stat(path).st_mode)
        fd = os.open(path, _OPEN_FLAGS)
        with open(fd, "rb") as stream:
            _require_regular(os.fstat(stream.fileno()).st_mode)
            # The size on disk may lie (a file still growing, /proc): judge what is read.
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB")
    return data


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _require_regular(mode: int) -> None:
    """Refuse anything but a regular file: folders, FIFOs, devices and sockets."""
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    raise UnreadableFile(f"cannot read file: it is {kind}, not a regular file")
