"""Which :class:`~composer.repository.backend.Backend` stores a model, by its connector's kind.

=========================  ==================================================
connector                  backend
=========================  ==================================================
``memory``                 :class:`~composer.repository.memory.MemoryBackend`
``sql``                    :class:`~composer.repository.sql.backend.SqlBackend`
                           over the model's table (built for the database the
                           connector reached, so after connect)
any other (entry points)   the connector's ``repository_backend(info)``
=========================  ==================================================

A third-party connector (registered in the ``composer.connectors``
entry-point group, see :mod:`composer.connectors`) stores models by
implementing :class:`RepositoryConnector`.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from composer.connectors import MemoryConnector, SqlConnector
from composer.errors import BootError
from composer.keys import Connector
from composer.repository.backend import Backend
from composer.repository.entity import Catalog, EntityInfo
from composer.repository.memory import MemoryBackend
from composer.spec import AppSpec

__all__ = ["RepositoryConnector", "make_backend"]


@runtime_checkable
class RepositoryConnector(Protocol):
    """A connector that stores models: it hands out one backend per model."""

    def repository_backend(self, info: EntityInfo) -> Backend:
        """The backend storing the rows of the model ``info`` describes."""
        ...


def make_backend(connector: Connector, info: EntityInfo, app: AppSpec) -> Backend:
    """The backend storing model ``info`` through ``connector``.

    A SQL connector must be connected (the statements are compiled for its
    database). ``app`` is the generation's spec.

    >>> import asyncio
    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> from composer.repository.entity import entity_info
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Tag": ModelSpec(
    ...     properties={"id": PropertySpec(type="string", id=True)})})
    >>> memory = MemoryConnector("db")
    >>> type(make_backend(memory, entity_info(app, "Tag"), app)).__name__
    'MemoryBackend'
    """
    if isinstance(connector, MemoryConnector):
        return MemoryBackend(connector, info)
    if isinstance(connector, SqlConnector):
        # imported here: only applications with a SQL datasource pay for the SQL backend
        from sqlalchemy import MetaData

        from composer.repository.sql.backend import SqlBackend
        from composer.repository.sql.schema import dialect_key, table_for

        table = table_for(info, MetaData(), dialect_key(connector.engine.dialect))
        return SqlBackend(connector, info, table, Catalog(app))
    if isinstance(connector, RepositoryConnector):
        return connector.repository_backend(info)
    raise BootError(
        f"a {connector.kind} datasource cannot store models "
        f"(its connector has no repository_backend method)",
        artifact=f"models.{info.name}",
    )
