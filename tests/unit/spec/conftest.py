"""Manifests for the spec tests: YAML text written to a project folder and loaded for real."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from composer.errors import Issue, ManifestError
from composer.manifest import RawManifest, load
from composer.spec import AppSpec, validate

#: the first lines of a manifest whose test is about something else
HEAD = "apiVersion: composer/v1\nname: gallery\n"


class Manifests:
    """Write a manifest as ``composer.yaml`` in a fresh folder, load it, validate it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def raw(self, text: str, env: Mapping[str, str] | None = None) -> RawManifest:
        (self.folder / "composer.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
        return load(self.folder, env=env or {})

    def spec(self, text: str, env: Mapping[str, str] | None = None) -> AppSpec:
        return validate(self.raw(text, env))

    def issues(self, text: str, env: Mapping[str, str] | None = None) -> tuple[Issue, ...]:
        raw = self.raw(text, env)
        with pytest.raises(ManifestError) as caught:
            validate(raw)
        return caught.value.issues

    def errors(self, text: str, env: Mapping[str, str] | None = None) -> str:
        """The rendered ManifestError (the test fails if the manifest is valid)."""
        return "\n".join(issue.render() for issue in self.issues(text, env))


@pytest.fixture
def manifests(tmp_path: Path) -> Manifests:
    return Manifests(tmp_path)
