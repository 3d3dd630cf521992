"""What a database holds, read through SQLAlchemy's inspector into plain data.

:func:`reflect` runs on a synchronous connection (``await
connection.run_sync(reflect, ...)`` on the project's async drivers) and
returns a :class:`Database`: its tables (and views, when asked) with their
columns, primary key, foreign keys and unique keys. Nothing is written.

Two things the inspector does not say are read from the database itself:
the declared type of a SQLite column (SQLite keeps the text, so ``UUID``
can be told from ``NUMERIC``), and which MariaDB ``LONGTEXT`` columns are
JSON (MariaDB's ``JSON`` is a ``LONGTEXT`` checked by ``json_valid``).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Inspector
from sqlalchemy.types import TypeEngine

from composer.errors import ComposerError

__all__ = ["Column", "Database", "ForeignKey", "Table", "reflect"]

_JSON_CHECK = re.compile(r"json_valid\(`?(\w+)`?\)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Column:
    """One column as the database describes it."""

    name: str
    #: the type SQLAlchemy reflected (a NullType when it did not know it)
    type: TypeEngine[Any]
    nullable: bool
    #: the default as SQL text, or None
    default: str | None = None
    #: the database numbers it (serial, identity, AUTO_INCREMENT, SQLite's INTEGER PRIMARY KEY)
    autoincrement: bool = False
    #: computed from other columns (GENERATED ALWAYS AS ...)
    computed: bool = False
    comment: str | None = None
    #: the type as written in the table's definition (SQLite only)
    declared: str | None = None
    #: MariaDB: a LONGTEXT column checked by json_valid, that is a JSON column
    json: bool = False


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """A foreign key: ``columns`` refer to ``referred`` columns of ``table``."""

    columns: tuple[str, ...]
    table: str
    referred: tuple[str, ...]
    #: the schema of ``table`` when it is not the one discovered
    schema: str | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """A table or a view."""

    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    #: the column sets of the unique constraints and unique indexes
    unique: tuple[tuple[str, ...], ...] = ()
    comment: str | None = None
    view: bool = False

    def column(self, name: str) -> Column:
        """The column called ``name``; KeyError when there is none."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


@dataclass(frozen=True, slots=True)
class Database:
    """The tables discovered in one schema of one database."""

    #: ``sqlite``, ``postgresql``, ``mysql`` or ``mariadb``
    dialect: str
    #: the schema (PostgreSQL) or database (MySQL) read; None for SQLite
    schema: str | None
    tables: tuple[Table, ...]
    #: what SQLAlchemy warned about while reading (types it does not know...)
    notes: tuple[str, ...] = ()
    #: the schema read is the connection's default one (the one a served app sees)
    default_schema: bool = True


