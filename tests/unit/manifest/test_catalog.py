"""Stacks found by name: the built-in folder and the composer.stacks entry points."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import composer
from composer.errors import Position
from composer.manifest import STACK_ENTRY_POINT_GROUP, catalog

from .conftest import Fails, Loads, Write

ROLES = "parameters: {role: {default: reader}}\nroles: ['${with.role}']\n"


@pytest.fixture
def builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A built-in stacks folder made for the tests."""
    folder = tmp_path / "builtin-stacks"
    (folder / "common").mkdir(parents=True)
    (folder / "roles.yaml").write_text(ROLES)
    (folder / "auth.yaml").write_text("use: common/base.yaml\nroles: [auth]\n")
    (folder / "common" / "base.yaml").write_text("roles: ['${NOT_SET}']\n")
    (folder / "escape.yaml").write_text("use: ../outside.yaml\n")
    monkeypatch.setattr(catalog, "builtin_stack_folder", lambda: folder)
    return folder


@pytest.fixture
def entry_points(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A distribution registering three stacks through the composer.stacks group."""
    site = tmp_path / "site"
    info = site / "teststacks-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: teststacks\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        f"[{STACK_ENTRY_POINT_GROUP}]\n"
        "plugin = composer_teststacks:STACK\n"
        "callable = composer_teststacks:stack_path\n"
        "broken = composer_teststacks_missing:STACK\n"
        "wrong = composer_teststacks:NUMBER\n"
    )
    (site / "stacks").mkdir()
    (site / "stacks" / "plugin.yaml").write_text("roles: [plugin]\n")
    (site / "stacks" / "other.yaml").write_text("roles: [called]\n")
    (site / "composer_teststacks.py").write_text(
        "from pathlib import Path\n"
        "HERE = Path(__file__).parent / 'stacks'\n"
        "STACK = str(HERE / 'plugin.yaml')\n"
        "NUMBER = 3\n"
        "def stack_path():\n"
        "    return HERE / 'other.yaml'\n"
    )
    monkeypatch.syspath_prepend(str(site))
    yield site
    sys.modules.pop("composer_teststacks", None)


def test_a_built_in_stack_is_used_by_name_and_shown_as_stack_file(
    write: Write, loads: Loads, builtin: Path
) -> None:
    root = write({"composer.yaml": "use: [roles, {stack: roles, with: {role: admin}}]\n"})
    raw = loads(root)
    assert raw.data == {"roles": ["reader", "admin"]}
    assert raw.positions[("roles", 0)] == Position("<stack roles>/roles.yaml", 1, 30)
    assert raw.files == (root / "composer.yaml", builtin / "roles.yaml")


def test_an_error_in_a_stack_a_built_in_stack_uses_names_every_site(
    write: Write, fails: Fails, builtin: Path
) -> None:
    root = write({"composer.yaml": "use: auth\n"})
    assert fails(root) == (
        "<stack auth>/common/base.yaml:1:9: error[CMP015] roles[0]: environment variable NOT_SET"
        " is not set\n"
        "  included from <stack auth>/auth.yaml:1:6\n"
        "  included from composer.yaml:1:6\n"
        "  hint: set NOT_SET, or give a default: ${NOT_SET:-default}"
    )


def test_a_built_in_stack_may_not_reach_outside_its_folder(
    write: Write, fails: Fails, builtin: Path
) -> None:
    (builtin.parent / "outside.yaml").write_text("roles: [x]\n")
    root = write({"composer.yaml": "use: escape\n"})
    assert fails(root) == (
        "<stack escape>/escape.yaml:1:6: error[CMP023] use: stack path '../outside.yaml' leads"
        " outside the project folder\n"
        "  included from composer.yaml:1:6\n"
        "  hint: a stack named by path must lie inside the project folder"
    )


def test_an_unknown_stack_lists_the_available_ones(
    write: Write, fails: Fails, builtin: Path
) -> None:
    root = write({"composer.yaml": "use:\n  - stack: role\n"})
    assert fails(root) == (
        "composer.yaml:2:12: error[CMP019] use[0].stack: unknown stack 'role'\n"
        "  hint: did you mean 'roles'? available stacks: auth, escape, roles"
    )


def test_stacks_registered_as_entry_points_are_found(
    write: Write, loads: Loads, builtin: Path, entry_points: Path
) -> None:
    root = write({"composer.yaml": "use: [plugin, callable]\n"})
    raw = loads(root)
    assert raw.data == {"roles": ["plugin", "called"]}
    assert raw.positions[("roles", 0)] == Position("<stack plugin>/plugin.yaml", 1, 9)
    assert raw.positions[("roles", 1)] == Position("<stack callable>/other.yaml", 1, 9)
    assert catalog.available_stacks() == [
        "auth",
        "broken",
        "callable",
        "escape",
        "plugin",
        "roles",
        "wrong",
    ]


def test_a_broken_entry_point_is_reported(
    write: Write, fails: Fails, builtin: Path, entry_points: Path
) -> None:
    root = write({"composer.yaml": "use: [broken, wrong]\n"})
    assert fails(root) == "\n".join(
        [
            "composer.yaml:1:7: error[CMP027] use[0]: stack 'broken': entry point broken ="
            " composer_teststacks_missing:STACK failed: ModuleNotFoundError: No module named"
            " 'composer_teststacks_missing'",
            "composer.yaml:1:15: error[CMP027] use[1]: stack 'wrong': entry point wrong ="
            " composer_teststacks:NUMBER gave int, not the path of a stack file",
        ]
    )


def test_no_stacks_at_all_is_said_plainly(
    write: Write, fails: Fails, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog, "builtin_stack_folder", lambda: None)
    root = write({"composer.yaml": "use: anything\n"})
    assert fails(root) == (
        "composer.yaml:1:6: error[CMP019] use: unknown stack 'anything'\n"
        "  hint: available stacks: none installed"
    )


def test_a_source_checkout_uses_the_repository_stacks_folder() -> None:
    checkout = Path(composer.__file__).resolve().parent.parent / "stacks"
    assert catalog.builtin_stack_folder() == checkout


@pytest.mark.parametrize(
    ("reference", "is_path"),
    [("todo", False), ("./a.yaml", True), ("a.yml", True), ("x/y", True), ("b.JSON", True)],
)
def test_a_reference_is_a_path_when_it_has_a_slash_or_a_manifest_suffix(
    reference: str, is_path: bool
) -> None:
    assert catalog.is_stack_path(reference) is is_path
