"""autoupdate against tables it did not create: synonyms, collations, keys and strangers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from composer.connectors import SqlConnector
from composer.errors import BootError
from composer.repository.entity import EntityInfo, entity_info
from composer.repository.sql.migrate import MigrationPlan, autoupdate, plan_migration
from composer.spec import AppSpec, ModelSpec, PropertySpec
from tests.integration.sql.conftest import isolated_database

P = PropertySpec


def _item(**properties: PropertySpec) -> EntityInfo:
    model = ModelSpec(properties={"id": P(type="integer", id=True, generated=True), **properties})
    app = AppSpec(api_version="composer/v1", name="shop", models={"Item": model})
    return entity_info(app, "Item")


def _backend(url: str) -> str:
    return {"sqlite": "sqlite", "postgresql": "postgresql", "mysql": "mariadb"}[
        url.partition(":")[0]
    ]


async def _plan_over(
    url: str, tmp_path: Path, ddl: dict[str, str], info: EntityInfo
) -> MigrationPlan:
    db = SqlConnector("db", url, data_dir=tmp_path)
    await db.connect()
    try:
        async with db.engine.begin() as connection:
            await connection.execute(text(ddl[_backend(url)]))
        return await plan_migration(db, [info], rebuild=False)
    finally:
        await db.disconnect()


SYNONYMS = {
    "sqlite": (
        'CREATE TABLE "Item" (id INTEGER PRIMARY KEY, count BIGINT, title VARCHAR(10), '
        "price FLOAT, done BOOLEAN, at TIMESTAMP, data TEXT)"
    ),
    "postgresql": (
        'CREATE TABLE "Item" (id SERIAL PRIMARY KEY, count INTEGER, title VARCHAR(100) '
        'COLLATE "C", price REAL, done BOOLEAN, at TIMESTAMPTZ(6), data JSONB)'
    ),
    "mariadb": (
        "CREATE TABLE Item (id INT AUTO_INCREMENT PRIMARY KEY, count INT, title VARCHAR(100) "
        "COLLATE utf8mb4_nopad_bin, price FLOAT, done TINYINT(1), at DATETIME(6), data LONGTEXT) "
        "CHARSET utf8mb4"
    ),
}


async def test_a_synonym_or_a_wider_type_of_the_mapped_one_is_not_a_change(
    sql_url: str, tmp_path: Path
) -> None:
    info = _item(
        count=P(type="integer"),
        title=P(type="string", max_length=40),
        price=P(type="number"),
        done=P(type="boolean"),
        at=P(type="datetime"),
        data=P(type="object"),
    )
    plan = await _plan_over(sql_url, tmp_path, SYNONYMS, info)
    assert (plan.ddl, plan.problems, plan.warnings) == ([], [], [])


STRANGERS = {
    "sqlite": 'CREATE TABLE "Item" (id INTEGER PRIMARY KEY, title TEXT, legacy INTEGER NOT NULL)',
    "postgresql": (
        'CREATE TABLE "Item" (id SERIAL PRIMARY KEY, title TEXT, legacy INTEGER NOT NULL)'
    ),
    "mariadb": (
        "CREATE TABLE Item (id INT AUTO_INCREMENT PRIMARY KEY, title LONGTEXT "
        "COLLATE utf8mb4_general_ci, legacy INT NOT NULL) CHARSET utf8mb4"
    ),
}


async def test_a_foreign_collation_and_an_unknown_required_column_are_warnings(
    sql_url: str, tmp_path: Path
) -> None:
    plan = await _plan_over(sql_url, tmp_path, STRANGERS, _item(title=P(type="string")))
    legacy = (
        'table "Item", column "legacy": not in the model, NOT NULL and without a default, so '
        "every create fails until it gets a default or allows NULL"
    )
    collation = {
        "sqlite": [],
        "postgresql": [
            'table "Item", column "title" (Item.title): collation default, composer expects C: '
            "comparisons and order may differ from the other databases"
        ],
        "mariadb": [
            'table "Item", column "title" (Item.title): collation utf8mb4_general_ci, composer '
            "expects utf8mb4_nopad_bin: comparisons and order may differ from the other databases"
        ],
    }
    assert (plan.ddl, plan.problems) == ([], [])
    assert plan.warnings == [*collation[_backend(sql_url)], legacy]


async def test_a_mariadb_column_that_ignores_trailing_spaces_is_a_warning(tmp_path: Path) -> None:
    # utf8mb4_bin is binary but PAD SPACE: 'a' = 'a '
    ddl = {
        "mariadb": (
            "CREATE TABLE Item (id BIGINT AUTO_INCREMENT PRIMARY KEY, title VARCHAR(40)) "
            "CHARSET utf8mb4 COLLATE utf8mb4_bin"
        )
    }
    async with isolated_database("mariadb", tmp_path) as url:
        info = _item(title=P(type="string", max_length=40))
        plan = await _plan_over(url, tmp_path, ddl, info)
    assert (plan.ddl, plan.problems) == ([], [])
    assert plan.warnings == [
        'table "Item", column "title" (Item.title): collation utf8mb4_bin, composer expects '
        "utf8mb4_nopad_bin: utf8mb4_bin ignores trailing spaces, so 'a' equals 'a ' in "
        "comparisons and unique indexes, unlike the other databases"
    ]


async def test_a_sqlite_json_column_holds_json_but_its_numeric_affinity_is_a_warning(
    tmp_path: Path,
) -> None:
    # a column declared JSON, as SQLAlchemy's JSON type declares it
    ddl = {"sqlite": 'CREATE TABLE "Item" (id INTEGER PRIMARY KEY, data JSON, tags TEXT)'}
    info = _item(data=P(type="object"), tags=P(type="array"))
    plan = await _plan_over(f"sqlite:///{tmp_path / 'old.db'}", tmp_path, ddl, info)
    assert (plan.ddl, plan.problems) == ([], [])
    assert plan.warnings == [
        'table "Item", column "data" (Item.data): the column is declared JSON, which SQLite '
        "gives NUMERIC affinity: JSON numbers may read back changed (100000000000000000000 "
        "as 1e+20, 1.0 as 1); composer declares it TEXT (composer migrate --rebuild recreates "
        "the table)"
    ]


async def test_autoupdate_returns_its_warnings(sql_url: str, tmp_path: Path) -> None:
    db = SqlConnector("db", sql_url, data_dir=tmp_path)
    await db.connect()
    try:
        async with db.engine.begin() as connection:
            await connection.execute(text(STRANGERS[_backend(sql_url)]))
        report = await autoupdate(db, [_item(title=P(type="string"), due=P(type="date"))])
    finally:
        await db.disconnect()
    assert (len(report.ddl), report.warnings[-1].startswith('table "Item", column "legacy"')) == (
        1,
        True,
    )


KEYED_BY_CODE = {
    "sqlite": 'CREATE TABLE "Item" (code VARCHAR(20) PRIMARY KEY, id BIGINT NOT NULL)',
    "postgresql": 'CREATE TABLE "Item" (code VARCHAR(20) PRIMARY KEY, id BIGINT NOT NULL)',
    "mariadb": "CREATE TABLE Item (code VARCHAR(20) PRIMARY KEY, id BIGINT NOT NULL)",
}
NOT_NUMBERED = {
    "sqlite": 'CREATE TABLE "Item" (id BIGINT PRIMARY KEY)',
    "postgresql": 'CREATE TABLE "Item" (id BIGINT PRIMARY KEY)',
    "mariadb": "CREATE TABLE Item (id BIGINT PRIMARY KEY)",
}


async def test_another_primary_key_is_reported(sql_url: str, tmp_path: Path) -> None:
    plan = await _plan_over(sql_url, tmp_path, KEYED_BY_CODE, _item())
    assert plan.problems == [
        'table "Item": the primary key is (code), the model\'s id is (id); autoupdate never '
        "changes a primary key"
    ]


async def test_an_id_the_database_does_not_number_is_reported(sql_url: str, tmp_path: Path) -> None:
    plan = await _plan_over(sql_url, tmp_path, NOT_NUMBERED, _item())
    assert plan.problems == [
        'table "Item", column "id" (Item.id): the database does not number the column, the '
        "model's id is generated; autoupdate never changes a column"
    ]


async def test_two_models_in_one_table_are_refused(tmp_path: Path) -> None:
    models = {
        "Item": ModelSpec(properties={"id": P(type="integer", id=True)}),
        "Thing": ModelSpec(properties={"id": P(type="integer", id=True)}, table="Item"),
    }
    app = AppSpec(api_version="composer/v1", name="shop", models=models)
    db = SqlConnector("db", "sqlite://", data_dir=tmp_path)
    await db.connect()
    try:
        with pytest.raises(BootError) as caught:
            await autoupdate(db, [entity_info(app, "Item"), entity_info(app, "Thing")])
    finally:
        await db.disconnect()
    assert str(caught.value) == (
        "models.Thing: models Item and Thing are both stored in table 'Item'; give one a "
        "different table"
    )
