"""The ``rest:`` section: where and how the HTTP server listens."""

from __future__ import annotations

from typing import Annotated, Literal

from composer.spec.base import SpecModel
from composer.spec.scalars import (
    Bool,
    ByteSize,
    Int,
    NonNegativeInt,
    PositiveInt,
    Seq,
    bool_shorthand,
)

__all__ = ["CorsSpec", "ExplorerSpec", "HttpMethod", "PaginationSpec", "RestSpec"]

HttpMethod = Literal["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE", "OPTIONS"]


class CorsSpec(SpecModel):
    """Cross-origin resource sharing; LoopBack's defaults.

    >>> CorsSpec().origins
    ('*',)
    """

    enabled: Bool = True
    """answer CORS preflights and add the CORS headers"""
    origins: Seq[str] = ("*",)
    """allowed origins; '*' allows any"""
    methods: Seq[HttpMethod] = ("GET", "HEAD", "PUT", "PATCH", "POST", "DELETE")
    """allowed methods"""
    headers: Seq[str] = ()
    """allowed request headers; empty reflects the preflight's Access-Control-Request-Headers"""
    expose_headers: Seq[str] = ()
    """response headers a browser script may read"""
    credentials: Bool = True
    """allow cookies and Authorization headers"""
    max_age: NonNegativeInt = 86400
    """seconds a browser may cache a preflight answer"""


class ExplorerSpec(SpecModel):
    """The Swagger UI explorer; the manifest may say ``explorer: false``.

    >>> ExplorerSpec().path
    '/explorer'
    """

    enabled: Bool = True
    """serve the explorer"""
    path: str = "/explorer"
    """where the explorer is served, at the server root"""


class PaginationSpec(SpecModel):
    """Limits applied to every ``find``.

    >>> PaginationSpec(default_limit=20, max_limit=100).max_limit
    100
    """

    default_limit: PositiveInt | None = None
    """the limit when a request gives none"""
    max_limit: PositiveInt | None = None
    """the largest limit a request may ask for"""


class RestSpec(SpecModel):
    """The HTTP server.

    >>> RestSpec(port=8080).base_path
    '/'
    """

    host: str = "127.0.0.1"
    """the interface to listen on"""
    port: Int = 3000
    """the TCP port, 1-65535"""
    base_path: str = "/"
    """the path every model route is served under"""
    cors: CorsSpec = CorsSpec()
    """cross-origin resource sharing"""
    explorer: Annotated[ExplorerSpec, bool_shorthand("enabled")] = ExplorerSpec()
    """the API explorer, or true/false"""
    max_body_size: ByteSize = 1_048_576
    """the largest request body: bytes, or a size such as 512kb, 1mb, 2MiB"""
    pagination: PaginationSpec = PaginationSpec()
    """default and maximum page sizes"""
    max_include_depth: PositiveInt = 3
    """how many levels a filter's include may nest (include inside an include's scope)"""
