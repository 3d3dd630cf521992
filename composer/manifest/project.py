"""Finding a project's files: the root manifest, the fragments, the data folder.

A project is a folder with one root manifest (``composer.yaml``,
``composer.yml`` or ``composer.json``) or a single manifest file. In a
folder, every ``*.yaml``/``*.yml``/``*.json`` below it is a fragment. Names
beginning with ``.`` (files and folders) are skipped — a Kubernetes
ConfigMap mount keeps its real files in ``..<timestamp>/`` behind a
``..data`` symlink and shows them through visible symlinks, which are
followed and named by their visible path. The data folder is skipped too. A
folder reached twice through symlinks (a loop, or two links to one place) is
walked once, and a file is read once.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from composer.errors import ManifestError, Position
from composer.manifest.source import SourceFile

ROOT_NAMES = ("composer.yaml", "composer.yml", "composer.json")
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
DATA_DIR_ENV = "COMPOSER_DATA_DIR"
DEFAULT_DATA_DIR = ".composer"


@dataclass(frozen=True, slots=True)
class Project:
    """The files of one project: the root manifest first, then the fragments in order."""

    root: Path  # the folder as given (absolute, symlinks kept: names are shown relative to it)
    root_file: SourceFile
    fragments: tuple[SourceFile, ...]
    data_dir: Path

    @property
    def real_root(self) -> Path:
        return Path(os.path.realpath(self.root))


def find_project(
    path: str | os.PathLike[str],
    data_dir: str | os.PathLike[str] | None,
    env: Mapping[str, str],
) -> Project:
    """Locate the root manifest and list the fragments of the project at ``path``.

    Raises ManifestError: CMP001 (nothing at ``path``), CMP002 (a folder
    without a root manifest), CMP028 (a folder with two root manifests).

    >>> find_project("examples/todo", None, {}).root_file.display  # doctest: +SKIP
    'composer.yaml'
    """
    given = Path(path)
    visible = Path(os.path.abspath(given))
    if not os.path.exists(visible):
        raise ManifestError.one(
            "CMP001", "no such file or directory", position=Position(str(given))
        )
    folder = visible if visible.is_dir() else visible.parent
    chosen = _data_dir(folder, data_dir, env)
    home = Path(os.path.realpath(folder))
    if not visible.is_dir():
        root_file = SourceFile(visible, visible.name, home, folder)
        return Project(folder, root_file, (), chosen)
    present = [name for name in ROOT_NAMES if os.path.lexists(folder / name)]
    if not present:
        raise ManifestError.one(
            "CMP002",
            f"folder '{given}' has no root manifest: composer.yaml, composer.yml or composer.json",
            position=Position(str(given)),
            hint="pass a project folder, or the path of a manifest file",
        )
    if len(present) > 1:
        raise ManifestError.one(
            "CMP028",
            f"{present[1]} is a second root manifest beside {present[0]}",
            position=Position(present[1]),
            hint="keep one root manifest; move the other's content into it or into a fragment",
        )
    root_file = SourceFile(folder / present[0], present[0], home, folder)
    skip = {os.path.realpath(chosen), os.path.realpath(root_file.path)}
    fragments = [root_file.sibling(file) for file in _walk(folder, skip)]
    fragments.sort(key=lambda source: source.display)
    return Project(folder, root_file, tuple(fragments), chosen)


def _data_dir(
    folder: Path, data_dir: str | os.PathLike[str] | None, env: Mapping[str, str]
) -> Path:
    if data_dir is not None:
        return Path(os.path.abspath(data_dir))
    if env.get(DATA_DIR_ENV):
        return Path(os.path.abspath(env[DATA_DIR_ENV]))
    return folder / DEFAULT_DATA_DIR


def _walk(folder: Path, skip: set[str]) -> list[Path]:
    """Manifest files below ``folder`` (visible paths), each real file once."""
    found: list[Path] = []
    seen_dirs = {os.path.realpath(folder)}
    seen_files = set(skip)
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError:
            continue  # an unreadable folder holds nothing we can load
        for entry in entries:
            if entry.name.startswith("."):
                continue
            real = os.path.realpath(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:  # a symlink loop pointing at itself
                continue
            if is_dir:
                if real not in seen_dirs and real not in skip:
                    seen_dirs.add(real)
                    pending.append(Path(entry.path))
            elif entry.name.lower().endswith(MANIFEST_SUFFIXES) and real not in seen_files:
                seen_files.add(real)
                found.append(Path(entry.path))
    return found
