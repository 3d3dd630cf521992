"""``composer new NAME``: write a small project that validates and serves as it is."""

from __future__ import annotations

import re
from pathlib import Path

from composer.errors import ComposerError

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")

_FILES = {
    "composer.yaml": """\
{modeline}apiVersion: composer/v1
name: {name}
rest:
  host: ${{HOST:-127.0.0.1}}
  port: ${{PORT:-3000}}
  explorer: true
""",
    "datasources/db.yaml": """\
datasources:
  db:
    connector: sql
    # A relative SQLite path lands in the data directory (.composer/ by default).
    url: ${{DATABASE_URL:-sqlite:///{name}.db}}
""",
    "models/note.yaml": """\
models:
  Note:
    datasource: db
    description: A short note.
    properties:
      id: {{type: integer, id: true, generated: true}}
      title: {{type: string, required: true, minLength: 1, maxLength: 200}}
      body: string
      createdAt: {{type: datetime, default: now}}
""",
    ".gitignore": """\
.composer/
""",
}


def write_project(name: str, parent: Path) -> Path:
    """Create ``parent/name`` with a root manifest, a SQLite datasource and one model.

    >>> write_project("notes", Path("/tmp"))  # doctest: +SKIP
    PosixPath('/tmp/notes')
    """
    if not _DNS_LABEL.match(name):
        raise ComposerError(
            f"invalid project name {name!r}: use lower-case letters, digits and '-' "
            "(a DNS label, at most 63 characters, starting and ending with a letter or digit)"
        )
    target = parent / name
    if target.exists() and any(target.iterdir()):
        raise ComposerError(f"{target} already exists and is not empty")
    schema = _schema_reference()
    modeline = f"# yaml-language-server: $schema={schema}\n" if schema else ""
    for relative, template in _FILES.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(name=name, modeline=modeline), encoding="utf-8")
    return target


def _schema_reference() -> str | None:
    """The manifest schema of this installation as a file URL, for the editor modeline.

    The wheel ships it inside the package; a source checkout has it in schemas/.
    """
    shipped = Path(__file__).parent / "schemas" / "manifest.schema.json"
    if shipped.is_file():
        return shipped.as_uri()
    checkout = Path(__file__).parent.parent / "schemas" / "manifest.schema.json"
    if checkout.is_file():
        return checkout.as_uri()
    return None
