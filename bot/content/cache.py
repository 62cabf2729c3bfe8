"""The checked catalog on disk: a start-up skips the content checks while nothing changed.

Checking every variant of every exercise takes seconds; loading the result takes
milliseconds. A cache file is trusted only when its key matches a key computed now from
every input of the check: the bytes of every file the loader reads, the source of every
module of this package the check ran with, and the versions of Python and of the
libraries that judge answers. A stale, unreadable or corrupt file is rebuilt without a
word to the learner. The file is JSON validated by the same models as the content, so
a tampered file can at worst describe another valid course, never run code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.content.files import UnreadableFile, read_course_file
from bot.content.sources import COURSE_FILE, course_folders, exercise_files
from bot.errors import ContentProblem

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from bot.content.catalog import Catalog, Course

log = logging.getLogger(__name__)

CACHE_FORMAT = 1
# The libraries whose behaviour the checks depend on; a new version may judge differently.
DEPENDENCIES = ("pydantic", "pydantic-core", "PyYAML", "sympy")
MAX_HEADER_BYTES = 1_000_000
MAX_CACHE_BYTES = 200_000_000
PACKAGE_ROOT = Path(__file__).resolve().parent.parent

Checked = tuple["Catalog", list[ContentProblem]]


@dataclass(frozen=True)
class _Stored:
    """What a cache file holds after its header."""

    courses: list[Course]
    problems: list[ContentProblem]


class CatalogCache:
    """Checked catalogs kept as files in one folder, one file per list of content paths."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def checked(self, paths: Sequence[Path], check: Callable[[Sequence[Path]], Checked]) -> Checked:
        """Return the stored result of `check(paths)` when still valid, else check and store."""
        file = self.file_for(paths)
        found = self._read(file, paths)
        if found is not None:
            return found
        modules = checking_modules()
        key = input_key(paths, modules)
        result = check(paths)
        # Stored only when no file changed while it was checked.
        if input_key(paths, modules) == key:
            self._write(file, key, modules, result)
        return result

    def file_for(self, paths: Sequence[Path]) -> Path:
        """Name the cache file of one list of content paths, as they were given."""
        name = hashlib.sha256("\0".join(str(p) for p in paths).encode("utf-8", "replace"))
        return self.folder / f"catalog-{name.hexdigest()[:16]}.json"

    def is_fresh(self, paths: Sequence[Path]) -> bool:
        """Tell whether a start would load these paths from the cache, without loading them."""
        header = _read_header(self.file_for(paths))
        return header is not None and header["key"] == input_key(paths, header["modules"])

    def _read(self, file: Path, paths: Sequence[Path]) -> Checked | None:
        """Return the stored result if the file is whole and its key matches the inputs now."""
        try:
            with file.open("rb") as stream:
                header = _parse_header(stream.readline(MAX_HEADER_BYTES))
                if header is None or header["key"] != input_key(paths, header["modules"]):
                    log.info("the catalog cache %s is out of date: checking the content", file)
                    return None
                body = stream.read(MAX_CACHE_BYTES + 1)
            if len(body) > MAX_CACHE_BYTES:
                return None
            stored = _adapter().validate_json(body)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
            log.info("the catalog cache %s is unreadable (%s): checking the content", file, exc)
            return None
        from bot.content.catalog import Catalog

        return Catalog({c.id: c for c in stored.courses}), stored.problems

    def _write(self, file: Path, key: str, modules: list[str], result: Checked) -> None:
        """Store a result atomically; a cache that cannot be written is only a slower start."""
        catalog, problems = result
        adapter = _adapter()
        stored = _Stored(list(catalog.courses.values()), list(problems))
        try:
            body = adapter.dump_json(stored)
            if adapter.validate_json(body) != stored:
                log.info("the checked catalog does not survive a round trip: not cached")
                return
        except ValueError as exc:
            log.info("the checked catalog cannot be cached: %s", exc)
            return
        header = json.dumps({"format": CACHE_FORMAT, "key": key, "modules": modules})
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".catalog-")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(header.encode("utf-8") + b"\n" + body)
                os.replace(temporary, file)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as exc:
            log.info("could not write the catalog cache in %s: %s", self.folder, exc)


_configured: CatalogCache | None = None


def use_catalog_cache(folder: Path | None) -> None:
    """Keep checked catalogs in `folder` for the rest of this process (None: always check).

    Called once at start-up by the command line, like the logging set-up.
    """
    global _configured
    _configured = CatalogCache(folder) if folder is not None else None


