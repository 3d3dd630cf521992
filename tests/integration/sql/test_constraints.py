"""Database constraints of belongsTo relations, and hasOne's unique key, on every SQL backend.

Each test runs on SQLite, PostgreSQL and MariaDB (an isolated database each,
see ``tests.integration.sql.conftest``) unless it is about one of them.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import inspect, text

from composer.connectors import MemoryConnector, SqlConnector
from composer.errors import HttpError
from composer.keys import Connector
from composer.ops import App
from composer.repository.backends import make_backend
from composer.repository.entity import entity_info
from composer.repository.model import ModelRuntime
from composer.repository.repository import Repository
from composer.repository.sql.migrate import MigrationReport, autoupdate
from composer.spec import (
    AppSpec,
    BelongsToSpec,
    HasManySpec,
    HasOneSpec,
    ModelSpec,
    PropertySpec,
    RestSpec,
    SqlDatasourceSpec,
)
from tests.integration.sql.conftest import BACKENDS, isolated_database

P = PropertySpec
ID = P(type="integer", id=True, generated=True)


def _app(foreign_key: Any = None, *, url: str = "sqlite://", required: bool = False) -> AppSpec:
    """Todo belongsTo TodoList through listId; Todo comes first, so order must come from keys."""
    return AppSpec(
        api_version="composer/v1",
        name="todo",
        rest=RestSpec(port=0),
        datasources={"db": SqlDatasourceSpec(connector="sql", url=url)},
        models={
            "Todo": ModelSpec(
                datasource="db",
                properties={
                    "id": ID,
                    "title": P(type="string"),
                    "listId": P(type="integer", required=required),
                },
                relations={
                    "list": BelongsToSpec(
                        type="belongsTo", model="TodoList", foreign_key=foreign_key or "listId"
                    )
                },
            ),
            "TodoList": ModelSpec(
                datasource="db",
                properties={"id": ID, "name": P(type="string")},
                relations={
                    "todos": HasManySpec(type="hasMany", model="Todo", foreign_key="listId")
                },
            ),
        },
    )


def _constrained(on_delete: str = "restrict", url: str = "sqlite://", **more: str) -> AppSpec:
    return _app({"property": "listId", "onDelete": on_delete, **more}, url=url)


class Store:
    """The repositories of an app's models over one connector."""

    def __init__(self, app: AppSpec, connector: Connector, report: MigrationReport | None) -> None:
        self.report = report
        self.connector = connector
        self._repositories: dict[str, Repository] = {}
        for name in app.models:
            runtime = ModelRuntime.from_app(app, name)
            self._repositories[name] = Repository(
                runtime, make_backend(connector, runtime.info, app)
            )

    def __getitem__(self, model: str) -> Repository:
        return self._repositories[model]


@asynccontextmanager
async def _connected(url: str, tmp_path: Path) -> AsyncIterator[SqlConnector]:
    db = SqlConnector("db", url, data_dir=tmp_path)
    await db.connect()
    try:
        yield db
    finally:
        await db.disconnect()


async def _migrated(db: SqlConnector, app: AppSpec) -> Store:
    report = await autoupdate(db, [entity_info(app, name) for name in app.models])
    return Store(app, db, report)


@asynccontextmanager
async def _store(backend: str, tmp_path: Path, app: AppSpec) -> AsyncIterator[Store]:
    if backend == "memory":
        memory = MemoryConnector("db")
        await memory.connect()
        try:
            yield Store(app, memory, None)
        finally:
            await memory.disconnect()
        return
    async with isolated_database(backend, tmp_path) as url, _connected(url, tmp_path) as db:
        yield await _migrated(db, app)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _conflict(caught: pytest.ExceptionInfo[HttpError]) -> tuple[int, str, str | None]:
    return caught.value.status, caught.value.message, caught.value.code


