"""A model's rows in a memory datasource: the memory :class:`~composer.repository.backend.Backend`.

The rows live in the :class:`~composer.connectors.MemoryConnector`'s
collections (keyed by the id as a string, as LoopBack keeps them), so every
generation built on one connector sees the same data. The query semantics are
exactly :mod:`composer.repository.query`'s, the ones the SQL backends give:

- comparisons with a null (absent) value are false, except ``eq None``,
  ``neq``-something-else is false on null too, ``nin []`` matches every row;
- ``like`` is an anchored SQL LIKE (``%``, ``_``, ``\\`` escapes), compared
  by code point (the byte order of UTF-8); ``ilike`` folds ASCII letters only,
  as SQLite and PostgreSQL's "C" collation do; both run on RE2, in linear time;
- ``regexp`` runs the portable pattern on RE2;
- order: nulls first ascending, last descending, ties broken by the id.

Generated integer ids count up per model from 1 (``connector.ids`` holds the
next one) and never come back after a delete; a client-given id above the
count moves it on, as in LoopBack. Unique indexes are enforced (a row with a
null in the index never conflicts, as in SQL).

Every method runs to completion without awaiting before its change is made,
so concurrent requests never see half of one; the file of a persisted
datasource is then written (see :meth:`MemoryConnector.save`) before the
method returns.
"""

from __future__ import annotations

import copy
import dataclasses
import operator
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import orjson
import re2

from composer.connectors.memory import MemoryConnector
from composer.errors import ConnectorError, HttpError
from composer.repository.backend import Row, partition_rows
from composer.repository.entity import EntityInfo
from composer.repository.query import And, Comparison, Filter, Or, Related, Where
from composer.repository.serialize import RowCodec

__all__ = ["MemoryBackend", "like_pattern"]

Predicate = Callable[[Row], bool]

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}
_JSON_TYPES = ("object", "array", "any")


def like_pattern(pattern: str, *, fold: bool = False) -> Any:
    """The compiled RE2 pattern matching what SQL ``LIKE pattern ESCAPE '\\'`` matches.

    ``fold`` lower-cases ASCII letters of the pattern (match lower-cased
    values with it). A pattern RE2 cannot hold is a 400.

    >>> like_pattern("50\\\\%%").search("50% off") is not None
    True
    >>> like_pattern("a_c").search("abcd") is None
    True
    """
    if fold:
        pattern = pattern.translate(_ASCII_LOWER)
    parts: list[str] = []
    escaped = False
    for char in pattern:
        if escaped:
            parts.append(re2.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            if not parts or parts[-1] != ".*":
                parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re2.escape(char))
    if escaped:
        parts.append(re2.escape("\\"))  # a trailing lone backslash is itself
    options = re2.Options()
    options.log_errors = False
    options.dot_nl = True
    try:
        return re2.compile("^(?:" + "".join(parts) + r")\z", options)
    except re2.error:
        raise HttpError(
            400, "The like pattern is too complex.", code="INVALID_PARAMETER_VALUE"
        ) from None


def _comparison(comparison: Comparison) -> Predicate:
    name, op, value = comparison.property, comparison.op, comparison.value
    if (op == "eq" and value is None) or (op == "exists" and not value):
        return lambda row: row.get(name) is None
    if (op == "neq" and value is None) or op == "exists":
        return lambda row: row.get(name) is not None
    if op == "eq":
        return lambda row: (found := row.get(name)) is not None and found == value
    if op == "neq":
        return lambda row: (found := row.get(name)) is not None and found != value
    if op in _COMPARE:
        compare = _COMPARE[op]
        return lambda row: (found := row.get(name)) is not None and compare(found, value)
    if op == "between":
        low, high = value
        return lambda row: (found := row.get(name)) is not None and low <= found <= high
    if op in ("inq", "nin"):
        return _membership(name, tuple(value), negate=op == "nin")
    if op in ("like", "nlike", "ilike", "nilike"):
        fold = op in ("ilike", "nilike")
        search = like_pattern(value, fold=fold).search
        wanted = op in ("like", "ilike")

        def like(row: Row) -> bool:
            found = row.get(name)
            if not isinstance(found, str):
                return False
            return (search(found.translate(_ASCII_LOWER) if fold else found) is not None) is wanted

        return like
    if op == "regexp":
        search = value.for_re2().search
        return lambda row: isinstance(found := row.get(name), str) and search(found) is not None
    raise ValueError(f"unknown operator {op!r}")


