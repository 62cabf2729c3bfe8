"""Load YAML keeping the line of every value, so errors can name file and line.

Course files are untrusted: anchors and aliases are refused (an alias bomb of a few
hundred bytes would otherwise expand to gigabytes in every walk of the data), nesting is
capped (deep nesting would otherwise exhaust the stack), and over-long numbers are
refused (YAML 1.1 base-60 integers are computed in quadratic time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[str | int, ...]

MAX_DEPTH = 40
MAX_NUMBER_CHARS = 100
_NO_ANCHORS = "anchors and aliases ({}) are not allowed in course files; write the value out"


@dataclass
class LineMap:
    """The 1-based line of each value, by its path of keys and indexes."""

    lines: dict[Path_, int] = field(default_factory=dict)
    prefix: Path_ = ()

    def line_of(self, path: Path_) -> int:
        """Return the line of the deepest known value on `path`."""
        best = self.lines.get(self.prefix, 1)
        candidate = self.prefix
        for part in path:
            candidate = (*candidate, part)
            if candidate in self.lines:
                best = self.lines[candidate]
            # parts that are not keys (e.g. a union's tag in a pydantic error) are skipped
        return best

    def sub(self, path: Path_) -> LineMap:
        """Return the line map of the value at `path`, with paths relative to it."""
        # A view sharing the same dict: copying here would be quadratic in a file of many items.
        return LineMap(self.lines, (*self.prefix, *path))


class YamlProblem(Exception):
    """A YAML file that cannot be read; carries the line of the fault."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that course files may not use."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(problem=message, problem_mark=mark)


class _CourseLoader(yaml.SafeLoader):
    """A safe loader that refuses anchors, aliases, deep nesting and over-long numbers."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """Compose one node, refusing what course files never need."""
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(_NO_ANCHORS.format(f"*{event.anchor}"), event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(_NO_ANCHORS.format(f"&{anchor}"), event.start_mark)
        if self._depth >= MAX_DEPTH:
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        self._depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        return node

    def construct_short_number(self, node: yaml.ScalarNode) -> Any:
        """Construct an int or float, refusing one too long to be a real value."""
        if len(node.value) > MAX_NUMBER_CHARS:
            raise _Refused(f"number longer than {MAX_NUMBER_CHARS} characters", node.start_mark)
        if node.tag.endswith(":int"):
            return self.construct_yaml_int(node)  # type: ignore[no-untyped-call]
        return self.construct_yaml_float(node)  # type: ignore[no-untyped-call]


_CourseLoader.add_constructor("tag:yaml.org,2002:int", _CourseLoader.construct_short_number)
_CourseLoader.add_constructor("tag:yaml.org,2002:float", _CourseLoader.construct_short_number)


def load_yaml_with_lines(text: str) -> tuple[Any, LineMap, list[YamlProblem]]:
    """Parse one YAML document; return the data, its line map and duplicate-key problems."""
    loader = _CourseLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, LineMap({(): 1}), []
        data = loader.construct_document(node)
        line_map = LineMap()
        problems: list[YamlProblem] = []
        _walk(loader, node, data, (), line_map, problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        kind = "YAML" if isinstance(exc, _Refused) else "YAML syntax"
        raise YamlProblem(line, f"{kind}: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(1, f"YAML: {exc}") from exc
    except (ValueError, OverflowError) as exc:
        # a scalar that resolves to a number Python cannot build
        raise YamlProblem(1, f"YAML: {exc}") from exc
    finally:
        loader.dispose()  # type: ignore[no-untyped-call]
    return data, line_map, problems


def _walk(
    loader: _CourseLoader,
    node: yaml.Node,
    data: Any,
    path: Path_,
    line_map: LineMap,
    problems: list[YamlProblem],
) -> None:
    """Record the line of `node` and of everything below it."""
    # Recursion is safe: the loader capped the depth at MAX_DEPTH.
    line_map.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode) and isinstance(data, dict):
        seen: set[object] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = loader.construct_object(key_node)  # type: ignore[no-untyped-call]
            if key in seen:
                problems.append(YamlProblem(key_node.start_mark.line + 1, f"duplicate key {key!r}"))
            seen.add(key)
            if isinstance(key, str | int) and key in data:
                _walk(loader, value_node, data[key], (*path, key), line_map, problems)
    elif isinstance(node, yaml.SequenceNode) and isinstance(data, list):
        for index, (item_node, item) in enumerate(zip(node.value, data, strict=False)):
            _walk(loader, item_node, item, (*path, index), line_map, problems)
