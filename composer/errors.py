"""The one error tree of composer, and the manifest issue codes.

::

    ComposerError                     every error composer raises on purpose
    ├── ManifestError                 a manifest cannot be loaded or is invalid
    │   │                             (.issues: every problem, sorted by position)
    │   └── PlanCycleError            the artifact graph has a dependency cycle
    ├── BootError                     a generation failed to build or start
    │   └── ConnectorError            a datasource operation failed (connect, query, ...)
    ├── ShutdownError                 stopping collected one or more errors
    └── HttpError                     an error answered to an HTTP client
                                      (status, name, message, code?, details?)

A manifest problem is an :class:`Issue`: a code from :data:`CODES`, the key
path it concerns, the position in the source, a message and an optional hint.
Rendered, one issue reads::

    models/todo.yaml:14:17: error[CMP116] models.Todo.relations.owner.model: unknown model 'Usr'
      hint: did you mean 'User'? defined models: Todo, TodoList, User

Every code has a section in ``docs/errors.md``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from composer.codes import CODES, Code

__all__ = [
    "CODES",
    "BootError",
    "Code",
    "ComposerError",
    "ConnectorError",
    "HttpError",
    "Issue",
    "KeyPath",
    "ManifestError",
    "PlanCycleError",
    "Position",
    "ShutdownError",
    "did_you_mean",
    "format_key_path",
]


@dataclass(frozen=True, order=True, slots=True)
class Position:
    """Where something sits in a source file: 1-based line and column.

    ``file`` is the path as the user sees it (relative to the project folder
    when it lies inside it, the visible name for a symlinked ConfigMap file).
    """

    file: str
    line: int = 0
    column: int = 0
    #: for a value that came from a stack: the ``use:`` sites that included it, innermost first
    included_from: tuple[Position, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


KeyPath = tuple[str | int, ...]


def format_key_path(path: Iterable[str | int]) -> str:
    """``("models", "Todo", "acls", 0)`` -> ``models.Todo.acls[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def did_you_mean(
    word: str, choices: Iterable[str], what: str, *, suggest: bool = True, none: str = "none"
) -> str:
    """A hint: the closest choice when one is close, then every choice.

    >>> did_you_mean("prot", ["host", "port"], "allowed keys")
    "did you mean 'port'? allowed keys: host, port"
    >>> did_you_mean("x", [], "defined models")
    'defined models: none'

    ``suggest=False`` lists without guessing (for a word that may be a secret).
    """
    listed = list(choices)
    close = difflib.get_close_matches(word, listed, 1, 0.7) if suggest else []
    listing = f"{what}: {', '.join(listed) if listed else none}"
    return f"did you mean '{close[0]}'? {listing}" if close else listing


@dataclass(frozen=True, slots=True)
class Issue:
    """One manifest problem: what, where, and what would fix it."""

    code: str
    message: str
    path: KeyPath = ()
    position: Position | None = None
    hint: str | None = None
    related: tuple[Position, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered issue code {self.code!r}")

    def sort_key(self) -> tuple[str, int, int, str, str]:
        pos = self.position or Position("")
        return (pos.file, pos.line, pos.column, self.code, self.message)

    def render(self) -> str:
        where = f"{self.position}: " if self.position else ""
        key = format_key_path(self.path)
        lines = [f"{where}error[{self.code}] {key + ': ' if key else ''}{self.message}"]
        if self.position is not None:
            lines.extend(f"  included from {site}" for site in self.position.included_from)
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        pos = self.position
        return {
            "code": self.code,
            "path": format_key_path(self.path),
            "file": pos.file if pos else None,
            "line": pos.line if pos else None,
            "column": pos.column if pos else None,
            "message": self.message,
            "hint": self.hint,
        }


class ComposerError(Exception):
    """Base of every error composer raises on purpose."""


class ManifestError(ComposerError, ValueError):
    """A manifest could not be loaded or validated; ``issues`` lists every problem."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        if not issues:
            raise ValueError("ManifestError needs at least one issue")
        self.issues: tuple[Issue, ...] = tuple(sorted(issues, key=Issue.sort_key))
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(issue.render() for issue in self.issues)

    @classmethod
    def one(
        cls,
        code: str,
        message: str,
        *,
        path: KeyPath = (),
        position: Position | None = None,
        hint: str | None = None,
    ) -> ManifestError:
        return cls([Issue(code, message, path, position, hint)])


class PlanCycleError(ManifestError):
    """The artifacts depend on each other in a cycle."""


class BootError(ComposerError, RuntimeError):
    """A generation failed to build or start; ``artifact`` names what failed."""

    def __init__(self, message: str, *, artifact: str | None = None) -> None:
        self.artifact = artifact
        super().__init__(f"{artifact}: {message}" if artifact else message)


class ConnectorError(BootError):
    """A datasource operation failed; carries the datasource and the operation."""

    def __init__(self, message: str, *, datasource: str, operation: str) -> None:
        self.datasource = datasource
        self.operation = operation
        super().__init__(f"{operation} failed: {message}", artifact=f"datasources.{datasource}")


class ShutdownError(ComposerError, RuntimeError):
    """Stopping a generation raised; every error is kept in ``errors``."""

    def __init__(self, errors: Sequence[BaseException]) -> None:
        self.errors = tuple(errors)
        lines = "; ".join(f"{type(e).__name__}: {e}" for e in self.errors)
        super().__init__(f"{len(self.errors)} error(s) while stopping: {lines}")


class HttpError(ComposerError):
    """An error answered to an HTTP client in LoopBack's JSON shape.

    >>> HttpError(404, "Endpoint \\"GET /x\\" not found.").body()["error"]["name"]
    'NotFoundError'
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        details: Any = None,
        name: str | None = None,
    ) -> None:
        self.status = status
        self.message = message
        self.code = code
        self.details = details
        self.name = name or _http_error_name(status)
        super().__init__(message)

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {
            "statusCode": self.status,
            "name": self.name,
            "message": self.message,
        }
        if self.code is not None:
            error["code"] = self.code
        if self.details is not None:
            error["details"] = self.details
        return {"error": error}


_NAMES = {
    400: "BadRequestError",
    401: "UnauthorizedError",
    403: "ForbiddenError",
    404: "NotFoundError",
    405: "MethodNotAllowedError",
    406: "NotAcceptableError",
    408: "RequestTimeoutError",
    409: "ConflictError",
    410: "GoneError",
    411: "LengthRequiredError",
    412: "PreconditionFailedError",
    413: "PayloadTooLargeError",
    414: "URITooLongError",
    415: "UnsupportedMediaTypeError",
    416: "RangeNotSatisfiableError",
    417: "ExpectationFailedError",
    422: "UnprocessableEntityError",
    429: "TooManyRequestsError",
    431: "RequestHeaderFieldsTooLargeError",
    500: "InternalServerError",
    501: "NotImplementedError",
    502: "BadGatewayError",
    503: "ServiceUnavailableError",
    504: "GatewayTimeoutError",
}


def _http_error_name(status: int) -> str:
    """The error name LoopBack (http-errors) gives a status code."""
    return _NAMES.get(status, "BadRequestError" if status < 500 else "InternalServerError")
