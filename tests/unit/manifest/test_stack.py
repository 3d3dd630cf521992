"""Stacks included with use:, named by path: parameters, positions, errors."""

from __future__ import annotations

from composer.errors import Position
from composer.manifest import EnvStr, Limits

from .conftest import Fails, Loads, Write

CRUD = """\
parameters:
  model: {description: the model name}
  properties: {}
  port: {default: 3000}
  datasource: {default: "${DS:-memory}"}
models:
  Item:
    datasource: ${with.datasource}
    properties: ${with.properties}
    description: "${with.model} served on ${with.port}"
    port: ${with.port}
"""


def test_a_path_stack_takes_typed_parameters_and_defaults(write: Write, loads: Loads) -> None:
    root = write(
        {
            "composer.yaml": (
                "name: a\nuse:\n  - stack: stacks/crud.yaml\n    with:\n"
                "      model: Todo\n      properties: {title: string}\n      port: ${PORT}\n"
            ),
            "stacks/crud.yaml": CRUD,
        }
    )
    raw = loads(root, env={"PORT": "8080"})
    assert raw.data == {
        "name": "a",
        "models": {
            "Item": {
                "datasource": "memory",
                "properties": {"title": "string"},
                "description": "Todo served on 8080",
                "port": "8080",
            }
        },
    }
    assert isinstance(raw.data["models"]["Item"]["port"], EnvStr)
    assert raw.data["models"]["Item"]["datasource"].expression == "${DS:-memory}"
    site = Position("composer.yaml", 3, 5)
    assert raw.positions[("models", "Item", "properties", "title")] == Position(
        "composer.yaml", 6, 27
    )
    description = raw.positions[("models", "Item", "description")]
    assert (description, description.included_from) == (
        Position("stacks/crud.yaml", 10, 18),
        (site,),
    )
    default = raw.positions[("models", "Item", "datasource")]
    assert (default, default.included_from) == (Position("stacks/crud.yaml", 5, 25), (site,))
    assert raw.files == (root / "composer.yaml", root / "stacks/crud.yaml")


def test_an_error_inside_a_stack_names_the_stack_and_every_use_site(
    write: Write, fails: Fails
) -> None:
    root = write(
        {
            "composer.yaml": "use: {stack: ./a.yaml, with: {n: 1}}\n",
            "a.yaml": "parameters: {n: }\nuse: [./lib/b.yaml]\n",
            "lib/b.yaml": "datasources:\n  db: {url: '${DB_URL}'}\n",
        }
    )
    assert fails(root) == (
        "lib/b.yaml:2:13: error[CMP015] datasources.db.url: environment variable DB_URL is not"
        " set\n"
        "  included from a.yaml:2:7\n"
        "  included from composer.yaml:1:6\n"
        "  hint: set DB_URL, or give a default: ${DB_URL:-default}"
    )


def test_a_missing_and_an_unknown_parameter_are_both_reported(write: Write, fails: Fails) -> None:
    root = write(
        {
            "composer.yaml": "use:\n  - stack: stacks/crud.yaml\n    with: {modle: Todo}\n",
            "stacks/crud.yaml": CRUD,
        }
    )
    assert fails(root) == "\n".join(
        [
            "composer.yaml:2:5: error[CMP020] use[0]: stack stacks/crud.yaml needs parameter"
            " 'model' (the model name)",
            "  hint: add it: with: {model: ...}",
            "composer.yaml:2:5: error[CMP020] use[0]: stack stacks/crud.yaml needs parameter"
            " 'properties'",
            "  hint: add it: with: {properties: ...}",
            "composer.yaml:3:12: error[CMP021] use[0].with.modle: stack stacks/crud.yaml has no"
            " parameter 'modle'",
            "  hint: did you mean 'model'? parameters: datasource, model, port, properties",
        ]
    )


def test_a_missing_stack_file_is_an_unknown_stack(write: Write, fails: Fails) -> None:
    root = write({"composer.yaml": "use: [./nope.yaml]\n"})
    assert fails(root) == (
        "composer.yaml:1:7: error[CMP019] use[0]: stack file './nope.yaml' does not exist"
    )


def test_an_include_cycle_is_written_out(write: Write, fails: Fails) -> None:
    root = write(
        {
            "composer.yaml": "use: ./a.yaml\n",
            "a.yaml": "use: sub/b.yaml\n",
            "sub/b.yaml": "use: {stack: ../a.yaml}\n",
        }
    )
    assert fails(root) == (
        "sub/b.yaml:1:14: error[CMP022] use.stack: include cycle: a.yaml -> sub/b.yaml -> a.yaml\n"
        "  included from a.yaml:1:6\n"
        "  included from composer.yaml:1:6"
    )


