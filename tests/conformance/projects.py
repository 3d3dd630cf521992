"""examples/todo on each backend the conformance and hostile tests serve it from."""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["BACKENDS", "TODO", "todo_project"]

REPO = Path(__file__).resolve().parents[2]
TODO = REPO / "examples" / "todo"

#: ``sqlite`` is the example as shipped; ``memory`` the same models on the memory connector
BACKENDS = ("sqlite", "memory")


def todo_project(backend: str, tmp: Path) -> Path:
    """The todo project for ``backend`` (a copy under ``tmp`` when it is not SQLite)."""
    if backend == "sqlite":
        return TODO
    project = tmp / f"todo-{backend}"
    shutil.copytree(TODO, project)
    (project / "datasources" / "db.yaml").write_text(
        f"datasources:\n  db:\n    connector: {backend}\n", encoding="utf-8"
    )
    return project