CREATED = {
    "sqlite": [
        'CREATE TABLE "TodoList" (\n'
        "  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
        "  name TEXT\n"
        ")",
        'CREATE TABLE "Todo" (\n'
        "  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
        "  title TEXT,\n"
        '  "listId" INTEGER,\n'
        '  CONSTRAINT "fk_Todo_list" FOREIGN KEY("listId") REFERENCES "TodoList" (id) '
        "ON DELETE RESTRICT ON UPDATE CASCADE\n"
        ")",
        'CREATE INDEX "ix_Todo_listId" ON "Todo" ("listId")',
    ],
    "postgresql": [
        'CREATE TABLE "TodoList" (\n'
        "  id BIGINT GENERATED BY DEFAULT AS IDENTITY,\n"
        '  name TEXT COLLATE "C",\n'
        "  PRIMARY KEY (id)\n"
        ")",
        'CREATE TABLE "Todo" (\n'
        "  id BIGINT GENERATED BY DEFAULT AS IDENTITY,\n"
        '  title TEXT COLLATE "C",\n'
        '  "listId" BIGINT,\n'
        "  PRIMARY KEY (id),\n"
        '  CONSTRAINT "fk_Todo_list" FOREIGN KEY("listId") REFERENCES "TodoList" (id) '
        "ON DELETE RESTRICT ON UPDATE CASCADE\n"
        ")",
        'CREATE INDEX "ix_Todo_listId" ON "Todo" ("listId")',
    ],
    "mariadb": [
        "CREATE TABLE `TodoList` (\n"
        "  id BIGINT NOT NULL AUTO_INCREMENT,\n"
        "  name LONGTEXT COLLATE utf8mb4_nopad_bin,\n"
        "  PRIMARY KEY (id)\n"
        ")ENGINE=InnoDB CHARSET=utf8mb4 COLLATE utf8mb4_nopad_bin",
        "CREATE TABLE `Todo` (\n"
        "  id BIGINT NOT NULL AUTO_INCREMENT,\n"
        "  title LONGTEXT COLLATE utf8mb4_nopad_bin,\n"
        "  `listId` BIGINT,\n"
        "  PRIMARY KEY (id),\n"
        "  CONSTRAINT `fk_Todo_list` FOREIGN KEY(`listId`) REFERENCES `TodoList` (id) "
        "ON DELETE RESTRICT ON UPDATE CASCADE\n"
        ")ENGINE=InnoDB CHARSET=utf8mb4 COLLATE utf8mb4_nopad_bin",
        "CREATE INDEX `ix_Todo_listId` ON `Todo` (`listId`)",
    ],
}


async def test_autoupdate_creates_the_referred_table_first_then_the_constraint_and_its_index(
    backend: str, tmp_path: Path
) -> None:
    app = _constrained("restrict", onUpdate="cascade")
    async with isolated_database(backend, tmp_path) as url, _connected(url, tmp_path) as db:
        first = await _migrated(db, app)
        again = await _migrated(db, app)
    assert first.report is not None and again.report is not None
    assert first.report.ddl == CREATED[backend]
    assert (again.report.ddl, again.report.warnings) == ([], [])


@pytest.mark.parametrize("action", ["restrict", "noAction"])
async def test_deleting_a_referred_row_is_a_409_and_keeps_both_rows(
    backend: str, tmp_path: Path, action: str
) -> None:
    async with _store(backend, tmp_path, _constrained(action)) as store:
        lists, todos = store["TodoList"], store["Todo"]
        home = await lists.create({"name": "home"})
        await todos.create({"title": "milk", "listId": home["id"]})
        with pytest.raises(HttpError) as caught:
            await lists.delete_by_id(home["id"])
        assert _conflict(caught) == (409, "TodoList is still referred to by Todo", "CONFLICT")
        with pytest.raises(HttpError) as caught:
            await lists.delete_all()
        assert _conflict(caught) == (409, "TodoList is still referred to by Todo", "CONFLICT")
        assert (await lists.count(), await todos.count()) == (1, 1)
        await todos.delete_all()
        await lists.delete_by_id(home["id"])
        assert await lists.count() == 0


async def test_cascade_deletes_the_referring_rows(backend: str, tmp_path: Path) -> None:
    async with _store(backend, tmp_path, _constrained("cascade")) as store:
        lists, todos = store["TodoList"], store["Todo"]
        home = await lists.create({"name": "home"})
        work = await lists.create({"name": "work"})
        await todos.create_all(
            [
                {"title": "milk", "listId": home["id"]},
                {"title": "eggs", "listId": home["id"]},
                {"title": "mail", "listId": work["id"]},
            ]
        )
        await lists.delete_by_id(home["id"])
        assert [todo["title"] for todo in await todos.find()] == ["mail"]


