"""The whole application: the root of the spec tree."""

from __future__ import annotations

from composer.spec.authentication import AuthenticationSpec
from composer.spec.base import SpecModel
from composer.spec.datasource import DatasourceSpec
from composer.spec.model import ModelSpec
from composer.spec.rest import RestSpec
from composer.spec.scalars import Seq
from composer.spec.sequence import DEFAULT_SEQUENCE
from composer.spec.service import RouteSpec, ServiceSpec

__all__ = ["SUPPORTED_API_VERSIONS", "AppSpec"]

SUPPORTED_API_VERSIONS: tuple[str, ...] = ("composer/v1",)


class AppSpec(SpecModel):
    """A validated application, as ``composer.spec.validate`` returns it or Python code builds it.

    >>> app = AppSpec(api_version="composer/v1", name="todo")
    >>> app.rest.port, app.sequence[0]
    (3000, 'cors')
    """

    api_version: str
    """the manifest format: composer/v1"""
    name: str
    """the application name, a DNS-1123 label (lower-case letters, digits, '-')"""
    rest: RestSpec = RestSpec()
    """the HTTP server"""
    datasources: dict[str, DatasourceSpec] = {}
    """datasources by name"""
    models: dict[str, ModelSpec] = {}
    """models by name"""
    roles: Seq[str] = ()
    """custom roles ACL rules may name"""
    sequence: Seq[str] = DEFAULT_SEQUENCE
    """the actions every request goes through, in order"""
    authentication: AuthenticationSpec | None = None
    """authentication strategies"""
    services: dict[str, ServiceSpec] = {}
    """services by name"""
    routes: dict[str, RouteSpec] = {}
    """routes by name"""
