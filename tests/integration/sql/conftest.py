"""Every SQL test gets a database of its own on each backend.

``sql_url`` is parametrised over SQLite (a file under the test's tmp_path),
PostgreSQL (a new role whose own schema is its default, so plain URLs
work, dropped after the test) and MariaDB (a new database, dropped after).
A server that cannot be reached skips, or fails under CI=true.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.integration.conftest import MARIADB, POSTGRESQL, require_server

BACKENDS = ("sqlite", "postgresql", "mariadb")


async def _admin(url: str, *statements: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


@asynccontextmanager
async def isolated_database(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of its own on ``backend``, dropped at the end; its URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
    elif backend == "postgresql":
        require_server("PostgreSQL", POSTGRESQL)
        admin = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
        await _admin(
            admin, f"CREATE ROLE {name} LOGIN", f"CREATE SCHEMA {name} AUTHORIZATION {name}"
        )
        try:
            yield f"postgresql://{name}@127.0.0.1:5432/test"
        finally:
            await _admin(admin, f"DROP SCHEMA {name} CASCADE", f"DROP ROLE {name}")
    else:
        require_server("MariaDB", MARIADB)
        admin = "mysql+aiomysql://root@127.0.0.1:3306/test"
        await _admin(admin, f"CREATE DATABASE {name}")
        try:
            yield f"mysql://root@127.0.0.1:3306/{name}"
        finally:
            await _admin(admin, f"DROP DATABASE {name}")


@pytest.fixture(params=BACKENDS)
async def sql_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A URL of an empty database of the test's own, on each SQL backend in turn."""
    async with isolated_database(request.param, tmp_path) as url:
        yield url
