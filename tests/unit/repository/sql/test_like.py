"""LIKE patterns rewritten for LIKE ... ESCAPE and for SQLite's GLOB."""

from __future__ import annotations

import pytest

from composer.repository.sql.like import glob_pattern, like_pattern


@pytest.mark.parametrize(
    ("pattern", "like", "glob"),
    [
        ("abc", "abc", "abc"),
        ("a%b_c", "a%b_c", "a*b?c"),
        ("50\\%", "50\\%", "50%"),
        ("a\\_b", "a\\_b", "a_b"),
        ("back\\\\slash", "back\\\\slash", "back\\slash"),
        ("trailing\\", "trailing\\\\", "trailing\\"),
        ("\\x", "x", "x"),
        ("*?[]", "*?[]", "[*][?][[]]"),
        ("ünï_%", "ünï_%", "ünï?*"),
    ],
)
def test_like_patterns_are_rewritten_with_one_meaning(pattern: str, like: str, glob: str) -> None:
    assert like_pattern(pattern) == like
    assert glob_pattern(pattern) == glob
