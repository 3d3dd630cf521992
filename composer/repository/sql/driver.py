"""Compiled statements run on the driver's own connection: asyncpg, aiosqlite, aiomysql.

The connection comes from the SQLAlchemy engine's pool (so ``pool_size``,
``max_overflow`` and ``pool_timeout`` apply), but statements skip
SQLAlchemy's connection, transaction and result layers: a find by id costs
one driver call. Each database's :class:`Driver` knows how to fetch rows,
count affected rows, read a generated id and make several statements one
transaction; :class:`Connections` checks connections out and in.

Transactions: on PostgreSQL a single statement commits by itself and several
run inside ``BEGIN ... COMMIT``; SQLite and MySQL open a transaction with the
first write and are committed (or rolled back on any error) at the end.

Statement timeouts, when the datasource sets one: PostgreSQL's
``statement_timeout`` and MariaDB's ``max_statement_time`` (MySQL's
``max_execution_time``, SELECT only) are set once on each connection; SQLite
is interrupted by a progress handler (see :mod:`.functions`). Every statement
also runs under a client-side limit of twice the timeout (plus 0.1 s), which
closes the connection when it fires: the backstop for what the server does
not cover (MySQL writes, a network that stopped answering).

MySQL's and MariaDB's regular expression engines backtrack, and give up on
a pattern like ``^(a+)+$`` over a long value: MariaDB with a warning (error
1139) while counting the row as not matching, so the result would be wrong.
A statement that matches a regular expression (:attr:`Statement.regexp`)
therefore runs on a cursor that keeps the server's warnings, and such a
warning fails it with :class:`~.errors.RegexpLimitError`. The warnings cost
nothing when there are none: the server counts them in its reply.
"""

from __future__ import annotations

import asyncio
import sqlite3
import warnings
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

import aiomysql
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.util import greenlet_spawn

from composer.connectors.sql import SqlConnector
from composer.repository.sql.compile import REGEXP_FUNCTION as REGEXP_FUNCTION_NAME
from composer.repository.sql.errors import REGEXP_CODES, RegexpLimitError, is_disconnect
from composer.repository.sql.functions import (
    PROGRESS_STEPS,
    Deadline,
    prepare_sqlite,
    regexp_function,
)
from composer.repository.sql.statement import Statement

__all__ = ["Connections", "Driver", "Handle", "driver_for"]

_PREPARED = "composer.prepared"
_DEADLINE = "composer.deadline"


@dataclass(frozen=True, slots=True)
class Handle:
    """A checked-out connection: the driver's connection and its per-connection state."""

    raw: Any
    #: the pool's dict for this database connection (kept across checkouts)
    info: dict[str, Any]


class Driver(ABC):
    """How statements run on one kind of driver connection."""

    family = ""

    def __init__(self, timeout: float | None) -> None:
        #: the datasource's statement timeout in seconds
        self.timeout = timeout
        self.backstop = None if timeout is None else timeout * 2 + 0.1

    @abstractmethod
    async def prepare(self, handle: Handle) -> None:
        """Set up a connection the first time the backend uses it."""

    @abstractmethod
    async def fetch(self, handle: Handle, statement: Statement, args: list[Any]) -> Sequence[Any]:
        """The rows of a query, each a sequence of column values."""

    @abstractmethod
    async def execute(self, handle: Handle, statement: Statement, args: list[Any]) -> int:
        """Run a write; how many rows it matched."""

    @abstractmethod
    async def insert(self, handle: Handle, statement: Statement, args: list[Any]) -> Any:
        """Run an INSERT; the id the database generated (None if it generated none)."""

    def atomic(self, handle: Handle, *, several: bool) -> AbstractAsyncContextManager[None]:
        """Commit the writes made inside as one, or none of them on an error."""
        return self._commit(handle)

    @asynccontextmanager
    async def _commit(self, handle: Handle) -> AsyncIterator[None]:
        try:
            yield
        except BaseException:
            await _quietly(handle.raw.rollback())
            raise
        await self._limited(handle.raw.commit())

    async def _limited(self, call: Any) -> Any:
        if self.backstop is None:
            return await call
        async with asyncio.timeout(self.backstop):
            return await call


