"""The ``services:`` and ``routes:`` sections: operations of a datasource, served as routes.

Part of the spec so a manifest can be checked against its final shape;
``validate`` rejects a non-empty section with CMP127 until the runtime serves it.
"""

from __future__ import annotations

from typing import Literal

from composer.spec.base import SpecModel

__all__ = ["RouteSpec", "ServiceSpec"]


class ServiceSpec(SpecModel):
    """A proxy over a datasource's operations (a REST or SOAP backend).

    >>> ServiceSpec(datasource="calculator").description is None
    True
    """

    datasource: str
    """the datasource whose operations the service exposes"""
    description: str | None = None


class RouteSpec(SpecModel):
    """An HTTP route that invokes one service operation.

    >>> RouteSpec(verb="get", path="/add", service="calc", operation="Add").verb
    'get'
    """

    verb: Literal["get", "post", "put", "patch", "delete"]
    path: str
    """the path under basePath; {name} segments become parameters"""
    service: str
    """the service to call"""
    operation: str
    """the service operation to call"""
    description: str | None = None
