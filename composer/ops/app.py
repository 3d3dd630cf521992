"""One generation of a running application: plan, wire, activate, start, stop.

An :class:`App` owns everything it builds (its graph, container, connectors,
aiohttp application and socket) and nothing else: no module holds a piece of
it, so two Apps live side by side in one process and stopping one leaves no
trace of it. An App starts once; hot reload builds a new one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from aiohttp import web
from dependency_injector import containers

from composer import keys, rest
from composer.connectors import SqlConnector, connector_factories
from composer.container import (
    ConnectorFactory,
    Graph,
    Lifecycle,
    Step,
    WireContext,
    Wired,
    plan,
    wire,
)
from composer.errors import BootError
from composer.ops.health import Health, add_health_routes
from composer.ops.listener import Listener
from composer.ops.migration import entities_of
from composer.repository.entity import EntityInfo
from composer.repository.repository import Repository
from composer.repository.sql.migrate import autoupdate
from composer.rest.crud_repository import DeferredBackend, build_repository
from composer.spec import AppSpec, SqlDatasourceSpec

__all__ = ["DEFAULT_GRACE", "App"]

#: seconds in-flight requests get to finish when an App stops
DEFAULT_GRACE = 10.0

State = Literal["created", "started", "stopped"]


class App:
    """A self-contained generation built from an :class:`~composer.spec.AppSpec`.

    ``start`` connects the datasources in plan order, brings the tables of
    every SQL datasource with ``migrate: autoupdate`` up to its models, and
    binds the socket; ``stop`` drains requests, then disconnects in reverse
    order. From Python,
    without any YAML::

        from pathlib import Path
        from composer import App
        from composer.spec import AppSpec, ModelSpec, PropertySpec, SqlDatasourceSpec

        spec = AppSpec(
            api_version="composer/v1",
            name="todo",
            datasources={"db": SqlDatasourceSpec(connector="sql", url="sqlite:///todo.db")},
            models={"Todo": ModelSpec(datasource="db",
                                      properties={"id": PropertySpec(type="integer", id=True)})},
        )
        async with App(spec, root=Path("."), data_dir=Path(".composer")) as app:
            await app.start(port=0)     # connect, listen on a free port
            print(app.url)              # http://127.0.0.1:40123
        # leaving the block stopped it

    ``factories`` replaces the connector kinds; by default they are the
    built-in kinds and those installed packages register, looked up anew
    for every App (``composer.connectors.connector_factories``).
    """

    def __init__(
        self,
        spec: AppSpec,
        *,
        root: Path,
        data_dir: Path,
        debug: bool = False,
        factories: Mapping[str, ConnectorFactory] | None = None,
    ) -> None:
        self.spec = spec
        self.root = Path(root)
        self.data_dir = Path(data_dir)
        self.debug = debug
        #: the artifacts in start order
        self.graph: Graph = plan(spec)
        self._wired = wire(
            self.graph,
            spec,
            factories=connector_factories() if factories is None else factories,
            context=WireContext(root=self.root, data_dir=self.data_dir),
            repositories=build_repository,
        )
        #: the aiohttp application (for tests: ``aiohttp.test_utils.TestClient``)
        self.web_app: web.Application = rest.activate(spec, self._wired.container, debug=debug)
        self.health = Health(self._wired.datasources())
        add_health_routes(self.web_app, self.health)
        self._listener = Listener(self.web_app)
        self._address = (spec.rest.host, spec.rest.port)
        self._grace = DEFAULT_GRACE
        self._lifecycle = Lifecycle(
            [
                *self._wired.steps(),
                *_migrations(spec, self._wired),
                *_repositories(self._wired),
                Step(keys.SERVER_REST.name, self._listen, self._close),
            ]
        )
        self._state: State = "created"

    @property
    def container(self) -> containers.DynamicContainer:
        """The dependency-injector container holding this generation's artifacts."""
        return self._wired.container

    @property
    def state(self) -> State:
        """``created``, ``started`` or ``stopped``."""
        return self._state

    @property
    def host(self) -> str | None:
        """The host the server listens on; None when not started."""
        return self._listener.host

    @property
    def port(self) -> int | None:
        """The bound port (the real one when started on port 0); None when not started."""
        return self._listener.port

    @property
    def url(self) -> str | None:
        """``http://host:port`` of the server; None when not started."""
        return self._listener.url

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI 3 document of this application's routes."""
        return rest.openapi_document(self.spec)

    def routes(self) -> list[rest.RouteInfo]:
        """The route table: every route this application serves."""
        return rest.route_table(self.spec)

    async def start(self, host: str | None = None, port: int | None = None) -> None:
        """Connect every datasource in plan order, migrate, then listen (default: rest.host,
        rest.port).

        An autoupdate that would have to drop or alter something is a
        :class:`~composer.errors.BootError` listing every such change, and
        nothing listens.

        When a step fails, the steps already done are undone in reverse and a
        :class:`~composer.errors.BootError` (or ConnectorError) is raised; the
        App is then stopped for good.
        """
        if self._state != "created":
            raise BootError(f"an App starts once; this one is {self._state}")
        self._address = (
            self.spec.rest.host if host is None else host,
            self.spec.rest.port if port is None else port,
        )
        self._state = "started"
        try:
            await self._lifecycle.start()
        except BaseException:
            self._state = "stopped"
            raise

    async def stop(self, grace: float = DEFAULT_GRACE) -> None:
        """Stop accepting, give in-flight requests ``grace`` seconds, disconnect in reverse order.

        Every error raised on the way is collected into one
        :class:`~composer.errors.ShutdownError`. Stopping an App that is not
        started (never, or any more) does nothing.
        """
        if self._state != "started":
            return
        self._grace = grace
        self._state = "stopped"
        await self._lifecycle.stop()

    async def __aenter__(self) -> App:
        """The App itself, not started: ``start()`` inside the block; leaving it stops the App."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _listen(self) -> None:
        await self._listener.open(*self._address)

    async def _close(self) -> None:
        await self._listener.close(self._grace)


def _migrations(spec: AppSpec, wired: Wired) -> list[Step]:
    """One autoupdate step per SQL datasource with ``migrate: autoupdate``, in plan order."""
    steps: list[Step] = []
    for key, connector in wired.datasources():
        name = key.name.partition(".")[2]
        datasource_spec = spec.datasources[name]
        entities = entities_of(spec, name)
        if (
            entities
            and isinstance(datasource_spec, SqlDatasourceSpec)
            and datasource_spec.migrate == "autoupdate"
            and isinstance(connector, SqlConnector)
        ):
            steps.append(Step(f"migrations.{name}", _autoupdate(connector, entities), _nothing))
    return steps


def _repositories(wired: Wired) -> list[Step]:
    """Open each repository's backend once its datasource is connected and migrated."""
    steps: list[Step] = []
    for node in wired.graph.of_kind("repository"):
        repository = wired.resolve(node.key)
        if isinstance(repository, Repository) and isinstance(repository.backend, DeferredBackend):
            backend = repository.backend
            steps.append(Step(node.name, backend.open, backend.close))
    return steps


def _autoupdate(
    connector: SqlConnector, entities: list[EntityInfo]
) -> Callable[[], Awaitable[None]]:
    async def migrate() -> None:
        await autoupdate(connector, entities)

    return migrate


async def _nothing() -> None:
    return None