async def test_set_null_clears_the_key_of_the_referring_rows(backend: str, tmp_path: Path) -> None:
    async with _store(backend, tmp_path, _constrained("setNull")) as store:
        lists, todos = store["TodoList"], store["Todo"]
        home = await lists.create({"name": "home"})
        milk = await todos.create({"title": "milk", "listId": home["id"]})
        await lists.delete_by_id(home["id"])
        assert await todos.find_by_id(milk["id"]) == {"id": milk["id"], "title": "milk"}


async def test_a_row_referring_to_no_row_is_a_409(backend: str, tmp_path: Path) -> None:
    async with _store(backend, tmp_path, _constrained("restrict")) as store:
        lists, todos = store["TodoList"], store["Todo"]
        expected = (409, "Todo.listId refers to a TodoList that does not exist", "CONFLICT")
        with pytest.raises(HttpError) as caught:
            await todos.create({"title": "milk", "listId": 42})
        assert _conflict(caught) == expected
        home = await lists.create({"name": "home"})
        milk = await todos.create({"title": "milk", "listId": home["id"]})
        with pytest.raises(HttpError) as caught:
            await todos.update_by_id(milk["id"], {"listId": 42})
        assert _conflict(caught) == expected
        with pytest.raises(HttpError) as caught:
            await todos.replace_by_id(milk["id"], {"title": "milk", "listId": 42})
        assert _conflict(caught) == expected
        await todos.create({"title": "loose"})  # no key, nothing referred to
        assert await todos.count() == 2


async def test_without_a_constraint_a_referred_row_deletes(backend: str, tmp_path: Path) -> None:
    async with _store(backend, tmp_path, _app()) as store:
        assert store.report is not None
        assert not any("CONSTRAINT" in statement for statement in store.report.ddl)
        lists, todos = store["TodoList"], store["Todo"]
        home = await lists.create({"name": "home"})
        await todos.create({"title": "milk", "listId": home["id"]})
        await lists.delete_by_id(home["id"])
        assert await todos.count() == 1


def _profiles(url: str = "sqlite://") -> AppSpec:
    return AppSpec(
        api_version="composer/v1",
        name="users",
        datasources={"db": SqlDatasourceSpec(connector="sql", url=url)},
        models={
            "User": ModelSpec(
                datasource="db",
                properties={"id": ID, "name": P(type="string")},
                relations={"profile": HasOneSpec(type="hasOne", model="Profile")},
            ),
            "Profile": ModelSpec(
                datasource="db",
                properties={"id": ID, "userId": P(type="integer"), "bio": P(type="string")},
            ),
        },
    )


@pytest.mark.parametrize("store_backend", ["memory", *BACKENDS])
async def test_a_has_one_target_is_unique_per_source(store_backend: str, tmp_path: Path) -> None:
    async with _store(store_backend, tmp_path, _profiles()) as store:
        if store.report is not None:
            assert [s.split(" ON ")[0] for s in store.report.ddl if "INDEX" in s] == [
                'CREATE UNIQUE INDEX "ux_Profile_userId"'
                if store_backend != "mariadb"
                else "CREATE UNIQUE INDEX `ux_Profile_userId`"
            ]
        profiles = store["Profile"]
        await profiles.create({"userId": 1, "bio": "first"})
        with pytest.raises(HttpError) as caught:
            await profiles.create({"userId": 1, "bio": "second"})
        assert _conflict(caught) == (409, "Duplicate entry for Profile.userId", "CONFLICT")
        await profiles.create({"userId": 2})
        await profiles.create({"bio": "nobody's"})
        await profiles.create({"bio": "nobody's either"})  # NULL keys never clash
        assert await profiles.count() == 4


# the key's index came with the table (a relation key is indexed with or without a constraint)
ADDED = {
    "postgresql": [
        'ALTER TABLE "Todo" ADD CONSTRAINT "fk_Todo_list" FOREIGN KEY("listId") '
        'REFERENCES "TodoList" (id) ON DELETE RESTRICT',
    ],
    "mariadb": [
        "ALTER TABLE `Todo` ADD CONSTRAINT `fk_Todo_list` FOREIGN KEY(`listId`) "
        "REFERENCES `TodoList` (id) ON DELETE RESTRICT",
    ],
}


