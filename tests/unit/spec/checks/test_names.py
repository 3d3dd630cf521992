"""Safe identifiers, case-only twins, one model per REST path."""

from __future__ import annotations

from tests.unit.spec.conftest import Manifests

SAFE_HINT = "  hint: use letters, digits and '_', starting with a letter or '_'"


def test_names_that_are_not_safe_identifiers_are_rejected(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        datasources:
          main-db: {connector: memory}
        models:
          Todo:
            table: todo items
            properties:
              __proto__: string
              due: {type: date, column: "due date"}
            relations:
              2nd: {type: belongsTo, model: Todo, foreignKey: due, keyTo: due}
        """
    )
    assert errors == "\n".join(
        [
            "composer.yaml:4:3: error[CMP109] datasources.main-db: "
            "'main-db' is not a safe identifier",
            SAFE_HINT,
            "composer.yaml:7:12: error[CMP109] models.Todo.table: "
            "'todo items' is not a safe identifier",
            SAFE_HINT,
            "composer.yaml:9:7: error[CMP109] models.Todo.properties.__proto__: "
            "'__proto__' starts with '__', which is reserved",
            SAFE_HINT,
            "composer.yaml:10:33: error[CMP109] models.Todo.properties.due.column: "
            "'due date' is not a safe identifier",
            SAFE_HINT,
            "composer.yaml:12:7: error[CMP109] models.Todo.relations.2nd: "
            "'2nd' is not a safe identifier",
            SAFE_HINT,
        ]
    )


def test_models_and_properties_differing_only_by_case_are_rejected(
    manifests: Manifests,
) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          Todo:
            properties: {title: string, Title: string}
          TODO: {}
        """
    )
    assert errors == (
        "composer.yaml:5:33: error[CMP110] models.Todo.properties.Title: "
        "property 'Title' differs from 'title' only by case\n"
        "  hint: rename one: databases and file systems may not tell them apart\n"
        "composer.yaml:6:3: error[CMP110] models.TODO: "
        "model 'TODO' differs from 'Todo' only by case\n"
        "  hint: rename one: databases and file systems may not tell them apart"
    )


def test_two_models_on_one_rest_path_are_both_named(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        datasources:
          db: {connector: memory}
        models:
          Todo:
            datasource: db
            properties: {id: {type: integer, id: true}}
          Task:
            datasource: db
            properties: {id: {type: integer, id: true}}
            rest: {path: /todos/}
        """
    )
    assert errors == (
        "composer.yaml:12:18: error[CMP111] models.Task.rest.path: "
        "models 'Todo' and 'Task' are both served at '/todos'\n"
        "  hint: set rest.path on one of them, or rest: false"
    )


def test_a_rest_path_must_be_a_clean_absolute_path(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        datasources:
          db: {connector: memory}
        models:
          Todo:
            datasource: db
            properties: {id: {type: integer, id: true}}
            rest: {path: "/todos//all"}
        """
    )
    assert errors == (
        "composer.yaml:9:18: error[CMP107] models.Todo.rest.path: "
        "'/todos//all' has an empty segment ('//')"
    )
