"""A parsed manifest file: plain data plus where every value and key starts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from composer.errors import KeyPath, Position


@dataclass
class Document:
    """Plain data (dicts, lists, scalars) of one file or one stack instance.

    ``positions`` maps a key path to where its value starts and
    ``key_positions`` to where its key starts; paths are relative to
    ``data`` (the root mapping is ``()``).
    """

    data: dict[str, Any]
    positions: dict[KeyPath, Position] = field(default_factory=dict)
    key_positions: dict[KeyPath, Position] = field(default_factory=dict)

    def where(self, path: KeyPath) -> Position | None:
        """The position of ``path``'s value, else of its nearest ancestor."""
        probe = path
        while True:
            if probe in self.positions:
                return self.positions[probe]
            if not probe:
                return None
            probe = probe[:-1]

    def where_key(self, path: KeyPath) -> Position | None:
        """The position of ``path``'s key, else of its value."""
        return self.key_positions.get(path) or self.where(path)


def rebase(
    positions: Mapping[KeyPath, Position], prefix: KeyPath, target: KeyPath
) -> dict[KeyPath, Position]:
    """Positions under ``prefix``, moved to live under ``target`` instead.

    >>> p = Position("a.yaml", 2, 3)
    >>> rebase({("with", "x"): p}, ("with", "x"), ("models", "A"))
    {('models', 'A'): Position(file='a.yaml', line=2, column=3, included_from=())}
    """
    size = len(prefix)
    return {target + path[size:]: pos for path, pos in positions.items() if path[:size] == prefix}


def included(position: Position, sites: tuple[Position, ...]) -> Position:
    """``position`` with ``sites`` (innermost first) appended to its include chain."""
    if not sites:
        return position
    return Position(
        position.file,
        position.line,
        position.column,
        included_from=position.included_from + sites,
    )
