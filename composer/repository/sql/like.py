"""LIKE patterns rewritten so that every database reads them the same way.

A pattern is anchored; ``%`` matches any run of characters, ``_`` one
character and ``\\`` makes the next character literal (a trailing lone
``\\`` is a literal backslash). :func:`like_pattern` writes it back with
only ``%``, ``_`` and ``\\`` escaped, for ``LIKE ... ESCAPE '\\'``;
:func:`glob_pattern` writes the SQLite GLOB pattern that matches the same
strings case-sensitively (SQLite's LIKE ignores ASCII case).
"""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["glob_pattern", "like_pattern"]

_LIKE_SPECIAL = frozenset("%_\\")
_GLOB_SPECIAL = frozenset("*?[")
#: what a pattern's ``%`` and ``_`` become while it is read (a literal is one character)
_ANY, _ONE = "%%", "__"


def like_pattern(pattern: str) -> str:
    """``pattern`` with only ``%``, ``_`` and ``\\`` escaped, each with ``\\``.

    >>> like_pattern("50\\\\% off_\\\\")
    '50\\\\% off_\\\\\\\\'
    """
    if "\\" not in pattern:
        return pattern
    parts: list[str] = []
    for token in _like_tokens(pattern):
        if token == _ANY:
            parts.append("%")
        elif token == _ONE:
            parts.append("_")
        else:
            parts.append("\\" + token if token in _LIKE_SPECIAL else token)
    return "".join(parts)


def glob_pattern(pattern: str) -> str:
    """The SQLite GLOB pattern that matches what LIKE ``pattern`` matches, case-sensitively.

    >>> glob_pattern("a*b%c_d\\\\%")
    'a[*]b*c?d%'
    """
    parts: list[str] = []
    for token in _like_tokens(pattern):
        if token == _ANY:
            parts.append("*")
        elif token == _ONE:
            parts.append("?")
        else:
            parts.append(f"[{token}]" if token in _GLOB_SPECIAL else token)
    return "".join(parts)


def _like_tokens(pattern: str) -> Iterator[str]:
    characters = iter(pattern)
    for character in characters:
        if character == "\\":
            yield next(characters, "\\")  # a trailing escape is a literal backslash
        elif character == "%":
            yield _ANY
        elif character == "_":
            yield _ONE
        else:
            yield character