def configured_cache() -> CatalogCache | None:
    """Return the cache chosen at start-up, if any."""
    return _configured


def input_key(paths: Sequence[Path], modules: Iterable[str]) -> str:
    """Hash every input of a content check: content bytes, module sources, versions."""
    digest = hashlib.sha256()
    _feed(digest, "format", str(CACHE_FORMAT).encode())
    _feed(digest, "runtime", _runtime_version().encode())
    for module in modules:
        _feed(digest, "module", module.encode())
        _feed(digest, "source", _source(module))
    for path in paths:
        _feed(digest, "path", os.fsencode(path))
    problems: list[ContentProblem] = []
    for folder in course_folders(paths, problems):
        _feed(digest, "course", os.fsencode(folder))
        for file in [folder / COURSE_FILE, *exercise_files(folder)]:
            _feed(digest, "file", os.fsencode(file))
            try:
                _feed(digest, "bytes", read_course_file(file))
            except UnreadableFile as exc:
                _feed(digest, "unreadable", str(exc).encode())
    for problem in problems:
        _feed(digest, "problem", str(problem).encode("utf-8", "replace"))
    return digest.hexdigest()


def _feed(digest: Any, tag: str, data: bytes) -> None:
    """Add one tagged, length-prefixed field, so no two inputs hash alike by running on."""
    digest.update(f"{tag}:{len(data)}:".encode())
    digest.update(data)


def checking_modules() -> list[str]:
    """Name the source files of every module of this package the loader can reach.

    Imports are followed in the source, also inside functions, so the list does not
    depend on what this process happened to import before.
    """
    found: set[str] = set()
    pending = ["bot.content.loader"]
    while pending:
        file = _module_file(pending.pop())
        if file is None or file in found:
            continue
        found.add(file)
        pending.extend(_imports(file))
    return sorted(found)


def _module_file(name: str) -> str | None:
    """Return the file of a module of this package, relative to the package, if it exists."""
    parts = name.split(".")
    if parts[0] != PACKAGE_ROOT.name:
        return None
    base = PACKAGE_ROOT.joinpath(*parts[1:])
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate.relative_to(PACKAGE_ROOT).as_posix()
    return None


def _imports(relative: str) -> list[str]:
    """Name every module one source file imports, and the packages on the way to each."""
    import ast

    module = ".".join([PACKAGE_ROOT.name, *Path(relative).with_suffix("").parts])
    package = module if relative.endswith("__init__.py") else module.rpartition(".")[0]
    names: list[str] = []
    for node in ast.walk(ast.parse(_source(relative))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[: len(base) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            names += [target, *(f"{target}.{alias.name}" for alias in node.names)]
    parents = {".".join(n.split(".")[:i]) for n in names for i in range(1, n.count(".") + 1)}
    return [*names, *parents]


@lru_cache(maxsize=512)
def _source(relative: str) -> bytes:
    """Return a module's source bytes (or a marker when it is gone), once per process."""
    parts = Path(relative)
    if parts.is_absolute() or ".." in parts.parts or parts.suffix != ".py":
        return b"<not a module of the package>"
    try:
        return (PACKAGE_ROOT / parts).read_bytes()
    except OSError:
        return b"<missing>"


@lru_cache(maxsize=1)
def _runtime_version() -> str:
    """Describe the interpreter and the checking libraries, version by version."""
    from importlib import metadata

    versions = [sys.version]
    for name in DEPENDENCIES:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} missing")
    return "\n".join(versions)


def _read_header(file: Path) -> dict[str, Any] | None:
    """Return a cache file's header, or None when there is no usable one."""
    try:
        with file.open("rb") as stream:
            return _parse_header(stream.readline(MAX_HEADER_BYTES))
    except OSError:
        return None


def _parse_header(line: bytes) -> dict[str, Any] | None:
    """Read the header line: this format, a key, and the module files it was built with."""
    try:
        header = json.loads(line)
    except ValueError:
        return None
    if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT:
        return None
    modules = header.get("modules")
    if not isinstance(header.get("key"), str) or not isinstance(modules, list):
        return None
    if not all(isinstance(m, str) for m in modules):
        return None
    return header


@lru_cache(maxsize=1)
def _adapter() -> TypeAdapter[_Stored]:
    """Build the validator of a cache body once (it loads the content models)."""
    from pydantic import TypeAdapter

    # _Stored names Course only as a string: pydantic resolves it in this function's namespace
    from bot.content.catalog import Course  # noqa: F401

    return TypeAdapter(_Stored)
