"""Merging manifest fragments (and stack instances) into one manifest.

Layers merge in order (the root manifest first, then the other files sorted
by path, each followed by the stacks it uses):

- named maps (``datasources``, ``models``, ``services``, ``routes``) merge by
  name; a name in two layers is an error naming both places (CMP017); an
  empty (null) section counts as an empty mapping, anything else that is not
  a mapping cannot be merged (CMP024);
- ``roles`` lists are concatenated (a repeated role is not an error here);
- singleton sections (``apiVersion``, ``name``, ``rest``, ``sequence``,
  ``authentication``) may be set in one layer only (CMP018);
- any other top-level key passes through for the spec to judge; when two
  layers carry it the first one is kept.

Every path keeps the position it had in its own layer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from composer.errors import Issue, KeyPath, Position
from composer.manifest.document import Document

NAMED_SECTIONS = ("datasources", "models", "services", "routes")
SINGLETON_SECTIONS = ("apiVersion", "name", "rest", "sequence", "authentication")
LIST_SECTIONS = ("roles",)

_SINGULAR = {
    "datasources": "datasource",
    "models": "model",
    "services": "service",
    "routes": "route",
}


def merge(layers: Sequence[Document], issues: list[Issue]) -> Document:
    """One document from ``layers``; conflicts are appended to ``issues``.

    >>> a = Document({"models": {"A": {}}})
    >>> b = Document({"models": {"B": {}}})
    >>> merge([a, b], []).data
    {'models': {'A': {}, 'B': {}}}
    """
    merger = _Merger(issues)
    for layer in layers:
        merger.add(layer)
    return merger.out


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "a string"
    return "a " + type(value).__name__


class _Merger:
    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        self.out = Document({})

    def add(self, layer: Document) -> None:
        if () in layer.positions:
            self.out.positions.setdefault((), layer.positions[()])
        self.groups = _group(layer)
        self.layer = layer
        for key, value in layer.data.items():
            if key in NAMED_SECTIONS:
                self.named(key, value)
            elif key in LIST_SECTIONS:
                self.listed(key, value)
            elif key in self.out.data:
                if key in SINGLETON_SECTIONS:
                    first = self.out.key_positions.get((key,))
                    self.issues.append(
                        Issue(
                            "CMP018",
                            f"already set at {first}" if first else "already set in another file",
                            (key,),
                            layer.where_key((key,)),
                            "apiVersion, name, rest, sequence and authentication"
                            " may be set in one file only",
                        )
                    )
            else:
                self.out.data[key] = value
                self.copy((key,), (key,))

    def copy(self, prefix: KeyPath, target: KeyPath) -> None:
        """Positions of ``prefix`` and below in the layer, placed at ``target``."""
        size = len(prefix)
        for kind, source in (("value", self.layer.positions), ("key", self.layer.key_positions)):
            sink = self.out.positions if kind == "value" else self.out.key_positions
            for path in self.groups[kind].get(prefix[:2], ()):
                if path[:size] == prefix:
                    sink[target + path[size:]] = source[path]

    def claim_section(self, key: str, empty: Any) -> Any:
        if key not in self.out.data:
            self.out.data[key] = empty
            for source, sink in (
                (self.layer.positions, self.out.positions),
                (self.layer.key_positions, self.out.key_positions),
            ):
                if (key,) in source:
                    sink[(key,)] = source[(key,)]
        return self.out.data[key]

    def not_mergeable(self, key: str, value: Any, wanted: str) -> None:
        self.issues.append(
            Issue(
                "CMP024",
                f"{key} must be {wanted}, not {_kind(value)}",
                (key,),
                self.layer.where((key,)),
            )
        )

    def named(self, key: str, value: Any) -> None:
        if value is None:
            value = {}
        if not isinstance(value, dict):
            self.not_mergeable(key, value, "a mapping of names to definitions")
            return
        merged = self.claim_section(key, {})
        if not isinstance(merged, dict):
            return
        for name, entry in value.items():
            path = (key, name)
            if name in merged:
                first: Position | None = self.out.key_positions.get(path)
                where = f" at {first}" if first else ""
                self.issues.append(
                    Issue(
                        "CMP017",
                        f"{_SINGULAR[key]} '{name}' is already defined{where}",
                        path,
                        self.layer.where_key(path),
                        "a name may be defined in one file only; rename or remove one of them",
                    )
                )
                continue
            merged[name] = entry
            self.copy(path, path)

    def listed(self, key: str, value: Any) -> None:
        if value is None:
            value = []
        if not isinstance(value, list):
            self.not_mergeable(key, value, "a list")
            return
        merged = self.claim_section(key, [])
        if not isinstance(merged, list):
            return
        offset = len(merged)
        merged.extend(value)
        for i in range(len(value)):
            self.copy((key, i), (key, offset + i))


def _group(layer: Document) -> dict[str, dict[KeyPath, list[KeyPath]]]:
    """Paths of the layer grouped by their first two parts, for cheap subtree copies."""
    groups: dict[str, dict[KeyPath, list[KeyPath]]] = {}
    for kind, positions in (("value", layer.positions), ("key", layer.key_positions)):
        grouped: defaultdict[KeyPath, list[KeyPath]] = defaultdict(list)
        for path in positions:
            grouped[path[:2]].append(path)
            if len(path) >= 2:
                grouped[path[:1]].append(path)
        groups[kind] = dict(grouped)
    return groups
