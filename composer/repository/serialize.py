"""Rows to JSON and back: what a client receives, and what a memory datasource file holds.

A row's values are Python values (see :mod:`composer.repository.backend`);
their JSON form is LoopBack's:

==========  =============================================  ===========================
type        Python                                          JSON
==========  =============================================  ===========================
datetime    aware ``datetime.datetime`` (UTC)               ``"2024-01-05T08:00:00.000Z"``
date        ``datetime.date``                               ``"2024-01-05"``
buffer      bytes                                           base64 string
number      float                                           ``3`` when integral and
                                                            within ±2**53 (as
                                                            JavaScript prints it), else
                                                            ``2.5``
others      int, str, bool, dict, list                      themselves
==========  =============================================  ===========================

Unset (absent or None) properties are left out. The functions are compiled
once per model: serializing a row is one dict comprehension's worth of work.
"""

from __future__ import annotations

import base64
import binascii
import datetime
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from composer.repository.entity import FieldInfo
from composer.repository.formats import parse_datetime
from composer.spec import PropertySpec

__all__ = ["RowCodec", "Serializer", "datetime_text"]

Encode = Callable[[Any], Any]
_SAFE_INTEGER = 2**53


def datetime_text(value: datetime.datetime) -> str:
    """LoopBack's datetime text: UTC, milliseconds, ``Z`` (a naive value is taken as UTC).

    >>> datetime_text(datetime.datetime(2024, 1, 5, 8, 0, 0, 123456, tzinfo=datetime.UTC))
    '2024-01-05T08:00:00.123Z'
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    else:
        value = value.astimezone(datetime.UTC)
    return value.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def _number(value: Any) -> Any:
    # every whole float up to 2**53 is exact, so its int prints the digits JavaScript prints
    if isinstance(value, float) and value.is_integer() and -_SAFE_INTEGER <= value <= _SAFE_INTEGER:
        return int(value)
    return value


def _buffer(value: Any) -> Any:
    return base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value


def _date(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def _datetime(value: Any) -> Any:
    return datetime_text(value) if isinstance(value, datetime.datetime) else value


def _encoder(spec: PropertySpec) -> Encode | None:
    """How a value of this property becomes JSON; None when it already is JSON."""
    kind = spec.type
    if kind == "datetime":
        return _datetime
    if kind == "date":
        return _date
    if kind == "buffer":
        return _buffer
    if kind == "number":
        return _number
    if kind == "array" and spec.items is not None:
        item = _encoder(spec.items)
        if item is not None:
            return lambda values: [None if v is None else item(v) for v in values]
    return None


class Serializer:
    """A model's rows as the JSON objects clients receive, hidden properties left out.

    >>> from composer.repository.entity import FieldInfo
    >>> fields = (FieldInfo("id", "id", PropertySpec(type="integer", id=True)),
    ...           FieldInfo("due", "due", PropertySpec(type="date")),
    ...           FieldInfo("secret", "secret", PropertySpec(type="string")))
    >>> to_json = Serializer(fields, hidden={"secret"})
    >>> to_json({"id": 1, "due": datetime.date(2024, 1, 5), "secret": "x"})
    {'id': 1, 'due': '2024-01-05'}
    >>> to_json({"id": 1, "due": None}, fields=("due",))
    {}
    """

    def __init__(self, fields: Sequence[FieldInfo], hidden: Collection[str] = ()) -> None:
        self._plan = tuple((f.name, _encoder(f.spec)) for f in fields if f.name not in hidden)

    def __call__(
        self, row: Mapping[str, Any], fields: Collection[str] | None = None
    ) -> dict[str, Any]:
        """``row`` as JSON; ``fields`` keeps only those properties (in declaration order)."""
        result: dict[str, Any] = {}
        for name, encode in self._plan:
            if fields is not None and name not in fields:
                continue
            value = row.get(name)
            if value is not None:
                result[name] = value if encode is None else encode(value)
        return result


def _decode_datetime(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    parsed = parse_datetime(value)
    if parsed is None:
        parsed = datetime.datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed.astimezone(datetime.UTC)


def _decode_date(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return datetime.date.fromisoformat(value[:10])


def _decode_buffer(value: Any) -> Any:
    if isinstance(value, dict) and value.get("type") == "Buffer":
        return bytes(value.get("data", ()))  # how LoopBack's memory connector writes a Buffer
    if isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except binascii.Error as exc:
            raise ValueError(f"invalid base64: {exc}") from None
    return value


def _decode_number(value: Any) -> Any:
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


_DECODERS: dict[str, Encode] = {
    "datetime": _decode_datetime,
    "date": _decode_date,
    "buffer": _decode_buffer,
    "number": _decode_number,
}


class RowCodec:
    """Whole rows (hidden properties included) to JSON-ready dicts and back, for files.

    Keys of no declared property are kept as they are, so data survives a
    property's removal from the manifest.

    >>> from composer.repository.entity import FieldInfo
    >>> codec = RowCodec((FieldInfo("at", "at", PropertySpec(type="datetime")),))
    >>> row = codec.decode({"at": "2024-01-05T10:00:00+02:00", "extra": 1})
    >>> row["at"].hour, codec.encode(row)
    (8, {'at': '2024-01-05T08:00:00.000Z', 'extra': 1})
    """

    def __init__(self, fields: Sequence[FieldInfo]) -> None:
        self._encoders = {f.name: e for f in fields if (e := _encoder(f.spec)) is not None}
        self._decoders = {f.name: d for f in fields if (d := _DECODERS.get(f.type)) is not None}

    def encode(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """``row`` as a JSON-ready dict (unset properties left out)."""
        encoders = self._encoders
        return {
            name: (encoders[name](value) if name in encoders else value)
            for name, value in row.items()
            if value is not None
        }

    def decode(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """A stored JSON record as a row; ValueError when a value is not of its type."""
        decoders = self._decoders
        return {
            name: (decoders[name](value) if name in decoders else value)
            for name, value in record.items()
            if value is not None
        }
