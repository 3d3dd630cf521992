"""The sequence: the named actions every request under the basePath goes through.

A sequence is data: the spec's list of action names (``sequence:``, by
default ``cors, findRoute, authenticate, authorize, parseParams, invoke,
send``). At activation each name is looked up in :data:`ACTIONS`, a static
table of built-in action kinds, and its factory builds the action for this
generation (compiling what it needs: the route table, the CORS headers).
Per request the handler runs the actions in order over one
:class:`~composer.rest.context.RequestContext`; the first action that sets a
response ends the run, and any exception goes to ``reject`` (which is not
listed: it always runs on error) to become the JSON error answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from aiohttp import web

from composer.errors import BootError
from composer.rest.auth import authenticate, authorize
from composer.rest.context import RequestContext
from composer.rest.cors import cors
from composer.rest.invocation import invoke, send
from composer.rest.parameters import parse_params
from composer.rest.rejection import reject
from composer.rest.router import Router, find_route
from composer.spec import ACTION_PREREQUISITES

if TYPE_CHECKING:
    from composer.spec import AppSpec

__all__ = ["ACTIONS", "Action", "ActionKind", "SequenceHandler", "SequenceSetup"]

#: one step of the sequence
Action = Callable[[RequestContext], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class SequenceSetup:
    """What action factories build from: this generation's spec and route table."""

    spec: AppSpec
    router: Router
    debug: bool

    @property
    def base_path(self) -> str:
        """The basePath without a trailing slash (``/`` for the root)."""
        return self.spec.rest.base_path.rstrip("/") or "/"


@dataclass(frozen=True, slots=True)
class ActionKind:
    """A built-in action: its factory and the actions that must run before it.

    A factory returning None means the action has nothing to do in this
    generation (``cors`` when CORS is disabled) and is left out.
    """

    factory: Callable[[SequenceSetup], Action | None]
    after: tuple[str, ...] = ()


#: the built-in actions by the name a sequence lists them under
ACTIONS = MappingProxyType(
    {
        "cors": ActionKind(cors),
        "findRoute": ActionKind(find_route),
        "authenticate": ActionKind(authenticate),
        "authorize": ActionKind(authorize),
        "parseParams": ActionKind(parse_params, after=ACTION_PREREQUISITES["parseParams"]),
        "invoke": ActionKind(invoke, after=ACTION_PREREQUISITES["invoke"]),
        "send": ActionKind(send, after=ACTION_PREREQUISITES["send"]),
    }
)


def _check(names: Sequence[str]) -> None:
    seen: list[str] = []
    for name in names:
        kind = ACTIONS.get(name)
        if kind is None:
            raise BootError(
                f"unknown action {name!r}; the built-in actions are {', '.join(ACTIONS)}",
                artifact="sequence",
            )
        if name in seen:
            raise BootError(f"action {name!r} is listed twice", artifact="sequence")
        for needed in kind.after:
            if needed not in seen:
                raise BootError(f"action {name!r} needs {needed!r} before it", artifact="sequence")
        seen.append(name)
    if "send" not in seen:
        raise BootError("no action sends the response: add 'send'", artifact="sequence")


class SequenceHandler:
    """The aiohttp handler of every request under the basePath: the compiled sequence.

    >>> from composer.spec import AppSpec
    >>> spec = AppSpec(api_version="composer/v1", name="a")
    >>> handler = SequenceHandler(spec.sequence, SequenceSetup(spec, Router([]), debug=False))
    >>> handler.names
    ('cors', 'findRoute', 'authenticate', 'authorize', 'parseParams', 'invoke', 'send')
    """

    __slots__ = ("_actions", "_debug", "names")

    def __init__(self, names: Sequence[str], setup: SequenceSetup) -> None:
        _check(names)
        built = [(name, ACTIONS[name].factory(setup)) for name in names]
        self.names: tuple[str, ...] = tuple(name for name, action in built if action is not None)
        self._actions: tuple[Action, ...] = tuple(
            action for _, action in built if action is not None
        )
        self._debug = setup.debug

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Run the sequence for one request; what aiohttp calls."""
        ctx = RequestContext(request)
        try:
            for action in self._actions:
                await action(ctx)
                if ctx.response is not None:
                    return ctx.response
            raise RuntimeError("the sequence ended without a response")
        except Exception as exc:
            return reject(ctx, exc, debug=self._debug)
