"""Finding a project's files: root manifest, fragments, dot names, symlinks, data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from composer.errors import Position
from composer.manifest import load

from .conftest import Fails, Loads, Write


def test_a_missing_path_is_named(
    tmp_path: Path, fails: Fails, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert fails(Path("nope")) == "nope: error[CMP001] no such file or directory"


def test_a_folder_without_a_root_manifest_names_the_accepted_names(
    tmp_path: Path, fails: Fails, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "proj" / "models").mkdir(parents=True)
    (tmp_path / "proj" / "models" / "a.yaml").write_text("models: {}\n")
    monkeypatch.chdir(tmp_path)
    assert fails(Path("proj")) == (
        "proj: error[CMP002] folder 'proj' has no root manifest: composer.yaml, composer.yml or"
        " composer.json\n  hint: pass a project folder, or the path of a manifest file"
    )


def test_two_root_manifests_are_refused(write: Write, fails: Fails) -> None:
    root = write({"composer.yaml": "name: a\n", "composer.json": '{"name": "b"}'})
    assert fails(root) == (
        "composer.json: error[CMP028] composer.json is a second root manifest beside"
        " composer.yaml\n"
        "  hint: keep one root manifest; move the other's content into it or into a fragment"
    )


@pytest.mark.parametrize(
    ("name", "text"), [("composer.yml", "name: a\n"), ("composer.json", '{"name": "a"}')]
)
def test_composer_yml_and_composer_json_are_root_manifests(
    write: Write, loads: Loads, name: str, text: str
) -> None:
    root = write({name: text})
    raw = loads(root)
    assert raw.data == {"name": "a"}
    assert raw.root_file == root / name


def test_every_manifest_below_the_folder_is_read_root_first_then_sorted(
    write: Write, loads: Loads
) -> None:
    root = write(
        {
            "composer.yaml": "name: a\n",
            "models/b.yaml": "models: {B: {}}\n",
            "models/a.json": '{"models": {"A": {}}}',
            "datasources/db.yml": "datasources: {db: {}}\n",
            "deep/er/x.yaml": "services: {x: {}}\n",
            "notes.txt": "not: [a manifest\n",
        }
    )
    raw = loads(root)
    assert raw.files == tuple(
        root / name
        for name in (
            "composer.yaml",
            "datasources/db.yml",
            "deep/er/x.yaml",
            "models/a.json",
            "models/b.yaml",
        )
    )
    assert list(raw.data["models"]) == ["A", "B"]
    assert raw.positions[("models", "A")] == Position("models/a.json", 1, 18)
    assert raw.root == root.resolve()


def test_names_beginning_with_a_dot_are_skipped(write: Write, loads: Loads) -> None:
    root = write(
        {
            "composer.yaml": "name: a\n",
            ".hidden.yaml": "models: {Hidden: {}}\n",
            ".git/config.yaml": "broken: [\n",
            "models/.draft.yaml": "models: {Draft: {}}\n",
        }
    )
    assert loads(root).data == {"name": "a"}


def configmap(root: Path, files: dict[str, str]) -> None:
    """The layout kubelet gives a mounted ConfigMap."""
    real = root / "..2026_11_23_10_00_00.123"
    real.mkdir(parents=True)
    for name, text in files.items():
        (real / name).write_text(text)
    (root / "..data").symlink_to(real.name)
    for name in files:
        (root / name).symlink_to(f"..data/{name}")


def test_a_configmap_mount_is_read_through_its_visible_names(
    tmp_path: Path, loads: Loads, fails: Fails
) -> None:
    root = tmp_path / "config"
    configmap(root, {"composer.yaml": "name: a\n", "models.yaml": "models: {A: {x: 1}}\n"})
    raw = loads(root)
    assert raw.data == {"name": "a", "models": {"A": {"x": 1}}}
    assert raw.files == (root / "composer.yaml", root / "models.yaml")
    assert raw.positions[("models", "A", "x")] == Position("models.yaml", 1, 17)

    broken = tmp_path / "broken"
    configmap(broken, {"composer.yaml": "name: a\n", "models.yaml": "models: {A: }\nb: *x\n"})
    assert fails(broken) == "models.yaml:2:4: error[CMP003] alias *x has no anchor &x"


def test_a_symlinked_folder_loop_is_walked_once(write: Write, loads: Loads) -> None:
    root = write({"composer.yaml": "name: a\n", "models/a.yaml": "models: {A: {}}\n"})
    (root / "models" / "again").symlink_to("..")
    (root / "models" / "self").symlink_to("self")
    (root / "models" / "same.yaml").symlink_to("a.yaml")
    raw = loads(root)
    assert raw.data == {"name": "a", "models": {"A": {}}}
    assert raw.files == (root / "composer.yaml", root / "models" / "a.yaml")


def test_the_data_folder_is_skipped_wherever_it_is_chosen(
    write: Write, loads: Loads, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write(
        {
            "composer.yaml": "name: a\n",
            "state/cache.json": '{"models": {"Cached": {}}}',
            "other/x.yaml": "models: {X: {}}\n",
        }
    )
    assert loads(root, data_dir=root / "state").data == {"name": "a", "models": {"X": {}}}
    raw = loads(root, env={"COMPOSER_DATA_DIR": str(root / "other")})
    assert (raw.data_dir, raw.data) == (root / "other", {"name": "a", "models": {"Cached": {}}})


def test_the_data_folder_comes_from_the_argument_then_the_environment_then_the_project(
    write: Write, loads: Loads, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write({"composer.yaml": "name: a\n"})
    monkeypatch.chdir(tmp_path)
    env = {"COMPOSER_DATA_DIR": "from-env"}
    assert loads(root, data_dir="from-arg", env=env).data_dir == tmp_path / "from-arg"
    assert loads(root, env=env).data_dir == tmp_path / "from-env"
    assert loads(root).data_dir == root / ".composer"
    assert not (root / ".composer").exists()


def test_a_single_file_sets_the_root_to_its_folder(write: Write, loads: Loads) -> None:
    root = write({"app.json": '{"name": "a"}', "models.yaml": "models: {A: {}}\n"})
    raw = loads(root / "app.json")
    assert (raw.root, raw.root_file, raw.data_dir) == (root, root / "app.json", root / ".composer")
    assert raw.data == {"name": "a"}


def test_an_unreadable_file_is_reported(write: Write, fails: Fails) -> None:
    root = write({"composer.yaml": "name: a\n"})
    (root / "gone.yaml").symlink_to("missing.yaml")
    assert fails(root) == (
        "gone.yaml: error[CMP026] cannot read the file: No such file or directory"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission_is_reported(write: Write, fails: Fails) -> None:
    root = write({"composer.yaml": "name: a\n", "secret.yaml": "a: 1\n"})
    (root / "secret.yaml").chmod(0)
    assert fails(root) == "secret.yaml: error[CMP026] cannot read the file: Permission denied"


def test_problems_in_every_file_are_reported_together(write: Write, fails: Fails) -> None:
    root = write(
        {
            "composer.yaml": "name: [\n",
            "a.yaml": "a: 1\na: 2\n",
            "b.json": '{"x": }',
            "c.yaml": "c: ${NOPE}\n",
        }
    )
    assert fails(root) == "\n".join(
        [
            "a.yaml:2:1: error[CMP006] a: duplicate key 'a', first defined at a.yaml:1:1",
            "  hint: a key may appear once per mapping; remove or rename one of them",
            "b.json:1:7: error[CMP004] expected a value, found '}'",
            "c.yaml:1:4: error[CMP015] c: environment variable NOPE is not set",
            "  hint: set NOPE, or give a default: ${NOPE:-default}",
            "composer.yaml:2:1: error[CMP003] while parsing a flow node: did not find expected"
            " node content",
        ]
    )


def test_load_writes_nothing(write: Write, loads: Loads) -> None:
    root = write({"composer.yaml": "name: a\n", "m.yaml": "models: {}\n"})
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    loads(root)
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_a_path_may_be_given_as_a_string(write: Write) -> None:
    root = write({"composer.yaml": "name: a\n"})
    assert load(str(root), env={}).data == {"name": "a"}
