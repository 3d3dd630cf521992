"""The manifest files of a discovered database, as text, and writing them without clobbering.

::

    composer.yaml             apiVersion, name, rest (only when the folder has none)
    datasources/db.yaml       the sql datasource: url ${DATABASE_URL:-...}, migrate: none
    models/<model>.yaml       one model per file, kebab-case (models/order-line.yaml)

The datasource URL never holds a password: the default written is the URL
without it, and ``DATABASE_URL`` gives the real one. Before anything is
written the files are validated together (``composer.boot.check``), so a
discovered project always validates; an existing file is replaced only with
``force``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from composer.boot import check
from composer.errors import ComposerError, ManifestError
from composer.spec import kebab_case

__all__ = ["ROOT_MANIFEST", "project_files", "write_files"]

ROOT_MANIFEST = "composer.yaml"
#: the order of a model's keys in its file
_MODEL_KEYS = ("datasource", "table", "description", "properties", "relations", "indexes", "rest")

_ROOT = """\
apiVersion: composer/v1
name: {name}
rest:
  host: ${{HOST:-127.0.0.1}}
  port: ${{PORT:-3000}}
  explorer: true
"""


def _dump(data: Any) -> str:
    text: str = yaml.safe_dump(
        data, sort_keys=False, default_flow_style=None, allow_unicode=True, width=100
    )
    return text


def project_files(
    name: str,
    datasource: str,
    url: str,
    models: Mapping[str, Mapping[str, Any]],
    *,
    sources: Mapping[str, str],
    header: str,
) -> dict[str, str]:
    """Every file of the project, by path relative to its folder.

    ``url`` is the datasource's URL expression (``${DATABASE_URL:-...}``);
    ``sources`` what each model comes from (``table tags``), named in its file's header.

    >>> files = project_files("shop", "db", "${DATABASE_URL}", {"Tag": {"datasource": "db"}},
    ...                       sources={"Tag": "table tags"}, header="composer discover")
    >>> print(files["models/tag.yaml"])
    # The table tags, as composer discover found it.
    models:
      Tag: {datasource: db}
    <BLANKLINE>
    """
    files = {ROOT_MANIFEST: _ROOT.format(name=name)}
    datasource_body = {"connector": "sql", "url": url, "migrate": "none"}
    files[f"datasources/{datasource}.yaml"] = (
        f"# Found by {header}. A password is never written here: DATABASE_URL gives it.\n"
        "# migrate: none: composer reads and writes the tables, never changes the schema.\n"
        + yaml.safe_dump(
            {"datasources": {datasource: datasource_body}},
            sort_keys=False,
            default_flow_style=False,
            width=1000,
        )
    )
    for model, body in models.items():
        ordered = {key: body[key] for key in _MODEL_KEYS if key in body}
        ordered.update((key, value) for key, value in body.items() if key not in ordered)
        files[f"models/{kebab_case(model)}.yaml"] = (
            f"# The {sources[model]}, as {header} found it.\n" + _dump({"models": {model: ordered}})
        )
    return files


def write_files(files: Mapping[str, str], out: Path, *, force: bool) -> list[Path]:
    """Validate ``files`` together, then write them under ``out``; the paths written.

    An existing ``composer.yaml`` is kept (the project's own); any other
    existing file is a :class:`ComposerError` naming them all, unless
    ``force``. Files that do not validate are a ComposerError too (and a bug).
    """
    _validate(files)
    existing_root = (out / ROOT_MANIFEST).exists()
    planned = {
        relative: text
        for relative, text in files.items()
        if not (relative == ROOT_MANIFEST and existing_root)
    }
    clobbered = sorted(relative for relative in planned if (out / relative).exists())
    if clobbered and not force:
        shown = ", ".join(str(out / relative) for relative in clobbered)
        raise ComposerError(f"not overwriting {shown}: remove them or pass --force")
    written: list[Path] = []
    for relative, text in planned.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _validate(files: Mapping[str, str]) -> None:
    with tempfile.TemporaryDirectory(prefix="composer-discover-") as folder:
        root = Path(folder)
        for relative, text in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        try:
            check(root, data_dir=root / ".composer", env={})
        except ManifestError as error:
            raise ComposerError(
                "composer discover wrote a manifest that does not validate (a bug):\n"
                + error.render()
            ) from error
