"""Safe YAML: tags, duplicate keys, keys, documents, bounds, positions."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from composer.errors import ManifestError, Position
from composer.manifest import Limits, load
from composer.manifest.yaml_parser import parse_yaml

from .conftest import Fails, Loads, Write

TAG_HINT = (
    "  hint: only the core tags !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are read"
)


def one_file(write: Write, text: str | bytes, name: str = "composer.yaml") -> Path:
    return write({name: text}) / name


def test_python_object_tags_are_refused_without_running_anything(
    write: Write, fails: Fails, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    path = one_file(
        write,
        f"a: !!python/object/apply:os.system ['touch {marker}']\nb: !!python/name:os.system ''\n",
    )
    assert fails(path) == "\n".join(
        [
            "composer.yaml:1:4: error[CMP005] a: tag !!python/object/apply:os.system is not"
            " allowed",
            TAG_HINT,
            "composer.yaml:2:4: error[CMP005] b: tag !!python/name:os.system is not allowed",
            TAG_HINT,
        ]
    )
    assert not marker.exists()


def test_every_unknown_tag_is_reported_at_its_node(write: Write, fails: Fails) -> None:
    path = one_file(
        write,
        "a: !Ref x\nb: !!binary aGk=\nc: !!set {x}\nd: !!timestamp 2020-01-01\n"
        "e:\n  - !!omap [{a: 1}]\n",
    )
    assert fails(path) == "\n".join(
        [
            "composer.yaml:1:4: error[CMP005] a: tag !Ref is not allowed",
            TAG_HINT,
            "composer.yaml:2:4: error[CMP005] b: tag !!binary is not allowed",
            TAG_HINT,
            "composer.yaml:3:4: error[CMP005] c: tag !!set is not allowed",
            TAG_HINT,
            "composer.yaml:4:4: error[CMP005] d: tag !!timestamp is not allowed",
            TAG_HINT,
            "composer.yaml:6:5: error[CMP005] e[0]: tag !!omap is not allowed",
            TAG_HINT,
        ]
    )


def test_core_tags_and_implicit_scalars_build_plain_values(write: Write, loads: Loads) -> None:
    path = one_file(
        write,
        "s: !!str 12\ni: !!int '12'\nf: 1.5\nb: true\nn: ~\nm: !!map {x: 1}\nq: !!seq [1]\n"
        "date: 2020-01-01\nhex: 0x1f\nold: yes\nplain: ! 12\n",
    )
    assert loads(path).data == {
        "s": "12",
        "i": 12,
        "f": 1.5,
        "b": True,
        "n": None,
        "m": {"x": 1},
        "q": [1],
        "date": "2020-01-01",
        "hex": 31,
        "old": True,
        "plain": "12",
    }


def test_an_explicit_tag_that_does_not_fit_its_value_is_refused(write: Write, fails: Fails) -> None:
    assert fails(one_file(write, "a: !!int abc\nb: !!str [1]\n")) == "\n".join(
        [
            "composer.yaml:1:4: error[CMP005] a: 'abc' cannot be read as !!int",
            "composer.yaml:2:4: error[CMP005] b: tag !!str is not allowed",
            TAG_HINT,
        ]
    )


def test_duplicate_keys_name_both_positions(write: Write, fails: Fails) -> None:
    path = one_file(write, "a: 1\nm:\n  x: 1\n  y: 2\n  x: 3\na: 2\n")
    hint = "  hint: a key may appear once per mapping; remove or rename one of them"
    assert fails(path) == "\n".join(
        [
            "composer.yaml:5:3: error[CMP006] m.x: duplicate key 'x', first defined at"
            " composer.yaml:3:3",
            hint,
            "composer.yaml:6:1: error[CMP006] a: duplicate key 'a', first defined at"
            " composer.yaml:1:1",
            hint,
        ]
    )


def test_an_explicit_key_overrides_a_merged_key_without_being_a_duplicate(
    write: Write, loads: Loads
) -> None:
    path = one_file(
        write,
        "base: &base {x: 1, y: 2}\nmore: &more {y: 3, z: 4}\nm:\n  <<: [*base, *more]\n  x: 9\n",
    )
    raw = loads(path)
    assert raw.data["m"] == {"y": 2, "z": 4, "x": 9}
    assert raw.positions[("m", "y")] == Position("composer.yaml", 1, 23)
    assert raw.positions[("m", "x")] == Position("composer.yaml", 5, 6)
    assert raw.key_positions[("m", "z")] == Position("composer.yaml", 2, 20)


def test_a_merge_key_needs_a_mapping(write: Write, fails: Fails) -> None:
    assert fails(one_file(write, "m:\n  <<: 3\n")) == (
        "composer.yaml:2:7: error[CMP003] m: a merge key '<<' takes a mapping or a list of"
        " mappings\n  hint: write '<<: *anchor' where &anchor names a mapping"
    )


def test_keys_that_are_not_strings_ask_to_be_quoted(write: Write, fails: Fails) -> None:
    path = one_file(write, "1: a\nnull: b\nm:\n  on: c\n? [x]\n: d\n'2': ok\n")
    assert fails(path) == "\n".join(
        [
            "composer.yaml:1:1: error[CMP025] key '1' is read as an int, not a string",
            "  hint: quote the key: '1':",
            "composer.yaml:2:1: error[CMP025] key 'null' is read as null, not a string",
            "  hint: quote the key: 'null':",
            "composer.yaml:4:3: error[CMP025] m: key 'on' is read as a boolean, not a string",
            "  hint: quote the key: 'on':",
            "composer.yaml:5:3: error[CMP025] a list cannot be a key",
            "  hint: keys are plain names such as 'models' or 'Todo'",
        ]
    )


def test_a_second_document_is_refused(write: Write, fails: Fails) -> None:
    assert fails(one_file(write, "a: 1\n---\nb: 2\n")) == (
        "composer.yaml:2:1: error[CMP007] a second YAML document starts here; a manifest file"
        " holds one document\n"
        "  hint: remove the '---' separator, or split the documents into separate files"
    )


@pytest.mark.parametrize("text", ["a:\n\tb: 1\n", "a: 1\n\tb: 2\n"])
def test_a_tab_used_as_indentation_is_named(write: Write, fails: Fails, text: str) -> None:
    assert fails(one_file(write, text)) == (
        "composer.yaml:2:1: error[CMP008] a tab character is used for indentation\n"
        "  hint: YAML indents with spaces only; replace the tab with spaces"
    )


def test_bytes_that_are_not_utf8_are_located(write: Write, fails: Fails) -> None:
    assert fails(one_file(write, "a: 1\nb: café\n".encode("latin-1"))) == (
        "composer.yaml:2:7: error[CMP009] byte 0xe9 is not valid UTF-8\n"
        "  hint: save the file as UTF-8"
    )


def test_a_utf8_byte_order_mark_is_accepted(write: Write, loads: Loads) -> None:
    raw = loads(one_file(write, "\ufeffname: café\n".encode()))
    assert raw.data == {"name": "café"}
    assert raw.positions[("name",)] == Position("composer.yaml", 1, 7)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n", "\n\n"])
def test_an_empty_file_is_refused(write: Write, fails: Fails, text: str) -> None:
    assert fails(one_file(write, text)) == (
        "composer.yaml: error[CMP010] the file is empty\n"
        "  hint: add top-level sections, or delete the file"
    )


@pytest.mark.parametrize(
    ("text", "kind"), [("- a\n", "a list"), ("hello\n", "a string"), ("42\n", "an int")]
)
def test_a_root_that_is_not_a_mapping_is_refused(
    write: Write, fails: Fails, text: str, kind: str
) -> None:
    assert fails(one_file(write, text)) == (
        f"composer.yaml:1:1: error[CMP011] the file must hold a mapping of sections, not {kind}\n"
        "  hint: start with top-level keys such as 'apiVersion: composer/v1'"
    )


def test_a_syntax_error_carries_the_parser_problem_and_mark(write: Write, fails: Fails) -> None:
    assert fails(one_file(write, "a: b: c\n")) == (
        "composer.yaml:1:5: error[CMP003] mapping values are not allowed in this context"
        if _libyaml()
        else "composer.yaml:1:5: error[CMP003] mapping values are not allowed here"
    )


def test_a_control_character_is_located(write: Write, fails: Fails) -> None:
    reason = "control" if _libyaml() else "special"
    assert fails(one_file(write, "a: é\x01\n")) == (
        "composer.yaml:1:5: error[CMP003] character #x0001 is not allowed in YAML"
        f" ({reason} characters are not allowed)"
    )


def test_an_alias_without_an_anchor_is_a_syntax_error(write: Write, fails: Fails) -> None:
    assert fails(one_file(write, "a: *nope\n")) == (
        "composer.yaml:1:4: error[CMP003] alias *nope has no anchor &nope"
    )


BILLION_LAUGHS = "".join(
    [
        "apiVersion: composer/v1\n",
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
        *(
            f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]\n"
            for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)


def test_a_billion_laughs_file_fails_fast_before_expanding(write: Write, fails: Fails) -> None:
    path = one_file(write, BILLION_LAUGHS)
    started = time.perf_counter()
    rendered = fails(path)
    assert time.perf_counter() - started < 0.5
    assert rendered == (
        "composer.yaml:7:4: error[CMP012] this value expands to more than 200000 values once"
        " aliases are followed\n  hint: a YAML alias bomb? use fewer or smaller aliases"
    )


def test_too_many_aliases_are_refused(write: Write, fails: Fails) -> None:
    path = one_file(write, "a: &a 1\nb: [" + ", ".join(["*a"] * 5) + "]\n")
    assert fails(path, limits=Limits(max_aliases=4)) == (
        "composer.yaml:2:21: error[CMP012] more than 4 aliases"
    )


def test_a_recursive_alias_is_refused_without_hanging(write: Write, fails: Fails) -> None:
    assert fails(one_file(write, "a: &a [1, {b: *a}]\n")) == (
        "composer.yaml:1:15: error[CMP012] alias *a refers to a node that contains it"
        " (a recursive alias)"
    )


def test_nesting_deeper_than_the_limit_is_refused_while_parsing(write: Write, fails: Fails) -> None:
    path = one_file(write, "a: " + "[" * 200_000 + "\n")
    assert fails(path) == "composer.yaml:1:67: error[CMP013] nested more than 64 levels deep"


def test_nesting_through_aliases_counts_the_expanded_depth(write: Write, fails: Fails) -> None:
    path = one_file(write, "a: &a [[[1]]]\nb: [[[*a]]]\n")
    assert fails(path, limits=Limits(max_depth=5)) == (
        "composer.yaml:2:4: error[CMP013] nested more than 5 levels deep once aliases are followed"
    )


def test_a_file_larger_than_the_limit_is_refused_before_reading(write: Write, fails: Fails) -> None:
    path = one_file(write, "a: " + "x" * 100 + "\n")
    assert fails(path, limits=Limits(max_file_bytes=64)) == (
        "composer.yaml: error[CMP014] file is larger than 64 bytes\n"
        "  hint: split it into several files in the project folder"
    )


def test_positions_are_kept_for_every_value_and_key(write: Write, loads: Loads) -> None:
    path = one_file(write, "models:\n  Todo:\n    acls:\n      - {permission: ALLOW}\n")
    raw = loads(path)
    assert raw.positions[("models", "Todo", "acls", 0, "permission")] == Position(
        "composer.yaml", 4, 22
    )
    assert raw.key_positions[("models", "Todo", "acls", 0, "permission")] == Position(
        "composer.yaml", 4, 10
    )
    assert raw.positions[("models", "Todo", "acls", 0)] == Position("composer.yaml", 4, 9)
    assert raw.positions[()] == Position("composer.yaml", 1, 1)


def test_the_pure_python_loader_gives_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    from composer.manifest import yaml_parser

    monkeypatch.setattr(yaml_parser, "_LOADER", yaml.SafeLoader)
    text = "a: &x {b: [1, 2]}\nc:\n  <<: *x\n  d: ${X}\n"
    assert parse_yaml(text, "f.yaml", Limits()).data == {
        "a": {"b": [1, 2]},
        "c": {"b": [1, 2], "d": "${X}"},
    }
    with pytest.raises(ManifestError) as caught:
        parse_yaml("a:\n\tb: 1\n", "f.yaml", Limits())
    assert caught.value.issues[0].code == "CMP008"
    with pytest.raises(ManifestError) as caught:
        parse_yaml("a: é\x01\n", "f.yaml", Limits())
    assert caught.value.render() == (
        "f.yaml:1:5: error[CMP003] character #x0001 is not allowed in YAML"
        " (special characters are not allowed)"
    )


def _libyaml() -> bool:
    from composer.manifest import yaml_parser

    return yaml_parser._LOADER is not __import__("yaml").SafeLoader


def test_load_reads_a_single_file_without_its_siblings(write: Write, loads: Loads) -> None:
    root = write({"app.yaml": "name: a\n", "other.yaml": "models: {A: {}}\n"})
    raw = load(root / "app.yaml", env={})
    assert raw.data == {"name": "a"}
    assert raw.files == (root / "app.yaml",)
    assert raw.root_file == root / "app.yaml"
