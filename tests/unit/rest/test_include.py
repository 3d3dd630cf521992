"""``include`` and where clauses through relations over HTTP, on examples/todo's models.

Served from SQLite (a where clause may follow relations there) and from memory
(it may not: a 400), through the whole sequence: JSON and bracket filters,
findById, the error answers, ``rest.maxIncludeDepth``, and the OpenAPI document
describing exactly what is accepted.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from composer import manifest, spec
from composer.ops import App
from composer.rest import openapi_document
from composer.spec import AppSpec, MemoryDatasourceSpec, RestSpec, SqlDatasourceSpec

TODO = Path(__file__).resolve().parents[3] / "examples" / "todo"


def _todo(store: str, tmp_path: Path, **rest: Any) -> AppSpec:
    app = spec.validate(manifest.load(TODO, env={}))
    datasource = (
        SqlDatasourceSpec(connector="sql", url=f"sqlite:///{tmp_path / 'todo.db'}")
        if store == "sqlite"
        else MemoryDatasourceSpec(connector="memory")
    )
    return app.model_copy(
        update={
            "datasources": {"db": datasource},
            "rest": RestSpec(port=0, **rest),
        }
    )


@pytest.fixture(params=["sqlite", "memory"])
async def http(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Any]:
    """A client of examples/todo (3 lists, 5 todos) on SQLite and on memory."""
    async with App(_todo(request.param, tmp_path), root=TODO, data_dir=tmp_path) as app:
        await app.start(port=0)
        async with aiohttp.ClientSession(app.url) as session:
            for title, color in (("Home", "red"), ("Work", None), ("Empty", "blue")):
                body = {"title": title} if color is None else {"title": title, "color": color}
                assert (await session.post("/todo-lists", json=body)).status == 200
            for title, list_id, done in (
                ("milk", 1, False),
                ("bread", 1, True),
                ("report", 2, False),
                ("lunch", 2, True),
                ("orphan", 9, False),
            ):
                body = {"title": title, "todoListId": list_id, "isComplete": done}
                assert (await session.post("/todos", json=body)).status == 200
            session.store = request.param  # type: ignore[attr-defined]
            yield session


async def _get(http: Any, path: str, **params: Any) -> tuple[int, Any]:
    query = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    async with http.get(path, params=query) as answer:
        return answer.status, await answer.json()


async def test_include_in_json_and_bracket_filters(http: Any) -> None:
    status, lists = await _get(http, "/todo-lists", filter={"include": ["todos"]})
    assert status == 200
    assert [[t["title"] for t in lst.get("todos", [])] for lst in lists] == [
        ["milk", "bread"],
        ["report", "lunch"],
        [],
    ]
    status, brackets = await _get(
        http,
        "/todo-lists",
        **{
            "filter[include][0][relation]": "todos",
            "filter[include][0][scope][where][isComplete]": "true",
            "filter[include][0][scope][fields][title]": "true",
        },
    )
    assert status == 200
    assert [lst.get("todos") for lst in brackets] == [
        [{"title": "bread"}],
        [{"title": "lunch"}],
        None,
    ]


async def test_find_by_id_includes_and_an_orphan_has_no_parent(http: Any) -> None:
    status, todo = await _get(http, "/todos/1", filter={"include": ["todoList"]})
    assert (status, todo["todoList"]) == (200, {"id": 1, "title": "Home", "color": "red"})
    status, orphan = await _get(http, "/todos/5", filter={"include": ["todoList"]})
    assert status == 200 and "todoList" not in orphan


@pytest.mark.parametrize(
    ("include", "message"),
    [
        (["nope"], 'Invalid "filter.include" entries: "nope"'),
        ([{"relation": "todos", "scope": "x"}], 'Invalid "filter.include" entries: '),
        (
            [{"relation": "todos", "scope": {"where": {"nope": 1}}}],
            'Unknown property "nope" in where. Properties of Todo',
        ),
        (
            [{"relation": "todos", "scope": {"limit": 0}}],
            'Invalid data {"limit":0} for parameter "filter".',
        ),
    ],
)
async def test_a_bad_inclusion_is_a_400(http: Any, include: Any, message: str) -> None:
    status, body = await _get(http, "/todo-lists", filter={"include": include})
    assert status == 400
    assert body["error"]["message"].startswith(message)


async def test_include_nests_up_to_max_include_depth(http: Any) -> None:
    level3 = {"relation": "todoList", "scope": {"include": [{"relation": "todos"}]}}
    deep = {"include": [{"relation": "todos", "scope": {"include": [level3]}}]}
    status, lists = await _get(http, "/todo-lists", filter=deep)
    assert status == 200
    assert lists[0]["todos"][0]["todoList"]["todos"][1]["title"] == "bread"
    level4 = {"relation": "todos", "scope": {"include": ["todoList"]}}
    level2 = {"relation": "todoList", "scope": {"include": [level4]}}
    status, body = await _get(
        http,
        "/todo-lists",
        filter={"include": [{"relation": "todos", "scope": {"include": [level2]}}]},
    )
    assert status == 400
    assert body["error"]["code"] == "INVALID_INCLUSION_FILTER"
    assert "maxIncludeDepth" in body["error"]["message"]


async def test_a_where_through_a_relation_on_sqlite_only(http: Any) -> None:
    status, body = await _get(http, "/todos", filter={"where": {"todoList.color": "red"}})
    if http.store == "memory":
        assert status == 400
        assert "must be stored in one SQL datasource" in body["error"]["message"]
        return
    assert [todo["title"] for todo in body] == ["milk", "bread"]
    status, counted = await _get(http, "/todo-lists/count", where={"todos.isComplete": True})
    assert (status, counted) == (200, {"count": 2})


def test_the_openapi_document_describes_include_and_relation_keys(tmp_path: Path) -> None:
    document = openapi_document(_todo("sqlite", tmp_path))
    schemas = document["components"]["schemas"]
    include = schemas["TodoList.Filter"]["properties"]["include"]
    item = include["anyOf"][0]
    assert item["anyOf"][0] == {"type": "string", "enum": ["todos"]}
    assert item["anyOf"][1]["properties"]["scope"] == {
        "$ref": "#/components/schemas/Todo.ScopeFilter"
    }
    # one level is spelled out; deeper nesting and operators on relation keys are described
    assert "include" not in schemas["Todo.ScopeFilter"]["properties"]
    assert "maxIncludeDepth" in schemas["Todo.ScopeFilter"]["description"]
    assert not any(".ScopeFilter." in name for name in schemas)
    color = schemas["Todo.WhereFilter"]["properties"]["todoList.color"]
    assert color["anyOf"][0]["type"] == "string" and "operators" in color["description"]
