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
    assert lines[0] == "-- datasources.db (sqlite): 2 statements"
    assert lines[1].startswith('CREATE TABLE "Todo" (') or lines[1].startswith("CREATE TABLE")
    assert "TodoList" in result.out
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
