"""The sql connector against a real MariaDB server."""

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
        return str((await connection.execute(text("SELECT VERSION()"))).scalar())


@pytest.mark.parametrize(
    ("scheme", "dialect"),
    [("mysql", "mysql"), ("mariadb", "mariadb"), ("mysql+aiomysql", "mysql")],
)
async def test_mysql_and_mariadb_schemes_connect_through_aiomysql(
    mariadb: str, tmp_path: Path, scheme: str, dialect: str
) -> None:
    db = SqlConnector("db", mariadb.replace("mysql", scheme, 1), data_dir=tmp_path)
    await db.connect()
    try:
        assert (db.engine.dialect.name, db.engine.dialect.driver) == (dialect, "aiomysql")
        assert "MariaDB" in await _version(db)
        await db.ping()
    finally:
        await db.disconnect()


async def test_a_wrong_password_fails_connect_with_the_password_hidden(
    mariadb: str, tmp_path: Path
) -> None:
    db = SqlConnector("db", mariadb.replace("root@", "root:s3cret@"), data_dir=tmp_path)
    with pytest.raises(ConnectorError) as caught:
        await db.connect()
    assert str(caught.value) == (
        "datasources.db: connect failed: mysql+aiomysql://root:***@127.0.0.1:3306/test: "
        "Access denied for user 'root'@'127.0.0.1' (using password: YES)"
    )
    assert (caught.value.datasource, caught.value.operation) == ("db", "connect")


async def test_an_unknown_host_fails_connect_without_the_password(
    mariadb: str, tmp_path: Path
) -> None:
    db = SqlConnector("db", "mysql://root:s3cret@no-such-host.invalid/test", data_dir=tmp_path)
    with pytest.raises(ConnectorError) as caught:
        await db.connect()
    assert str(caught.value) == (
        "datasources.db: connect failed: mysql+aiomysql://root:***@no-such-host.invalid/test: "
        "Can't connect to MySQL server on 'no-such-host.invalid'"
    )


async def test_an_app_on_mariadb_is_ready_while_started(mariadb: str, tmp_path: Path) -> None:
    spec = AppSpec(
        api_version="composer/v1",
        name="todo",
        rest=RestSpec(port=0),
        datasources={"db": SqlDatasourceSpec(connector="sql", url=mariadb)},
    )
    async with App(spec, root=tmp_path, data_dir=tmp_path) as app:
        await app.start()
        assert await app.health.ready() == (True, [{"name": "datasources.db", "status": "UP"}])
    assert await app.health.ready() == (
        False,
        [{"name": "datasources.db", "status": "DOWN", "reason": "ping failed: not connected"}],
    )
