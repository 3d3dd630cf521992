"""The repository contract: one expected result per case, on memory, SQLite, PostgreSQL, MariaDB.

Every test runs once per backend (the ``store`` fixture) and none knows which
backend it runs on: an operator, an order or a CRUD method that answers
differently anywhere fails here. The semantics are
:mod:`composer.repository.query`'s.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from composer.errors import HttpError
from composer.repository.query import And, Comparison, Filter, Or, Order, Regexp, Where
from tests.integration.repository.conftest import Store

UTC = datetime.UTC


def _at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).astimezone(UTC)


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


#: ids 1 to 6; row 3 has only a name, row 6 no flag
ROWS: list[dict[str, Any]] = [
    {
        "name": "apple",
        "code": "A1",
        "tag": "a%b",
        "n": 1,
        "x": 1.5,
        "flag": True,
        "day": "2024-01-01",
        "at": "2024-01-01T00:00:00Z",
    },
    {
        "name": "Banana",
        "code": "B2",
        "tag": "a_b",
        "n": 2,
        "x": -2,
        "flag": False,
        "day": "2024-02-01",
        "at": "2024-02-01T12:00:00Z",
    },
    {"name": "cherry"},
    {
        "name": "apple pie",
        "code": "A4",
        "tag": "ab\\c",
        "n": 3,
        "x": 0,
        "flag": True,
        "day": "2024-03-01",
        "at": "2024-03-01T23:59:59.999Z",
    },
    {
        "name": "Äpfel",
        "code": "Ä5",
        "tag": "xyz",
        "n": 2,
        "x": 10,
        "flag": False,
        "day": "2024-01-15",
        "at": "2024-01-15T06:30:00+02:00",
    },
    {
        "name": "date",
        "code": "d6",
        "tag": "a\nb",
        "n": 10,
        "x": 2.25,
        "day": "2024-02-29",
        "at": "2024-02-29T00:00:00.001Z",
    },
]
ALL = [1, 2, 3, 4, 5, 6]


def _c(name: str, op: str, value: Any) -> Comparison:
    return Comparison(name, op, value)  # type: ignore[arg-type]


def _re(pattern: str, flags: str = "") -> Regexp:
    return Regexp(pattern, frozenset(flags))


async def _seeded(store: Store) -> Store:
    created = await store.items.create_all(ROWS)
    assert [row["id"] for row in created] == ALL
    return store


async def _ids(store: Store, where: Where | None = None, **query: Any) -> list[int]:
    return [row["id"] for row in await store.items.find(Filter(where=where, **query))]


async def _matches(store: Store, cases: dict[str, tuple[Where, list[int]]]) -> None:
    """Every case's rows, compared all at once so one run shows every difference."""
    found = {case: await _ids(store, where) for case, (where, _) in cases.items()}
    assert found == {case: expected for case, (_, expected) in cases.items()}


EQUALITY: dict[str, tuple[Where, list[int]]] = {
    "string": (_c("name", "eq", "apple"), [1]),
    "string, case-sensitive": (_c("name", "eq", "APPLE"), []),
    "string, trailing space significant": (_c("name", "eq", "apple "), []),
    "integer": (_c("n", "eq", 2), [2, 5]),
    "null": (_c("n", "eq", None), [3]),
    "boolean": (_c("flag", "eq", False), [2, 5]),
    "number": (_c("x", "eq", 0.0), [4]),
    "date": (_c("day", "eq", _day("2024-02-29")), [6]),
    "datetime given with an offset": (_c("at", "eq", _at("2024-01-15T04:30:00+00:00")), [5]),
    "neq skips nulls": (_c("n", "neq", 2), [1, 4, 6]),
    "neq null": (_c("n", "neq", None), [1, 2, 4, 5, 6]),
    "neq boolean skips nulls": (_c("flag", "neq", True), [2, 5]),
}

