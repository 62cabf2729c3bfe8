"""Console tests start from the catalog cache a first start leaves, as most starts do."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli import CACHE_FOLDER
from bot.content.cache import CatalogCache
from bot.content.loader import check_content_report


@pytest.fixture(scope="session")
def checked_catalogs(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., None]:
    """Check courses once per session; copy their cache into a test's data folder."""
    cache = CatalogCache(tmp_path_factory.mktemp("catalog-cache"))
    checked: set[tuple[Path, ...]] = set()

    def into(data_dir: Path, *paths: Path) -> None:
        if paths not in checked:
            check_content_report(list(paths), cache)
            checked.add(paths)
        stored = cache.file_for(list(paths))
        if stored.exists():  # else the console checks them itself, only slower
            (data_dir / CACHE_FOLDER).mkdir(parents=True, exist_ok=True)
            shutil.copy(stored, data_dir / CACHE_FOLDER / stored.name)

    return into
