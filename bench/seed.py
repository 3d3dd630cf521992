"""The benchmark's data: 100 lists of 10 todos, identical for every server.

:func:`todo_lists` and :func:`todos` are the rows; :func:`sqlite_database`
writes them into a SQLite file whose tables composer itself created
(``composer migrate``), :func:`postgres_database` into a PostgreSQL database
used as a template, and :func:`post_rows` sends them to a running server
over HTTP (the memory backend, whose data lives in the process).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

__all__ = [
    "LISTS",
    "TODOS_PER_LIST",
    "drop_database",
    "post_rows",
    "postgres_copy",
    "postgres_database",
    "sqlite_database",
    "todo_lists",
    "todos",
]

LISTS = 100
TODOS_PER_LIST = 10
_COLORS = ("red", "green", "blue", "yellow", "purple")
_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "todo"


def todo_lists() -> list[dict[str, Any]]:
    """The lists, ids 1..100.

    >>> todo_lists()[0]
    {'id': 1, 'title': 'List 1', 'color': 'green'}
    """
    return [
        {"id": n, "title": f"List {n}", "color": _COLORS[n % len(_COLORS)]}
        for n in range(1, LISTS + 1)
    ]


def todos() -> list[dict[str, Any]]:
    """The todos, ids 1..1000, ten per list, one in three complete.

    >>> todos()[2]["isComplete"], todos()[2]["todoListId"], todos()[2]["createdAt"]
    (True, 1, '2024-01-01T00:03:00.000Z')
    """
    rows: list[dict[str, Any]] = []
    for n in range(1, LISTS * TODOS_PER_LIST + 1):
        created = _EPOCH + timedelta(minutes=n)
        rows.append(
            {
                "id": n,
                "title": f"Todo {n}",
                "desc": f"Description of todo {n}",
                "isComplete": n % 3 == 0,
                "priority": float(n % 5),
                "createdAt": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "todoListId": (n - 1) // TODOS_PER_LIST + 1,
            }
        )
    return rows


def _migrate(database_url: str, data_dir: Path) -> None:
    """Create examples/todo's tables with composer itself, so every server reads its schema."""
    env = {**os.environ, "DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, "-m", "composer", "migrate", str(EXAMPLE), "--data-dir", str(data_dir)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"composer migrate failed:\n{done.stdout}{done.stderr}")


def sqlite_database(path: Path) -> Path:
    """Write the tables and rows into a new SQLite file at ``path`` (copy it per server)."""
    _migrate(f"sqlite:///{path.resolve()}", path.parent)
    connection = sqlite3.connect(path)
    try:
        connection.executemany(
            'INSERT INTO "TodoList" (id, title, color) VALUES (?, ?, ?)',
            [(row["id"], row["title"], row["color"]) for row in todo_lists()],
        )
        connection.executemany(
            'INSERT INTO "Todo" (id, title, "desc", "isComplete", priority, "createdAt",'
            ' "todoListId") VALUES (?, ?, ?, ?, ?, ?, ?)',
            [
                (
                    row["id"],
                    row["title"],
                    row["desc"],
                    int(row["isComplete"]),
                    row["priority"],
                    # how SQLAlchemy stores a naive UTC DATETIME in SQLite
                    row["createdAt"].replace("T", " ").replace(".000Z", ".000000"),
                    row["todoListId"],
                )
                for row in todos()
            ],
        )
        connection.commit()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return path


async def _admin(url: str, *statements: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url, timeout=5)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def _database_url(url: str, database: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + database


async def postgres_database(admin_url: str, name: str, work: Path) -> str:
    """Create database ``name`` with the tables and rows; its URL (a template for copies)."""
    import asyncpg

    await _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    url = _database_url(admin_url, name)
    await asyncio.to_thread(_migrate, url, work)
    connection = await asyncpg.connect(url, timeout=5)
    try:
        await connection.executemany(
            'INSERT INTO "TodoList" (id, title, color) VALUES ($1, $2, $3)',
            [(row["id"], row["title"], row["color"]) for row in todo_lists()],
        )
        await connection.executemany(
            'INSERT INTO "Todo" (id, title, "desc", "isComplete", priority, "createdAt",'
            ' "todoListId") VALUES ($1, $2, $3, $4, $5, $6, $7)',
            [
                (
                    row["id"],
                    row["title"],
                    row["desc"],
                    row["isComplete"],
                    row["priority"],
                    datetime.strptime(row["createdAt"], "%Y-%m-%dT%H:%M:%S.000Z").replace(
                        tzinfo=UTC
                    ),
                    row["todoListId"],
                )
                for row in todos()
            ],
        )
        for table in ("TodoList", "Todo"):
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                f' (SELECT max(id) FROM "{table}"))'
            )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return url


async def postgres_copy(admin_url: str, template: str, name: str) -> str:
    """A fresh copy of the seeded database ``template`` named ``name``; its URL."""
    await _admin(
        admin_url,
        f'DROP DATABASE IF EXISTS "{name}"',
        f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
    )
    return _database_url(admin_url, name)


async def drop_database(admin_url: str, name: str) -> None:
    """Drop database ``name`` (closing what still uses it)."""
    await _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def post_rows(base_url: str) -> None:
    """Create the lists, then the todos, one POST at a time (ids come out 1..n in order)."""
    async with aiohttp.ClientSession(base_url) as session:
        for kind, rows in (("/todo-lists", todo_lists()), ("/todos", todos())):
            for row in rows:
                body = {key: value for key, value in row.items() if key != "id"}
                async with session.post(kind, json=body) as response:
                    created = await response.json()
                    if response.status != 200 or created.get("id") != row["id"]:
                        raise RuntimeError(
                            f"seeding POST {kind} answered {response.status}: {created}"
                        )
