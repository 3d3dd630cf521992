"""A model's rows in a SQL table: the :class:`~composer.repository.backend.Backend` of SQL.

Every statement is compiled by SQLAlchemy for the connected database and
kept: the ones that do not depend on a request (insert, replace, find or
count or delete by id, find and count everything) when the backend is built;
every other query the first time its *shape* (properties, operators, fields,
order, whether it has a limit/skip; never its values) is seen, in a bounded
cache. A request then costs one lowering of its where clause to values and
one call on the driver's connection (see :mod:`.driver`). Measured against
SQLAlchemy's ``async with engine.connect(): await connection.execute(...)``
of the same Core statements (mean microseconds per call, one client, 1000
rows, databases on the same host, Python 3.11; driver path / SQLAlchemy):

=====================  ============  ============  ============
per call               SQLite        PostgreSQL    MariaDB
=====================  ============  ============  ============
find by id             145 / 320     216 / 363     346 / 506
count                  132 / 289     159 / 506     333 / 472
find, simple where     175 / 386     217 / 473     475 / 703
create (one row)       240 / 444     386 / 752     510 / 819
=====================  ============  ============  ============

Values go in as bound parameters, converted for the column: datetimes in
UTC (naive UTC on SQLite and MySQL, where DATETIME has no zone, milliseconds
on MySQL's DATETIME(3)), JSON for object/array/any, 0/1 booleans where the
database has no boolean. Rows come back as property dicts: a NULL column is
an absent key, datetimes are aware UTC, numbers are floats (never Decimal).
Database errors become :class:`~composer.errors.HttpError` (see :mod:`.errors`).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    Delete,
    Select,
    Table,
    Update,
    bindparam,
    cast,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import REGCLASS
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement

from composer.connectors.sql import SqlConnector
from composer.repository.backend import Row
from composer.repository.entity import EntityInfo, FieldInfo, Models
from composer.repository.query import Comparison, Filter, Where
from composer.repository.sql.compile import ALL, Key, QueryCompiler, uses_regexp
from composer.repository.sql.driver import Connections, Handle, driver_for, fetch_inline
from composer.repository.sql.errors import ErrorTranslator
from composer.repository.sql.statement import Statement, StatementCache

__all__ = ["SqlBackend"]

T = TypeVar("T")
W = TypeVar("W", Select[Any], Update, Delete)
Decoder = Callable[[Any], Any]

#: query shapes kept compiled per model
CACHE_SIZE = 256
#: the largest limit or skip sent to a database (a larger one means the same: every row)
MAX_ROWS = 2**63 - 1


@dataclass(frozen=True, slots=True)
class _Reader:
    """Turns a result row (column values in select order) into a property dict."""

    names: tuple[str, ...]
    decoders: tuple[Decoder | None, ...]

    def __call__(self, record: Sequence[Any]) -> Row:
        return {
            name: value if decode is None else decode(value)
            for name, decode, value in zip(self.names, self.decoders, record, strict=True)
            if value is not None
        }


@dataclass(frozen=True, slots=True)
class _Query:
    statement: Statement
    reader: _Reader


class SqlBackend:
    """The rows of one model in one SQL table.

    Build it once the connector is connected (the statements are compiled
    for the database it reached); ``table`` comes from
    :func:`composer.repository.sql.schema.table_for`.

    >>> import asyncio, pathlib
    >>> from sqlalchemy import MetaData
    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> from composer.repository.entity import entity_info
    >>> from composer.repository.sql.schema import table_for
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Todo": ModelSpec(
    ...     properties={"id": PropertySpec(type="integer", id=True, generated=True),
    ...                 "title": PropertySpec(type="string")})})
    >>> info = entity_info(app, "Todo")
    >>> async def demo():
    ...     db = SqlConnector("db", "sqlite://", data_dir=pathlib.Path("."))
    ...     await db.connect()
    ...     table = table_for(info, MetaData(), "sqlite")
    ...     async with db.engine.begin() as connection:
    ...         await connection.run_sync(table.metadata.create_all)
    ...     todos = SqlBackend(db, info, table)
    ...     created = await todos.create([{"title": "milk"}])
    ...     found = await todos.find(Filter(where=Comparison("title", "like", "mi%")))
    ...     await db.disconnect()
    ...     return created, found
    >>> asyncio.run(demo())
    ([{'id': 1, 'title': 'milk'}], [{'id': 1, 'title': 'milk'}])
    """

    def __init__(
        self,
        connector: SqlConnector,
        info: EntityInfo,
        table: Table,
        models: Models | None = None,
    ) -> None:
        self.info = info
        self.table = table
        self.connector = connector
        self.dialect: Dialect = connector.engine.dialect
        # ``models`` lets a where clause follow relations to tables of the same database
        self.compiler = QueryCompiler(table, info, self.dialect, models)
        self.driver = driver_for(self.compiler.family, connector.statement_timeout)
        self.connections = Connections(connector, self.driver)
        self.errors = ErrorTranslator(info, table, connector.name, connector.statement_timeout)
        self._decoders = {field.name: self._decoder(field) for field in info.fields}
        self._cache = StatementCache(CACHE_SIZE)
        id_name = info.id.name
        self._others = tuple(name for name in info.names if name != id_name)
        self._generated = info.id.spec.generated and info.id.type == "integer"
        self._insert = self._compile_insert(info.names, returning=False)
        self._insert_generated = (
            self._compile_insert(self._others, returning=True) if self._generated else None
        )
        self._replace = self._compile(
            update(table)
            .where(self.compiler.where(("=", id_name)))
            .values(self._assignments(self._others, first=1))
        )
        self._sequence = self._compile_sequence()
        by_id: Where = Comparison(id_name, "eq", 0)
        # a read-only model without one id is never looked up by it
        for where in (None, by_id) if info.addressable else (None,):
            for limit in (None, 1):
                self._find(self.compiler.lower(where)[0], Filter(where=where, limit=limit))
            self._count(self.compiler.lower(where)[0])
            self._delete(self.compiler.lower(where)[0])

    # -- the Backend protocol

    async def create(self, rows: Sequence[Mapping[str, Any]]) -> list[Row]:
        """Insert ``rows`` in one transaction; each as stored, its generated id filled in."""
        if not rows:
            return []
        id_name = self.info.id.name
        work = [self._insert_arguments(row) for row in rows]
        explicit = self._sequence is not None and any(row.get(id_name) is not None for row in rows)

        async def run(handle: Handle) -> list[Row]:
            created: list[Row] = []
            async with self.driver.atomic(handle, several=len(rows) > 1 or explicit):
                for row, (statement, args) in zip(rows, work, strict=True):
                    self.connector.statements += 1
                    generated = await self.driver.insert(handle, statement, args)
                    stored = {name: value for name, value in row.items() if value is not None}
                    if id_name not in stored and generated is not None:
                        stored = {id_name: generated, **stored}
                    created.append(stored)
                if explicit and self._sequence is not None:
                    self.connector.statements += 1
                    await self.driver.fetch(handle, self._sequence, self._sequence.arguments(()))
            return created

        async with self._writer():
            return await self._run("create", run)

    async def find(self, query: Filter) -> list[Row]:
        """The rows matching ``query``: where, order (ties by id), skip, limit, id + fields."""
        key, values = self.compiler.lower(query.where)
        prepared = self._find(key, query)
        limit = None if query.limit is None else min(query.limit, MAX_ROWS)
        paging = {"limit": limit, "offset": min(query.skip, MAX_ROWS)}
        args = prepared.statement.arguments(values, paging)
        rows = await self._read("find", prepared.statement, args)
        read = prepared.reader
        return [read(row) for row in rows]

    async def find_partitioned(self, query: Filter, partition: str) -> list[Row]:
        """Like :meth:`find`, ``limit`` and ``skip`` applied per value of ``partition``, in
        one statement (a window function); rows come grouped by ``partition``."""
        key, values = self.compiler.lower(query.where)
        shape = ("partitioned", key, query.fields, query.order, partition, query.limit is not None,
                 query.skip > 0)  # fmt: skip
        prepared: _Query | None = self._cache.get(shape)
        if prepared is None:
            names = self.compiler.selected(query.fields)
            reader = _Reader(names, tuple(self._decoders[name] for name in names))
            ranked = self.compiler.select_partitioned(key, query, partition)
            prepared = _Query(self._compile(ranked, key), reader)
            self._cache.put(shape, prepared)
        skip = min(query.skip, MAX_ROWS)
        upto = None if query.limit is None else min(skip + query.limit, MAX_ROWS)
        args = prepared.statement.arguments(values, {"offset": skip, "upto": upto})
        rows = await self._read("find", prepared.statement, args)
        read = prepared.reader
        return [read(row) for row in rows]

    async def count(self, where: Where | None) -> int:
        """How many rows match ``where``."""
        key, values = self.compiler.lower(where)
        statement = self._count(key)
        rows = await self._read("count", statement, statement.arguments(values))
        return int(rows[0][0])

    async def update(self, where: Where | None, changes: Mapping[str, Any]) -> int:
        """Set ``changes`` (None: unset) on every matching row, in one statement; how many."""
        names = tuple(name for name in self.info.names if name in changes)
        if not names:
            return await self.count(where)
        key, values = self.compiler.lower(where)
        statement = self._update(key, names, len(values))
        values.extend(self.compiler.to_db(name, changes[name]) for name in names)
        return await self._write("update", statement, statement.arguments(values))

    async def replace(self, id: Any, row: Mapping[str, Any]) -> bool:
        """Write every property of the row with this id (absent ones unset); False if none."""
        values = [self.compiler.to_db(self.info.id.name, id)]
        values.extend(self.compiler.to_db(name, row.get(name)) for name in self._others)
        return await self._write("replace", self._replace, self._replace.arguments(values)) > 0

    async def delete(self, where: Where | None) -> int:
        """Delete the matching rows, in one statement; how many there were."""
        key, values = self.compiler.lower(where)
        statement = self._delete(key)
        return await self._write("delete", statement, statement.arguments(values))

    # -- running

    async def _read(self, operation: str, statement: Statement, args: list[Any]) -> Sequence[Any]:
        """The rows of a read: on a SQLite file's reader, inline, when it can take it (see
        :func:`~composer.repository.sql.driver.fetch_inline`), else on a pooled connection."""
        self.connector.statements += 1
        if self.connector.reader is not None:
            try:
                rows = fetch_inline(self.connector, statement, args, self.driver.timeout)
            except Exception as error:
                translated = self.errors.translate(error, operation)
                if translated is None:
                    raise
                raise translated from error
            if rows is not None:
                return rows
        return await self._run(operation, lambda handle: self.driver.fetch(handle, statement, args))

    async def _run(self, operation: str, work: Callable[[Handle], Awaitable[T]]) -> T:
        try:
            async with self.connections.acquire() as handle:
                return await work(handle)
        except Exception as error:
            translated = self.errors.translate(error, operation)
            if translated is None:
                raise
            raise translated from error

    def _writer(self) -> AbstractAsyncContextManager[Any]:
        """Held around a write: the connector's one-writer lock on a SQLite file."""
        lock = self.connector.writing
        return nullcontext() if lock is None else lock

    async def _write(self, operation: str, statement: Statement, args: list[Any]) -> int:
        self.connector.statements += 1

        async def run(handle: Handle) -> int:
            async with self.driver.atomic(handle, several=False):
                return await self.driver.execute(handle, statement, args)

        async with self._writer():
            return await self._run(operation, run)

    # -- statements

    def _compile(self, clause: ClauseElement, key: Key = ALL) -> Statement:
        return Statement.compile(clause, self.dialect, regexp=uses_regexp(key))

    def _find(self, key: Key, query: Filter) -> _Query:
        shape = ("find", key, query.fields, query.order, query.limit is not None, query.skip > 0)
        prepared: _Query | None = self._cache.get(shape)
        if prepared is None:
            names = self.compiler.selected(query.fields)
            reader = _Reader(names, tuple(self._decoders[name] for name in names))
            prepared = _Query(self._compile(self.compiler.select(key, query), key), reader)
            self._cache.put(shape, prepared)
        return prepared

    def _count(self, key: Key) -> Statement:
        return self._cached(
            ("count", key),
            key,
            lambda: self._where(select(func.count()).select_from(self.table), key),
        )

    def _delete(self, key: Key) -> Statement:
        return self._cached(("delete", key), key, lambda: self._where(delete(self.table), key))

    def _update(self, key: Key, names: tuple[str, ...], first: int) -> Statement:
        return self._cached(
            ("update", key, names),
            key,
            lambda: self._where(update(self.table), key).values(
                self._assignments(names, first=first)
            ),
        )

    def _where(self, statement: W, key: Key) -> W:
        return statement if key == ALL else statement.where(self.compiler.where(key))

    def _cached(
        self, shape: tuple[Any, ...], key: Key, build: Callable[[], ClauseElement]
    ) -> Statement:
        statement: Statement | None = self._cache.get(shape)
        if statement is None:
            statement = self._compile(build(), key)
            self._cache.put(shape, statement)
        return statement

    def _assignments(self, names: Sequence[str], *, first: int) -> dict[str, Any]:
        return {
            self.info.field(name).column: bindparam(
                f"p{first + offset}", type_=self.compiler.columns[name].bind_type
            )
            for offset, name in enumerate(names)
        }

    def _compile_insert(self, names: Sequence[str], *, returning: bool) -> Statement:
        statement = insert(self.table).values(self._assignments(names, first=0))
        # MySQL reads lastrowid; so does SQLite before 3.35 (no RETURNING)
        if returning and self.compiler.family != "mysql" and self.dialect.insert_returning:
            statement = statement.returning(self.compiler.id.column)
        return self._compile(statement)

    def _compile_sequence(self) -> Statement | None:
        """PostgreSQL: move the id sequence past an id a client chose, so it never hands it out."""
        if self.compiler.family != "postgresql" or not self._generated:
            return None
        preparer = self.dialect.identifier_preparer
        sequence = cast(
            func.pg_get_serial_sequence(
                bindparam("table", preparer.format_table(self.table)),
                bindparam("column", self.info.id.column),
            ),
            REGCLASS,
        )
        highest = select(func.max(self.compiler.id.column)).scalar_subquery()
        return self._compile(
            select(func.setval(sequence, func.greatest(highest, func.nextval(sequence) - 1, 1)))
        )

    def _insert_arguments(self, row: Mapping[str, Any]) -> tuple[Statement, list[Any]]:
        if self._insert_generated is not None and row.get(self.info.id.name) is None:
            names, statement = self._others, self._insert_generated
        else:
            names, statement = self.info.names, self._insert
        values = [self.compiler.to_db(name, row.get(name)) for name in names]
        return statement, statement.arguments(values)

    def _decoder(self, field: FieldInfo) -> Decoder | None:
        """What turns the driver's value of ``field`` into the property's Python value."""
        family, kind = self.compiler.family, field.type
        if kind == "number":
            return float  # also turns a Decimal into a float
        if kind == "string" and family == "postgresql" and field.spec.format == "uuid":
            return str  # asyncpg reads a uuid column as a UUID
        if kind == "boolean" and family != "postgresql":
            return bool
        if kind in ("object", "array", "any") and family != "postgresql":
            return _json  # asyncpg decodes JSON itself (SQLAlchemy sets its codec)
        if kind in ("date", "datetime") and family == "sqlite":
            column_type = self.compiler.columns[field.name].column.type
            parse = column_type.dialect_impl(self.dialect).result_processor(self.dialect, None)
            if parse is None or kind == "date":
                return parse
            parse_text: Decoder = parse
            return lambda value: _utc(parse_text(value))
        if kind == "datetime":
            return _utc
        return None


def _json(value: Any) -> Any:
    # SQLite gives a JSON column NUMERIC affinity: it keeps the text "5" as the number 5
    return json.loads(value) if isinstance(value, str | bytes) else value


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
