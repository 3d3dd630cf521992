"""examples/todo's relation endpoints on PostgreSQL and MariaDB: the same answers as SQLite.

Each run gets a database of its own (``tests.integration.sql.conftest``),
which autoupdate fills with the example's tables at start. A server that
cannot be reached skips, except under CI=true, where the test fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import orjson
import pytest

from composer.boot import boot
from tests.integration.sql.conftest import isolated_database

TODO = Path(__file__).resolve().parents[2] / "examples" / "todo"


async def _call(
    session: aiohttp.ClientSession, method: str, url: str, body: Any = None
) -> tuple[int, Any]:
    async with session.request(method, url, json=body) as response:
        raw = await response.read()
        return response.status, orjson.loads(raw) if raw else None


@pytest.mark.parametrize("backend", ["postgresql", "mariadb"])
async def test_has_many_and_belongs_to_endpoints_answer_alike_on_every_sql_server(
    backend: str, tmp_path: Path
) -> None:
    async with isolated_database(backend, tmp_path) as url:
        app = boot(TODO, data_dir=tmp_path / "data", env={"DATABASE_URL": url})
        await app.start(port=0)
        try:
            base = app.url
            async with aiohttp.ClientSession() as session:

                async def call(method: str, path: str, body: Any = None) -> tuple[int, Any]:
                    return await _call(session, method, f"{base}{path}", body)

                for title in ("home", "work"):
                    assert (await call("POST", "/todo-lists", {"title": title}))[0] == 200
                assert await call("POST", "/todo-lists/1/todos", {"title": "milk"}) == (
                    200,
                    {"id": 1, "title": "milk", "todoListId": 1},
                )
                for title, list_id in (("eggs", 1), ("tea", 2)):
                    status, _ = await call("POST", f"/todo-lists/{list_id}/todos", {"title": title})
                    assert status == 200
                status, body = await call(
                    "POST", "/todo-lists/1/todos", {"title": "x", "todoListId": 2}
                )
                assert (status, body["error"]["message"]) == (
                    400,
                    'Property "todoListId" cannot be changed!',
                )
                status, rows = await call(
                    "GET", "/todo-lists/1/todos?filter[order]=title%20DESC&filter[include]=todoList"
                )
                assert (status, [(row["title"], row["todoList"]["title"]) for row in rows]) == (
                    200,
                    [("milk", "home"), ("eggs", "home")],
                )
                where = quote(orjson.dumps({"title": {"like": "m%"}}).decode())
                assert await call(
                    "PATCH", f"/todo-lists/1/todos?where={where}", {"isComplete": True}
                ) == (200, {"count": 1})
                assert await call("PATCH", "/todo-lists/1/todos", {"todoListId": 2}) == (
                    400,
                    {
                        "error": {
                            "statusCode": 400,
                            "name": "BadRequestError",
                            "message": 'Property "todoListId" cannot be changed!',
                        }
                    },
                )
                assert await call("GET", "/todos/3/todo-list") == (200, {"id": 2, "title": "work"})
                status, body = await call("GET", "/todo-lists/9/todos")
                assert (status, body["error"]["code"]) == (404, "ENTITY_NOT_FOUND")
                assert await call("POST", "/todos", {"title": "orphan", "todoListId": 99}) == (
                    200,
                    {"id": 4, "title": "orphan", "todoListId": 99},
                )
                status, body = await call("GET", "/todos/4/todo-list")
                assert (status, body["error"]["message"]) == (
                    404,
                    'Entity not found: TodoList with id "constraint {\\"id\\":99}"',
                )
                assert await call("DELETE", "/todo-lists/1/todos") == (200, {"count": 2})
                assert await call("GET", "/todos/count") == (200, {"count": 2})
        finally:
            await app.stop()
