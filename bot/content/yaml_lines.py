"""Load YAML keeping the line of every value, so errors can name file and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


@dataclass
class LineMap:
    """The 1-based line of each value, by its path of keys and indexes."""

    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int:
        """Return the line of the deepest known value on `path`."""
        best = self.lines.get((), 1)
        prefix: Path_ = ()
        for part in path:
            candidate = (*prefix, part)
            if candidate in self.lines:
                prefix = candidate
                best = self.lines[candidate]
            # parts that are not keys (e.g. a union's tag in a pydantic error) are skipped
        return best

    def sub(self, path: Path_) -> LineMap:
        """Return the line map of the value at `path`, with paths relative to it."""
        size = len(path)
        return LineMap({key[size:]: line for key, line in self.lines.items() if key[:size] == path})


class YamlProblem(Exception):
    """A YAML file that cannot be read; carries the line of the fault."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def load_yaml_with_lines(text: str) -> tuple[Any, LineMap, list[YamlProblem]]:
    """Parse one YAML document; return the data, its line map and duplicate-key problems."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlProblem(line, f"YAML syntax: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(1, f"YAML: {exc}") from exc
    if node is None:
        return None, LineMap({(): 1}), []
    loader = yaml.SafeLoader("")
    try:
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise YamlProblem(node.start_mark.line + 1, f"YAML: {exc}") from exc
    line_map = LineMap()
    problems: list[YamlProblem] = []
    _walk(node, data, (), line_map, problems)
    return data, line_map, problems


def _walk(
    node: yaml.Node, data: Any, path: Path_, line_map: LineMap, problems: list[YamlProblem]
) -> None:
    """Record the line of `node` and of everything below it."""
    line_map.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode) and isinstance(data, dict):
        seen: set[object] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = yaml.SafeLoader("").construct_object(key_node)
            if key in seen:
                problems.append(YamlProblem(key_node.start_mark.line + 1, f"duplicate key {key!r}"))
            seen.add(key)
            if isinstance(key, str | int) and key in data:
                _walk(value_node, data[key], (*path, key), line_map, problems)
    elif isinstance(node, yaml.SequenceNode) and isinstance(data, list):
        for index, (item_node, item) in enumerate(zip(node.value, data, strict=False)):
            _walk(item_node, item, (*path, index), line_map, problems)
