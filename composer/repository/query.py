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

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from composer.repository.regexp import PortableRegexp, compile_regexp

__all__ = [
    "OPERATORS",
    "And",
    "Comparison",
    "Filter",
    "Inclusion",
    "Op",
    "Or",
    "Order",
    "Regexp",
    "Related",
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
OPERATORS: tuple[str, ...] = get_args(Op)


@dataclass(frozen=True, slots=True)
class Regexp:
    """A regular expression from the portable subset, with flags ``i``, ``m``, ``s``.

    The ``for_*`` methods give the pattern as each engine must run it to match
    the same rows (see :mod:`composer.repository.regexp`); the work is done
    once per object. A pattern outside the subset raises
    :class:`~composer.repository.regexp.RegexpError` (a ValueError).

    >>> Regexp("^to", frozenset({"i"})).for_re2().search("ToDo") is not None
    True
    >>> Regexp("^to").for_postgresql()
    ('~', '\\\\Ato')
    """

    pattern: str
    flags: frozenset[str] = frozenset()
    _compiled: list[PortableRegexp] = field(
        default_factory=list, init=False, repr=False, compare=False, hash=False
    )

    def _portable(self) -> PortableRegexp:
        if not self._compiled:
            self._compiled.append(compile_regexp(self.pattern, self.flags))
        return self._compiled[0]

    def for_re2(self) -> Any:
        """The compiled google-re2 pattern: ``.search(text) is not None`` tests a value."""
        return self._portable().re2

    def for_postgresql(self) -> tuple[str, str]:
        """``(operator, pattern)`` for ``column <operator> pattern``."""
        return self._portable().postgresql

    def for_mysql(self) -> str:
        """The pattern for MySQL/MariaDB ``REGEXP``, over a utf8mb4 ``_bin`` value."""
        return self._portable().mysql


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


@dataclass(frozen=True, slots=True)
class Related:
    """Some row related through ``relation`` matches ``where``.

    ``{"todoList.color": "red"}`` on a Todo is ``Related("todoList",
    Comparison("color", "eq", "red"))``; on a to-many relation it means "has at
    least one such related row". Only SQL backends evaluate it, inside the
    same statement (the filter parser allows it only when the models share
    one SQL datasource).
    """

    relation: str
    where: Where


Where = Comparison | And | Or | Related


@dataclass(frozen=True, slots=True)
class Order:
    """Sort by one property."""

    property: str
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Inclusion:
    """Related rows to attach to each row found: ``{"relation": "todos", "scope": {...}}``.

    ``scope`` is a filter of the target model (its own ``include`` nests);
    its ``limit`` and ``skip`` apply per parent row.
    """

    relation: str
    scope: Filter


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
    include: tuple[Inclusion, ...] = ()
