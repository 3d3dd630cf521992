"""The memory connector: in-process collections, optionally loaded from a JSON file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from composer.connectors import MemoryConnector
from composer.errors import ConnectorError
from composer.spec import MemoryDatasourceSpec


def _connector(tmp_path: Path, file: str | None = "db.json") -> MemoryConnector:
    spec = MemoryDatasourceSpec(connector="memory", file=file)
    return MemoryConnector.from_spec("mem", spec, root=tmp_path, data_dir=tmp_path / "data")


async def test_without_a_file_connect_starts_empty_and_ping_answers(tmp_path: Path) -> None:
    memory = _connector(tmp_path, file=None)
    assert memory.file is None
    await memory.connect()
    await memory.ping()
    assert (memory.collections, memory.ids) == ({}, {})
    await memory.disconnect()


async def test_the_file_resolves_under_the_data_dir_and_a_missing_one_is_created_by_nobody(
    tmp_path: Path,
) -> None:
    memory = _connector(tmp_path)
    assert memory.file == tmp_path / "data" / "db.json"
    await memory.connect()
    assert memory.collections == {}
    await memory.disconnect()
    assert not (tmp_path / "data").exists()


async def test_connect_loads_objects_and_loopbacks_json_string_records(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "db.json").write_text(
        json.dumps(
            {
                "ids": {"Todo": 2, "Note": 1},
                "models": {
                    "Todo": {
                        "1": {"id": 1, "title": "milk"},
                        "2": json.dumps({"id": 2, "title": "eggs"}),
                    },
                    "Note": {},
                },
            }
        )
    )
    memory = _connector(tmp_path)
    await memory.connect()
    assert memory.collections == {
        "Todo": {"1": {"id": 1, "title": "milk"}, "2": {"id": 2, "title": "eggs"}},
        "Note": {},
    }
    assert memory.ids == {"Todo": 2, "Note": 1}
    await memory.disconnect()
    assert memory.collections == {}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"models": {', "invalid JSON: unexpected end of data: line 1 column 13 (char 12)"),
        (b"[1, 2]", "the top level is not an object"),
        (b'{"models": []}', "'models' is not an object"),
        (b'{"models": {"Todo": {"1": "oops"}}}', "'models.Todo.1' is not a JSON object"),
        (b'{"models": {"Todo": {"1": 3}}}', "'models.Todo.1' is not an object"),
        (b'{"ids": {"Todo": "3"}}', "'ids' is not an object of integers"),
    ],
)
async def test_a_corrupt_file_is_a_connector_error_naming_datasource_operation_and_file(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    (tmp_path / "data").mkdir()
    file = tmp_path / "data" / "db.json"
    file.write_bytes(content)
    memory = _connector(tmp_path)
    with pytest.raises(ConnectorError) as caught:
        await memory.connect()
    assert str(caught.value) == f"datasources.mem: connect failed: cannot read {file}: {reason}"
    assert (caught.value.datasource, caught.value.operation) == ("mem", "connect")


async def test_an_unreadable_file_is_a_connector_error_with_the_systems_reason(
    tmp_path: Path,
) -> None:
    (tmp_path / "data" / "db.json").mkdir(parents=True)
    memory = _connector(tmp_path)
    with pytest.raises(ConnectorError) as caught:
        await memory.connect()
    assert str(caught.value) == (
        f"datasources.mem: connect failed: cannot read {tmp_path}/data/db.json: is a directory"
    )


async def test_ping_before_connect_and_after_disconnect_is_a_connector_error(
    tmp_path: Path,
) -> None:
    memory = _connector(tmp_path, file=None)
    with pytest.raises(ConnectorError) as caught:
        await memory.ping()
    assert str(caught.value) == "datasources.mem: ping failed: not connected"
    await memory.connect()
    await memory.disconnect()
    with pytest.raises(ConnectorError):
        await memory.ping()
