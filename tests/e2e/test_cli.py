"""The composer CLI as a user runs it: exit codes, one-line messages, never a traceback."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.e2e.process import REPO, run_composer

pytestmark = pytest.mark.e2e

TODO = "examples/todo"


def test_validate_accepts_the_todo_example() -> None:
    result = run_composer("validate", TODO)
    assert result.code == 0, result.err
    assert result.out == "examples/todo: ok (todo: 2 models, 1 datasource)\n"


def test_validate_json_format_reports_valid() -> None:
    result = run_composer("validate", TODO, "--format", "json")
    assert result.code == 0
    assert json.loads(result.out) == {"valid": True, "issues": []}


def test_validate_of_a_missing_path_is_one_line_and_exit_1(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = run_composer("validate", str(missing))
    assert result.code == 1
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    assert lines[0].startswith(f"{missing}: error[CMP001]")
    assert lines[-1] == "composer: 1 error in the manifest"


def test_validate_of_a_folder_without_composer_yaml_names_the_accepted_files(
    tmp_path: Path,
) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "todo.yaml").write_text("models: {}\n", encoding="utf-8")
    result = run_composer("validate", str(tmp_path))
    assert result.code == 1
    assert "error[CMP002]" in result.err
    assert "composer.yaml" in result.err
    assert "Traceback" not in result.err


def test_validate_prints_every_error_of_a_bad_manifest_sorted_by_position(tmp_path: Path) -> None:
    (tmp_path / "composer.yaml").write_text(
        "apiVersion: composer/v2\nname: Bad_Name\nrest: {port: 70000}\n", encoding="utf-8"
    )
    result = run_composer("validate", str(tmp_path))
    assert result.code == 1
    codes = [line.split("error[")[1][:6] for line in result.err.splitlines() if "error[" in line]
    assert codes == ["CMP104", "CMP105", "CMP106"]
    assert result.err.splitlines()[-1] == "composer: 3 errors in the manifest"
    assert "Traceback" not in result.err


def test_validate_json_format_lists_issues_with_positions(tmp_path: Path) -> None:
    (tmp_path / "composer.yaml").write_text(
        "apiVersion: composer/v1\nname: ok\nrest: {port: 0}\n", encoding="utf-8"
    )
    result = run_composer("validate", str(tmp_path), "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    assert report["valid"] is False
    [issue] = report["issues"]
    assert (issue["code"], issue["path"], issue["file"], issue["line"]) == (
        "CMP106",
        "rest.port",
        "composer.yaml",
        3,
    )


def test_validate_rejects_a_billion_laughs_file_in_under_a_second(tmp_path: Path) -> None:
    lines = ["apiVersion: composer/v1", "name: lol", 'a0: &a0 ["lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    result = run_composer("validate", str(bomb))
    elapsed = time.monotonic() - started
    assert result.code == 1
    assert "error[CMP012]" in result.err
    assert elapsed < 1.0, f"took {elapsed:.2f}s"


def test_debug_shows_the_traceback_of_a_user_error(tmp_path: Path) -> None:
    result = run_composer("--debug", "validate", str(tmp_path / "nowhere"))
    assert result.code == 1
    assert "Traceback" in result.err


def test_unknown_command_is_a_usage_error() -> None:
    result = run_composer("frobnicate")
    assert result.code == 2
    assert "No such command 'frobnicate'" in result.err


def test_help_is_available_for_every_command() -> None:
    for command in ("validate", "serve", "openapi", "routes", "graph", "schema", "new"):
        result = run_composer(command, "--help")
        assert result.code == 0, command
        assert result.out.startswith(f"Usage: composer {command}"), command


def test_schema_prints_the_committed_schema() -> None:
    result = run_composer("schema")
    assert result.code == 0
    assert result.out == (REPO / "schemas" / "manifest.schema.json").read_text(encoding="utf-8")


def test_openapi_prints_a_document_with_the_model_schemas() -> None:
    result = run_composer("openapi", TODO)
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert document["info"]["title"] == "todo"
    assert {"Todo", "TodoList"} <= set(document["components"]["schemas"])
    assert "/ping" in document["paths"]


def test_routes_lists_the_ping_route_and_the_crud_and_relation_routes_of_each_model() -> None:
    result = run_composer("routes", TODO)
    assert result.code == 0, result.err
    lines = [line.split() for line in result.out.splitlines()]
    assert lines[0] == ["GET", "/ping", "PingController.ping"]
    assert lines[13:] == [
        ["GET", "/todos", "TodoController.find"],
        ["POST", "/todos", "TodoController.create"],
        ["PATCH", "/todos", "TodoController.updateAll"],
        ["GET", "/todos/count", "TodoController.count"],
        ["GET", "/todos/{id}", "TodoController.findById"],
        ["PUT", "/todos/{id}", "TodoController.replaceById"],
        ["PATCH", "/todos/{id}", "TodoController.updateById"],
        ["DELETE", "/todos/{id}", "TodoController.deleteById"],
        ["GET", "/todos/{id}/todo-list", "TodoTodoListController.getTodoList"],
    ]
    assert [line[1] for line in lines[1:9]] == [
        "/todo-lists",
        "/todo-lists",
        "/todo-lists",
        "/todo-lists/count",
        "/todo-lists/{id}",
        "/todo-lists/{id}",
        "/todo-lists/{id}",
        "/todo-lists/{id}",
    ]
    assert lines[9:13] == [
        ["GET", "/todo-lists/{id}/todos", "TodoListTodoController.find"],
        ["POST", "/todo-lists/{id}/todos", "TodoListTodoController.create"],
        ["PATCH", "/todo-lists/{id}/todos", "TodoListTodoController.patch"],
        ["DELETE", "/todo-lists/{id}/todos", "TodoListTodoController.delete"],
    ]


def test_graph_lists_datasources_then_models_repositories_and_routes() -> None:
    result = run_composer("graph", TODO)
    assert result.code == 0, result.err
    assert result.out == (
        "datasources.db         datasource\n"
        "models.Todo            model       <- datasources.db\n"
        "models.TodoList        model       <- datasources.db\n"
        "repositories.Todo      repository  <- models.Todo\n"
        "repositories.TodoList  repository  <- models.TodoList\n"
        "routes.Todo            route       <- repositories.Todo\n"
        "routes.TodoList        route       <- repositories.TodoList\n"
        "sequence               sequence    <- routes.Todo, routes.TodoList\n"
        "server.rest            server      <- sequence\n"
    )


def test_new_scaffolds_a_project_that_validates(tmp_path: Path) -> None:
    result = run_composer("new", "notes", "--dir", str(tmp_path))
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == f"created {tmp_path / 'notes'}"
    check = run_composer("validate", str(tmp_path / "notes"))
    assert check.code == 0, check.err
    assert check.out.endswith("ok (notes: 1 model, 1 datasource)\n")


def test_new_refuses_a_non_empty_folder_and_a_bad_name(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "keep.txt").write_text("mine\n", encoding="utf-8")
    taken = run_composer("new", "notes", "--dir", str(tmp_path))
    assert taken.code == 1
    assert taken.err == f"composer: error: {tmp_path / 'notes'} already exists and is not empty\n"
    bad = run_composer("new", "Not_A_Label", "--dir", str(tmp_path))
    assert bad.code == 1
    assert bad.err.startswith("composer: error: invalid project name 'Not_A_Label'")
