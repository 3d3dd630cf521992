"""A persisted model's repository, as the container builds it for the CRUD routes.

The container resolves a model's repository at activation, before any
datasource is connected, so the CRUD handlers hold it from then on; but a
SQL backend is compiled for the database its connector reaches, after
connect. So the repository's backend is a :class:`DeferredBackend`: the
generation's start opens it (after the datasources connected and migrated)
by building the real backend with
:func:`~composer.repository.backends.make_backend`, and every call goes
straight to that backend from then on.

The model's default ``scope:`` is parsed here, once (a scope the manifest
checks did not see, in a spec built in Python, fails the boot).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from composer.errors import BootError, HttpError
from composer.keys import Connector
from composer.repository.backend import Backend, Row, find_partitioned
from composer.repository.backends import make_backend
from composer.repository.entity import EntityInfo
from composer.repository.filter import FilterLimits, parse_filter
from composer.repository.model import ModelRuntime
from composer.repository.query import Filter, Where
from composer.repository.repository import Repository
from composer.spec import AppSpec

__all__ = ["DeferredBackend", "build_repository"]


class DeferredBackend:
    """A :class:`~composer.repository.backend.Backend` built when the generation starts.

    ::

        backend = DeferredBackend(connector, info, app)
        await backend.open()     # after connector.connect(): make_backend(...)
        await backend.find(Filter())
        await backend.close()
    """

    __slots__ = ("_app", "_backend", "_connector", "_info")

    def __init__(self, connector: Connector, info: EntityInfo, app: AppSpec) -> None:
        self._connector = connector
        self._info = info
        self._app = app
        self._backend: Backend | None = None

    @property
    def backend(self) -> Backend:
        """The real backend; a 503 before the generation started or after it stopped."""
        backend = self._backend
        if backend is None:
            raise HttpError(503, f"The datasource of {self._info.name} is not connected.")
        return backend

    async def open(self) -> None:
        """Build the real backend; the connector must be connected."""
        self._backend = make_backend(self._connector, self._info, self._app)

    async def close(self) -> None:
        """Forget the real backend (the connector disconnects on its own)."""
        self._backend = None

    async def create(self, rows: Sequence[Mapping[str, Any]]) -> list[Row]:
        return await self.backend.create(rows)

    async def find(self, query: Filter) -> list[Row]:
        return await self.backend.find(query)

    async def find_partitioned(self, query: Filter, partition: str) -> list[Row]:
        return await find_partitioned(self.backend, query, partition)

    async def count(self, where: Where | None) -> int:
        return await self.backend.count(where)

    async def update(self, where: Where | None, changes: Mapping[str, Any]) -> int:
        return await self.backend.update(where, changes)

    async def replace(self, id: Any, row: Mapping[str, Any]) -> bool:
        return await self.backend.replace(id, row)

    async def delete(self, where: Where | None) -> int:
        return await self.backend.delete(where)


def build_repository(name: str, spec: AppSpec, connector: Connector) -> Repository:
    """The repository of persisted model ``name``: runtime, deferred backend, default scope.

    This is the ``repositories`` factory :func:`composer.container.wire` gets.

    >>> from composer.connectors import MemoryConnector
    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Tag": ModelSpec(
    ...     datasource="db", scope={"order": "label"}, properties={
    ...         "id": PropertySpec(type="integer", id=True),
    ...         "label": PropertySpec(type="string")})})
    >>> tags = build_repository("Tag", app, MemoryConnector("db"))
    >>> tags.scope.order
    (Order(property='label', descending=False),)
    """
    runtime = ModelRuntime.from_app(spec, name)
    info = runtime.info
    scope = None
    raw_scope = spec.models[name].scope
    if raw_scope is not None:
        limits = FilterLimits(max_limit=spec.rest.pagination.max_limit)
        try:
            scope = parse_filter(raw_scope, info, limits=limits, allow_hidden=True)
        except HttpError as error:
            raise BootError(
                f"invalid default scope: {error.message}", artifact=f"models.{name}"
            ) from None
    return Repository(runtime, DeferredBackend(connector, info, spec), scope=scope)
