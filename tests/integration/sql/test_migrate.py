"""autoupdate, dry runs and rebuilds against SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, insert, inspect, select, text

from composer.connectors import SqlConnector
from composer.errors import BootError, ConnectorError
from composer.repository.entity import EntityInfo, entity_info
from composer.repository.sql import dialect_key, table_for
from composer.repository.sql.migrate import apply_migration, autoupdate, plan_migration
from composer.spec import AppSpec, IndexSpec, ModelSpec, PropertySpec
from tests.integration.sql.conftest import isolated_database

P = PropertySpec


def _todo(indexes: dict[str, IndexSpec] | None = None, **properties: PropertySpec) -> EntityInfo:
    model = ModelSpec(
        properties={"id": P(type="integer", id=True, generated=True), **properties},
        indexes=indexes or {},
    )
    app = AppSpec(api_version="composer/v1", name="todo", models={"Todo": model})
    return entity_info(app, "Todo")


V1 = _todo(title=P(type="string", required=True), notes=P(type="string"))


def _backend(url: str) -> str:
    return {"sqlite": "sqlite", "postgresql": "postgresql", "mysql": "mariadb"}[
        url.split(":", maxsplit=1)[0]
    ]


@asynccontextmanager
async def _database(url: str, tmp_path: Path) -> AsyncIterator[SqlConnector]:
    db = SqlConnector("db", url, data_dir=tmp_path)
    await db.connect()
    try:
        yield db
    finally:
        await db.disconnect()


async def _insert(db: SqlConnector, info: EntityInfo, rows: Sequence[dict[str, Any]]) -> None:
    table = table_for(info, MetaData(), dialect_key(db.engine.dialect))
    async with db.engine.begin() as connection:
        await connection.execute(insert(table), list(rows))


async def _rows(db: SqlConnector, info: EntityInfo) -> list[dict[str, Any]]:
    table = table_for(info, MetaData(), dialect_key(db.engine.dialect))
    async with db.engine.connect() as connection:
        result = await connection.execute(select(table).order_by(table.c.id))
        return [dict(row._mapping) for row in result]


async def _schema(db: SqlConnector) -> dict[str, Any]:
    """Every table's columns and indexes, as the database reports them."""

    def read(connection: Any) -> dict[str, Any]:
        inspector = inspect(connection)
        return {
            table: (
                [column["name"] for column in inspector.get_columns(table)],
                sorted(index["name"] for index in inspector.get_indexes(table)),
            )
            for table in inspector.get_table_names()
        }

    async with db.engine.connect() as connection:
        return await connection.run_sync(read)


async def test_autoupdate_creates_what_is_missing_and_then_has_nothing_left_to_do(
    sql_url: str, tmp_path: Path
) -> None:
    info = _todo({"byTitle": IndexSpec(properties=("title",))}, title=P(type="string"))
    async with _database(sql_url, tmp_path) as db:
        first = await autoupdate(db, [info])
        second = await autoupdate(db, [info])
        schema = await _schema(db)
    assert [statement.split("(")[0] for statement in first.ddl] == [
        'CREATE TABLE "Todo" ',
        'CREATE INDEX "ix_Todo_byTitle" ON "Todo" ',
    ] if _backend(sql_url) != "mariadb" else [
        "CREATE TABLE `Todo` ",
        "CREATE INDEX `ix_Todo_byTitle` ON `Todo` ",
    ]  # fmt: skip
    assert (first.datasource, first.changed, second.ddl, second.changed) == ("db", True, [], False)
    assert schema == {"Todo": (["id", "title"], ["ix_Todo_byTitle"])}


ADDED = {
    "sqlite": [
        'ALTER TABLE "Todo" ADD COLUMN priority REAL',
        'ALTER TABLE "Todo" ADD COLUMN done BOOLEAN DEFAULT 0 NOT NULL',
        'CREATE INDEX "ix_Todo_byPriority" ON "Todo" (priority)',
    ],
    "postgresql": [
        'ALTER TABLE "Todo" ADD COLUMN priority DOUBLE PRECISION',
        'ALTER TABLE "Todo" ADD COLUMN done BOOLEAN DEFAULT false NOT NULL',
        'CREATE INDEX "ix_Todo_byPriority" ON "Todo" (priority)',
    ],
    "mariadb": [
        "ALTER TABLE `Todo` ADD COLUMN priority DOUBLE",
        "ALTER TABLE `Todo` ADD COLUMN done BOOL NOT NULL DEFAULT false",
        "CREATE INDEX `ix_Todo_byPriority` ON `Todo` (priority)",
    ],
}


