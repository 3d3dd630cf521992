"""The sql connector against a real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from composer.connectors import SqlConnector
from composer.errors import ConnectorError
from composer.ops import App
from composer.spec import AppSpec, RestSpec, SqlDatasourceSpec


async def _version(db: SqlConnector) -> str:
    async with db.engine.connect() as connection:
        return str((await connection.execute(text("SELECT version()"))).scalar())


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+asyncpg"])
async def test_every_postgresql_scheme_connects_through_asyncpg(
    postgresql: str, tmp_path: Path, scheme: str
) -> None:
    db = SqlConnector("db", postgresql.replace("postgresql", scheme, 1), data_dir=tmp_path)
    await db.connect()
    try:
        assert db.engine.dialect.driver == "asyncpg"
        assert (await _version(db)).startswith("PostgreSQL ")
        await db.ping()
    finally:
        await db.disconnect()
    assert list(tmp_path.iterdir()) == []


async def test_the_pool_size_reaches_the_engine(postgresql: str, tmp_path: Path) -> None:
    db = SqlConnector("db", postgresql, data_dir=tmp_path, pool_size=3)
    await db.connect()
    try:
        assert db.engine.pool.size() == 3  # type: ignore[attr-defined]
    finally:
        await db.disconnect()


async def test_an_unknown_database_fails_connect_with_the_password_hidden(
    postgresql: str, tmp_path: Path
) -> None:
    url = postgresql.replace("postgres@", "postgres:s3cret@").replace("/test", "/no_such_db")
    db = SqlConnector("db", url, data_dir=tmp_path)
    with pytest.raises(ConnectorError) as caught:
        await db.connect()
    assert str(caught.value) == (
        "datasources.db: connect failed: "
        "postgresql+asyncpg://postgres:***@127.0.0.1:5432/no_such_db: "
        'database "no_such_db" does not exist'
    )


async def test_a_port_nobody_listens_on_fails_connect(postgresql: str, tmp_path: Path) -> None:
    db = SqlConnector("db", "postgresql://postgres:s3cret@127.0.0.1:1/test", data_dir=tmp_path)
    with pytest.raises(ConnectorError) as caught:
        await db.connect()
    assert str(caught.value) == (
        "datasources.db: connect failed: postgresql+asyncpg://postgres:***@127.0.0.1:1/test: "
        "Connect call failed ('127.0.0.1', 1)"
    )


async def test_an_unknown_host_fails_connect_without_the_password(
    postgresql: str, tmp_path: Path
) -> None:
    url = "postgresql://postgres:s3cret@no-such-host.invalid/test"
    db = SqlConnector("db", url, data_dir=tmp_path)
    with pytest.raises(ConnectorError) as caught:
        await db.connect()
    message = str(caught.value)
    # the resolver's wording varies (no such name, no DNS at all)
    assert message.startswith(
        "datasources.db: connect failed: "
        "postgresql+asyncpg://postgres:***@no-such-host.invalid/test: "
    )
    assert "s3cret" not in message


async def test_an_app_on_postgresql_is_ready_while_started(postgresql: str, tmp_path: Path) -> None:
    spec = AppSpec(
        api_version="composer/v1",
        name="todo",
        rest=RestSpec(port=0),
        datasources={"db": SqlDatasourceSpec(connector="sql", url=postgresql)},
    )
    async with App(spec, root=tmp_path, data_dir=tmp_path) as app:
        await app.start()
        assert await app.health.ready() == (True, [{"name": "datasources.db", "status": "UP"}])
    assert await app.health.ready() == (
        False,
        [{"name": "datasources.db", "status": "DOWN", "reason": "ping failed: not connected"}],
    )
