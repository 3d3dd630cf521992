"""make_backend picks the backend by connector kind; third-party kinds come from entry points.

An installed kind is usable from a manifest too: booted, it serves CRUD;
misspelt, ``composer validate`` points at it.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from composer.boot import boot, check
from composer.cli import main
from composer.connectors import (
    CONNECTORS,
    ENTRY_POINT_GROUP,
    MemoryConnector,
    SqlConnector,
    connector_factories,
)
from composer.errors import BootError, HttpError, ManifestError
from composer.repository.backends import make_backend
from composer.repository.entity import entity_info
from composer.repository.memory import MemoryBackend
from composer.repository.model import ModelRuntime
from composer.repository.repository import Repository
from composer.repository.sql.backend import SqlBackend
from composer.spec import AppSpec, ModelSpec, PluginDatasourceSpec, PropertySpec

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

# a third-party connector package: its connector keeps notes in a MemoryConnector saved to
# the file its ``pages`` option names
PLUGIN = """
from composer.connectors import MemoryConnector
from composer.repository.memory import MemoryBackend


class NotebookConnector:
    kind = "notebook"

    def __init__(self, name, pages):
        self.name = name
        self.pages = MemoryConnector(name, file=pages)

    @classmethod
    def from_spec(cls, name, spec, *, root, data_dir):
        return cls(name, data_dir / spec.options["pages"])

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
    spec = PluginDatasourceSpec(connector="notebook", pages="notes.json")
    connector: Any = factories["notebook"]("db", spec, root=tmp_path, data_dir=tmp_path)
    assert (connector.name, connector.kind) == ("db", "notebook")
    await connector.connect()
    notes = Repository(ModelRuntime.from_app(APP, "Note"), make_backend(connector, NOTE, APP))
    assert await notes.create({"text": "hello"}) == {"id": 1, "text": "hello"}
    assert await notes.find() == [{"id": 1, "text": "hello"}]
    with pytest.raises(HttpError):
        await notes.find_by_id(2)
    await connector.disconnect()
    assert (tmp_path / "notes.json").is_file()


NOTES_MANIFEST = """\
apiVersion: composer/v1
name: notes
datasources:
  notes:
    connector: notebook
    pages: notes.json
models:
  Note:
    datasource: notes
    properties:
      id: {type: integer, id: true, generated: true}
      text: {type: string, required: true}
"""


async def test_a_manifest_names_an_installed_connector_kind_and_serves_crud_over_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install(tmp_path, monkeypatch, "notebook = composer_notebook:NotebookConnector.from_spec\n")
    project, data_dir = tmp_path / "notes", tmp_path / "state"
    project.mkdir()
    (project / "composer.yaml").write_text(NOTES_MANIFEST)
    app = boot(project, data_dir=data_dir, env={})
    assert app.spec.datasources["notes"] == PluginDatasourceSpec(
        connector="notebook", pages="notes.json"
    )
    await app.start(port=0)
    try:
        async with aiohttp.ClientSession(f"{app.url}") as http:
            async with http.post("/notes", json={"text": "hello"}) as response:
                assert (response.status, await response.json()) == (200, {"id": 1, "text": "hello"})
            async with http.patch("/notes/1", json={"text": "bye"}) as response:
                assert response.status == 204
            async with http.get("/notes") as response:
                assert await response.json() == [{"id": 1, "text": "bye"}]
            async with http.get("/health/ready") as response:
                assert response.status == 200
            async with http.delete("/notes/1") as response:
                assert response.status == 204
            async with http.get("/notes/1") as response:
                assert response.status == 404
    finally:
        await app.stop()
    saved = json.loads((data_dir / "notes.json").read_text())  # the pages option reached it
    assert saved["ids"] == {"Note": 2}


def test_validate_points_at_a_connector_kind_that_is_not_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _install(tmp_path, monkeypatch, "notebook = composer_notebook:NotebookConnector.from_spec\n")
    project = tmp_path / "notes"
    project.mkdir()
    (project / "composer.yaml").write_text(NOTES_MANIFEST.replace("notebook", "notebok"))
    monkeypatch.chdir(project)
    assert main(["validate", "."]) == 1
    assert capsys.readouterr().err == (
        "composer.yaml:5:16: error[CMP133] datasources.notes.connector: unknown connector "
        "'notebok'\n"
        "  hint: did you mean 'notebook'? known connectors: memory, sql, notebook\n"
        "composer: 1 error in the manifest\n"
    )
    assert "composer_notebook" not in sys.modules  # listed, never imported


def test_a_connector_kind_from_the_environment_is_named_by_its_expression(
    tmp_path: Path,
) -> None:
    (tmp_path / "composer.yaml").write_text(
        'apiVersion: composer/v1\nname: notes\ndatasources:\n  db: {connector: "${KIND}"}\n'
    )
    with pytest.raises(ManifestError) as caught:
        check(tmp_path, env={"KIND": "sqll"})
    assert caught.value.render() == (
        "composer.yaml:4:19: error[CMP133] datasources.db.connector: unknown connector ${KIND}\n"
        "  hint: known connectors: memory, sql"
    )


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
