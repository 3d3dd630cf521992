"""The constraints and key indexes a model's table gets from the relations of the app."""

from __future__ import annotations

from typing import Any

from composer.repository.entity import IndexInfo, entity_info
from composer.spec import (
    AppSpec,
    BelongsToSpec,
    HasManySpec,
    HasOneSpec,
    IndexSpec,
    ModelSpec,
    PropertySpec,
    ThroughSpec,
)

P = PropertySpec
ID = P(type="integer", id=True, generated=True)


def _app(foreign_key: Any, *, list_datasource: str = "db", **todo: Any) -> AppSpec:
    return AppSpec(
        api_version="composer/v1",
        name="a",
        models={
            "TodoList": ModelSpec(datasource=list_datasource, table="lists", properties={"id": ID}),
            "Todo": ModelSpec(
                datasource="db",
                properties={"id": ID, "listId": P(type="integer", column="list_id")},
                relations={
                    "list": BelongsToSpec(
                        type="belongsTo", model="TodoList", foreign_key=foreign_key
                    )
                },
                **todo,
            ),
        },
    )


def test_a_constrained_belongs_to_is_a_foreign_key_of_the_source_and_refers_to_the_target() -> None:
    app = _app({"property": "listId", "onDelete": "setNull", "onUpdate": "noAction"})
    todo, todo_list = entity_info(app, "Todo"), entity_info(app, "TodoList")
    (fk,) = todo.foreign_keys
    assert (fk.column, fk.target_table, fk.target_column, fk.on_delete, fk.on_update) == (
        "list_id",
        "lists",
        "id",
        "SET NULL",
        "NO ACTION",
    )
    assert todo_list.referred_by == (fk,)
    assert (todo.referred_by, todo_list.foreign_keys) == ((), ())
    assert todo.indexes == (IndexInfo("listId", ("listId",), unique=False),)


def test_a_foreign_key_without_an_action_is_no_constraint_but_its_key_is_indexed() -> None:
    info = entity_info(_app("listId"), "Todo")
    assert info.foreign_keys == ()
    assert info.indexes == (IndexInfo("listId", ("listId",), unique=False),)


def test_a_string_key_is_indexed_only_when_declared() -> None:
    app = AppSpec(
        api_version="composer/v1",
        name="a",
        models={
            "Tag": ModelSpec(
                datasource="db", properties={"code": PropertySpec(type="string", id=True)}
            ),
            "Item": ModelSpec(
                datasource="db",
                properties={
                    "id": PropertySpec(type="integer", id=True),
                    "tagCode": PropertySpec(type="string"),
                },
                relations={"tag": BelongsToSpec(type="belongsTo", model="Tag")},
            ),
        },
    )
    assert entity_info(app, "Item").indexes == ()


def test_the_keys_of_has_many_and_through_targets_are_indexed() -> None:
    ident = {"id": PropertySpec(type="integer", id=True)}
    app = AppSpec(
        api_version="composer/v1",
        name="a",
        models={
            "Doctor": ModelSpec(
                datasource="db",
                properties=ident,
                relations={
                    "notes": HasManySpec(type="hasMany", model="Note"),
                    "patients": HasManySpec(
                        type="hasMany", model="Patient", through=ThroughSpec(model="Visit")
                    ),
                },
            ),
            "Note": ModelSpec(
                datasource="db", properties={**ident, "doctorId": PropertySpec(type="integer")}
            ),
            "Patient": ModelSpec(datasource="db", properties=ident),
            "Visit": ModelSpec(
                datasource="db",
                properties={
                    **ident,
                    "doctorId": PropertySpec(type="integer"),
                    "patientId": PropertySpec(type="integer"),
                },
            ),
        },
    )
    assert [i.properties for i in entity_info(app, "Note").indexes] == [("doctorId",)]
    assert [i.properties for i in entity_info(app, "Visit").indexes] == [
        ("doctorId",),
        ("patientId",),
    ]


def test_no_constraint_spans_two_datasources() -> None:
    # validation refuses it (CMP136); a spec built in Python gets no constraint either
    info = entity_info(_app({"onDelete": "cascade"}, list_datasource="other"), "Todo")
    assert info.foreign_keys == ()


def test_a_declared_index_of_the_key_stands_for_the_key_index() -> None:
    indexes = {"byList": IndexSpec(properties=("listId",))}
    info = entity_info(_app({"property": "listId", "onDelete": "cascade"}, indexes=indexes), "Todo")
    assert info.indexes == (IndexInfo("byList", ("listId",), unique=False),)


def test_a_has_one_target_key_gets_a_unique_index_named_apart_from_a_declared_one() -> None:
    app = AppSpec(
        api_version="composer/v1",
        name="a",
        models={
            "User": ModelSpec(
                properties={"id": ID},
                relations={"profile": HasOneSpec(type="hasOne", model="Profile")},
            ),
            "Profile": ModelSpec(
                properties={"id": ID, "userId": P(type="integer"), "code": P(type="string")},
                indexes={
                    "userId": IndexSpec(properties=("code",), unique=True),
                    "byUser": IndexSpec(properties=("userId",)),
                },
            ),
        },
    )
    assert entity_info(app, "Profile").indexes == (
        IndexInfo("userId", ("code",), unique=True),
        IndexInfo("byUser", ("userId",), unique=False),
        IndexInfo("userIdKey", ("userId",), unique=True),
    )
    assert entity_info(app, "User").indexes == ()


def test_a_derived_model_holds_the_constraint_of_its_base() -> None:
    base = _app({"onDelete": "restrict"})
    models = {**base.models, "Task": ModelSpec(base="Todo", datasource="db", table="tasks")}
    app = base.model_copy(update={"models": models})
    (fk,) = entity_info(app, "Task").foreign_keys
    assert (fk.source, fk.source_table, fk.relation) == ("Task", "tasks", "list")
    assert {fk.source for fk in entity_info(app, "TodoList").referred_by} == {"Todo", "Task"}
