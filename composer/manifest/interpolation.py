"""``${VAR}`` interpolation in parsed string values.

Grammar (in scalar string *values* only — never keys, never raw text, so a
value can never inject structure)::

    ${NAME}              the environment variable NAME; an error when unset
    ${NAME:-default}     NAME, or ``default`` when NAME is unset or empty (as in the shell)
    $${                  a literal ``${``
    ${with.NAME}         inside a stack: the stack parameter NAME

NAME is ``[A-Za-z_][A-Za-z0-9_]*``. A default is itself a template, so
``${A:-${B:-x}}`` nests (B is only looked up when A is unset or empty) and
``$${`` inside a default is a literal ``${``; a default cannot contain a
literal ``}``. Substituted text is never scanned again.

A scalar that is exactly one ``${NAME...}`` becomes an :class:`EnvStr` (the
spec types it by its field: ``port: ${PORT:-3000}`` is the int 3000). A
scalar that is exactly ``${with.NAME}`` takes the parameter's value with its
own type (an int, a list, a mapping); inside a longer string only a string,
number or boolean parameter can appear. Errors name the variable, never a
value (values may be secrets).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from composer.errors import Issue, KeyPath, Position, did_you_mean
from composer.manifest.document import Document, included, rebase
from composer.manifest.raw import EnvStr

PARAMETER_PREFIX = "with."
NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True, slots=True)
class Reference:
    """One ``${...}`` expression: the name, its default template, the text as written."""

    name: str
    default: tuple[Part, ...] | None
    text: str

    @property
    def is_parameter(self) -> bool:
        return self.name.startswith(PARAMETER_PREFIX)


Part = str | Reference


class TemplateError(ValueError):
    """A malformed ``${...}`` expression (CMP016)."""


def parse_template(text: str) -> tuple[Part, ...]:
    """Split a string into literal text and references.

    >>> parse_template("a-${B:-c}")
    ('a-', Reference(name='B', default=('c',), text='${B:-c}'))
    """
    return _parse(text, 0, nested=False)[0]


def _parse(text: str, start: int, *, nested: bool) -> tuple[tuple[Part, ...], int]:
    parts: list[Part] = []
    literal: list[str] = []
    i = start
    while i < len(text):
        char = text[i]
        if nested and char == "}":
            break
        if text.startswith("$${", i):
            literal.append("${")
            i += 3
        elif text.startswith("${", i):
            if literal:
                parts.append("".join(literal))
                literal = []
            reference, i = _reference(text, i)
            parts.append(reference)
        else:
            literal.append(char)
            i += 1
    if literal:
        parts.append("".join(literal))
    return tuple(parts), i


def _reference(text: str, start: int) -> tuple[Reference, int]:
    i = start + 2
    prefix = PARAMETER_PREFIX if text.startswith(PARAMETER_PREFIX, i) else ""
    match = NAME_PATTERN.match(text, i + len(prefix))
    if match is None:
        bad = re.match(r"[^}:]*", text[i:])
        raise TemplateError(
            f"invalid variable name {bad.group() if bad else ''!r} in '${{...}}'"
            " (a name is letters, digits and '_', not starting with a digit)"
        )
    name = prefix + match.group()
    i = match.end()
    default: tuple[Part, ...] | None = None
    if text.startswith(":-", i):
        default, i = _parse(text, i + 2, nested=True)
    if i >= len(text):
        raise TemplateError(f"unterminated '${{{name}': no closing '}}'")
    if text[i] != "}":
        raise TemplateError(
            f"unexpected {text[i]!r} after '${{{name}'; expected '}}' or ':-default}}'"
        )
    return Reference(name, default, text[start : i + 1]), i + 1


@dataclass(frozen=True, slots=True)
class Argument:
    """A stack parameter's value, with positions relative to the value itself."""

    value: Any
    positions: Mapping[KeyPath, Position]
    key_positions: Mapping[KeyPath, Position]


