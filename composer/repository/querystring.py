"""Bracket query strings: ``filter[where][title]=x&filter[limit]=2`` as nested values.

LoopBack (through Express's ``qs``) lets a client spell a filter as query
parameters instead of URL-encoded JSON. :func:`parse_query` builds the same
nested structure from already percent-decoded ``(name, value)`` pairs:

- ``a[b][c]=v`` nests objects; every leaf value is a string;
- an object whose keys are all indexes (``a[0]=x&a[1]=y``, or ``a[]=x&a[]=y``
  appending) becomes a list in index order, gaps closed (``a[2]=x`` alone is
  ``["x"]``), with no limit on the number of items (``qs`` switches to an
  object past 20);
- a name given twice collects its values in a list (``a=1&a=2`` is
  ``["1", "2"]``); an empty name is ignored.

A malformed name (``a[b``, ``a]b``, ``a[b]c``, ``[a]``), a name nested more
than 32 levels or a name used both as a value and as an object is a 400
``INVALID_PARAMETER_VALUE`` naming it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from composer.errors import HttpError

__all__ = ["MAX_NESTING", "parse_query"]

#: the most ``[...]`` segments one parameter name may have
MAX_NESTING = 32

_NAME = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
_INDEX = re.compile(r"0|[1-9][0-9]{0,8}", re.ASCII)


class _Branch:
    """An object being built: named keys, index keys, and the next append index."""

    __slots__ = ("items", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self.items: dict[str | int, _Branch | _Leaf] = {}

    def next_index(self) -> int:
        indexes = [key for key in self.items if isinstance(key, int)]
        return max(indexes) + 1 if indexes else 0

    def value(self) -> Any:
        finished = {key: _finish(item) for key, item in self.items.items()}
        if finished and all(isinstance(key, int) for key in finished):
            return [finished[key] for key in sorted(finished, key=int)]
        return {str(key): item for key, item in finished.items()}


class _Leaf:
    """A value, or the values of a name given more than once."""

    __slots__ = ("name", "values")

    def __init__(self, name: str, value: str) -> None:
        self.name = name
        self.values = [value]


def _finish(node: _Branch | _Leaf) -> Any:
    if isinstance(node, _Branch):
        return node.value()
    return node.values[0] if len(node.values) == 1 else list(node.values)


def _invalid(message: str) -> HttpError:
    return HttpError(400, message, code="INVALID_PARAMETER_VALUE")


def parse_query(pairs: Iterable[tuple[str, str]]) -> dict[str, object]:
    """Every query parameter, bracket names nested into objects and lists.

    >>> parse_query([("filter[where][id][inq][0]", "1"), ("filter[where][id][inq][1]", "2"),
    ...              ("filter[limit]", "2"), ("access_token", "t")])
    {'filter': {'where': {'id': {'inq': ['1', '2']}}, 'limit': '2'}, 'access_token': 't'}
    """
    root = _Branch("")
    for name, value in pairs:
        if name == "":
            continue  # "?a=1&&b=2": qs ignores an empty name too
        match = _NAME.fullmatch(name)
        if match is None:
            raise _invalid(f'Malformed query parameter name "{name}".')
        keys: list[str] = [match.group(1), *_SEGMENT.findall(match.group(2))]
        if len(keys) - 1 > MAX_NESTING:
            raise _invalid(
                f'Query parameter "{name}" is nested more than {MAX_NESTING} levels deep.'
            )
        _insert(root, keys, name, value)
    built = root.value()
    return built if isinstance(built, dict) else {}


def _insert(root: _Branch, keys: list[str], name: str, value: str) -> None:
    node = root
    for depth, key in enumerate(keys):
        slot: str | int = key
        if depth > 0:
            if key == "":
                slot = node.next_index()
            elif _INDEX.fullmatch(key):
                slot = int(key)
        last = depth == len(keys) - 1
        existing = node.items.get(slot)
        if last:
            if existing is None:
                node.items[slot] = _Leaf(name, value)
            elif isinstance(existing, _Leaf):
                existing.values.append(value)
            else:
                raise _conflict(name, existing.name)
            return
        if existing is None:
            existing = node.items[slot] = _Branch(name)
        elif isinstance(existing, _Leaf):
            raise _conflict(name, existing.name)
        node = existing


def _conflict(name: str, other: str) -> HttpError:
    return _invalid(f'Query parameter "{name}" conflicts with "{other}".')
