"""A model at run time: request bodies checked as LoopBack 4 checks them, rows turned into JSON.

A :class:`ModelRuntime` is built once per model and generation. Its three
validators take a decoded JSON body and return a row (property name -> Python
value, see :mod:`composer.repository.backend`) or raise one 422 listing every
violation, exactly as LoopBack 4 reports them: LoopBack validates a body with
AJV (``allErrors``) against the model's JSON Schema, and each violation
becomes ``{path, code, message, info}`` — ``path`` a JSON Pointer (``""`` for
the body), ``code`` the JSON Schema keyword, ``message`` and ``info`` AJV's.
The violations come in AJV's order: ``required`` (in declaration order), then
``additionalProperties`` (in body order), then each property in declaration
order (see :class:`composer.repository.property.PropertyCheck`).

- :meth:`~ModelRuntime.validate_create` (POST): required properties, no
  generated id when ``forceId`` (the id is then not part of the body's schema,
  so it is an additional property), defaults filled in (``now``, ``uuid`` or
  the literal), a generated string id filled with a UUID;
- :meth:`~ModelRuntime.validate_replace` (PUT): the whole instance, required
  properties and defaults as on create, the id allowed;
- :meth:`~ModelRuntime.validate_patch` (PATCH): any subset; ``null`` (where
  the property is ``nullable``) is kept, meaning "unset it".

A strict model (the default) rejects undeclared properties; a non-strict one
drops them. A relation's name is never model data (LoopBack: "Navigational
properties are not allowed in model data"): it is rejected as an additional
property either way. Hidden properties are accepted here and never returned
by :meth:`~ModelRuntime.to_json`.
"""

from __future__ import annotations

import copy
import datetime
import uuid
from collections.abc import Callable, Collection, Mapping
from typing import Any

from composer.errors import HttpError
from composer.repository.backend import Row
from composer.repository.entity import EntityInfo, entity_info
from composer.repository.property import INVALID, Detail, PropertyCheck, pointer
from composer.repository.serialize import Serializer
from composer.spec import AppSpec, ModelSpec, PropertySpec, base_chain

__all__ = ["VALIDATION_MESSAGE", "ModelRuntime", "validation_error"]

#: LoopBack's message for an invalid request body
VALIDATION_MESSAGE = (
    "The request body is invalid. See error object `details` property for more info."
)


def validation_error(details: list[Detail]) -> HttpError:
    """The 422 ``VALIDATION_FAILED`` error LoopBack answers for an invalid body.

    >>> validation_error([]).body()["error"]["code"]
    'VALIDATION_FAILED'
    """
    return HttpError(422, VALIDATION_MESSAGE, code="VALIDATION_FAILED", details=details)


