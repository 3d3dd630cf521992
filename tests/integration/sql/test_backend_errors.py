"""Database errors answered as HTTP errors by the SQL backend, never a 500.

Constraint violations, statement timeouts (a lock held by another
connection, a slow SQLite scan), an exhausted pool and a lost connection,
each on SQLite, PostgreSQL and MariaDB where the database can produce it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from composer.errors import HttpError
from composer.repository.query import Comparison, Filter, Or, Regexp
from tests.integration.sql.backend_model import item_backend
from tests.integration.sql.conftest import isolated_database

C = Comparison
INVALID = "The request body is invalid. See error object `details` property for more info."


def _backend_name(url: str) -> str:
    return url.partition(":")[0]


async def _raises(call: Any) -> dict[str, Any]:
    with pytest.raises(HttpError) as caught:
        await call
    body: dict[str, Any] = caught.value.body()
    return body


async def test_a_taken_unique_value_is_a_409_naming_the_property(
    sql_url: str, tmp_path: Path
) -> None:
    async with item_backend(sql_url, tmp_path) as items:
        await items.create([{"title": "a", "code": "X-1"}])
        body = await _raises(items.create([{"title": "b", "code": "X-1"}]))
        assert body == {
            "error": {
                "statusCode": 409,
                "name": "ConflictError",
                "message": "Duplicate entry for Item.code",
                "code": "CONFLICT",
            }
        }
        await items.create([{"title": "b", "code": "X-2"}])
        body = await _raises(items.update(C("title", "eq", "b"), {"code": "X-1"}))
        assert body["error"]["message"] == "Duplicate entry for Item.code"


async def test_a_taken_id_is_a_409_naming_the_id(sql_url: str, tmp_path: Path) -> None:
    async with item_backend(sql_url, tmp_path) as items:
        await items.create([{"title": "a"}])
        body = await _raises(items.create([{"id": 1, "title": "b"}]))
        assert body["error"]["message"] == "Duplicate entry for Item.id"
        assert body["error"]["code"] == "CONFLICT"


async def test_create_all_is_atomic(sql_url: str, tmp_path: Path) -> None:
    async with item_backend(sql_url, tmp_path) as items:
        await items.create([{"title": "kept", "code": "K"}])
        rows = [{"title": "new", "code": "N"}, {"title": "clash", "code": "K"}]
        body = await _raises(items.create(rows))
        assert body["error"]["message"] == "Duplicate entry for Item.code"
        assert [row["title"] for row in await items.find(Filter())] == ["kept"]
        [created] = await items.create([{"title": "next"}])
        assert created["id"] >= 2


async def test_update_all_is_atomic(sql_url: str, tmp_path: Path) -> None:
    async with item_backend(sql_url, tmp_path) as items:
        await items.create([{"title": "a", "code": "A"}, {"title": "b", "code": "B"}])
        body = await _raises(items.update(None, {"code": "same"}))
        assert body["error"]["message"] == "Duplicate entry for Item.code"
        assert [row["code"] for row in await items.find(Filter())] == ["A", "B"]


async def test_a_missing_required_value_is_a_422_like_the_rest_layer_gives(
    sql_url: str, tmp_path: Path
) -> None:
    async with item_backend(sql_url, tmp_path) as items:
        body = await _raises(items.create([{"code": "X"}]))
        assert body == {
            "error": {
                "statusCode": 422,
                "name": "UnprocessableEntityError",
                "message": INVALID,
                "code": "VALIDATION_FAILED",
                "details": [
                    {
                        "path": "",
                        "code": "required",
                        "message": "must have required property 'title'",
                        "info": {"missingProperty": "title"},
                    }
                ],
            }
        }
        [created] = await items.create([{"title": "t"}])
        body = await _raises(items.update(None, {"title": None}))
        assert body["error"]["details"][0]["info"] == {"missingProperty": "title"}
        body = await _raises(items.replace(created["id"], {"code": "only"}))
        assert body["error"]["details"][0]["info"] == {"missingProperty": "title"}


async def test_a_value_too_long_for_its_column_is_a_422(sql_url: str, tmp_path: Path) -> None:
    if _backend_name(sql_url) == "sqlite":
        pytest.skip("SQLite does not limit VARCHAR lengths")
    async with item_backend(sql_url, tmp_path) as items:
        body = await _raises(items.create([{"title": "t", "code": "x" * 21}]))
        assert body["error"]["statusCode"] == 422
        assert body["error"]["code"] == "VALIDATION_FAILED"


async def _hold_lock(url: str, statements: list[str]) -> tuple[Any, AsyncConnection]:
    scheme, _, rest = url.partition("://")
    drivers = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
    engine = create_async_engine(f"{drivers.get(scheme, 'mysql+aiomysql')}://{rest}")
    connection = await engine.connect()
    for statement in statements:
        await connection.execute(text(statement))
    return engine, connection


async def test_a_statement_waiting_on_a_lock_past_its_timeout_is_a_503(
    sql_url: str, tmp_path: Path
) -> None:
    backend = _backend_name(sql_url)
    async with item_backend(sql_url, tmp_path, statement_timeout=0.2) as items:
        await items.create([{"title": "a"}])
        call: Callable[[], Coroutine[Any, Any, object]]
        if backend == "sqlite":
            holder = ["BEGIN IMMEDIATE", "INSERT INTO \"Item\" (title) VALUES ('b')"]
            call = partial(items.create, [{"title": "blocked"}])
        elif backend == "postgresql":
            holder = ['LOCK TABLE "Item" IN ACCESS EXCLUSIVE MODE']
            call = partial(items.find, Filter())
        else:
            holder = ["SELECT * FROM Item WHERE id = 1 FOR UPDATE"]
            call = partial(items.update, C("id", "eq", 1), {"title": "blocked"})
        engine, connection = await _hold_lock(sql_url, holder)
        try:
            started = time.monotonic()
            body = await _raises(call())
            elapsed = time.monotonic() - started
        finally:
            await connection.rollback()
            await connection.close()
            await engine.dispose()
        assert body == {
            "error": {
                "statusCode": 503,
                "name": "ServiceUnavailableError",
                "message": "The datasource db did not answer within 0.2s.",
                "code": "DATASOURCE_TIMEOUT",
            }
        }
        assert 0.15 < elapsed < 1.5
        assert await items.count(None) == 1  # the connection still works


async def test_a_statement_the_server_does_not_stop_is_cut_off_on_the_client(
    tmp_path: Path,
) -> None:
    # MariaDB's max_statement_time does not interrupt a wait for a table lock
    async with (
        isolated_database("mariadb", tmp_path) as url,
        item_backend(url, tmp_path, statement_timeout=0.2) as items,
    ):
        await items.create([{"title": "a"}])
        engine, connection = await _hold_lock(url, ["LOCK TABLES Item WRITE"])
        try:
            body = await _raises(items.find(Filter()))
        finally:
            await connection.execute(text("UNLOCK TABLES"))
            await connection.close()
            await engine.dispose()
        assert body["error"]["code"] == "DATASOURCE_TIMEOUT"
        assert await items.count(None) == 1


async def test_a_slow_sqlite_scan_is_interrupted_at_its_timeout(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'big.db'}"
    async with item_backend(url, tmp_path, statement_timeout=0.05) as items:
        engine, connection = await _hold_lock(url, [])
        try:
            await connection.execute(
                text(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    "WHERE i < 300000) INSERT INTO \"Item\" (title) SELECT printf('t%d', i) FROM n"
                )
            )
            await connection.commit()
        finally:
            await connection.close()
            await engine.dispose()
        started = time.monotonic()
        body = await _raises(items.count(C("title", "regexp", Regexp("^t[0-9]*7$"))))
        assert body["error"]["message"] == "The datasource db did not answer within 0.05s."
        assert time.monotonic() - started < 0.5
        assert await items.count(C("title", "eq", "t7")) == 1


async def test_no_free_connection_within_the_pool_timeout_is_a_503(
    sql_url: str, tmp_path: Path
) -> None:
    options = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.1}
    async with item_backend(sql_url, tmp_path, **options) as items:
        connector_engine = items.connections.connector.engine
        async with connector_engine.connect() as held:
            await held.execute(text("SELECT 1"))
            # a write (on a SQLite file a read runs on the connector's own reader, no pool)
            body = await _raises(items.create([{"title": "waits"}]))
        assert body == {
            "error": {
                "statusCode": 503,
                "name": "ServiceUnavailableError",
                "message": "The datasource db has no free connection.",
                "code": "DATASOURCE_TIMEOUT",
            }
        }
        assert await items.find(Filter()) == []


async def test_a_lost_connection_is_a_503_and_is_not_used_again(
    sql_url: str, tmp_path: Path
) -> None:
    backend = _backend_name(sql_url)
    if backend == "sqlite":
        pytest.skip("a SQLite connection cannot be lost")
    async with item_backend(sql_url, tmp_path, pool_size=1) as items:
        await items.create([{"title": "a"}])
        if backend == "postgresql":
            kill = [
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE usename = current_user AND pid <> pg_backend_pid()"
            ]
            engine, connection = await _hold_lock(sql_url, kill)
        else:
            engine, connection = await _hold_lock(sql_url, [])
            database = sql_url.rpartition("/")[2]
            result = await connection.execute(
                text(
                    "SELECT id FROM information_schema.processlist "
                    "WHERE db = :db AND id <> CONNECTION_ID()"
                ),
                {"db": database},
            )
            for (identifier,) in result.all():
                await connection.execute(text(f"KILL {int(identifier)}"))
        await connection.close()
        await engine.dispose()
        await asyncio.sleep(0.05)
        body = await _raises(items.find(Filter()))
        assert body == {
            "error": {
                "statusCode": 503,
                "name": "ServiceUnavailableError",
                "message": "The datasource db is unavailable.",
                "code": "DATASOURCE_UNAVAILABLE",
            }
        }
        assert [row["title"] for row in await items.find(Filter())] == ["a"]


async def test_a_backend_whose_connector_is_disconnected_answers_503(
    sql_url: str, tmp_path: Path
) -> None:
    async with item_backend(sql_url, tmp_path) as items:
        await items.count(None)
    body = await _raises(items.find(Filter()))
    assert body["error"]["code"] == "DATASOURCE_UNAVAILABLE"


async def test_values_beyond_what_a_database_holds_are_never_a_500(
    sql_url: str, tmp_path: Path
) -> None:
    async with item_backend(sql_url, tmp_path) as items:
        await items.create([{"title": "a", "rank": 1}])
        assert len(await items.find(Filter(limit=2**70, skip=0))) == 1
        assert await items.find(Filter(skip=2**70)) == []
        for where in (C("rank", "eq", 2**70), C("rank", "inq", (2**70, 1))):
            try:
                found = await items.count(where)
            except HttpError as error:
                assert (error.status, error.message) == (
                    400,
                    "A value in the query is out of range.",
                )
            else:
                assert found in (0, 1)
        body = await _raises(items.create([{"title": "b", "rank": 2**64}]))
        assert (body["error"]["statusCode"], body["error"]["code"]) == (422, "VALIDATION_FAILED")
        assert await items.count(None) == 1


async def test_a_regexp_mariadb_gives_up_on_is_a_400_not_a_wrong_answer(tmp_path: Path) -> None:
    # row 1 matches through "!$", but only after the backtracking "^(a+)+$" fails: MariaDB's
    # PCRE2 stops at its match limit at once (long before the 5 s statement timeout) and,
    # left alone, would count the row as not matching
    backtracking = C("title", "regexp", Regexp("^(a+)+$|!$"))
    async with (
        isolated_database("mariadb", tmp_path) as url,
        item_backend(url, tmp_path, statement_timeout=5) as items,
    ):
        await items.create([{"title": "a" * 5000 + "!", "rank": 1}, {"title": "aaa", "rank": 2}])
        attempts = [
            items.find(Filter(where=backtracking)),
            items.find(Filter(where=Or((C("rank", "eq", 9), backtracking)), limit=1)),
            items.count(backtracking),
            items.update(backtracking, {"rank": 3}),
            items.delete(backtracking),
        ]
        started = time.monotonic()
        for attempt in attempts:
            assert await _raises(attempt) == {
                "error": {
                    "statusCode": 400,
                    "name": "Error",
                    "message": "The regexp is too complex for datasource db.",
                    "code": "INVALID_PARAMETER_VALUE",
                }
            }
        assert time.monotonic() - started < 5
        rows = await items.find(Filter(where=C("title", "regexp", Regexp("^a+!?$"))))
        assert [(row["id"], row["rank"]) for row in rows] == [(1, 1), (2, 2)]  # nothing changed


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_a_backtracking_regexp_is_answered_correctly_where_the_engine_does_not_give_up(
    backend: str, tmp_path: Path
) -> None:
    async with (
        isolated_database(backend, tmp_path) as url,
        item_backend(url, tmp_path) as items,
    ):
        await items.create([{"title": "a" * 5000 + "!"}, {"title": "aaa"}, {"title": "b"}])
        rows = await items.find(Filter(where=C("title", "regexp", Regexp("^(a+)+$|!$"))))
        assert [row["id"] for row in rows] == [1, 2]
