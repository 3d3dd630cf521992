"""The syntax of portable regular expressions: a small tree and its parser.

:func:`parse_pattern` reads the JavaScript-syntax subset described in
:mod:`composer.repository.regexp` into a tree of character sets, anchors,
sequences, alternations, groups and repetitions, refusing every other
construct with a :class:`RegexpError` that names it and its position. The
``i`` flag is applied while parsing: every letter becomes the set of its case
variants (Unicode one-to-one case folding), so no engine folds case itself.
"""

from __future__ import annotations

import array
import bisect
import string
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "MAX_PATTERN_LENGTH",
    "MAX_REPEAT",
    "MAX_SIZE",
    "Alt",
    "Anchor",
    "CharSet",
    "Dot",
    "Group",
    "Node",
    "RegexpError",
    "Repeat",
    "Seq",
    "parse_pattern",
]

#: the longest pattern accepted, in characters
MAX_PATTERN_LENGTH = 1000
#: the largest count in ``{n,m}`` (PostgreSQL's limit)
MAX_REPEAT = 255
#: the most items a pattern may stand for once its repetitions are expanded
MAX_SIZE = 1000
_MAX_DEPTH = 32


class RegexpError(ValueError):
    """A pattern outside the portable subset; the message names the construct and position."""


def parse_pattern(pattern: str, *, fold: bool = False) -> Node:
    """The tree of ``pattern``; ``fold`` applies the ``i`` flag.

    >>> parse_pattern("a|b")
    Alt(branches=(CharSet(ranges=((97, 97),), negated=False), \
CharSet(ranges=((98, 98),), negated=False)))
    """
    return _Parser(pattern, fold=fold).parse()


Ranges = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class CharSet:
    ranges: Ranges
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Dot:
    pass


@dataclass(frozen=True, slots=True)
class Anchor:
    kind: Literal["start", "end", "boundary", "not-boundary"]


@dataclass(frozen=True, slots=True)
class Seq:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Alt:
    branches: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Group:
    body: Node


@dataclass(frozen=True, slots=True)
class Repeat:
    body: Node
    low: int
    high: int | None


Node = CharSet | Dot | Anchor | Seq | Alt | Group | Repeat

_DIGIT: Ranges = ((0x30, 0x39),)
_WORD: Ranges = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
_SPACE: Ranges = ((0x09, 0x0D), (0x20, 0x20))
_CLASSES = {"d": _DIGIT, "w": _WORD, "s": _SPACE}
_CONTROLS = {"n": "\n", "r": "\r", "t": "\t", "f": "\f", "v": "\v"}
_REFUSED_ESCAPES = {
    "b": "a backspace escape",
    "c": "a control escape",
    "k": "a named back-reference",
    "p": "a Unicode property",
    "P": "a Unicode property",
    "A": "an anchor escape",
    "z": "an anchor escape",
    "Z": "an anchor escape",
    "G": "an anchor escape",
    "K": "a match reset",
    "Q": "a quoting escape",
    "E": "a quoting escape",
}


def _normalize(ranges: list[tuple[int, int]]) -> Ranges:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return tuple(merged)


def _case_table() -> tuple[list[int], dict[int, tuple[int, ...]]]:
    """Every character with case variants (sorted) and its variants, itself included.

    Two characters are variants when they case-fold to the same single
    character. The table is built when the module is imported (a few
    milliseconds: the characters are folded a block at a time), so no
    request waits for it.
    """
    block = 1024
    groups: dict[str, list[int]] = {}
    for start in range(0, 0x1F000, block):  # no cased character lies above U+1F000
        if 0xD800 <= start < 0xE000:
            continue  # surrogates
        text = array.array("I", range(start, start + block)).tobytes().decode("utf-32-le")
        folded = text.casefold()
        if folded == text:
            continue
        # a block where some character folds to several keeps no alignment: fold one by one
        pairs: Iterable[tuple[str, str]]
        if len(folded) == block:
            pairs = zip(text, folded, strict=True)
        else:
            pairs = ((char, char.casefold()) for char in text)
        for char, fold in pairs:
            if fold != char and len(fold) == 1:
                members = groups.setdefault(fold, [ord(fold)] if fold.casefold() == fold else [])
                members.append(ord(char))
    variants = {
        code: tuple(sorted(members))
        for members in groups.values()
        if len(members) > 1
        for code in members
    }
    return sorted(variants), variants


_CASED, _VARIANTS = _case_table()


def _fold(ranges: Ranges) -> Ranges:
    cased, variants = _CASED, _VARIANTS
    extra: list[tuple[int, int]] = []
    for low, high in ranges:
        start = bisect.bisect_left(cased, low)
        end = bisect.bisect_right(cased, high)
        extra.extend((other, other) for code in cased[start:end] for other in variants[code])
    return _normalize([*ranges, *extra])


