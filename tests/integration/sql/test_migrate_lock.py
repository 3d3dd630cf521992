"""The migration lock: one migration at a time per database, a clear error after the timeout."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from composer.connectors import SqlConnector
from composer.errors import ConnectorError
from composer.repository.sql.lock import lock_key, migration_lock


async def test_a_second_migration_waits_for_the_lock_and_fails_after_its_timeout(
    sql_url: str, tmp_path: Path
) -> None:
    db = SqlConnector("db", sql_url, data_dir=tmp_path)
    await db.connect()
    try:
        async with (
            db.engine.connect() as holder,
            migration_lock(holder, datasource="db"),
            db.engine.connect() as waiter,
        ):
            with pytest.raises(ConnectorError) as caught:
                async with migration_lock(waiter, datasource="db", timeout=0.3):
                    pass
        async with db.engine.connect() as later, migration_lock(later, datasource="db"):
            pass  # released when the holder finished
    finally:
        await db.disconnect()
    assert str(caught.value) == (
        "datasources.db: migrate failed: another migration held the database lock for over 0.3s"
    )


async def test_the_lock_is_released_when_the_migration_fails(sql_url: str, tmp_path: Path) -> None:
    db = SqlConnector("db", sql_url, data_dir=tmp_path)
    await db.connect()
    try:
        with pytest.raises(RuntimeError):
            async with db.engine.connect() as first, migration_lock(first, datasource="db"):
                raise RuntimeError("boom")
        async with (
            db.engine.connect() as second,
            migration_lock(second, datasource="db", timeout=0.3),
        ):
            pass
    finally:
        await db.disconnect()


async def test_holders_take_turns_in_order(sql_url: str, tmp_path: Path) -> None:
    db = SqlConnector("db", sql_url, data_dir=tmp_path)
    await db.connect()
    log: list[str] = []

    async def migrate(name: str) -> None:
        async with db.engine.connect() as connection, migration_lock(connection, datasource="db"):
            log.append(f"{name} in")
            await asyncio.sleep(0.1)
            log.append(f"{name} out")

    try:
        await asyncio.gather(migrate("a"), migrate("b"))
    finally:
        await db.disconnect()
    assert log in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])


def test_lock_keys_are_stable_and_fit_each_database() -> None:
    assert lock_key("postgresql", "public") == -4956286769520014021
    assert lock_key("mysql", "todo") == "composer.migrate:todo"
    long = lock_key("mysql", "d" * 64)
    assert isinstance(long, str)
    assert (long, len(long)) == (
        "composer.migrate:" + "d91323a5298f3b9f814db29efaa271f24fbdcced",
        57,
    )
