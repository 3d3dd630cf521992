"""examples/todo: the YAML and the same app written with typed spec objects are one app."""

from __future__ import annotations

import asyncio
import gc
import json
import os
from pathlib import Path

import aiohttp
import pytest
from openapi_spec_validator import validate as validate_openapi

from composer.boot import boot
from composer.ops import App
from composer.scaffold import write_project
from composer.spec import (
    AppSpec,
    BelongsToSpec,
    ExplorerSpec,
    HasManySpec,
    ModelSpec,
    PropertySpec,
    RestSpec,
    SqlDatasourceSpec,
)
from tests.e2e.process import REPO
from tests.unit.ops.support import fetch, refused

TODO = REPO / "examples" / "todo"


def todo_in_python() -> AppSpec:
    """examples/todo, property for property, without YAML."""
    integer_id = PropertySpec(type="integer", id=True, generated=True)
    return AppSpec(
        api_version="composer/v1",
        name="todo",
        rest=RestSpec(host="127.0.0.1", port=3000, base_path="/", explorer=ExplorerSpec()),
        datasources={
            "db": SqlDatasourceSpec(connector="sql", url="sqlite:///todo.db", migrate="autoupdate")
        },
        models={
            "TodoList": ModelSpec(
                datasource="db",
                description="A named list of todos.",
                properties={
                    "id": integer_id,
                    "title": PropertySpec(type="string", required=True),
                    "color": PropertySpec(type="string"),
                },
                relations={
                    "todos": HasManySpec(type="hasMany", model="Todo", foreign_key="todoListId")
                },
            ),
            "Todo": ModelSpec(
                datasource="db",
                description="Something to do, on one list.",
                properties={
                    "id": integer_id,
                    "title": PropertySpec(type="string", required=True, min_length=1),
                    "desc": PropertySpec(type="string"),
                    "isComplete": PropertySpec(type="boolean"),
                    "priority": PropertySpec(type="number"),
                    "createdAt": PropertySpec(type="datetime"),
                    "todoListId": PropertySpec(type="integer", required=True),
                },
                relations={
                    "todoList": BelongsToSpec(
                        type="belongsTo", model="TodoList", foreign_key="todoListId"
                    )
                },
            ),
        },
    )


async def _openapi(app: App) -> dict[str, object]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{app.url}/openapi.json") as response,
    ):
        assert response.status == 200
        return dict(json.loads(await response.read()))


async def test_todo_from_python_serves_the_same_openapi_document_as_from_yaml(
    tmp_path: Path,
) -> None:
    from_yaml = boot(TODO, data_dir=tmp_path / "yaml", env={})
    from_python = App(todo_in_python(), root=TODO, data_dir=tmp_path / "python")
    async with from_yaml, from_python:
        await from_yaml.start(port=0)
        await from_python.start(port=0)
        served_yaml, served_python = await asyncio.gather(
            _openapi(from_yaml), _openapi(from_python)
        )
    assert served_yaml == served_python
    assert {"Todo", "NewTodo", "TodoList", "NewTodoList"} <= set(
        served_yaml["components"]["schemas"]  # type: ignore[index]
    )
    assert from_yaml.spec == from_python.spec


@pytest.mark.parametrize("port", ["3000", "8123"])
def test_todo_port_comes_from_the_environment_as_an_integer(port: str, tmp_path: Path) -> None:
    app = boot(TODO, data_dir=tmp_path, env={"PORT": port})
    assert app.spec.rest.port == int(port)


def _open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


async def test_two_manifests_boot_side_by_side_and_leave_nothing_behind(tmp_path: Path) -> None:
    write_project("notes", tmp_path)
    gc.collect()
    fds, tasks = _open_fds(), asyncio.all_tasks()
    todo = boot(TODO, data_dir=tmp_path / "todo-data", env={})
    notes = boot(tmp_path / "notes", env={})
    await todo.start(port=0)
    await notes.start(port=0)
    todo_url, notes_url = todo.url, notes.url
    assert (await fetch(f"{todo_url}/health/ready"))[0] == 200
    assert (await fetch(f"{notes_url}/health/ready"))[0] == 200
    todo_doc = (await fetch(f"{todo_url}/openapi.json"))[1]
    notes_doc = (await fetch(f"{notes_url}/openapi.json"))[1]
    assert {"Todo", "NewTodo", "TodoList", "NewTodoList"} <= set(todo_doc["components"]["schemas"])
    assert "Note" in notes_doc["components"]["schemas"]
    assert "Todo" not in notes_doc["components"]["schemas"]

    await todo.stop()
    assert await refused(f"{todo_url}/ping")
    assert (await fetch(f"{notes_url}/ping"))[0] == 200
    await notes.stop()
    assert await refused(f"{notes_url}/ping")

    assert (tmp_path / "todo-data" / "todo.db").is_file()
    assert (tmp_path / "notes" / ".composer" / "notes.db").is_file()
    del todo, notes
    for _ in range(100):
        gc.collect()
        if _open_fds() <= fds:
            break
        await asyncio.sleep(0.02)
    assert _open_fds() <= fds
    assert asyncio.all_tasks() == tasks


def test_the_todo_openapi_document_is_valid_openapi_3(tmp_path: Path) -> None:
    validate_openapi(boot(TODO, data_dir=tmp_path, env={}).openapi())
