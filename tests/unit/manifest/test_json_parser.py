"""Strict JSON with positions: duplicates, syntax errors, bounds."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer.errors import Position
from composer.manifest import Limits

from .conftest import Fails, Loads, Write


def one_file(write: Write, text: str | bytes, name: str = "composer.json") -> Path:
    return write({name: text}) / name


def test_json_values_and_keys_keep_their_positions(write: Write, loads: Loads) -> None:
    path = one_file(
        write,
        '{\n  "name": "todo",\n'
        '  "models": {"Todo": {"n": [1, 2.5, -3e2, true, null, "\\u00e9"]}}\n}\n',
    )
    raw = loads(path)
    assert raw.data == {
        "name": "todo",
        "models": {"Todo": {"n": [1, 2.5, -300.0, True, None, "é"]}},
    }
    assert raw.positions[("name",)] == Position("composer.json", 2, 11)
    assert raw.key_positions[("models", "Todo")] == Position("composer.json", 3, 14)
    assert raw.positions[("models", "Todo", "n", 2)] == Position("composer.json", 3, 37)


def test_duplicate_json_keys_name_both_positions(write: Write, fails: Fails) -> None:
    path = one_file(write, '{"a": 1,\n "m": {"x": 1, "x": {"y": 2}},\n "a": 3}\n')
    hint = "  hint: a key may appear once per object; remove or rename one of them"
    assert fails(path) == "\n".join(
        [
            "composer.json:2:16: error[CMP006] m.x: duplicate key 'x', first defined at"
            " composer.json:2:8",
            hint,
            "composer.json:3:2: error[CMP006] a: duplicate key 'a', first defined at"
            " composer.json:1:2",
            hint,
        ]
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1,}', "1:9: error[CMP004] trailing comma before '}'"),
        ('{"a": [1,]}', "1:10: error[CMP004] trailing comma before ']'"),
        ('{"a": NaN}', "1:7: error[CMP004] expected a value, found 'N'"),
        ('{"a": Infinity}', "1:7: error[CMP004] expected a value, found 'I'"),
        (
            '{"a": 1 // note\n}',
            "1:9: error[CMP004] expected ',' or '}', found a comment (JSON has none)",
        ),
        ("{'a': 1}", '1:2: error[CMP004] expected a quoted key, found "\'"'),
        ('{"a" 1}', "1:6: error[CMP004] expected ':' after the key, found '1'"),
        ('{"a": "x\ny"}', "1:9: error[CMP004] invalid control character"),
        ('{"a": "x', "1:7: error[CMP004] unterminated string"),
        ('{"a": 1} {}', "1:10: error[CMP004] unexpected '{' after the top-level value"),
        ('{"a": 01}', "1:8: error[CMP004] expected ',' or '}', found '1'"),
        ('{"a": [1 2]}', "1:10: error[CMP004] expected ',' or ']', found '2'"),
        ('{"a": ', "1:7: error[CMP004] expected a value, found the end of the file"),
        ('{"a": "\\q"}', "1:8: error[CMP004] invalid \\escape"),
    ],
)
def test_json_syntax_errors_are_located(
    write: Write, fails: Fails, text: str, message: str
) -> None:
    assert fails(one_file(write, text)) == f"composer.json:{message}"


def test_an_empty_json_file_is_refused(write: Write, fails: Fails) -> None:
    assert fails(one_file(write, " \n")) == (
        "composer.json: error[CMP010] the file is empty\n"
        "  hint: add top-level sections, or delete the file"
    )


def test_a_json_root_that_is_not_an_object_is_refused(write: Write, fails: Fails) -> None:
    assert fails(one_file(write, "\n [1]")) == (
        "composer.json:2:2: error[CMP011] the file must hold an object of sections, not a list\n"
        '  hint: start with top-level keys such as {"apiVersion": "composer/v1"}'
    )


def test_hostile_json_nesting_stops_at_the_depth_bound(write: Write, fails: Fails) -> None:
    path = one_file(write, '{"a": ' + "[" * 500_000)
    assert fails(path) == "composer.json:1:70: error[CMP013] nested more than 64 levels deep"


def test_json_value_count_is_bounded(write: Write, fails: Fails) -> None:
    path = one_file(write, '{"a": [1, 2, 3, 4]}')
    assert fails(path, limits=Limits(max_nodes=4)) == (
        "composer.json:1:14: error[CMP012] more than 4 values"
    )


def test_json_that_is_not_utf8_is_located(write: Write, fails: Fails) -> None:
    assert fails(one_file(write, b'{\n  "a": "\xff"}')) == (
        "composer.json:2:9: error[CMP009] byte 0xff is not valid UTF-8\n"
        "  hint: save the file as UTF-8"
    )


def test_a_number_with_too_many_digits_is_refused(write: Write, fails: Fails) -> None:
    assert fails(one_file(write, '{"a": ' + "9" * 5000 + "}")) == (
        "composer.json:1:7: error[CMP004] number has too many digits"
    )
