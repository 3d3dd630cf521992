"""The request sequence: the named actions every request goes through, in order."""

from __future__ import annotations

__all__ = ["BUILTIN_ACTIONS", "DEFAULT_SEQUENCE"]

#: the actions composer provides; errors always go to ``reject``, which is not listed
BUILTIN_ACTIONS: tuple[str, ...] = (
    "cors",
    "findRoute",
    "authenticate",
    "authorize",
    "parseParams",
    "invoke",
    "send",
)

#: the sequence of an app whose manifest has no ``sequence:``
DEFAULT_SEQUENCE: tuple[str, ...] = BUILTIN_ACTIONS
