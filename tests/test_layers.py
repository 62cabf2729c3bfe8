"""Nothing below the adapter layer imports an adapter, a cog, a platform library or the root."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

CORE = ("services", "store", "scheduling", "learning", "dialogue", "content", "llm")
FORBIDDEN = ("bot.adapters", "cogs", "discord", "slack_bolt", "slack_sdk", "bot.runtime", "bot.cli")


def module_name(path: Path) -> str:
    """Name the module a file under the project root defines."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(source: str, module: str, is_package: bool = False) -> list[str]:
    """Return every module a source imports, at any depth (also inside functions)."""
    package = module if is_package else module.rpartition(".")[0]
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            prefix = ".".join(base) if node.level else ""
            target = ".".join(p for p in (prefix, node.module or "") if p)
            names += [target] + [f"{target}.{alias.name}" for alias in node.names]
    return names


def forbidden(names: list[str]) -> list[str]:
    """Keep the imports of a forbidden module or of anything inside one."""
    return [n for n in names if any(n == f or n.startswith(f + ".") for f in FORBIDDEN)]


@pytest.mark.parametrize("layer", CORE)
def test_no_core_module_imports_an_adapter_or_a_platform(layer: str) -> None:
    files = sorted((ROOT / "bot" / layer).rglob("*.py"))
    assert files, f"bot/{layer} has no modules: the walk found nothing to check"
    found = {
        str(path.relative_to(ROOT)): bad
        for path in files
        if (
            bad := forbidden(
                imported(
                    path.read_text(encoding="utf-8"),
                    module_name(path),
                    is_package=path.name == "__init__.py",
                )
            )
        )
    }
    assert found == {}


@pytest.mark.parametrize(
    "source",
    [
        "import discord",
        "import discord.ui as ui",
        "from discord.ext import commands",
        "from slack_bolt.async_app import AsyncApp",
        "from bot.adapters.discord import TutorBot",
        "from bot import adapters",
        "from cogs.views import ChoiceView",
        "from ...adapters import console",  # relative, from bot.services.sub.x
        "def later():\n    from bot.runtime import Root\n",
    ],
)
def test_the_walk_catches_every_form_of_import(source: str) -> None:
    assert forbidden(imported(source, "bot.services.sub.x")), source


def test_the_walk_lets_core_imports_through() -> None:
    source = "import asyncio\nfrom bot.store import users\nfrom . import messages\n"
    assert forbidden(imported(source, "bot.services.tutor")) == []
    assert imported("from . import messages", "bot.services.tutor") == [
        "bot.services",
        "bot.services.messages",
    ]
