"""The database lock a migration holds, so replicas starting together take turns.

Each database has its own kind of lock, always held by the connection that
inspects and changes the schema:

- PostgreSQL: a session advisory lock, ``pg_try_advisory_lock(key)``, the
  64-bit key derived from the current schema's name (advisory locks are
  already local to one database);
- MySQL and MariaDB: a named lock, ``GET_LOCK('composer.migrate:<database>',
  seconds)``, released with ``RELEASE_LOCK``;
- SQLite: the database's write lock, taken by ``BEGIN IMMEDIATE``; the
  schema changes then run in that transaction.

The lock is held only while a migration runs, never while serving. A
migration that cannot get it within ``timeout`` seconds fails with a
:class:`~composer.errors.ConnectorError` (operation ``migrate``).
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import exc, text
from sqlalchemy.ext.asyncio import AsyncConnection

from composer.errors import ConnectorError

__all__ = ["LOCK_TIMEOUT", "lock_key", "migration_lock"]

#: seconds a migration waits for another one to finish
LOCK_TIMEOUT = 60.0
_POLL = 0.1
_LOCK_PREFIX = "composer.migrate:"
#: MySQL's longest lock name
_MYSQL_NAME_LENGTH = 64


@asynccontextmanager
async def migration_lock(
    connection: AsyncConnection, *, datasource: str, timeout: float = LOCK_TIMEOUT
) -> AsyncIterator[None]:
    """Hold the migration lock of ``connection``'s database (schema on PostgreSQL).

    The body runs in one transaction (on SQLite the ``BEGIN IMMEDIATE`` one),
    committed when it ends normally and rolled back when it raises. MySQL
    commits each schema change as it runs, whatever the transaction.

    >>> import asyncio
    >>> from sqlalchemy.ext.asyncio import create_async_engine
    >>> async def migrate():
    ...     engine = create_async_engine("sqlite+aiosqlite://")
    ...     async with engine.connect() as connection:
    ...         async with migration_lock(connection, datasource="db"):
    ...             await connection.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    ...     await engine.dispose()
    >>> asyncio.run(migrate())
    """
    backend = connection.dialect.name
    if backend == "sqlite":
        async with _sqlite_write_lock(connection, datasource, timeout):
            yield
        return
    if backend == "postgresql":
        acquire, release = _postgresql_lock(await _scalar(connection, "SELECT current_schema()"))
    else:
        acquire, release = _mysql_lock(await _scalar(connection, "SELECT DATABASE()"))
    await connection.commit()
    await _acquire(connection, acquire, datasource, timeout)
    try:
        async with _transaction(connection):
            yield
    finally:
        await _release(connection, release)


def lock_key(backend: str, name: str) -> int | str:
    """The lock a migration of schema/database ``name`` takes on ``backend``.

    >>> lock_key("mysql", "shop")
    'composer.migrate:shop'
    >>> lock_key("postgresql", "public")
    -4956286769520014021
    """
    full = f"{_LOCK_PREFIX}{name}"
    if backend == "postgresql":
        digest = hashlib.sha256(full.encode()).digest()
        return int.from_bytes(digest[:8], "big", signed=True)
    if len(full) <= _MYSQL_NAME_LENGTH:
        return full
    return f"{_LOCK_PREFIX}{hashlib.sha256(name.encode()).hexdigest()[:40]}"


_Statement = tuple[str, dict[str, object]]


def _postgresql_lock(schema: object) -> tuple[_Statement, _Statement]:
    params: dict[str, object] = {"key": lock_key("postgresql", str(schema))}
    return ("SELECT pg_try_advisory_lock(:key)", params), (
        "SELECT pg_advisory_unlock(:key)",
        params,
    )


def _mysql_lock(database: object) -> tuple[_Statement, _Statement]:
    name = lock_key("mysql", str(database))
    # GET_LOCK waits on the server side, up to a second per attempt
    return ("SELECT GET_LOCK(:name, 1)", {"name": name}), (
        "SELECT RELEASE_LOCK(:name)",
        {"name": name},
    )


async def _acquire(
    connection: AsyncConnection, acquire: _Statement, datasource: str, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    sql, params = acquire
    while True:
        got = (await connection.execute(text(sql), params)).scalar()
        await connection.commit()
        if got == 1 or got is True:
            return
        if time.monotonic() >= deadline:
            raise _timeout_error(datasource, timeout)
        await asyncio.sleep(_POLL)


async def _release(connection: AsyncConnection, release: _Statement) -> None:
    sql, params = release
    try:
        if connection.in_transaction():
            await connection.rollback()
        await connection.execute(text(sql), params)
        await connection.commit()
    except exc.DBAPIError:
        # a connection that may still hold the lock must never go back to the pool
        await connection.invalidate()
        raise


@asynccontextmanager
async def _sqlite_write_lock(
    connection: AsyncConnection, datasource: str, timeout: float
) -> AsyncIterator[None]:
    # SQLite's busy handler does the waiting; for this one statement it waits `timeout`
    previous = await _scalar(connection, "PRAGMA busy_timeout")
    await connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    try:
        await connection.exec_driver_sql("BEGIN IMMEDIATE")
    except exc.OperationalError as error:
        if "locked" in str(error.orig):
            raise _timeout_error(datasource, timeout) from error
        raise
    finally:
        await connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(str(previous))}")
    async with _transaction(connection):
        yield


@asynccontextmanager
async def _transaction(connection: AsyncConnection) -> AsyncIterator[None]:
    try:
        yield
    except BaseException:
        await connection.rollback()
        raise
    await connection.commit()


async def _scalar(connection: AsyncConnection, sql: str) -> object:
    return (await connection.execute(text(sql))).scalar()


def _timeout_error(datasource: str, timeout: float) -> ConnectorError:
    return ConnectorError(
        f"another migration held the database lock for over {timeout:g}s",
        datasource=datasource,
        operation="migrate",
    )
