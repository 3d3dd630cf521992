"""The per-request state the sequence's actions read and write."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from composer.rest.router import Endpoint

__all__ = ["ANONYMOUS", "NO_PARAMS", "Principal", "RequestContext"]

#: the path parameters of a static route, shared (read-only) by every request
NO_PARAMS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: an id (None when unknown) and the roles ACL rules match on.

    >>> sorted(ANONYMOUS.roles)
    ['$everyone', '$unauthenticated']
    """

    id: str | None
    roles: frozenset[str]


#: the caller every request is until an authentication strategy says otherwise
ANONYMOUS = Principal(None, frozenset({"$everyone", "$unauthenticated"}))


class RequestContext:
    """One request on its way through the sequence.

    Each action fills in its part: ``findRoute`` the endpoint and path
    parameters, ``authenticate`` the principal, ``parseParams`` the coerced
    parameters and body, ``invoke`` the result, ``send`` the response. The
    first action that sets ``response`` ends the sequence (``cors`` answering
    a preflight does). ``cors_headers`` are added to whatever response is
    finally sent, an error included; ``response_headers``, set by a handler
    (``X-Total-Count``), only to the answer ``send`` builds from its result.
    """

    __slots__ = (
        "body",
        "cors_headers",
        "endpoint",
        "params",
        "path_params",
        "principal",
        "request",
        "response",
        "response_headers",
        "result",
    )

    def __init__(self, request: web.Request) -> None:
        self.request = request
        self.endpoint: Endpoint | None = None
        self.path_params: Mapping[str, str] = NO_PARAMS
        self.params: Mapping[str, Any] = NO_PARAMS
        self.body: Any = None
        self.principal = ANONYMOUS
        self.result: Any = None
        self.response: web.StreamResponse | None = None
        self.cors_headers: Mapping[str, str] | None = None
        self.response_headers: Mapping[str, str] | None = None
