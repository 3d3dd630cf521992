"""Composing YAML events into a bounded node graph.

libyaml's ``CSafeLoader`` (or pyyaml's ``SafeLoader`` without libyaml) only
*parses* here: its events are composed into :class:`Node` objects with an
explicit stack (never recursion), so that while composing

- nesting depth and alias uses are counted and bounded,
- every finished node knows its expanded size and depth (an alias shares
  the anchored node, so sizes are computed once per node), and a "billion
  laughs" file is rejected the moment its expansion would pass
  :attr:`Limits.max_nodes` — nothing ever walks the expanded tree,
- an alias to a node that is still open (a node containing itself) is
  refused, so the graph never has a cycle.

Tags are resolved as pyyaml's composer would; implicit timestamps and the
YAML 1.1 ``=`` value key resolve to plain strings, and the non-specific
``!`` tag always means a string.
"""

from __future__ import annotations

from typing import Any

from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from composer.errors import ManifestError, Position
from composer.manifest.limits import Limits

CORE = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (CORE + t for t in ("str", "int", "float", "bool", "null"))
MAP, SEQ, MERGE = CORE + "map", CORE + "seq", CORE + "merge"
# implicit resolutions read as plain strings: dates and the YAML 1.1 "=" value key
_AS_STRING = {CORE + "timestamp", CORE + "value"}


class Node:
    """A composed YAML node: kind, resolved tag, marks, and its expanded size."""

    __slots__ = ("anchor", "column", "depth", "explicit", "items", "kind", "line", "size", "tag")

    def __init__(self, kind: str, tag: str, explicit: bool, event: Event) -> None:
        self.kind = kind  # "scalar", "seq" or "map"
        self.tag = tag
        self.explicit = explicit
        self.anchor: str | None = getattr(event, "anchor", None)
        self.line, self.column = _place(event)
        # scalar: its text; seq: nodes; map: alternating key, value nodes
        self.items: Any = event.value if isinstance(event, ScalarEvent) else []
        self.size = 1
        self.depth = 0


def compose(loader: Any, display: str, limits: Limits) -> Node:
    """The root node of the single document ``loader`` parses.

    Raises ManifestError for CMP007 (a second document), CMP010 (no content),
    CMP012 (aliases, expansion), CMP013 (depth), CMP003 (an undefined alias);
    pyyaml's own YAMLError for syntax errors.
    """
    loader.get_event()  # stream start
    if loader.check_event(StreamEndEvent):
        raise _empty(display)
    loader.get_event()  # document start
    anchors: dict[str, Node] = {}
    open_nodes: list[Node] = []
    aliases = 0
    while True:
        event = loader.get_event()
        if isinstance(event, AliasEvent):
            aliases += 1
            if aliases > limits.max_aliases:
                raise _bound("CMP012", f"more than {limits.max_aliases} aliases", event, display)
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
            default = SEQ if kind == "seq" else MAP
            tag = event.tag
            explicit = tag is not None and tag != "!"
            opened = Node(kind, tag if tag is not None and explicit else default, explicit, event)
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
    if root.kind == "scalar" and root.items == "" and not root.explicit and root.tag == NULL:
        raise _empty(display)
    return root


def _scalar(loader: Any, event: ScalarEvent) -> Node:
    tag = event.tag
    if tag == "!":  # the non-specific tag: a string (libyaml would still resolve "! 12" as an int)
        return Node("scalar", STR, False, event)
    if tag is None:
        resolved = loader.resolve(ScalarNode, event.value, event.implicit)
        return Node("scalar", STR if resolved in _AS_STRING else resolved, False, event)
    return Node("scalar", tag, True, event)


def _alias(
    event: AliasEvent, anchors: dict[str, Node], open_nodes: list[Node], display: str
) -> Node:
    node = anchors.get(str(event.anchor))
    if node is not None and any(node is open_node for open_node in open_nodes):
        raise _bound(
            "CMP012",
            f"alias *{event.anchor} refers to a node that contains it (a recursive alias)",
            event,
            display,
        )
    if node is None:
        raise _bound(
            "CMP003", f"alias *{event.anchor} has no anchor &{event.anchor}", event, display
        )
    return node


def _measure(node: Node, limits: Limits, display: str) -> None:
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


def _place(event: Event) -> tuple[int, int]:
    """1-based line and column where an event starts."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def _bound(code: str, message: str, event: Event, display: str) -> ManifestError:
    return ManifestError.one(code, message, position=Position(display, *_place(event)))


def _empty(display: str) -> ManifestError:
    return ManifestError.one(
        "CMP010",
        "the file is empty",
        position=Position(display),
        hint="add top-level sections, or delete the file",
    )
