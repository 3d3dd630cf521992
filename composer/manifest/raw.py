"""The loader's output: merged plain data plus where every piece came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from composer.errors import KeyPath, Position


class EnvStr(str):
    """A scalar that was exactly one ``${VAR}`` / ``${VAR:-default}``.

    The spec types it by the field it lands in: ``port: ${PORT:-3000}``
    becomes the int 3000, while a plain YAML string ``"3000"`` stays a string
    and is rejected by the strict int field. ``expression`` keeps the
    ``${...}`` text as written, so an error can name the variable without
    ever showing its value (values may be secrets).
    """

    expression: str

    def __new__(cls, value: str, expression: str) -> EnvStr:
        obj = super().__new__(cls, value)
        obj.expression = expression
        return obj


@dataclass(frozen=True)
class RawManifest:
    """Merged manifest data (plain dicts, lists and scalars) with positions.

    ``positions`` maps a key path to where its *value* starts;
    ``key_positions`` maps a key path to where its *key* starts (what an
    "unknown key" error points at). Paths use str keys and int list indexes:
    ``("models", "Todo", "acls", 0, "permission")``.
    """

    data: dict[str, Any]
    positions: Mapping[KeyPath, Position]
    key_positions: Mapping[KeyPath, Position]
    #: the project folder: relative paths in the manifest resolve against it
    root: Path
    #: the root manifest file (composer.yaml / composer.json, or the single file given)
    root_file: Path
    #: where composer writes files (SQLite databases, memory persistence)
    data_dir: Path
    #: every file that was read, in reading order (hot reload watches these)
    files: tuple[Path, ...] = field(default=())

    def locate(self, path: KeyPath, *, key: bool = False) -> Position | None:
        """The best position for ``path``: its own, else its nearest ancestor's.

        With ``key=True`` the key's position is preferred (for "unknown key").
        """
        probe = tuple(path)
        while True:
            if key and probe in self.key_positions:
                return self.key_positions[probe]
            if probe in self.positions:
                return self.positions[probe]
            if not key and probe in self.key_positions:
                return self.key_positions[probe]
            if not probe:
                return None
            probe = probe[:-1]
