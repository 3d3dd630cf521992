"""REST paths derived from model names: kebab-case plural, or rest.path, or not served."""

from __future__ import annotations

import pytest

from composer.spec import ModelRestSpec, ModelSpec, camel_case, kebab_case, rest_path


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("Todo", "/todos"),
        ("TodoList", "/todo-lists"),
        ("Category", "/categories"),
        ("Address", "/addresses"),
        ("Box", "/boxes"),
        ("Match", "/matches"),
        ("Wish", "/wishes"),
        ("Key", "/keys"),
        ("HTTPRequest", "/http-requests"),
        ("order_item", "/order-items"),
        ("Person", "/persons"),
    ],
)
def test_a_served_model_gets_the_kebab_case_plural_of_its_name(name: str, path: str) -> None:
    assert rest_path(name, ModelSpec(datasource="db")) == path


def test_rest_path_overrides_the_derived_path() -> None:
    model = ModelSpec(datasource="db", rest=ModelRestSpec(path="/people"))
    assert rest_path("Person", model) == "/people"


def test_a_model_without_a_datasource_is_not_served() -> None:
    assert rest_path("Todo", ModelSpec()) is None


def test_a_model_with_rest_false_is_not_served() -> None:
    model = ModelSpec.model_validate({"datasource": "db", "rest": False})
    assert rest_path("Todo", model) is None


def test_names_convert_between_cases() -> None:
    assert (kebab_case("TodoList"), camel_case("TodoList")) == ("todo-list", "todoList")
    assert camel_case("HTTPRequest") == "httpRequest"
