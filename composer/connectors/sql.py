"""The ``sql`` connector: SQLite, PostgreSQL, MySQL and MariaDB through SQLAlchemy's async engine.

The URL's scheme picks the database; without a ``+driver`` the async driver
composer ships is used (``sqlite`` -> ``sqlite+aiosqlite``, ``postgresql`` or
``postgres`` -> ``postgresql+asyncpg``, ``mysql`` -> ``mysql+aiomysql``,
``mariadb`` -> ``mariadb+aiomysql``). A relative SQLite path
(``sqlite:///todo.db``) lives under the data directory, which connect
creates; an absolute one (``sqlite:////var/db/todo.db``) is used as given;
``sqlite://`` and ``sqlite:///:memory:`` are in memory. Every SQLite
connection runs with WAL journaling, ``synchronous=NORMAL``, foreign keys
enforced and a 5 s busy timeout.

``pool_size``, ``max_overflow`` and ``pool_timeout`` size the connection pool
(an in-memory SQLite database has exactly one connection, shared: whoever
runs statements on it holds :attr:`SqlConnector.exclusive`). ``max_overflow``
defaults to :data:`DEFAULT_MAX_OVERFLOW`, none: under load, requests wait for
one of the ``pool_size`` connections rather than open and close a connection
each (SQLAlchemy's default of 10 overflow connections, each closed when
returned, turns a busy server into one that connects per request).
``statement_timeout`` is kept for the SQL backend, which applies it to the
connections it runs statements on.

Errors are :class:`~composer.errors.ConnectorError` naming the datasource, the
operation and the cause; a URL is only ever shown with its password hidden.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc, pool, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from composer.errors import BootError, ConnectorError
from composer.spec import DatasourceSpec, SqlDatasourceSpec

__all__ = ["SQLITE_PRAGMAS", "SqlConnector"]

#: connections opened beyond ``pool_size`` under load, unless the datasource says otherwise
DEFAULT_MAX_OVERFLOW = 0

#: the async driver used when a URL names none, by the URL's scheme
_DEFAULT_DRIVERS = {
    "sqlite": ("sqlite", "aiosqlite"),
    "postgresql": ("postgresql", "asyncpg"),
    "postgres": ("postgresql", "asyncpg"),
    "mysql": ("mysql", "aiomysql"),
    "mariadb": ("mariadb", "aiomysql"),
}
#: the async drivers SQLAlchemy offers for each database
_ASYNC_DRIVERS = {
    "sqlite": ("aiosqlite",),
    "postgresql": ("asyncpg", "psycopg"),
    "mysql": ("aiomysql", "asyncmy"),
    "mariadb": ("aiomysql", "asyncmy"),
}
#: run on every new SQLite connection
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)
_MEMORY_DATABASES = (None, "", ":memory:")


class SqlConnector:
    """A SQL database behind an async SQLAlchemy engine.

    >>> import asyncio, pathlib
    >>> db = SqlConnector("db", "sqlite://", data_dir=pathlib.Path(".composer"))
    >>> async def check():
    ...     await db.connect(); await db.ping(); await db.disconnect()
    >>> asyncio.run(check())
    """

    kind = "sql"

    def __init__(
        self,
        name: str,
        url: str,
        *,
        data_dir: Path,
        pool_size: int | None = None,
        max_overflow: int | None = None,
        pool_timeout: float | None = None,
        statement_timeout: float | None = None,
        echo: bool = False,
        connect_timeout: float = 10.0,
    ) -> None:
        self.name = name
        self.url = url
        self.data_dir = data_dir
        self.pool_size = pool_size
        #: connections opened beyond pool_size under load
        self.max_overflow = max_overflow
        #: seconds a checkout waits for a free connection
        self.pool_timeout = pool_timeout
        #: seconds a statement may run (applied by the SQL backend)
        self.statement_timeout = statement_timeout
        self.echo = echo
        #: seconds connect may take before it fails
        self.connect_timeout = connect_timeout
        #: held while using the one connection of an in-memory SQLite database
        self.exclusive: asyncio.Lock | None = None
        #: a SQLite file takes one writer at a time: held by each write transaction, so
        #: writers of this process queue here instead of sleeping in SQLite's busy handler
        self.writing: asyncio.Lock | None = None
        #: how many statements the models' backends have sent to the database (a query
        #: counter for tests and benchmarks: it shows what reached the database)
        self.statements = 0
        #: a SQLite file's read-only connection for the event loop's own thread (see
        #: :attr:`reader`); None for other databases and before connect
        self._reader: sqlite3.Connection | None = None
        #: the SQL backend's state for :attr:`reader` (its prepared functions)
        self.reader_state: dict[str, Any] = {}
        self._engine: AsyncEngine | None = None

    @classmethod
    def from_spec(
        cls, name: str, spec: DatasourceSpec, *, root: Path, data_dir: Path
    ) -> SqlConnector:
        """The connector of a ``connector: sql`` datasource."""
        if not isinstance(spec, SqlDatasourceSpec):
            raise BootError(f"not a sql datasource: {spec.connector}", artifact=name)
        return cls(
            name,
            spec.url,
            data_dir=data_dir,
            pool_size=spec.pool_size,
            max_overflow=spec.max_overflow,
            pool_timeout=spec.pool_timeout,
            statement_timeout=spec.statement_timeout,
            echo=spec.echo,
        )

    @property
    def engine(self) -> AsyncEngine:
        """The connected engine; a ConnectorError before connect and after disconnect."""
        if self._engine is None:
            raise self._error("engine", "not connected")
        return self._engine

    @property
    def safe_url(self) -> str:
        """The URL with its password hidden (``***``), or a placeholder when it does not parse."""
        try:
            return make_url(self.url).render_as_string(hide_password=True)
        except (exc.ArgumentError, ValueError):
            return "<invalid URL>"

    async def connect(self) -> None:
        """Open the engine and run ``SELECT 1``; any failure disposes it and raises."""
        if self._engine is not None:
            return
        url = self._async_url()
        file = url.get_backend_name() == "sqlite" and url.database not in _MEMORY_DATABASES
        if file:
            self._open_sqlite_file(url)
        engine = self._create_engine(url)
        try:
            async with asyncio.timeout(self.connect_timeout):
                await _select_one(engine)
        except BaseException as error:
            await engine.dispose()
            if isinstance(error, TimeoutError):
                raise self._error(
                    "connect", f"{_shown(url)}: no answer within {self.connect_timeout:g}s"
                ) from None
            if isinstance(error, Exception):
                raise self._error("connect", f"{_shown(url)}: {self._cause(error)}") from error
            raise
        if file:
            try:
                self._open_reader(url)
            except ConnectorError:
                await engine.dispose()
                raise
            self.writing = asyncio.Lock()
        self._engine = engine
        if isinstance(engine.pool, pool.StaticPool):
            self.exclusive = asyncio.Lock()

    @property
    def reader(self) -> sqlite3.Connection | None:
        """For a SQLite file: a ``query_only`` connection opened for the event loop's thread.

        A short read there costs a few microseconds of the loop's time, where
        aiosqlite's worker thread costs two thread switches per statement; the SQL
        backend runs reads outside transactions on it (see
        :meth:`composer.repository.sql.driver.SqliteDriver.fetch_inline`). It never
        waits for a lock (``busy_timeout`` 0): a read that would is sent to the pool.
        """
        return self._reader

    async def disconnect(self) -> None:
        """Dispose of the engine and its pool."""
        engine, self._engine = self._engine, None
        self.exclusive = None
        self.writing = None
        reader, self._reader = self._reader, None
        self.reader_state = {}
        if reader is not None:
            reader.close()
        if engine is None:
            return
        try:
            await engine.dispose()
        except Exception as error:
            raise self._error("disconnect", self._cause(error)) from error

    async def ping(self) -> None:
        """Run ``SELECT 1``."""
        engine = self._engine
        if engine is None:
            raise self._error("ping", "not connected")
        try:
            await _select_one(engine)
        except Exception as error:
            raise self._error("ping", self._cause(error)) from error

    def _async_url(self) -> URL:
        try:
            url = make_url(self.url)
        except (exc.ArgumentError, ValueError):
            raise self._error(
                "connect", "invalid URL (expected dialect[+driver]://user:password@host:port/db)"
            ) from None
        scheme, _, driver = url.drivername.partition("+")
        if scheme not in _DEFAULT_DRIVERS:
            known = ", ".join(_DEFAULT_DRIVERS)
            raise self._error("connect", f"unsupported database {scheme!r} (supported: {known})")
        backend, default = _DEFAULT_DRIVERS[scheme]
        if driver and driver not in _ASYNC_DRIVERS[backend]:
            raise self._error(
                "connect",
                f"driver {driver!r} is not an async driver; use {backend}+{default} "
                f"or leave the driver out ({scheme}://...)",
            )
        url = url.set(drivername=f"{backend}+{driver or default}")
        if backend == "sqlite" and url.database not in _MEMORY_DATABASES:
            url = url.set(database=str(self._sqlite_file(url.database or "")))
        return url

    def _sqlite_file(self, database: str) -> Path:
        file = Path(database)
        if not file.is_absolute():
            file = self.data_dir.absolute() / file
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            reason = (error.strerror or str(error)).lower()
            raise self._error("connect", f"cannot create {file.parent}: {reason}") from error
        return file

    def _open_reader(self, url: URL) -> None:
        reader = sqlite3.connect(url.database or "", isolation_level=None)
        try:
            for pragma in (*SQLITE_PRAGMAS, "PRAGMA query_only = ON", "PRAGMA busy_timeout = 0"):
                reader.execute(pragma)
        except sqlite3.Error as error:
            reader.close()
            raise self._error("connect", f"{_shown(url)}: {error}") from error
        self._reader = reader

    def _open_sqlite_file(self, url: URL) -> None:
        # aiosqlite leaves its worker thread behind when opening fails, so the
        # file is opened once here first (fast, and only at connect).
        try:
            sqlite3.connect(url.database or "").close()
        except sqlite3.Error as error:
            raise self._error("connect", f"{_shown(url)}: {error}") from error

    def _create_engine(self, url: URL) -> AsyncEngine:
        options: dict[str, Any] = {"echo": self.echo}
        if url.get_backend_name() == "sqlite" and url.database in _MEMORY_DATABASES:
            # one shared connection, or every connection would see its own empty database
            options["poolclass"] = pool.StaticPool
        else:
            sizes = {
                "pool_size": self.pool_size,
                "max_overflow": DEFAULT_MAX_OVERFLOW
                if self.max_overflow is None
                else self.max_overflow,
                "pool_timeout": self.pool_timeout,
            }
            options.update((key, value) for key, value in sizes.items() if value is not None)
            if url.get_backend_name() != "mysql":
                # the SQL backend ends every transaction it begins (commit or rollback) and
                # SQLite and asyncpg open none for a lone statement, so a connection comes
                # back clean: resetting it would cost a ROLLBACK per request. MySQL
                # connections are reset: a SELECT there opens a transaction (and a snapshot).
                options["pool_reset_on_return"] = None
        try:
            engine = create_async_engine(url, **options)
        except (exc.NoSuchModuleError, ImportError) as error:
            raise self._error("connect", f"driver not installed: {url.drivername}") from error
        if url.get_backend_name() == "sqlite":
            event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine

    def _cause(self, error: BaseException) -> str:
        """A short, secret-free description of what went wrong."""
        if isinstance(error, exc.DBAPIError) and error.orig is not None:
            error = error.orig
        if isinstance(error, OSError) and error.strerror:
            cause = error.strerror
        elif len(error.args) == 2 and isinstance(error.args[0], int):
            cause = str(error.args[1])  # MySQL drivers: (code, message)
        else:
            cause = str(error) or type(error).__name__
        try:
            password = make_url(self.url).password
        except (exc.ArgumentError, ValueError):
            password = None
        if password:
            cause = cause.replace(str(password), "***")
        return cause

    def _error(self, operation: str, message: str) -> ConnectorError:
        return ConnectorError(message, datasource=self.name, operation=operation)


async def _select_one(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)
