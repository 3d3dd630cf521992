"""Bringing a database's schema up to the models: autoupdate, plans and rebuilds.

:func:`autoupdate` runs at start for a datasource with ``migrate:
autoupdate``: it creates the missing tables, columns and indexes and changes
nothing else. It never drops a table, column or index, never alters a column
and never adds a NOT NULL column without a default to a table holding rows
(nor, on SQLite, to any table); each such difference is a problem, and one
problem means nothing is changed at all: a :class:`~composer.errors.BootError`
lists every one. The whole comparison and change runs under the migration lock
(:mod:`composer.repository.sql.lock`), so replicas starting together take
turns and the second finds nothing left to do.

:func:`plan_migration` and :func:`apply_migration` do the same in two steps
for ``composer migrate``; with ``rebuild=True`` the plan drops and recreates
every model table, which deletes its rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Column,
    Index,
    MetaData,
    Table,
    exc,
    exists,
    func,
    select,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.schema import CreateIndex, CreateTable, DropTable, ExecutableDDLElement
from sqlalchemy.types import TypeEngine

from composer.connectors.sql import SqlConnector
from composer.errors import BootError, ConnectorError
from composer.repository.entity import EntityInfo, FieldInfo
from composer.repository.sql.lock import migration_lock
from composer.repository.sql.schema import (
    MYSQL_COLLATIONS,
    AddColumn,
    LiveTable,
    dialect_key,
    holds,
    index_name,
    live_schema,
    table_for,
    type_kind,
)

__all__ = [
    "MigrationPlan",
    "MigrationReport",
    "apply_migration",
    "autoupdate",
    "plan_migration",
    "refuse",
]


@dataclass(frozen=True, slots=True)
class MigrationPlan:
    """What a migration would do: its DDL as text, or the problems that forbid it.

    ``warnings`` are differences that do not stop a migration (a string
    column's collation, a NOT NULL column the models don't know).
    """

    ddl: list[str]
    problems: list[str]
    warnings: list[str] = field(default_factory=list)
    #: the statements ``ddl`` shows, in order, ready to run
    statements: tuple[ExecutableDDLElement, ...] = field(default=(), repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class MigrationReport:
    """What :func:`autoupdate` did to a datasource: the DDL it ran, and its warnings."""

    datasource: str
    ddl: list[str]
    warnings: list[str]

    @property
    def changed(self) -> bool:
        return bool(self.ddl)


async def autoupdate(connector: SqlConnector, entities: Sequence[EntityInfo]) -> MigrationReport:
    """Create the missing tables, columns and indexes of ``entities``, under the migration lock.

    Raises :class:`~composer.errors.BootError` naming every change autoupdate
    refuses to make (nothing is changed then).

    >>> import asyncio, pathlib
    >>> from composer.repository.entity import entity_info
    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Todo": ModelSpec(
    ...     properties={"id": PropertySpec(type="integer", id=True, generated=True)})})
    >>> async def boot():
    ...     db = SqlConnector("db", "sqlite://", data_dir=pathlib.Path("."))
    ...     await db.connect()
    ...     try:
    ...         first = await autoupdate(db, [entity_info(app, "Todo")])
    ...         return first.ddl, (await autoupdate(db, [entity_info(app, "Todo")])).ddl
    ...     finally:
    ...         await db.disconnect()
    >>> asyncio.run(boot())
    (['CREATE TABLE "Todo" (\\n  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT\\n)'], [])
    """
    engine = connector.engine
    async with (
        engine.connect() as connection,
        migration_lock(connection, datasource=connector.name),
    ):
        plan = await _plan(connection, entities, rebuild=False)
        refuse(connector, plan)
        await _run(connector, connection, plan)
    return MigrationReport(connector.name, plan.ddl, plan.warnings)


async def plan_migration(
    connector: SqlConnector, entities: Sequence[EntityInfo], *, rebuild: bool
) -> MigrationPlan:
    """The DDL bringing the database to ``entities``, as ``--dry-run`` prints it; changes nothing.

    >>> import asyncio, pathlib
    >>> from composer.repository.entity import entity_info
    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Todo": ModelSpec(
    ...     properties={"id": PropertySpec(type="integer", id=True, generated=True)})})
    >>> async def migrate():
    ...     db = SqlConnector("db", "sqlite://", data_dir=pathlib.Path("."))
    ...     await db.connect()
    ...     try:
    ...         plan = await plan_migration(db, [entity_info(app, "Todo")], rebuild=True)
    ...         await apply_migration(db, plan)
    ...         return plan
    ...     finally:
    ...         await db.disconnect()
    >>> for statement in asyncio.run(migrate()).ddl:
    ...     print(f"{statement};")
    DROP TABLE IF EXISTS "Todo";
    CREATE TABLE "Todo" (
      id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT
    );
    """
    async with connector.engine.connect() as connection:
        try:
            return await _plan(connection, entities, rebuild=rebuild)
        finally:
            await connection.rollback()


async def apply_migration(connector: SqlConnector, plan: MigrationPlan) -> None:
    """Run ``plan``'s statements under the migration lock; a BootError when it has problems.

    See :func:`plan_migration` for an example.
    """
    refuse(connector, plan)
    engine = connector.engine
    async with (
        engine.connect() as connection,
        migration_lock(connection, datasource=connector.name),
    ):
        await _run(connector, connection, plan)


def refuse(connector: SqlConnector, plan: MigrationPlan) -> None:
    """Raise the BootError listing every problem of ``plan``; nothing when it has none."""
    if plan.problems:
        listed = "".join(f"\n  {problem}" for problem in plan.problems)
        raise BootError(
            f"the schema cannot be migrated automatically; nothing was changed:{listed}",
            artifact=f"datasources.{connector.name}",
        )


async def _run(connector: SqlConnector, connection: AsyncConnection, plan: MigrationPlan) -> None:
    for statement, shown in zip(plan.statements, plan.ddl, strict=True):
        try:
            await connection.execute(statement)
        except exc.DBAPIError as error:
            cause = error.orig if error.orig is not None else error
            first_line = shown.splitlines()[0]
            raise ConnectorError(
                f"{first_line}: {cause}", datasource=connector.name, operation="migrate"
            ) from error


async def _plan(
    connection: AsyncConnection, entities: Sequence[EntityInfo], *, rebuild: bool
) -> MigrationPlan:
    dialect = connection.dialect
    metadata = MetaData()
    tables = _tables(entities, metadata, dialect_key(dialect))
    if rebuild:
        statements: list[ExecutableDDLElement] = [
            DropTable(table, if_exists=True) for _, table in reversed(tables)
        ]
        for info, table in tables:
            statements.extend(_create(info, table))
        return _compiled(statements, dialect, [], [])
    existing = await connection.run_sync(live_schema, [t.name for _, t in tables])
    planner = _Planner(dialect)
    for info, table in tables:
        live = existing.get(table.name)
        if live is None:
            planner.statements.extend(_create(info, table))
            continue
        has_rows = bool((await connection.execute(select(exists().select_from(table)))).scalar())
        for index in planner.update(info, table, live, has_rows=has_rows):
            if has_rows and index.unique and await _duplicated(connection, index, live):
                shown = ", ".join(str(column.name) for column in index.columns)
                planner.problems.append(
                    f'table "{table.name}", index "{index.name}": rows share values of '
                    f"({shown}), so the unique index cannot be created; autoupdate never "
                    "changes rows"
                )
            else:
                planner.statements.append(CreateIndex(index))
    return _compiled(planner.statements, dialect, planner.problems, planner.warnings)


async def _duplicated(connection: AsyncConnection, index: Index, live: LiveTable) -> bool:
    """Whether two rows share the values of ``index``'s existing columns (NULLs never clash)."""
    columns = list(index.columns)
    if any(column.name not in live.columns for column in columns):
        return False  # a new column is NULL in every row
    query = (
        select(*columns)
        .where(*(column.is_not(None) for column in columns))
        .group_by(*columns)
        .having(func.count() > 1)
        .limit(1)
    )
    return (await connection.execute(query)).first() is not None