def _now_datetime() -> datetime.datetime:
    now = datetime.datetime.now(datetime.UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def _default(prop: PropertySpec, check: PropertyCheck) -> Callable[[], Any] | None:
    value = prop.default
    if value is None:
        return None
    if value == "now" and prop.type == "datetime":
        return _now_datetime
    if value == "now" and prop.type == "date":
        return lambda: datetime.datetime.now(datetime.UTC).date()
    if value == "uuid" and prop.type == "string":
        return lambda: str(uuid.uuid4())
    converted = check.convert_trusted(value)
    if isinstance(converted, dict | list):
        return lambda: copy.deepcopy(converted)
    return lambda: converted


class _Body:
    """One compiled body validator: which properties, which are required, what fills the rest."""

    def __init__(
        self,
        checks: Mapping[str, PropertyCheck],
        *,
        required: tuple[str, ...],
        strict: bool,
        rejected: Collection[str],
        defaults: Mapping[str, Callable[[], Any]],
        keep_null: bool,
    ) -> None:
        self.checks = dict(checks)
        self.required = required
        self.strict = strict
        self.rejected = frozenset(rejected)
        self.defaults = dict(defaults)
        self.keep_null = keep_null

    def __call__(self, body: Any) -> Row:
        row = self._fast(body) if type(body) is dict else None
        if row is None:
            row = self._check(body)
        for name, make in self.defaults.items():
            if name not in body:
                row[name] = make()
        if not self.keep_null:
            row = {name: value for name, value in row.items() if value is not None}
        return row

    def _fast(self, body: dict[str, Any]) -> Row | None:
        """The row of a valid body, or None to look for the violations."""
        for name in self.required:
            if name not in body:
                return None
        checks = self.checks
        row: Row = {}
        for key, value in body.items():
            check = checks.get(key)
            if check is None:
                if self.strict or key in self.rejected:
                    return None
                continue
            converted = check.fast(value)
            if converted is INVALID:
                return None
            row[key] = converted
        return row

    def _check(self, body: Any) -> Row:
        """The row, or every violation in AJV's order."""
        if not isinstance(body, dict):
            raise validation_error(
                [
                    {
                        "path": "",
                        "code": "type",
                        "message": "must be object",
                        "info": {"type": "object"},
                    }
                ]
            )
        details: list[Detail] = [
            {
                "path": "",
                "code": "required",
                "message": f"must have required property '{name}'",
                "info": {"missingProperty": name},
            }
            for name in self.required
            if name not in body
        ]
        checks = self.checks
        for key in body:
            if key not in checks and (self.strict or key in self.rejected):
                details.append(
                    {
                        "path": "",
                        "code": "additionalProperties",
                        "message": "must NOT have additional properties",
                        "info": {"additionalProperty": key},
                    }
                )
        row: Row = {}
        for name, check in checks.items():
            if name in body:
                value = check(body[name], pointer(name), details)
                if value is not INVALID:
                    row[name] = value
        if details:
            raise validation_error(details)
        return row


class ModelRuntime:
    """A model's validators and serializer, built once.

    ``hidden`` and ``relations`` default to what ``model`` declares; pass the
    whole base chain's (or use :meth:`from_app`) for a model with a base.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Todo": ModelSpec(
    ...     datasource="db", properties={
    ...         "id": PropertySpec(type="integer", id=True, generated=True),
    ...         "title": PropertySpec(type="string", required=True, min_length=1)})})
    >>> todo = ModelRuntime.from_app(app, "Todo")
    >>> todo.validate_create({"title": "milk"})
    {'title': 'milk'}
    >>> todo.validate_create({"title": ""})
    Traceback (most recent call last):
    composer.errors.HttpError: The request body is invalid. See error object `details` ...
    """

    def __init__(
        self,
        info: EntityInfo,
        model: ModelSpec,
        *,
        hidden: Collection[str] | None = None,
        relations: Collection[str] | None = None,
    ) -> None:
        self.info = info
        self.model = model
        self.name = info.name
        hidden_names = set(info.hidden) | set(model.hidden if hidden is None else hidden)
        hidden_names.update(f.name for f in info.fields if f.spec.hidden)
        #: properties stored but never returned
        self.hidden: frozenset[str] = frozenset(hidden_names)
        #: relation names, never accepted as data
        self.relations: frozenset[str] = frozenset(
            model.relations if relations is None else relations
        )
        checks = {f.name: PropertyCheck(f.spec) for f in info.fields}
        defaults = {
            f.name: make
            for f in info.fields
            if (make := _default(f.spec, checks[f.name])) is not None
        }
        id_field = info.id
        #: the id is generated by composer or the database
        self.generated_id = id_field.spec.generated
        forced = self.generated_id and model.force_id
        required = tuple(f.name for f in info.fields if f.spec.required)
        create_checks = {
            name: c for name, c in checks.items() if not (forced and name == id_field.name)
        }
        create_required = required
        if not self.generated_id and id_field.name not in required:
            create_required = tuple(f.name for f in info.fields if f.spec.required or f.is_id)
        create_defaults = dict(defaults)
        if self.generated_id and id_field.type == "string":
            create_defaults[id_field.name] = lambda: str(uuid.uuid4())
        rejected = self.relations | ({id_field.name} if forced else set())
        self._create = _Body(
            create_checks,
            required=create_required,
            strict=model.strict,
            rejected=rejected,
            defaults=create_defaults,
            keep_null=False,
        )
        self._replace = _Body(
            checks,
            required=tuple(name for name in required if name != id_field.name),
            strict=model.strict,
            rejected=self.relations,
            defaults={name: make for name, make in defaults.items() if name != id_field.name},
            keep_null=False,
        )
        self._patch = _Body(
            checks,
            required=(),
            strict=model.strict,
            rejected=self.relations,
            defaults={},
            keep_null=True,
        )
        self._serializer = Serializer(info.fields, self.hidden)

    @classmethod
    def from_app(cls, app: AppSpec, name: str) -> ModelRuntime:
        """The runtime of model ``name``, hidden properties and relations of its bases included.

        >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
        >>> app = AppSpec(api_version="composer/v1", name="a", models={"Tag": ModelSpec(
        ...     properties={"id": PropertySpec(type="string", id=True)}, hidden=("id",))})
        >>> sorted(ModelRuntime.from_app(app, "Tag").hidden)
        ['id']
        """
        chain = [app.models[model] for model in base_chain(app, name)]
        return cls(
            entity_info(app, name),
            app.models[name],
            hidden={prop for model in chain for prop in model.hidden},
            relations={relation for model in chain for relation in model.relations},
        )

    def validate_create(self, body: Any) -> Row:
        """The row a create (POST) stores, or a 422 listing every violation.

        Defaults are filled in and a generated string id gets a UUID; a
        generated integer id is left to the backend.
        """
        return self._create(body)

    def validate_replace(self, body: Any) -> Row:
        """The row a replace (PUT) stores: the whole instance, defaults filled in."""
        return self._replace(body)

    def validate_patch(self, body: Any) -> Row:
        """The changes a patch (PATCH) makes; a None value unsets a nullable property."""
        return self._patch(body)

    def to_json(
        self, row: Mapping[str, Any], fields: Collection[str] | None = None
    ) -> dict[str, Any]:
        """``row`` as the JSON object a client receives (see :class:`Serializer`)."""
        return self._serializer(row, fields)