async def test_autoupdate_adds_a_new_property_column_and_index_to_a_table_holding_rows(
    sql_url: str, tmp_path: Path
) -> None:
    v2 = _todo(
        {"byPriority": IndexSpec(properties=("priority",))},
        title=P(type="string", required=True),
        notes=P(type="string"),
        priority=P(type="number"),
        done=P(type="boolean", required=True, default=False),
    )
    async with _database(sql_url, tmp_path) as db:
        await autoupdate(db, [V1])
        await _insert(db, V1, [{"title": "milk", "notes": None}, {"title": "eggs", "notes": "6"}])
        report = await autoupdate(db, [v2])
        await _insert(db, v2, [{"title": "tea", "notes": None, "priority": 2.5, "done": True}])
        rows = await _rows(db, v2)
        schema = await _schema(db)
    assert report.ddl == ADDED[_backend(sql_url)]
    assert rows == [
        {"id": 1, "title": "milk", "notes": None, "priority": None, "done": False},
        {"id": 2, "title": "eggs", "notes": "6", "priority": None, "done": False},
        {"id": 3, "title": "tea", "notes": None, "priority": 2.5, "done": True},
    ]
    assert schema == {
        "Todo": (["id", "title", "notes", "priority", "done"], ["ix_Todo_byPriority"])
    }


async def test_a_changed_type_is_reported_and_nothing_changes(sql_url: str, tmp_path: Path) -> None:
    v2 = _todo(title=P(type="integer", required=True), notes=P(type="string"), due=P(type="date"))
    async with _database(sql_url, tmp_path) as db:
        await autoupdate(db, [V1])
        await _insert(db, V1, [{"title": "milk", "notes": None}])
        with pytest.raises(BootError) as caught:
            await autoupdate(db, [v2])
        schema = await _schema(db)
    found, wanted = {
        "sqlite": ("TEXT", "INTEGER"),
        "postgresql": ("TEXT", "BIGINT"),
        "mariadb": ("LONGTEXT", "BIGINT"),
    }[_backend(sql_url)]
    assert str(caught.value) == (
        "datasources.db: the schema cannot be migrated automatically; nothing was changed:\n"
        f'  table "Todo", column "title" (Todo.title): the column is {found}, the model needs '
        f"{wanted}; autoupdate never changes a column's type"
    )
    assert schema == {"Todo": (["id", "title", "notes"], [])}


async def test_a_changed_nullability_is_reported_either_way(sql_url: str, tmp_path: Path) -> None:
    v2 = _todo(title=P(type="string"), notes=P(type="string", required=True))
    async with _database(sql_url, tmp_path) as db:
        await autoupdate(db, [V1])
        plan = await plan_migration(db, [v2], rebuild=False)
    assert plan.problems == [
        'table "Todo", column "title" (Todo.title): the column is NOT NULL, the model needs it '
        "to allow NULL (the property is optional); autoupdate never changes a column's "
        "nullability",
        'table "Todo", column "notes" (Todo.notes): the column allows NULL, the model needs NOT '
        "NULL (the property is required); autoupdate never changes a column's nullability",
    ]


async def test_a_required_property_marked_nullable_keeps_a_nullable_column(
    sql_url: str, tmp_path: Path
) -> None:
    v2 = _todo(
        title=P(type="string", required=True), notes=P(type="string", required=True, nullable=True)
    )
    async with _database(sql_url, tmp_path) as db:
        await autoupdate(db, [V1])
        plan = await plan_migration(db, [v2], rebuild=False)
    assert (plan.ddl, plan.problems) == ([], [])


async def test_a_new_required_column_without_a_default_is_refused_on_a_table_with_rows(
    sql_url: str, tmp_path: Path
) -> None:
    v2 = _todo(
        title=P(type="string", required=True),
        notes=P(type="string"),
        due=P(type="date", required=True),
    )
    async with _database(sql_url, tmp_path) as db:
        await autoupdate(db, [V1])
        await _insert(db, V1, [{"title": "milk", "notes": None}])
        plan = await plan_migration(db, [v2], rebuild=False)
        with pytest.raises(BootError) as caught:
            await apply_migration(db, plan)
        schema = await _schema(db)
    problem = (
        'table "Todo", column "due" (Todo.due): a new NOT NULL column without a default cannot '
        "be added to a table holding rows; give the property a default or make it optional"
    )
    assert (plan.ddl, plan.problems) == ([], [problem])
    assert str(caught.value) == (
        "datasources.db: the schema cannot be migrated automatically; nothing was changed:\n"
        f"  {problem}"
    )
    assert schema == {"Todo": (["id", "title", "notes"], [])}


