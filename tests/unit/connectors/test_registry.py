"""The static table of connector kinds."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer.connectors import CONNECTORS, MemoryConnector, SqlConnector
from composer.errors import BootError
from composer.spec import MemoryDatasourceSpec, SqlDatasourceSpec


def test_the_registry_maps_each_connector_kind_to_its_factory(tmp_path: Path) -> None:
    memory = CONNECTORS["memory"](
        "cache", MemoryDatasourceSpec(connector="memory"), root=tmp_path, data_dir=tmp_path
    )
    sql = CONNECTORS["sql"](
        "db", SqlDatasourceSpec(connector="sql", url="sqlite://"), root=tmp_path, data_dir=tmp_path
    )
    assert sorted(CONNECTORS) == ["memory", "sql"]
    assert isinstance(memory, MemoryConnector)
    assert (memory.name, memory.kind) == ("cache", "memory")
    assert isinstance(sql, SqlConnector)
    assert (sql.name, sql.kind) == ("db", "sql")


def test_the_registry_cannot_be_changed_at_run_time() -> None:
    with pytest.raises(TypeError):
        CONNECTORS["redis"] = CONNECTORS["memory"]  # type: ignore[index]


def test_a_factory_given_another_kinds_spec_is_a_boot_error(tmp_path: Path) -> None:
    with pytest.raises(BootError) as caught:
        CONNECTORS["sql"](
            "cache", MemoryDatasourceSpec(connector="memory"), root=tmp_path, data_dir=tmp_path
        )
    assert str(caught.value) == "cache: not a sql datasource: memory"
