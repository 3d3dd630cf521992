"""The parameters of CRUD routes: the path id, ``filter``, ``where``, ``Prefer: count=exact``.

Each converter is built once per model at activation and runs in
``parseParams`` on the parameter's decoded value (JSON text or bracket query
strings, see :mod:`composer.rest.parameters`); it answers the parsed
:class:`~composer.repository.query.Filter` or ``Where``, or raises the 400 the
filter language gives (:mod:`composer.repository.filter`).

``GET /todos/{id}`` takes a filter without ``where`` (LoopBack's
``FilterExcludingWhere``): a ``where`` there is answered as LoopBack's schema
validation answers it::

    400 Invalid data {"where":{"id":2}} for parameter "filter".
        details: [{"path": "", "code": "additionalProperties", ...}]

``GET /todos`` applies ``rest.pagination``: ``defaultLimit`` when the filter
gives no limit, and a limit above ``maxLimit`` is a 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from composer.repository.entity import EntityInfo, Models
from composer.repository.filter import FilterLimits, parse_filter, parse_where
from composer.repository.query import Filter, Where
from composer.rest.coercion import coercer, invalid_value
from composer.rest.model_schema import INT64_MAX, INT64_MIN

__all__ = [
    "PREFER_DESCRIPTION",
    "by_id_filter_converter",
    "filter_converter",
    "id_converter",
    "wants_total_count",
    "where_converter",
]

#: how the ``Prefer`` header of ``GET /<model path>`` is documented
PREFER_DESCRIPTION = (
    "`count=exact` asks for the `X-Total-Count` response header: how many instances "
    "match the filter's `where`, whatever its `limit` and `skip`."
)


def filter_converter(
    info: EntityInfo, limits: FilterLimits, models: Models | None = None
) -> Callable[[Any], Filter]:
    """``?filter=`` of ``GET /<model path>``: the whole filter, pagination limits applied.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> from composer.repository.entity import entity_info
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Tag": ModelSpec(
    ...     datasource="db", properties={"id": PropertySpec(type="integer", id=True)})})
    >>> convert = filter_converter(entity_info(app, "Tag"), FilterLimits(default_limit=10))
    >>> convert({"skip": "2"}).limit, convert({"skip": "2"}).skip
    (10, 2)
    """

    def convert(raw: Any) -> Filter:
        return parse_filter(raw, info, limits=limits, models=models)

    return convert


def by_id_filter_converter(
    info: EntityInfo, limits: FilterLimits, models: Models | None = None
) -> Callable[[Any], Filter]:
    """``?filter=`` of ``GET /<model path>/{id}``: a filter without ``where``.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> from composer.repository.entity import entity_info
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Tag": ModelSpec(
    ...     datasource="db", properties={"id": PropertySpec(type="integer", id=True)})})
    >>> by_id_filter_converter(entity_info(app, "Tag"), FilterLimits())({"where": {}})
    Traceback (most recent call last):
    composer.repository.query_error.FilterError: Invalid data {"where":{}} for parameter "filter".
    """

    def convert(raw: Any) -> Filter:
        return parse_filter(raw, info, limits=limits, exclude_where=True, models=models)

    return convert


def where_converter(
    info: EntityInfo, limits: FilterLimits, models: Models | None = None
) -> Callable[[Any], Where | None]:
    """``?where=`` of ``GET /<model path>/count`` and ``PATCH /<model path>``.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> from composer.repository.entity import entity_info
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Tag": ModelSpec(
    ...     datasource="db", properties={"id": PropertySpec(type="integer", id=True)})})
    >>> where_converter(entity_info(app, "Tag"), FilterLimits())({"id": "3"})
    Comparison(property='id', op='eq', value=3)
    """

    def convert(raw: Any) -> Where | None:
        return parse_where(raw, info, limits=limits, models=models)

    return convert


def id_converter(type_: str) -> Callable[[str], Any] | None:
    """The converter of a path ``{id}`` of this property type (None: a string id, as it came).

    An integer id takes the whole 64-bit range every backend stores (an id
    nothing has is then a 404), unlike other integer parameters, which stop
    at JavaScript's safe integers as LoopBack's do.

    >>> id_converter("integer")("9223372036854775807")
    9223372036854775807
    >>> id_converter("integer")("1.5")
    Traceback (most recent call last):
    composer.errors.HttpError: Invalid data "1.5" for parameter "id".
    """
    if type_ == "integer":
        number = coercer("number")

        def integer(raw: str) -> int:
            value: int | float = number("id", raw)
            if isinstance(value, float):
                if not value.is_integer():
                    raise invalid_value("id", raw)
                value = int(value)
            if not INT64_MIN <= value <= INT64_MAX:
                raise invalid_value("id", raw)
            return value

        return integer
    if type_ in ("number", "boolean"):
        coerce = coercer("number" if type_ == "number" else "boolean")
        return lambda raw: coerce("id", raw)
    return None


def wants_total_count(prefer: str | None) -> bool:
    """Whether a ``Prefer`` header (RFC 7240) asks for ``count=exact``.

    >>> wants_total_count("return=minimal, count=exact"), wants_total_count(None)
    (True, False)
    """
    if not prefer:
        return False
    for preference in prefer.split(","):
        token, _, _parameters = preference.partition(";")
        name, _, value = token.partition("=")
        if name.strip().lower() == "count" and value.strip().strip('"').lower() == "exact":
            return True
    return False
