"""``composer discover``: read a database, build the models, write the manifest files.

:func:`discover` connects through the ``sql`` connector (the same URL
rules and async drivers as a served datasource; a SQLite file is opened
read-only with aiosqlite), reads the schema with SQLAlchemy's inspector and
returns a :class:`Discovery`: the files of a project that validates and
serves as it is, and the notes to show.
:func:`~composer.discover.files.write_files` writes them.

A relative SQLite path is taken from the current folder (the file must
exist: discovering never creates a database); the manifest gets its
absolute path. ``schema`` picks a PostgreSQL schema (the served app finds
its tables through the role's ``search_path``) or a MySQL/MariaDB database
(the URL written, and the application's name, are that database's).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from composer.connectors import SqlConnector
from composer.discover.files import project_files
from composer.discover.models import build_models
from composer.discover.reflection import Database, Table, reflect
from composer.discover.relations import add_relations
from composer.errors import ComposerError

__all__ = ["DATASOURCE", "Discovery", "discover", "manifest_url"]

#: the name of the discovered datasource
DATASOURCE = "db"
_MEMORY = (None, "", ":memory:")
_NOT_DNS = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Discovery:
    """What :func:`discover` found: the project's files and the notes to show."""

    #: the application name (from the database)
    name: str
    #: file text by path relative to the project folder
    files: dict[str, str]
    #: the model of each table discovered, by table
    models: dict[str, str]
    #: what the user should know: columns and keys left out, read-only models, renamed relations
    notes: tuple[str, ...]


async def discover(
    url: str,
    *,
    schema: str | None = None,
    tables: Sequence[str] | None = None,
    views: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Discovery:
    """Read the database at ``url`` and build the project serving its tables.

    ``tables`` limits it to these tables (an unknown one is an error),
    ``views`` adds the views (read-only models), ``progress`` is called with
    a line per table read. Errors are :class:`~composer.errors.ComposerError`
    (an unreachable database: a ConnectorError), never showing a password.

    ::

        found = await discover("sqlite:///shop.db")
        write_files(found.files, Path("shop"), force=False)
    """
    parsed = _parse(url)
    try:
        async with _connected(parsed) as connection:
            database: Database = await connection.run_sync(
                lambda sync: reflect(
                    sync, schema=schema, tables=tables, views=views, progress=progress
                )
            )
    except exc.SQLAlchemyError as error:
        raise ComposerError(f"cannot read the schema: {_cause(error, parsed)}") from None
    if not database.tables:
        where = f" in schema {database.schema!r}" if database.schema else ""
        raise ComposerError(f"no tables{where} to discover ({parsed.render_as_string()})")
    notes = list(database.notes)
    if not database.default_schema and database.dialect == "postgresql":
        notes.append(
            f"the tables are in schema {schema!r}: the served app finds them through the "
            f"database role's search_path (ALTER ROLE ... SET search_path = {schema})"
        )
    models = build_models(database, DATASOURCE, notes)
    add_relations(models, notes)
    for model in models.values():
        if model.readonly:
            notes.append(
                f"{model.name} is served read-only (find and count"
                f"{', findById' if model.id_column else ''}): {'; '.join(model.readonly)}"
            )
    other_database = None if database.dialect == "postgresql" else schema
    name = app_name(parsed if other_database is None else parsed.set(database=other_database))
    expression = manifest_url(parsed, other_database)
    if parsed.password:
        notes.append("the password is not written: serve with DATABASE_URL set to the full URL")
    files = project_files(
        name,
        DATASOURCE,
        expression,
        {model.name: model.body for model in models.values()},
        sources={model.name: _source(model.table) for model in models.values()},
        header="composer discover",
    )
    return Discovery(
        name, files, {model.table.name: model.name for model in models.values()}, tuple(notes)
    )


def _source(table: Table) -> str:
    return f"{'view' if table.view else 'table'} {table.name}"


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except (exc.ArgumentError, ValueError):
        raise ComposerError(
            "invalid database URL (expected dialect[+driver]://user:password@host:port/db)"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        driver = parsed.get_driver_name()
        if "+" in parsed.drivername and driver != "aiosqlite":
            raise ComposerError(
                f"driver {driver!r} is not an async driver; use sqlite+aiosqlite "
                "or leave the driver out (sqlite://...)"
            )
        if parsed.database in _MEMORY:
            raise ComposerError("an in-memory SQLite database has no tables to discover")
        file = Path(parsed.database or "").expanduser().absolute()
        if not file.is_file():
            raise ComposerError(f"no SQLite database at {file}")
        parsed = parsed.set(database=str(file))
    return parsed


@asynccontextmanager
async def _connected(parsed: URL) -> AsyncIterator[AsyncConnection]:
    """A connection to the database: SQLite opened read-only, others through the connector."""
    if parsed.get_backend_name() == "sqlite":
        # read-only: discovering leaves the file as it was (the connector would turn on WAL)
        file = "file:" + quote(parsed.database or "")
        engine = create_async_engine(
            URL.create("sqlite+aiosqlite", database=file, query={"mode": "ro", "uri": "true"})
        )
        try:
            async with engine.connect() as connection:
                yield connection
        finally:
            await engine.dispose()
        return
    connector = SqlConnector(
        DATASOURCE, parsed.render_as_string(hide_password=False), data_dir=Path.cwd()
    )
    await connector.connect()
    try:
        async with connector.engine.connect() as connection:
            yield connection
    finally:
        await connector.disconnect()


def _cause(error: exc.SQLAlchemyError, parsed: URL) -> str:
    cause: Any = getattr(error, "orig", None) or error
    text = str(cause).splitlines()[0] if str(cause) else type(cause).__name__
    if parsed.password:
        text = text.replace(str(parsed.password), "***")
    return text


def app_name(parsed: URL) -> str:
    """The application name for a database: its name (a SQLite file's stem) as a DNS label.

    >>> from sqlalchemy.engine import make_url
    >>> app_name(make_url("sqlite:////data/My_Shop.db")), app_name(make_url("mysql://h/erp_2"))
    ('my-shop', 'erp-2')
    """
    database = parsed.database or ""
    if parsed.get_backend_name() == "sqlite":
        database = Path(database).stem
    label = _NOT_DNS.sub("-", database.lower()).strip("-")[:63].strip("-")
    return label or "app"


def manifest_url(parsed: URL, database: str | None = None) -> str:
    """The datasource URL to write: ``${DATABASE_URL:-<the URL without its password>}``.

    ``database`` replaces the URL's database (MySQL's ``--schema``). The URL
    is written escaped (``%7B`` for ``{``...), so it holds no ``${`` nor ``}``.

    >>> from sqlalchemy.engine import make_url
    >>> manifest_url(make_url("postgresql://app:s3cret@db:5432/shop"))
    '${DATABASE_URL:-postgresql://app@db:5432/shop}'
    """
    # URL.set() takes None as "unchanged": the URL is rebuilt without its password
    shown = URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=database if database is not None else parsed.database,
        query=parsed.query,
    )
    return "${DATABASE_URL:-" + shown.render_as_string(hide_password=False) + "}"
