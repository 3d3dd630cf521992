"""The error gallery: every invalid manifest here must produce exactly its expected text.

A case is ``invalid/<case>.yaml`` / ``.json`` (one file) or ``invalid/<case>/``
(a project folder), with ``invalid/<case>.expected.txt`` holding the rendered
errors. ``valid/`` holds manifests that must load and validate cleanly.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from composer.boot import check
from composer.codes import CODES
from composer.errors import ManifestError

HERE = Path(__file__).parent
INVALID = HERE / "invalid"
VALID = HERE / "valid"

# Gallery environment: cases that interpolate read only these variables.
GALLERY_ENV = {"GALLERY_PORT": "8080", "GALLERY_WORD": "hello"}

# Codes a manifest file cannot produce, each tested elsewhere.
NOT_IN_GALLERY = {
    "CMP001": "a path that does not exist is not a file; tests/e2e/test_cli.py covers it",
    "CMP014": "a case would need a file over 2 MiB; tests/unit/manifest/test_limits.py covers it",
    "CMP201": "validation catches plan cycles first (CMP122); tests/unit/container covers it",
}


def _cases() -> list[Path]:
    return sorted(
        p
        for p in INVALID.iterdir()
        if not p.name.startswith(".") and (p.is_dir() or p.suffix in {".yaml", ".yml", ".json"})
    )


def _run(case: Path) -> str:
    # Paths are given relative to the case's folder, as a user in that folder would type them.
    try:
        check(case.relative_to(Path.cwd()), env=GALLERY_ENV)
    except ManifestError as exc:
        return exc.render() + "\n"
    return "(valid)\n"


@pytest.fixture(autouse=True)
def _in_gallery_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HERE)


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_invalid_manifest_gives_exactly_the_expected_errors(case: Path) -> None:
    expected_file = case.parent / f"{case.stem if case.is_file() else case.name}.expected.txt"
    assert expected_file.is_file(), f"missing {expected_file.name}"
    assert _run(case) == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", sorted(VALID.glob("*.yaml")), ids=lambda p: p.name)
def test_valid_manifest_loads_and_validates(case: Path) -> None:
    assert _run(case) == "(valid)\n"


def test_every_issue_code_has_a_gallery_case() -> None:
    seen: set[str] = set()
    for expected in INVALID.glob("*.expected.txt"):
        seen.update(re.findall(r"error\[(CMP\d{3})\]", expected.read_text(encoding="utf-8")))
    missing = sorted(set(CODES) - seen - set(NOT_IN_GALLERY))
    assert missing == []


def test_every_expected_file_belongs_to_a_case() -> None:
    names = {p.stem if p.is_file() else p.name for p in _cases()}
    orphans = sorted(
        e.name
        for e in INVALID.glob("*.expected.txt")
        if e.name[: -len(".expected.txt")] not in names
    )
    assert orphans == []