async def test_a_new_required_column_is_added_to_an_empty_table_except_on_sqlite(
    sql_url: str, tmp_path: Path
) -> None:
    v2 = _todo(
        title=P(type="string", required=True),
        notes=P(type="string"),
        due=P(type="date", required=True),
    )
    async with _database(sql_url, tmp_path) as db:
        await autoupdate(db, [V1])
        plan = await plan_migration(db, [v2], rebuild=False)
    expected = {
        "sqlite": (
            [],
            [
                'table "Todo", column "due" (Todo.due): SQLite cannot add a NOT NULL column '
                "without a default, even to an empty table; give the property a default, make "
                "it optional, or recreate the table with composer migrate --rebuild"
            ],
        ),
        "postgresql": (['ALTER TABLE "Todo" ADD COLUMN due DATE NOT NULL'], []),
        "mariadb": (["ALTER TABLE `Todo` ADD COLUMN due DATE NOT NULL"], []),
    }
    assert (plan.ddl, plan.problems) == expected[_backend(sql_url)]


async def test_an_index_equal_to_one_under_another_name_is_not_created_again(
    sql_url: str, tmp_path: Path
) -> None:
    v1 = _todo({"byTitle": IndexSpec(properties=("title",))}, title=P(type="string", max_length=80))
    v2 = _todo({"titles": IndexSpec(properties=("title",))}, title=P(type="string", max_length=80))
    async with _database(sql_url, tmp_path) as db:
        await autoupdate(db, [v1])
        plan = await plan_migration(db, [v2], rebuild=False)
    assert (plan.ddl, plan.problems) == ([], [])


async def test_an_index_whose_name_is_taken_by_other_columns_is_reported(
    sql_url: str, tmp_path: Path
) -> None:
    v1 = _todo(
        {"byTitle": IndexSpec(properties=("title",))},
        title=P(type="string", max_length=80),
        done=P(type="boolean"),
    )
    v2 = _todo(
        {"byTitle": IndexSpec(properties=("title", "done"))},
        title=P(type="string", max_length=80),
        done=P(type="boolean"),
    )
    async with _database(sql_url, tmp_path) as db:
        await autoupdate(db, [v1])
        plan = await plan_migration(db, [v2], rebuild=False)
    assert (plan.ddl, plan.problems) == (
        [],
        [
            'table "Todo", index "ix_Todo_byTitle": the index covers (title), the model needs '
            "(title, done); autoupdate never changes an index"
        ],
    )


async def test_a_unique_index_over_rows_sharing_values_is_reported(
    sql_url: str, tmp_path: Path
) -> None:
    v1 = _todo(title=P(type="string", max_length=80), notes=P(type="string", max_length=80))
    v2 = _todo(
        {"byTitle": IndexSpec(properties=("title",), unique=True)},
        title=P(type="string", max_length=80),
        notes=P(type="string", max_length=80),
    )
    async with _database(sql_url, tmp_path) as db:
        await autoupdate(db, [v1])
        await _insert(db, v1, [{"title": "a", "notes": None}, {"title": "A", "notes": None}])
        unique_so_far = await plan_migration(db, [v2], rebuild=False)
        await _insert(db, v1, [{"title": "a", "notes": None}, {"title": None, "notes": None}])
        shared = await plan_migration(db, [v2], rebuild=False)
    assert (len(unique_so_far.ddl), unique_so_far.problems) == (1, [])
    assert (shared.ddl, shared.problems) == (
        [],
        [
            'table "Todo", index "ux_Todo_byTitle": rows share values of (title), so the unique '
            "index cannot be created; autoupdate never changes rows"
        ],
    )


async def test_a_dry_run_shows_the_changes_and_makes_none(sql_url: str, tmp_path: Path) -> None:
    v2 = _todo(title=P(type="string", required=True), notes=P(type="string"), due=P(type="date"))
    async with _database(sql_url, tmp_path) as db:
        await autoupdate(db, [V1])
        plan = await plan_migration(db, [v2], rebuild=False)
        again = await plan_migration(db, [v2], rebuild=False)
        schema = await _schema(db)
    quote = "`" if _backend(sql_url) == "mariadb" else '"'
    assert plan.ddl == again.ddl == [f"ALTER TABLE {quote}Todo{quote} ADD COLUMN due DATE"]
    assert schema == {"Todo": (["id", "title", "notes"], [])}


