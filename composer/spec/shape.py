"""pydantic's validation errors, told as manifest issues.

Each pydantic error has a ``loc`` in validation terms: field aliases, dict
keys, list indexes, and segments pydantic inserts itself (the tag of a
discriminated union, the name of a function validator). :func:`shape_issues`
walks the ``loc`` alongside the spec type to keep only the segments the user
wrote, then names the problem the way a person would:

=================================== ======== ====================================
pydantic error                      code     message
=================================== ======== ====================================
``*_type`` (strict type mismatch)   CMP100   expected an integer, got a string
``env_value`` (a ``${...}``)        CMP100   ${PORT} does not give an integer
``extra_forbidden``                 CMP101   unknown key 'prot' (at the key)
``missing``, ``union_tag_not_found`` CMP102  missing required key 'url'
``literal_error``, ``union_tag_*``  CMP103   value 'strin' is not allowed
constraints (``greater_than``, ...) CMP129   must be greater than 0
=================================== ======== ====================================
"""

from __future__ import annotations

import datetime
import types
from collections.abc import Iterable, Sequence
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, Tag, ValidationError

from composer.errors import Issue, KeyPath
from composer.errors import did_you_mean as hint_for
from composer.manifest.raw import EnvStr, RawManifest

__all__ = [
    "describe_value",
    "did_you_mean",
    "field_type",
    "model_class",
    "shape_issues",
    "show_value",
    "strip_type",
    "tagged_member",
    "value_at",
]

_EXPECTED = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "float_type": "a number",
    "number_type": "a number",
    "finite_number": "a finite number",
    "bool_type": "a boolean",
    "string_type": "a string",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "tuple_type": "a list",
    "list_type": "a list",
    "byte_size_type": "a size (bytes, or a string such as 1mb)",
}


def describe_value(value: Any) -> str:
    """What kind of value the manifest gave: ``"a string"``, ``"null"``, ``"a mapping"``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, datetime.datetime):
        return "a datetime"
    if isinstance(value, datetime.date):
        return "a date"
    return f"a {type(value).__name__}"


def show_value(value: Any) -> str:
    """A value as an error message may show it: a ``${...}`` by its expression, never its value."""
    if isinstance(value, EnvStr):
        return value.expression
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, dict | list):
        return describe_value(value)
    return str(value).lower() if isinstance(value, bool) else str(value)


def did_you_mean(word: str, allowed: Iterable[str], what: str = "allowed values") -> str:
    """A hint: the closest allowed word if one is close, then the list.

    >>> did_you_mean("prot", ["host", "port"], "allowed keys")
    "did you mean 'port'? allowed keys: host, port"
    """
    # a ${...} value may be a secret: even a suggestion would tell something about it
    return hint_for(word, allowed, what, suggest=not isinstance(word, EnvStr))


def _word(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def strip_type(tp: Any) -> Any:
    """``Annotated[X, ...]`` -> X and ``X | None`` -> X."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            members = [arg for arg in get_args(tp) if arg is not type(None)]
            if len(members) != 1:
                return tp
            tp = members[0]
        else:
            return tp


def model_class(tp: Any) -> type[BaseModel] | None:
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _field_alias(model: type[BaseModel], name: str) -> str:
    info = model.model_fields[name]
    return info.alias or name


def _allowed_keys(model: type[BaseModel]) -> list[str]:
    return [_field_alias(model, name) for name in model.model_fields]


def field_type(model: type[BaseModel], key: str | int) -> Any | None:
    """The annotated type of the field ``key`` (a manifest key) names, or None."""
    for name, info in model.model_fields.items():
        if key == _field_alias(model, name):
            return Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
    return None


def tagged_member(tp: Any, tag: str | int) -> Any | None:
    """The member of a discriminated union whose ``Literal`` (or pydantic ``Tag``) is ``tag``."""
    for member in get_args(tp):
        model = model_class(strip_type(member))
        if model is None:
            continue
        metadata = getattr(member, "__metadata__", ())  # Annotated[Model, Tag(...)]
        if any(isinstance(meta, Tag) and meta.tag == tag for meta in metadata):
            return model
        for info in model.model_fields.values():
            if get_origin(info.annotation) is Literal and tag in get_args(info.annotation):
                return model
    return None


class _Walk:
    """The user's key path inside a pydantic ``loc``, and the types along it."""

    def __init__(self, root: Any, loc: Sequence[str | int]) -> None:
        self.path: list[str | int] = []
        self.owner: type[BaseModel] | None = None  # the model the last real segment belongs to
        self.leaf: Any = root
        self.union: Any = None  # the last discriminated union passed through
        tp: Any = root
        for segment in loc:
            tp = strip_type(tp)
            model = model_class(tp)
            if model is not None:
                self.owner = model
                self.path.append(segment)
                tp = field_type(model, segment)
            elif get_origin(tp) is dict or get_origin(tp) is tuple:
                self.path.append(segment)
                tp = get_args(tp)[-1 if get_origin(tp) is dict else 0]
            elif get_origin(tp) in (Union, types.UnionType):
                self.union = tp
                tp = tagged_member(tp, segment)
            # any other segment was inserted by a validator function: not the user's
        self.leaf = strip_type(tp) if tp is not None else None
        if self.union is None and get_origin(self.leaf) in (Union, types.UnionType):
            self.union = self.leaf


