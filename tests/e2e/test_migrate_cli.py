"""`composer migrate` as a user runs it on examples/todo's SQLite database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.e2e.process import run_composer

pytestmark = pytest.mark.e2e


def _tables(database: Path) -> set[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows} - {"sqlite_sequence"}


def test_dry_run_prints_the_ddl_and_creates_no_table(tmp_path: Path) -> None:
    result = run_composer("migrate", "examples/todo", "--dry-run", "--data-dir", str(tmp_path))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "-- datasources.db (sqlite): 3 statements"
    assert lines[1].startswith('CREATE TABLE "Todo" (') or lines[1].startswith("CREATE TABLE")
    assert "TodoList" in result.out
    assert 'CREATE INDEX "ix_Todo_todoListId" ON "Todo" ("todoListId")' in result.out
    database = tmp_path / "todo.db"
    assert not database.exists() or _tables(database) == set()


def test_migrate_creates_the_tables_then_finds_them_up_to_date(tmp_path: Path) -> None:
    first = run_composer("migrate", "examples/todo", "--data-dir", str(tmp_path))
    assert first.code == 0, first.err
    assert _tables(tmp_path / "todo.db") == {"Todo", "TodoList"}
    again = run_composer("migrate", "examples/todo", "--data-dir", str(tmp_path))
    assert again.code == 0, again.err
    assert again.out == "-- datasources.db (sqlite): up to date\n"


def test_rebuild_dry_run_drops_before_it_creates(tmp_path: Path) -> None:
    run_composer("migrate", "examples/todo", "--data-dir", str(tmp_path))
    result = run_composer(
        "migrate", "examples/todo", "--rebuild", "--dry-run", "--data-dir", str(tmp_path)
    )
    assert result.code == 0, result.err
    statements = [line for line in result.out.splitlines() if not line.startswith("--")]
    drops = [i for i, line in enumerate(statements) if line.startswith("DROP TABLE")]
    creates = [i for i, line in enumerate(statements) if line.startswith("CREATE TABLE")]
    assert len(drops) == 2
    assert creates
    assert max(drops) < min(creates)


def test_an_incompatible_change_is_reported_and_exits_1(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    manifest = project / "composer.yaml"
    manifest.write_text(
        "apiVersion: composer/v1\nname: shop\n"
        "datasources:\n  db: {connector: sql, url: 'sqlite:///shop.db'}\n"
        "models:\n  Item:\n    datasource: db\n    properties:\n"
        "      id: {type: integer, id: true, generated: true}\n      name: string\n",
        encoding="utf-8",
    )
    assert run_composer("migrate", str(project)).code == 0
    with sqlite3.connect(project / ".composer" / "shop.db") as connection:
        connection.execute("INSERT INTO \"Item\" (name) VALUES ('kept')")
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("name: string", "name: integer")
    )
    result = run_composer("migrate", str(project))
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.err.startswith(
        "composer: error: datasources.db: the schema cannot be migrated automatically; "
        "nothing was changed:\n"
    )
    assert 'column "name" (Item.name)' in result.err
    with sqlite3.connect(project / ".composer" / "shop.db") as connection:
        assert connection.execute('SELECT name FROM "Item"').fetchall() == [("kept",)]


CONSTRAINED = """\
apiVersion: composer/v1
name: todo
datasources:
  db: {connector: sql, url: 'sqlite:///todo.db'}
models:
  Todo:
    datasource: db
    properties:
      id: {type: integer, id: true, generated: true}
      todoListId: integer
    relations:
      todoList: {type: belongsTo, model: TodoList, foreignKey: FOREIGN_KEY}
  TodoList:
    datasource: db
    properties:
      id: {type: integer, id: true, generated: true}
"""


def _project(tmp_path: Path, foreign_key: str) -> Path:
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    manifest = CONSTRAINED.replace("FOREIGN_KEY", foreign_key)
    (project / "composer.yaml").write_text(manifest, encoding="utf-8")
    return project


def test_dry_run_prints_the_constraint_after_the_table_it_refers_to(tmp_path: Path) -> None:
    project = _project(tmp_path, "{property: todoListId, onDelete: cascade}")
    result = run_composer("migrate", str(project), "--dry-run")
    assert result.code == 0, result.err
    assert result.out == (
        "-- datasources.db (sqlite): 3 statements\n"
        'CREATE TABLE "TodoList" (\n'
        "  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT\n"
        ");\n"
        'CREATE TABLE "Todo" (\n'
        "  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
        '  "todoListId" INTEGER,\n'
        '  CONSTRAINT "fk_Todo_todoList" FOREIGN KEY("todoListId") REFERENCES "TodoList" (id) '
        "ON DELETE CASCADE\n"
        ");\n"
        'CREATE INDEX "ix_Todo_todoListId" ON "Todo" ("todoListId");\n'
    )


def test_a_constraint_sqlite_cannot_add_is_listed_as_not_applied(tmp_path: Path) -> None:
    assert run_composer("migrate", str(_project(tmp_path, "todoListId"))).code == 0
    project = _project(tmp_path, "{property: todoListId, onDelete: restrict}")
    warning = (
        '-- warning: table "Todo", constraint "fk_Todo_todoList" (Todo.todoList): SQLite '
        "cannot add a constraint to an existing table, so it is not applied; composer migrate "
        "--rebuild recreates the table with it (deleting its rows)\n"
    )
    # the key's index came with the table (a relation key is indexed with or without a
    # constraint); the constraint itself cannot be added
    first = run_composer("migrate", str(project))
    assert (first.code, first.err) == (0, "")
    assert first.out == "-- datasources.db (sqlite): up to date\n" + warning
    again = run_composer("migrate", str(project))
    assert (again.code, again.out) == (0, "-- datasources.db (sqlite): up to date\n" + warning)
    rebuilt = run_composer("migrate", str(project), "--rebuild")
    assert rebuilt.code == 0, rebuilt.err
    with sqlite3.connect(project / ".composer" / "todo.db") as connection:
        rows = connection.execute('PRAGMA foreign_key_list("Todo")').fetchall()
    assert [(row[2], row[3], row[4], row[6]) for row in rows] == [
        ("TodoList", "todoListId", "id", "RESTRICT")
    ]
