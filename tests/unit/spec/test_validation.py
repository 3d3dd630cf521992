"""validate(): every problem of every section, sorted by position; a clean manifest's AppSpec."""

from __future__ import annotations

import pytest

from composer.errors import ManifestError
from composer.manifest import RawManifest
from composer.spec import (
    AppSpec,
    BelongsToSpec,
    HasManySpec,
    ModelSpec,
    PropertySpec,
    RestSpec,
    SqlDatasourceSpec,
    validate,
)
from tests.unit.spec.conftest import Manifests

TODO = """\
apiVersion: composer/v1
name: todo
rest: {port: 8080, basePath: /api}
datasources:
  db: {connector: sql, url: "sqlite:///todo.db"}
models:
  TodoList:
    datasource: db
    properties:
      id: {type: integer, id: true, generated: true}
      title: {type: string, required: true}
    relations:
      todos: {type: hasMany, model: Todo}
  Todo:
    datasource: db
    properties:
      id: {type: integer, id: true, generated: true}
      title: string
      todoListId: integer
    relations:
      todoList: {type: belongsTo, model: TodoList, foreignKey: todoListId}
"""


def test_a_valid_manifest_gives_the_same_spec_as_python_code(manifests: Manifests) -> None:
    ident = PropertySpec(type="integer", id=True, generated=True)
    expected = AppSpec(
        api_version="composer/v1",
        name="todo",
        rest=RestSpec(port=8080, base_path="/api"),
        datasources={"db": SqlDatasourceSpec(connector="sql", url="sqlite:///todo.db")},
        models={
            "TodoList": ModelSpec(
                datasource="db",
                properties={"id": ident, "title": PropertySpec(type="string", required=True)},
                relations={"todos": HasManySpec(type="hasMany", model="Todo")},
            ),
            "Todo": ModelSpec(
                datasource="db",
                properties={
                    "id": ident,
                    "title": PropertySpec(type="string"),
                    "todoListId": PropertySpec(type="integer"),
                },
                relations={
                    "todoList": BelongsToSpec(
                        type="belongsTo", model="TodoList", foreign_key="todoListId"
                    )
                },
            ),
        },
    )
    assert manifests.spec(TODO) == expected


def test_the_spec_is_frozen(manifests: Manifests) -> None:
    app = manifests.spec(TODO)
    with pytest.raises(ValueError, match="frozen"):
        app.rest.port = 1  # type: ignore[misc]


def test_every_problem_of_every_section_is_reported_sorted_by_position(
    manifests: Manifests,
) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        rest: {port: 70000, host: 1}
        models:
          Bad:
            properties:
              title: {type: string, minLength: "1"}
          AlsoBad:
            datasource: nowhere
            properties: {id: {type: string, id: true}}
        sequence: [cors, send, send]
        """
    )
    assert errors == (
        "composer.yaml:3:14: error[CMP106] rest.port: port 70000 is out of range\n"
        "  hint: use a port from 1 to 65535\n"
        "composer.yaml:3:27: error[CMP100] rest.host: expected a string, got an integer\n"
        "composer.yaml:7:40: error[CMP100] models.Bad.properties.title.minLength: "
        "expected an integer, got a string\n"
        "composer.yaml:9:17: error[CMP117] models.AlsoBad.datasource: "
        "unknown datasource 'nowhere'\n"
        "  hint: no datasources are defined\n"
        "composer.yaml:11:11: error[CMP131] sequence: the sequence has no findRoute, invoke\n"
        "  hint: a sequence needs findRoute, invoke and send to answer a request; the default "
        "is cors, findRoute, authenticate, authorize, parseParams, invoke, send\n"
        "composer.yaml:11:24: error[CMP125] sequence[2]: action 'send' is already at sequence[1]\n"
        "  hint: list each action once"
    )


def test_the_valid_parts_of_a_failed_model_are_still_checked(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          Todo:
            datasource: 5
            properties:
              count: {type: integer, minimum: 10, maximum: 1}
        """
    )
    assert errors == (
        "composer.yaml:5:17: error[CMP100] models.Todo.datasource: "
        "expected a string, got an integer\n"
        "composer.yaml:7:39: error[CMP112] models.Todo.properties.count.minimum: "
        "minimum 10 is above maximum 1"
    )


def test_a_reference_to_a_model_that_failed_is_not_reported_again(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          User: {strict: maybe}
          Todo:
            relations:
              owner: {type: belongsTo, model: User}
        """
    )
    assert errors == (
        "composer.yaml:4:18: error[CMP100] models.User.strict: expected a boolean, got a string"
    )


def test_a_raw_manifest_built_by_hand_validates() -> None:
    from pathlib import Path

    raw = RawManifest(
        {"apiVersion": "composer/v1", "name": "hand", "rest": {"port": 0}},
        {},
        {},
        Path("/project"),
        Path("/project/composer.yaml"),
        Path("/project/.composer"),
    )
    with pytest.raises(ManifestError) as caught:
        validate(raw)
    assert caught.value.render() == (
        "error[CMP106] rest.port: port 0 is out of range\n  hint: use a port from 1 to 65535"
    )