def value_at(data: Any, path: Sequence[str | int]) -> tuple[bool, Any]:
    """``(True, value)`` for the value at ``path`` inside plain ``data``, else ``(False, None)``."""
    for part in path:
        in_mapping = isinstance(data, dict) and isinstance(part, str) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_mapping or in_list):
            return False, None
        data = data[part]
    return True, data


def _written(data: Any, path: Sequence[str | int]) -> tuple[str | int, ...]:
    """The longest prefix of ``path`` the manifest actually contains."""
    kept: list[str | int] = []
    for part in path:
        found, data = value_at(data, [part])
        if not found:
            break
        kept.append(part)
    return tuple(kept)


def _literal_values(tp: Any) -> list[str]:
    tp = strip_type(tp)
    if get_origin(tp) is Literal:
        return [str(arg) for arg in get_args(tp)]
    return []


def _tags(union: Any, discriminator: str) -> list[str]:
    tags: list[str] = []
    for member in get_args(strip_type(union)):
        model = model_class(strip_type(member))
        if model is not None:
            for name, info in model.model_fields.items():
                if _field_alias(model, name) == discriminator:
                    tags.extend(str(arg) for arg in get_args(info.annotation))
    return tags


def _constraint_message(kind: str, ctx: dict[str, Any], value: Any) -> str:
    messages = {
        "greater_than": "must be greater than {gt}",
        "greater_than_equal": "must be at least {ge}",
        "less_than": "must be less than {lt}",
        "less_than_equal": "must be at most {le}",
        "too_short": "needs at least {min_length} item(s)",
        "too_long": "takes at most {max_length} item(s)",
    }
    template = messages.get(kind)
    if template is None:
        return "is not a valid value"
    shown = f"{show_value(value)} is not allowed: " if not isinstance(value, list | dict) else ""
    return shown + template.format(**ctx)


def shape_issues(
    error: ValidationError, raw: RawManifest, prefix: KeyPath, root: Any
) -> list[Issue]:
    """Issues for every error pydantic found validating the value at ``prefix`` as ``root``."""
    issues: list[Issue] = []
    _, data = value_at(raw.data, prefix)
    for detail in error.errors(include_url=False):
        kind = detail["type"]
        walk = _Walk(root, detail["loc"])
        path = tuple(walk.path)
        ctx = detail.get("ctx", {})
        found, value = value_at(data, path)
        where = prefix + _written(data, path)

        if kind == "extra_forbidden":
            key = str(path[-1])
            allowed = _allowed_keys(walk.owner) if walk.owner else []
            issues.append(
                Issue(
                    "CMP101",
                    f"unknown key '{key}'",
                    prefix + path,
                    raw.locate(prefix + path, key=True),
                    did_you_mean(key, allowed, "allowed keys") if allowed else None,
                )
            )
        elif kind == "missing":
            issues.append(
                Issue(
                    "CMP102",
                    f"missing required key '{path[-1]}'",
                    where,
                    raw.locate(where, key=True),
                )
            )
        elif kind == "union_tag_not_found":
            key = str(ctx.get("discriminator", "")).strip("'")
            tags = _tags(walk.union, key)
            issues.append(
                Issue(
                    "CMP102",
                    f"missing required key '{key}'",
                    where,
                    raw.locate(where, key=True),
                    f"one of: {', '.join(tags)}" if tags else None,
                )
            )
        elif kind == "union_tag_invalid":
            key = str(ctx.get("discriminator", "")).strip("'")
            tags = _tags(walk.union, key)
            _, tag = value_at(value, [key])
            issues.append(
                Issue(
                    "CMP103",
                    f"unknown {key} {show_value(tag)}",
                    (*where, key),
                    raw.locate((*where, key)),
                    did_you_mean(_word(tag), tags, f"known {key}s"),
                )
            )
        elif kind == "literal_error":
            allowed = _literal_values(walk.leaf)
            given = value if found else detail["input"]
            issues.append(
                Issue(
                    "CMP103",
                    f"value {show_value(given)} is not allowed",
                    where,
                    raw.locate(where),
                    did_you_mean(_word(given), allowed) if allowed else None,
                )
            )
        elif kind == "env_value":
            issues.append(Issue("CMP100", detail["msg"], where, raw.locate(where)))
        elif kind in _EXPECTED:
            got = describe_value(value if found else detail["input"])
            issues.append(
                Issue("CMP100", f"expected {_EXPECTED[kind]}, got {got}", where, raw.locate(where))
            )
        elif kind == "byte_size":
            issues.append(Issue("CMP129", detail["msg"], where, raw.locate(where)))
        else:
            message = _constraint_message(kind, ctx, value if found else detail["input"])
            issues.append(Issue("CMP129", message, where, raw.locate(where)))
    return issues
