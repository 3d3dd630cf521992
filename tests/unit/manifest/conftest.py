"""Fixtures that write manifest projects and load them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from composer.errors import ManifestError
from composer.manifest import RawManifest, load

Write = Callable[..., Path]
Fails = Callable[..., str]
Loads = Callable[..., RawManifest]


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """``write({"composer.yaml": "...", "models/a.yaml": "..."})`` -> the project folder."""

    def _write(files: dict[str, str | bytes], folder: str = "project") -> Path:
        root = tmp_path / folder
        root.mkdir(exist_ok=True)
        for name, content in files.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return root

    return _write


@pytest.fixture
def fails() -> Fails:
    """Load ``path`` expecting a ManifestError; return its rendered text."""

    def _fails(path: Path, **options: Any) -> str:
        options.setdefault("env", {})
        with pytest.raises(ManifestError) as caught:
            load(path, **options)
        return caught.value.render()

    return _fails


@pytest.fixture
def loads() -> Loads:
    """Load ``path`` with an empty environment unless one is given."""

    def _loads(path: Path, **options: Any) -> RawManifest:
        options.setdefault("env", {})
        return load(path, **options)

    return _loads
