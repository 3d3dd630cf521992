"""The sql connector on SQLite: where the file lands, the pragmas, memory databases, errors."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlalchemy import text

from composer.connectors import SqlConnector
from composer.errors import ConnectorError
from composer.spec import SqlDatasourceSpec


def _connector(url: str, data_dir: Path) -> SqlConnector:
    spec = SqlDatasourceSpec(connector="sql", url=url)
    return SqlConnector.from_spec("db", spec, root=data_dir.parent, data_dir=data_dir)


async def _scalar(connector: SqlConnector, sql: str) -> object:
    async with connector.engine.connect() as connection:
        return (await connection.execute(text(sql))).scalar()


async def test_a_relative_sqlite_path_lands_under_the_data_dir_which_connect_creates(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "state" / ".composer"
    db = _connector("sqlite:///sub/todo.db", data_dir)
    await db.connect()
    try:
        assert (data_dir / "sub" / "todo.db").is_file()
        assert await _scalar(db, "SELECT file FROM pragma_database_list") == str(
            data_dir / "sub" / "todo.db"
        )
    finally:
        await db.disconnect()
    assert sorted(path.name for path in (data_dir / "sub").iterdir()) == ["todo.db"]


async def test_every_sqlite_connection_gets_wal_normal_sync_foreign_keys_and_busy_timeout(
    tmp_path: Path,
) -> None:
    db = _connector("sqlite:///todo.db", tmp_path)
    await db.connect()
    try:
        assert await _scalar(db, "PRAGMA journal_mode") == "wal"
        assert await _scalar(db, "PRAGMA synchronous") == 1  # NORMAL
        assert await _scalar(db, "PRAGMA foreign_keys") == 1
        assert await _scalar(db, "PRAGMA busy_timeout") == 5000
        async with db.engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (x INTEGER)"))
        assert (tmp_path / "todo.db-wal").exists()
    finally:
        await db.disconnect()


async def test_an_absolute_sqlite_path_is_used_as_given(tmp_path: Path) -> None:
    file = tmp_path / "elsewhere" / "abs.db"
    file.parent.mkdir()
    db = _connector(f"sqlite:///{file}", tmp_path / "data")
    await db.connect()
    await db.disconnect()
    assert file.is_file()
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite+aiosqlite://"])
async def test_an_in_memory_database_writes_no_file_and_is_shared_by_every_connection(
    tmp_path: Path, url: str
) -> None:
    db = _connector(url, tmp_path / "data")
    await db.connect()
    try:
        async with db.engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (x INTEGER)"))
            await connection.execute(text("INSERT INTO t VALUES (7)"))
        assert await _scalar(db, "SELECT x FROM t") == 7
        await db.ping()
    finally:
        await db.disconnect()
    assert not (tmp_path / "data").exists()


async def test_ping_and_engine_without_a_connection_are_connector_errors(tmp_path: Path) -> None:
    db = _connector("sqlite://", tmp_path)
    with pytest.raises(ConnectorError) as caught:
        await db.ping()
    assert str(caught.value) == "datasources.db: ping failed: not connected"
    await db.connect()
    await db.disconnect()
    with pytest.raises(ConnectorError) as caught:
        _ = db.engine
    assert str(caught.value) == "datasources.db: engine failed: not connected"
    await db.disconnect()  # twice is harmless


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "no url at all",
            "invalid URL (expected dialect[+driver]://user:password@host:port/db)",
        ),
        (
            "postgresql://user:s3cret@host:port/db",
            "invalid URL (expected dialect[+driver]://user:password@host:port/db)",
        ),
        (
            "oracle://user:s3cret@host/db",
            "unsupported database 'oracle' "
            "(supported: sqlite, postgresql, postgres, mysql, mariadb)",
        ),
        (
            "postgresql+psycopg2://user:s3cret@host/db",
            "driver 'psycopg2' is not an async driver; "
            "use postgresql+asyncpg or leave the driver out (postgresql://...)",
        ),
        (
            "sqlite+pysqlite:///todo.db",
            "driver 'pysqlite' is not an async driver; "
            "use sqlite+aiosqlite or leave the driver out (sqlite://...)",
        ),
    ],
)
async def test_a_bad_url_fails_connect_without_showing_the_url_or_password(
    tmp_path: Path, url: str, message: str
) -> None:
    db = _connector(url, tmp_path)
    with pytest.raises(ConnectorError) as caught:
        await db.connect()
    assert str(caught.value) == f"datasources.db: connect failed: {message}"
    assert "s3cret" not in str(caught.value)


async def test_a_data_dir_that_cannot_be_created_fails_connect(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    db = _connector("sqlite:///todo.db", blocker / "data")
    with pytest.raises(ConnectorError) as caught:
        await db.connect()
    assert str(caught.value) == (
        f"datasources.db: connect failed: cannot create {blocker}/data: not a directory"
    )


async def test_a_sqlite_file_that_cannot_be_opened_fails_connect_naming_the_url(
    tmp_path: Path,
) -> None:
    (tmp_path / "dir.db").mkdir()
    db = _connector(f"sqlite:///{tmp_path}/dir.db", tmp_path)
    with pytest.raises(ConnectorError) as caught:
        await db.connect()
    assert str(caught.value) == (
        f"datasources.db: connect failed: sqlite+aiosqlite:///{tmp_path}/dir.db: "
        "unable to open database file"
    )
    with pytest.raises(ConnectorError):
        _ = db.engine


def test_the_safe_url_hides_the_password() -> None:
    db = SqlConnector("db", "postgresql://app:s3cret@db.example:5432/app", data_dir=Path("."))
    assert db.safe_url == "postgresql://app:***@db.example:5432/app"
    assert SqlConnector("db", "nonsense", data_dir=Path(".")).safe_url == "<invalid URL>"


async def test_a_server_that_never_answers_fails_connect_after_the_timeout(tmp_path: Path) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        db = SqlConnector(
            "db",
            f"postgresql://app:s3cret@127.0.0.1:{port}/app",
            data_dir=tmp_path,
            connect_timeout=0.2,
        )
        with pytest.raises(ConnectorError) as caught:
            await db.connect()
    assert str(caught.value) == (
        f"datasources.db: connect failed: postgresql+asyncpg://app:***@127.0.0.1:{port}/app: "
        "no answer within 0.2s"
    )


async def test_pool_settings_reach_the_engine_and_the_statement_timeout_stays_with_the_connector(
    tmp_path: Path,
) -> None:
    spec = SqlDatasourceSpec(
        connector="sql",
        url="sqlite:///pool.db",
        pool_size=2,
        max_overflow=0,
        pool_timeout=0.5,
        statement_timeout=3,
    )
    db = SqlConnector.from_spec("db", spec, root=tmp_path, data_dir=tmp_path)
    await db.connect()
    try:
        pool = db.engine.pool
        assert (pool.size(), pool.timeout()) == (2, 0.5)  # type: ignore[attr-defined]
        assert (db.max_overflow, db.statement_timeout, db.exclusive) == (0, 3, None)
    finally:
        await db.disconnect()


async def test_an_in_memory_database_has_one_connection_used_under_a_lock(tmp_path: Path) -> None:
    db = _connector("sqlite://", tmp_path)
    await db.connect()
    try:
        assert db.exclusive is not None
        assert not db.exclusive.locked()
    finally:
        await db.disconnect()
    assert db.exclusive is None
