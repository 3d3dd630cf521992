"""examples/todo on every SQL backend: DATABASE_URL alone switches SQLite, PostgreSQL, MariaDB.

Each run gets a database of its own (a PostgreSQL role and schema, a MariaDB
database, a SQLite file; see ``tests.integration.sql.conftest``), which
autoupdate fills with the example's tables at start. A server that cannot
be reached skips, except under CI=true, where the test fails.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest

from composer.boot import boot
from tests.integration.sql.conftest import isolated_database

pytestmark = pytest.mark.e2e

TODO = Path(__file__).resolve().parents[2] / "examples" / "todo"


async def _call(
    session: aiohttp.ClientSession, method: str, url: str, body: Any = None
) -> tuple[int, Any]:
    async with session.request(method, url, json=body) as response:
        raw = await response.read()
        return response.status, json.loads(raw) if raw else None


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
async def test_the_todo_example_serves_the_same_answers_on_every_sql_backend(
    backend: str, tmp_path: Path
) -> None:
    async with isolated_database(backend, tmp_path) as url:
        app = boot(TODO, data_dir=tmp_path / "data", env={"DATABASE_URL": url})
        await app.start(port=0)
        try:
            base = app.url
            async with aiohttp.ClientSession() as session:
                assert await _call(session, "GET", f"{base}/todos") == (200, [])
                assert await _call(session, "POST", f"{base}/todo-lists", {"title": "home"}) == (
                    200,
                    {"id": 1, "title": "home"},
                )
                for title, priority in (("Milk", 1), ("milk", 3), ("eggs", None)):
                    todo: dict[str, Any] = {"title": title, "todoListId": 1}
                    if priority is not None:
                        todo["priority"] = priority
                    status, _ = await _call(session, "POST", f"{base}/todos", todo)
                    assert status == 200
                status, rows = await _call(
                    session,
                    "GET",
                    f"{base}/todos?filter[where][title][like]=m%25&filter[order]=title%20DESC",
                )
                assert (status, [row["id"] for row in rows]) == (200, [2])
                where = quote(json.dumps({"priority": {"gte": 1}}))
                assert await _call(
                    session, "PATCH", f"{base}/todos?where={where}", {"isComplete": True}
                ) == (200, {"count": 2})
                assert await _call(
                    session, "GET", f"{base}/todos/count?where[isComplete]=true"
                ) == (
                    200,
                    {"count": 2},
                )
                assert await _call(
                    session,
                    "PUT",
                    f"{base}/todos/3",
                    {"title": "bread", "todoListId": 1, "createdAt": "2024-01-01T00:00:00Z"},
                ) == (204, None)
                assert await _call(session, "GET", f"{base}/todos/3") == (
                    200,
                    {
                        "id": 3,
                        "title": "bread",
                        "createdAt": "2024-01-01T00:00:00.000Z",
                        "todoListId": 1,
                    },
                )
                assert await _call(session, "PATCH", f"{base}/todos/3", {"id": 4}) == (
                    400,
                    {
                        "error": {
                            "statusCode": 400,
                            "name": "Error",
                            "message": "id property (id) cannot be updated from 3 to 4",
                        }
                    },
                )
                assert await _call(session, "DELETE", f"{base}/todos/1") == (204, None)
                status, body = await _call(session, "DELETE", f"{base}/todos/1")
                assert (status, body["error"]["code"]) == (404, "ENTITY_NOT_FOUND")
                assert await _call(session, "GET", f"{base}/todos/count") == (200, {"count": 2})
        finally:
            await app.stop()
