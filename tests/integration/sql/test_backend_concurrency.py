"""Many requests at once on a small pool: each atomic write whole, none lost, none mixed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from composer.errors import HttpError
from composer.repository.query import Comparison, Filter
from composer.repository.sql.backend import SqlBackend
from tests.integration.sql.backend_model import item_backend

C = Comparison


async def _writer(items: SqlBackend, number: int) -> int:
    rows = [{"title": f"w{number}", "rank": number, "code": f"c{number}-{i}"} for i in range(3)]
    await items.create(rows)
    if number % 5 == 0:  # one clashing row: the whole createAll is rolled back
        with pytest.raises(HttpError):
            await items.create(
                [{"title": f"x{number}"}, {"title": "clash", "code": f"c{number}-0"}]
            )
    changed = await items.update(C("rank", "eq", number), {"done": True})
    return changed + await items.count(C("title", "eq", f"w{number}"))


async def _run_writers(items: SqlBackend) -> None:
    results = await asyncio.gather(*(_writer(items, number) for number in range(30)))
    assert results == [6] * 30
    assert await items.count(None) == 90
    assert await items.count(C("title", "like", "x%")) == 0
    assert await items.count(C("done", "eq", True)) == 90


async def test_concurrent_atomic_writes_on_a_two_connection_pool(
    sql_url: str, tmp_path: Path
) -> None:
    async with item_backend(sql_url, tmp_path, pool_size=2, max_overflow=0) as items:
        await _run_writers(items)


async def test_concurrent_atomic_writes_on_an_in_memory_sqlite_database(tmp_path: Path) -> None:
    async with item_backend("sqlite://", tmp_path) as items:
        await _run_writers(items)
        assert len(await items.find(Filter(where=C("rank", "lt", 10)))) == 30
