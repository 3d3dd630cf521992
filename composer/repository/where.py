"""Reading a where clause into the query tree of :mod:`composer.repository.query`.

A where clause is an object whose keys are property names, ``and`` or
``or``. A property's value is either a plain value (equality; ``null``
matches a missing value) or an object of operators, all of which must hold::

    {"or": [{"isComplete": true}, {"priority": {"gte": 2, "lt": 5}}]}

Every name is checked against the model (hidden properties count as unknown
unless the caller allows them), every value is coerced to the property's
type, and every limit is enforced, so a backend only ever sees valid,
typed comparisons. The entry point is :func:`read_where`; errors are
:class:`~composer.repository.query_error.FilterError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from composer.errors import KeyPath
from composer.repository.coercion import COERCERS, SCALAR_TYPES, check_text, coerce_bool
from composer.repository.entity import EntityInfo, FieldInfo, Models
from composer.repository.query import OPERATORS, And, Comparison, Op, Or, Regexp, Related, Where
from composer.repository.query_error import FilterError, clause_error, js_json
from composer.repository.regexp import RegexpError

__all__ = ["REGEXP_TEXT", "WhereReader", "coerce_array", "unknown_property"]

_LIKE = ("like", "nlike", "ilike", "nilike")
_ORDERING = ("gt", "gte", "lt", "lte")
_REGEXP_FLAGS = frozenset("ims")
#: what :func:`_regexp` takes, as a JSON Schema pattern: no NUL character, and a value
#: starting with ``/`` that has another ``/`` is ``/pattern/flags`` with flags ``i m s`` only
REGEXP_TEXT = "^(?!/[\\s\\S]*/[^/]*[^ims/][^/]*$)[^\\u0000]*$"
_NOT_ARRAY = "Value is not an array or object with sequential numeric indices"


def coerce_array(value: Any) -> list[Any]:
    """A list, or an array-like object (``{"0": a, "1": b}``) as a list (LoopBack's rule).

    >>> coerce_array({"1": "b", "0": "a"})
    ['a', 'b']
    """
    if isinstance(value, list | tuple):
        return list(value)
    if not isinstance(value, dict):
        raise ValueError(_NOT_ARRAY)
    if not value:
        raise ValueError("Value is an empty object")
    try:
        return [value[str(index)] for index in range(len(value))]
    except KeyError:
        raise ValueError(_NOT_ARRAY) from None


def unknown_property(
    name: str, where: str, visible: list[str], model: str, path: KeyPath
) -> FilterError:
    """The 400 for a name that is not a (visible) property of the model.

    >>> unknown_property("titel", "where", ["id", "title"], "Todo", ("where", "titel")).message
    'Unknown property "titel" in where. Properties of Todo: id, title.'
    """
    known = ", ".join(visible)
    return FilterError(
        f'Unknown property "{name}" in {where}. Properties of {model}: {known}.',
        path=path,
        summary=f"unknown property '{name}'; properties of {model}: {known}",
        at_key=True,
    )


@dataclass
class WhereReader:
    """Reads where clauses for one model, counting values against the limits.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> from composer.repository.entity import entity_info
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Todo": ModelSpec(
    ...     properties={"id": PropertySpec(type="integer", id=True),
    ...                 "done": PropertySpec(type="boolean")})})
    >>> WhereReader(entity_info(app, "Todo")).read({"done": "true"}, ("where",))
    Comparison(property='done', op='eq', value=True)
    """

    info: EntityInfo
    allow_hidden: bool = False
    max_inq: int | None = 1000
    max_values: int | None = 10_000
    #: looks up a relation's target model (see :class:`~composer.repository.entity.Catalog`);
    #: None: a where clause cannot follow relations
    models: Models | None = None
    fields: dict[str, FieldInfo] = field(init=False)
    values: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        hidden = self.info.hidden if not self.allow_hidden else frozenset()
        self.fields = {f.name: f for f in self.info.fields if f.name not in hidden}

    def read(self, raw: Any, path: KeyPath) -> Where:
        """The tree for the where object ``raw`` found at ``path`` in the filter."""
        if not isinstance(raw, dict):
            raise FilterError(
                f"The where clause {js_json(raw, limit=200)} is not an object",
                name="Error",
                path=path,
                summary="a where clause must be an object",
            )
        self._refuse_dollar_keys(raw, raw, path)
        parts: list[Where] = []
        for key, value in raw.items():
            if key in ("and", "or"):
                parts.append(self._logical(key, value, (*path, key)))
            else:
                parts.extend(self._property(key, value, raw, (*path, key)))
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def _refuse_dollar_keys(self, raw: Mapping[str, Any], where: Any, path: KeyPath) -> None:
        operators = [key for key in raw if key.startswith("$")]
        if operators:
            raise FilterError(
                f'Operators "{", ".join(operators)}" are not allowed in query',
                code="OPERATOR_NOT_ALLOWED_IN_QUERY",
                name="Error",
                details={"operators": operators, "where": where},
                path=(*path, operators[0]),
                summary=f"operator '{operators[0]}' is not allowed",
                at_key=True,
            )

    def _logical(self, key: str, value: Any, path: KeyPath) -> Where:
        try:
            clauses = coerce_array(value)
        except ValueError as exc:
            raise FilterError(
                f"The {key} operator has invalid clauses {js_json(value, limit=200)}: {exc}",
                name="Error",
                path=path,
                summary=f"{key} needs an array of where clauses: {exc}",
            ) from None
        items = tuple(self.read(clause, (*path, index)) for index, clause in enumerate(clauses))
        return And(items) if key == "and" else Or(items)

    def _property(self, name: str, value: Any, where: Any, path: KeyPath) -> list[Where]:
        found = self.fields.get(name)
        if found is None:
            related = self._related(name, value, where, path)
            if related is not None:
                return [related]
            raise unknown_property(name, "where", list(self.fields), self.info.name, path)
        if not isinstance(value, dict):
            return [self._comparison(found, "eq", value, value, path)]
        if not value:
            raise clause_error(name, value, "Expected an operator", path)
        self._refuse_dollar_keys(value, where, path)
        unknown = [key for key in value if key not in OPERATORS]
        if unknown:
            raise FilterError(
                f"The {name} property has invalid clause {js_json(value, limit=200)}: "
                f'unknown operator "{unknown[0]}". Operators: {", ".join(OPERATORS)}.',
                name="Error",
                path=(*path, unknown[0]),
                summary=f"unknown operator '{unknown[0]}'; operators: {', '.join(OPERATORS)}",
                at_key=True,
            )
        return [
            self._comparison(found, op, operand, value, (*path, op))
            for op, operand in value.items()
        ]

    def _related(self, name: str, value: Any, where: Any, path: KeyPath) -> Where | None:
        """``relation.property`` (any depth) as a :class:`Related`; None when ``name`` does not
        start with a relation of the model."""
        head, dot, rest = name.partition(".")
        relation = self.info.relation(head) if dot else None
        if relation is None or not relation.exposed or self.models is None:
            return None
        target = self.models(relation.target)
        problem = None
        if target is None:
            problem = f"its target {relation.target} has no id"
        elif relation.kind == "referencesMany":
            problem = "a referencesMany relation cannot be followed in a where clause"
        elif not relation.joinable:
            problem = f"{self.info.name} and {relation.target} must be stored in one SQL datasource"
        if problem is not None or target is None:
            message = f'The where clause cannot follow the relation "{head}" in "{name}": {problem}'
            raise FilterError(message, name="Error", path=path, summary=message, at_key=True)
        reader = WhereReader(
            target, max_inq=self.max_inq, max_values=self.max_values, models=self.models
        )
        reader.values = self.values
        parts = reader._property(rest, value, where, path)
        self.values = reader.values
        return Related(head, parts[0] if len(parts) == 1 else And(tuple(parts)))

    def _comparison(
        self, prop: FieldInfo, op: str, operand: Any, clause: Any, path: KeyPath
    ) -> Where:
        try:
            value = self._operand(prop, op, operand)
        except _Standalone as exc:
            raise FilterError(str(exc), name="Error", path=path, summary=str(exc)) from None
        except ValueError as exc:
            raise clause_error(prop.name, clause, str(exc), path) from None
        return Comparison(prop.name, cast(Op, op), value)

    def _count(self, values: int) -> None:
        self.values += max(values, 1)
        if self.max_values is not None and self.values > self.max_values:
            raise ValueError(
                f"the where clause holds more than {self.max_values} values (maxValues)"
            )

    def _operand(self, prop: FieldInfo, op: str, operand: Any) -> Any:
        """The typed operand of ``op``, or a ValueError with LoopBack's reason."""
        kind = prop.type
        if op == "exists":
            self._count(0)
            return coerce_bool(operand)
        if kind not in SCALAR_TYPES and not (op in ("eq", "neq") and operand is None):
            raise ValueError(
                f"A property of type {kind} can only be tested with exists or compared with null"
            )
        if op in ("inq", "nin", "between"):
            return self._list(prop, op, operand)
        if op in _LIKE or op == "regexp":
            if kind != "string":
                raise ValueError(f"{op} applies to string properties only")
            self._count(1)
            return _like(operand) if op in _LIKE else _regexp(operand)
        self._count(1)
        if operand is None:
            if op in ("eq", "neq"):
                return None
            raise ValueError(f"{op} needs a value, not null")
        return COERCERS[kind](operand)

    def _list(self, prop: FieldInfo, op: str, operand: Any) -> tuple[Any, ...]:
        try:
            items = coerce_array(operand)
        except ValueError as exc:
            raise ValueError(f"Error: {exc}") from None
        if op == "between" and len(items) != 2:
            raise ValueError(f"Expected precisely 2 values, received {len(items)}")
        if op != "between" and self.max_inq is not None and len(items) > self.max_inq:
            raise ValueError(f"{op} has {len(items)} items, more than {self.max_inq} (maxInq)")
        self._count(len(items))
        coerce = COERCERS[prop.type]
        if any(item is None for item in items):
            raise ValueError(f"{op} items cannot be null")
        return tuple(coerce(item) for item in items)


def _like(operand: Any) -> str:
    if not isinstance(operand, str):
        raise ValueError("Expected a string or RegExp")
    check_text(operand)
    escaped = False
    for char in operand:
        escaped = not escaped and char == "\\"
    if escaped:
        raise ValueError("A like pattern cannot end with the escape character \\")
    return operand


def _regexp(operand: Any) -> Regexp:
    if not isinstance(operand, str):
        raise _Standalone("Invalid argument, must be a string, regex literal, or RegExp object")
    pattern, flags = operand, ""
    if operand.startswith("/") and operand.rfind("/") > 0:
        end = operand.rfind("/")
        pattern, flags = operand[1:end], operand[end + 1 :]
    invalid = [flag for flag in flags if flag not in _REGEXP_FLAGS]
    if invalid:
        raise _Standalone(f"Invalid regex flags: {','.join(invalid)}")
    regexp = Regexp(pattern, frozenset(flags))
    try:
        regexp.for_re2()
    except RegexpError as exc:
        raise ValueError(f"Unsupported regexp: {exc}") from None
    return regexp


class _Standalone(ValueError):
    """A problem LoopBack reports in its own words, without quoting the clause."""
