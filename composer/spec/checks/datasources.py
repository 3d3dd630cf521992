"""Checks on datasources: SQL URLs parse and name a supported database."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from composer.manifest.raw import EnvStr
from composer.spec.checks.context import Context
from composer.spec.datasource import SqlDatasourceSpec

__all__ = ["SQL_BACKENDS", "check_datasources", "url_problem"]

#: the URL schemes a sql datasource accepts, each optionally with ``+driver``
SQL_BACKENDS: tuple[str, ...] = ("sqlite", "postgresql", "postgres", "mysql", "mariadb")

_URL_HINT = (
    "use dialect[+driver]://user:password@host:port/database "
    "(postgresql, mysql, mariadb) or sqlite:///relative.db, sqlite:////absolute.db"
)


def url_problem(url: str) -> str | None:
    """Why a sql ``url`` is unusable, or None; never repeats the URL (it may hold a password).

    >>> url_problem("sqlite:///todo.db"), url_problem("mongodb://db/app")
    (None, "has the unsupported scheme 'mongodb'")
    """
    if any(ord(char) < 32 or ord(char) == 127 for char in url):
        return "has a control character"
    try:
        parsed = make_url(url)
        port = parsed.port
    except (ArgumentError, ValueError):
        return "does not parse"
    backend = parsed.get_backend_name()
    if backend not in SQL_BACKENDS:
        return f"has the unsupported scheme '{backend}'"
    if port is not None and not 1 <= port <= 65535:
        return "has a port out of range (1-65535)"
    if backend == "sqlite" and (parsed.host or parsed.username or parsed.port):
        return "names a host, which sqlite does not have"
    return None


def check_datasources(ctx: Context) -> None:
    """SQL URLs (CMP108)."""
    if not ctx.has("datasources"):
        return
    for name, spec in ctx.app.datasources.items():
        if isinstance(spec, SqlDatasourceSpec):
            path = ("datasources", name, "url")
            problem = url_problem(spec.url)
            if problem is not None:
                written = ctx.written(path)
                subject = written.expression if isinstance(written, EnvStr) else "the URL"
                ctx.report("CMP108", f"{subject} {problem}", path, _URL_HINT)