@pytest.mark.parametrize("server", ["postgresql", "mariadb"])
async def test_autoupdate_adds_the_constraint_to_an_existing_table_holding_rows(
    server: str, tmp_path: Path
) -> None:
    async with isolated_database(server, tmp_path) as url, _connected(url, tmp_path) as db:
        before = await _migrated(db, _app())
        home = await before["TodoList"].create({"name": "home"})
        await before["Todo"].create({"title": "milk", "listId": home["id"]})
        await before["Todo"].create({"title": "loose"})
        after = await _migrated(db, _constrained("restrict"))
        assert after.report is not None
        assert (after.report.ddl, after.report.warnings) == (ADDED[server], [])
        with pytest.raises(HttpError) as caught:
            await after["TodoList"].delete_by_id(home["id"])
        assert caught.value.status == 409
        again = await _migrated(db, _constrained("restrict"))
        assert again.report is not None
        assert (again.report.ddl, again.report.warnings) == ([], [])


@pytest.mark.parametrize("server", ["postgresql", "mariadb"])
async def test_rows_referring_to_missing_rows_keep_the_constraint_out_with_a_warning(
    server: str, tmp_path: Path
) -> None:
    async with isolated_database(server, tmp_path) as url, _connected(url, tmp_path) as db:
        before = await _migrated(db, _app())
        await before["Todo"].create({"title": "orphan", "listId": 42})
        after = await _migrated(db, _constrained("cascade"))
        assert after.report is not None
        assert after.report.ddl == []  # the index came with the table; the constraint cannot
        assert after.report.warnings == [
            'table "Todo", constraint "fk_Todo_list" (Todo.list): rows refer to TodoList rows '
            "that do not exist, so the constraint is not added; autoupdate never changes rows"
        ]


