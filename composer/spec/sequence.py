"""The request sequence: the named actions every request goes through, in order."""

from __future__ import annotations

__all__ = ["ACTION_PREREQUISITES", "BUILTIN_ACTIONS", "DEFAULT_SEQUENCE", "REQUIRED_ACTIONS"]

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

#: actions that only make sense after others: each must come later in the sequence
ACTION_PREREQUISITES: dict[str, tuple[str, ...]] = {
    "parseParams": ("findRoute",),
    "invoke": ("findRoute",),
    "send": ("invoke",),
}

#: a sequence without these never answers a request
REQUIRED_ACTIONS: tuple[str, ...] = ("findRoute", "invoke", "send")