RANGES: dict[str, tuple[Where, list[int]]] = {
    "gt": (_c("n", "gt", 2), [4, 6]),
    "gte": (_c("n", "gte", 2), [2, 4, 5, 6]),
    "lt": (_c("n", "lt", 2), [1]),
    "lte": (_c("n", "lte", 2), [1, 2, 5]),
    "number gt": (_c("x", "gt", 0), [1, 5, 6]),
    "number lt": (_c("x", "lt", 0), [2]),
    "string gt, byte-wise": (_c("name", "gt", "apple"), [3, 4, 5, 6]),
    "string lt, byte-wise": (_c("name", "lt", "a"), [2]),
    "boolean gt": (_c("flag", "gt", False), [1, 4]),
    "date gt": (_c("day", "gt", _day("2024-02-01")), [4, 6]),
    "datetime lt": (_c("at", "lt", _at("2024-01-15T04:30:00+00:00")), [1]),
    "datetime lte, to the millisecond": (
        _c("at", "lte", _at("2024-03-01T23:59:59.999+00:00")),
        [1, 2, 4, 5, 6],
    ),
    "datetime lt, to the millisecond": (
        _c("at", "lt", _at("2024-03-01T23:59:59.999+00:00")),
        [1, 2, 5, 6],
    ),
    "between integers": (_c("n", "between", (1, 2)), [1, 2, 5]),
    "between dates": (_c("day", "between", (_day("2024-01-01"), _day("2024-01-31"))), [1, 5]),
    "between datetimes, inclusive": (
        _c(
            "at",
            "between",
            (_at("2024-02-01T12:00:00+00:00"), _at("2024-02-29T00:00:00.001+00:00")),
        ),
        [2, 6],
    ),
    "between strings": (_c("name", "between", ("a", "b")), [1, 4]),
}

LISTS: dict[str, tuple[Where, list[int]]] = {
    "inq": (_c("n", "inq", (1, 3)), [1, 4]),
    "inq of strings": (_c("name", "inq", ("apple", "Banana", "zzz")), [1, 2]),
    "inq of dates": (_c("day", "inq", (_day("2024-01-01"), _day("2024-02-29"))), [1, 6]),
    "empty inq matches nothing": (_c("n", "inq", ()), []),
    "nin skips nulls": (_c("n", "nin", (1, 3)), [2, 5, 6]),
    "empty nin matches everything": (_c("n", "nin", ()), ALL),
    "exists": (_c("n", "exists", True), [1, 2, 4, 5, 6]),
    "not exists": (_c("flag", "exists", False), [3, 6]),
}

LIKES: dict[str, tuple[Where, list[int]]] = {
    "prefix": (_c("name", "like", "apple%"), [1, 4]),
    "anywhere": (_c("name", "like", "%e%"), [1, 3, 4, 5, 6]),
    "anchored": (_c("name", "like", "pple"), []),
    "case-sensitive": (_c("name", "like", "APPLE%"), []),
    "one character": (_c("name", "like", "_anana"), [2]),
    "one non-ASCII character": (_c("name", "like", "_pfel"), [5]),
    "non-ASCII literal": (_c("name", "like", "Äpf_l"), [5]),
    "escaped percent": (_c("tag", "like", "a\\%b"), [1]),
    "escaped underscore": (_c("tag", "like", "a\\_b"), [2]),
    "underscore matches any character, newline included": (_c("tag", "like", "a_b"), [1, 2, 6]),
    "escaped backslash": (_c("tag", "like", "ab\\\\c"), [4]),
    "percent alone skips nulls": (_c("tag", "like", "%"), [1, 2, 4, 5, 6]),
    "star and question mark are literals": (_c("tag", "like", "*"), []),
    "nlike skips nulls": (_c("tag", "nlike", "a%"), [5]),
    "nlike": (_c("name", "nlike", "apple%"), [2, 3, 5, 6]),
    "ilike folds ASCII case": (_c("name", "ilike", "APPLE%"), [1, 4]),
    "ilike, whole value": (_c("name", "ilike", "banana"), [2]),
    "ilike with escapes": (_c("tag", "ilike", "A\\_B"), [2]),
    "nilike": (_c("name", "nilike", "A%"), [2, 3, 5, 6]),
}

