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

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from composer.repository.query import Filter, Where

__all__ = ["Backend", "PartitionedBackend", "Row", "find_partitioned", "partition_rows"]

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


class PartitionedBackend(Backend, Protocol):
    """A backend that pages related rows per parent itself (the SQL backend: a window
    function); the repository pages in Python for one that does not."""

    async def find_partitioned(self, query: Filter, partition: str) -> list[Row]:
        """Like ``find``, with ``limit`` and ``skip`` applied per value of ``partition``."""
        ...


def partition_rows(rows: Sequence[Row], partition: str, skip: int, limit: int | None) -> list[Row]:
    """``rows`` (in order) keeping, per value of ``partition``, ``limit`` rows after ``skip``.

    >>> rows = [{"k": 1, "n": 1}, {"k": 2, "n": 2}, {"k": 1, "n": 3}, {"k": 1, "n": 4}]
    >>> [row["n"] for row in partition_rows(rows, "k", 1, 1)]
    [3]
    """
    seen: dict[Any, int] = {}
    kept: list[Row] = []
    for row in rows:
        position = seen.get(row.get(partition), 0)
        seen[row.get(partition)] = position + 1
        if position >= skip and (limit is None or position < skip + limit):
            kept.append(row)
    return kept


async def find_partitioned(backend: Backend, query: Filter, partition: str) -> list[Row]:
    """``backend.find(query)`` with ``limit`` and ``skip`` applied per value of ``partition``:
    by the backend when it can (a :class:`PartitionedBackend`), else in Python over every
    matching row."""
    method = getattr(backend, "find_partitioned", None)
    if method is not None:
        rows: list[Row] = await method(query, partition)
        return rows
    whole = await backend.find(dataclasses.replace(query, limit=None, skip=0))
    return partition_rows(whole, partition, query.skip, query.limit)
