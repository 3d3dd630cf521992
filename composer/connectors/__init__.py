"""Datasource connectors: one module per kind behind one :class:`~composer.keys.Connector`.

::

    memory   in-process collections, optionally loaded from a JSON file   (memory.py)
    sql      SQLite, PostgreSQL, MySQL, MariaDB through SQLAlchemy async   (sql.py)

:data:`CONNECTORS` maps a datasource's ``connector:`` to the factory that
builds its connector; the caller hands it to ``composer.container.wire``.
Adding a kind costs one module and one line in that table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from composer.connectors.memory import MemoryConnector
from composer.connectors.sql import SQLITE_PRAGMAS, SqlConnector
from composer.keys import Connector

__all__ = ["CONNECTORS", "SQLITE_PRAGMAS", "Connector", "MemoryConnector", "SqlConnector"]

#: connector factories by kind: ``factory(name, spec, *, root, data_dir) -> Connector``
CONNECTORS: Mapping[str, Callable[..., Connector]] = MappingProxyType(
    {
        "memory": MemoryConnector.from_spec,
        "sql": SqlConnector.from_spec,
    }
)
