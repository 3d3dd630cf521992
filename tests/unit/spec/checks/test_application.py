"""apiVersion, name, rest (port, paths, pagination), roles, sections not supported yet."""

from __future__ import annotations

from tests.unit.spec.conftest import Manifests


def test_an_unsupported_api_version_names_the_supported_one(manifests: Manifests) -> None:
    errors = manifests.errors("apiVersion: composer/v2\nname: gallery\n")
    assert errors == (
        "composer.yaml:1:13: error[CMP104] apiVersion: unsupported apiVersion 'composer/v2'\n"
        "  hint: supported: composer/v1"
    )


def test_a_name_that_is_no_dns_label_is_rejected(manifests: Manifests) -> None:
    errors = manifests.errors("apiVersion: composer/v1\nname: My_App\n")
    assert errors == (
        "composer.yaml:2:7: error[CMP105] name: 'My_App' is not a DNS-1123 label\n"
        "  hint: use at most 63 lower-case letters, digits and '-', "
        "starting and ending with a letter or digit"
    )


def test_a_port_from_the_environment_is_range_checked_without_showing_it(
    manifests: Manifests,
) -> None:
    errors = manifests.errors(
        "apiVersion: composer/v1\nname: gallery\nrest: {port: '${PORT}'}\n", env={"PORT": "0"}
    )
    assert errors == (
        "composer.yaml:3:14: error[CMP106] rest.port: port ${PORT} is out of range\n"
        "  hint: use a port from 1 to 65535"
    )


def test_a_base_path_must_be_a_clean_absolute_path(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        rest:
          basePath: /api/../admin
          explorer: {path: explorer}
        """
    )
    assert errors == (
        "composer.yaml:4:13: error[CMP107] rest.basePath: '/api/../admin' has a '..' segment\n"
        "composer.yaml:5:20: error[CMP107] rest.explorer.path: 'explorer' must start with '/'"
    )


def test_a_base_path_with_a_query_or_an_empty_segment_is_rejected(manifests: Manifests) -> None:
    errors = manifests.errors(
        "apiVersion: composer/v1\nname: gallery\nrest: {basePath: '/api?x=1'}\n"
    )
    assert errors == (
        "composer.yaml:3:18: error[CMP107] rest.basePath: "
        "'/api?x=1' has a query or fragment ('?' or '#')"
    )


def test_a_default_limit_above_the_max_limit_is_rejected(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        rest:
          pagination: {defaultLimit: 100, maxLimit: 10}
        """
    )
    assert errors == (
        "composer.yaml:4:30: error[CMP112] rest.pagination.defaultLimit: "
        "defaultLimit 100 is above maxLimit 10"
    )


def test_a_declared_role_may_not_use_the_builtin_prefix_nor_repeat(manifests: Manifests) -> None:
    errors = manifests.errors(
        "apiVersion: composer/v1\nname: gallery\nroles: [admin, $admin, admin]\n"
    )
    assert errors == (
        "composer.yaml:3:16: error[CMP123] roles[1]: "
        "role '$admin' uses the '$' reserved for built-in roles\n"
        "  hint: built-in roles need no declaration: "
        "$everyone, $authenticated, $unauthenticated, $owner\n"
        "composer.yaml:3:24: error[CMP129] roles[2]: role 'admin' is declared twice"
    )


def test_sections_not_served_yet_are_rejected_not_ignored(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        authentication:
          strategies: {jwt: {type: jwt, secret: "${JWT_SECRET}"}}
        services:
          calc: {datasource: soap}
        routes:
          add: {verb: get, path: /add, service: calc, operation: Add}
        models:
          Todo:
            acls:
              - {principalType: ROLE, principalId: $everyone, permission: ALLOW}
        """,
        env={"JWT_SECRET": "s3cret"},
    )
    assert errors == (
        "composer.yaml:3:1: error[CMP127] authentication: authentication is not supported yet\n"
        "  hint: this version of composer checks the authentication section "
        "but cannot serve it; remove it\n"
        "composer.yaml:5:1: error[CMP127] services: services is not supported yet\n"
        "  hint: this version of composer checks the services section but cannot serve it; "
        "remove it\n"
        "composer.yaml:6:22: error[CMP117] services.calc.datasource: unknown datasource 'soap'\n"
        "  hint: no datasources are defined\n"
        "composer.yaml:7:1: error[CMP127] routes: routes is not supported yet\n"
        "  hint: this version of composer checks the routes section but cannot serve it; "
        "remove it\n"
        "composer.yaml:11:5: error[CMP127] models.Todo.acls: acls are not supported yet\n"
        "  hint: this version of composer checks ACL rules but cannot enforce them; remove them"
    )


def test_empty_unsupported_sections_are_accepted(manifests: Manifests) -> None:
    app = manifests.spec(
        """\
        apiVersion: composer/v1
        name: gallery
        services: {}
        routes: {}
        models:
          Todo: {acls: []}
        """
    )
    assert (app.services, app.routes, app.models["Todo"].acls) == ({}, {}, ())


def test_an_explorer_path_taken_by_the_server_root_is_rejected(manifests: Manifests) -> None:
    errors = manifests.errors(
        "apiVersion: composer/v1\nname: gallery\nrest:\n  explorer: {path: /health}\n"
    )
    assert errors == (
        "composer.yaml:4:20: error[CMP107] rest.explorer.path: explorer path '/health' is taken "
        "by the server's own endpoints\n"
        "  hint: the server root serves /, /openapi.json, /openapi.yaml, /health, /metrics; "
        "pick another path"
    )
