"""Hand-written aiohttp handlers on the drivers composer uses: the limit with a database.

``python -m bench.servers.raw --port P --backend sqlite --database FILE`` (or
``--backend postgresql --database URL``, or ``--backend memory --seed FILE``)
serves the benchmark's endpoints the shortest way: one SQL string per
endpoint on aiosqlite or asyncpg, rows turned into JSON with orjson::

    GET  /ping                                    the ping document (bench.servers.hello)
    GET  /todos/{id}                              one todo, 404 when missing
    GET  /todos?filter={"where":{"isComplete":false},"limit":10}
    GET  /todos/count                             {"count": n}
    POST /todos                                   create one todo (title and todoListId required)
    GET  /todo-lists/{id}?filter={"include":["todos"]}
    GET  /__bench/statements                      {"statements": n} sent to the database

Connections come from a pool of up to 15, the size of composer's default
SQLAlchemy pool (5 kept + 10 overflow); SQLite connections get composer's
pragmas. Nothing caches rows or responses.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, Protocol

import orjson
from aiohttp import web

from bench.servers import STATEMENTS_PATH
from bench.servers.hello import ping

__all__ = ["MemoryStore", "PostgresStore", "SqliteStore", "Store", "main", "make_app"]

POOL_SIZE = 15
Row = dict[str, Any]
_TODO_COLUMNS = 'id, title, "desc", "isComplete", priority, "createdAt", "todoListId"'
_TODO_FIELDS = ("id", "title", "desc", "isComplete", "priority", "createdAt", "todoListId")
_NEW_FIELDS = _TODO_FIELDS[1:]
_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


class Store(Protocol):
    """What the handlers need from a backend."""

    statements: int

    async def open(self) -> None: ...
    async def close(self) -> None: ...
    async def todo(self, id: int) -> Row | None: ...
    async def todos(self, is_complete: bool | None, limit: int | None) -> list[Row]: ...
    async def count(self) -> int: ...
    async def create(self, todo: Row) -> Row: ...
    async def todo_list(self, id: int, with_todos: bool) -> Row | None: ...


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


class MemoryStore:
    """Rows in dicts, loaded from the seed file."""

    def __init__(self, seed: str) -> None:
        self.statements = 0
        self._seed = seed
        self._todos: dict[int, Row] = {}
        self._lists: dict[int, Row] = {}
        self._next_id = 1

    async def open(self) -> None:
        with open(self._seed, "rb") as file:
            data = orjson.loads(file.read())
        self._lists = {row["id"]: row for row in data["todoLists"]}
        self._todos = {row["id"]: row for row in data["todos"]}
        self._next_id = max(self._todos, default=0) + 1

    async def close(self) -> None:
        return None

    async def todo(self, id: int) -> Row | None:
        return self._todos.get(id)

    async def todos(self, is_complete: bool | None, limit: int | None) -> list[Row]:
        found: list[Row] = []
        for row in self._todos.values():
            if limit is not None and len(found) >= limit:
                break
            if is_complete is None or row.get("isComplete") == is_complete:
                found.append(row)
        return found

    async def count(self) -> int:
        return len(self._todos)

    async def create(self, todo: Row) -> Row:
        row = {"id": self._next_id, **todo}
        self._next_id += 1
        self._todos[row["id"]] = row
        return row

    async def todo_list(self, id: int, with_todos: bool) -> Row | None:
        found = self._lists.get(id)
        if found is None or not with_todos:
            return found
        return {**found, "todos": [t for t in self._todos.values() if t["todoListId"] == id]}


class SqliteStore:
    """aiosqlite connections, up to :data:`POOL_SIZE`, opened on demand."""

    def __init__(self, path: str) -> None:
        self.statements = 0
        self._path = path
        self._idle: asyncio.Queue[Any] = asyncio.Queue()
        self._opened = 0

    async def open(self) -> None:
        await self._idle.put(await self._connect())

    async def _connect(self) -> Any:
        import aiosqlite

        self._opened += 1
        connection = await aiosqlite.connect(self._path)
        for pragma in _SQLITE_PRAGMAS:
            await connection.execute(pragma)
        return connection

    async def close(self) -> None:
        while not self._idle.empty():
            await self._idle.get_nowait().close()

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[Any]:
        if self._idle.empty() and self._opened < POOL_SIZE:
            connection = await self._connect()
        else:
            connection = await self._idle.get()
        try:
            yield connection
        finally:
            self._idle.put_nowait(connection)

    async def _fetch(self, sql: str, args: tuple[Any, ...]) -> list[Any]:
        self.statements += 1
        async with self._connection() as connection:
            rows: list[Any] = list(await connection.execute_fetchall(sql, args))
            return rows

    @staticmethod
    def _todo(row: Any) -> Row:
        found = {
            name: value for name, value in zip(_TODO_FIELDS, row, strict=True) if value is not None
        }
        if "isComplete" in found:
            found["isComplete"] = bool(found["isComplete"])
        if "createdAt" in found:
            text = found["createdAt"]
            found["createdAt"] = f"{text[:10]}T{text[11:23]}Z"
        return found

    async def todo(self, id: int) -> Row | None:
        rows = await self._fetch(f'SELECT {_TODO_COLUMNS} FROM "Todo" WHERE id = ?', (id,))
        return self._todo(rows[0]) if rows else None

    async def todos(self, is_complete: bool | None, limit: int | None) -> list[Row]:
        where = "" if is_complete is None else ' WHERE "isComplete" = ?'
        args: tuple[Any, ...] = () if is_complete is None else (int(is_complete),)
        sql = f'SELECT {_TODO_COLUMNS} FROM "Todo"{where} ORDER BY id'
        if limit is not None:
            sql += " LIMIT ?"
            args += (limit,)
        return [self._todo(row) for row in await self._fetch(sql, args)]

    async def count(self) -> int:
        rows = await self._fetch('SELECT count(*) FROM "Todo"', ())
        return int(rows[0][0])

    async def create(self, todo: Row) -> Row:
        created = todo.get("createdAt")
        # a naive UTC DATETIME, as SQLAlchemy stores it in SQLite
        stored = (
            None
            if created is None
            else datetime.fromisoformat(created).strftime("%Y-%m-%d %H:%M:%S.%f")
        )
        args = tuple(stored if name == "createdAt" else todo.get(name) for name in _NEW_FIELDS)
        sql = f'INSERT INTO "Todo" ({_TODO_COLUMNS.removeprefix("id, ")}) VALUES (?, ?, ?, ?, ?, ?)'
        self.statements += 1
        async with self._connection() as connection:
            cursor = await connection.execute(sql, args)
            await connection.commit()
            return {"id": cursor.lastrowid, **todo}

    async def todo_list(self, id: int, with_todos: bool) -> Row | None:
        rows = await self._fetch('SELECT id, title, color FROM "TodoList" WHERE id = ?', (id,))
        if not rows:
            return None
        found = {
            name: value
            for name, value in zip(("id", "title", "color"), rows[0], strict=True)
            if value is not None
        }
        if with_todos:
            todos = await self._fetch(
                f'SELECT {_TODO_COLUMNS} FROM "Todo" WHERE "todoListId" = ? ORDER BY id', (id,)
            )
            found["todos"] = [self._todo(row) for row in todos]
        return found


class PostgresStore:
    """An asyncpg pool of up to :data:`POOL_SIZE` connections."""

    def __init__(self, url: str) -> None:
        self.statements = 0
        self._url = url
        self._pool: Any = None

    async def open(self) -> None:
        import asyncpg

        self._pool = await asyncpg.create_pool(self._url, min_size=5, max_size=POOL_SIZE)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()

    @staticmethod
    def _todo(record: Any) -> Row:
        found = {name: value for name, value in record.items() if value is not None}
        if "createdAt" in found:
            found["createdAt"] = _iso(found["createdAt"])
        return found

    async def _fetch(self, sql: str, *args: Any) -> list[Any]:
        self.statements += 1
        rows: list[Any] = await self._pool.fetch(sql, *args)
        return rows

    async def todo(self, id: int) -> Row | None:
        rows = await self._fetch(f'SELECT {_TODO_COLUMNS} FROM "Todo" WHERE id = $1', id)
        return self._todo(rows[0]) if rows else None

    async def todos(self, is_complete: bool | None, limit: int | None) -> list[Row]:
        args: list[Any] = []
        sql = f'SELECT {_TODO_COLUMNS} FROM "Todo"'
        if is_complete is not None:
            args.append(is_complete)
            sql += ' WHERE "isComplete" = $1'
        sql += " ORDER BY id"
        if limit is not None:
            args.append(limit)
            sql += f" LIMIT ${len(args)}"
        return [self._todo(row) for row in await self._fetch(sql, *args)]

    async def count(self) -> int:
        rows = await self._fetch('SELECT count(*) FROM "Todo"')
        return int(rows[0][0])

    async def create(self, todo: Row) -> Row:
        created = todo.get("createdAt")
        args = [
            None
            if created is None
            else datetime.fromisoformat(created)
            if name == "createdAt"
            else todo.get(name)
            for name in _NEW_FIELDS
        ]
        rows = await self._fetch(
            f'INSERT INTO "Todo" ({_TODO_COLUMNS.removeprefix("id, ")})'
            " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            *args,
        )
        return {"id": rows[0][0], **todo}

    async def todo_list(self, id: int, with_todos: bool) -> Row | None:
        rows = await self._fetch('SELECT id, title, color FROM "TodoList" WHERE id = $1', id)
        if not rows:
            return None
        found = {name: value for name, value in rows[0].items() if value is not None}
        if with_todos:
            todos = await self._fetch(
                f'SELECT {_TODO_COLUMNS} FROM "Todo" WHERE "todoListId" = $1 ORDER BY id', id
            )
            found["todos"] = [self._todo(row) for row in todos]
        return found


STORE: web.AppKey[Store] = web.AppKey("store", Store)


def _json(body: Any, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(body), status=status, content_type="application/json")


def _not_found() -> web.Response:
    return _json({"error": {"statusCode": 404, "name": "NotFoundError"}}, 404)


def _bad_request(message: str) -> web.Response:
    return _json({"error": {"statusCode": 400, "name": "BadRequestError", "message": message}}, 400)


def _filter(request: web.Request) -> dict[str, Any]:
    text = request.query.get("filter")
    if not text:
        return {}
    parsed = orjson.loads(text)
    return parsed if isinstance(parsed, dict) else {}


def _id(request: web.Request) -> int | None:
    text = request.match_info["id"]
    return int(text) if text.isdigit() else None


async def find_todo(request: web.Request) -> web.Response:
    """``GET /todos/{id}``."""
    id = _id(request)
    found = None if id is None else await request.app[STORE].todo(id)
    return _not_found() if found is None else _json(found)


async def find_todos(request: web.Request) -> web.Response:
    """``GET /todos?filter=...`` (where.isComplete and limit)."""
    try:
        query = _filter(request)
    except orjson.JSONDecodeError:
        return _bad_request("filter is not JSON")
    where = query.get("where") or {}
    limit = query.get("limit")
    rows = await request.app[STORE].todos(where.get("isComplete"), limit)
    return _json(rows)


async def count_todos(request: web.Request) -> web.Response:
    """``GET /todos/count``."""
    return _json({"count": await request.app[STORE].count()})


async def create_todo(request: web.Request) -> web.Response:
    """``POST /todos``: title (a non-empty string) and todoListId (an integer) are required."""
    try:
        body = orjson.loads(await request.read())
    except orjson.JSONDecodeError:
        return _bad_request("the body is not JSON")
    if not isinstance(body, dict):
        return _bad_request("the body is not an object")
    title, list_id = body.get("title"), body.get("todoListId")
    if not isinstance(title, str) or not title or not isinstance(list_id, int):
        return _bad_request("title and todoListId are required")
    todo = {name: body[name] for name in _NEW_FIELDS if body.get(name) is not None}
    return _json(await request.app[STORE].create(todo))


async def find_todo_list(request: web.Request) -> web.Response:
    """``GET /todo-lists/{id}?filter={"include":["todos"]}``."""
    id = _id(request)
    try:
        include = _filter(request).get("include") or []
    except orjson.JSONDecodeError:
        return _bad_request("filter is not JSON")
    found = None if id is None else await request.app[STORE].todo_list(id, "todos" in include)
    return _not_found() if found is None else _json(found)


async def statements(request: web.Request) -> web.Response:
    """``GET /__bench/statements``: statements sent to the database so far."""
    return _json({"statements": request.app[STORE].statements})


def make_app(store: Store) -> web.Application:
    """The application serving ``store``; it opens on startup and closes on cleanup."""
    app = web.Application()
    app[STORE] = store

    async def lifetime(_app: web.Application) -> AsyncIterator[None]:
        await store.open()
        yield
        await store.close()

    app.cleanup_ctx.append(lifetime)
    app.router.add_get("/ping", ping)
    app.router.add_get(STATEMENTS_PATH, statements)
    app.router.add_get("/todos/count", count_todos)
    app.router.add_get("/todos/{id}", find_todo)
    app.router.add_get("/todos", find_todos)
    app.router.add_post("/todos", create_todo)
    app.router.add_get("/todo-lists/{id}", find_todo_list)
    return app


def main() -> None:
    """Parse the command line and serve until SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--backend", choices=["memory", "sqlite", "postgresql"], required=True)
    parser.add_argument("--database", help="the SQLite file or the PostgreSQL URL")
    parser.add_argument("--seed", help="the memory backend's rows (JSON)")
    args = parser.parse_args()
    store: Store
    if args.backend == "memory":
        store = MemoryStore(args.seed)
    elif args.backend == "sqlite":
        store = SqliteStore(args.database)
    else:
        store = PostgresStore(args.database)
    web.run_app(make_app(store), host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
