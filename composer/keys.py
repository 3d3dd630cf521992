"""Typed keys for everything a generation's container holds.

A key is a dotted name, one doc line and the type of the value it holds
(like LoopBack's ``keys.ts`` and aiohttp's ``AppKey[T]``); the container
never sees a bare string::

    datasources.<name>   Connector        a datasource's connector
    models.<Name>        ModelBinding     a model tied to its datasource's connector
    repositories.<Name>  object           a persisted model's CRUD repository
    routes.<Name>        RouteBinding     the REST path a model is exposed at, its repository
    sequence             SequenceBinding  the request pipeline's actions and routes
    server.rest          ServerBinding    where the REST server listens

The types of the values live here too, so that every layer can name them
without importing a higher one. A repository is typed ``object`` here: its
class (``composer.repository.Repository``) lives above this layer, and the
code using one checks it with ``isinstance``.

>>> datasource("db").name
'datasources.db'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

__all__ = [
    "SEQUENCE",
    "SERVER_REST",
    "Connector",
    "Key",
    "ModelBinding",
    "RouteBinding",
    "SequenceBinding",
    "ServerBinding",
    "datasource",
    "model",
    "repository",
    "route",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Key(Generic[T]):
    """The typed name of one injected artifact.

    >>> SEQUENCE.name, SEQUENCE.doc
    ('sequence', "the request pipeline's actions and routes")
    """

    name: str
    doc: str

    def __str__(self) -> str:
        return self.name


class Connector(Protocol):
    """A datasource's runtime side: connect at start, disconnect at stop, ping for readiness.

    Every connector kind (``composer.connectors``) implements it; failures are
    raised as :class:`composer.errors.ConnectorError`.
    """

    @property
    def name(self) -> str:
        """The datasource's name in the manifest (``db``)."""
        ...

    @property
    def kind(self) -> str:
        """The connector kind (``memory``, ``sql``)."""
        ...

    async def connect(self) -> None:
        """Open the connection (pool, file, ...) and prove it works."""
        ...

    async def disconnect(self) -> None:
        """Release everything :meth:`connect` opened."""
        ...

    async def ping(self) -> None:
        """Raise ConnectorError unless the datasource answers now."""
        ...


@dataclass(frozen=True, slots=True)
class ModelBinding:
    """A model tied to the connector of its datasource (None when it has none)."""

    name: str
    datasource: Connector | None
    base: ModelBinding | None = None


@dataclass(frozen=True, slots=True)
class RouteBinding:
    """A model exposed over REST at ``path`` (under the basePath), served by ``repository``."""

    model: ModelBinding
    path: str
    repository: object = None


@dataclass(frozen=True, slots=True)
class SequenceBinding:
    """The request pipeline: its actions in order and the routes findRoute chooses from."""

    actions: tuple[str, ...]
    routes: tuple[RouteBinding, ...]


@dataclass(frozen=True, slots=True)
class ServerBinding:
    """Where the REST server listens and the sequence it runs."""

    host: str
    port: int
    base_path: str
    sequence: SequenceBinding


def datasource(name: str) -> Key[Connector]:
    """``datasources.<name>``: the connector of one datasource.

    >>> str(datasource("db"))
    'datasources.db'
    """
    return Key(f"datasources.{name}", f"the connector of datasource {name!r}")


def model(name: str) -> Key[ModelBinding]:
    """``models.<Name>``: one model bound to its datasource's connector.

    >>> str(model("Todo"))
    'models.Todo'
    """
    return Key(f"models.{name}", f"model {name!r} bound to its datasource")


def repository(name: str) -> Key[object]:
    """``repositories.<Name>``: the CRUD repository of one persisted model.

    >>> str(repository("Todo"))
    'repositories.Todo'
    """
    return Key(f"repositories.{name}", f"the repository of model {name!r}")


def route(name: str) -> Key[RouteBinding]:
    """``routes.<Name>``: the REST exposure of one model.

    >>> str(route("Todo"))
    'routes.Todo'
    """
    return Key(f"routes.{name}", f"the REST routes of model {name!r}")


SEQUENCE: Key[SequenceBinding] = Key("sequence", "the request pipeline's actions and routes")
SERVER_REST: Key[ServerBinding] = Key("server.rest", "where the REST server listens")
