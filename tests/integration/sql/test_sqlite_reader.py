"""A SQLite file's reads run on the connector's read-only connection, on the loop's thread.

They see every committed write at once, never write, keep the statement
timeout, and go through the pool instead when a lock would make them wait.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from composer.connectors import SqlConnector
from composer.repository.query import Comparison, Filter, Regexp
from tests.integration.sql.backend_model import item_backend


async def test_reads_run_on_the_reader_and_see_committed_writes(tmp_path: Path) -> None:
    async with item_backend(f"sqlite:///{tmp_path / 'r.db'}", tmp_path) as items:
        assert items.connector.reader is not None
        await items.create([{"title": "a"}, {"title": "b"}])
        rows = await items.find(Filter(where=Comparison("title", "regexp", Regexp("^b"))))
        assert [row["title"] for row in rows] == ["b"]
        assert await items.count(None) == 2
        assert "deadline" in items.connector.reader_state  # the reader ran them
        await items.update(Comparison("title", "eq", "a"), {"title": "c"})
        assert [row["title"] for row in await items.find(Filter())] == ["c", "b"]


async def test_the_reader_cannot_write(tmp_path: Path) -> None:
    connector = SqlConnector("db", f"sqlite:///{tmp_path / 'r.db'}", data_dir=tmp_path)
    await connector.connect()
    try:
        reader = connector.reader
        assert reader is not None
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.execute("CREATE TABLE t (x)")
    finally:
        await connector.disconnect()
    assert connector.reader is None


class _BusyReader:
    """A reader whose every statement meets a lock (SQLITE_BUSY): in WAL mode a reader only
    meets one during recovery, which a test cannot time, so the answer is played here."""

    def __init__(self) -> None:
        self.calls = 0

    def create_function(self, *args: object, **kwargs: object) -> None:
        return None

    def set_progress_handler(self, *args: object) -> None:
        return None

    def execute(self, sql: str, args: object) -> None:
        self.calls += 1
        error = sqlite3.OperationalError("database is locked")
        error.sqlite_errorcode = sqlite3.SQLITE_BUSY  # type: ignore[attr-defined]
        raise error


async def test_a_read_that_would_wait_for_a_lock_goes_through_the_pool(tmp_path: Path) -> None:
    async with item_backend(f"sqlite:///{tmp_path / 'r.db'}", tmp_path) as items:
        await items.create([{"title": "a"}])
        real = items.connector._reader
        busy = _BusyReader()
        items.connector._reader = busy  # type: ignore[assignment]
        items.connector.reader_state = {}
        try:
            rows = await items.find(Filter())
        finally:
            items.connector._reader = real
        assert busy.calls == 1
        assert [row["title"] for row in rows] == ["a"]