def test_a_manifest_using_itself_is_a_cycle(write: Write, fails: Fails) -> None:
    root = write({"composer.yaml": "use: ./composer.yaml\n"})
    assert fails(root) == (
        "composer.yaml:1:6: error[CMP022] use: include cycle: composer.yaml -> composer.yaml"
    )


def test_a_stack_path_may_not_leave_the_project(write: Write, fails: Fails) -> None:
    root = write({"composer.yaml": "use: [../outside.yaml, ./link.yaml]\n"})
    (root.parent / "outside.yaml").write_text("models: {}\n")
    (root / "link.yaml").symlink_to(root.parent / "outside.yaml")
    hint = "  hint: a stack named by path must lie inside the project folder"
    assert fails(root) == "\n".join(
        [
            "composer.yaml:1:7: error[CMP023] use[0]: stack path '../outside.yaml' leads outside"
            " the project folder",
            hint,
            "composer.yaml:1:24: error[CMP023] use[1]: stack path './link.yaml' leads outside"
            " the project folder",
            hint,
        ]
    )


def test_a_project_keeps_its_own_stacks_out_of_the_fragments(write: Write, loads: Loads) -> None:
    root = write(
        {
            "composer.yaml": "name: a\n",
            "models.yaml": "use: [{stack: stacks/one.yaml, with: {name: A}}]\n",
            "stacks/one.yaml": "parameters: {name: }\nuse: ./two.yaml\nroles: ['${with.name}']\n",
            "stacks/two.yaml": "roles: [two]\n",
        }
    )
    assert loads(root).data == {"name": "a", "roles": ["A", "two"]}


def test_a_stack_used_twice_gives_two_instances_and_names_are_not_interpolated(
    write: Write, loads: Loads, fails: Fails
) -> None:
    stack = "parameters: {name: }\nroles: ['${with.name}']\n"
    root = write(
        {
            "composer.yaml": (
                "use:\n  - {stack: r.yaml, with: {name: a}}\n  - {stack: r.yaml, with: {name: b}}\n"
            ),
            "r.yaml": stack,
        }
    )
    raw = loads(root)
    assert raw.data == {"roles": ["a", "b"]}
    # a whole-parameter value is placed where the use site wrote it
    assert raw.positions[("roles", 1)] == Position("composer.yaml", 3, 34)

    root = write(
        {
            "composer.yaml": (
                "use:\n  - {stack: ds.yaml, with: {n: a}}\n  - {stack: ds.yaml, with: {n: b}}\n"
            ),
            "ds.yaml": "parameters: {n: }\ndatasources:\n  ${with.n}: {}\n",
        },
        folder="keys",
    )
    assert fails(root) == (
        "ds.yaml:3:3: error[CMP017] datasources.${with.n}: datasource '${with.n}' is already"
        " defined at ds.yaml:3:3\n"
        "  included from composer.yaml:3:5\n"
        "  hint: a name may be defined in one file only; rename or remove one of them"
    )


def test_names_defined_by_a_stack_conflict_like_any_fragment(write: Write, fails: Fails) -> None:
    root = write(
        {
            "composer.yaml": "models:\n  Todo: {}\nuse: todo.yaml\n",
            "todo.yaml": "models:\n  Todo: {x: 1}\n",
        }
    )
    assert fails(root) == (
        "todo.yaml:2:3: error[CMP017] models.Todo: model 'Todo' is already defined at"
        " composer.yaml:2:3\n"
        "  included from composer.yaml:3:6\n"
        "  hint: a name may be defined in one file only; rename or remove one of them"
    )


def test_a_malformed_stack_definition_is_refused(write: Write, fails: Fails) -> None:
    root = write(
        {
            "composer.yaml": "use: [a.yaml, b.yaml]\n",
            "a.yaml": "parameters: [x]\n",
            "b.yaml": (
                "parameters:\n  bad-name: {}\n  p: 3\n  q: {default: 1, type: int}\n"
                "  r: {description: [x]}\n"
            ),
        }
    )
    assert fails(root) == "\n".join(
        [
            "a.yaml:1:1: error[CMP027] parameters: parameters must be a mapping of parameter names"
            " to {description, default}",
            "  included from composer.yaml:1:7",
            "b.yaml:2:3: error[CMP027] parameters.bad-name: parameter name 'bad-name' is not"
            " letters, digits and '_'",
            "  included from composer.yaml:1:15",
            "b.yaml:3:3: error[CMP027] parameters.p: parameter 'p' must be a mapping with optional"
            " description and default",
            "  included from composer.yaml:1:15",
            "b.yaml:4:19: error[CMP027] parameters.q.type: unknown key 'type' in parameter 'q'",
            "  included from composer.yaml:1:15",
            "  hint: a parameter takes: default, description",
            "b.yaml:5:7: error[CMP027] parameters.r.description: the description of parameter"
            " 'r' must be a string",
            "  included from composer.yaml:1:15",
        ]
    )