def _tables(
    entities: Sequence[EntityInfo], metadata: MetaData, dialect_name: str
) -> list[tuple[EntityInfo, Table]]:
    owners: dict[str, str] = {}
    tables = []
    for info in entities:
        if info.table in owners:
            raise BootError(
                f"models {owners[info.table]} and {info.name} are both stored in table "
                f"{info.table!r}; give one a different table",
                artifact=f"models.{info.name}",
            )
        owners[info.table] = info.name
        tables.append((info, table_for(info, metadata, dialect_name)))
    return tables


def _create(info: EntityInfo, table: Table) -> list[ExecutableDDLElement]:
    return [CreateTable(table), *(CreateIndex(index) for index in _indexes(info, table))]


def _indexes(info: EntityInfo, table: Table) -> list[Index]:
    by_name = {str(index.name): index for index in table.indexes}
    return [by_name[index_name(info.table, i.name, unique=i.unique)] for i in info.indexes]


class _Planner:
    """Compares one existing table with its model, collecting DDL, problems and warnings."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.statements: list[ExecutableDDLElement] = []
        self.problems: list[str] = []
        self.warnings: list[str] = []

    def update(
        self, info: EntityInfo, table: Table, live: LiveTable, *, has_rows: bool
    ) -> list[Index]:
        """Plan the table's missing columns; the missing indexes, for the caller to check."""
        where = f'table "{table.name}"'
        keyed = live.primary_key == [info.id.column]
        if not keyed:
            shown = ", ".join(live.primary_key) or "none"
            self.problems.append(
                f"{where}: the primary key is ({shown}), the model's id is ({info.id.column}); "
                "autoupdate never changes a primary key"
            )
        for prop in info.fields:
            column = table.c[prop.column]
            found = live.columns.get(prop.column)
            place = f'{where}, column "{prop.column}" ({info.name}.{prop.name})'
            if found is not None:
                self._compare(place, prop, column, found, live.collations.get(prop.column))
                if prop.is_id and keyed and column.autoincrement is True:
                    self._numbered(place, found)
            elif not prop.is_id:
                self._add(place, table, column, has_rows=has_rows)
        modelled = {prop.column for prop in info.fields}
        for name, found in live.columns.items():
            if name not in modelled and not found["nullable"] and found.get("default") is None:
                self.warnings.append(
                    f'{where}, column "{name}": not in the model, NOT NULL and without a '
                    "default, so every create fails until it gets a default or allows NULL"
                )
        return [index for index in _indexes(info, table) if self._missing(where, index, live)]

    def _compare(
        self,
        place: str,
        prop: FieldInfo,
        column: Column[Any],
        found: dict[str, Any],
        collation: str | None,
    ) -> None:
        dialect = self.dialect.name
        if not holds(column.type, found["type"], dialect):
            self.problems.append(
                f"{place}: the column is {self._name(found['type'])}, the model needs "
                f"{self._name(column.type)}; autoupdate never changes a column's type"
            )
            return
        if found["nullable"] and not column.nullable and not prop.is_id:
            self.problems.append(
                f"{place}: the column allows NULL, the model needs NOT NULL (the property is "
                "required); autoupdate never changes a column's nullability"
            )
        elif not found["nullable"] and column.nullable:
            self.problems.append(
                f"{place}: the column is NOT NULL, the model needs it to allow NULL (the "
                "property is optional); autoupdate never changes a column's nullability"
            )
        wanted = getattr(column.type, "collation", None)
        if wanted is not None and collation != wanted and dialect != "sqlite":
            self.warnings.append(f"{place}: {_collation_warning(collation, wanted)}")
        if dialect == "sqlite" and type_kind(column.type) == type_kind(found["type"]) == "json":
            self.warnings.append(
                f"{place}: the column is declared JSON, which SQLite gives NUMERIC "
                "affinity: JSON numbers may read back changed (100000000000000000000 as "
                "1e+20, 1.0 as 1); composer declares it TEXT (composer migrate --rebuild "
                "recreates the table)"
            )

    def _numbered(self, place: str, found: dict[str, Any]) -> None:
        if self.dialect.name == "sqlite":
            # only a column declared exactly INTEGER PRIMARY KEY is SQLite's self-numbering rowid
            numbered = type(found["type"]).__name__ == "INTEGER"
        else:
            numbered = bool(found.get("autoincrement")) or bool(found.get("identity"))
        if not numbered:
            self.problems.append(
                f"{place}: the database does not number the column, the model's id is "
                "generated; autoupdate never changes a column"
            )

    def _add(self, place: str, table: Table, column: Column[Any], *, has_rows: bool) -> None:
        if not column.nullable and column.server_default is None:
            if has_rows:
                self.problems.append(
                    f"{place}: a new NOT NULL column without a default cannot be added to a "
                    "table holding rows; give the property a default or make it optional"
                )
                return
            if self.dialect.name == "sqlite":
                self.problems.append(
                    f"{place}: SQLite cannot add a NOT NULL column without a default, even to "
                    "an empty table; give the property a default, make it optional, or "
                    "recreate the table with composer migrate --rebuild"
                )
                return
        self.statements.append(AddColumn(table, column))

    def _missing(self, where: str, index: Index, live: LiveTable) -> bool:
        wanted = [str(column.name) for column in index.columns]
        same_name = next((i for i in live.indexes if i["name"] == index.name), None)
        if same_name is not None:
            if list(same_name["column_names"]) != wanted or bool(same_name["unique"]) != bool(
                index.unique
            ):
                self.problems.append(
                    f'{where}, index "{index.name}": the index covers '
                    f"{_shown_index(same_name['column_names'], same_name['unique'])}, the model "
                    f"needs {_shown_index(wanted, index.unique)}; autoupdate never changes an index"
                )
            return False
        if any(
            list(found["column_names"]) == wanted and bool(found["unique"]) == bool(index.unique)
            for found in live.indexes
        ):
            return False  # the same index under another name will do
        if self.dialect.name in ("mysql", "mariadb"):
            unbounded = [name for name in wanted if _unbounded(live.columns.get(name))]
            if unbounded:
                self.problems.append(
                    f'{where}, index "{index.name}": MySQL cannot index the TEXT, BLOB or '
                    f"JSON columns ({', '.join(unbounded)}); change them to VARCHAR by hand "
                    "(composer makes an indexed string VARCHAR(maxLength), or VARCHAR(255))"
                )
                return False
        return True

    def _name(self, type_: TypeEngine[Any]) -> str:
        shown = str(type_.compile(dialect=self.dialect))
        return re.sub(r" COLLATE .*$", "", shown)


