"""The 400 a bad filter gets, in LoopBack 4's words.

LoopBack rejects a filter at two levels and composer keeps both voices:

- the REST layer validates the filter's shape against a JSON schema (AJV):
  ``Invalid data {"limit":0} for parameter "filter".`` with AJV's
  ``details`` (name ``BadRequestError``);
- the data layer (juggler) rejects a clause: ``The id property has invalid
  clause {"between":[1]}: Expected precisely 2 values, received 1`` (name
  ``Error``, as LoopBack answers). composer adds the code
  ``INVALID_PARAMETER_VALUE`` where LoopBack gives none.

Every error also carries ``path``, the key path of the offending part inside
the filter, and ``summary``, a short message without the quoted filter, which
manifest checks show next to a file position.
"""

from __future__ import annotations

import json
import math
from typing import Any

import orjson

from composer.errors import HttpError, KeyPath

__all__ = ["INVALID", "FilterError", "clause_error", "invalid_data", "js_json"]

#: the code of every filter error LoopBack gives no code of its own
INVALID = "INVALID_PARAMETER_VALUE"

#: quoted request values are cut to this many characters in messages
_SHOWN = 200


class FilterError(HttpError):
    """A 400 for a bad filter, knowing where in the filter the problem is.

    >>> error = FilterError("The order \\"a b\\" has invalid direction", path=("order",))
    >>> error.status, error.code, error.path
    (400, 'INVALID_PARAMETER_VALUE', ('order',))
    """

    def __init__(
        self,
        message: str,
        *,
        path: KeyPath = (),
        code: str = INVALID,
        name: str | None = None,
        details: Any = None,
        summary: str | None = None,
        at_key: bool = False,
    ) -> None:
        super().__init__(400, message, code=code, details=details, name=name)
        self.path = path
        self.summary = summary or message
        #: the problem is the key at ``path`` itself (an unknown name), not its value
        self.at_key = at_key


def js_json(value: Any, *, limit: int | None = None) -> str:
    """``JSON.stringify(value)``: compact, integral numbers without ``.0``.

    >>> js_json({"a": [1.0, 2.5, "é"]})
    '{"a":[1,2.5,"é"]}'
    >>> js_json(list(range(100)), limit=20)
    '[0,1,2,3,4,5,6,7,8,9...'
    """
    try:
        text = orjson.dumps(value, default=str, option=orjson.OPT_PASSTHROUGH_DATETIME)
        shown = text.decode()
        if "." in shown or "e" in shown:
            shown = orjson.dumps(_integral(value), default=str).decode()
    except (TypeError, orjson.JSONEncodeError):  # lone surrogates, big integers, deep nesting
        try:
            shown = json.dumps(_integral(value), separators=(",", ":"), default=str)
        except RecursionError:
            shown = "[...]" if isinstance(value, list) else "{...}"
    if limit is not None and len(shown) > limit:
        return shown[:limit] + "..."
    return shown


def _integral(value: Any) -> Any:
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e21:
            return int(value)
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _integral(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_integral(item) for item in value]
    return value


def invalid_data(
    shown: str, parameter: str, *, details: Any = None, path: KeyPath = (), summary: str
) -> FilterError:
    """The REST layer's 400: ``Invalid data <shown> for parameter "<parameter>".``

    >>> invalid_data('"x"', "filter", summary="not an object").message
    'Invalid data "x" for parameter "filter".'
    """
    return FilterError(
        f'Invalid data {shown} for parameter "{parameter}".',
        name="BadRequestError",
        details=details,
        path=path,
        summary=summary,
    )


def clause_error(prop: str, clause: Any, reason: str, path: KeyPath) -> FilterError:
    """The data layer's 400 for one property's clause.

    >>> clause_error("id", {"between": [1]}, "Expected precisely 2 values, received 1", ()).message
    'The id property has invalid clause {"between":[1]}: Expected precisely 2 values, received 1'
    """
    return FilterError(
        f"The {prop} property has invalid clause {js_json(clause, limit=_SHOWN)}: {reason}",
        name="Error",
        path=path,
        summary=f"invalid clause for {prop}: {reason}",
    )
