"""2 VALIDATE: a :class:`~composer.manifest.raw.RawManifest` becomes a frozen :class:`AppSpec`.

::

    raw = composer.manifest.load("examples/todo")
    app = composer.spec.validate(raw)     # AppSpec, or ManifestError listing every problem
    composer.spec.rest_path("Todo", app.models["Todo"])   # '/todos'

The spec models are frozen pydantic models in strict mode, snake_case in
Python and camelCase in the manifest; Python code builds them directly
(``AppSpec(api_version="composer/v1", name="todo", models={...})``).
"""

from __future__ import annotations

from composer.spec.acl import BUILTIN_ROLES, AclSpec
from composer.spec.app import SUPPORTED_API_VERSIONS, AppSpec
from composer.spec.authentication import (
    AuthenticationSpec,
    AuthStrategySpec,
    BasicStrategySpec,
    JwtStrategySpec,
)
from composer.spec.datasource import (
    BUILTIN_CONNECTORS,
    DatasourceSpec,
    MemoryDatasourceSpec,
    MigrateMode,
    PluginDatasourceSpec,
    SqlDatasourceSpec,
)
from composer.spec.lookup import (
    RelationKeys,
    base_chain,
    effective_properties,
    id_property,
    relation_keys,
)
from composer.spec.model import (
    PROPERTY_TYPES,
    IndexSpec,
    ModelRestSpec,
    ModelSpec,
    PropertySpec,
    PropertyType,
)
from composer.spec.naming import camel_case, kebab_case, plural, rest_path
from composer.spec.relation import (
    BelongsToSpec,
    ForeignKeyAction,
    ForeignKeySpec,
    HasManySpec,
    HasOneSpec,
    ReferencesManySpec,
    RelationSpec,
    ThroughSpec,
)
from composer.spec.rest import CorsSpec, ExplorerSpec, HttpMethod, PaginationSpec, RestSpec
from composer.spec.scalars import parse_byte_size
from composer.spec.schema import json_schema
from composer.spec.sequence import (
    ACTION_PREREQUISITES,
    BUILTIN_ACTIONS,
    DEFAULT_SEQUENCE,
    REQUIRED_ACTIONS,
)
from composer.spec.service import RouteSpec, ServiceSpec
from composer.spec.validation import validate

__all__ = [
    "ACTION_PREREQUISITES",
    "BUILTIN_ACTIONS",
    "BUILTIN_CONNECTORS",
    "BUILTIN_ROLES",
    "DEFAULT_SEQUENCE",
    "PROPERTY_TYPES",
    "REQUIRED_ACTIONS",
    "SUPPORTED_API_VERSIONS",
    "AclSpec",
    "AppSpec",
    "AuthStrategySpec",
    "AuthenticationSpec",
    "BasicStrategySpec",
    "BelongsToSpec",
    "CorsSpec",
    "DatasourceSpec",
    "ExplorerSpec",
    "ForeignKeyAction",
    "ForeignKeySpec",
    "HasManySpec",
    "HasOneSpec",
    "HttpMethod",
    "IndexSpec",
    "JwtStrategySpec",
    "MemoryDatasourceSpec",
    "MigrateMode",
    "ModelRestSpec",
    "ModelSpec",
    "PaginationSpec",
    "PluginDatasourceSpec",
    "PropertySpec",
    "PropertyType",
    "ReferencesManySpec",
    "RelationKeys",
    "RelationSpec",
    "RestSpec",
    "RouteSpec",
    "ServiceSpec",
    "SqlDatasourceSpec",
    "ThroughSpec",
    "base_chain",
    "camel_case",
    "effective_properties",
    "id_property",
    "json_schema",
    "kebab_case",
    "parse_byte_size",
    "plural",
    "relation_keys",
    "rest_path",
    "validate",
]
