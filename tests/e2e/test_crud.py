"""`composer serve examples/todo` as a process: CRUD on SQLite, kept across restarts.

The todo example starts on an empty database (created by autoupdate under
the data directory), serves every CRUD route through the sequence, keeps its
rows when restarted, and refuses to start when autoupdate would have to
change a column.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.e2e.process import REPO, composer_env, free_port, run_composer

pytestmark = pytest.mark.e2e


def call(
    method: str, url: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], Any]:
    """One HTTP exchange: status, headers and the decoded JSON body (None when empty)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            raw, status, answer_headers = response.read(), response.status, response.headers
    except urllib.error.HTTPError as exc:
        raw, status, answer_headers = exc.read(), exc.code, exc.headers
    return status, dict(answer_headers), json.loads(raw) if raw else None


@contextmanager
def serving(data_dir: Path) -> Iterator[str]:
    """``composer serve examples/todo`` on a free port; its URL while it runs."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "composer", "serve", "examples/todo", "--port", str(port)],
        cwd=REPO,
        env=composer_env(COMPOSER_DATA_DIR=str(data_dir)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"server exited early: {proc.communicate()[1]}")
            try:
                if call("GET", url + "/health/ready")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if time.monotonic() > deadline:
                raise AssertionError("server did not become ready")
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.communicate(timeout=20)


def test_the_todo_example_serves_crud_on_an_empty_sqlite_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with serving(data_dir) as url:
        assert (data_dir / "todo.db").is_file()
        assert call("GET", url + "/todos")[2] == []
        assert call("GET", url + "/todo-lists/count")[2] == {"count": 0}
        status, _, home = call("POST", url + "/todo-lists", {"title": "home", "color": "red"})
        assert (status, home) == (200, {"id": 1, "title": "home", "color": "red"})
        status, _, milk = call(
            "POST",
            url + "/todos",
            {"title": "milk", "todoListId": 1, "createdAt": "2024-05-01T12:00:00+02:00"},
        )
        assert (status, milk) == (
            200,
            {"id": 1, "title": "milk", "createdAt": "2024-05-01T10:00:00.000Z", "todoListId": 1},
        )
        call("POST", url + "/todos", {"title": "eggs", "todoListId": 1, "priority": 2})
        status, headers, found = call(
            "GET",
            url + "/todos?filter[where][priority][gt]=1&filter[fields][title]=true",
            headers={"Prefer": "count=exact"},
        )
        assert (status, found, headers["X-Total-Count"]) == (200, [{"title": "eggs"}], "1")
        where = quote(json.dumps({"title": {"like": "m%"}}))
        assert call("PATCH", f"{url}/todos?where={where}", {"isComplete": True})[2] == {"count": 1}
        assert call("PATCH", url + "/todos/1", {"desc": "oat"})[0] == 204
        assert call("PUT", url + "/todos/2", {"title": "bread", "todoListId": 1})[0] == 204
        assert call("GET", url + "/todos/1")[2] == {
            "id": 1,
            "title": "milk",
            "desc": "oat",
            "isComplete": True,
            "createdAt": "2024-05-01T10:00:00.000Z",
            "todoListId": 1,
        }
        assert call("DELETE", url + "/todos/2")[0] == 204
        assert call("GET", url + "/todos/2")[:3:2] == (
            404,
            {
                "error": {
                    "statusCode": 404,
                    "name": "Error",
                    "message": "Entity not found: Todo with id 2",
                    "code": "ENTITY_NOT_FOUND",
                }
            },
        )
    with serving(data_dir) as url:
        assert [todo["title"] for todo in call("GET", url + "/todos")[2]] == ["milk"]
        status, _, document = call("GET", url + "/openapi.json")
        assert status == 200
        assert document["paths"]["/todos/{id}"]["put"]["operationId"] == (
            "TodoController.replaceById"
        )


def test_serve_refuses_to_boot_when_autoupdate_would_change_a_column(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with sqlite3.connect(data_dir / "todo.db") as connection:
        connection.execute(
            'CREATE TABLE "Todo" (id INTEGER PRIMARY KEY, title INTEGER NOT NULL, '
            '"todoListId" INTEGER NOT NULL)'
        )
    connection.close()
    result = run_composer(
        "serve", "examples/todo", "--port", str(free_port()), COMPOSER_DATA_DIR=str(data_dir)
    )
    assert result.code == 1
    assert result.err == (
        "composer: error: datasources.db: the schema cannot be migrated automatically; "
        "nothing was changed:\n"
        '  table "Todo", column "title" (Todo.title): the column is INTEGER, the model needs '
        "TEXT; autoupdate never changes a column's type\n"
    )
    with sqlite3.connect(data_dir / "todo.db") as connection:
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        assert [row[0] for row in tables] == ["Todo"]
    connection.close()
