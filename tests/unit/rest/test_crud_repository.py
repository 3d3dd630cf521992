"""The repository the container builds for a served model: its deferred backend and scope."""

from __future__ import annotations

import pytest

from composer.connectors import MemoryConnector
from composer.errors import BootError, HttpError
from composer.repository.memory import MemoryBackend
from composer.repository.query import Comparison, Filter
from composer.rest.crud_repository import DeferredBackend, build_repository
from composer.spec import AppSpec, ModelSpec, PropertySpec

TAG = ModelSpec(
    datasource="db",
    properties={
        "id": PropertySpec(type="integer", id=True, generated=True),
        "label": PropertySpec(type="string"),
        "hiddenFlag": PropertySpec(type="boolean", hidden=True),
    },
)


def app(model: ModelSpec = TAG) -> AppSpec:
    return AppSpec(api_version="composer/v1", name="a", models={"Tag": model})


async def test_the_backend_is_built_when_opened_and_answers_503_before() -> None:
    memory = MemoryConnector("db")
    tags = build_repository("Tag", app(), memory)
    backend = tags.backend
    assert isinstance(backend, DeferredBackend)
    with pytest.raises(HttpError) as caught:
        await tags.find()
    assert (caught.value.status, caught.value.message) == (
        503,
        "The datasource of Tag is not connected.",
    )
    await memory.connect()
    await backend.open()
    assert isinstance(backend.backend, MemoryBackend)
    created = await tags.create({"label": "red"})
    assert created == {"id": 1, "label": "red"}
    assert await tags.count() == 1
    assert await tags.update_all({"label": "blue"}) == 1
    assert await tags.find(Filter()) == [{"id": 1, "label": "blue"}]
    await backend.close()
    with pytest.raises(HttpError):
        await tags.count()
    await memory.disconnect()


def test_the_default_scope_is_parsed_once_and_may_use_hidden_properties() -> None:
    scoped = TAG.model_copy(update={"scope": {"where": {"hiddenFlag": False}, "limit": 5}})
    tags = build_repository("Tag", app(scoped), MemoryConnector("db"))
    assert tags.scope == Filter(where=Comparison("hiddenFlag", "eq", False), limit=5)


def test_an_invalid_default_scope_in_a_spec_built_in_python_fails_the_boot() -> None:
    broken = TAG.model_copy(update={"scope": {"where": {"colour": "red"}}})
    with pytest.raises(BootError) as caught:
        build_repository("Tag", app(broken), MemoryConnector("db"))
    assert str(caught.value) == (
        'models.Tag: invalid default scope: Unknown property "colour" in where. '
        "Properties of Tag: id, label, hiddenFlag."
    )
