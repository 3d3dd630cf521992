"""The README's and docs' examples run: manifests validate, Python blocks execute.

A fenced ``yaml`` block that contains ``apiVersion:`` is a whole manifest and
must validate; a fenced ``python`` block is executed in a fresh folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from composer.boot import check

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```", re.S | re.M)


def _blocks(kind: str) -> list[tuple[str, str]]:
    found = []
    for doc in DOCS:
        for index, match in enumerate(FENCE.finditer(doc.read_text(encoding="utf-8"))):
            if match.group(1) == kind:
                found.append((f"{doc.relative_to(REPO)}#{index}", match.group(2)))
    return found


MANIFESTS = [(name, text) for name, text in _blocks("yaml") if "apiVersion:" in text]
PYTHON = _blocks("python")


@pytest.mark.parametrize(("name", "text"), MANIFESTS, ids=[n for n, _ in MANIFESTS])
def test_manifest_example_validates(name: str, text: str, tmp_path: Path) -> None:
    (tmp_path / "composer.yaml").write_text(text, encoding="utf-8")
    check(tmp_path, env={})


@pytest.mark.parametrize(("name", "text"), PYTHON, ids=[n for n, _ in PYTHON])
def test_python_example_runs(
    name: str, text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COMPOSER_EXAMPLES", str(REPO / "examples"))
    exec(compile(text, name, "exec"), {"__name__": "__doc_example__"})


def test_the_docs_have_examples_to_run() -> None:
    assert MANIFESTS
    assert PYTHON
    assert os.path.basename(DOCS[0]) == "README.md"
