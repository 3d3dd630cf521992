"""Merging fragments: named maps, roles, singletons, unknown keys, positions."""

from __future__ import annotations

from composer.errors import Position

from .conftest import Fails, Loads, Write


def test_named_maps_merge_by_name_and_keep_each_files_positions(write: Write, loads: Loads) -> None:
    root = write(
        {
            "composer.yaml": "apiVersion: composer/v1\nmodels:\n  A: {x: 1}\n",
            "models/b.yaml": "models:\n  B:\n    x: 2\n",
            "datasources.yaml": "datasources:\n  db: {connector: memory}\n",
            "routes.yaml": "routes: {r: {}}\nservices: {s: {}}\n",
        }
    )
    raw = loads(root)
    assert raw.data == {
        "apiVersion": "composer/v1",
        "models": {"A": {"x": 1}, "B": {"x": 2}},
        "datasources": {"db": {"connector": "memory"}},
        "routes": {"r": {}},
        "services": {"s": {}},
    }
    assert raw.positions[("models", "A", "x")] == Position("composer.yaml", 3, 10)
    assert raw.positions[("models", "B", "x")] == Position("models/b.yaml", 3, 8)
    assert raw.key_positions[("models", "B")] == Position("models/b.yaml", 2, 3)
    assert raw.key_positions[("models",)] == Position("composer.yaml", 2, 1)
    assert raw.locate(("datasources", "db", "connector")) == Position("datasources.yaml", 2, 19)


def test_a_name_defined_in_two_files_names_both_places(write: Write, fails: Fails) -> None:
    root = write(
        {
            "composer.yaml": "models:\n  Todo: {}\ndatasources: {db: {}}\n",
            "models/todo.yaml": "models:\n  Todo: {}\n",
            "z.yaml": "datasources:\n  db: {}\n",
        }
    )
    hint = "  hint: a name may be defined in one file only; rename or remove one of them"
    assert fails(root) == "\n".join(
        [
            "models/todo.yaml:2:3: error[CMP017] models.Todo: model 'Todo' is already defined at"
            " composer.yaml:2:3",
            hint,
            "z.yaml:2:3: error[CMP017] datasources.db: datasource 'db' is already defined at"
            " composer.yaml:3:15",
            hint,
        ]
    )


def test_a_singleton_section_in_two_files_names_both_places(write: Write, fails: Fails) -> None:
    root = write(
        {
            "composer.yaml": "apiVersion: composer/v1\nname: a\nrest: {port: 1}\n",
            "extra.yaml": "rest:\n  port: 2\nname: b\n",
        }
    )
    hint = "  hint: apiVersion, name, rest, sequence and authentication may be set in one file only"
    assert fails(root) == "\n".join(
        [
            "extra.yaml:1:1: error[CMP018] rest: already set at composer.yaml:3:1",
            hint,
            "extra.yaml:3:1: error[CMP018] name: already set at composer.yaml:2:1",
            hint,
        ]
    )


def test_roles_lists_are_concatenated_and_repeats_are_kept(write: Write, loads: Loads) -> None:
    root = write(
        {
            "composer.yaml": "roles: [admin, editor]\n",
            "more.yaml": "roles:\n  - editor\n  - auditor\n",
        }
    )
    raw = loads(root)
    assert raw.data == {"roles": ["admin", "editor", "editor", "auditor"]}
    assert raw.positions[("roles", 3)] == Position("more.yaml", 3, 5)
    assert raw.positions[("roles", 1)] == Position("composer.yaml", 1, 16)


def test_a_named_section_that_is_not_a_mapping_cannot_be_merged(write: Write, fails: Fails) -> None:
    root = write(
        {
            "composer.yaml": "models:\n  - Todo\n",
            "b.yaml": "datasources: db\nroles: {admin: 1}\n",
        }
    )
    assert fails(root) == "\n".join(
        [
            "b.yaml:1:14: error[CMP024] datasources: datasources must be a mapping of names to"
            " definitions, not a string",
            "b.yaml:2:8: error[CMP024] roles: roles must be a list, not a mapping",
            "composer.yaml:2:3: error[CMP024] models: models must be a mapping of names to"
            " definitions, not a list",
        ]
    )


def test_an_empty_named_section_counts_as_an_empty_mapping(write: Write, loads: Loads) -> None:
    root = write({"composer.yaml": "models:\n", "m.yaml": "models: {A: {}}\n"})
    raw = loads(root)
    assert raw.data == {"models": {"A": {}}}
    assert raw.key_positions[("models",)] == Position("composer.yaml", 1, 1)


def test_unknown_top_level_keys_pass_through_and_the_first_one_wins(
    write: Write, loads: Loads
) -> None:
    root = write(
        {
            "composer.yaml": "extra: {a: 1}\n",
            "b.yaml": "extra: {b: 2}\nother: [1]\n",
        }
    )
    raw = loads(root)
    assert raw.data == {"extra": {"a": 1}, "other": [1]}
    assert raw.positions[("extra", "a")] == Position("composer.yaml", 1, 12)
    assert ("extra", "b") not in raw.positions
    assert raw.positions[("other", 0)] == Position("b.yaml", 2, 9)
