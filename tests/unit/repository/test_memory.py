"""MemoryBackend: LoopBack-like ids, unique indexes, isolation, concurrency and file persistence.

The query semantics every backend shares are pinned by the contract suite
(tests/integration/repository); these are the memory backend's own.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from composer.connectors import MemoryConnector
from composer.errors import ConnectorError, HttpError
from composer.repository.entity import EntityInfo, entity_info
from composer.repository.memory import MemoryBackend, like_pattern, predicate
from composer.repository.query import And, Comparison, Filter, Or
from composer.spec import AppSpec, IndexSpec, MemoryDatasourceSpec, ModelSpec, PropertySpec

UTC = datetime.UTC


def _info(name: str = "Todo") -> EntityInfo:
    todo = ModelSpec(
        datasource="db",
        properties={
            "id": PropertySpec(type="integer", id=True, generated=True),
            "title": PropertySpec(type="string"),
            "at": PropertySpec(type="datetime"),
            "day": PropertySpec(type="date"),
            "blob": PropertySpec(type="buffer"),
            "meta": PropertySpec(type="object"),
            "score": PropertySpec(type="number"),
        },
        indexes={"by_title": IndexSpec(properties=("title",), unique=True)},
    )
    pair = ModelSpec(
        datasource="db",
        properties={
            "code": PropertySpec(type="string", id=True),
            "first": PropertySpec(type="string"),
            "last": PropertySpec(type="string"),
        },
        indexes={"full_name": IndexSpec(properties=("first", "last"), unique=True)},
    )
    app = AppSpec(api_version="composer/v1", name="a", models={"Todo": todo, "Pair": pair})
    return entity_info(app, name)


def _connector(tmp_path: Path, file: str | None = None) -> MemoryConnector:
    spec = MemoryDatasourceSpec(connector="memory", file=file)
    return MemoryConnector.from_spec("mem", spec, root=tmp_path, data_dir=tmp_path / "data")


@pytest.fixture
async def memory(tmp_path: Path) -> AsyncIterator[MemoryConnector]:
    connector = _connector(tmp_path)
    await connector.connect()
    yield connector
    await connector.disconnect()


async def test_generated_ids_count_up_and_a_larger_given_id_moves_the_count_on(
    memory: MemoryConnector,
) -> None:
    todos = MemoryBackend(memory, _info())
    assert await todos.create([{"title": "a"}, {"title": "b"}]) == [
        {"id": 1, "title": "a"},
        {"id": 2, "title": "b"},
    ]
    await todos.create([{"id": 10, "title": "c"}])
    assert (await todos.create([{"title": "d"}]))[0]["id"] == 11
    await todos.delete(None)
    assert (await todos.create([{"title": "e"}]))[0]["id"] == 12
    assert memory.ids == {"Todo": 13}
    assert list(memory.collections["Todo"]) == ["12"]


async def test_a_taken_id_or_unique_value_is_a_conflict_and_changes_nothing(
    memory: MemoryConnector,
) -> None:
    todos = MemoryBackend(memory, _info())
    await todos.create([{"title": "a"}, {"title": "b"}])
    attempts: list[Any] = [
        todos.create([{"title": "c"}, {"id": 1, "title": "d"}]),
        todos.create([{"title": "c"}, {"title": "c"}]),
        todos.update(Comparison("id", "eq", 2), {"title": "a"}),
        todos.update(None, {"title": "same"}),
        todos.replace(2, {"title": "a"}),
        todos.update(Comparison("id", "eq", 2), {"id": 1}),
    ]
    messages = [
        "Duplicate entry for Todo.id",
        "Duplicate entry for Todo.title",
        "Duplicate entry for Todo.title",
        "Duplicate entry for Todo.title",
        "Duplicate entry for Todo.title",
        "Duplicate entry for Todo.id",
    ]
    for attempt, message in zip(attempts, messages, strict=True):
        with pytest.raises(HttpError) as caught:
            await attempt
        assert (caught.value.status, caught.value.code, caught.value.message) == (
            409,
            "CONFLICT",
            message,
        )
    assert await todos.find(Filter()) == [{"id": 1, "title": "a"}, {"id": 2, "title": "b"}]
    assert memory.ids == {"Todo": 3}


async def test_a_unique_index_over_several_properties_ignores_rows_with_a_null(
    memory: MemoryConnector,
) -> None:
    pairs = MemoryBackend(memory, _info("Pair"))
    await pairs.create([{"code": "a", "first": "x", "last": "y"}, {"code": "b", "first": "x"}])
    await pairs.create([{"code": "c", "first": "x"}])
    with pytest.raises(HttpError) as caught:
        await pairs.create([{"code": "d", "first": "x", "last": "y"}])
    assert caught.value.message == "Duplicate entry for Pair.first, Pair.last"
    assert await pairs.update(Comparison("code", "eq", "a"), {"last": "z"}) == 1


async def test_an_update_may_move_a_row_to_a_free_id(memory: MemoryConnector) -> None:
    todos = MemoryBackend(memory, _info())
    await todos.create([{"title": "a"}])
    assert await todos.update(Comparison("id", "eq", 1), {"id": 5, "score": 1.5}) == 1
    assert await todos.find(Filter()) == [{"id": 5, "title": "a", "score": 1.5}]


async def test_rows_handed_out_or_taken_in_are_never_shared_with_the_store(
    memory: MemoryConnector,
) -> None:
    todos = MemoryBackend(memory, _info())
    given: dict[str, Any] = {"title": "a", "meta": {"tags": ["x"]}}
    created = (await todos.create([given]))[0]
    given["meta"]["tags"].append("given")
    created["meta"]["tags"].append("created")
    found = (await todos.find(Filter()))[0]
    found["meta"]["tags"].append("found")
    found["title"] = "changed"
    assert await todos.find(Filter()) == [{"id": 1, "title": "a", "meta": {"tags": ["x"]}}]


async def test_concurrent_creates_get_distinct_ids(memory: MemoryConnector) -> None:
    todos = MemoryBackend(memory, _info())
    created = await asyncio.gather(*(todos.create([{"title": f"t{n}"}]) for n in range(50)))
    assert sorted(rows[0]["id"] for rows in created) == list(range(1, 51))


def test_like_is_anchored_and_escapes_its_wildcards() -> None:
    def like(pattern: str, text: str, fold: bool = False) -> bool:
        return like_pattern(pattern, fold=fold).search(text) is not None

    assert like("mi%", "milk") and not like("mi%", "a milk")
    assert like("%\\%", "50%") and not like("%\\%", "50")
    assert like("a\\_c", "a_c") and not like("a\\_c", "abc")
    assert like("a_c", "a\nc")
    assert like("a\\", "a\\")
    assert like("%.*%", "x.*y") and not like("%.*%", "xy")
    assert like("MILK", "milk", fold=True) and not like("MILK", "milk")
    assert not like("É", "é", fold=True)  # only ASCII letters fold, as SQLite does
    assert like("%" * 5000 + "a", "ba")


def test_comparisons_with_a_null_value_are_false_but_eq_null() -> None:
    rows = [{"id": 1, "n": 3}, {"id": 2}]

    def ids(where: Any) -> list[int]:
        test = predicate(where)
        assert test is not None
        return [row["id"] for row in rows if test(row)]

    assert ids(Comparison("n", "eq", None)) == [2]
    assert ids(Comparison("n", "neq", 4)) == [1]
    assert ids(Comparison("n", "nin", (4,))) == [1]
    assert ids(Comparison("n", "nin", ())) == [1, 2]
    assert ids(Comparison("n", "inq", ())) == []
    assert ids(Comparison("n", "exists", False)) == [2]
    assert ids(And(())) == [1, 2]
    assert ids(Or(())) == []


async def test_a_persisted_store_is_written_in_loopbacks_layout_after_every_write(
    tmp_path: Path,
) -> None:
    memory = _connector(tmp_path, "db.json")
    await memory.connect()
    todos = MemoryBackend(memory, _info())
    at = datetime.datetime(2024, 1, 5, 8, 0, 0, 123000, tzinfo=UTC)
    await todos.create(
        [{"title": "a", "at": at, "day": datetime.date(2024, 1, 5), "blob": b"hi", "score": 2.0}]
    )
    file = tmp_path / "data" / "db.json"
    document = json.loads(file.read_text())
    assert document["ids"] == {"Todo": 2}
    assert json.loads(document["models"]["Todo"]["1"]) == {
        "id": 1,
        "title": "a",
        "at": "2024-01-05T08:00:00.123Z",
        "day": "2024-01-05",
        "blob": "aGk=",
        "score": 2.0,
    }
    await todos.delete(None)
    assert json.loads(file.read_text())["models"] == {"Todo": {}}
    assert sorted(os.listdir(file.parent)) == ["db.json"]
    await memory.disconnect()


async def test_a_loopback_file_loads_with_its_values_typed(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    record = {"id": 3, "title": "x", "at": "2024-01-05T08:00:00.000Z", "day": "2024-01-05"}
    (tmp_path / "data" / "db.json").write_text(
        json.dumps({"ids": {"Todo": 4}, "models": {"Todo": {"3": json.dumps(record)}}})
    )
    memory = _connector(tmp_path, "db.json")
    await memory.connect()
    todos = MemoryBackend(memory, _info())
    moment = datetime.datetime(2024, 1, 5, 8, tzinfo=UTC)
    assert await todos.find(Filter(where=Comparison("at", "gte", moment))) == [
        {"id": 3, "title": "x", "at": moment, "day": datetime.date(2024, 1, 5)}
    ]
    assert (await todos.create([{"title": "y"}]))[0]["id"] == 4
    await memory.disconnect()
    again = _connector(tmp_path, "db.json")
    await again.connect()
    assert await MemoryBackend(again, _info()).count(None) == 2
    await again.disconnect()


async def test_a_record_of_the_wrong_type_in_the_file_stops_the_boot(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    file = tmp_path / "data" / "db.json"
    file.write_text(json.dumps({"models": {"Todo": {"1": {"id": 1, "day": "someday"}}}}))
    memory = _connector(tmp_path, "db.json")
    await memory.connect()
    with pytest.raises(ConnectorError) as caught:
        MemoryBackend(memory, _info())
    assert str(caught.value) == (
        f"datasources.mem: load failed: cannot read {file}: 'models.Todo.1': "
        "Invalid isoformat string: 'someday'"
    )
    await memory.disconnect()


async def test_concurrent_writes_all_reach_the_file(tmp_path: Path) -> None:
    memory = _connector(tmp_path, "db.json")
    await memory.connect()
    todos = MemoryBackend(memory, _info())
    await asyncio.gather(*(todos.create([{"title": f"t{n}"}]) for n in range(30)))
    document = json.loads((tmp_path / "data" / "db.json").read_text())
    assert len(document["models"]["Todo"]) == 30
    assert document["ids"] == {"Todo": 31}
    await memory.disconnect()


async def test_a_store_that_cannot_be_written_answers_503(tmp_path: Path) -> None:
    memory = _connector(tmp_path, "db.json")
    await memory.connect()
    (tmp_path / "data").write_text("a file where the folder should be")
    todos = MemoryBackend(memory, _info())
    with pytest.raises(HttpError) as caught:
        await todos.create([{"title": "a"}])
    assert caught.value.body() == {
        "error": {
            "statusCode": 503,
            "name": "ServiceUnavailableError",
            "message": "The datasource mem is unavailable.",
            "code": "DATASOURCE_UNAVAILABLE",
        }
    }
    cause = caught.value.__cause__
    assert isinstance(cause, ConnectorError)
    assert str(cause).startswith("datasources.mem: save failed: cannot write ")
    await memory.disconnect()


async def test_a_memory_only_store_writes_no_file(tmp_path: Path) -> None:
    memory = _connector(tmp_path)
    await memory.connect()
    await MemoryBackend(memory, _info()).create([{"title": "a"}])
    await memory.disconnect()
    assert not (tmp_path / "data").exists()