REGEXPS: dict[str, tuple[Where, list[int]]] = {
    "anchored start": (_c("name", "regexp", _re("^a")), [1, 4]),
    "case-sensitive": (_c("name", "regexp", _re("^A")), []),
    "flag i": (_c("name", "regexp", _re("^A", "i")), [1, 4]),
    "flag i, other letter": (_c("name", "regexp", _re("^b", "i")), [2]),
    "flag i, non-ASCII": (_c("name", "regexp", _re("^ä", "i")), [5]),
    "end": (_c("name", "regexp", _re("e$")), [1, 4, 6]),
    "alternation": (_c("name", "regexp", _re("pie|rr")), [3, 4]),
    "digit class": (_c("code", "regexp", _re("\\d")), [1, 2, 4, 5, 6]),
    "no match": (_c("name", "regexp", _re("[0-9]")), []),
    "caret without m is the start only": (_c("tag", "regexp", _re("^b")), []),
    "flag m": (_c("tag", "regexp", _re("^b", "m")), [6]),
    "dot without s skips newlines": (_c("tag", "regexp", _re("^a.b$")), [1, 2]),
    "flag s": (_c("tag", "regexp", _re("^a.b$", "s")), [1, 2, 6]),
}

LOGIC: dict[str, tuple[Where, list[int]]] = {
    "and": (And((_c("n", "gte", 2), _c("flag", "eq", False))), [2, 5]),
    "or": (Or((_c("name", "eq", "cherry"), _c("n", "gt", 5))), [3, 6]),
    "nested": (
        And(
            (
                Or((_c("n", "eq", 1), _c("n", "eq", 10))),
                Or((_c("flag", "eq", True), _c("flag", "eq", None))),
            )
        ),
        [1, 6],
    ),
    "empty and": (And(()), ALL),
    "empty or": (Or(()), []),
    "several operators on one property": (And((_c("x", "gt", -1), _c("x", "lt", 2))), [1, 4]),
}


@pytest.mark.parametrize(
    "cases",
    [EQUALITY, RANGES, LISTS, LIKES, REGEXPS, LOGIC],
    ids=["equality", "ranges", "lists-and-exists", "like", "regexp", "and-or"],
)
async def test_every_operator_matches_the_same_rows(
    store: Store, cases: dict[str, tuple[Where, list[int]]]
) -> None:
    await _matches(await _seeded(store), cases)


ORDERS: dict[str, tuple[tuple[Order, ...], list[int]]] = {
    "no order: by id": ((), ALL),
    "string ascending, byte-wise": ((Order("name"),), [2, 1, 4, 3, 6, 5]),
    "string descending": ((Order("name", descending=True),), [5, 6, 3, 4, 1, 2]),
    "nulls first ascending, ties by id": ((Order("n"),), [3, 1, 2, 5, 4, 6]),
    "nulls last descending, ties by id": ((Order("n", descending=True),), [6, 4, 2, 5, 1, 3]),
    "several keys": ((Order("flag"), Order("n", descending=True)), [6, 3, 2, 5, 4, 1]),
    "dates": ((Order("day", descending=True),), [4, 6, 2, 5, 1, 3]),
    "datetimes": ((Order("at"),), [3, 1, 5, 2, 6, 4]),
    "numbers": ((Order("x"),), [3, 2, 4, 1, 6, 5]),
    "codes byte-wise": ((Order("code"),), [3, 1, 4, 2, 6, 5]),
}


async def test_every_order_sorts_the_same_way(store: Store) -> None:
    await _seeded(store)
    found = {case: await _ids(store, order=order) for case, (order, _) in ORDERS.items()}
    assert found == {case: expected for case, (_, expected) in ORDERS.items()}


async def test_skip_limit_and_fields(store: Store) -> None:
    await _seeded(store)
    assert await _ids(store, order=(Order("n"),), skip=1, limit=2) == [1, 2]
    assert await _ids(store, skip=4) == [5, 6]
    assert await _ids(store, skip=10, limit=5) == []
    assert await _ids(store, where=_c("n", "gt", 1), limit=2) == [2, 4]
    assert await store.items.find(Filter(where=_c("id", "lte", 2), fields=("name", "n"))) == [
        {"name": "apple", "n": 1},
        {"name": "Banana", "n": 2},
    ]
    assert await store.items.find_one(Filter(order=(Order("name"),))) == {
        "id": 2,
        "name": "Banana",
        "code": "B2",
        "tag": "a_b",
        "n": 2,
        "x": -2.0,
        "flag": False,
        "day": _day("2024-02-01"),
        "at": _at("2024-02-01T12:00:00+00:00"),
    }


