"""Bringing a database's schema up to the models: autoupdate, plans and rebuilds.

:func:`autoupdate` runs at start for a datasource with ``migrate:
autoupdate``: it creates the missing tables, columns, indexes and foreign key
constraints and changes nothing else. It never drops a table, column, index or
constraint, never alters a column and never adds a NOT NULL column without a
default to a table holding rows (nor, on SQLite, to any table); each such
difference is a problem, and one problem means nothing is changed at all: a
:class:`~composer.errors.BootError` lists every one. The whole comparison and
change runs under the migration lock (:mod:`composer.repository.sql.lock`), so
replicas starting together take turns and the second finds nothing left to do.

Tables are created parents first: a table's constraints refer to tables
created before it (on PostgreSQL and MySQL, a constraint closing a cycle is
added with ``ALTER TABLE ... ADD CONSTRAINT`` once both tables exist). A
constraint an existing table lacks is added the same way, after the tables
and indexes; where it cannot be (SQLite cannot add a constraint to an
existing table; rows that refer to missing rows) it is a warning, not a
problem: the constraint is left out and everything else goes ahead.

:func:`plan_migration` and :func:`apply_migration` do the same in two steps
for ``composer migrate``; with ``rebuild=True`` the plan drops and recreates
every model table, which deletes its rows.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Column,
    ForeignKeyConstraint,
    Index,
    MetaData,
    Table,
    exc,
    exists,
    func,
    literal,
    select,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.schema import (
    AddConstraint,
    CreateIndex,
    CreateTable,
    DropTable,
    ExecutableDDLElement,
)
from sqlalchemy.types import TypeEngine

from composer.connectors.sql import SqlConnector
from composer.errors import BootError, ConnectorError
from composer.repository.constraints import ForeignKeyInfo
from composer.repository.entity import EntityInfo, FieldInfo
from composer.repository.sql.lock import migration_lock
from composer.repository.sql.schema import (
    MYSQL_COLLATIONS,
    AddColumn,
    LiveTable,
    constraint_name,
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

_log = logging.getLogger(__name__)
#: the actions a database counts as refusing the change (MySQL: NO ACTION is RESTRICT)
_REFUSING = (None, "NO ACTION", "RESTRICT")


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
    """Create the missing tables, columns, indexes and constraints of ``entities``, locked.

    Raises :class:`~composer.errors.BootError` naming every change autoupdate
    refuses to make (nothing is changed then); logs each warning.

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
    for warning in plan.warnings:
        _log.warning("datasources.%s: %s", connector.name, warning)
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
    names = [table.name for _, table in tables]
    existing = {} if rebuild else await connection.run_sync(live_schema, names)
    planner = _Planner(dialect)
    created: set[str] = set(existing)  # the tables that exist when a statement runs
    later: list[ExecutableDDLElement] = []  # constraints added once every table exists
    if rebuild:
        planner.statements.extend(DropTable(table, if_exists=True) for _, table in reversed(tables))
    for info, table in tables:
        live = existing.get(table.name)
        if live is None:
            inline, deferred = planner.split(info, table, created, names)
            planner.statements.extend(_create(info, table, inline))
            later.extend(AddConstraint(constraint) for constraint in deferred)
            created.add(table.name)
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
        for fk, constraint in planner.missing_constraints(info, table, live, names):
            if has_rows and await _orphaned(connection, fk, table, live, existing):
                planner.warnings.append(
                    f"{_shown_constraint(table, fk)}: rows refer to {fk.target} rows that "
                    "do not exist, so the constraint is not added; autoupdate never changes "
                    "rows"
                )
            else:
                later.append(AddConstraint(constraint))
    statements = [*planner.statements, *later]
    return _compiled(statements, dialect, planner.problems, planner.warnings)


async def _orphaned(
    connection: AsyncConnection,
    fk: ForeignKeyInfo,
    table: Table,
    live: LiveTable,
    existing: dict[str, LiveTable],
) -> bool:
    """Whether a row of ``table`` refers through ``fk`` to a row that does not exist."""
    if fk.column not in live.columns:
        return table.c[fk.column].server_default is not None  # a new column: NULL, or its default
    referring = table.c[fk.column]
    target = existing.get(fk.target_table)
    if target is None or fk.target_column not in target.columns:
        found = select(literal(1)).select_from(table).where(referring.is_not(None))
    else:
        referred = table.metadata.tables[fk.target_table].c[fk.target_column]
        found = (
            select(literal(1))
            .select_from(table)
            .where(referring.is_not(None), ~exists().where(referred == referring))
        )
    return (await connection.execute(found.limit(1))).first() is not None


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
    """Each model's table, the tables a constraint refers to before the table holding it."""
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
    ordered: list[tuple[EntityInfo, Table]] = []
    placed: set[str] = set()
    while tables:
        # in a cycle of constraints no table is ready: the first one goes, its constraint later
        ready = next(
            (
                entry
                for entry in tables
                if all(
                    fk.target_table in placed
                    or fk.target_table == entry[0].table
                    or fk.target_table not in owners
                    for fk in entry[0].foreign_keys
                )
            ),
            tables[0],
        )
        tables.remove(ready)
        ordered.append(ready)
        placed.add(ready[0].table)
    return ordered


