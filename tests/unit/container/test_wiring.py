"""wire(): one provider per artifact, bound under its key, nothing connected."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer import keys
from composer.container import WireContext, Wired, plan, resolve, wire
from composer.errors import BootError
from composer.spec import AppSpec, MemoryDatasourceSpec, ModelSpec, PropertySpec, RestSpec
from tests.unit.connectors.recording import Recording

ID = {"id": PropertySpec(type="integer", id=True)}
CONTEXT = WireContext(root=Path("/project"), data_dir=Path("/project/.composer"))


def _spec() -> AppSpec:
    return AppSpec(
        api_version="composer/v1",
        name="todo",
        rest=RestSpec(host="0.0.0.0", port=8080, base_path="/api"),
        datasources={
            "db": MemoryDatasourceSpec(connector="memory"),
            "cache": MemoryDatasourceSpec(connector="memory"),
        },
        models={
            "Entity": ModelSpec(properties=ID),
            "Todo": ModelSpec(base="Entity", datasource="db"),
            "Note": ModelSpec(datasource="cache", properties=ID),
        },
    )


class Repo:
    """What the test repository factory builds: the model's name and its connector."""

    def __init__(self, name: str, spec: AppSpec, connector: object) -> None:
        self.name = name
        self.connector = connector


def _wire(recording: Recording) -> Wired:
    spec = _spec()
    return wire(
        plan(spec), spec, factories=recording.factories(), context=CONTEXT, repositories=Repo
    )


def test_every_artifact_is_bound_under_its_key_name() -> None:
    wired = _wire(Recording())
    assert sorted(wired.container.providers) == sorted(node.name for node in wired.graph)


def test_wiring_and_resolving_connect_nothing() -> None:
    recording = Recording()
    wired = _wire(recording)
    wired.resolve(keys.SERVER_REST)
    assert recording.journal == []


def test_a_model_binding_holds_its_datasource_connector_and_its_base() -> None:
    recording = Recording()
    wired = _wire(recording)
    todo = wired.resolve(keys.model("Todo"))
    assert todo.datasource is wired.resolve(keys.datasource("db"))
    assert todo.datasource is recording.built["db"]
    assert todo.base == keys.ModelBinding("Entity", None)
    assert todo.base is wired.resolve(keys.model("Entity"))


def test_the_server_binding_holds_the_address_and_the_sequence_with_every_route() -> None:
    wired = _wire(Recording())
    server = wired.resolve(keys.SERVER_REST)
    assert (server.host, server.port, server.base_path) == ("0.0.0.0", 8080, "/api")
    assert server.sequence is wired.resolve(keys.SEQUENCE)
    assert server.sequence.actions == (
        "cors",
        "findRoute",
        "authenticate",
        "authorize",
        "parseParams",
        "invoke",
        "send",
    )
    assert [(route.model.name, route.path) for route in server.sequence.routes] == [
        ("Note", "/notes"),
        ("Todo", "/todos"),
    ]
    assert server.sequence.routes[1] is wired.resolve(keys.route("Todo"))


def test_datasources_and_steps_come_in_plan_order() -> None:
    wired = _wire(Recording())
    assert [key.name for key, _ in wired.datasources()] == ["datasources.cache", "datasources.db"]
    assert [step.name for step in wired.steps()] == ["datasources.cache", "datasources.db"]


def test_factories_get_the_name_the_spec_and_the_context_paths() -> None:
    seen: list[tuple[str, str, Path, Path]] = []
    recording = Recording()

    def factory(name: str, spec: MemoryDatasourceSpec, *, root: Path, data_dir: Path) -> object:
        seen.append((name, spec.connector, root, data_dir))
        return recording(name, spec, root=root, data_dir=data_dir)

    spec = _spec()
    wired = wire(plan(spec), spec, factories={"memory": factory}, context=CONTEXT)  # type: ignore[dict-item]
    wired.datasources()
    assert seen == [
        ("cache", "memory", Path("/project"), Path("/project/.composer")),
        ("db", "memory", Path("/project"), Path("/project/.composer")),
    ]


def test_two_wirings_of_one_spec_share_no_artifact() -> None:
    first, second = _wire(Recording()), _wire(Recording())
    assert first.container is not second.container
    assert first.resolve(keys.datasource("db")) is not second.resolve(keys.datasource("db"))


def test_a_connector_kind_without_a_factory_is_a_boot_error_naming_the_datasource() -> None:
    spec = _spec()
    with pytest.raises(BootError) as caught:
        wire(plan(spec), spec, factories={"sql": Recording()}, context=CONTEXT)
    assert str(caught.value) == (
        "datasources.cache: no connector of kind 'memory' (known kinds: sql)"
    )


def test_resolving_a_key_nothing_is_bound_to_is_a_key_error() -> None:
    wired = _wire(Recording())
    with pytest.raises(KeyError) as caught:
        resolve(wired.container, keys.datasource("nope"))
    assert caught.value.args == ("nothing is bound to 'datasources.nope'",)


def test_a_repository_is_built_once_per_persisted_model_over_its_datasource_connector() -> None:
    recording = Recording()
    wired = _wire(recording)
    todo = wired.resolve(keys.repository("Todo"))
    assert isinstance(todo, Repo)
    assert (todo.name, todo.connector) == ("Todo", recording.built["db"])
    assert wired.resolve(keys.repository("Todo")) is todo
    assert wired.resolve(keys.route("Todo")).repository is todo
    assert "repositories.Entity" not in wired.graph


def test_resolving_a_route_without_a_repository_factory_is_a_boot_error() -> None:
    spec = _spec()
    wired = wire(plan(spec), spec, factories=Recording().factories(), context=CONTEXT)
    with pytest.raises(BootError) as caught:
        wired.resolve(keys.route("Todo"))
    assert str(caught.value) == "repositories.Todo: no repository factory was given to wire()"
