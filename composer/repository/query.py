"""The validated query: what a filter means once parsed, for every backend.

A client's filter (``?filter={"where": ...}`` or bracket query strings) is
parsed once by :mod:`composer.repository.filter` into these frozen objects;
each backend (memory, SQL) compiles or evaluates them. Names are *property*
names (never column names) and values are already coerced to the property's
type, so a backend never sees request text.

Semantics every backend implements identically:

- ``eq None`` matches a missing/null value, ``neq None`` a present one.
  Any other comparison with a null stored value is false (SQL's rule):
  ``neq 3`` does not match null, nor does ``nin [3]``, ``gt``, ``like``...
- ``like``/``nlike`` are anchored SQL LIKE patterns (``%`` any run, ``_`` one
  character, ``\\`` escapes the next character), case-sensitive and byte-wise;
  ``ilike``/``nilike`` fold case.
- ``inq ()`` matches nothing; ``nin ()`` matches every row (nulls included).
- ``between (a, b)`` is inclusive at both ends.
- ``exists True`` matches a present (non-null) value, ``exists False`` a
  missing or null one.
- ``regexp`` is a :class:`Regexp` with flags from ``i``, ``m``, ``s`` only.
- Order: ascending puts nulls first, descending puts them last; ties are
  broken by the id ascending, and no order at all means id ascending.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "OPERATORS",
    "And",
    "Comparison",
    "Filter",
    "Op",
    "Or",
    "Order",
    "Regexp",
    "Where",
]

Op = Literal[
    "eq",
    "neq",
    "gt",
    "gte",
    "lt",
    "lte",
    "between",
    "inq",
    "nin",
    "like",
    "nlike",
    "ilike",
    "nilike",
    "regexp",
    "exists",
]

#: every operator a where clause may use (``eq`` is written as a plain value)
OPERATORS: tuple[str, ...] = (
    "eq",
    "neq",
    "gt",
    "gte",
    "lt",
    "lte",
    "between",
    "inq",
    "nin",
    "like",
    "nlike",
    "ilike",
    "nilike",
    "regexp",
    "exists",
)


@dataclass(frozen=True, slots=True)
class Regexp:
    """A regular expression from the portable subset, with flags ``i``, ``m``, ``s``."""

    pattern: str
    flags: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Comparison:
    """One operator applied to one property.

    ``value`` is coerced to the property's type: a scalar for most operators,
    a tuple for ``between`` (two items), ``inq`` and ``nin``, a str for the
    like family, a :class:`Regexp` for ``regexp`` and a bool for ``exists``.
    Dates are ``datetime.date``, datetimes timezone-aware ``datetime.datetime``
    in UTC.
    """

    property: str
    op: Op
    value: Any


@dataclass(frozen=True, slots=True)
class And:
    """Every item matches (an empty And matches every row)."""

    items: tuple[Where, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """At least one item matches (an empty Or matches no row)."""

    items: tuple[Where, ...]


Where = Comparison | And | Or


@dataclass(frozen=True, slots=True)
class Order:
    """Sort by one property."""

    property: str
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Filter:
    """A whole query.

    ``fields`` None means every (visible) property; otherwise the properties
    to return, in the model's declaration order. A backend may return more
    (the id, keys needed for relations): the repository trims the answer.
    ``order`` holds the client's keys only; backends append the id tie-break.
    """

    where: Where | None = None
    fields: tuple[str, ...] | None = None
    order: tuple[Order, ...] = ()
    limit: int | None = None
    skip: int = 0
