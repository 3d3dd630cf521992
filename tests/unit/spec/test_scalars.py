"""Strict scalars, and ${...} typed by the field it lands in."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from composer.spec import RestSpec, SqlDatasourceSpec, parse_byte_size
from tests.unit.spec.conftest import Manifests


def test_an_env_expression_gives_an_integer_port(manifests: Manifests) -> None:
    app = manifests.spec(
        """\
        apiVersion: composer/v1
        name: gallery
        rest: {port: "${PORT:-3000}"}
        """
    )
    assert app.rest.port == 3000


def test_an_env_expression_gives_booleans_and_numbers(manifests: Manifests) -> None:
    app = manifests.spec(
        """\
        apiVersion: composer/v1
        name: gallery
        rest:
          explorer: ${EXPLORER}
          maxBodySize: ${BODY}
        datasources:
          db: {connector: sql, url: "${URL}", echo: "${ECHO}", poolSize: "${POOL}"}
        models:
          Item:
            properties:
              price: {type: number, minimum: "${MIN}"}
        """,
        env={
            "EXPLORER": "false",
            "BODY": "2mb",
            "URL": "sqlite:///x.db",
            "ECHO": "TRUE",
            "POOL": "5",
            "MIN": "0.5",
        },
    )
    db = app.datasources["db"]
    assert isinstance(db, SqlDatasourceSpec)
    assert (app.rest.explorer.enabled, app.rest.max_body_size) == (False, 2 * 1024 * 1024)
    assert (db.url, db.echo, db.pool_size) == ("sqlite:///x.db", True, 5)
    assert app.models["Item"].properties["price"].minimum == 0.5


def test_an_env_expression_that_is_no_integer_names_the_expression_not_the_value(
    manifests: Manifests,
) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        rest: {port: "${PORT:-3000}"}
        """,
        env={"PORT": "s3cret"},
    )
    assert errors == (
        "composer.yaml:3:14: error[CMP100] rest.port: ${PORT:-3000} does not give an integer"
    )


def test_an_env_expression_that_is_no_boolean_is_an_error(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        datasources:
          db: {connector: sql, url: "sqlite://", echo: "${ECHO}"}
        """,
        env={"ECHO": "yes"},
    )
    assert errors == (
        "composer.yaml:4:48: error[CMP100] datasources.db.echo: "
        "${ECHO} does not give a boolean (true or false)"
    )


def test_a_plain_string_is_no_integer_even_when_it_looks_like_one(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        rest: {port: "3000"}
        """
    )
    assert errors == (
        "composer.yaml:3:14: error[CMP100] rest.port: expected an integer, got a string"
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"port": True}, "int_type"),
        ({"cors": {"credentials": "yes"}}, "bool_type"),
        ({"cors": {"maxAge": 1.5}}, "int_type"),
        ({"maxBodySize": True}, "byte_size_type"),
    ],
)
def test_python_values_are_never_coerced(data: dict[str, object], expected: str) -> None:
    with pytest.raises(ValidationError) as caught:
        RestSpec.model_validate(data)
    assert caught.value.errors()[0]["type"] == expected


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("1mb", 1048576),
        ("512kb", 524288),
        ("2MiB", 2097152),
        ("1 GB", 1073741824),
        ("100", 100),
        ("100b", 100),
        ("1.5kb", 1536),
    ],
)
def test_byte_sizes_use_multiples_of_1024(text: str, size: int) -> None:
    assert parse_byte_size(text) == size


@pytest.mark.parametrize("text", ["", "mb", "1 parsec", "-1mb", "1e3"])
def test_a_size_without_a_known_unit_is_not_a_size(text: str) -> None:
    assert parse_byte_size(text) is None


def test_a_size_that_is_not_a_size_is_reported(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        rest: {maxBodySize: 10 parsecs}
        """
    )
    assert (
        errors == "composer.yaml:3:21: error[CMP129] rest.maxBodySize: '10 parsecs' is not a size"
    )


def test_a_zero_size_is_reported(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        rest: {maxBodySize: 0}
        """
    )
    assert errors == (
        "composer.yaml:3:21: error[CMP129] rest.maxBodySize: a size must be at least 1 byte"
    )
