"""The SQL backend against real SQLite, PostgreSQL and MariaDB: CRUD and every operator."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from composer.repository.query import And, Comparison, Filter, Or, Order, Regexp, Where
from composer.repository.sql.backend import SqlBackend
from tests.integration.sql.backend_model import item_backend

C = Comparison
AT = datetime(2024, 5, 1, 12, 30, 15, 250000, tzinfo=UTC)

ROWS: list[dict[str, Any]] = [
    {
        "title": "Buy milk",
        "code": "A-1",
        "priority": 1.5,
        "rank": 3,
        "done": False,
        "due": date(2024, 1, 1),
        "at": AT,
        "meta": {"k": [1, "x"], "nested": {"b": True}},
        "tags": ["home", "food"],
        "blob": b"\x00\xffbytes",
    },
    {"title": "buy eggs", "code": "a-2", "priority": 2.0, "rank": 1, "done": True,
     "due": date(2024, 1, 2), "at": AT + timedelta(days=1)},
    {"title": "50% off_sale", "code": "B_3", "priority": -1.0, "rank": 2, "done": False,
     "due": date(2024, 2, 1)},
    {"title": "back\\slash", "code": "b%4", "rank": 2},
    {"title": "ÉCOLE été", "priority": 10.0, "done": True},
    {"title": "two\nlines"},
    {"title": "BUY MILK", "rank": 5, "at": AT - timedelta(hours=1)},
]  # fmt: skip


async def _seeded(backend: SqlBackend) -> list[dict[str, Any]]:
    return await backend.create(ROWS)


async def _ids(backend: SqlBackend, where: Where | None, **query: Any) -> list[int]:
    return [row["id"] for row in await backend.find(Filter(where=where, **query))]


async def test_create_returns_generated_ids_and_find_reads_every_type_back(
    sql_url: str, tmp_path: Path
) -> None:
    async with item_backend(sql_url, tmp_path) as items:
        created = await _seeded(items)
        assert [row["id"] for row in created] == [1, 2, 3, 4, 5, 6, 7]
        assert created[0] == {"id": 1, **ROWS[0]}
        found = await items.find(Filter())
        assert found[0] == {"id": 1, **ROWS[0]}
        assert found[0]["at"].tzinfo is UTC
        assert type(found[0]["priority"]) is float and type(found[0]["rank"]) is int
        assert found[1] == {"id": 2, **ROWS[1]}
        assert found[5] == {"id": 6, "title": "two\nlines"}  # NULL columns are absent keys


async def test_edge_values_round_trip(sql_url: str, tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [
        {"title": "", "rank": 2**62, "priority": 1e300, "extra": "text", "blob": b""},
        {"title": "ünï ☃ 𝄞", "rank": -(2**62), "priority": 0.1, "extra": 5, "meta": {}},
        {"title": "quote ' \" \\ %", "extra": [None, 1.5, {"a": None}], "tags": []},
        {"title": "t", "extra": True, "done": False},
    ]
    async with item_backend(sql_url, tmp_path) as items:
        await items.create(rows)
        found = await items.find(Filter())
        assert [{k: v for k, v in row.items() if k != "id"} for row in found] == rows
        assert await items.count(C("title", "eq", "")) == 1
        assert await items.count(C("title", "eq", "quote ' \" \\ %")) == 1


async def test_json_numbers_keep_their_type_and_digits(sql_url: str, tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [
        {"title": "t", "extra": 10**20},
        {"title": "u", "extra": 2.50},
        {"title": "v", "extra": 1.0},
        {"title": "w", "extra": "5"},
        {"title": "x", "extra": 5, "tags": ["1", "2.0"], "meta": {"n": 10**20}},
    ]
    async with item_backend(sql_url, tmp_path) as items:
        await items.create(rows)
        found = await items.find(Filter())
    assert [{k: v for k, v in row.items() if k != "id"} for row in found] == rows
    assert [type(row["extra"]) for row in found] == [int, float, float, str, int]


async def test_datetimes_with_any_offset_are_stored_in_utc(sql_url: str, tmp_path: Path) -> None:
    async with item_backend(sql_url, tmp_path) as items:
        plus_two = timezone(timedelta(hours=2))
        await items.create([{"title": "t", "at": datetime(2024, 5, 1, 14, 0, tzinfo=plus_two)}])
        [row] = await items.find(Filter())
        assert row["at"] == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
        assert row["at"].tzinfo is UTC
        where = C("at", "eq", datetime(2024, 5, 1, 12, 0, tzinfo=UTC))
        assert await items.count(where) == 1


async def test_every_operator_matches_the_same_rows_on_every_database(
    sql_url: str, tmp_path: Path
) -> None:
    cases: dict[str, tuple[Where, list[int]]] = {
        "eq string is case-sensitive": (C("title", "eq", "Buy milk"), [1]),
        "eq None matches nulls": (C("priority", "eq", None), [4, 6, 7]),
        "neq skips nulls": (C("rank", "neq", 2), [1, 2, 7]),
        "neq None": (C("rank", "neq", None), [1, 2, 3, 4, 7]),
        "gt number": (C("priority", "gt", 1.5), [2, 5]),
        "a number compared with an integer": (C("priority", "eq", 2), [2]),
        "numbers in a list of integers": (C("priority", "inq", (2, 10)), [2, 5]),
        "gte integer": (C("rank", "gte", 2), [1, 3, 4, 7]),
        "lt string is byte-wise": (C("title", "lt", "a"), [1, 3, 7]),
        "lte date": (C("due", "lte", date(2024, 1, 2)), [1, 2]),
        "gt boolean": (C("done", "gt", False), [2, 5]),
        "between dates": (C("due", "between", (date(2024, 1, 2), date(2024, 2, 1))), [2, 3]),
        "between datetimes": (C("at", "between", (AT - timedelta(hours=1), AT)), [1, 7]),
        "inq": (C("rank", "inq", (1, 5, 99)), [2, 7]),
        "inq strings": (C("code", "inq", ("A-1", "a-2", "x")), [1, 2]),
        "inq with None": (C("priority", "inq", (None, 2.0)), [2, 4, 6, 7]),
        "inq empty": (C("rank", "inq", ()), []),
        "nin skips nulls": (C("rank", "nin", (1, 2)), [1, 7]),
        "nin empty matches everything": (C("rank", "nin", ()), [1, 2, 3, 4, 5, 6, 7]),
        "inq datetimes": (C("at", "inq", (AT, AT + timedelta(days=1))), [1, 2]),
        "inq booleans": (C("done", "inq", (True,)), [2, 5]),
        "like is anchored and case-sensitive": (C("title", "like", "Buy%"), [1]),
        "like one character": (C("code", "like", "_-_"), [1, 2]),
        "like escaped percent": (C("title", "like", "50\\%%"), [3]),
        "like escaped underscore": (C("code", "like", "B\\_%"), [3]),
        "like unescaped underscore": (C("code", "like", "B_3"), [3]),
        "like literal backslash": (C("title", "like", "back\\\\slash"), [4]),
        "like trailing backslash": (C("title", "like", "back\\"), []),
        "like glob characters are literals": (C("title", "like", "*"), []),
        "like spans lines": (C("title", "like", "two%lines"), [6]),
        "nlike": (C("title", "nlike", "%uy%"), [3, 4, 5, 6, 7]),
        "nlike skips nulls": (C("code", "nlike", "A%"), [2, 3, 4]),
        "ilike folds ASCII case": (C("title", "ilike", "buy milk"), [1, 7]),
        "ilike with wildcards": (C("code", "ilike", "a-_"), [1, 2]),
        "nilike": (C("title", "nilike", "BUY%"), [3, 4, 5, 6]),
        "regexp": (C("title", "regexp", Regexp("^[Bb]uy")), [1, 2]),
        "regexp i": (C("title", "regexp", Regexp("^buy m", frozenset("i"))), [1, 7]),
        "regexp i folds non-ASCII": (C("title", "regexp", Regexp("école", frozenset("i"))), [5]),
        "regexp dot skips newline": (C("title", "regexp", Regexp("two.lines")), []),
        "regexp s": (C("title", "regexp", Regexp("two.lines", frozenset("s"))), [6]),
        "regexp anchors the string": (C("title", "regexp", Regexp("^lines")), []),
        "regexp m": (C("title", "regexp", Regexp("^lines$", frozenset("m"))), [6]),
        "regexp on a renamed integer column": (C("rank", "regexp", Regexp("^[35]$")), [1, 7]),
        "exists": (C("code", "exists", True), [1, 2, 3, 4]),
        "exists false": (C("code", "exists", False), [5, 6, 7]),
        "and": (And((C("rank", "gte", 2), C("done", "eq", False))), [1, 3]),
        "or": (Or((C("rank", "eq", 1), C("title", "eq", "two\nlines"))), [2, 6]),
        "empty and": (And(()), [1, 2, 3, 4, 5, 6, 7]),
        "empty or": (Or(()), []),
        "nested": (
            Or((And((C("rank", "gt", 1), Or(()))), And((C("done", "eq", True), And(()))))),
            [2, 5],
        ),
    }
    async with item_backend(sql_url, tmp_path) as items:
        await _seeded(items)
        found = {name: await _ids(items, where) for name, (where, _) in cases.items()}
        counts = {name: await items.count(where) for name, (where, _) in cases.items()}
    assert found == {name: ids for name, (_, ids) in cases.items()}
    assert counts == {name: len(ids) for name, (_, ids) in cases.items()}


async def test_equality_order_and_unique_keys_do_not_ignore_trailing_spaces(
    sql_url: str, tmp_path: Path
) -> None:
    async with item_backend(sql_url, tmp_path) as items:
        await items.create([{"title": "a ", "code": "k "}, {"title": "a", "code": "k"}])
        assert await _ids(items, C("title", "eq", "a")) == [2]
        assert await _ids(items, C("code", "eq", "k ")) == [1]
        assert await _ids(items, None, order=(Order("title"),)) == [2, 1]


async def test_a_list_longer_than_any_parameter_limit_is_one_correct_query(
    sql_url: str, tmp_path: Path
) -> None:
    async with item_backend(sql_url, tmp_path) as items:
        await _seeded(items)
        many = (*range(1000, 41000), 2, 5)
        assert await _ids(items, C("rank", "inq", many)) == [3, 4, 7]
        assert await _ids(items, C("id", "inq", tuple(range(3, 40003)))) == [3, 4, 5, 6, 7]
        assert await items.count(C("id", "nin", tuple(range(3, 40003)))) == 2


async def test_order_puts_nulls_first_ascending_and_breaks_ties_by_id(
    sql_url: str, tmp_path: Path
) -> None:
    async with item_backend(sql_url, tmp_path) as items:
        await _seeded(items)
        assert await _ids(items, None) == [1, 2, 3, 4, 5, 6, 7]
        assert await _ids(items, None, order=(Order("rank"),)) == [5, 6, 2, 3, 4, 1, 7]
        descending = (Order("rank", descending=True),)
        assert await _ids(items, None, order=descending) == [7, 1, 3, 4, 2, 5, 6]
        several = (Order("rank", descending=True), Order("title", descending=True))
        assert await _ids(items, None, order=several) == [7, 1, 4, 3, 2, 5, 6]
        assert await _ids(items, None, order=(Order("title"),)) == [3, 7, 1, 4, 2, 6, 5]
        assert await _ids(items, None, order=(Order("id", descending=True),)) == [
            7, 6, 5, 4, 3, 2, 1
        ]  # fmt: skip


async def test_fields_limit_and_skip(sql_url: str, tmp_path: Path) -> None:
    async with item_backend(sql_url, tmp_path) as items:
        await _seeded(items)
        rows = await items.find(Filter(fields=("title", "rank"), limit=2, skip=1))
        assert rows == [{"id": 2, "title": "buy eggs", "rank": 1},
                        {"id": 3, "title": "50% off_sale", "rank": 2}]  # fmt: skip
        assert await _ids(items, None, skip=5) == [6, 7]  # skip alone: no implied limit
        assert await _ids(items, None, limit=1, order=(Order("title"),)) == [3]
        assert await _ids(items, C("rank", "gt", 0), limit=10, skip=3) == [4, 7]


async def test_update_replace_and_delete_count_the_rows_they_matched(
    sql_url: str, tmp_path: Path
) -> None:
    async with item_backend(sql_url, tmp_path) as items:
        await _seeded(items)
        assert await items.update(C("rank", "eq", 2), {"done": True, "code": None}) == 2
        assert await items.update(C("rank", "eq", 2), {"done": True}) == 2  # unchanged rows count
        assert await items.update(None, {}) == 7
        assert await _ids(items, And((C("done", "eq", True), C("code", "exists", False)))) == [
            3, 4, 5
        ]  # fmt: skip
        assert await items.replace(1, {"title": "fresh", "at": AT}) is True
        assert await items.replace(99, {"title": "none"}) is False
        assert await items.find(Filter(where=C("id", "eq", 1))) == [
            {"id": 1, "title": "fresh", "at": AT}
        ]
        assert await items.delete(C("title", "like", "%b%")) == 2
        assert await items.delete(C("id", "eq", 99)) == 0
        assert await items.count(None) == 5
        assert await items.delete(None) == 5
        assert await items.find(Filter()) == []


async def test_an_explicit_id_is_kept_and_generated_ids_continue_after_it(
    sql_url: str, tmp_path: Path
) -> None:
    async with item_backend(sql_url, tmp_path) as items:
        await items.create([{"title": "first"}])
        assert await items.create([{"id": 10, "title": "chosen"}]) == [
            {"id": 10, "title": "chosen"}
        ]
        created = await items.create([{"title": "next"}, {"title": "after"}])
        assert [row["id"] for row in created] == [11, 12]
        await items.delete(C("id", "eq", 12))
        assert [row["id"] for row in await items.create([{"title": "again"}])] == [13]


async def test_create_of_nothing_touches_nothing(sql_url: str, tmp_path: Path) -> None:
    async with item_backend(sql_url, tmp_path) as items:
        assert await items.create([]) == []
        assert await items.count(None) == 0


async def test_generated_ids_come_back_without_returning_on_an_old_sqlite(tmp_path: Path) -> None:
    async with item_backend(f"sqlite:///{tmp_path / 'old.db'}", tmp_path) as items:
        items.dialect.insert_returning = False  # as SQLAlchemy sets it before SQLite 3.35
        old = SqlBackend(items.connections.connector, items.info, items.table)
        assert [row["id"] for row in await old.create([{"title": "a"}, {"title": "b"}])] == [1, 2]
        assert "RETURNING" not in old._insert_generated.sql  # type: ignore[union-attr]
