"""The wheel carries the built-in stacks and the manifest schema, and `use:` finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.e2e.process import REPO, composer_env

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [built] = out.glob("composer-*.whl")
    return built


def test_wheel_ships_every_stack_and_the_schema(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    stacks = {f"composer/stacks/{p.name}" for p in (REPO / "stacks").iterdir() if p.is_file()}
    assert stacks
    assert stacks <= names
    assert "composer/schemas/manifest.schema.json" in names


def test_a_builtin_stack_works_from_the_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    project = tmp_path / "project"
    project.mkdir()
    (project / "composer.yaml").write_text(
        "apiVersion: composer/v1\n"
        "name: from-wheel\n"
        "use:\n"
        "  - stack: todo\n"
        "    with: {datasource: db}\n"
        "datasources:\n"
        "  db: {connector: memory}\n",
        encoding="utf-8",
    )
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import composer; "
        "assert composer.__file__.startswith(sys.argv[1]), composer.__file__; "
        "from composer.cli import main; sys.exit(main(['validate', sys.argv[2]]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(site), str(project)],
        env=composer_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.endswith("ok (from-wheel: 2 models, 1 datasource)\n")
