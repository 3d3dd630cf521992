"""The portable regexp subset: what is accepted, what is refused, and identical matches.

The last tests run every pattern on real PostgreSQL and MariaDB and compare
with RE2; they skip when a server is unreachable (and fail under CI=true).
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator

import pytest

from composer.repository.query import Regexp
from composer.repository.regexp import RegexpError, compile_regexp
from tests.integration.conftest import MARIADB, POSTGRESQL, require_server


def matches(pattern: str, flags: str, text: str) -> bool:
    return compile_regexp(pattern, frozenset(flags)).re2.search(text) is not None


# flag semantics, pinned (the engine tests below check every engine against these) ------

SEMANTICS = [
    # anchors without m: the very start and the very end (not before a final newline)
    ("^a", "", "a\nb", True),
    ("^b", "", "a\nb", False),
    ("a$", "", "b\na", True),
    ("a$", "", "a\n", False),
    # m: ^ and $ at every line, lines end at \n only
    ("^b", "m", "a\nb", True),
    ("a$", "m", "a\nb", True),
    ("^$", "m", "a\n", True),
    ("a$", "m", "a\rb", False),
    # . is any character but \n; s lets it match \n too
    ("a.b", "", "a\nb", False),
    ("a.b", "", "a\rb", True),
    ("a.b", "s", "a\nb", True),
    ("^.$", "", "😀", True),
    # negated classes always match \n
    ("a[^x]b", "", "a\nb", True),
    # i folds case, Unicode one-to-one included; \w stays ASCII
    ("^straße$", "i", "STRAßE", True),
    ("^é$", "i", "É", True),
    ("\u03c3", "i", "ς", True),
    ("k", "i", "\u212a", True),
    ("^\\w$", "i", "\u212a", False),
    ("^[a-c]+$", "i", "AbC", True),
    ("[^a]", "i", "A", False),
    # \d \w \s are ASCII everywhere
    ("\\d", "", "٣", False),
    ("^\\w+$", "", "héllo", False),
    ("\\s", "", "\u00a0", False),
    ("\\s", "", "\v", True),
    # \b is an ASCII word boundary
    ("\\bfoo\\b", "", "a foo.", True),
    ("\\bfoo\\b", "", "foobar", False),
    ("\\Boo", "", "foo", True),
    ("\\bé", "", "é", False),
    # lazy quantifiers match the same rows
    ("a+?b", "", "aab", True),
    ("", "", "anything", True),
]


@pytest.mark.parametrize(("pattern", "flags", "text", "expected"), SEMANTICS)
def test_flag_semantics_on_re2(pattern: str, flags: str, text: str, expected: bool) -> None:
    assert matches(pattern, flags, text) is expected


# accepted forms and their spelling ------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "flags", "postgresql", "mysql", "re2"),
    [
        ("^T", "", "\\AT", "\\AT", "\\AT"),
        ("a$", "", "a\\Z", "a\\z", "a\\z"),
        ("^a$", "m", "(?<![^\\n])a(?![^\\n])", "(?<![^\\n])a(?![^\\n])", "(?m:^)a(?m:$)"),
        ("a.b", "", "a[^\\n]b", "a[^\\n]b", "a[^\\n]b"),
        ("a.b", "s", "a.b", "a[\\s\\S]b", "a[\\s\\S]b"),
        ("(ab|c)+", "", "(?:(?:ab|c))+", "(?:(?:ab|c))+", "(?:(?:ab|c))+"),
        ("(?:x)*?", "", "(?:x)*", "(?:x)*", "(?:x)*"),
        ("x{2,5}y{3}z{1,}z{4,}", "", "x{2,5}y{3}z+z{4,}", "x{2,5}y{3}z+z{4,}", "x{2,5}y{3}z+z{4,}"),
        ("[^a-c\\d_]", "", "[^0-9_a-c]", "[^0-9_a-c]", "[^0-9_a-c]"),
        ("\\d\\W", "", "[0-9][^0-9A-Z_a-z]", "[0-9][^0-9A-Z_a-z]", "[0-9][^0-9A-Z_a-z]"),
        ("\\.\\/\\$", "", "\\.\\/\\$", "\\.\\/\\$", "\\.\\/\\$"),
        ("a{,2}}]", "", "a\\{\\,2\\}\\}\\]", "a\\{\\,2\\}\\}\\]", "a\\{\\,2\\}\\}\\]"),
        ("\\x41\\u00e9\\uD83D\\uDE00\\t", "", "Aé😀\\t", "Aé😀\\t", "Aé😀\\t"),
        ("[\\]a-]", "", "[\\-\\]a]", "[\\-\\]a]", "[\\-\\]a]"),
        ("Ab", "i", "[Aa][Bb]", "[Aa][Bb]", "[Aa][Bb]"),
        ("", "", "(?:)", "(?:)", "(?:)"),
        ("a|", "", "(?:a|)", "(?:a|)", "(?:a|)"),
        (
            "\\b",
            "",
            "(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))",
            "(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))",
            "\\b",
        ),
    ],
)
def test_each_engine_gets_its_spelling(
    pattern: str, flags: str, postgresql: str, mysql: str, re2: str
) -> None:
    compiled = compile_regexp(pattern, frozenset(flags))
    assert compiled.postgresql == ("~", postgresql)
    assert compiled.mysql == mysql
    assert compiled.re2.pattern == re2


def test_a_regexp_compiles_once_and_keeps_its_value_semantics() -> None:
    first = Regexp("^a", frozenset({"i"}))
    assert first.for_re2() is first.for_re2()
    assert first == Regexp("^a", frozenset({"i"}))
    assert hash(first) == hash(Regexp("^a", frozenset({"i"})))
    assert first.for_mysql() == "\\A[Aa]"


# refused constructs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(a)\\1", 'a back-reference "\\1" is not supported (at 3)'),
        ("\\k<x>", 'a named back-reference "\\k" is not supported (at 0)'),
        ("a(?=b)", 'look-ahead "(?=" is not supported (at 1)'),
        ("a(?!b)", 'look-ahead "(?!" is not supported (at 1)'),
        ("(?<=a)b", 'look-behind "(?<=" is not supported (at 0)'),
        ("(?<!a)b", 'look-behind "(?<!" is not supported (at 0)'),
        ("(?<n>a)", 'a named group "(?<name>" is not supported (at 0)'),
        ("(?P<n>a)", 'a named group "(?<name>" is not supported (at 0)'),
        ("(?>a)", 'an atomic group "(?>" is not supported (at 0)'),
        ("(?i)a", 'inline flags "(?flags)" are not supported: write /pattern/flags (at 0)'),
        ("(?-i:a)", 'inline flags "(?flags)" are not supported: write /pattern/flags (at 0)'),
        ("(?#c)", '"(?#" is not supported (at 0)'),
        ("a*+", "a possessive quantifier is not supported (at 2)"),
        ("a**", "nothing to repeat (at 2)"),
        ("a{2}{3}", "nothing to repeat (at 4)"),
        ("*a", "nothing to repeat (at 0)"),
        ("{2}", "nothing to repeat (at 0)"),
        ("^*", "a quantifier after an anchor is not supported (at 0)"),
        ("\\b+", "a quantifier after an anchor is not supported (at 0)"),
        ("a{256}", "a repetition count above 255 is not supported (at 1)"),
        ("a{3,2}", "numbers out of order in {} quantifier (at 1)"),
        ("[]", "an empty class is not supported (at 0)"),
        ("[^]", "an empty class is not supported (at 0)"),
        ("[abc", 'missing "]" (at 0)'),
        ("[z-a]", "range out of order in character class (at 1)"),
        ("[\\d-z]x[a-\\d]", "a class escape cannot end a range (at 8)"),
        ("[[:alpha:]]", 'a POSIX class "[:" is not supported (at 1)'),
        ("[\\W]", '"\\W" inside a class is not supported (at 1)'),
        ("[\\b]", 'a backspace escape "\\b" is not supported (at 1)'),
        ("(a", 'missing ")" (at 0)'),
        ("a)", 'unmatched ")" (at 1)'),
        ("a\\", "a pattern cannot end with a backslash (at 1)"),
        ("\\p{L}", 'a Unicode property "\\p" is not supported (at 0)'),
        ("\\Aa\\z", 'an anchor escape "\\A" is not supported (at 0)'),
        ("\\cJ", 'a control escape "\\c" is not supported (at 0)'),
        ("\\q", 'an unknown escape "\\q" is not supported (at 0)'),
        ("\\xZZ", "a malformed \\x escape (at 0)"),
        ("\\u12", "a malformed \\u escape (at 0)"),
        ("\\uD800", "a lone surrogate is not supported (at 0)"),
        ("\\0", 'a NUL character "\\0" is not supported (at 0)'),
        ("\\x00", "a NUL character is not supported (at 0)"),
        ("a\x00", "a NUL character is not supported (at 1)"),
        ("(" * 33 + ")" * 33, "groups nested deeper than 32 are not supported (at 32)"),
    ],
)
def test_constructs_outside_the_subset_are_named(pattern: str, message: str) -> None:
    with pytest.raises(RegexpError) as caught:
        compile_regexp(pattern)
    assert str(caught.value) == message


def test_a_long_pattern_is_refused() -> None:
    with pytest.raises(RegexpError, match=r"^pattern is longer than 1000 characters$"):
        compile_regexp("a" * 1001)


def test_a_pattern_that_expands_too_far_is_refused() -> None:
    with pytest.raises(RegexpError, match=r"^pattern expands to more than 1000 items$"):
        compile_regexp("(?:a{100}){11}")
    assert matches("(?:a{100}){10}", "", "a" * 1000)


def test_unknown_flags_are_refused() -> None:
    with pytest.raises(RegexpError, match=r"^unsupported flags: gu$"):
        compile_regexp("a", frozenset({"g", "u"}))


def test_redos_patterns_run_in_linear_time() -> None:
    assert not matches("^(a+)+$", "", "a" * 50_000 + "!")
    assert not matches("^(a|a)*$", "i", "a" * 50_000 + "!")


# every engine agrees --------------------------------------------------------------

PATTERNS = [
    "^a",
    "a$",
    "^a$",
    "^$",
    "a.b",
    "^.*$",
    "\\bfoo\\b",
    "\\Bo",
    "[^a]",
    "[a-c]+",
    "\\d+",
    "\\w+",
    "\\s",
    "\\S+",
    "\\D",
    "\\W",
    "(ab|cd)*e",
    "a{2}",
    "a{2,}",
    "a{1,2}b",
    "x?y",
    "^(a|)$",
    "",
    "()*",
    "Straße",
    "\u017f",
    "k",
    "\u03c3",
    "é",
    "[à-ÿ]",
    "[^\\n]",
    ".",
    "^\\.$",
    "\\/",
    "[\\]]",
    "[-a]",
    "a|",
    "^[A-Z]",
    "^$|^a",
    "b$",
    "\\x41",
    "^\\s*$",
    "[\\s\\d]",
    "😀",
    "^.$",
    "^..$",
    "a\\b",
    "\\b",
    "\\B",
    "^[^\\w\\s]+$",
]
FLAG_SETS = ["", "i", "m", "s", "ims"]
SUBJECTS = [
    "a",
    "A",
    "b",
    "ab",
    "a\nb",
    "b\na",
    "a\n",
    "\na",
    "",
    "\n",
    "foo",
    "a foo b",
    "foo_bar",
    "FOO",
    "aa",
    "aaa",
    "abe",
    "cdabe",
    "xy",
    "y",
    "STRASSE",
    "Straße",
    "STRAßE",
    "\u017f",
    "S",
    "K",
    "\u212a",
    "Σ",
    "ς",
    "É",
    "é",
    "À",
    "ÿ",
    "Ÿ",
    ".",
    "/",
    "]",
    "-",
    "123",
    "\t",
    "\v",
    "\u00a0",
    "😀",
    "e\u0301",
    "x\ny\n",
    "a\rb",
    "!?",
    "٣",
]


def cases() -> list[tuple[str, str, str, bool]]:
    found = [
        (pattern, flags, text, matches(pattern, flags, text))
        for pattern, flags in itertools.product(PATTERNS, FLAG_SETS)
        for text in SUBJECTS
    ]
    return found + SEMANTICS


def by_pattern() -> dict[tuple[str, str], list[tuple[str, bool]]]:
    grouped: dict[tuple[str, str], list[tuple[str, bool]]] = {}
    for pattern, flags, text, expected in cases():
        grouped.setdefault((pattern, flags), []).append((text, expected))
    return grouped


@pytest.fixture
async def postgresql_connection() -> AsyncIterator[object]:
    require_server("PostgreSQL", POSTGRESQL)
    import asyncpg

    connection = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
async def mariadb_connection() -> AsyncIterator[object]:
    require_server("MariaDB", MARIADB)
    import aiomysql

    connection = await aiomysql.connect(
        host="127.0.0.1", port=3306, user="root", password="", db="test", charset="utf8mb4"
    )
    try:
        yield connection
    finally:
        connection.close()


async def test_postgresql_matches_what_re2_matches(postgresql_connection: object) -> None:
    connection = postgresql_connection
    differences = []
    for (pattern, flags), expected in by_pattern().items():
        operator, text = compile_regexp(pattern, frozenset(flags)).postgresql
        subjects = [subject for subject, _ in expected]
        rows = await connection.fetch(  # type: ignore[attr-defined]
            f"SELECT s {operator} $1 AS m FROM unnest($2::text[]) WITH ORDINALITY AS t(s, n) "
            "ORDER BY n",
            text,
            subjects,
        )
        for (subject, want), row in zip(expected, rows, strict=True):
            if row["m"] is not want:
                differences.append((pattern, flags, subject, want))
    assert differences == []


async def test_mariadb_matches_what_re2_matches(mariadb_connection: object) -> None:
    differences = []
    async with mariadb_connection.cursor() as cursor:  # type: ignore[attr-defined]
        for (pattern, flags), expected in by_pattern().items():
            text = compile_regexp(pattern, frozenset(flags)).mysql
            tests = ", ".join(
                "CAST(%s AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_bin REGEXP %s"
                for _ in expected
            )
            arguments = [value for subject, _ in expected for value in (subject, text)]
            await cursor.execute(f"SELECT {tests}", arguments)
            (row,) = await cursor.fetchall()
            for (subject, want), got in zip(expected, row, strict=True):
                if bool(got) is not want:
                    differences.append((pattern, flags, subject, want))
    assert differences == []


def test_the_case_table_built_at_import_is_every_one_to_one_case_folding() -> None:
    from composer.repository import regexp_syntax

    groups: dict[str, list[int]] = {}
    for code in range(0x1F000):
        if not 0xD800 <= code <= 0xDFFF and len(folded := chr(code).casefold()) == 1:
            groups.setdefault(folded, []).append(code)
    variants = {code: tuple(group) for group in groups.values() if len(group) > 1 for code in group}
    assert variants == regexp_syntax._VARIANTS
    assert sorted(variants) == regexp_syntax._CASED
    assert variants[ord("k")] == (ord("K"), ord("k"), 0x212A)  # KELVIN SIGN