class _Parser:
    """A recursive-descent reader of the JavaScript-syntax subset."""

    def __init__(self, text: str, *, fold: bool) -> None:
        self.text = text
        self.fold = fold
        self.pos = 0
        self.depth = 0

    def fail(self, message: str, at: int | None = None) -> RegexpError:
        return RegexpError(f"{message} (at {self.pos if at is None else at})")

    def parse(self) -> Node:
        if len(self.text) > MAX_PATTERN_LENGTH:
            raise RegexpError(f"pattern is longer than {MAX_PATTERN_LENGTH} characters")
        for index, char in enumerate(self.text):
            if char == "\0":
                raise self.fail("a NUL character is not supported", index)
            if "\ud800" <= char <= "\udfff":
                raise self.fail("a lone surrogate is not supported", index)
        tree = self.alternation()
        if self.pos < len(self.text):
            raise self.fail('unmatched ")"')
        if _size(tree) > MAX_SIZE:
            raise RegexpError(f"pattern expands to more than {MAX_SIZE} items")
        return tree

    def peek(self, ahead: int = 0) -> str:
        index = self.pos + ahead
        return self.text[index] if index < len(self.text) else ""

    def alternation(self) -> Node:
        branches = [self.sequence()]
        while self.peek() == "|":
            self.pos += 1
            branches.append(self.sequence())
        return branches[0] if len(branches) == 1 else Alt(tuple(branches))

    def sequence(self) -> Node:
        items: list[Node] = []
        while self.peek() not in ("", "|", ")"):
            items.append(self.quantified())
        return items[0] if len(items) == 1 else Seq(tuple(items))

    def quantified(self) -> Node:
        start = self.pos
        atom = self.atom()
        bounds = self.quantifier()
        if bounds is None:
            return atom
        if isinstance(atom, Anchor):
            raise self.fail("a quantifier after an anchor is not supported", start)
        if self.peek() == "?":
            self.pos += 1  # lazy: the same rows match
        elif self.peek() == "+":
            raise self.fail("a possessive quantifier is not supported")
        if self.peek() in ("*", "+", "?") or self.brace_quantifier_ahead():
            raise self.fail("nothing to repeat")
        return Repeat(atom, *bounds)

    def brace_quantifier_ahead(self) -> bool:
        if self.peek() != "{":
            return False
        end = self.text.find("}", self.pos)
        body = self.text[self.pos + 1 : end] if end > 0 else ""
        low, _, high = body.partition(",")
        return (
            low.isdigit() and low.isascii() and (high == "" or (high.isdigit() and high.isascii()))
        )

    def quantifier(self) -> tuple[int, int | None] | None:
        char = self.peek()
        if char in ("*", "+", "?"):
            self.pos += 1
            return {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        if not self.brace_quantifier_ahead():
            return None
        start = self.pos
        end = self.text.index("}", self.pos)
        body = self.text[self.pos + 1 : end]
        self.pos = end + 1
        low_text, comma, high_text = body.partition(",")
        low = int(low_text[:4]) if len(low_text) <= 4 else MAX_REPEAT + 1
        high: int | None = low if not comma else None
        if high_text:
            high = int(high_text[:4]) if len(high_text) <= 4 else MAX_REPEAT + 1
        if max(low, high or 0) > MAX_REPEAT:
            raise self.fail(f"a repetition count above {MAX_REPEAT} is not supported", start)
        if high is not None and high < low:
            raise self.fail("numbers out of order in {} quantifier", start)
        return low, high

    def atom(self) -> Node:
        char = self.peek()
        start = self.pos
        if char == "(":
            return self.group()
        if char == "[":
            return self.character_class()
        self.pos += 1
        if char == ".":
            return Dot()
        if char == "^":
            return Anchor("start")
        if char == "$":
            return Anchor("end")
        if char == "\\":
            return self.escape()
        if char in ("*", "+", "?") or (char == "{" and self.brace_at(start)):
            raise self.fail("nothing to repeat", start)
        return self.literal(ord(char))

    def brace_at(self, index: int) -> bool:
        saved, self.pos = self.pos, index
        try:
            return self.brace_quantifier_ahead()
        finally:
            self.pos = saved

    def literal(self, code: int) -> CharSet:
        ranges: Ranges = ((code, code),)
        return CharSet(_fold(ranges) if self.fold else ranges)

    def group(self) -> Node:
        start = self.pos
        self.pos += 1
        if self.peek() == "?":
            kind = self.text[self.pos : self.pos + 3]
            if kind.startswith("?:"):
                self.pos += 2
            else:
                raise self.fail(_group_problem(kind), start)
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise self.fail(f"groups nested deeper than {_MAX_DEPTH} are not supported", start)
        body = self.alternation()
        self.depth -= 1
        if self.peek() != ")":
            raise self.fail('missing ")"', start)
        self.pos += 1
        return Group(body)

    def escape(self) -> Node:
        start = self.pos - 1
        char = self.peek()
        if char == "":
            raise self.fail("a pattern cannot end with a backslash", start)
        self.pos += 1
        if char in _CLASSES:
            return CharSet(_CLASSES[char])
        if char.lower() in _CLASSES:
            return CharSet(_CLASSES[char.lower()], negated=True)
        if char == "b":
            return Anchor("boundary")
        if char == "B":
            return Anchor("not-boundary")
        return self.literal(self.escaped_code(char, start))

    def escaped_code(self, char: str, start: int) -> int:
        """The character a ``\\`` + ``char`` escape stands for (outside ``\\d``-style classes)."""
        if char in _CONTROLS:
            return ord(_CONTROLS[char])
        if char == "x":
            return self.hex_digits(2, start)
        if char == "u":
            code = self.hex_digits(4, start)
            if 0xD800 <= code <= 0xDBFF and self.text.startswith("\\u", self.pos):
                low_start = self.pos
                self.pos += 2
                low = self.hex_digits(4, low_start)
                if 0xDC00 <= low <= 0xDFFF:
                    return 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                raise self.fail("a lone surrogate is not supported", start)
            if 0xD800 <= code <= 0xDFFF:
                raise self.fail("a lone surrogate is not supported", start)
            return code
        if char in string.digits:
            what = "a NUL character" if char == "0" else "a back-reference"
            raise self.fail(f'{what} "\\{char}" is not supported', start)
        if char.isascii() and char.isalpha():
            what = _REFUSED_ESCAPES.get(char, "an unknown escape")
            raise self.fail(f'{what} "\\{char}" is not supported', start)
        return ord(char)

    def hex_digits(self, count: int, start: int) -> int:
        digits = self.text[self.pos : self.pos + count]
        if len(digits) != count or not all(d in string.hexdigits for d in digits):
            raise self.fail(f"a malformed \\{self.text[start + 1]} escape", start)
        self.pos += count
        code = int(digits, 16)
        if code == 0:
            raise self.fail("a NUL character is not supported", start)
        return code

    def character_class(self) -> CharSet:
        start = self.pos
        self.pos += 1
        negated = self.peek() == "^"
        if negated:
            self.pos += 1
        if self.peek() == "]":
            raise self.fail("an empty class is not supported", start)
        folded: list[tuple[int, int]] = []
        fixed: list[tuple[int, int]] = []
        while self.peek() != "]":
            if self.peek() == "":
                raise self.fail('missing "]"', start)
            item_start = self.pos
            item = self.class_atom()
            if isinstance(item, tuple):
                fixed.extend(item)
                continue
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.pos += 1
                high = self.class_atom()
                if isinstance(high, tuple):
                    raise self.fail("a class escape cannot end a range", item_start)
                if high < item:
                    raise self.fail("range out of order in character class", item_start)
                folded.append((item, high))
            else:
                folded.append((item, item))
        self.pos += 1
        ranges = _normalize(folded)
        if self.fold:
            ranges = _fold(ranges)
        return CharSet(_normalize([*ranges, *fixed]), negated)

    def class_atom(self) -> int | Ranges:
        """One class member: a character, or the ranges of ``\\d``, ``\\w`` or ``\\s``."""
        start = self.pos
        char = self.peek()
        self.pos += 1
        if char == "[" and self.peek() in (":", ".", "="):
            raise self.fail(f'a POSIX class "[{self.peek()}" is not supported', start)
        if char != "\\":
            return ord(char)
        escaped = self.peek()
        if escaped == "":
            raise self.fail("a pattern cannot end with a backslash", start)
        self.pos += 1
        if escaped in _CLASSES:
            return _CLASSES[escaped]
        if escaped in ("D", "W", "S"):
            raise self.fail(f'"\\{escaped}" inside a class is not supported', start)
        return self.escaped_code(escaped, start)


def _group_problem(kind: str) -> str:
    """Why a ``(?`` group is refused, naming it."""
    if kind.startswith(("?=", "?!")):
        return f'look-ahead "({kind[:2]}" is not supported'
    if kind.startswith(("?<=", "?<!")):
        return f'look-behind "({kind}" is not supported'
    if kind.startswith(("?<", "?P")):
        return 'a named group "(?<name>" is not supported'
    if kind.startswith("?>"):
        return 'an atomic group "(?>" is not supported'
    if (len(kind) > 1 and kind[1].isalpha()) or kind[1:2] == "-":
        return 'inline flags "(?flags)" are not supported: write /pattern/flags'
    return f'"({kind[:2]}" is not supported'


def _size(node: Node) -> int:
    if isinstance(node, Seq):
        return sum(_size(item) for item in node.items)
    if isinstance(node, Alt):
        return sum(_size(branch) for branch in node.branches)
    if isinstance(node, Group):
        return _size(node.body)
    if isinstance(node, Repeat):
        return _size(node.body) * max(1, node.high if node.high is not None else node.low + 1)
    return 1
