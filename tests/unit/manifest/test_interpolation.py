"""${VAR} interpolation: forms, EnvStr typing, errors that never show values."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer.manifest import EnvStr
from composer.manifest.interpolation import Reference, TemplateError, parse_template

from .conftest import Fails, Loads, Write


def one_file(write: Write, text: str, name: str = "composer.yaml") -> Path:
    return write({name: text}) / name


def test_a_scalar_that_is_exactly_one_reference_becomes_an_env_str(
    write: Write, loads: Loads
) -> None:
    path = one_file(write, "rest:\n  port: ${PORT:-3000}\n  host: ${HOST}\n")
    data = loads(path, env={"HOST": "0.0.0.0"}).data
    port, host = data["rest"]["port"], data["rest"]["host"]
    assert (type(port), port, port.expression) == (EnvStr, "3000", "${PORT:-3000}")
    assert (type(host), host, host.expression) == (EnvStr, "0.0.0.0", "${HOST}")


def test_references_inside_longer_strings_give_plain_strings(write: Write, loads: Loads) -> None:
    path = one_file(write, "url: postgres://${USER}@${HOST:-localhost}/db\nlist: ['a-${USER}']\n")
    data = loads(path, env={"USER": "ann"}).data
    assert data == {"url": "postgres://ann@localhost/db", "list": ["a-ann"]}
    assert type(data["url"]) is str


def test_a_default_is_used_when_the_variable_is_unset_or_empty(write: Write, loads: Loads) -> None:
    path = one_file(write, "a: ${A:-x}\nb: ${B:-y}\nc: ${C:-z}\nd: ${D}\ne: ${E:-}\n")
    data = loads(path, env={"A": "", "C": "set", "D": ""}).data
    assert data == {"a": "x", "b": "y", "c": "set", "d": "", "e": ""}


def test_a_doubled_dollar_is_a_literal_reference(write: Write, loads: Loads) -> None:
    path = one_file(write, "a: $${HOME}\nb: cost $5 and $$ and ${A}$${B}\n")
    data = loads(path, env={"A": "1", "HOME": "/root"}).data
    assert data == {"a": "${HOME}", "b": "cost $5 and $$ and 1${B}"}
    assert type(data["a"]) is str


def test_a_default_may_nest_a_reference_looked_up_only_when_needed(
    write: Write, loads: Loads
) -> None:
    path = one_file(write, "a: ${A:-${B:-fallback}}\nb: ${SET:-${NEVER}}\nc: ${X:-lit $${Y}}\n")
    data = loads(path, env={"SET": "v"}).data
    assert data == {"a": "fallback", "b": "v", "c": "lit ${Y}"}
    assert data["a"].expression == "${A:-${B:-fallback}}"


def test_substituted_text_is_never_scanned_again_nor_turned_into_structure(
    write: Write, loads: Loads
) -> None:
    path = one_file(write, "a: ${A}\nb: x${A}\n")
    data = loads(path, env={"A": "{b: 1}\nc: ${SECRET}"}).data
    assert data == {"a": "{b: 1}\nc: ${SECRET}", "b": "x{b: 1}\nc: ${SECRET}"}


def test_keys_are_never_interpolated(write: Write, loads: Loads) -> None:
    path = one_file(write, "${A}: 1\n")
    assert loads(path, env={"A": "x"}).data == {"${A}": 1}


def test_a_missing_variable_names_it_without_showing_any_value(write: Write, fails: Fails) -> None:
    path = one_file(write, "datasources:\n  db:\n    url: postgres://${USER}:${PASSWORD}@db\n")
    rendered = fails(path, env={"USER": "s3cr3t-user"})
    assert rendered == (
        "composer.yaml:3:10: error[CMP015] datasources.db.url: environment variable PASSWORD is"
        " not set\n  hint: set PASSWORD, or give a default: ${PASSWORD:-default}"
    )
    assert "s3cr3t" not in rendered


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("${abc", "unterminated '${abc': no closing '}'"),
        ("x ${A:-def", "unterminated '${A': no closing '}'"),
        (
            "${1A}",
            "invalid variable name '1A' in '${...}' (a name is letters, digits and '_',"
            " not starting with a digit)",
        ),
        (
            "${}",
            "invalid variable name '' in '${...}' (a name is letters, digits and '_',"
            " not starting with a digit)",
        ),
        ("${A-b}", "unexpected '-' after '${A'; expected '}' or ':-default}'"),
        ("${A:b}", "unexpected ':' after '${A'; expected '}' or ':-default}'"),
    ],
)
def test_a_malformed_reference_is_refused(
    write: Write, fails: Fails, value: str, message: str
) -> None:
    path = one_file(write, f"a:\n  - '{value}'\n")
    assert fails(path) == f"composer.yaml:2:5: error[CMP016] a[0]: {message}"


def test_a_stack_parameter_outside_a_stack_is_refused(write: Write, fails: Fails) -> None:
    assert fails(one_file(write, "a: ${with.db}\n")) == (
        "composer.yaml:1:4: error[CMP016] a: '${with.db}' names a stack parameter, but this file"
        " is not a stack\n  hint: stack parameters exist only inside a stack's own file"
    )


def test_json_string_values_are_interpolated_too(write: Write, loads: Loads) -> None:
    path = one_file(write, '{"rest": {"port": "${PORT:-8080}"}}', "composer.json")
    port = loads(path).data["rest"]["port"]
    assert (port, port.expression) == ("8080", "${PORT:-8080}")


def test_the_environment_defaults_to_the_process_environment(
    write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    from composer.manifest import load

    monkeypatch.setenv("COMPOSER_TEST_NAME", "from-env")
    assert load(one_file(write, "name: ${COMPOSER_TEST_NAME}\n")).data == {"name": "from-env"}


def test_a_template_splits_into_text_and_references() -> None:
    assert parse_template("a$${b}${C:-${D}}") == (
        "a${b}",
        Reference("C", (Reference("D", None, "${D}"),), "${C:-${D}}"),
    )
    with pytest.raises(TemplateError):
        parse_template("${")