def test_a_malformed_use_entry_is_refused(write: Write, fails: Fails) -> None:
    root = write(
        {
            "composer.yaml": (
                "use:\n  - 3\n  - {with: {}}\n  - {stack: a.yaml, with: [1]}\n"
                "  - {stack: a.yaml, as: x}\n"
            ),
            "a.yaml": "roles: []\n",
        }
    )
    hint = "  hint: write 'use: NAME' or 'use: [{stack: NAME, with: {PARAMETER: VALUE}}]'"
    assert fails(root) == "\n".join(
        [
            "composer.yaml:2:5: error[CMP027] use[0]: a use entry must be a stack name or a"
            " mapping",
            hint,
            "composer.yaml:3:5: error[CMP027] use[1]: a use entry needs 'stack: NAME'",
            hint,
            "composer.yaml:4:27: error[CMP027] use[2].with: 'with' must be a mapping of parameter"
            " names to values",
            "composer.yaml:5:21: error[CMP027] use[3].as: unknown key 'as' in a use entry",
            "  hint: a use entry takes: stack, with",
        ]
    )


def test_a_reference_to_an_undeclared_parameter_suggests_the_closest(
    write: Write, fails: Fails
) -> None:
    root = write(
        {
            "composer.yaml": "use: {stack: s.yaml, with: {model: A}}\n",
            "s.yaml": "parameters: {model: }\nname: ${with.modle}\n",
        }
    )
    assert fails(root) == (
        "s.yaml:2:7: error[CMP027] name: '${with.modle}' refers to no declared parameter 'modle'\n"
        "  included from composer.yaml:1:6\n"
        "  hint: did you mean 'model'? declared parameters: model"
    )


def test_only_scalar_parameters_fit_inside_a_longer_string(write: Write, fails: Fails) -> None:
    root = write(
        {
            "composer.yaml": "use: {stack: s.yaml, with: {tags: [a], flag: true}}\n",
            "s.yaml": (
                "parameters: {tags: , flag: }\nname: 'x-${with.tags}'\nrest: 'f=${with.flag}'\n"
                "sequence: '${with.flag:-no}'\n"
            ),
        }
    )
    assert fails(root) == "\n".join(
        [
            "s.yaml:2:7: error[CMP016] name: stack parameter 'tags' is a list; only a string,"
            " number or boolean can be part of a longer string",
            "  included from composer.yaml:1:6",
            "  hint: write the value as exactly '${with.tags}' to use it whole",
            "s.yaml:4:11: error[CMP016] sequence: '${with.flag:-no}': a stack parameter cannot"
            " take a ':-' default",
            "  included from composer.yaml:1:6",
            "  hint: declare it under parameters.flag.default instead",
        ]
    )


def test_a_boolean_parameter_reads_as_true_or_false_inside_a_string(
    write: Write, loads: Loads
) -> None:
    root = write(
        {
            "composer.yaml": "use: {stack: s.yaml, with: {flag: true, n: 2.5}}\n",
            "s.yaml": "parameters: {flag: , n: }\nname: 'f=${with.flag} n=${with.n}'\n",
        }
    )
    assert loads(root).data == {"name": "f=true n=2.5"}


def test_a_parse_error_in_a_stack_names_the_use_site(write: Write, fails: Fails) -> None:
    root = write({"composer.yaml": "use: bad.json\n", "bad.json": '{"a": 1,}'})
    assert fails(root) == (
        "bad.json:1:9: error[CMP004] trailing comma before '}'\n  included from composer.yaml:1:6"
    )


def test_stacks_that_multiply_are_bounded(write: Write, fails: Fails) -> None:
    files = {"composer.yaml": "use: s0.yaml\n"}
    for level in range(12):
        files[f"s{level}.yaml"] = f"use: [s{level + 1}.yaml, s{level + 1}.yaml]\nroles: [r]\n"
    files["s12.yaml"] = "roles: [leaf]\n"
    root = write(files)
    rendered = fails(root, limits=Limits(max_nodes=500))
    assert rendered.splitlines()[0].endswith(
        "error[CMP012] use[1]: stacks expand to more than 500 values"
    )
