"""The storage contract a connector implements for the repository.

A :class:`Backend` stores the rows of one model. Rows are dicts of property
name to value; a property that is unset (or null) is absent from the dict.
Values are Python values of the property's type: int, float, str, bool,
``datetime.date``, timezone-aware ``datetime.datetime`` (UTC), bytes for
buffers, and dicts/lists for object, array and any.

Every method is atomic: a multi-row create, update or delete either happens
whole or not at all. Constraint violations are raised as
:class:`composer.errors.HttpError` (409 ``CONFLICT`` for a unique key, 422
for a missing required value), an unreachable or timed-out database as a 503
``HttpError`` — never as a driver exception.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from composer.repository.query import Filter, Where

__all__ = ["Backend", "Row"]

Row = dict[str, Any]


class Backend(Protocol):
    """The rows of one model in one datasource."""

    async def create(self, rows: Sequence[Mapping[str, Any]]) -> list[Row]:
        """Insert ``rows``; return them as stored, generated ids filled in."""
        ...

    async def find(self, query: Filter) -> list[Row]:
        """The rows matching ``query``: where, order (id tie-break), skip, limit, fields."""
        ...

    async def count(self, where: Where | None) -> int:
        """How many rows match ``where`` (every row for None)."""
        ...

    async def update(self, where: Where | None, changes: Mapping[str, Any]) -> int:
        """Set ``changes`` on every matching row; how many matched."""
        ...

    async def replace(self, id: Any, row: Mapping[str, Any]) -> bool:
        """Replace the row with this id whole (absent properties become unset); False if none."""
        ...

    async def delete(self, where: Where | None) -> int:
        """Delete the matching rows; how many there were."""
        ...