def _collation_warning(found: str | None, wanted: str) -> str:
    if found == "utf8mb4_bin" and wanted in MYSQL_COLLATIONS.values():
        return (
            f"collation utf8mb4_bin, composer expects {wanted}: utf8mb4_bin ignores trailing "
            "spaces, so 'a' equals 'a ' in comparisons and unique indexes, unlike the other "
            "databases"
        )
    return (
        f"collation {found or 'default'}, composer expects {wanted}: comparisons and order "
        "may differ from the other databases"
    )


def _unbounded(found: dict[str, Any] | None) -> bool:
    """Whether a live MySQL column is a TEXT, BLOB or JSON one, which it cannot index."""
    if found is None:
        return False  # added by this migration, as composer types it
    kind = type_kind(found["type"])
    return kind in ("string", "binary", "json") and getattr(found["type"], "length", None) is None


def _shown_index(columns: Sequence[str], unique: object) -> str:
    return f"{'unique ' if unique else ''}({', '.join(columns)})"


def _compiled(
    statements: list[ExecutableDDLElement],
    dialect: Dialect,
    problems: list[str],
    warnings: list[str],
) -> MigrationPlan:
    shown = [_render(statement, dialect) for statement in statements]
    return MigrationPlan(shown, problems, warnings, tuple(statements))


def _render(statement: ExecutableDDLElement, dialect: Dialect) -> str:
    compiled = str(statement.compile(dialect=dialect)).strip()
    if dialect.paramstyle in ("format", "pyformat"):
        compiled = compiled.replace("%%", "%")  # the driver's escaping, not part of the SQL
    return "\n".join(line.rstrip().replace("\t", "  ") for line in compiled.splitlines())
