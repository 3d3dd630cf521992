"""Safe YAML: text -> :class:`Document`, with a position for every value and key.

libyaml's ``CSafeLoader`` (or pyyaml's ``SafeLoader`` without libyaml) only
*parses*: its events are composed into a node graph here, with an explicit
stack, so that while composing

- nesting depth and alias uses are counted and bounded,
- every finished node knows its expanded size and depth (an alias shares
  the anchored node, so the sizes are computed once per node), and a
  "billion laughs" file is rejected the moment its expansion would pass
  :attr:`Limits.max_nodes` — nothing ever walks the expanded tree,
- an alias to a node that is still open (a node containing itself) is
  refused, so the graph never has a cycle.

Only then are plain values built. Only the core tags (str, int, float, bool,
null, map, seq) are accepted, explicit or implicit; ``<<`` merge keys work as
in YAML 1.1 (an explicit key overrides a merged one); implicit timestamps
stay strings.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from composer.errors import Issue, KeyPath, ManifestError, Position
from composer.manifest.document import Document
from composer.manifest.limits import Limits

_LOADER: Any = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader

_CORE = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_CORE + t for t in ("str", "int", "float", "bool", "null"))
_MAP, _SEQ, _MERGE = _CORE + "map", _CORE + "seq", _CORE + "merge"
_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL}
# implicit resolutions read as plain strings: dates and the YAML 1.1 "=" value key
_AS_STRING = {_CORE + "timestamp", _CORE + "value"}
_KINDS = {_INT: "an int", _FLOAT: "a float", _BOOL: "a boolean", _NULL: "null"}


class _Node:
    """A composed YAML node: kind, resolved tag, marks, and its expanded size."""

    __slots__ = ("anchor", "depth", "explicit", "items", "kind", "line", "column", "size", "tag")

    def __init__(self, kind: str, tag: str, explicit: bool, event: Event) -> None:
        self.kind = kind  # "scalar", "seq" or "map"
        self.tag = tag
        self.explicit = explicit
        self.anchor: str | None = getattr(event, "anchor", None)
        self.line = event.start_mark.line + 1
        self.column = event.start_mark.column + 1
        # scalar: its text; seq: nodes; map: alternating key, value nodes
        self.items: Any = event.value if isinstance(event, ScalarEvent) else []
        self.size = 1
        self.depth = 0


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
        root = _compose(loader, text, display, limits)
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


def _compose(loader: Any, text: str, display: str, limits: Limits) -> _Node:
    loader.get_event()  # stream start
    if loader.check_event(StreamEndEvent):
        raise _empty(display)
    loader.get_event()  # document start
    anchors: dict[str, _Node] = {}
    open_nodes: list[_Node] = []
    aliases = 0
    while True:
        event = loader.get_event()
        if isinstance(event, AliasEvent):
            aliases += 1
            if aliases > limits.max_aliases:
                raise _bound(
                    "CMP012", f"more than {limits.max_aliases} aliases", event, display
                )
            node = _alias(event, anchors, open_nodes, display)
        elif isinstance(event, ScalarEvent):
            node = _scalar(loader, event)
            if node.anchor is not None:
                anchors[node.anchor] = node
        elif isinstance(event, CollectionStartEvent):
            if len(open_nodes) >= limits.max_depth:
                raise _bound(
                    "CMP013", f"nested more than {limits.max_depth} levels deep", event, display
                )
            kind = "seq" if isinstance(event, SequenceStartEvent) else "map"
            default = _SEQ if kind == "seq" else _MAP
            explicit = event.tag not in (None, "!")
            opened = _Node(kind, event.tag if explicit else default, explicit, event)
            if opened.anchor is not None:
                anchors[opened.anchor] = opened
            open_nodes.append(opened)
            continue
        elif isinstance(event, (SequenceEndEvent, MappingEndEvent)):
            node = open_nodes.pop()
            _measure(node, limits, display)
        else:  # pragma: no cover - the parser emits no other event inside a document
            raise ManifestError.one("CMP003", f"unexpected {type(event).__name__}")
        if not open_nodes:
            break
        open_nodes[-1].items.append(node)
    root = node
    loader.get_event()  # document end
    if isinstance(loader.peek_event(), DocumentStartEvent):
        mark = loader.peek_event().start_mark
        raise ManifestError.one(
            "CMP007",
            "a second YAML document starts here; a manifest file holds one document",
            position=Position(display, mark.line + 1, mark.column + 1),
            hint="remove the '---' separator, or split the documents into separate files",
        )
    if root.kind == "scalar" and root.items == "" and not root.explicit and root.tag == _NULL:
        raise _empty(display)
    return root


def _scalar(loader: Any, event: ScalarEvent) -> _Node:
    if event.tag in (None, "!"):
        tag = loader.resolve(ScalarNode, event.value, event.implicit)
        return _Node("scalar", _STR if tag in _AS_STRING else tag, False, event)
    return _Node("scalar", event.tag, True, event)


def _alias(
    event: AliasEvent, anchors: dict[str, _Node], open_nodes: list[_Node], display: str
) -> _Node:
    node = anchors.get(str(event.anchor))
    if node is not None and any(node is open_node for open_node in open_nodes):
        raise _bound(
            "CMP012",
            f"alias *{event.anchor} refers to a node that contains it (a recursive alias)",
            event,
            display,
        )
    if node is None:
        raise _bound("CMP003", f"alias *{event.anchor} has no anchor &{event.anchor}", event, display)
    return node


def _measure(node: _Node, limits: Limits, display: str) -> None:
    node.size = 1 + sum(child.size for child in node.items)
    node.depth = 1 + max((child.depth for child in node.items), default=0)
    where = Position(display, node.line, node.column)
    if node.size > limits.max_nodes:
        raise ManifestError.one(
            "CMP012",
            f"this value expands to more than {limits.max_nodes} values once aliases are followed",
            position=where,
            hint="a YAML alias bomb? use fewer or smaller aliases",
        )
    if node.depth > limits.max_depth:
        raise ManifestError.one(
            "CMP013",
            f"nested more than {limits.max_depth} levels deep once aliases are followed",
            position=where,
        )


def _bound(code: str, message: str, event: Event, display: str) -> ManifestError:
    mark = event.start_mark
    return ManifestError.one(code, message, position=Position(display, mark.line + 1, mark.column + 1))


def _empty(display: str) -> ManifestError:
    return ManifestError.one(
        "CMP010",
        "the file is empty",
        position=Position(display),
        hint="add top-level sections, or delete the file",
    )


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


def _describe(node: _Node) -> str:
    if node.kind == "seq":
        return "a list"
    if node.tag == _STR:
        return "a string"
    return _KINDS.get(node.tag, "a scalar")


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


class _Builder:
    """Builds plain values from the checked node graph, collecting issues."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.issues: dict[tuple[str, int, int], Issue] = {}
        self.doc = Document({})
        self.constructor = SafeConstructor()

    def build(self, root: _Node) -> Document:
        data = self.value(root, ())
        if self.issues:
            raise ManifestError(list(self.issues.values()))
        self.doc.data = data
        return self.doc

    def where(self, node: _Node) -> Position:
        return Position(self.display, node.line, node.column)

    def report(self, code: str, node: _Node, message: str, path: KeyPath, hint: str | None) -> None:
        # an aliased node is built once per use; report its problem once
        self.issues.setdefault(
            (code, node.line, node.column), Issue(code, message, path, self.where(node), hint)
        )

    def value(self, node: _Node, path: KeyPath) -> Any:
        self.doc.positions[path] = self.where(node)
        if node.kind == "seq":
            self.check_tag(node, _SEQ, path)
            return [self.value(child, (*path, i)) for i, child in enumerate(node.items)]
        if node.kind == "map":
            self.check_tag(node, _MAP, path)
            result: dict[str, Any] = {}
            for key, (key_node, value_node) in self.pairs(node, path).items():
                self.doc.key_positions[(*path, key)] = self.where(key_node)
                result[key] = self.value(value_node, (*path, key))
            return result
        return self.scalar(node, path)

    def check_tag(self, node: _Node, expected: str, path: KeyPath) -> None:
        if node.tag != expected:
            self.unsafe_tag(node, path)

    def unsafe_tag(self, node: _Node, path: KeyPath) -> None:
        self.report(
            "CMP005",
            node,
            f"tag {_short_tag(node.tag)} is not allowed",
            path,
            "only the core tags !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are read",
        )

    def scalar(self, node: _Node, path: KeyPath) -> Any:
        if node.tag in (_STR, _MERGE):
            return node.items
        if node.tag not in _SCALAR_TAGS:
            self.unsafe_tag(node, path)
            return node.items
        construct = {
            _INT: self.constructor.construct_yaml_int,
            _FLOAT: self.constructor.construct_yaml_float,
            _BOOL: self.constructor.construct_yaml_bool,
            _NULL: self.constructor.construct_yaml_null,
        }[node.tag]
        try:
            return construct(ScalarNode(node.tag, node.items))
        except (ValueError, KeyError):
            self.report(
                "CMP005", node, f"{node.items!r} cannot be read as {_short_tag(node.tag)}", path, None
            )
            return node.items

    def pairs(self, node: _Node, path: KeyPath) -> dict[str, tuple[_Node, _Node]]:
        """The mapping's effective keys: merged ``<<`` keys first, explicit keys override."""
        explicit: dict[str, tuple[_Node, _Node]] = {}
        merged: dict[str, tuple[_Node, _Node]] = {}
        merge_seen: _Node | None = None
        items = node.items
        for key_node, value_node in zip(items[::2], items[1::2], strict=True):
            if key_node.kind == "scalar" and key_node.tag == _MERGE:
                if merge_seen is not None:
                    self.duplicate(key_node, merge_seen, (*path, "<<"))
                merge_seen = key_node
                for source in self.merge_sources(value_node, path):
                    for key, pair in self.pairs(source, path).items():
                        merged.setdefault(key, pair)
                continue
            key = self.key(key_node, path)
            if key is None:
                continue
            if key in explicit:
                self.duplicate(key_node, explicit[key][0], (*path, key))
                continue
            explicit[key] = (key_node, value_node)
        return {**{k: v for k, v in merged.items() if k not in explicit}, **explicit}

    def merge_sources(self, value: _Node, path: KeyPath) -> list[_Node]:
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

    def duplicate(self, key_node: _Node, first: _Node, path: KeyPath) -> None:
        self.report(
            "CMP006",
            key_node,
            f"duplicate key {key_node.items!r}, first defined at {self.where(first)}",
            path,
            "a key may appear once per mapping; remove or rename one of them",
        )

    def key(self, node: _Node, path: KeyPath) -> str | None:
        if node.kind == "scalar" and node.tag == _STR:
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
