"""The ``memory`` connector: collections held in process memory.

With ``file:`` set, :meth:`MemoryConnector.connect` loads the collections from
that JSON file under the data directory when it exists. The file has
LoopBack's memory-connector layout, so a LoopBack ``db.json`` can be reused::

    {"ids": {"Todo": 2}, "models": {"Todo": {"1": {"id": 1, "title": "milk"}}}}

(LoopBack writes each record as a JSON string; both forms are read.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from composer.errors import BootError, ConnectorError
from composer.spec import DatasourceSpec, MemoryDatasourceSpec

__all__ = ["MemoryConnector"]

Record = dict[str, Any]


class MemoryConnector:
    """In-process collections of records, by model name and id.

    >>> import asyncio
    >>> memory = MemoryConnector("cache")
    >>> asyncio.run(memory.connect()); memory.collections
    {}
    """

    kind = "memory"

    def __init__(self, name: str, *, file: Path | None = None) -> None:
        self.name = name
        #: the persistence file, None when the data lives in memory only
        self.file = file
        #: records by model name, then by id (as a string)
        self.collections: dict[str, dict[str, Record]] = {}
        #: the last id generated, by model name
        self.ids: dict[str, int] = {}
        self._connected = False

    @classmethod
    def from_spec(
        cls, name: str, spec: DatasourceSpec, *, root: Path, data_dir: Path
    ) -> MemoryConnector:
        """The connector of a ``connector: memory`` datasource; ``file`` is under ``data_dir``."""
        if not isinstance(spec, MemoryDatasourceSpec):
            raise BootError(f"not a memory datasource: {spec.connector}", artifact=name)
        return cls(name, file=None if spec.file is None else data_dir / spec.file)

    async def connect(self) -> None:
        """Load the persistence file when there is one; a corrupt file is a ConnectorError."""
        collections: dict[str, dict[str, Record]] = {}
        ids: dict[str, int] = {}
        if self.file is not None and self.file.exists():
            collections, ids = self._load(self.file)
        self.collections, self.ids = collections, ids
        self._connected = True

    async def disconnect(self) -> None:
        """Forget the collections."""
        self.collections, self.ids = {}, {}
        self._connected = False

    async def ping(self) -> None:
        """Memory always answers once connected."""
        if not self._connected:
            raise ConnectorError("not connected", datasource=self.name, operation="ping")

    def _load(self, file: Path) -> tuple[dict[str, dict[str, Record]], dict[str, int]]:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise self._unreadable(file, (exc.strerror or str(exc)).lower()) from exc
        try:
            document = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise self._unreadable(file, f"invalid JSON: {exc}") from exc
        try:
            if not isinstance(document, dict):
                raise _Malformed("the top level is not an object")
            return _collections(document.get("models", {})), _ids(document.get("ids", {}))
        except _Malformed as exc:
            raise self._unreadable(file, str(exc)) from exc

    def _unreadable(self, file: Path, reason: str) -> ConnectorError:
        return ConnectorError(
            f"cannot read {file}: {reason}", datasource=self.name, operation="connect"
        )


class _Malformed(ValueError):
    """The JSON parses but does not have the memory-connector layout."""


def _collections(models: Any) -> dict[str, dict[str, Record]]:
    if not isinstance(models, dict):
        raise _Malformed("'models' is not an object")
    collections: dict[str, dict[str, Record]] = {}
    for model, records in models.items():
        if not isinstance(records, dict):
            raise _Malformed(f"'models.{model}' is not an object")
        collections[model] = {key: _record(model, key, value) for key, value in records.items()}
    return collections


def _record(model: str, key: str, value: Any) -> Record:
    if isinstance(value, str):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            raise _Malformed(f"'models.{model}.{key}' is not a JSON object") from None
    if not isinstance(value, dict):
        raise _Malformed(f"'models.{model}.{key}' is not an object")
    return value


def _ids(ids: Any) -> dict[str, int]:
    if not isinstance(ids, dict) or not all(
        isinstance(value, int) and not isinstance(value, bool) for value in ids.values()
    ):
        raise _Malformed("'ids' is not an object of integers")
    return dict(ids)