@dataclass(frozen=True, slots=True)
class Scope:
    """What ``${...}`` resolves against: the environment and, in a stack, its arguments."""

    env: Mapping[str, str]
    arguments: Mapping[str, Argument] | None = None
    #: the include sites of the document being interpolated, innermost first
    sites: tuple[Position, ...] = ()


class _Failure(Exception):
    def __init__(self, code: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


def interpolate(document: Document, scope: Scope, issues: list[Issue]) -> Document:
    """A copy of ``document`` with every ``${...}`` in string values resolved.

    Positions gain ``scope.sites`` as their include chain; a value taken from
    a stack argument keeps the argument's own positions. Problems are appended
    to ``issues`` (the value is then left as written).

    >>> doc = Document({"url": "${DB:-sqlite://}"})
    >>> interpolate(doc, Scope(env={}), []).data["url"].expression
    '${DB:-sqlite://}'
    """
    result = Document(
        {},
        {path: included(pos, scope.sites) for path, pos in document.positions.items()},
        {path: included(pos, scope.sites) for path, pos in document.key_positions.items()},
    )
    result.data = _walk(document.data, (), scope, result, issues)
    return result


def _walk(value: Any, path: KeyPath, scope: Scope, out: Document, issues: list[Issue]) -> Any:
    if isinstance(value, dict):
        return {key: _walk(item, (*path, key), scope, out, issues) for key, item in value.items()}
    if isinstance(value, list):
        return [_walk(item, (*path, i), scope, out, issues) for i, item in enumerate(value)]
    if not isinstance(value, str) or "$" not in value:
        return value
    try:
        parts = parse_template(value)
        if len(parts) == 1 and isinstance(parts[0], Reference):
            return _whole(parts[0], path, scope, out)
        return "".join(_render(part, scope) for part in parts)
    except TemplateError as exc:
        issues.append(Issue("CMP016", str(exc), path, out.positions.get(path)))
    except _Failure as exc:
        issues.append(Issue(exc.code, exc.message, path, out.positions.get(path), exc.hint))
    return value


def _whole(reference: Reference, path: KeyPath, scope: Scope, out: Document) -> Any:
    if not reference.is_parameter:
        return EnvStr(_render(reference, scope), reference.text)
    argument = _argument(reference, scope)
    # the value takes the place of a string, which had no positions below it
    out.positions.update(rebase(argument.positions, (), path))
    out.key_positions.update(rebase(argument.key_positions, (), path))
    return _copy(argument.value)


def _render(part: Part, scope: Scope) -> str:
    if isinstance(part, str):
        return part
    if part.is_parameter:
        value = _argument(part, scope).value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (str, int, float)):
            return str(value)
        kind = "null" if value is None else "a list" if isinstance(value, list) else "a mapping"
        raise _Failure(
            "CMP016",
            f"stack parameter '{part.name[len(PARAMETER_PREFIX) :]}' is {kind}; only a string,"
            " number or boolean can be part of a longer string",
            f"write the value as exactly '{part.text}' to use it whole",
        )
    value = scope.env.get(part.name)
    if value:
        return value
    if part.default is not None:
        return "".join(_render(inner, scope) for inner in part.default)
    if value is None:
        raise _Failure(
            "CMP015",
            f"environment variable {part.name} is not set",
            f"set {part.name}, or give a default: ${{{part.name}:-default}}",
        )
    return value


def _argument(reference: Reference, scope: Scope) -> Argument:
    name = reference.name[len(PARAMETER_PREFIX) :]
    if scope.arguments is None:
        raise _Failure(
            "CMP016",
            f"'{reference.text}' names a stack parameter, but this file is not a stack",
            "stack parameters exist only inside a stack's own file",
        )
    if reference.default is not None:
        raise _Failure(
            "CMP016",
            f"'{reference.text}': a stack parameter cannot take a ':-' default",
            f"declare it under parameters.{name}.default instead",
        )
    argument = scope.arguments.get(name)
    if argument is None:
        raise _Failure(
            "CMP027",
            f"'{reference.text}' refers to no declared parameter '{name}'",
            did_you_mean(name, sorted(scope.arguments), "declared parameters"),
        )
    return argument


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value