REBUILT = {
    "sqlite": [
        'DROP TABLE IF EXISTS "Todo"',
        'CREATE TABLE "Todo" (\n'
        "  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
        "  title INTEGER NOT NULL\n"
        ")",
        'CREATE UNIQUE INDEX "ux_Todo_byTitle" ON "Todo" (title)',
    ],
    "postgresql": [
        'DROP TABLE IF EXISTS "Todo"',
        'CREATE TABLE "Todo" (\n'
        "  id BIGINT GENERATED BY DEFAULT AS IDENTITY,\n"
        "  title BIGINT NOT NULL,\n"
        "  PRIMARY KEY (id)\n"
        ")",
        'CREATE UNIQUE INDEX "ux_Todo_byTitle" ON "Todo" (title)',
    ],
    "mariadb": [
        "DROP TABLE IF EXISTS `Todo`",
        "CREATE TABLE `Todo` (\n"
        "  id BIGINT NOT NULL AUTO_INCREMENT,\n"
        "  title BIGINT NOT NULL,\n"
        "  PRIMARY KEY (id)\n"
        ")ENGINE=InnoDB CHARSET=utf8mb4 COLLATE utf8mb4_nopad_bin",
        "CREATE UNIQUE INDEX `ux_Todo_byTitle` ON `Todo` (title)",
    ],
}


async def test_a_rebuild_drops_and_recreates_every_model_table(
    sql_url: str, tmp_path: Path
) -> None:
    v2 = _todo(
        {"byTitle": IndexSpec(properties=("title",), unique=True)},
        title=P(type="integer", required=True),
    )
    async with _database(sql_url, tmp_path) as db:
        await autoupdate(db, [V1])
        await _insert(db, V1, [{"title": "milk", "notes": None}])
        plan = await plan_migration(db, [v2], rebuild=True)
        await apply_migration(db, plan)
        await _insert(db, v2, [{"title": 7}])
        rows = await _rows(db, v2)
        schema = await _schema(db)
    assert (plan.ddl, plan.problems) == (REBUILT[_backend(sql_url)], [])
    assert rows == [{"id": 1, "title": 7}]
    assert schema == {"Todo": (["id", "title"], ["ux_Todo_byTitle"])}


async def test_a_rebuild_of_models_without_tables_creates_them(
    sql_url: str, tmp_path: Path
) -> None:
    async with _database(sql_url, tmp_path) as db:
        plan = await plan_migration(db, [V1], rebuild=True)
        await apply_migration(db, plan)
        schema = await _schema(db)
    assert len(plan.ddl) == 2
    assert schema == {"Todo": (["id", "title", "notes"], [])}


async def test_autoupdates_racing_on_two_connections_take_turns(
    sql_url: str, tmp_path: Path
) -> None:
    v2 = _todo(
        {"byDue": IndexSpec(properties=("due",))},
        title=P(type="string", required=True),
        notes=P(type="string"),
        due=P(type="date"),
    )
    async with _database(sql_url, tmp_path) as one, _database(sql_url, tmp_path) as two:
        created = await asyncio.gather(autoupdate(one, [V1]), autoupdate(two, [V1]))
        await _insert(one, V1, [{"title": "milk", "notes": None}])
        added = await asyncio.gather(autoupdate(one, [v2]), autoupdate(two, [v2]))
        rows = await _rows(two, v2)
    assert sorted(len(report.ddl) for report in created) == [0, 1]
    assert sorted(len(report.ddl) for report in added) == [0, 2]
    assert rows == [{"id": 1, "title": "milk", "notes": None, "due": None}]


async def test_a_statement_the_database_rejects_fails_the_migration_with_its_reason(
    sql_url: str, tmp_path: Path
) -> None:
    async with _database(sql_url, tmp_path) as db:
        async with db.engine.begin() as connection:
            await connection.execute(
                text('CREATE VIEW "Todo" AS SELECT 1 AS id'.replace('"', _quote(sql_url)))
            )
        with pytest.raises(ConnectorError) as caught:
            await autoupdate(db, [V1])
    message = str(caught.value)
    quote = _quote(sql_url)
    assert message.startswith(
        f"datasources.db: migrate failed: CREATE TABLE {quote}Todo{quote} (: "
    )
    assert "Todo" in message.partition("(: ")[2]
    assert (caught.value.datasource, caught.value.operation) == ("db", "migrate")


def _quote(url: str) -> str:
    return "`" if _backend(url) == "mariadb" else '"'


async def test_an_index_over_a_mysql_text_column_is_reported(tmp_path: Path) -> None:
    v2 = _todo(
        {"byNotes": IndexSpec(properties=("title", "notes"))},
        title=P(type="string", required=True, max_length=80),
        notes=P(type="string", max_length=200),
    )
    async with isolated_database("mariadb", tmp_path) as url, _database(url, tmp_path) as db:
        await autoupdate(db, [V1])
        plan = await plan_migration(db, [v2], rebuild=False)
    assert (plan.ddl, plan.problems) == (
        [],
        [
            'table "Todo", index "ix_Todo_byNotes": MySQL cannot index the TEXT, BLOB or JSON '
            "columns (title, notes); change them to VARCHAR by hand (composer makes an indexed "
            "string VARCHAR(maxLength), or VARCHAR(255))"
        ],
    )
