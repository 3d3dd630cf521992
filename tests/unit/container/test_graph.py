"""The artifact graph: start order, the rendered text, cycles."""

from __future__ import annotations

import pytest

from composer import keys
from composer.container import Graph, Node
from composer.errors import PlanCycleError


def _graph() -> Graph:
    # given out of order on purpose
    return Graph(
        [
            Node(keys.SERVER_REST, "server", ("sequence",)),
            Node(keys.SEQUENCE, "sequence", ("routes.Todo", "routes.TodoList")),
            Node(keys.route("TodoList"), "route", ("models.TodoList",)),
            Node(keys.route("Todo"), "route", ("models.Todo",)),
            Node(keys.model("Todo"), "model", ("models.Entity", "datasources.db")),
            Node(keys.model("TodoList"), "model", ("datasources.db",)),
            Node(keys.model("Entity"), "model"),
            Node(keys.datasource("db"), "datasource"),
            Node(keys.datasource("cache"), "datasource"),
        ]
    )


def test_nodes_start_after_their_dependencies_kinds_first_then_names() -> None:
    assert [node.name for node in _graph()] == [
        "datasources.cache",
        "datasources.db",
        "models.Entity",
        "models.Todo",
        "models.TodoList",
        "routes.Todo",
        "routes.TodoList",
        "sequence",
        "server.rest",
    ]


def test_a_base_model_starts_before_the_model_even_when_its_name_sorts_later() -> None:
    graph = Graph(
        [
            Node(keys.model("Zeta"), "model"),
            Node(keys.model("Alpha"), "model", ("models.Zeta",)),
        ]
    )
    assert [node.name for node in graph] == ["models.Zeta", "models.Alpha"]


def test_render_lists_each_artifact_in_start_order_with_kind_and_dependencies() -> None:
    assert _graph().render() == (
        "datasources.cache  datasource\n"
        "datasources.db     datasource\n"
        "models.Entity      model\n"
        "models.Todo        model       <- datasources.db, models.Entity\n"
        "models.TodoList    model       <- datasources.db\n"
        "routes.Todo        route       <- models.Todo\n"
        "routes.TodoList    route       <- models.TodoList\n"
        "sequence           sequence    <- routes.Todo, routes.TodoList\n"
        "server.rest        server      <- sequence"
    )


def test_render_of_an_empty_graph_is_empty() -> None:
    assert Graph([]).render() == ""


def test_a_cycle_is_a_plan_cycle_error_showing_the_cycle_along_dependencies() -> None:
    with pytest.raises(PlanCycleError) as caught:
        Graph(
            [
                Node(keys.model("B"), "model", ("models.C",)),
                Node(keys.model("A"), "model", ("models.B",)),
                Node(keys.model("C"), "model", ("models.A",)),
                Node(keys.datasource("db"), "datasource"),
            ]
        )
    assert str(caught.value) == (
        "error[CMP201] dependency cycle: models.A -> models.B -> models.C -> models.A\n"
        "  hint: an artifact cannot depend on itself, directly or through others "
        "(a model's base model and datasource are its dependencies; relations are not)"
    )
    assert [issue.code for issue in caught.value.issues] == ["CMP201"]


def test_an_artifact_depending_on_itself_is_a_cycle() -> None:
    with pytest.raises(PlanCycleError) as caught:
        Graph([Node(keys.model("A"), "model", ("models.A",))])
    assert caught.value.issues[0].message == "dependency cycle: models.A -> models.A"


def test_a_dependency_on_an_artifact_not_in_the_graph_is_rejected() -> None:
    with pytest.raises(ValueError) as caught:
        Graph([Node(keys.model("A"), "model", ("datasources.db",))])
    assert str(caught.value) == "models.A depends on 'datasources.db', which is not planned"


def test_an_artifact_given_twice_is_rejected() -> None:
    with pytest.raises(ValueError) as caught:
        Graph([Node(keys.SEQUENCE, "sequence"), Node(keys.SEQUENCE, "sequence")])
    assert str(caught.value) == "artifact 'sequence' is in the graph twice"


def test_nodes_are_found_by_name_and_by_kind() -> None:
    graph = _graph()
    assert graph["models.Todo"].depends_on == ("models.Entity", "datasources.db")
    assert "routes.Todo" in graph
    assert "routes.Entity" not in graph
    assert [node.name for node in graph.of_kind("datasource")] == [
        "datasources.cache",
        "datasources.db",
    ]
    assert len(graph) == 9
