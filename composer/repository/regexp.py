"""Portable regular expressions: one pattern, the same matches on every backend.

A ``regexp`` filter is written in JavaScript syntax (``'^T'`` or
``'/^t/i'``) and must stay inside a subset that RE2 (the memory backend and
SQLite), PostgreSQL's AREs and MySQL/MariaDB (ICU / PCRE2) can all run with
the same result. :func:`compile_regexp` parses a pattern into a small tree,
refuses anything outside the subset (naming the construct and its position)
and writes the tree back out once per engine, spelling every construct in a
form whose meaning does not depend on the engine or its settings:

- literals, ``.``, classes (``[a-z]``, ``[^,]``), groups ``(...)`` and
  ``(?:...)``, alternation ``|``, quantifiers ``* + ? {n} {n,} {n,m}``
  (at most 255; a lazy ``?`` suffix is accepted: it never changes *whether*
  a pattern matches), anchors ``^ $``, ``\\b \\B``;
- escapes: a backslash before any punctuation, ``\\n \\r \\t \\f \\v``,
  ``\\xhh``, ``\\uhhhh``, and ``\\d \\w \\s`` (ASCII: ``[0-9]``,
  ``[0-9A-Za-z_]``, ``[\\t\\n\\v\\f\\r ]``) with their negations ``\\D \\W
  \\S`` (outside classes only);
- refused: back-references, look-around, named groups, inline flags
  ``(?i)``, atomic groups, possessive quantifiers, POSIX classes ``[:alpha:]``,
  Unicode properties ``\\p{..}``, ``\\A \\z \\G \\K``, empty classes ``[]``
  and ``[^]``, NUL characters, patterns over 1000 characters or whose
  repetitions expand past 1000 items.

Flags: ``i`` folds case (Unicode one-to-one case folding, by spelling every
letter as the class of its case variants, so no engine's locale is
involved; ``\\d \\w \\s`` stay ASCII); ``m`` makes ``^``/``$`` match at the
start/end of every line (lines end at ``\\n`` only); ``s`` lets ``.`` match
``\\n`` (without it ``.`` is any character but ``\\n``).

>>> compiled = compile_regexp("^to.?do$", frozenset({"i"}))
>>> compiled.postgresql
('~', '\\\\A[Tt][Oo][^\\\\n]?[Dd][Oo]\\\\Z')
>>> compiled.re2.search("ToDo") is not None
True
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Literal

import re2

from composer.repository.regexp_syntax import (
    MAX_PATTERN_LENGTH,
    MAX_REPEAT,
    MAX_SIZE,
    Alt,
    Anchor,
    CharSet,
    Dot,
    Group,
    Node,
    RegexpError,
    Seq,
    parse_pattern,
)

__all__ = [
    "FLAGS",
    "MAX_PATTERN_LENGTH",
    "MAX_REPEAT",
    "MAX_SIZE",
    "PortableRegexp",
    "RegexpError",
    "compile_regexp",
]

#: the flags a pattern may carry
FLAGS = frozenset("ims")

Engine = Literal["re2", "postgresql", "mysql"]


@dataclass(frozen=True, slots=True)
class PortableRegexp:
    """One pattern spelled for each engine (see :func:`compile_regexp`)."""

    #: a compiled google-re2 pattern; ``.search(text)`` tests a value
    re2: Any
    #: (operator, pattern) for PostgreSQL: ``column ~ pattern``
    postgresql: tuple[str, str]
    #: the pattern for MySQL/MariaDB ``REGEXP`` over a case-sensitive utf8mb4 value
    mysql: str


def compile_regexp(pattern: str, flags: frozenset[str] = frozenset()) -> PortableRegexp:
    """Validate ``pattern`` and spell it for RE2, PostgreSQL and MySQL/MariaDB.

    >>> compile_regexp("a(?=b)")
    Traceback (most recent call last):
      ...
    composer.repository.regexp_syntax.RegexpError: look-ahead "(?=" is not supported (at 1)

    The MySQL/MariaDB pattern must be applied to a utf8mb4 value with a
    case-sensitive (``_bin``) collation: a case-insensitive collation would
    fold case for every pattern.
    """
    unknown = flags - FLAGS
    if unknown:
        raise RegexpError(f"unsupported flags: {''.join(sorted(unknown))}")
    tree = parse_pattern(pattern, fold="i" in flags)
    texts = {
        engine: _Writer(engine, flags).write(tree) for engine in ("re2", "postgresql", "mysql")
    }
    options = re2.Options()
    options.log_errors = False
    try:
        compiled = re2.compile(texts["re2"], options)
    except re2.error as exc:  # a limit of RE2's we did not foresee: refuse the pattern
        raise RegexpError(f"pattern is too complex ({exc})") from None
    return PortableRegexp(compiled, ("~", texts["postgresql"]), texts["mysql"])


_PUNCTUATION = frozenset(string.punctuation) - {"_"}
_ESCAPED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\f": "\\f"}
_W = "[0-9A-Za-z_]"
_ANCHORS: dict[tuple[str, bool], str] = {
    ("start", False): "\\A",
    ("start", True): "(?<![^\\n])",
    ("end", False): "\\z",
    ("end", True): "(?![^\\n])",
    ("boundary", False): f"(?:(?<={_W})(?!{_W})|(?<!{_W})(?={_W}))",
    ("not-boundary", False): f"(?:(?<={_W})(?={_W})|(?<!{_W})(?!{_W}))",
}
# RE2 has no look-behind: its own spellings mean the same
_RE2_ANCHORS: dict[tuple[str, bool], str] = {
    ("start", True): "(?m:^)",
    ("end", True): "(?m:$)",
    ("boundary", False): "\\b",
    ("not-boundary", False): "\\B",
}


def _char(code: int) -> str:
    char = chr(code)
    if char in _PUNCTUATION:
        return "\\" + char
    return _ESCAPED.get(char, char)


class _Writer:
    """Spells a tree for one engine; ``flags`` decide ``.``, ``^`` and ``$``."""

    def __init__(self, engine: Engine, flags: frozenset[str]) -> None:
        self.engine = engine
        self.multiline = "m" in flags
        self.dotall = "s" in flags

    def write(self, node: Node) -> str:
        text = self.node(node)
        return text or "(?:)"

    def node(self, node: Node) -> str:
        if isinstance(node, CharSet):
            return self.set(node)
        if isinstance(node, Dot):
            if not self.dotall:
                return "[^\\n]"
            return "." if self.engine == "postgresql" else "[\\s\\S]"
        if isinstance(node, Anchor):
            return self.anchor(node)
        if isinstance(node, Seq):
            return "".join(self.node(item) for item in node.items)
        if isinstance(node, Alt):
            return "(?:" + "|".join(self.node(branch) for branch in node.branches) + ")"
        if isinstance(node, Group):
            return "(?:" + self.node(node.body) + ")"
        body = self.node(node.body)
        if isinstance(node.body, Seq | Alt) or body == "":
            body = f"(?:{body})"
        return body + _quantifier(node.low, node.high)

    def anchor(self, node: Anchor) -> str:
        key = (node.kind, self.multiline and node.kind in ("start", "end"))
        if self.engine == "re2" and key in _RE2_ANCHORS:
            return _RE2_ANCHORS[key]
        if self.engine == "postgresql" and key == ("end", False):
            return "\\Z"  # PostgreSQL's \Z is the very end, like \z elsewhere
        return _ANCHORS[key]

    def set(self, node: CharSet) -> str:
        ranges = node.ranges
        if not node.negated and len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
            return _char(ranges[0][0])
        parts = []
        for low, high in ranges:
            if low == high:
                parts.append(_char(low))
            elif high == low + 1:
                parts.append(_char(low) + _char(high))
            else:
                parts.append(f"{_char(low)}-{_char(high)}")
        return "[" + ("^" if node.negated else "") + "".join(parts) + "]"


def _quantifier(low: int, high: int | None) -> str:
    if (low, high) == (0, None):
        return "*"
    if (low, high) == (1, None):
        return "+"
    if (low, high) == (0, 1):
        return "?"
    if high is None:
        return f"{{{low},}}"
    return f"{{{low}}}" if low == high else f"{{{low},{high}}}"
