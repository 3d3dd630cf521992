"""Strict JSON: text -> :class:`Document`, with a position for every value and key.

A small recursive-descent parser (strings are decoded by the standard
library's ``json.decoder.scanstring``) that keeps line:column for every
value and key, rejects duplicate keys naming both places, and rejects what
strict JSON does not allow: NaN/Infinity, trailing commas, comments, control
characters in strings. Nesting is bounded by :attr:`Limits.max_depth`
*before* descending, so hostile input never reaches Python's recursion limit,
and the number of values by :attr:`Limits.max_nodes`.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

from composer.errors import Issue, KeyPath, ManifestError, Position
from composer.manifest.document import Document
from composer.manifest.limits import Limits

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_SPACE = re.compile(r"[ \t\n\r]*")
_scan: Callable[[str, int, bool], tuple[str, int]] = scanstring
_LITERALS = (("true", True), ("false", False), ("null", None))


class _Stop(Exception):
    """Ends parsing at the first syntax error or bound."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def parse_json(text: str, display: str, limits: Limits) -> Document:
    """Parse one JSON file; raise ManifestError listing its problems.

    >>> parse_json('{"name": "todo"}', "composer.json", Limits()).data
    {'name': 'todo'}
    """
    parser = _Parser(text, display, limits)
    try:
        data = parser.document()
    except _Stop as stop:
        raise ManifestError([stop.issue]) from None
    if parser.duplicates:
        raise ManifestError(parser.duplicates)
    return Document(data, parser.positions, parser.key_positions)


class _Parser:
    def __init__(self, text: str, display: str, limits: Limits) -> None:
        self.text = text
        self.display = display
        self.limits = limits
        self.lines = [0] + [m.end() for m in re.finditer("\n", text)]
        self.positions: dict[KeyPath, Position] = {}
        self.key_positions: dict[KeyPath, Position] = {}
        self.duplicates: list[Issue] = []
        self.nodes = 0
        self.i = 0

    def at(self, index: int) -> Position:
        line = bisect.bisect_right(self.lines, index) - 1
        return Position(self.display, line + 1, index - self.lines[line] + 1)

    def fail(self, message: str, index: int | None = None, code: str = "CMP004") -> _Stop:
        return _Stop(Issue(code, message, position=self.at(self.i if index is None else index)))

    def skip(self) -> None:
        match = _SPACE.match(self.text, self.i)
        if match is not None:
            self.i = match.end()

    def found(self) -> str:
        if self.i >= len(self.text):
            return "the end of the file"
        if self.text.startswith(("//", "/*"), self.i):
            return "a comment (JSON has none)"
        return repr(self.text[self.i])

    def document(self) -> dict[str, Any]:
        self.skip()
        if self.i >= len(self.text):
            raise _Stop(
                Issue(
                    "CMP010",
                    "the file is empty",
                    position=Position(self.display),
                    hint="add top-level sections, or delete the file",
                )
            )
        start = self.i
        value = self.value((), 0)
        self.skip()
        if self.i < len(self.text):
            raise self.fail(f"unexpected {self.found()} after the top-level value")
        if not isinstance(value, dict):
            kind = "a list" if isinstance(value, list) else f"the {type(value).__name__} value"
            raise _Stop(
                Issue(
                    "CMP011",
                    f"the file must hold an object of sections, not {kind}",
                    position=self.at(start),
                    hint='start with top-level keys such as {"apiVersion": "composer/v1"}',
                )
            )
        return value

    def value(self, path: KeyPath, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise self.fail(f"more than {self.limits.max_nodes} values", code="CMP012")
        self.positions[path] = self.at(self.i)
        char = self.text[self.i] if self.i < len(self.text) else ""
        if char and char in "{[":
            if depth >= self.limits.max_depth:
                raise self.fail(
                    f"nested more than {self.limits.max_depth} levels deep", code="CMP013"
                )
            return self.object(path, depth + 1) if char == "{" else self.array(path, depth + 1)
        if char == '"':
            return self.string()
        for word, literal in _LITERALS:
            if self.text.startswith(word, self.i):
                self.i += len(word)
                return literal
        match = _NUMBER.match(self.text, self.i)
        if match is not None:
            self.i = match.end()
            number = match.group()
            if match.group(1) or match.group(2):
                return float(number)
            try:
                return int(number)
            except ValueError:  # more digits than int() accepts
                raise self.fail("number has too many digits", match.start()) from None
        raise self.fail(f"expected a value, found {self.found()}")

    def string(self) -> str:
        try:
            text, self.i = _scan(self.text, self.i + 1, True)
        except json.JSONDecodeError as exc:
            message = exc.msg.removesuffix(" at").removesuffix(" starting")
            raise self.fail(message[:1].lower() + message[1:], exc.pos) from None
        return text

    def object(self, path: KeyPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, Position] = {}
        self.i += 1
        self.skip()
        if self.text.startswith("}", self.i):
            self.i += 1
            return result
        while True:
            if not self.text.startswith('"', self.i):
                raise self.fail(f"expected a quoted key, found {self.found()}")
            key_at = self.at(self.i)
            key = self.string()
            self.skip()
            if not self.text.startswith(":", self.i):
                raise self.fail(f"expected ':' after the key, found {self.found()}")
            self.i += 1
            self.skip()
            child = (*path, key)
            if key in seen:
                self.duplicates.append(
                    Issue(
                        "CMP006",
                        f"duplicate key {key!r}, first defined at {seen[key]}",
                        child,
                        key_at,
                        "a key may appear once per object; remove or rename one of them",
                    )
                )
                kept = (self.positions.get(child), None)
                self.value(child, depth)  # parsed for its syntax, then dropped
                self.restore(child, kept)
            else:
                seen[key] = key_at
                self.key_positions[child] = key_at
                result[key] = self.value(child, depth)
            self.skip()
            if self.text.startswith(",", self.i):
                self.i += 1
                self.skip()
                if self.text.startswith("}", self.i):
                    raise self.fail("trailing comma before '}'")
                continue
            if self.text.startswith("}", self.i):
                self.i += 1
                return result
            raise self.fail(f"expected ',' or '}}', found {self.found()}")

    def restore(self, path: KeyPath, kept: tuple[Position | None, Position | None]) -> None:
        """Put back the first occurrence's positions after parsing a duplicate."""
        size = len(path)
        for positions in (self.positions, self.key_positions):
            for stale in [p for p in positions if p[:size] == path and len(p) > size]:
                del positions[stale]
        value_at = kept[0]
        if value_at is not None:
            self.positions[path] = value_at

    def array(self, path: KeyPath, depth: int) -> list[Any]:
        result: list[Any] = []
        self.i += 1
        self.skip()
        if self.text.startswith("]", self.i):
            self.i += 1
            return result
        while True:
            result.append(self.value((*path, len(result)), depth))
            self.skip()
            if self.text.startswith(",", self.i):
                self.i += 1
                self.skip()
                if self.text.startswith("]", self.i):
                    raise self.fail("trailing comma before ']'")
                continue
            if self.text.startswith("]", self.i):
                self.i += 1
                return result
            raise self.fail(f"expected ',' or ']', found {self.found()}")