class PostgresqlDriver(Driver):
    """asyncpg: numbered parameters, RETURNING, status strings like ``UPDATE 3``."""

    family = "postgresql"

    async def prepare(self, handle: Handle) -> None:
        if self.timeout is not None:
            milliseconds = f"{max(1, round(self.timeout * 1000))}ms"
            await handle.raw.execute(
                "SELECT set_config('statement_timeout', $1, false)", milliseconds
            )

    async def fetch(self, handle: Handle, statement: Statement, args: list[Any]) -> Sequence[Any]:
        rows: Sequence[Any] = await self._limited(handle.raw.fetch(statement.sql, *args))
        return rows

    async def execute(self, handle: Handle, statement: Statement, args: list[Any]) -> int:
        status: str = await self._limited(handle.raw.execute(statement.sql, *args))
        return int(status.rpartition(" ")[2] or 0)

    async def insert(self, handle: Handle, statement: Statement, args: list[Any]) -> Any:
        return await self._limited(handle.raw.fetchval(statement.sql, *args))

    def atomic(self, handle: Handle, *, several: bool) -> AbstractAsyncContextManager[None]:
        if several:
            transaction: AbstractAsyncContextManager[None] = handle.raw.transaction()
            return transaction
        return nullcontext()


class SqliteDriver(Driver):
    """aiosqlite: ``?`` parameters, RETURNING (``lastrowid`` before SQLite 3.35); the deadline
    armed around each statement."""

    family = "sqlite"

    async def prepare(self, handle: Handle) -> None:
        handle.info[_DEADLINE] = await prepare_sqlite(handle.raw, self.timeout)

    async def fetch(self, handle: Handle, statement: Statement, args: list[Any]) -> Sequence[Any]:
        async with self._deadline(handle):
            rows: Sequence[Any] = await self._limited(
                handle.raw.execute_fetchall(statement.sql, args)
            )
        return rows

    async def execute(self, handle: Handle, statement: Statement, args: list[Any]) -> int:
        async with self._deadline(handle):
            cursor = await self._limited(handle.raw.execute(statement.sql, args))
        count: int = cursor.rowcount
        await cursor.close()
        return count

    async def insert(self, handle: Handle, statement: Statement, args: list[Any]) -> Any:
        if statement.returning:
            rows = await self.fetch(handle, statement, args)
            return rows[0][0] if rows else None
        async with self._deadline(handle):  # SQLite before 3.35 has no RETURNING
            cursor = await self._limited(handle.raw.execute(statement.sql, args))
        generated = cursor.lastrowid
        await cursor.close()
        return generated

    @asynccontextmanager
    async def _deadline(self, handle: Handle) -> AsyncIterator[None]:
        if self.timeout is None:
            yield
            return
        deadline: Deadline = handle.info[_DEADLINE]
        deadline.arm(self.timeout)
        try:
            yield
        finally:
            deadline.disarm()


class MysqlDriver(Driver):
    """aiomysql: ``%s`` parameters, ``lastrowid``.

    MySQL's protocol as aiomysql speaks it has no server-side parameters: the
    driver escapes each value into the statement text. That is done here,
    with the connection's own escaping, because aiomysql's cannot escape
    bytes or a list with the PyMySQL it runs on: bytes become a hex literal
    (``X'00ff'``), a list ``(a, b, ...)``.
    """

    family = "mysql"

    async def prepare(self, handle: Handle) -> None:
        if self.timeout is None:
            return
        if "mariadb" in handle.raw.get_server_info().lower():
            setting = f"SET SESSION max_statement_time = {self.timeout:.6f}"
        else:
            setting = f"SET SESSION max_execution_time = {max(1, round(self.timeout * 1000)):d}"
        async with handle.raw.cursor() as cursor:
            await cursor.execute(setting)

    async def fetch(self, handle: Handle, statement: Statement, args: list[Any]) -> Sequence[Any]:
        async with self._cursor(handle, statement) as cursor:
            await self._run(handle, cursor, statement, args)
            rows: Sequence[Any] = await cursor.fetchall()
        return rows

    async def execute(self, handle: Handle, statement: Statement, args: list[Any]) -> int:
        async with self._cursor(handle, statement) as cursor:
            return await self._run(handle, cursor, statement, args)

    async def insert(self, handle: Handle, statement: Statement, args: list[Any]) -> Any:
        async with handle.raw.cursor() as cursor:
            await self._limited(cursor.execute(_interpolate(handle.raw, statement.sql, args)))
            return cursor.lastrowid or None

    def _cursor(self, handle: Handle, statement: Statement) -> Any:
        return handle.raw.cursor(_WarningCursor) if statement.regexp else handle.raw.cursor()

    async def _run(self, handle: Handle, cursor: Any, statement: Statement, args: list[Any]) -> int:
        count: int = await self._limited(
            cursor.execute(_interpolate(handle.raw, statement.sql, args))
        )
        if statement.regexp:
            noted: tuple[tuple[str, int, str], ...] = cursor.server_warnings
            gave_up = [message for _, code, message in noted if code in REGEXP_CODES]
            if gave_up:
                raise RegexpLimitError(str(gave_up[0]))
            for _, _, message in noted:
                warnings.warn(str(message), Warning, stacklevel=2)  # as aiomysql's cursor does
        return count