async def test_sqlite_reports_the_constraint_it_cannot_add_to_an_existing_table(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    warning = (
        'table "Todo", constraint "fk_Todo_list" (Todo.list): SQLite cannot add a '
        "constraint to an existing table, so it is not applied; composer migrate "
        "--rebuild recreates the table with it (deleting its rows)"
    )
    async with _connected(f"sqlite:///{tmp_path / 'todo.db'}", tmp_path) as db:
        await _migrated(db, _app())
        with caplog.at_level(logging.WARNING, logger="composer.repository.sql.migrate"):
            after = await _migrated(db, _constrained("restrict"))
        assert after.report is not None
        assert after.report.ddl == []  # the key's index came with the table
        assert after.report.warnings == [warning]
        assert [record.getMessage() for record in caplog.records] == [f"datasources.db: {warning}"]
        home = await after["TodoList"].create({"name": "home"})
        await after["Todo"].create({"title": "milk", "listId": home["id"]})
        await after["TodoList"].delete_by_id(home["id"])  # nothing enforces it


async def test_a_constraint_with_other_actions_is_a_warning(backend: str, tmp_path: Path) -> None:
    async with isolated_database(backend, tmp_path) as url, _connected(url, tmp_path) as db:
        await _migrated(db, _constrained("restrict"))
        again = await _migrated(db, _constrained("restrict", onUpdate="noAction"))
        changed = await _migrated(db, _constrained("cascade"))
    assert again.report is not None and changed.report is not None
    assert (again.report.ddl, again.report.warnings) == ([], [])
    assert (changed.report.ddl, changed.report.warnings) == (
        [],
        [
            'table "Todo", constraint "fk_Todo_list" (Todo.list): the constraint is ON DELETE '
            "RESTRICT, the model declares ON DELETE CASCADE; autoupdate never changes a "
            "constraint"
        ],
    )


def _cycle() -> AppSpec:
    """A person's team, a team's captain: two tables that refer to each other, and to itself."""
    restrict = {"onDelete": "restrict"}
    return AppSpec(
        api_version="composer/v1",
        name="league",
        models={
            "Person": ModelSpec(
                datasource="db",
                properties={"id": ID, "teamId": P(type="integer"), "mentorId": P(type="integer")},
                relations={
                    "team": BelongsToSpec(type="belongsTo", model="Team", foreign_key=restrict),
                    "mentor": BelongsToSpec(type="belongsTo", model="Person", foreign_key=restrict),
                },
            ),
            "Team": ModelSpec(
                datasource="db",
                properties={"id": ID, "captainId": P(type="integer")},
                relations={
                    "captain": BelongsToSpec(type="belongsTo", model="Person", foreign_key=restrict)
                },
            ),
        },
    )


async def test_tables_that_refer_to_each_other_are_created_with_every_constraint(
    backend: str, tmp_path: Path
) -> None:
    app = _cycle()
    async with isolated_database(backend, tmp_path) as url, _connected(url, tmp_path) as db:
        store = await _migrated(db, app)
        assert store.report is not None
        if backend != "sqlite":
            assert [s.split(" FOREIGN")[0] for s in store.report.ddl if "ALTER" in s] == [
                'ALTER TABLE "Person" ADD CONSTRAINT "fk_Person_team"'
                if backend == "postgresql"
                else "ALTER TABLE `Person` ADD CONSTRAINT `fk_Person_team`"
            ]

        def constraints(connection: Any) -> dict[str, list[str]]:
            inspector = inspect(connection)
            return {
                table: sorted(str(fk["name"]) for fk in inspector.get_foreign_keys(table))
                for table in ("Person", "Team")
            }

        async with db.engine.connect() as connection:
            found = await connection.run_sync(constraints)
        people = store["Person"]
        ann = await people.create({})
        bob = await people.create({"mentorId": ann["id"]})
        team = await store["Team"].create({"captainId": bob["id"]})
        await people.update_by_id(ann["id"], {"teamId": team["id"]})
        with pytest.raises(HttpError) as caught:
            await people.delete_by_id(bob["id"])
        # two constraints refer to people: SQLite does not say which one it was
        referrer = "other rows" if backend == "sqlite" else "Team"
        assert caught.value.message == f"Person is still referred to by {referrer}"
        with pytest.raises(HttpError) as caught:
            await people.delete_by_id(ann["id"])
        assert caught.value.status == 409
        again = await autoupdate(db, [entity_info(app, n) for n in app.models])
    if backend == "sqlite":  # SQLite does not name the constraints it reflects
        assert {table: len(names) for table, names in found.items()} == {"Person": 2, "Team": 1}
    else:
        assert found == {
            "Person": ["fk_Person_mentor", "fk_Person_team"],
            "Team": ["fk_Team_captain"],
        }
    assert (again.ddl, again.warnings) == ([], [])


async def test_http_delete_of_a_referred_row_answers_409(backend: str, tmp_path: Path) -> None:
    async with isolated_database(backend, tmp_path) as url:
        app_spec = _constrained("restrict", url=url)
        async with App(app_spec, root=tmp_path, data_dir=tmp_path) as app:
            await app.start()
            async with aiohttp.ClientSession(base_url=f"{app.url}/") as http:
                async with http.post("todo-lists", json={"name": "home"}) as response:
                    assert response.status == 200
                    home = await response.json()
                async with http.post("todos", json={"title": "milk", "listId": home["id"]}) as r:
                    milk = await r.json()
                async with http.delete(f"todo-lists/{home['id']}") as response:
                    assert (response.status, await response.json()) == (
                        409,
                        {
                            "error": {
                                "statusCode": 409,
                                "name": "ConflictError",
                                "message": "TodoList is still referred to by Todo",
                                "code": "CONFLICT",
                            }
                        },
                    )
                async with http.post("todos", json={"title": "tea", "listId": 42}) as response:
                    assert response.status == 409
                    body = await response.json()
                    assert body["error"]["message"] == (
                        "Todo.listId refers to a TodoList that does not exist"
                    )
                async with http.delete(f"todos/{milk['id']}") as response:
                    assert response.status == 204
                async with http.delete(f"todo-lists/{home['id']}") as response:
                    assert response.status == 204


async def test_sqlite_connections_enforce_constraints(tmp_path: Path) -> None:
    async with (
        _connected(f"sqlite:///{tmp_path / 'todo.db'}", tmp_path) as db,
        db.engine.connect() as connection,
    ):
        assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
