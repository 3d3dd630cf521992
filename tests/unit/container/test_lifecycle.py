"""Lifecycle: start in order, stop in reverse, every stop error collected."""

from __future__ import annotations

import asyncio

import pytest

from composer.container import Lifecycle, Step
from composer.errors import BootError, ConnectorError, ShutdownError
from tests.unit.connectors.recording import RecordingConnector


def _steps(journal: list[str], *names: str, **failures: dict[str, BaseException]) -> list[Step]:
    steps = []
    for name in names:
        connector = RecordingConnector(name, journal, failures.get(name, {}))
        steps.append(Step(f"datasources.{name}", connector.connect, connector.disconnect))
    return steps


async def test_steps_start_in_order_and_stop_in_reverse() -> None:
    journal: list[str] = []
    life = Lifecycle(_steps(journal, "a", "b", "c"))
    await life.start()
    assert life.started == ("datasources.a", "datasources.b", "datasources.c")
    await life.stop()
    assert journal == [
        "connect a",
        "connect b",
        "connect c",
        "disconnect c",
        "disconnect b",
        "disconnect a",
    ]
    assert life.started == ()


async def test_every_stop_error_is_collected_and_every_step_is_still_stopped() -> None:
    journal: list[str] = []
    life = Lifecycle(
        _steps(
            journal,
            "a",
            "b",
            "c",
            a={
                "disconnect": ConnectorError(
                    "socket closed", datasource="a", operation="disconnect"
                )
            },
            c={"disconnect": RuntimeError("boom")},
        )
    )
    await life.start()
    with pytest.raises(ShutdownError) as caught:
        await life.stop()
    assert journal[3:] == ["disconnect c", "disconnect b", "disconnect a"]
    assert str(caught.value) == (
        "2 error(s) while stopping: "
        "BootError: datasources.c: stop failed: RuntimeError: boom; "
        "ConnectorError: datasources.a: disconnect failed: socket closed"
    )
    assert isinstance(caught.value.errors[0].__cause__, RuntimeError)


async def test_a_failed_start_stops_the_started_steps_in_reverse_and_names_the_step() -> None:
    journal: list[str] = []
    life = Lifecycle(_steps(journal, "a", "b", "c", d={}, b={"connect": RuntimeError("refused")}))
    with pytest.raises(BootError) as caught:
        await life.start()
    assert str(caught.value) == "datasources.b: start failed: RuntimeError: refused"
    assert isinstance(caught.value.__cause__, RuntimeError)
    assert journal == ["connect a", "connect b", "disconnect a"]
    assert life.started == ()


async def test_a_composer_error_from_a_start_is_raised_as_it_is() -> None:
    failure = ConnectorError("no route to host", datasource="b", operation="connect")
    life = Lifecycle(_steps([], "a", "b", b={"connect": failure}))
    with pytest.raises(ConnectorError) as caught:
        await life.start()
    assert caught.value is failure


async def test_stop_errors_while_undoing_a_failed_start_are_added_as_notes() -> None:
    life = Lifecycle(
        _steps(
            [],
            "a",
            "b",
            a={"disconnect": RuntimeError("stuck")},
            b={"connect": RuntimeError("refused")},
        )
    )
    with pytest.raises(BootError) as caught:
        await life.start()
    assert caught.value.__notes__ == [
        "while stopping after the failed start: datasources.a: stop failed: RuntimeError: stuck"
    ]


async def test_a_cancelled_start_undoes_the_started_steps_and_stays_cancelled() -> None:
    journal: list[str] = []
    blocked = asyncio.Event()

    async def hang() -> None:
        blocked.set()
        await asyncio.sleep(3600)

    async def nothing() -> None:
        return None

    life = Lifecycle([*_steps(journal, "a"), Step("server.rest", hang, nothing)])
    task = asyncio.create_task(life.start())
    await blocked.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert journal == ["connect a", "disconnect a"]


async def test_stopping_twice_or_before_starting_is_harmless() -> None:
    journal: list[str] = []
    life = Lifecycle(_steps(journal, "a"))
    await life.stop()
    await life.start()
    await life.stop()
    await life.stop()
    assert journal == ["connect a", "disconnect a"]


async def test_starting_a_started_lifecycle_is_a_boot_error() -> None:
    life = Lifecycle(_steps([], "a"))
    await life.start()
    with pytest.raises(BootError) as caught:
        await life.start()
    assert str(caught.value) == "already started"
    await life.stop()