class _WarningCursor(aiomysql.Cursor):  # type: ignore[misc]
    """An aiomysql cursor that keeps the statement's warnings rather than warning with them."""

    server_warnings: tuple[tuple[str, int, str], ...] = ()

    async def _show_warnings(self, conn: Any) -> None:
        if self._result and self._result.has_next:
            return
        self.server_warnings = tuple(await conn.show_warnings() or ())


def _interpolate(connection: Any, sql: str, args: list[Any]) -> str:
    """``sql`` (``format`` style: ``%s``, ``%%``) with every argument escaped in."""
    return sql % tuple(_literal(connection, arg) for arg in args)


def _literal(connection: Any, value: Any) -> str:
    if isinstance(value, bytes):
        return f"X'{value.hex()}'"
    if isinstance(value, tuple):
        return "(" + ", ".join(_literal(connection, item) for item in value) + ")"
    literal: str = connection.escape(value)
    return literal


def driver_for(family: str, timeout: float | None) -> Driver:
    """The driver of a database family (``sqlite``, ``postgresql``, ``mysql``)."""
    drivers: dict[str, type[Driver]] = {
        "postgresql": PostgresqlDriver,
        "sqlite": SqliteDriver,
        "mysql": MysqlDriver,
    }
    return drivers[family](timeout)


class Connections:
    """Checks driver connections out of a connector's pool, prepared for the backend.

    A connection that failed mid-statement (a client-side timeout, a
    cancellation, a lost link) is invalidated rather than handed out again.
    """

    def __init__(self, connector: SqlConnector, driver: Driver) -> None:
        self.connector = connector
        self.driver = driver

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[Handle]:
        """A connection for the duration of the block."""
        lock = self.connector.exclusive
        if lock is None:
            async with self._checkout() as handle:
                yield handle
            return
        async with lock, self._checkout() as handle:
            yield handle

    @asynccontextmanager
    async def _checkout(self) -> AsyncIterator[Handle]:
        pool = self.connector.engine.sync_engine.pool  # the engine's current pool
        proxied: PoolProxiedConnection = await greenlet_spawn(pool.connect)
        try:
            handle = Handle(proxied.driver_connection, proxied.info)
            if _PREPARED not in proxied.info:
                await self.driver.prepare(handle)
                proxied.info[_PREPARED] = True
            yield handle
        except BaseException as error:
            if isinstance(error, asyncio.CancelledError | TimeoutError) or is_disconnect(error):
                await greenlet_spawn(proxied.invalidate, error)
            raise
        finally:
            await greenlet_spawn(proxied.close)


async def _quietly(call: Any) -> None:
    """Await ``call``; a failure there must not hide the error being handled."""
    try:
        await call
    except Exception:  # the original error is re-raised by the caller
        return


def fetch_inline(
    connector: SqlConnector, statement: Statement, args: list[Any], timeout: float | None
) -> Sequence[Any] | None:
    """The rows of a read on the connector's :attr:`~SqlConnector.reader`, run on the calling
    (event loop's) thread; None when there is no reader or the read would wait for a lock
    (the caller then runs it through the pool).

    The statement timeout holds as on pooled connections (a progress handler stops the
    statement); the connection is ``query_only``, so only reads ever run here.
    """
    reader = connector.reader
    if reader is None:
        return None
    state = connector.reader_state
    deadline: Deadline | None = state.get("deadline")
    if deadline is None:
        reader.create_function(REGEXP_FUNCTION_NAME, 2, regexp_function(), deterministic=True)
        deadline = state["deadline"] = Deadline()
        reader.set_progress_handler(deadline.passed, PROGRESS_STEPS)
    if timeout is not None:
        deadline.arm(timeout)
    try:
        return reader.execute(statement.sql, args).fetchall()
    except sqlite3.OperationalError as error:
        if error.sqlite_errorcode in _BUSY:
            return None
        raise
    finally:
        deadline.disarm()


#: SQLite's answers when a lock is held by another connection
_BUSY = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
