"""plan(): an AppSpec becomes the artifact graph."""

from __future__ import annotations

import pytest

from composer.container import plan
from composer.errors import ManifestError, PlanCycleError
from composer.spec import (
    AppSpec,
    BelongsToSpec,
    HasManySpec,
    MemoryDatasourceSpec,
    ModelRestSpec,
    ModelSpec,
    PropertySpec,
    SqlDatasourceSpec,
)

ID = {"id": PropertySpec(type="integer", id=True)}


def _app(**sections: object) -> AppSpec:
    return AppSpec.model_validate({"api_version": "composer/v1", "name": "todo", **sections})


def test_todo_app_plans_datasource_models_routes_sequence_server() -> None:
    app = _app(
        datasources={"db": SqlDatasourceSpec(connector="sql", url="sqlite:///todo.db")},
        models={
            "TodoList": ModelSpec(
                datasource="db",
                properties={**ID, "title": PropertySpec(type="string")},
                relations={"todos": HasManySpec(type="hasMany", model="Todo")},
            ),
            "Todo": ModelSpec(
                datasource="db",
                properties={**ID, "todoListId": PropertySpec(type="integer")},
                relations={"todoList": BelongsToSpec(type="belongsTo", model="TodoList")},
            ),
        },
    )
    assert plan(app).render() == (
        "datasources.db         datasource\n"
        "models.Todo            model       <- datasources.db\n"
        "models.TodoList        model       <- datasources.db\n"
        "repositories.Todo      repository  <- models.Todo\n"
        "repositories.TodoList  repository  <- models.TodoList\n"
        "routes.Todo            route       <- repositories.Todo\n"
        "routes.TodoList        route       <- repositories.TodoList\n"
        "sequence               sequence    <- routes.Todo, routes.TodoList\n"
        "server.rest            server      <- sequence"
    )


def test_a_base_model_is_a_dependency_and_a_model_without_rest_or_datasource_has_no_route() -> None:
    app = _app(
        datasources={"mem": MemoryDatasourceSpec(connector="memory")},
        models={
            "Note": ModelSpec(base="Entity", datasource="mem", rest=ModelRestSpec(exposed=False)),
            "Entity": ModelSpec(properties=ID),
        },
    )
    assert plan(app).render() == (
        "datasources.mem    datasource\n"
        "models.Entity      model\n"
        "models.Note        model       <- datasources.mem, models.Entity\n"
        "repositories.Note  repository  <- models.Note\n"
        "sequence           sequence\n"
        "server.rest        server      <- sequence"
    )


def test_an_app_without_datasources_or_models_plans_the_sequence_and_server() -> None:
    assert plan(_app()).render() == ("sequence     sequence\nserver.rest  server    <- sequence")


def test_a_base_model_cycle_in_a_spec_built_in_python_is_cmp201() -> None:
    app = _app(
        models={
            "Animal": ModelSpec(base="Pet"),
            "Pet": ModelSpec(base="Animal"),
        }
    )
    with pytest.raises(PlanCycleError) as caught:
        plan(app)
    assert caught.value.issues[0].render().splitlines()[0] == (
        "error[CMP201] dependency cycle: models.Animal -> models.Pet -> models.Animal"
    )


def test_unknown_datasource_and_base_in_a_spec_built_in_python_are_reported_together() -> None:
    app = _app(
        datasources={"db": MemoryDatasourceSpec(connector="memory")},
        models={"Todo": ModelSpec(datasource="dbs", base="Entty"), "Entity": ModelSpec()},
    )
    with pytest.raises(ManifestError) as caught:
        plan(app)
    assert str(caught.value) == (
        "error[CMP116] models.Todo.base: unknown model 'Entty'\n"
        "  hint: did you mean 'Entity'? defined models: Entity, Todo\n"
        "error[CMP117] models.Todo.datasource: unknown datasource 'dbs'\n"
        "  hint: did you mean 'db'? defined datasources: db"
    )


def test_a_served_model_without_an_id_in_a_spec_built_in_python_is_cmp115() -> None:
    app = _app(
        datasources={"db": MemoryDatasourceSpec(connector="memory")},
        models={
            "Note": ModelSpec(datasource="db", properties={"text": PropertySpec(type="string")})
        },
    )
    with pytest.raises(ManifestError) as caught:
        plan(app)
    assert str(caught.value) == (
        "error[CMP115] models.Note: model 'Note' is served over REST but has no id property\n"
        "  hint: mark one property 'id: true' (e.g. id: {type: integer, id: true, generated: "
        "true}), set rest: false, or serve it read-only (rest: {readonly: true})"
    )


def test_a_read_only_model_without_an_id_has_a_repository_and_a_route() -> None:
    app = _app(
        datasources={"db": MemoryDatasourceSpec(connector="memory")},
        models={"Log": ModelSpec(datasource="db", rest=ModelRestSpec(readonly=True))},
    )
    assert [node.name for node in plan(app)] == [
        "datasources.db",
        "models.Log",
        "repositories.Log",
        "routes.Log",
        "sequence",
        "server.rest",
    ]


def test_a_persisted_model_without_an_id_and_without_rest_has_no_repository() -> None:
    app = _app(
        datasources={"db": MemoryDatasourceSpec(connector="memory")},
        models={"Log": ModelSpec(datasource="db", rest=ModelRestSpec(exposed=False))},
    )
    assert [node.name for node in plan(app)] == [
        "datasources.db",
        "models.Log",
        "sequence",
        "server.rest",
    ]
