"""pydantic's errors told as manifest issues: code, key path in manifest names, position."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from composer.manifest import EnvStr
from composer.spec import PluginDatasourceSpec
from composer.spec.shape import did_you_mean, show_value
from tests.unit.spec.conftest import Manifests


def test_a_wrong_type_says_what_was_expected_and_what_was_given(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        rest:
          port: true
          cors: {origins: "*"}
        """
    )
    assert errors == (
        "composer.yaml:4:9: error[CMP100] rest.port: expected an integer, got a boolean\n"
        "composer.yaml:5:19: error[CMP100] rest.cors.origins: expected a list, got a string"
    )


def test_an_unknown_key_points_at_the_key_and_suggests_the_closest(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        rest:
          prot: 3000
        """
    )
    assert errors == (
        "composer.yaml:4:3: error[CMP101] rest.prot: unknown key 'prot'\n"
        "  hint: did you mean 'port'? allowed keys: host, port, basePath, cors, explorer, "
        "maxBodySize, pagination, maxIncludeDepth"
    )


def test_a_snake_case_key_is_unknown_and_the_camel_case_one_suggested(
    manifests: Manifests,
) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        datasources:
          db: {connector: sql, url: "sqlite://", pool_size: 3}
        """
    )
    assert errors == (
        "composer.yaml:4:42: error[CMP101] datasources.db.pool_size: unknown key 'pool_size'\n"
        "  hint: did you mean 'poolSize'? allowed keys: connector, url, migrate, poolSize, "
        "maxOverflow, poolTimeout, statementTimeout, echo"
    )


def test_an_unknown_key_far_from_any_lists_the_allowed_keys(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        datasources:
          db: {connector: memory, colour: red}
        """
    )
    assert errors == (
        "composer.yaml:4:27: error[CMP101] datasources.db.colour: unknown key 'colour'\n"
        "  hint: allowed keys: connector, file"
    )


def test_an_unknown_top_level_key_is_reported(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        modles: {}
        """
    )
    assert errors == (
        "composer.yaml:3:1: error[CMP101] modles: unknown key 'modles'\n"
        "  hint: did you mean 'models'? allowed keys: apiVersion, name, rest, datasources, "
        "models, roles, sequence, authentication, services, routes"
    )


def test_missing_top_level_keys_are_reported_at_the_start_of_the_file(
    manifests: Manifests,
) -> None:
    errors = manifests.errors("rest: {port: 3000}\n")
    assert errors == (
        "composer.yaml:1:1: error[CMP102] missing required key 'apiVersion'\n"
        "composer.yaml:1:1: error[CMP102] missing required key 'name'"
    )


def test_a_missing_key_is_reported_at_the_mapping_that_lacks_it(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        datasources:
          db: {connector: sql}
        models:
          Todo:
            relations:
              list: {type: belongsTo}
        """
    )
    assert errors == (
        "composer.yaml:4:3: error[CMP102] datasources.db: missing required key 'url'\n"
        "composer.yaml:8:7: error[CMP102] models.Todo.relations.list: missing required key 'model'"
    )


def test_a_missing_connector_lists_the_connectors(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        datasources:
          db: {url: "sqlite://"}
        """
    )
    assert errors == (
        "composer.yaml:4:3: error[CMP102] datasources.db: missing required key 'connector'\n"
        "  hint: one of: memory, sql"
    )


def test_another_connector_is_an_installed_kind_with_its_keys_as_options(
    manifests: Manifests,
) -> None:
    # whether the kind is installed is for composer.boot.check (CMP133), not the spec
    app = manifests.spec(
        """\
        apiVersion: composer/v1
        name: gallery
        datasources:
          db: {connector: mongo, url: "mongodb://db/app", pool: {size: 3}}
        """
    )
    datasource = app.datasources["db"]
    assert isinstance(datasource, PluginDatasourceSpec)
    assert datasource.connector == "mongo"
    assert dict(datasource.options) == {"url": "mongodb://db/app", "pool": {"size": 3}}


def test_a_connector_that_is_not_a_string_points_at_it(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        datasources:
          db: {connector: 5}
          cache: [memory]
        """
    )
    assert errors == (
        "composer.yaml:4:19: error[CMP100] datasources.db.connector: "
        "expected a string, got an integer\n"
        "composer.yaml:5:10: error[CMP100] datasources.cache: expected a mapping, got a list"
    )


def test_a_built_in_connector_keeps_its_closed_spec(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        datasources:
          db: {connector: sql, url: "sqlite://", poolSiz: 3}
        """
    )
    assert errors == (
        "composer.yaml:4:42: error[CMP101] datasources.db.poolSiz: unknown key 'poolSiz'\n"
        "  hint: did you mean 'poolSize'? allowed keys: connector, url, migrate, poolSize, "
        "maxOverflow, poolTimeout, statementTimeout, echo"
    )


def test_a_plugin_spec_cannot_take_a_built_in_kind() -> None:
    with pytest.raises(ValidationError, match="'sql' is built in"):
        PluginDatasourceSpec(connector="sql", url="sqlite://")


def test_an_unknown_relation_type_suggests_the_closest(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          Todo:
            relations:
              list: {type: hasMay, model: Todo}
        """
    )
    assert errors == (
        "composer.yaml:6:20: error[CMP103] models.Todo.relations.list.type: "
        "unknown type 'hasMay'\n"
        "  hint: did you mean 'hasMany'? known types: belongsTo, hasMany, hasOne, referencesMany"
    )


def test_a_value_outside_a_literal_lists_the_allowed_values(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        datasources:
          db: {connector: sql, url: "sqlite://", migrate: drop}
        """
    )
    assert errors == (
        "composer.yaml:4:51: error[CMP103] datasources.db.migrate: value 'drop' is not allowed\n"
        "  hint: allowed values: none, autoupdate"
    )


def test_a_bad_shorthand_property_type_is_reported_at_the_property(
    manifests: Manifests,
) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          Todo:
            properties:
              title: strin
        """
    )
    assert errors == (
        "composer.yaml:6:14: error[CMP103] models.Todo.properties.title: "
        "value 'strin' is not allowed\n"
        "  hint: did you mean 'string'? allowed values: string, number, integer, boolean, date, "
        "datetime, object, array, any, buffer"
    )


def test_an_env_expression_outside_a_literal_is_named_without_its_value(
    manifests: Manifests,
) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        datasources:
          db: {connector: sql, url: "sqlite://", migrate: "${MIGRATE}"}
        """,
        env={"MIGRATE": "autoupdat"},
    )
    assert errors == (
        "composer.yaml:4:51: error[CMP103] datasources.db.migrate: "
        "value ${MIGRATE} is not allowed\n"
        "  hint: allowed values: none, autoupdate"
    )


def test_a_constraint_violation_is_an_invalid_value(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        rest:
          pagination: {defaultLimit: 0}
        models:
          Todo:
            indexes:
              byTitle: {properties: []}
        """
    )
    assert errors == (
        "composer.yaml:4:30: error[CMP129] rest.pagination.defaultLimit: "
        "0 is not allowed: must be greater than 0\n"
        "composer.yaml:8:29: error[CMP129] models.Todo.indexes.byTitle.properties: "
        "needs at least 1 item(s)"
    )


def test_did_you_mean_never_hints_at_an_env_value() -> None:
    assert did_you_mean(EnvStr("sql", "${C}"), ["sql", "memory"]) == "allowed values: sql, memory"


def test_show_value_names_an_env_expression_by_its_expression() -> None:
    assert show_value(EnvStr("hunter2", "${PASSWORD}")) == "${PASSWORD}"
