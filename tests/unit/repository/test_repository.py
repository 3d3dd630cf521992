"""Repository: LoopBack's CRUD methods over a backend, with the default scope and exact errors.

Error bodies for not found and id changes are LoopBack 4's (the lb4-todo
reference app answered them).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from composer.connectors import MemoryConnector
from composer.errors import HttpError
from composer.repository.memory import MemoryBackend
from composer.repository.model import ModelRuntime
from composer.repository.query import Comparison, Filter, Order
from composer.repository.repository import Repository
from composer.spec import AppSpec, IndexSpec, ModelSpec, PropertySpec


def _app() -> AppSpec:
    todo = ModelSpec(
        datasource="db",
        properties={
            "id": PropertySpec(type="integer", id=True, generated=True),
            "title": PropertySpec(type="string", required=True, min_length=1),
            "desc": PropertySpec(type="string"),
            "priority": PropertySpec(type="number"),
            "archived": PropertySpec(type="boolean", nullable=True),
        },
        indexes={"title_unique": IndexSpec(properties=("title",), unique=True)},
    )
    tag = ModelSpec(datasource="db", properties={"name": PropertySpec(type="string", id=True)})
    return AppSpec(api_version="composer/v1", name="a", models={"Todo": todo, "Tag": tag})


@pytest.fixture
async def memory() -> AsyncIterator[MemoryConnector]:
    connector = MemoryConnector("db")
    await connector.connect()
    yield connector
    await connector.disconnect()


def _repository(
    memory: MemoryConnector, name: str = "Todo", scope: Filter | None = None
) -> Repository:
    runtime = ModelRuntime.from_app(_app(), name)
    return Repository(runtime, MemoryBackend(memory, runtime.info), scope=scope)


async def _seed(todos: Repository) -> None:
    await todos.create_all(
        [
            {"title": "milk", "priority": 2},
            {"title": "eggs", "priority": 1, "archived": True},
            {"title": "bread", "desc": "rye"},
        ]
    )


def _error(caught: pytest.ExceptionInfo[HttpError]) -> dict[str, Any]:
    body: dict[str, Any] = caught.value.body()["error"]
    return body


async def test_create_returns_the_stored_row_with_its_generated_id(memory: MemoryConnector) -> None:
    todos = _repository(memory)
    assert await todos.create({"title": "milk"}) == {"id": 1, "title": "milk"}
    assert await todos.create({"title": "eggs", "priority": 3}) == {
        "id": 2,
        "title": "eggs",
        "priority": 3.0,
    }


async def test_create_rejects_an_invalid_body_with_every_violation(memory: MemoryConnector) -> None:
    todos = _repository(memory)
    with pytest.raises(HttpError) as caught:
        await todos.create({"title": "", "x": 1})
    assert _error(caught)["details"] == [
        {
            "path": "",
            "code": "additionalProperties",
            "message": "must NOT have additional properties",
            "info": {"additionalProperty": "x"},
        },
        {
            "path": "/title",
            "code": "minLength",
            "message": "must NOT have fewer than 1 characters",
            "info": {"limit": 1},
        },
    ]
    assert await todos.count() == 0


async def test_find_applies_where_order_skip_limit_and_fields(memory: MemoryConnector) -> None:
    todos = _repository(memory)
    await _seed(todos)
    assert [row["title"] for row in await todos.find()] == ["milk", "eggs", "bread"]
    query = Filter(
        where=Comparison("title", "neq", "milk"), order=(Order("title"),), fields=("title",)
    )
    assert await todos.find(query) == [{"title": "bread"}, {"title": "eggs"}]
    assert await todos.find(
        Filter(order=(Order("priority", descending=True),), skip=1, limit=1)
    ) == [{"id": 2, "title": "eggs", "priority": 1.0, "archived": True}]


async def test_find_one_answers_the_first_row_or_none(memory: MemoryConnector) -> None:
    todos = _repository(memory)
    assert await todos.find_one() is None
    await _seed(todos)
    assert await todos.find_one(Filter(order=(Order("title"),), fields=("id",))) == {"id": 3}


async def test_find_by_id_of_a_missing_row_is_loopbacks_entity_not_found(
    memory: MemoryConnector,
) -> None:
    todos = _repository(memory)
    await _seed(todos)
    assert await todos.find_by_id(2, Filter(fields=("title",))) == {"title": "eggs"}
    with pytest.raises(HttpError) as caught:
        await todos.find_by_id(99)
    assert caught.value.body() == {
        "error": {
            "statusCode": 404,
            "name": "Error",
            "message": "Entity not found: Todo with id 99",
            "code": "ENTITY_NOT_FOUND",
        }
    }
    tags = _repository(memory, "Tag")
    with pytest.raises(HttpError) as caught:
        await tags.find_by_id('a "b"')
    assert caught.value.message == 'Entity not found: Tag with id "a \\"b\\""'


async def test_count_and_exists(memory: MemoryConnector) -> None:
    todos = _repository(memory)
    await _seed(todos)
    assert await todos.count() == 3
    assert await todos.count(Comparison("priority", "gte", 1)) == 2
    assert (await todos.exists(3), await todos.exists(4)) == (True, False)


async def test_update_by_id_merges_and_null_unsets_a_nullable_property(
    memory: MemoryConnector,
) -> None:
    todos = _repository(memory)
    await _seed(todos)
    await todos.update_by_id(2, {"desc": "free range", "archived": None})
    assert await todos.find_by_id(2) == {
        "id": 2,
        "title": "eggs",
        "desc": "free range",
        "priority": 1.0,
    }
    await todos.update_by_id(2, {})
    await todos.update_by_id(2, {"id": 2})
    for body in ({"title": "x"}, {}):
        with pytest.raises(HttpError) as caught:
            await todos.update_by_id(9, body)
        assert caught.value.message == "Entity not found: Todo with id 9"


async def test_a_patch_or_put_changing_the_id_is_loopbacks_400(memory: MemoryConnector) -> None:
    todos = _repository(memory)
    await _seed(todos)
    expected = {
        "error": {
            "statusCode": 400,
            "name": "Error",
            "message": "id property (id) cannot be updated from 3 to 4",
        }
    }
    with pytest.raises(HttpError) as caught:
        await todos.update_by_id(3, {"id": 4})
    assert caught.value.body() == expected
    with pytest.raises(HttpError) as caught:
        await todos.replace_by_id(3, {"id": 4, "title": "x"})
    assert caught.value.body() == expected
    assert await todos.find_by_id(3) == {"id": 3, "title": "bread", "desc": "rye"}


async def test_replace_by_id_replaces_the_whole_row(memory: MemoryConnector) -> None:
    todos = _repository(memory)
    await _seed(todos)
    await todos.replace_by_id(3, {"title": "toast"})
    assert await todos.find_by_id(3) == {"id": 3, "title": "toast"}
    await todos.replace_by_id(3, {"id": 3, "title": "rolls", "priority": 5})
    assert await todos.find_by_id(3) == {"id": 3, "title": "rolls", "priority": 5.0}
    with pytest.raises(HttpError) as caught:
        await todos.replace_by_id(9, {"title": "x"})
    assert caught.value.code == "ENTITY_NOT_FOUND"
    with pytest.raises(HttpError) as caught:
        await todos.replace_by_id(3, {"desc": "no title"})
    assert caught.value.status == 422


async def test_update_all_counts_the_matching_rows_and_refuses_the_id(
    memory: MemoryConnector,
) -> None:
    todos = _repository(memory)
    await _seed(todos)
    assert await todos.update_all({"desc": "x"}, Comparison("priority", "exists", True)) == 2
    assert await todos.update_all({}) == 3
    assert [row.get("desc") for row in await todos.find()] == ["x", "x", "rye"]
    with pytest.raises(HttpError) as caught:
        await todos.update_all({"id": 7}, Comparison("id", "eq", 1))
    assert caught.value.body() == {
        "error": {
            "statusCode": 400,
            "name": "Error",
            "message": "id property (id) cannot be updated",
        }
    }


async def test_delete_by_id_and_delete_all(memory: MemoryConnector) -> None:
    todos = _repository(memory)
    await _seed(todos)
    await todos.delete_by_id(1)
    with pytest.raises(HttpError) as caught:
        await todos.delete_by_id(1)
    assert caught.value.message == "Entity not found: Todo with id 1"
    assert await todos.delete_all(Comparison("title", "eq", "eggs")) == 1
    assert await todos.delete_all() == 1
    assert await todos.count() == 0


async def test_create_all_is_atomic_and_names_the_item_of_each_violation(
    memory: MemoryConnector,
) -> None:
    todos = _repository(memory)
    with pytest.raises(HttpError) as caught:
        await todos.create_all([{"title": "ok"}, {"title": ""}, {"desc": 1}])
    assert [(d["path"], d["code"]) for d in _error(caught)["details"]] == [
        ("/1/title", "minLength"),
        ("/2", "required"),
        ("/2/desc", "type"),
    ]
    with pytest.raises(HttpError) as caught:
        await todos.create_all([{"title": "a"}, {"title": "b"}, {"title": "a"}])
    assert _error(caught) == {
        "statusCode": 409,
        "name": "ConflictError",
        "message": "Duplicate entry for Todo.title",
        "code": "CONFLICT",
    }
    assert await todos.count() == 0
    assert await todos.create_all([]) == []


async def test_the_default_scope_bounds_every_query_update_and_delete(
    memory: MemoryConnector,
) -> None:
    await _seed(_repository(memory))
    scope = Filter(where=Comparison("archived", "eq", None), order=(Order("title"),), limit=10)
    todos = _repository(memory, scope=scope)
    assert [row["title"] for row in await todos.find()] == ["bread", "milk"]
    assert [row["title"] for row in await todos.find(Filter(order=(Order("id"),)))] == [
        "milk",
        "bread",
    ]
    assert await todos.find_one() == {"id": 3, "title": "bread", "desc": "rye"}
    assert (await todos.count(), await todos.exists(2)) == (2, False)
    for attempt in (
        todos.find_by_id(2),
        todos.update_by_id(2, {"desc": "x"}),
        todos.replace_by_id(2, {"title": "x"}),
        todos.delete_by_id(2),
    ):
        with pytest.raises(HttpError) as caught:
            await attempt
        assert caught.value.message == "Entity not found: Todo with id 2"
    assert await todos.update_all({"desc": "scoped"}) == 2
    assert await todos.delete_all() == 2
    assert await _repository(memory).find() == [
        {"id": 2, "title": "eggs", "priority": 1.0, "archived": True}
    ]
