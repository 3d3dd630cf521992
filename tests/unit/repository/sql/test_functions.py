"""SQLite's regexp function (RE2) and the deadline that interrupts a statement."""

from __future__ import annotations

import sqlite3
import time

import aiosqlite
import pytest

from composer.repository.regexp import compile_regexp
from composer.repository.sql.functions import Deadline, prepare_sqlite, regexp_function


def test_the_regexp_function_matches_with_re2_and_ignores_nulls() -> None:
    match = regexp_function()
    pattern = compile_regexp("^buy.milk$", frozenset("i")).re2.pattern
    assert [match(text, pattern) for text in ("Buy milk", "BUY_MILK", "buy\nmilk", None)] == [
        1, 1, 0, None
    ]  # fmt: skip
    assert match(1234, "^12") == 1
    assert match("x", None) is None


def test_a_pattern_re2_refuses_matches_nothing() -> None:
    assert regexp_function()("a", "(?=a)") is None


def test_a_catastrophic_pattern_runs_in_linear_time() -> None:
    match = regexp_function()
    started = time.monotonic()
    assert match("a" * 100_000 + "!", "^(a+)+$") == 0
    assert time.monotonic() - started < 0.5


def test_a_deadline_passes_once_armed_and_never_when_disarmed() -> None:
    deadline = Deadline()
    assert not deadline.passed()
    deadline.arm(10)
    assert not deadline.passed()
    deadline.arm(-1)
    assert deadline.passed()
    deadline.disarm()
    assert not deadline.passed()


async def test_a_prepared_connection_runs_regexp_and_is_interrupted_past_its_deadline() -> None:
    async with aiosqlite.connect(":memory:") as connection:
        deadline = await prepare_sqlite(connection, 5.0)
        rows = await connection.execute_fetchall(
            "SELECT composer_regexp('Buy milk', ?), composer_regexp(NULL, 'x')", ("^B",)
        )
        assert list(rows) == [(1, None)]
        deadline.arm(0.0)
        with pytest.raises(sqlite3.OperationalError, match="interrupted"):
            await connection.execute_fetchall(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000)"
                " SELECT count(*) FROM n"
            )
        deadline.disarm()
        assert list(await connection.execute_fetchall("PRAGMA busy_timeout")) == [(5000,)]


async def test_without_a_timeout_no_statement_is_interrupted() -> None:
    async with aiosqlite.connect(":memory:") as connection:
        deadline = await prepare_sqlite(connection, None)
        deadline.arm(0.0)
        rows = await connection.execute_fetchall(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)"
            " SELECT count(*) FROM n"
        )
        assert list(rows) == [(100000,)]
