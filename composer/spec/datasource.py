"""The ``datasources:`` section: one spec per connector kind, chosen by ``connector:``."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from composer.spec.base import SpecModel
from composer.spec.scalars import Bool, NonNegativeInt, PositiveInt, PositiveNumber

__all__ = [
    "DatasourceSpec",
    "MemoryDatasourceSpec",
    "MigrateMode",
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
    """connections kept in the pool; the driver's default when not set"""
    max_overflow: NonNegativeInt | None = None
    """connections opened beyond pool_size under load; the driver's default when not set"""
    pool_timeout: PositiveNumber | None = None
    """seconds a request waits for a free connection before it fails (503)"""
    statement_timeout: PositiveNumber | None = None
    """seconds a statement may run before it is cancelled (the request answers 503)"""
    echo: Bool = False
    """log every SQL statement"""


DatasourceSpec = Annotated[
    MemoryDatasourceSpec | SqlDatasourceSpec, Field(discriminator="connector")
]
"""A datasource, by its ``connector:``."""