def _membership(name: str, values: tuple[Any, ...], *, negate: bool) -> Predicate:
    if not values:
        return (lambda row: True) if negate else (lambda row: False)
    try:
        pool: Any = frozenset(values)
    except TypeError:
        pool = values
    if negate:
        return lambda row: (found := row.get(name)) is not None and found not in pool
    return lambda row: (found := row.get(name)) is not None and found in pool


def predicate(where: Where | None) -> Predicate | None:
    """The test a row passes when it matches ``where`` (None: every row matches).

    >>> test = predicate(Comparison("title", "like", "mi%"))
    >>> test({"title": "milk"}), test({"title": "Milk"}), test({})
    (True, False, False)
    """
    if where is None:
        return None
    if isinstance(where, Comparison):
        return _comparison(where)
    if isinstance(where, Related):
        # the filter parser lets a where clause follow a relation only inside one SQL datasource
        raise TypeError(f"a memory datasource cannot follow the relation {where.relation!r}")
    tests = [test for item in where.items if (test := predicate(item)) is not None]
    if isinstance(where, And):
        return lambda row: all(test(row) for test in tests)
    if isinstance(where, Or):
        return lambda row: any(test(row) for test in tests)
    raise TypeError(f"not a where clause: {where!r}")


def _sort_key(value: Any) -> Any:
    if isinstance(value, dict | list):
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    return value


