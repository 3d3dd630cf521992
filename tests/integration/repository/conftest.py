"""The repository contract runs on every backend: memory, SQLite, PostgreSQL and MariaDB.

``store`` is parametrised over the four backends; each test gets storage of
its own (a fresh memory connector, a SQLite file under tmp_path, a new
PostgreSQL role and schema, a new MariaDB database: see
``tests.integration.sql.conftest.isolated_database``), the contract models'
tables created by autoupdate. A server that cannot be reached skips its
tests, except under CI=true, where every PostgreSQL and MariaDB test must
run (``tests/conftest.py`` fails the whole run if one was skipped).
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from composer.connectors import MemoryConnector, SqlConnector
from composer.keys import Connector
from composer.repository.backends import make_backend
from composer.repository.entity import entity_info
from composer.repository.model import ModelRuntime
from composer.repository.repository import Repository
from composer.spec import AppSpec, IndexSpec, ModelSpec, PropertySpec
from tests.integration.sql.conftest import isolated_database

BACKENDS = ("memory", "sqlite", "postgresql", "mariadb")

ITEM = ModelSpec(
    datasource="db",
    properties={
        "id": PropertySpec(type="integer", id=True, generated=True),
        "name": PropertySpec(type="string", required=True, max_length=100),
        "code": PropertySpec(type="string", max_length=20),
        "tag": PropertySpec(type="string", nullable=True),
        "n": PropertySpec(type="integer", nullable=True),
        "x": PropertySpec(type="number"),
        "flag": PropertySpec(type="boolean"),
        "day": PropertySpec(type="date"),
        "at": PropertySpec(type="datetime"),
        "meta": PropertySpec(type="object"),
        "list": PropertySpec(type="array", items=PropertySpec(type="integer")),
        "blob": PropertySpec(type="buffer"),
        "secret": PropertySpec(type="string", hidden=True),
    },
    indexes={"item_code": IndexSpec(properties=("code",), unique=True)},
)
TAG = ModelSpec(
    datasource="db",
    properties={
        "label": PropertySpec(type="string", id=True, max_length=50),
        "weight": PropertySpec(type="number"),
    },
)
APP = AppSpec(api_version="composer/v1", name="contract", models={"Item": ITEM, "Tag": TAG})


class Store:
    """The contract models' repositories on one backend (each built when first used)."""

    def __init__(self, backend: str, connector: Connector) -> None:
        self.backend = backend
        self.connector = connector

    def _repository(self, name: str) -> Repository:
        runtime = ModelRuntime.from_app(APP, name)
        return Repository(runtime, make_backend(self.connector, runtime.info, APP))

    @functools.cached_property
    def items(self) -> Repository:
        """Item: a generated integer id and a property of every type."""
        return self._repository("Item")

    @functools.cached_property
    def tags(self) -> Repository:
        """Tag: a string id the client chooses."""
        return self._repository("Tag")


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """The contract models on each backend in turn, in storage of the test's own."""
    backend: str = request.param
    if backend == "memory":
        memory = MemoryConnector("db")
        await memory.connect()
        yield Store(backend, memory)
        await memory.disconnect()
        return
    from composer.repository.sql.migrate import autoupdate

    async with isolated_database(backend, tmp_path) as url:
        sql = SqlConnector("db", url, data_dir=tmp_path)
        await sql.connect()
        try:
            await autoupdate(sql, [entity_info(APP, name) for name in APP.models])
            yield Store(backend, sql)
        finally:
            await sql.disconnect()
