"""make_backend picks the backend by connector kind; third-party kinds come from entry points."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from composer.connectors import (
    CONNECTORS,
    ENTRY_POINT_GROUP,
    MemoryConnector,
    SqlConnector,
    connector_factories,
)
from composer.errors import BootError, HttpError
from composer.repository.backends import make_backend
from composer.repository.entity import entity_info
from composer.repository.memory import MemoryBackend
from composer.repository.model import ModelRuntime
from composer.repository.repository import Repository
from composer.repository.sql.backend import SqlBackend
from composer.spec import AppSpec, MemoryDatasourceSpec, ModelSpec, PropertySpec

APP = AppSpec(
    api_version="composer/v1",
    name="a",
    models={
        "Note": ModelSpec(
            datasource="db",
            properties={
                "id": PropertySpec(type="integer", id=True, generated=True),
                "text": PropertySpec(type="string", required=True),
            },
        )
    },
)
NOTE = entity_info(APP, "Note")

# a third-party connector package: its connector keeps notes in a MemoryConnector
PLUGIN = """
from composer.connectors import MemoryConnector
from composer.repository.memory import MemoryBackend


class NotebookConnector:
    kind = "notebook"

    def __init__(self, name):
        self.name = name
        self.pages = MemoryConnector(name)

    @classmethod
    def from_spec(cls, name, spec, *, root, data_dir):
        return cls(name)

    async def connect(self):
        await self.pages.connect()

    async def disconnect(self):
        await self.pages.disconnect()

    async def ping(self):
        await self.pages.ping()

    def repository_backend(self, info):
        return MemoryBackend(self.pages, info)


NOT_A_FACTORY = 42
"""


def _install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry_points: str) -> None:
    """Put the ``composer_notebook`` package (module + dist-info) on sys.path."""
    (tmp_path / "composer_notebook.py").write_text(PLUGIN)
    dist = tmp_path / "composer_notebook-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: composer-notebook\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\n{textwrap.dedent(entry_points)}"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "composer_notebook", raising=False)


async def test_a_memory_connector_stores_models_in_a_memory_backend() -> None:
    memory = MemoryConnector("db")
    await memory.connect()
    backend = make_backend(memory, NOTE, APP)
    assert isinstance(backend, MemoryBackend)
    assert await backend.create([{"text": "a"}]) == [{"id": 1, "text": "a"}]
    await memory.disconnect()


async def test_a_connected_sql_connector_stores_models_in_a_sql_backend(tmp_path: Path) -> None:
    sql = SqlConnector("db", "sqlite://", data_dir=tmp_path)
    await sql.connect()
    try:
        backend = make_backend(sql, NOTE, APP)
        assert isinstance(backend, SqlBackend)
        assert backend.table.name == "Note"
    finally:
        await sql.disconnect()


async def test_a_connector_without_repository_backend_cannot_store_models() -> None:
    class Cache:
        name, kind = "cache", "cache"

    with pytest.raises(BootError) as caught:
        make_backend(Cache(), NOTE, APP)  # type: ignore[arg-type]
    assert str(caught.value) == (
        "models.Note: a cache datasource cannot store models "
        "(its connector has no repository_backend method)"
    )


async def test_an_installed_connector_kind_serves_a_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install(tmp_path, monkeypatch, "notebook = composer_notebook:NotebookConnector.from_spec\n")
    factories = connector_factories()
    assert list(factories) == ["memory", "sql", "notebook"]
    assert factories["memory"] is CONNECTORS["memory"]
    spec = MemoryDatasourceSpec(connector="memory")  # the spec has no notebook kind yet
    connector: Any = factories["notebook"]("db", spec, root=tmp_path, data_dir=tmp_path)
    assert (connector.name, connector.kind) == ("db", "notebook")
    await connector.connect()
    notes = Repository(ModelRuntime.from_app(APP, "Note"), make_backend(connector, NOTE, APP))
    assert await notes.create({"text": "hello"}) == {"id": 1, "text": "hello"}
    assert await notes.find() == [{"id": 1, "text": "hello"}]
    with pytest.raises(HttpError):
        await notes.find_by_id(2)
    await connector.disconnect()


def test_entry_points_are_looked_up_anew_for_every_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = connector_factories()
    _install(tmp_path, monkeypatch, "notebook = composer_notebook:NotebookConnector.from_spec\n")
    assert "notebook" not in before
    assert "notebook" in connector_factories()


@pytest.mark.parametrize(
    ("entry_points", "kind", "message"),
    [
        (
            "sql = composer_notebook:NotebookConnector.from_spec\n",
            None,
            "composer.connectors: entry point 'sql = composer_notebook:NotebookConnector"
            ".from_spec' (composer-notebook 1.0) registers connector kind 'sql', which is "
            "built in; choose another name",
        ),
        (
            "notebook = composer_notebook:Missing\n",
            "notebook",
            "composer.connectors: entry point 'notebook = composer_notebook:Missing' "
            "(composer-notebook 1.0) cannot be loaded: AttributeError: module "
            "'composer_notebook' has no attribute 'Missing'",
        ),
        (
            "notebook = composer_notebook:NOT_A_FACTORY\n",
            "notebook",
            "composer.connectors: entry point 'notebook = composer_notebook:NOT_A_FACTORY' "
            "(composer-notebook 1.0) is not a connector factory (a int, not a callable)",
        ),
    ],
)
def test_a_bad_entry_point_is_a_boot_error_naming_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    entry_points: str,
    kind: str | None,
    message: str,
) -> None:
    _install(tmp_path, monkeypatch, entry_points)
    with pytest.raises(BootError) as caught:
        factories = connector_factories()
        if kind is not None:
            factories[kind]
    assert str(caught.value) == message