class MemoryBackend:
    """The rows of one model in a memory datasource.

    >>> import asyncio
    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> from composer.repository.entity import entity_info
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Todo": ModelSpec(
    ...     properties={"id": PropertySpec(type="integer", id=True, generated=True),
    ...                 "title": PropertySpec(type="string")})})
    >>> async def demo():
    ...     memory = MemoryConnector("db")
    ...     await memory.connect()
    ...     todos = MemoryBackend(memory, entity_info(app, "Todo"))
    ...     await todos.create([{"title": "milk"}, {"title": "eggs"}])
    ...     return await todos.find(Filter(where=Comparison("title", "like", "e%")))
    >>> asyncio.run(demo())
    [{'id': 2, 'title': 'eggs'}]
    """

    def __init__(self, connector: MemoryConnector, info: EntityInfo) -> None:
        self.connector = connector
        self.info = info
        self.model = info.name
        self._id = info.id.name
        self._numeric_id = info.id.type in ("integer", "number")
        self._codec = RowCodec(info.fields)
        self._unique = tuple(index.properties for index in info.indexes if index.unique)
        self._nested = tuple(f.name for f in info.fields if f.type in _JSON_TYPES)
        if connector.connected:
            # decode a loaded file now, so a bad one stops the boot
            connector.collection(self.model, self._codec.decode)

    # -- the Backend protocol ----------------------------------------------------------

    async def create(self, rows: Sequence[Mapping[str, Any]]) -> list[Row]:
        """Insert ``rows`` (all or none); return them as stored, generated ids filled in."""
        records = self._records()
        next_id = self.connector.ids.get(self.model, 1)
        staged: dict[str, Row] = {}
        for row in rows:
            record = self._copy(row)
            value: Any = record.get(self._id)
            if value is None:
                value = next_id if self._numeric_id else str(uuid.uuid4())
                record = {self._id: value, **record}
            if self._numeric_id and value >= next_id:
                next_id = int(value) + 1
            key = _key(value)
            if key in records or key in staged:
                raise self._conflict((self._id,))
            staged[key] = record
        self._check_unique(records, staged)
        records.update(staged)
        if self._numeric_id:
            self.connector.ids[self.model] = next_id
        await self._save()
        return [self._copy(record) for record in staged.values()]

    async def find(self, query: Filter) -> list[Row]:
        """The matching rows: where, order (nulls first ascending, id tie-break), skip, limit."""
        rows = self._matching(query.where)
        rows.sort(key=lambda row: _sort_key(row.get(self._id)))
        for order in reversed(query.order):
            name = order.property
            rows.sort(
                key=lambda row: (row.get(name) is not None, _sort_key(row.get(name))),
                reverse=order.descending,
            )
        end = None if query.limit is None else query.skip + query.limit
        rows = rows[query.skip : end]
        if query.fields is not None:
            fields = query.fields
            return [self._copy({n: row[n] for n in fields if n in row}) for row in rows]
        return [self._copy(row) for row in rows]

    async def find_partitioned(self, query: Filter, partition: str) -> list[Row]:
        """Like :meth:`find`, with ``limit`` and ``skip`` applied per value of ``partition``."""
        rows = await self.find(dataclasses.replace(query, limit=None, skip=0))
        return partition_rows(rows, partition, query.skip, query.limit)

    async def count(self, where: Where | None) -> int:
        """How many rows match ``where``."""
        test = predicate(where)
        records = self._records()
        if test is None:
            return len(records)
        return sum(1 for row in records.values() if test(row))

    async def update(self, where: Where | None, changes: Mapping[str, Any]) -> int:
        """Apply ``changes`` (None unsets) to every matching row; how many matched."""
        records = self._records()
        test = predicate(where)
        matched = [key for key, row in records.items() if test is None or test(row)]
        if not matched:
            return 0
        changed = self._copy(changes, keep_none=True)
        staged: dict[str, Row] = {}
        for key in matched:
            row = {n: v for n, v in {**records[key], **changed}.items() if v is not None}
            row.setdefault(self._id, records[key][self._id])
            new_key = _key(row[self._id])
            if new_key in staged or (new_key in records and new_key not in matched):
                raise self._conflict((self._id,))
            staged[new_key] = row
        self._check_unique(records, staged, replacing=matched)
        for key in matched:
            del records[key]
        records.update(staged)
        await self._save()
        return len(matched)

    async def replace(self, id: Any, row: Mapping[str, Any]) -> bool:
        """Replace the row with this id whole; False when there is none."""
        records = self._records()
        key = _key(id)
        if key not in records:
            return False
        record = self._copy(row)
        record[self._id] = id
        self._check_unique(records, {key: record}, replacing=(key,))
        records[key] = record
        await self._save()
        return True

    async def delete(self, where: Where | None) -> int:
        """Delete the matching rows; how many there were."""
        records = self._records()
        test = predicate(where)
        doomed = [key for key, row in records.items() if test is None or test(row)]
        for key in doomed:
            del records[key]
        if doomed:
            await self._save()
        return len(doomed)

    # -- internals -----------------------------------------------------------------------

    def _records(self) -> dict[str, Row]:
        try:
            return self.connector.collection(self.model, self._codec.decode)
        except ConnectorError as exc:
            raise self._unavailable() from exc

    def _matching(self, where: Where | None) -> list[Row]:
        test = predicate(where)
        records = self._records()
        wanted = _id_wanted(where, self._id)
        if wanted is not None:
            # a where that fixes the id (findById, and every write by id) reads one record
            row = records.get(_key(wanted))
            return [] if row is None or (test is not None and not test(row)) else [row]
        rows = records.values()
        return list(rows) if test is None else [row for row in rows if test(row)]

    def _copy(self, row: Mapping[str, Any], *, keep_none: bool = False) -> Row:
        """A row of our own: nested objects and arrays are not shared with the caller."""
        copied = {n: v for n, v in row.items() if keep_none or v is not None}
        for name in self._nested:
            value = copied.get(name)
            if isinstance(value, dict | list):
                copied[name] = copy.deepcopy(value)
        return copied

    def _check_unique(
        self, records: Mapping[str, Row], staged: Mapping[str, Row], replacing: Iterable[str] = ()
    ) -> None:
        """409 when a staged row repeats another row's values of a unique index."""
        if not self._unique:
            return
        skipped = set(replacing) | set(staged)
        for properties in self._unique:
            seen: set[Any] = set()
            for key, row in records.items():
                if key not in skipped and (values := _index_values(row, properties)) is not None:
                    seen.add(values)
            for row in staged.values():
                values = _index_values(row, properties)
                if values is None:
                    continue
                if values in seen:
                    raise self._conflict(properties)
                seen.add(values)

    def _conflict(self, properties: Sequence[str]) -> HttpError:
        names = ", ".join(f"{self.model}.{name}" for name in properties)
        return HttpError(409, f"Duplicate entry for {names}", code="CONFLICT")

    def _unavailable(self) -> HttpError:
        return HttpError(
            503,
            f"The datasource {self.connector.name} is unavailable.",
            code="DATASOURCE_UNAVAILABLE",
        )

    async def _save(self) -> None:
        try:
            await self.connector.save()
        except ConnectorError as exc:
            raise self._unavailable() from exc


def _id_wanted(where: Where | None, id_name: str) -> Any:
    """The id ``where`` requires (``id = v``, alone or ANDed with other clauses); None when it
    does not fix one."""
    items = where.items if isinstance(where, And) else (where,)
    for item in items:
        if isinstance(item, Comparison) and item.property == id_name and item.op == "eq":
            return item.value
    return None


def _key(value: Any) -> str:
    """The id as LoopBack's memory connector keys it (``String(id)``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _index_values(row: Mapping[str, Any], properties: Sequence[str]) -> tuple[Any, ...] | None:
    values = tuple(_sort_key(row.get(name)) for name in properties)
    return None if any(value is None for value in values) else values
