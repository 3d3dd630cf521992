"""The ``datasources:`` section: one spec per connector kind, chosen by ``connector:``.

A built-in kind (``memory``, ``sql``) has its own closed spec: an unknown key
is an error. Any other ``connector:`` is a kind an installed package
registers (the ``composer.connectors`` entry-point group): its datasource is
a :class:`PluginDatasourceSpec` keeping the other keys as the ``options`` the
package's factory reads. Whether such a kind is installed is not a question
for the spec (pure, no entry-point scanning): ``composer.boot.check`` asks
``composer.connectors`` (CMP133).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any, Literal, get_args

from pydantic import ConfigDict, Discriminator, Field, Tag, field_validator

from composer.spec.base import SpecModel
from composer.spec.scalars import Bool, NonNegativeInt, PositiveInt, PositiveNumber

__all__ = [
    "BUILTIN_CONNECTORS",
    "DatasourceSpec",
    "MemoryDatasourceSpec",
    "MigrateMode",
    "PluginDatasourceSpec",
    "SqlDatasourceSpec",
]

MigrateMode = Literal["none", "autoupdate"]


class MemoryDatasourceSpec(SpecModel):
    """Data held in process memory, optionally persisted to a JSON file.

    >>> MemoryDatasourceSpec(connector="memory").file is None
    True
    """

    connector: Literal["memory"]
    file: str | None = None
    """a file under the data directory the data is saved to and loaded from"""


class SqlDatasourceSpec(SpecModel):
    """A SQL database through SQLAlchemy: SQLite, PostgreSQL, MySQL or MariaDB.

    >>> SqlDatasourceSpec(connector="sql", url="sqlite:///todo.db").migrate
    'autoupdate'
    """

    connector: Literal["sql"]
    url: str
    """a SQLAlchemy URL: sqlite:///file.db, postgresql://..., mysql://..., mariadb://..."""
    migrate: MigrateMode = "autoupdate"
    """at start: none, or autoupdate (add missing tables, columns and indexes; never drop)"""
    pool_size: PositiveInt | None = None
    """connections kept in the pool; SQLAlchemy's default (5) when not set"""
    max_overflow: NonNegativeInt | None = None
    """connections opened beyond poolSize under load, each closed when returned; 0 when not
    set (requests wait for a pooled connection instead)"""
    pool_timeout: PositiveNumber | None = None
    """seconds a request waits for a free connection before it fails (503)"""
    statement_timeout: PositiveNumber | None = None
    """seconds a statement may run before it is cancelled (the request answers 503)"""
    echo: Bool = False
    """log every SQL statement"""


#: the connector kinds built in, each with its own spec
BUILTIN_CONNECTORS: tuple[str, ...] = tuple(
    str(get_args(spec.model_fields["connector"].annotation)[0])
    for spec in (MemoryDatasourceSpec, SqlDatasourceSpec)
)

#: the union tag of :class:`PluginDatasourceSpec` (pydantic's error locations carry it)
_PLUGIN_TAG = "plugin"


class PluginDatasourceSpec(SpecModel):
    """A datasource of a connector kind an installed package registers.

    Every key besides ``connector`` is an option of that kind, kept as
    written (manifest key names; a ``${VAR}`` gives a string) for the
    package's factory to read from :attr:`options`.

    >>> spec = PluginDatasourceSpec(connector="notebook", pages="notes.json")
    >>> spec.connector, dict(spec.options)
    ('notebook', {'pages': 'notes.json'})
    """

    model_config = ConfigDict(extra="allow")

    connector: str = Field(json_schema_extra={"not": {"enum": list(BUILTIN_CONNECTORS)}})
    """a kind an installed package registers in the composer.connectors entry-point group"""

    @field_validator("connector")
    @classmethod
    def _not_builtin(cls, connector: str) -> str:
        if connector in BUILTIN_CONNECTORS:
            raise ValueError(f"{connector!r} is built in: use its own spec")
        return connector

    @property
    def options(self) -> Mapping[str, Any]:
        """The datasource's keys other than ``connector``, read-only."""
        return MappingProxyType(self.model_extra or {})


def _member(value: Any) -> str | None:
    """The union member for a datasource: its built-in kind, else the installed-kind spec.

    None (reported as a missing ``connector``) only for a mapping without one.
    """
    if isinstance(value, dict):
        if "connector" not in value:
            return None
        connector = value["connector"]
    else:
        connector = getattr(value, "connector", None)
    return str(connector) if connector in BUILTIN_CONNECTORS else _PLUGIN_TAG


DatasourceSpec = Annotated[
    Annotated[MemoryDatasourceSpec, Tag("memory")]
    | Annotated[SqlDatasourceSpec, Tag("sql")]
    | Annotated[PluginDatasourceSpec, Tag(_PLUGIN_TAG)],
    Discriminator(
        _member,
        custom_error_type="union_tag_not_found",
        custom_error_context={"discriminator": "'connector'"},
    ),
]
"""A datasource, by its ``connector:``: a built-in kind's spec, or :class:`PluginDatasourceSpec`."""
