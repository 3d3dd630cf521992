"""A belongsTo's database constraint: its shape, and what the databases could enforce."""

from __future__ import annotations

import pytest

from composer.spec import BelongsToSpec, ForeignKeySpec
from tests.unit.spec.conftest import Manifests

MODELS = """\
apiVersion: composer/v1
name: gallery
datasources:
  db: {connector: sql, url: "sqlite:///gallery.db"}
  cache: {connector: memory}
models:
  TodoList:
    datasource: db
    properties:
      id: {type: integer, id: true}
      code: {type: string}
  Todo:
    datasource: db
    properties:
      id: {type: integer, id: true}
      todoListId: integer
      listCode: string
    relations:
"""


def test_the_string_form_and_the_mapping_form_name_the_same_key(manifests: Manifests) -> None:
    short = manifests.spec(
        MODELS + "      todoList: {type: belongsTo, model: TodoList, foreignKey: todoListId}\n"
    )
    long = manifests.spec(
        MODELS + "      todoList:\n        type: belongsTo\n        model: TodoList\n"
        "        foreignKey: {property: todoListId, onDelete: restrict, onUpdate: cascade}\n"
    )
    short_spec = short.models["Todo"].relations["todoList"]
    long_spec = long.models["Todo"].relations["todoList"]
    assert isinstance(short_spec, BelongsToSpec) and isinstance(long_spec, BelongsToSpec)
    assert (short_spec.key, short_spec.constraint) == ("todoListId", None)
    assert (long_spec.key, long_spec.constraint) == (
        "todoListId",
        ForeignKeySpec(property="todoListId", on_delete="restrict", on_update="cascade"),
    )


def test_a_mapping_without_an_action_declares_no_constraint() -> None:
    spec = BelongsToSpec.model_validate(
        {"type": "belongsTo", "model": "TodoList", "foreignKey": {"property": "listId"}}
    )
    assert (spec.key, spec.constraint) == ("listId", None)


def test_a_missing_key_under_the_mapping_form_points_at_foreign_key_property(
    manifests: Manifests,
) -> None:
    errors = manifests.errors(
        MODELS + "      todoList:\n        type: belongsTo\n        model: TodoList\n"
        "        foreignKey: {property: listId, onDelete: cascade}\n"
    )
    assert errors == (
        "composer.yaml:22:32: error[CMP118] models.Todo.relations.todoList.foreignKey.property: "
        "'listId' is not a property of 'Todo'\n"
        "  hint: add 'listId' to the properties of 'Todo', or set foreignKey.property"
    )


def test_an_unknown_action_is_named_with_the_allowed_ones(manifests: Manifests) -> None:
    errors = manifests.errors(
        MODELS + "      todoList:\n        type: belongsTo\n        model: TodoList\n"
        "        foreignKey: {onDelete: casade}\n"
    )
    assert errors == (
        "composer.yaml:22:32: error[CMP103] models.Todo.relations.todoList.foreignKey.onDelete: "
        "value 'casade' is not allowed\n"
        "  hint: did you mean 'cascade'? allowed values: restrict, cascade, setNull, noAction"
    )


def test_set_null_on_the_id_is_refused(manifests: Manifests) -> None:
    errors = manifests.errors(
        MODELS + "      todoList:\n        type: belongsTo\n        model: TodoList\n"
        "        foreignKey: {property: id, onUpdate: setNull}\n"
    )
    assert errors == (
        "composer.yaml:22:46: error[CMP135] models.Todo.relations.todoList.foreignKey.onUpdate: "
        "onUpdate setNull would set 'Todo.id' to null, but it is the id\n"
        "  hint: choose restrict, cascade or noAction"
    )


def test_set_null_on_an_optional_or_nullable_key_is_accepted(manifests: Manifests) -> None:
    text = MODELS.replace(
        "todoListId: integer", "todoListId: {type: integer, required: true, nullable: true}"
    )
    spec = manifests.spec(
        text + "      todoList:\n        type: belongsTo\n        model: TodoList\n"
        "        foreignKey: {onDelete: setNull, onUpdate: setNull}\n"
    )
    relation = spec.models["Todo"].relations["todoList"]
    assert isinstance(relation, BelongsToSpec) and relation.constraint is not None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (
                "    datasource: db\n    properties:\n      id: {type: integer, id: true}\n"
                "      code",
                "    datasource: cache\n    properties:\n      id: {type: integer, id: true}\n"
                "      code",
            ),
            "'Todo' is in datasource 'db' and 'TodoList' in 'cache': a database constraint "
            "needs both models in one SQL datasource",
        ),
        (
            ("datasource: db", "datasource: cache"),
            "datasource 'cache' is a memory datasource: only a SQL datasource enforces a "
            "database constraint",
        ),
        (
            ("  Todo:\n    datasource: db\n", "  Todo:\n"),
            "'Todo' has no datasource: a database constraint needs both models in one SQL "
            "datasource",
        ),
    ],
    ids=["two datasources", "memory", "no datasource"],
)
def test_a_constraint_outside_one_sql_datasource_is_refused(
    manifests: Manifests, change: tuple[str, str], message: str
) -> None:
    text = MODELS.replace(*change)
    errors = manifests.errors(
        text + "      todoList:\n        type: belongsTo\n        model: TodoList\n"
        "        foreignKey: {onDelete: cascade}\n"
    )
    line = 22 if "Todo:\n    datasource" in text else 21
    assert errors == (
        f"composer.yaml:{line}:32: error[CMP136] "
        f"models.Todo.relations.todoList.foreignKey.onDelete: {message}\n"
        "  hint: remove onDelete and onUpdate, or store both models in one SQL datasource"
    )


def test_a_constraint_refers_to_a_unique_key(manifests: Manifests) -> None:
    relation = (
        "      todoList:\n        type: belongsTo\n        model: TodoList\n"
        "        keyTo: code\n        foreignKey: {property: listCode, onDelete: restrict}\n"
    )
    errors = manifests.errors(MODELS + relation)
    assert errors == (
        "composer.yaml:22:16: error[CMP136] models.Todo.relations.todoList.keyTo: "
        "'TodoList.code' is not unique: a database constraint refers to the id or to a "
        "property with a unique index of its own\n"
        "  hint: refer to the id of 'TodoList' (leave keyTo out), or give 'TodoList' a unique "
        "index of 'code'"
    )
    unique = MODELS.replace(
        "      code: {type: string}\n",
        "      code: {type: string}\n    indexes: {byCode: {properties: [code], unique: true}}\n",
    )
    assert manifests.spec(unique + relation).models["Todo"].relations["todoList"].key == "listCode"


def test_a_constraint_needs_keys_of_one_type(manifests: Manifests) -> None:
    text = MODELS.replace("todoListId: integer", "todoListId: number")
    errors = manifests.errors(
        text + "      todoList:\n        type: belongsTo\n        model: TodoList\n"
        "        foreignKey: {onDelete: cascade}\n"
    )
    assert errors == (
        "composer.yaml:19:7: error[CMP119] models.Todo.relations.todoList: 'Todo.todoListId' "
        "is a number but 'TodoList.id' is an integer: a database constraint needs keys of one "
        "type\n"
        "  hint: make 'Todo.todoListId' an integer"
    )
    # without a constraint, an integer and a number join as they are
    manifests.spec(text + "      todoList: {type: belongsTo, model: TodoList}\n")
