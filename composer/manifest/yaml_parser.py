"""Safe YAML: text -> :class:`Document`, with a position for every value and key.

The text is composed into a bounded node graph first
(:mod:`composer.manifest.yaml_graph`); only then are plain values built.
Only the core tags (str, int, float, bool, null, map, seq) are accepted,
explicit or implicit; ``<<`` merge keys work as in YAML 1.1 (an explicit key
overrides a merged one, and is no duplicate); implicit timestamps stay
strings; keys must be strings.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode

from composer.errors import Issue, KeyPath, ManifestError, Position
from composer.manifest.document import Document
from composer.manifest.limits import Limits
from composer.manifest.yaml_graph import (
    BOOL,
    CORE,
    FLOAT,
    INT,
    MAP,
    MERGE,
    NULL,
    SEQ,
    STR,
    Node,
    compose,
)

_LOADER: Any = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
_SCALAR_TAGS = {STR, INT, FLOAT, BOOL, NULL}
_KINDS = {INT: "an int", FLOAT: "a float", BOOL: "a boolean", NULL: "null"}


def parse_yaml(text: str, display: str, limits: Limits) -> Document:
    """Parse one YAML file; raise ManifestError listing its problems.

    >>> parse_yaml("name: todo\\n", "composer.yaml", Limits()).data
    {'name': 'todo'}
    """
    try:
        loader = _LOADER(text)
    except yaml.YAMLError as exc:  # pyyaml's reader checks every character up front
        raise ManifestError([_syntax_issue(exc, text, display)]) from None
    try:
        root = compose(loader, display, limits)
    except yaml.YAMLError as exc:
        raise ManifestError([_syntax_issue(exc, text, display)]) from None
    finally:
        loader.dispose()
    if root.kind != "map":
        raise ManifestError.one(
            "CMP011",
            f"the file must hold a mapping of sections, not {_describe(root)}",
            position=Position(display, root.line, root.column),
            hint="start with top-level keys such as 'apiVersion: composer/v1'",
        )
    return _Builder(display).build(root)


def _syntax_issue(exc: yaml.YAMLError, text: str, display: str) -> Issue:
    if isinstance(exc, yaml.reader.ReaderError):
        offset = exc.position
        if _LOADER is not yaml.SafeLoader:  # libyaml counts UTF-8 bytes
            offset = len(text.encode("utf-8")[:offset].decode("utf-8", "replace"))
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return Issue(
            "CMP003",
            f"character #x{exc.character:04x} is not allowed in YAML ({exc.reason})",
            position=Position(display, line, column),
        )
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    position = Position(display, mark.line + 1, mark.column + 1) if mark else Position(display)
    problem = str(getattr(exc, "problem", None) or exc)
    if mark is not None and mark.index < len(text) and text[mark.index] == "\t":
        return Issue(
            "CMP008",
            "a tab character is used for indentation",
            position=position,
            hint="YAML indents with spaces only; replace the tab with spaces",
        )
    context = getattr(exc, "context", None)
    return Issue("CMP003", f"{context}: {problem}" if context else problem, position=position)


def _describe(node: Node) -> str:
    if node.kind == "seq":
        return "a list"
    if node.tag == STR:
        return "a string"
    return _KINDS.get(node.tag, "a scalar")


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(CORE) :] if tag.startswith(CORE) else tag


class _Builder:
    """Builds plain values from the checked node graph, collecting issues."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.issues: dict[tuple[str, int, int], Issue] = {}
        self.doc = Document({})
        self.constructor = SafeConstructor()

    def build(self, root: Node) -> Document:
        data = self.value(root, ())
        if self.issues:
            raise ManifestError(list(self.issues.values()))
        self.doc.data = data
        return self.doc

    def where(self, node: Node) -> Position:
        return Position(self.display, node.line, node.column)

    def report(self, code: str, node: Node, message: str, path: KeyPath, hint: str | None) -> None:
        # an aliased node is built once per use; report its problem once
        self.issues.setdefault(
            (code, node.line, node.column), Issue(code, message, path, self.where(node), hint)
        )

    def value(self, node: Node, path: KeyPath) -> Any:
        self.doc.positions[path] = self.where(node)
        if node.kind == "seq":
            self.check_tag(node, SEQ, path)
            return [self.value(child, (*path, i)) for i, child in enumerate(node.items)]
        if node.kind == "map":
            self.check_tag(node, MAP, path)
            result: dict[str, Any] = {}
            for key, (key_node, value_node) in self.pairs(node, path).items():
                self.doc.key_positions[(*path, key)] = self.where(key_node)
                result[key] = self.value(value_node, (*path, key))
            return result
        return self.scalar(node, path)

    def check_tag(self, node: Node, expected: str, path: KeyPath) -> None:
        if node.tag != expected:
            self.unsafe_tag(node, path)

    def unsafe_tag(self, node: Node, path: KeyPath) -> None:
        self.report(
            "CMP005",
            node,
            f"tag {_short_tag(node.tag)} is not allowed",
            path,
            "only the core tags !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are read",
        )

    def scalar(self, node: Node, path: KeyPath) -> Any:
        if node.tag in (STR, MERGE):
            return node.items
        if node.tag not in _SCALAR_TAGS:
            self.unsafe_tag(node, path)
            return node.items
        construct = {
            INT: self.constructor.construct_yaml_int,
            FLOAT: self.constructor.construct_yaml_float,
            BOOL: self.constructor.construct_yaml_bool,
            NULL: self.constructor.construct_yaml_null,
        }[node.tag]
        try:
            return construct(ScalarNode(node.tag, node.items))
        except (ValueError, KeyError):
            self.report(
                "CMP005",
                node,
                f"{node.items!r} cannot be read as {_short_tag(node.tag)}",
                path,
                None,
            )
            return node.items

    def pairs(self, node: Node, path: KeyPath) -> dict[str, tuple[Node, Node]]:
        """The mapping's effective keys: merged ``<<`` keys first, explicit keys override."""
        explicit: dict[str, tuple[Node, Node]] = {}
        merged: dict[str, tuple[Node, Node]] = {}
        merge_seen: Node | None = None
        items = node.items
        for key_node, value_node in zip(items[::2], items[1::2], strict=True):
            if key_node.kind == "scalar" and key_node.tag == MERGE:
                if merge_seen is not None:
                    self.duplicate(key_node, merge_seen, (*path, "<<"))
                merge_seen = key_node
                for source in self.merge_sources(value_node, path):
                    for merged_key, pair in self.pairs(source, path).items():
                        merged.setdefault(merged_key, pair)
                continue
            key = self.key(key_node, path)
            if key is None:
                continue
            if key in explicit:
                self.duplicate(key_node, explicit[key][0], (*path, key))
                continue
            explicit[key] = (key_node, value_node)
        return {**{k: v for k, v in merged.items() if k not in explicit}, **explicit}

    def merge_sources(self, value: Node, path: KeyPath) -> list[Node]:
        if value.kind == "map":
            return [value]
        if value.kind == "seq" and all(item.kind == "map" for item in value.items):
            return list(value.items)
        self.report(
            "CMP003",
            value,
            "a merge key '<<' takes a mapping or a list of mappings",
            path,
            "write '<<: *anchor' where &anchor names a mapping",
        )
        return []

    def duplicate(self, key_node: Node, first: Node, path: KeyPath) -> None:
        self.report(
            "CMP006",
            key_node,
            f"duplicate key {key_node.items!r}, first defined at {self.where(first)}",
            path,
            "a key may appear once per mapping; remove or rename one of them",
        )

    def key(self, node: Node, path: KeyPath) -> str | None:
        if node.kind == "scalar" and node.tag == STR:
            return str(node.items)
        if node.kind == "scalar" and node.tag in _KINDS:
            text = node.items
            self.report(
                "CMP025",
                node,
                f"key {text!r} is read as {_KINDS[node.tag]}, not a string",
                path,
                f"quote the key: '{text}':",
            )
        elif node.kind == "scalar":
            self.unsafe_tag(node, path)
        else:
            self.report(
                "CMP025",
                node,
                f"a {'list' if node.kind == 'seq' else 'mapping'} cannot be a key",
                path,
                "keys are plain names such as 'models' or 'Todo'",
            )
        return None