def reflect(
    connection: Connection,
    *,
    schema: str | None = None,
    tables: Sequence[str] | None = None,
    views: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Database:
    """Read the tables of ``schema`` (default: the connection's own), and its views if ``views``.

    ``tables`` limits the read to these names (a view named there is read
    only with ``views``); an unknown name is a :class:`ComposerError`.
    ``progress`` is called with a line per table read.

    >>> from sqlalchemy import create_engine
    >>> engine = create_engine("sqlite://")
    >>> with engine.connect() as connection:
    ...     _ = connection.exec_driver_sql("CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT)")
    ...     database = reflect(connection)
    >>> [(t.name, [c.name for c in t.columns], t.primary_key) for t in database.tables]
    [('tags', ['id', 'name'], ('id',))]
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        inspector = inspect(connection)
        dialect = _dialect(connection)
        default_schema = inspector.default_schema_name
        read_schema = None if schema == default_schema else schema
        if read_schema is not None and read_schema not in inspector.get_schema_names():
            raise ComposerError(f"unknown schema {read_schema!r}")
        table_names = sorted(inspector.get_table_names(schema=read_schema))
        view_names = sorted(inspector.get_view_names(schema=read_schema))
        found = []
        for name in _chosen(table_names, view_names, tables, views):
            table = _table(
                connection, inspector, dialect, name, read_schema, view=name in view_names
            )
            found.append(table)
            if progress is not None:
                progress(_summary(table))
    notes = tuple(dict.fromkeys(str(warning.message) for warning in caught))
    shown = read_schema if read_schema is not None else default_schema
    return Database(
        dialect,
        None if dialect == "sqlite" else shown,
        tuple(found),
        notes,
        default_schema=read_schema is None,
    )


def _summary(table: Table) -> str:
    columns, keys = len(table.columns), len(table.foreign_keys)
    return (
        f"discovered {'view' if table.view else 'table'} {table.name} "
        f"({columns} column{'s' * (columns != 1)}, {keys} foreign key{'s' * (keys != 1)})"
    )


def _dialect(connection: Connection) -> str:
    name = connection.dialect.name
    if name in ("mysql", "mariadb"):
        return "mariadb" if getattr(connection.dialect, "is_mariadb", False) else "mysql"
    return name


def _chosen(
    table_names: list[str], view_names: list[str], wanted: Sequence[str] | None, views: bool
) -> list[str]:
    available = table_names + (view_names if views else [])
    if wanted is None:
        return available
    for name in wanted:
        if name in available:
            continue
        if name in view_names:
            raise ComposerError(f"{name!r} is a view: add --views to discover views")
        known = ", ".join(available) or "none"
        raise ComposerError(f"unknown table {name!r} (tables: {known})")
    return [name for name in available if name in wanted]


def _table(
    connection: Connection,
    inspector: Inspector,
    dialect: str,
    name: str,
    schema: str | None,
    *,
    view: bool,
) -> Table:
    declared = _sqlite_declared(connection, name) if dialect == "sqlite" else {}
    json_columns = _mariadb_json(connection, name, schema) if dialect == "mariadb" else set()
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    unique: list[tuple[str, ...]] = []
    if not view:
        primary_key = tuple(inspector.get_pk_constraint(name, schema=schema)["constrained_columns"])
        foreign_keys = tuple(
            ForeignKey(
                tuple(fk["constrained_columns"]),
                fk["referred_table"],
                tuple(fk["referred_columns"]),
                fk.get("referred_schema") if fk.get("referred_schema") != schema else None,
            )
            for fk in inspector.get_foreign_keys(name, schema=schema)
        )
        unique = [
            tuple(constraint["column_names"])
            for constraint in inspector.get_unique_constraints(name, schema=schema)
        ]
        # SQLite: a column's UNIQUE is an automatic index the constraints may not show
        options = {"include_auto_indexes": True} if dialect == "sqlite" else {}
        for index in inspector.get_indexes(name, schema=schema, **options):
            indexed = [column for column in index["column_names"] if column is not None]
            # an expression index has a None among its columns
            if index.get("unique") and len(indexed) == len(index["column_names"]):
                unique.append(tuple(indexed))
    rowid = dialect == "sqlite" and len(primary_key) == 1
    infos = inspector.get_columns(name, schema=schema)
    names = [str(info["name"]) for info in infos]
    # in the order of their columns (each database lists them its own way)
    foreign_keys = tuple(
        sorted(foreign_keys, key=lambda fk: [names.index(c) for c in fk.columns if c in names])
    )
    columns = tuple(
        _column(
            info,
            declared.get(info["name"]),
            json=info["name"] in json_columns,
            rowid=rowid and info["name"] == primary_key[0],
            view=view,
        )
        for info in infos
    )
    return Table(
        name,
        columns,
        primary_key,
        foreign_keys,
        tuple(dict.fromkeys(unique)),
        _comment(inspector, name, schema),
        view,
    )


def _column(info: Any, declared: str | None, *, json: bool, rowid: bool, view: bool) -> Column:
    default = info.get("default")
    # SQLite numbers an INTEGER PRIMARY KEY itself (it is the rowid)
    autoincrement = bool(info.get("autoincrement") is True or info.get("identity")) or (
        rowid and (declared or "").upper() == "INTEGER"
    )
    return Column(
        name=str(info["name"]),
        type=info["type"],
        nullable=bool(info.get("nullable", True)),
        default=None if view or default is None else str(default),
        autoincrement=autoincrement and not view,
        computed=bool(info.get("computed")),
        comment=info.get("comment") or None,
        declared=declared,
        json=json,
    )


def _comment(inspector: Inspector, name: str, schema: str | None) -> str | None:
    try:
        comment = inspector.get_table_comment(name, schema=schema)
    except NotImplementedError:  # SQLite keeps no comments
        return None
    return comment.get("text") or None


def _sqlite_declared(connection: Connection, table: str) -> dict[str, str]:
    rows = connection.execute(
        text("SELECT name, type FROM pragma_table_info(:table)"), {"table": table}
    )
    return {str(name): str(declared) for name, declared in rows}


def _mariadb_json(connection: Connection, table: str, schema: str | None) -> set[str]:
    # the inspector leaves out column CHECK constraints; MariaDB lists them here
    rows = connection.execute(
        text(
            "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
            "WHERE CONSTRAINT_SCHEMA = COALESCE(:schema, DATABASE()) AND TABLE_NAME = :table"
        ),
        {"schema": schema, "table": table},
    )
    found: set[str] = set()
    for (clause,) in rows:
        match = _JSON_CHECK.fullmatch(str(clause).strip())
        if match:
            found.add(match.group(1))
    return found
