"""The ``datasources:`` section: one spec per connector kind, chosen by ``connector:``."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from composer.spec.base import SpecModel
from composer.spec.scalars import Bool, PositiveInt

__all__ = [
    "DatasourceSpec",
    "MemoryDatasourceSpec",
    "MigrateMode",
    "SqlDatasourceSpec",
]

MigrateMode = Literal["none", "autoupdate", "automigrate"]


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
    """at start: none, autoupdate (add missing tables and columns), automigrate (drop, recreate)"""
    pool_size: PositiveInt | None = None
    """connections kept in the pool; the driver's default when not set"""
    echo: Bool = False
    """log every SQL statement"""


DatasourceSpec = Annotated[
    MemoryDatasourceSpec | SqlDatasourceSpec, Field(discriminator="connector")
]
"""A datasource, by its ``connector:``."""
