"""Checks on the application as a whole: apiVersion, name, rest, roles, unsupported sections."""

from __future__ import annotations

import re

from composer.spec.app import SUPPORTED_API_VERSIONS
from composer.spec.checks.context import Context
from composer.spec.checks.paths import path_problem

__all__ = ["check_application"]

_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
_UNSUPPORTED = ("authentication", "services", "routes")


def check_application(ctx: Context) -> None:
    """apiVersion (CMP104), name (CMP105), port (CMP106), paths (CMP107), pagination (CMP112),
    declared roles (CMP123) and sections this version cannot serve (CMP127)."""
    app = ctx.app
    if ctx.has("api_version") and app.api_version not in SUPPORTED_API_VERSIONS:
        ctx.report(
            "CMP104",
            f"unsupported apiVersion {ctx.show(('apiVersion',), app.api_version)}",
            ("apiVersion",),
            f"supported: {', '.join(SUPPORTED_API_VERSIONS)}",
        )
    if ctx.has("name") and not _DNS_LABEL.fullmatch(app.name):
        ctx.report(
            "CMP105",
            f"{ctx.show(('name',), app.name)} is not a DNS-1123 label",
            ("name",),
            "use at most 63 lower-case letters, digits and '-', "
            "starting and ending with a letter or digit",
        )
    if ctx.has("rest"):
        _check_rest(ctx)
    if ctx.has("roles"):
        _check_roles(ctx)
    for section in _UNSUPPORTED:
        if ctx.written((section,)):
            ctx.report(
                "CMP127",
                f"{section} is not supported yet",
                (section,),
                f"this version of composer checks the {section} section but cannot serve it; "
                "remove it",
                key=True,
            )
    for model in ctx.declared("models"):
        if ctx.written(("models", model, "acls")):
            ctx.report(
                "CMP127",
                "acls are not supported yet",
                ("models", model, "acls"),
                "this version of composer checks ACL rules but cannot enforce them; remove them",
                key=True,
            )


def _check_rest(ctx: Context) -> None:
    rest = ctx.app.rest
    if not 1 <= rest.port <= 65535:
        ctx.report(
            "CMP106",
            f"port {ctx.show(('rest', 'port'), rest.port)} is out of range",
            ("rest", "port"),
            "use a port from 1 to 65535",
        )
    for path, value in (
        (("rest", "basePath"), rest.base_path),
        (("rest", "explorer", "path"), rest.explorer.path),
    ):
        problem = path_problem(value)
        if problem is not None:
            ctx.report("CMP107", f"{ctx.show(path, value)} {problem}", path)
    explorer = rest.explorer.path.rstrip("/")
    if path_problem(rest.explorer.path) is None and _is_reserved(explorer):
        ctx.report(
            "CMP107",
            f"explorer path '{rest.explorer.path}' is taken by the server's own endpoints",
            ("rest", "explorer", "path"),
            f"the server root serves {', '.join(RESERVED_ROOT_PATHS)}; pick another path",
        )
    pagination = rest.pagination
    if (
        pagination.default_limit is not None
        and pagination.max_limit is not None
        and pagination.default_limit > pagination.max_limit
    ):
        ctx.report(
            "CMP112",
            f"defaultLimit {pagination.default_limit} is above maxLimit {pagination.max_limit}",
            ("rest", "pagination", "defaultLimit"),
        )


#: paths the server answers at its root, outside the sequence and basePath
RESERVED_ROOT_PATHS = ("/", "/openapi.json", "/openapi.yaml", "/health", "/metrics")


def _is_reserved(path: str) -> bool:
    return path in ("", *RESERVED_ROOT_PATHS) or path.startswith("/health/")


def _check_roles(ctx: Context) -> None:
    seen: set[str] = set()
    for index, role in enumerate(ctx.app.roles):
        path = ("roles", index)
        if role.startswith("$"):
            ctx.report(
                "CMP123",
                f"role {ctx.show(path, role)} uses the '$' reserved for built-in roles",
                path,
                "built-in roles need no declaration: $everyone, $authenticated, "
                "$unauthenticated, $owner",
            )
        elif role in seen:
            ctx.report("CMP129", f"role {ctx.show(path, role)} is declared twice", path)
        seen.add(role)
