"""Reading a JSON request body: media type, size limit, syntax and forbidden keys.

Rejections, in the order they are checked:

- no body (or only whitespace) where one is required -> 400
  ``MISSING_REQUIRED_PARAMETER`` (or the route's ``when_absent`` object);
  where it is optional the body is None;
- a ``Content-Type`` that is not JSON (``*/json`` or ``*/*+json``) -> 415
  ``UNSUPPORTED_MEDIA_TYPE``; no Content-Type at all is taken as JSON;
- a body over ``rest.maxBodySize`` -> 413, before it is read when the
  ``Content-Length`` says so, else as soon as the limit is crossed;
- malformed JSON -> 400;
- a ``__proto__`` key, or a ``constructor`` key holding a ``prototype``, at
  any depth -> 400 (the prototype-pollution guard of LoopBack's
  ``parse-json.ts``: harmless to Python, but such bodies are stored and later
  read back by JavaScript clients).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import orjson
from aiohttp import web

from composer.errors import HttpError

__all__ = ["JsonBodyReader", "check_keys", "load_json"]

_JSON_MEDIA = "application/json"


def check_keys(value: Any) -> str | None:
    """The problem with a parsed JSON value's keys, or None when there is none.

    >>> check_keys({"a": [{"__proto__": {}}]})
    'JSON string cannot contain "__proto__" key.'
    >>> check_keys({"constructor": "fine"}) is None
    True
    """
    pending = [value]
    while pending:
        current = pending.pop()
        if isinstance(current, dict):
            for key, item in current.items():
                if key == "__proto__":
                    return 'JSON string cannot contain "__proto__" key.'
                if key == "constructor" and isinstance(item, dict) and "prototype" in item:
                    return 'JSON string cannot contain "constructor.prototype" key.'
                if isinstance(item, dict | list):
                    pending.append(item)
        elif isinstance(current, list):
            pending.extend(item for item in current if isinstance(item, dict | list))
    return None


#: a run of digits long enough to be an integer orjson cannot hold exactly (beyond 64 bits)
_LONG_NUMBER = re.compile(rb"[0-9]{19}")


def load_json(raw: bytes | str) -> Any:
    """Parse JSON text with orjson, integers beyond 64 bits kept exact.

    orjson reads such an integer as a float (``-9223372036854775809`` becomes
    ``-9.223372036854776e18``, which a validator takes for the integer
    ``-2**63``); when the text holds a run of 19 digits it is parsed again
    with the standard library, which keeps integers exact. Raises
    ``orjson.JSONDecodeError``.

    >>> load_json(b'{"n": 18446744073709551617}')
    {'n': 18446744073709551617}
    """
    value = orjson.loads(raw)
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if _LONG_NUMBER.search(data) is None:
        return value
    return json.loads(raw)


def _is_json(media_type: str) -> bool:
    major, _, minor = media_type.partition("/")
    return bool(major) and (minor == "json" or minor.endswith("+json"))


class JsonBodyReader:
    """Reads and parses the JSON body of one route, within ``max_size`` bytes.

    ::

        read_body = JsonBodyReader(required=True, max_size=1_048_576)
        body = await read_body(request)   # the parsed JSON, or an HttpError
    """

    __slots__ = ("_max_size", "_required", "_when_absent")

    def __init__(
        self, *, required: bool, max_size: int, when_absent: Mapping[str, Any] | None = None
    ) -> None:
        self._required = required
        self._max_size = max_size
        self._when_absent = when_absent

    async def __call__(self, request: web.Request) -> Any:
        if not request.body_exists:
            return self._absent()
        header = request.headers.get("Content-Type")
        media_type = request.content_type if header else _JSON_MEDIA
        if not _is_json(media_type):
            raise HttpError(
                415,
                f"Content-type {media_type} does not match [{_JSON_MEDIA}].",
                code="UNSUPPORTED_MEDIA_TYPE",
            )
        length = request.content_length
        if length is not None and length > self._max_size:
            raise self._too_large()
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            raise self._too_large() from None
        if not raw.strip():
            return self._absent()
        try:
            value = load_json(raw)
        except orjson.JSONDecodeError as exc:
            raise HttpError(400, f"The request body is not valid JSON: {exc}.") from None
        problem = check_keys(value)
        if problem is not None:
            # LoopBack's JSON parser throws a plain Error here: its name is "Error"
            raise HttpError(400, problem, name="Error")
        return value

    def _absent(self) -> Any:
        if self._when_absent is not None:
            return dict(self._when_absent)
        if self._required:
            raise HttpError(400, "Request body is required", code="MISSING_REQUIRED_PARAMETER")
        return None

    def _too_large(self) -> HttpError:
        return HttpError(413, f"The request body is larger than {self._max_size} bytes.")