async def test_every_type_round_trips_and_unset_properties_stay_absent(store: Store) -> None:
    body = {
        "name": "full 😀",
        "code": "F",
        "tag": "t",
        "n": -(2**53),
        "x": 0.1,
        "flag": True,
        "day": "2024-02-29",
        "at": "2024-02-29T23:30:00.1239+05:30",
        "meta": {"a": [1, {"b": None}], "é": "ü"},
        "list": [3, 1, 2],
        "blob": "AP8=",
        "secret": "s3cret",
    }
    created = await store.items.create(body)
    expected = {
        **body,
        "id": 1,
        "x": 0.1,
        "day": _day("2024-02-29"),
        "at": datetime.datetime(2024, 2, 29, 18, 0, 0, 123000, tzinfo=UTC),
        "blob": b"\x00\xff",
    }
    assert created == expected
    assert await store.items.find_by_id(1) == expected
    assert store.items.runtime.to_json(await store.items.find_by_id(1)) == {
        "id": 1,
        "name": "full 😀",
        "code": "F",
        "tag": "t",
        "n": -(2**53),
        "x": 0.1,
        "flag": True,
        "day": "2024-02-29",
        "at": "2024-02-29T18:00:00.123Z",
        "meta": {"a": [1, {"b": None}], "é": "ü"},
        "list": [3, 1, 2],
        "blob": "AP8=",
    }
    await store.items.create({"name": "bare"})
    assert await store.items.find_by_id(2) == {"id": 2, "name": "bare"}


async def test_crud_methods_answer_alike(store: Store) -> None:
    items = store.items
    assert await items.create({"name": "a", "n": 1}) == {"id": 1, "name": "a", "n": 1}
    assert [row["id"] for row in await items.create_all([{"name": "b"}, {"name": "c"}])] == [2, 3]
    await items.delete_by_id(3)
    assert (await items.create({"name": "d"}))["id"] == 4
    assert (await items.count(), await items.count(_c("n", "eq", None))) == (3, 2)
    assert (await items.exists(4), await items.exists(3)) == (True, False)
    await items.update_by_id(1, {"tag": "x", "n": None})
    assert await items.find_by_id(1) == {"id": 1, "name": "a", "tag": "x"}
    await items.replace_by_id(1, {"name": "A", "flag": False})
    assert await items.find_by_id(1) == {"id": 1, "name": "A", "flag": False}
    assert await items.update_all({"x": 2.5}, _c("name", "inq", ("b", "d"))) == 2
    assert await items.update_all({"tag": "all"}) == 3
    assert await _ids(store, _c("x", "eq", 2.5)) == [2, 4]
    assert await items.delete_all(_c("x", "exists", True)) == 2
    assert await items.find() == [{"id": 1, "name": "A", "tag": "all", "flag": False}]
    assert await items.delete_all() == 1
    assert await items.count() == 0


async def test_a_missing_id_is_entity_not_found_for_every_method(store: Store) -> None:
    await store.items.create({"name": "a"})
    attempts = [
        store.items.find_by_id(9),
        store.items.update_by_id(9, {"name": "x"}),
        store.items.update_by_id(9, {}),
        store.items.replace_by_id(9, {"name": "x"}),
        store.items.delete_by_id(9),
    ]
    for attempt in attempts:
        with pytest.raises(HttpError) as caught:
            await attempt
        assert caught.value.body() == {
            "error": {
                "statusCode": 404,
                "name": "Error",
                "message": "Entity not found: Item with id 9",
                "code": "ENTITY_NOT_FOUND",
            }
        }
    assert await store.items.find() == [{"id": 1, "name": "a"}]


