"""Checks on names: safe identifiers, no case-only twins, one model per REST path."""

from __future__ import annotations

import re
from collections.abc import Iterable

from composer.errors import KeyPath
from composer.spec.checks.context import Context
from composer.spec.checks.paths import path_problem
from composer.spec.naming import rest_path

__all__ = ["SAFE_IDENTIFIER", "check_names", "identifier_problem"]

#: a name that can be a Python attribute, a SQL identifier and a JSON key without quoting
SAFE_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

_IDENTIFIER_HINT = "use letters, digits and '_', starting with a letter or '_'"


def identifier_problem(name: str) -> str | None:
    """Why ``name`` is not a safe identifier, or None.

    >>> identifier_problem("todoList"), identifier_problem("__proto__"), identifier_problem("a-b")
    (None, "starts with '__', which is reserved", 'is not a safe identifier')
    """
    if not SAFE_IDENTIFIER.fullmatch(name):
        return "is not a safe identifier"
    if name.startswith("__"):
        return "starts with '__', which is reserved"
    return None


def _mapping(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def check_names(ctx: Context) -> None:
    """Safe identifiers (CMP109), case-only duplicates (CMP110), REST paths (CMP107, CMP111)."""
    datasources = _mapping(ctx.written(("datasources",)))
    models = _mapping(ctx.written(("models",)))
    _check_keys(ctx, ("datasources",), datasources)
    _check_keys(ctx, ("models",), models)
    _check_case(ctx, ("models",), models, "model")
    for model, body in models.items():
        spec = _mapping(body)
        for section in ("properties", "relations", "indexes"):
            _check_keys(ctx, ("models", model, section), _mapping(spec.get(section)))
        properties = _mapping(spec.get("properties"))
        _check_case(ctx, ("models", model, "properties"), properties, "property")
        _check_value(ctx, ("models", model, "table"), spec.get("table"))
        for prop, prop_body in properties.items():
            column = _mapping(prop_body).get("column")
            _check_value(ctx, ("models", model, "properties", prop, "column"), column)
    if ctx.has("models"):
        _check_rest_paths(ctx)


def _check_keys(ctx: Context, section: KeyPath, names: Iterable[str]) -> None:
    for name in names:
        problem = identifier_problem(str(name))
        if problem is not None:
            ctx.report(
                "CMP109", f"'{name}' {problem}", (*section, name), _IDENTIFIER_HINT, key=True
            )


def _check_value(ctx: Context, path: KeyPath, value: object) -> None:
    if isinstance(value, str):
        problem = identifier_problem(value)
        if problem is not None:
            ctx.report("CMP109", f"{ctx.show(path, value)} {problem}", path, _IDENTIFIER_HINT)


def _check_case(ctx: Context, section: KeyPath, names: Iterable[str], kind: str) -> None:
    seen: dict[str, str] = {}
    for name in names:
        folded = str(name).casefold()
        if folded in seen:
            ctx.report(
                "CMP110",
                f"{kind} '{name}' differs from '{seen[folded]}' only by case",
                (*section, name),
                "rename one: databases and file systems may not tell them apart",
                key=True,
            )
        else:
            seen[folded] = str(name)


def _check_rest_paths(ctx: Context) -> None:
    served: dict[str, str] = {}
    for name, model in ctx.app.models.items():
        path = rest_path(name, model)
        if path is None:
            continue
        explicit = model.rest.path is not None
        where: KeyPath = ("models", name, "rest", "path") if explicit else ("models", name)
        if explicit:
            problem = path_problem(path)
            if problem is not None:
                ctx.report("CMP107", f"{ctx.show(where, path)} {problem}", where)
                continue
        key = path.rstrip("/") or "/"
        if key in served:
            ctx.report(
                "CMP111",
                f"models '{served[key]}' and '{name}' are both served at '{key}'",
                where,
                "set rest.path on one of them, or rest: false",
                key=not explicit,
            )
        else:
            served[key] = name
