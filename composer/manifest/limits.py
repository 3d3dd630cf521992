"""The bounds every manifest file is read within."""

from __future__ import annotations

from dataclasses import dataclass

# The YAML builder recurses once per nesting level; Python's default
# recursion limit is 1000 frames, so deeper documents are never accepted.
_DEPTH_CEILING = 400


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep a hostile or broken manifest from exhausting the loader.

    Defaults:

    - ``max_file_bytes`` = 2 MiB (2_097_152): a larger file is rejected before
      it is read (CMP014).
    - ``max_aliases`` = 1000: YAML alias uses (``*name``) per file (CMP012).
    - ``max_nodes`` = 200_000: values (mappings, lists, scalars and keys) a
      file expands to once every alias is followed, and the values all the
      stack instances of a project add up to (CMP012). The size is
      computed over the composed node graph, sharing aliased nodes, so a
      "billion laughs" file is rejected before its expansion is built.
    - ``max_depth`` = 64: nested mappings/lists, aliases followed (CMP013);
      at most 400.

    >>> Limits(max_file_bytes=64 * 1024).max_depth
    64
    """

    max_file_bytes: int = 2 * 1024 * 1024
    max_aliases: int = 1000
    max_nodes: int = 200_000
    max_depth: int = 64

    def __post_init__(self) -> None:
        for name in ("max_file_bytes", "max_aliases", "max_nodes", "max_depth"):
            if getattr(self, name) < 1:
                raise ValueError(f"Limits.{name} must be at least 1")
        if self.max_depth > _DEPTH_CEILING:
            raise ValueError(f"Limits.max_depth must be at most {_DEPTH_CEILING}")