def _create(
    info: EntityInfo, table: Table, constraints: Sequence[ForeignKeyConstraint]
) -> list[ExecutableDDLElement]:
    return [
        CreateTable(table, include_foreign_key_constraints=list(constraints)),
        *(CreateIndex(index) for index in _indexes(info, table)),
    ]


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

    def split(
        self, info: EntityInfo, table: Table, created: set[str], names: Sequence[str]
    ) -> tuple[list[ForeignKeyConstraint], list[ForeignKeyConstraint]]:
        """The constraints of a new table: created with it, and added once all tables exist.

        SQLite checks a constraint's target only when rows change, so there
        every constraint is created with its table.
        """
        inline: list[ForeignKeyConstraint] = []
        deferred: list[ForeignKeyConstraint] = []
        for fk, constraint in self._constraints(info, table, names):
            exists_already = fk.target_table in created or fk.target_table == table.name
            if exists_already or self.dialect.name == "sqlite":
                inline.append(constraint)
            else:
                deferred.append(constraint)
        return inline, deferred

    def missing_constraints(
        self, info: EntityInfo, table: Table, live: LiveTable, names: Sequence[str]
    ) -> list[tuple[ForeignKeyInfo, ForeignKeyConstraint]]:
        """The constraints an existing table lacks and the database can add to it."""
        missing: list[tuple[ForeignKeyInfo, ForeignKeyConstraint]] = []
        for fk, constraint in self._constraints(info, table, names):
            where = _shown_constraint(table, fk)
            found = next((c for c in live.foreign_keys if _same_key(c, fk)), None)
            if found is not None:
                self._compare_actions(where, fk, found)
            elif self.dialect.name == "sqlite":
                self.warnings.append(
                    f"{where}: SQLite cannot add a constraint to an existing table, so it is "
                    "not applied; composer migrate --rebuild recreates the table with it "
                    "(deleting its rows)"
                )
            else:
                missing.append((fk, constraint))
        return missing

    def _constraints(
        self, info: EntityInfo, table: Table, names: Sequence[str]
    ) -> list[tuple[ForeignKeyInfo, ForeignKeyConstraint]]:
        by_name = {str(c.name): c for c in table.foreign_key_constraints}
        found: list[tuple[ForeignKeyInfo, ForeignKeyConstraint]] = []
        for fk in info.foreign_keys:
            if fk.target_table not in names:
                self.warnings.append(
                    f'{_shown_constraint(table, fk)}: table "{fk.target_table}" is not '
                    "migrated with it, so the constraint is not created"
                )
                continue
            found.append((fk, by_name[constraint_name(table.name, fk.relation)]))
        return found

    def _compare_actions(self, where: str, fk: ForeignKeyInfo, found: dict[str, Any]) -> None:
        options = found.get("options") or {}
        # MySQL and MariaDB do not report their default, RESTRICT
        default = "RESTRICT" if self.dialect.name in ("mysql", "mariadb") else "NO ACTION"
        for clause, wanted in (("ON DELETE", fk.on_delete), ("ON UPDATE", fk.on_update)):
            live = options.get(clause.replace(" ", "").lower())
            live = live.upper() if isinstance(live, str) else default
            if _effect(live) != _effect(wanted):
                self.warnings.append(
                    f"{where}: the constraint is {clause} {live}, the model declares "
                    f"{clause} {wanted or 'NO ACTION'}; autoupdate never changes a constraint"
                )

    def update(
        self, info: EntityInfo, table: Table, live: LiveTable, *, has_rows: bool
    ) -> list[Index]:
        """Plan the table's missing columns; the missing indexes, for the caller to check."""
        where = f'table "{table.name}"'
        # a read-only model may have a composite key, or none
        wanted = [field.column for field in info.fields if field.is_id]
        keyed = live.primary_key == wanted
        if not keyed:
            shown = ", ".join(live.primary_key) or "none"
            self.problems.append(
                f"{where}: the primary key is ({shown}), the model's id is "
                f"({', '.join(wanted) or 'none'}); autoupdate never changes a primary key"
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


def _effect(action: str | None) -> str | None:
    """An action, RESTRICT and NO ACTION counting as one (they differ only in when
    PostgreSQL checks, and not at all on MySQL)."""
    return None if action in _REFUSING else action


def _shown_constraint(table: Table, fk: ForeignKeyInfo) -> str:
    name = constraint_name(table.name, fk.relation)
    return f'table "{table.name}", constraint "{name}" ({fk.source}.{fk.relation})'


def _same_key(found: dict[str, Any], fk: ForeignKeyInfo) -> bool:
    """Whether a live constraint joins the same columns as ``fk`` (names compared casefolded)."""

    def folded(names: Sequence[str]) -> list[str]:
        return [name.casefold() for name in names]

    return (
        folded(found["constrained_columns"]) == folded([fk.column])
        and str(found["referred_table"]).casefold() == fk.target_table.casefold()
        and folded(found["referred_columns"]) == folded([fk.target_column])
    )
