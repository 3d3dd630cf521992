"""boot(): a manifest on disk becomes an App that starts, serves and stops."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from composer.boot import boot
from composer.errors import ManifestError

MANIFEST = """\
apiVersion: composer/v1
name: todo
rest:
  port: ${PORT:-3000}
  basePath: /api
datasources:
  db: {connector: sql, url: "sqlite:///todo.db"}
models:
  Todo:
    datasource: db
    properties:
      id: {type: integer, id: true, generated: true}
      title: {type: string, required: true}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "todo").mkdir()
    (tmp_path / "todo" / "composer.yaml").write_text(MANIFEST)
    return tmp_path / "todo"


async def test_boot_plans_wires_and_activates_without_connecting(project: Path) -> None:
    app = boot(project, env={"PORT": "8080"})
    assert app.spec.rest.port == 8080
    assert app.graph.render() == (
        "datasources.db     datasource\n"
        "models.Todo        model       <- datasources.db\n"
        "repositories.Todo  repository  <- models.Todo\n"
        "routes.Todo        route       <- repositories.Todo\n"
        "sequence           sequence    <- routes.Todo\n"
        "server.rest        server      <- sequence"
    )
    assert (app.root, app.data_dir) == (project, project / ".composer")
    assert not (project / ".composer").exists()


async def test_a_booted_app_serves_with_its_database_under_the_data_dir(
    project: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "state"
    app = boot(project, data_dir=data_dir, env={})
    await app.start(port=0)
    try:
        assert (data_dir / "todo.db").is_file()
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{app.url}/health/ready") as response:
                assert response.status == 200
            async with session.get(f"{app.url}/api/ping") as response:
                assert response.status == 200
    finally:
        await app.stop()
    assert not (project / ".composer").exists()


def test_boot_of_an_invalid_manifest_raises_every_problem(project: Path) -> None:
    (project / "composer.yaml").write_text(MANIFEST.replace("datasource: db", "datasource: dbx"))
    with pytest.raises(ManifestError) as caught:
        boot(project, env={})
    assert [issue.code for issue in caught.value.issues] == ["CMP117"]