async def test_a_string_id_is_chosen_by_the_client_and_compared_exactly(store: Store) -> None:
    tags = store.tags
    await tags.create_all([{"label": "a"}, {"label": "A", "weight": 2}, {"label": "a "}])
    assert await tags.find_by_id("A") == {"label": "A", "weight": 2.0}
    assert [row["label"] for row in await tags.find(Filter(order=(Order("label"),)))] == [
        "A",
        "a",
        "a ",
    ]
    await tags.update_by_id("a", {"weight": 1})
    assert await tags.find(Filter(where=_c("weight", "exists", True))) == [
        {"label": "A", "weight": 2.0},
        {"label": "a", "weight": 1.0},
    ]
    with pytest.raises(HttpError) as caught:
        await tags.find_by_id("b")
    assert caught.value.message == 'Entity not found: Tag with id "b"'
    with pytest.raises(HttpError) as caught:
        await tags.create({"label": "a"})
    assert caught.value.body() == {
        "error": {
            "statusCode": 409,
            "name": "ConflictError",
            "message": "Duplicate entry for Tag.label",
            "code": "CONFLICT",
        }
    }


async def test_a_string_id_no_database_stores_is_not_found_without_asking_the_backend(
    store: Store,
) -> None:
    tags = store.tags
    await tags.create({"label": "a"})
    for id, shown in (("a\x00", '"a\\u0000"'), ("a\ud800", '"a\\ud800"')):
        assert await tags.exists(id) is False
        for attempt in (
            tags.find_by_id(id),
            tags.update_by_id(id, {"weight": 1}),
            tags.replace_by_id(id, {"weight": 1}),
            tags.delete_by_id(id),
        ):
            with pytest.raises(HttpError) as caught:
                await attempt
            assert caught.value.body() == {
                "error": {
                    "statusCode": 404,
                    "name": "Error",
                    "message": f"Entity not found: Tag with id {shown}",
                    "code": "ENTITY_NOT_FOUND",
                }
            }
    assert await tags.find() == [{"label": "a"}]


async def test_a_unique_index_conflict_is_409_and_multi_row_writes_are_atomic(
    store: Store,
) -> None:
    items = store.items
    conflict = {
        "error": {
            "statusCode": 409,
            "name": "ConflictError",
            "message": "Duplicate entry for Item.code",
            "code": "CONFLICT",
        }
    }
    await items.create_all([{"name": "a", "code": "A"}, {"name": "b", "code": "B"}])
    attempts = [
        items.create({"name": "c", "code": "A"}),
        items.create_all([{"name": "c", "code": "C"}, {"name": "d", "code": "C"}]),
        items.update_by_id(2, {"code": "A"}),
        items.replace_by_id(2, {"name": "b", "code": "A"}),
        items.update_all({"code": "Z"}),
    ]
    for attempt in attempts:
        with pytest.raises(HttpError) as caught:
            await attempt
        assert caught.value.body() == conflict
    assert await items.find() == [
        {"id": 1, "name": "a", "code": "A"},
        {"id": 2, "name": "b", "code": "B"},
    ]
    await items.create_all([{"name": "c"}, {"name": "d"}])  # nulls never conflict
    assert await items.count(_c("code", "eq", None)) == 2


async def test_hidden_properties_are_stored_and_filtered_but_never_serialized(
    store: Store,
) -> None:
    created = await store.items.create({"name": "a", "secret": "s"})
    assert created["secret"] == "s"
    assert await _ids(store, _c("secret", "eq", "s")) == [1]
    assert store.items.runtime.to_json(created) == {"id": 1, "name": "a"}


async def test_a_whole_number_serializes_without_a_fraction_as_javascript_prints_it(
    store: Store,
) -> None:
    numbers = [3, -2.0, 0.5, 2**53, -(2**53), 2.0**53 + 2, 1e300, -0.0, 1e-300]
    await store.items.create_all([{"name": f"n{x}", "x": x} for x in numbers])
    found = [store.items.runtime.to_json(row)["x"] for row in await store.items.find()]
    assert found == [3, -2, 0.5, 2**53, -(2**53), 2.0**53 + 2, 1e300, 0, 1e-300]
    assert [type(x).__name__ for x in found] == [
        "int", "int", "float", "int", "int", "float", "float", "int", "float"
    ]  # fmt: skip
    [row] = await store.items.find(Filter(where=_c("x", "eq", 3), fields=("x",)))
    assert store.items.runtime.to_json(row, fields=("x",)) == {"x": 3}
