"""The ``memory`` connector: collections held in process memory.

With ``file:`` set, :meth:`MemoryConnector.connect` loads the collections from
that JSON file under the data directory when it exists, and :meth:`~MemoryConnector.save`
writes them back after every committed write. The file has LoopBack's
memory-connector layout, so a LoopBack ``db.json`` can be reused and the
other way round::

    {"ids": {"Todo": 2}, "models": {"Todo": {"1": "{\"id\":1,\"title\":\"milk\"}"}}}

``ids`` holds the next id to generate of each model; LoopBack writes each
record as a JSON string, and so does :meth:`~MemoryConnector.save` (records
written as objects are read too). Datetimes are written as LoopBack writes
them (``2024-01-05T08:00:00.000Z``), bytes as base64.

A save writes the whole store to a temporary file in the same folder, flushes
it to disk and renames it over the file (``os.replace``), so the file is
always either the old or the new store, never half of one. Saves run one at a
time off the event loop; a save that finds a later one already written skips.
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from composer.errors import BootError, ConnectorError
from composer.spec import DatasourceSpec, MemoryDatasourceSpec

__all__ = ["MemoryConnector"]

Record = dict[str, Any]
_PASSTHROUGH = orjson.OPT_PASSTHROUGH_DATETIME


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
        #: the next id to generate, by model name
        self.ids: dict[str, int] = {}
        self._connected = False
        self._decoded: set[str] = set()
        self._lock = asyncio.Lock()
        self._changes = 0
        self._saved = 0

    @classmethod
    def from_spec(
        cls, name: str, spec: DatasourceSpec, *, root: Path, data_dir: Path
    ) -> MemoryConnector:
        """The connector of a ``connector: memory`` datasource; ``file`` is under ``data_dir``."""
        if not isinstance(spec, MemoryDatasourceSpec):
            raise BootError(f"not a memory datasource: {spec.connector}", artifact=name)
        return cls(name, file=None if spec.file is None else data_dir / spec.file)

    @property
    def connected(self) -> bool:
        """Whether :meth:`connect` ran (and :meth:`disconnect` has not since)."""
        return self._connected

    async def connect(self) -> None:
        """Load the persistence file when there is one; a corrupt file is a ConnectorError."""
        collections: dict[str, dict[str, Record]] = {}
        ids: dict[str, int] = {}
        if self.file is not None and self.file.exists():
            collections, ids = self._load(self.file)
        self.collections, self.ids = collections, ids
        self._decoded = set()
        self._connected = True

    async def disconnect(self) -> None:
        """Let a save under way finish, then forget the collections."""
        async with self._lock:
            self.collections, self.ids = {}, {}
            self._decoded = set()
            self._connected = False

    def collection(self, model: str, decode: Callable[[Record], Record]) -> dict[str, Record]:
        """The records of ``model`` by id, each passed through ``decode`` the first time.

        Loaded records hold JSON values; ``decode`` (the model's, which knows
        its property types) turns them into the values the repository works
        with, once. A ValueError from it is a ConnectorError naming the record.

        >>> import asyncio
        >>> memory = MemoryConnector("cache")
        >>> asyncio.run(memory.connect())
        >>> memory.collection("Todo", dict)
        {}
        """
        records = self.collections.setdefault(model, {})
        if model not in self._decoded:
            for key, record in records.items():
                try:
                    records[key] = decode(record)
                except (ValueError, TypeError) as exc:
                    raise ConnectorError(
                        f"cannot read {self.file}: 'models.{model}.{key}': {exc}",
                        datasource=self.name,
                        operation="load",
                    ) from exc
            self._decoded.add(model)
        return records

    async def save(self) -> None:
        """Write the whole store to the file (nothing without one), atomically.

        Call it after every committed write. Saves are written one at a time;
        one that finds its changes already written by a later save returns.
        Failing to write is a ConnectorError (operation ``save``).
        """
        if self.file is None:
            return
        self._changes += 1
        wanted = self._changes
        async with self._lock:
            if self._saved >= wanted or not self._connected:
                return
            data, changes = self._dump(), self._changes
            try:
                await asyncio.to_thread(_write, self.file, data)
            except OSError as exc:
                reason = (exc.strerror or str(exc)).lower()
                raise ConnectorError(
                    f"cannot write {self.file}: {reason}", datasource=self.name, operation="save"
                ) from exc
            self._saved = changes

    def _dump(self) -> bytes:
        models = {
            model: {
                key: orjson.dumps(record, default=_json_value, option=_PASSTHROUGH).decode()
                for key, record in records.items()
            }
            for model, records in self.collections.items()
        }
        return orjson.dumps({"ids": self.ids, "models": models}, option=orjson.OPT_INDENT_2)

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


def _json_value(value: Any) -> Any:
    """The JSON form of the values orjson does not write as LoopBack does."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="milliseconds") + "Z"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot store a {type(value).__name__} in a memory datasource file")


def _write(file: Path, data: bytes) -> None:
    """Write ``data`` to ``file`` through a synced temporary file and a rename."""
    file.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=file.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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
