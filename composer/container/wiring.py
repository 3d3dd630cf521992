"""4 WIRE: the artifact graph becomes a dependency-injector ``DynamicContainer``.

Every node of the graph gets one provider, bound under its key's name:

    datasources.<name>  Singleton of the connector its kind's factory builds
    models.<Name>       Singleton ModelBinding (its datasource's connector, its base)
    repositories.<Name> Singleton of the repository the repository factory builds
    routes.<Name>       Singleton RouteBinding (the model, its REST path, its repository)
    sequence            Singleton SequenceBinding (the actions, every route)
    server.rest         Singleton ServerBinding (host, port, basePath, the sequence)

Nothing is connected here: building a connector opens nothing, and the
:class:`~composer.container.lifecycle.Lifecycle` connects them in plan order.
There is no ``container.wire()`` and no ``Provide`` marker (dependency-injector's
module wiring is process-global): each generation's providers are passed
explicitly, so two generations never share one.

The container layer sits below the connectors and the repositories: the
caller passes the connector factories in ``factories``, keyed by connector
kind, and the function building a model's repository in ``repositories``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from dependency_injector import containers, providers

from composer import keys
from composer.container.graph import Graph, Node
from composer.container.lifecycle import Step
from composer.errors import BootError
from composer.keys import Connector, Key
from composer.spec import AppSpec, DatasourceSpec, rest_path

__all__ = ["ConnectorFactory", "RepositoryFactory", "WireContext", "Wired", "resolve", "wire"]

T = TypeVar("T")


class ConnectorFactory(Protocol):
    """Builds (without connecting) the connector of one datasource.

    ``root`` is the project folder relative manifest paths resolve against;
    ``data_dir`` is where the connector may write files.
    """

    def __call__(
        self, name: str, spec: DatasourceSpec, *, root: Path, data_dir: Path
    ) -> Connector: ...


class RepositoryFactory(Protocol):
    """Builds the repository of persisted model ``name`` over its datasource's connector.

    Called when the repository is first resolved (at activation), before the
    connector is connected: a repository must not use the connection until a
    request needs it.
    """

    def __call__(self, name: str, spec: AppSpec, connector: Connector) -> object: ...


def _no_repositories(name: str, spec: AppSpec, connector: Connector) -> object:
    raise BootError("no repository factory was given to wire()", artifact=f"repositories.{name}")


@dataclass(frozen=True, slots=True)
class WireContext:
    """What the artifacts of one generation may need from outside the spec."""

    root: Path
    data_dir: Path


def resolve(container: containers.DynamicContainer, key: Key[T]) -> T:
    """The value bound to ``key`` in a wired container.

    >>> from composer.spec import AppSpec
    >>> from composer.container import plan
    >>> app = AppSpec(api_version="composer/v1", name="a")
    >>> wired = wire(plan(app), app, factories={}, context=WireContext(Path("."), Path(".c")))
    >>> resolve(wired.container, keys.SEQUENCE).actions[0]
    'cors'
    """
    provider = container.providers.get(key.name)
    if provider is None:
        raise KeyError(f"nothing is bound to {key.name!r}")
    return cast(T, provider())


@dataclass(frozen=True, slots=True)
class Wired:
    """A generation's graph and its container, nothing connected yet."""

    graph: Graph
    container: containers.DynamicContainer

    def resolve(self, key: Key[T]) -> T:
        """The value bound to ``key``."""
        return resolve(self.container, key)

    def datasources(self) -> tuple[tuple[Key[Connector], Connector], ...]:
        """Every datasource's key and connector, in plan order."""
        found: list[tuple[Key[Connector], Connector]] = []
        for node in self.graph.of_kind("datasource"):
            key = cast(Key[Connector], node.key)
            found.append((key, self.resolve(key)))
        return tuple(found)

    def steps(self) -> tuple[Step, ...]:
        """Connect/disconnect steps of every datasource, in plan order."""
        return tuple(
            Step(key.name, connector.connect, connector.disconnect)
            for key, connector in self.datasources()
        )


def wire(
    graph: Graph,
    spec: AppSpec,
    *,
    factories: Mapping[str, ConnectorFactory],
    context: WireContext,
    repositories: RepositoryFactory = _no_repositories,
) -> Wired:
    """Bind one provider per artifact of ``graph`` in a new ``DynamicContainer``.

    A datasource whose connector kind has no factory is a
    :class:`~composer.errors.BootError` naming the datasource and the known kinds.
    ``repositories`` builds each persisted model's repository; without it,
    resolving a repository (or a route) is a BootError.

    >>> from composer.spec import AppSpec
    >>> from composer.container import plan
    >>> app = AppSpec(api_version="composer/v1", name="a")
    >>> wired = wire(plan(app), app, factories={}, context=WireContext(Path("."), Path(".c")))
    >>> wired.resolve(keys.SERVER_REST).port
    3000
    """
    container = containers.DynamicContainer()
    bound: dict[str, providers.Provider[Any]] = {}
    for node in graph:
        provider = _provider(
            node,
            spec,
            bound=bound,
            factories=factories,
            context=context,
            repositories=repositories,
        )
        bound[node.name] = provider
        container.set_provider(node.name, provider)
    return Wired(graph, container)


def _provider(
    node: Node,
    spec: AppSpec,
    *,
    bound: Mapping[str, providers.Provider[Any]],
    factories: Mapping[str, ConnectorFactory],
    context: WireContext,
    repositories: RepositoryFactory,
) -> providers.Provider[Any]:
    name = node.name.partition(".")[2]
    if node.kind == "datasource":
        datasource = spec.datasources[name]
        factory = factories.get(datasource.connector)
        if factory is None:
            known = ", ".join(sorted(factories)) or "none"
            raise BootError(
                f"no connector of kind {datasource.connector!r} (known kinds: {known})",
                artifact=node.name,
            )
        return providers.Singleton(
            factory, name, datasource, root=context.root, data_dir=context.data_dir
        )
    if node.kind == "model":
        model = spec.models[name]
        return providers.Singleton(
            keys.ModelBinding,
            name=name,
            datasource=_bound(bound, keys.datasource, model.datasource),
            base=_bound(bound, keys.model, model.base),
        )
    if node.kind == "repository":
        stored_in = spec.models[name].datasource
        if stored_in is None:
            raise BootError("a repository needs a datasource", artifact=node.name)
        return providers.Singleton(repositories, name, spec, bound[keys.datasource(stored_in).name])
    if node.kind == "route":
        return providers.Singleton(
            keys.RouteBinding,
            model=bound[keys.model(name).name],
            path=rest_path(name, spec.models[name]),
            repository=bound[keys.repository(name).name],
        )
    if node.kind == "sequence":
        return providers.Singleton(
            _sequence, tuple(spec.sequence), *(bound[route] for route in node.depends_on)
        )
    return providers.Singleton(
        keys.ServerBinding,
        host=spec.rest.host,
        port=spec.rest.port,
        base_path=spec.rest.base_path,
        sequence=bound[keys.SEQUENCE.name],
    )


def _bound(
    bound: Mapping[str, providers.Provider[Any]],
    key_of: Callable[[str], Key[Any]],
    name: str | None,
) -> providers.Provider[Any] | None:
    return None if name is None else bound[key_of(name).name]


def _sequence(actions: tuple[str, ...], *routes: keys.RouteBinding) -> keys.SequenceBinding:
    return keys.SequenceBinding(actions, tuple(routes))
