"""The query AST as SQLAlchemy Core, for SQLite, PostgreSQL and MySQL/MariaDB.

:func:`compile_where` turns a :mod:`composer.repository.query` where clause
into a boolean SQL expression in which every value is a bound parameter and
every identifier comes from the model (never from the request).
:class:`QueryCompiler` does the same in two steps so a backend compiles each
*shape* of query once: :meth:`QueryCompiler.lower` reduces a where clause to a
hashable key (properties and operators, no values) and the list of values in
parameter order; :meth:`QueryCompiler.where` builds the expression of a key
with parameters named ``p0``, ``p1``...

How each operator is written (the semantics are :mod:`~composer.repository.query`'s):

===============  =========================  ========================  ========================
operator         SQLite                     PostgreSQL                MySQL / MariaDB
===============  =========================  ========================  ========================
eq / neq None    IS NULL / IS NOT NULL      same                      same
gt gte lt lte    ``>`` ``>=`` ``<`` ``<=``  same                      same
between          BETWEEN                    same                      same
inq / nin        IN / NOT IN (SELECT value  ``= ANY(:array)`` /       IN / NOT IN (:list)
                 FROM json_each(:json))     ``<> ALL(:array)``
like / nlike     GLOB (translated)          LIKE ... ESCAPE '\\'      LIKE ... ESCAPE '\\'
ilike / nilike   lower() GLOB lower()       ILIKE                     lower() LIKE lower()
regexp           composer_regexp() (RE2)    ``~``                     REGEXP
exists           IS NOT NULL / IS NULL      same                      same
===============  =========================  ========================  ========================

A list for ``inq``/``nin`` is one parameter on SQLite and PostgreSQL, so a
list of any length makes one short statement; MySQL's driver writes the
list into the statement itself, escaped. SQLite's LIKE ignores ASCII case, so
``like`` becomes the equivalent GLOB pattern (``%`` -> ``*``, ``_`` -> ``?``,
a literal ``*``, ``?`` or ``[`` -> ``[*]``...). A trailing lone ``\\`` in a
like pattern is a literal backslash. ``ilike`` folds case with the
database's ``lower()``/ILIKE: ASCII letters on every database; other letters
too on MySQL/MariaDB, not on SQLite nor under PostgreSQL's "C" collation.
Ascending order puts nulls first and descending last (PostgreSQL is told so
with NULLS FIRST/LAST), and the id breaks ties (a read-only model's key).

On PostgreSQL a string property with ``format: uuid`` or an ``enum`` may be
a ``uuid`` or enum column (``composer discover`` maps them so): its values
are bound without a type, so they take the column's, and ``inq``/``nin``,
``like`` and ``regexp`` compare the column as text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    String,
    Table,
    Text,
    and_,
    any_,
    bindparam,
    cast,
    exists,
    false,
    func,
    literal_column,
    not_,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ColumnElement, FromClause, Select
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.expression import all_
from sqlalchemy.types import TypeEngine, UserDefinedType

from composer.repository.entity import EntityInfo, FieldInfo, Models
from composer.repository.query import And, Comparison, Filter, Order, Regexp, Related, Where
from composer.repository.relations.info import RelationInfo
from composer.repository.sql.like import glob_pattern, like_pattern

__all__ = [
    "ALL",
    "REGEXP_FUNCTION",
    "Key",
    "QueryCompiler",
    "compile_order",
    "compile_where",
    "family",
    "uses_regexp",
]

#: the SQLite function that runs ``regexp`` with RE2 (see :mod:`.functions`)
REGEXP_FUNCTION = "composer_regexp"

#: a where clause without its values: nested tuples of operators and property names
Key = tuple[Any, ...]

#: the key of a where clause that matches every row (no WHERE at all)
ALL: Key = ("true",)
_TRUE = ALL
_FALSE: Key = ("false",)
_BINARY = {"eq": "=", "neq": "<>", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_LIKE = {"like": (False, False), "nlike": (True, False), "ilike": (False, True),
         "nilike": (True, True)}  # fmt: skip


def family(dialect: Dialect) -> str:
    """``sqlite``, ``postgresql`` or ``mysql`` (MariaDB included) for a SQLAlchemy dialect.

    >>> from sqlalchemy.dialects import mysql
    >>> family(mysql.dialect())
    'mysql'
    """
    name = dialect.name
    if name in ("mysql", "mariadb"):
        return "mysql"
    if name in ("sqlite", "postgresql"):
        return name
    raise ValueError(f"unsupported SQL dialect {name!r} (supported: sqlite, postgresql, mysql)")


def uses_regexp(key: Key) -> bool:
    """Whether the where clause of ``key`` matches a regular expression.

    >>> uses_regexp(("and", (("=", "id"), ("regexp", "title", "")))), uses_regexp(ALL)
    (True, False)
    """
    tag = key[0]
    if tag in ("and", "or"):
        return any(uses_regexp(item) for item in key[1])
    return bool(tag == "regexp")


def compile_where(
    where: Where, table: Table, info: EntityInfo, dialect: Dialect
) -> ColumnElement[bool]:
    """``where`` as a SQL expression on ``table``, every value bound.

    >>> from sqlalchemy import MetaData
    >>> from sqlalchemy.dialects import postgresql
    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> from composer.repository.entity import entity_info
    >>> from composer.repository.sql.schema import table_for
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Todo": ModelSpec(
    ...     properties={"id": PropertySpec(type="integer", id=True, generated=True),
    ...                 "title": PropertySpec(type="string")})})
    >>> info = entity_info(app, "Todo")
    >>> table = table_for(info, MetaData(), "postgresql")
    >>> where = Comparison("title", "like", "Buy%")
    >>> dialect = postgresql.dialect()
    >>> print(compile_where(where, table, info, dialect).compile(dialect=dialect))
    "Todo".title LIKE %(p0)s::VARCHAR ESCAPE '\\'
    """
    compiler = QueryCompiler(table, info, dialect)
    key, values = compiler.lower(where)
    return compiler.where(key, values)


def compile_order(
    order: Sequence[Order], table: Table, info: EntityInfo, dialect: Dialect
) -> list[ColumnElement[Any]]:
    """The ORDER BY of ``order``: nulls first ascending, last descending, ties by id.

    >>> from sqlalchemy import MetaData
    >>> from sqlalchemy.dialects import sqlite
    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> from composer.repository.entity import entity_info
    >>> from composer.repository.sql.schema import table_for
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Todo": ModelSpec(
    ...     properties={"id": PropertySpec(type="integer", id=True, generated=True)})})
    >>> info = entity_info(app, "Todo")
    >>> [str(c) for c in compile_order((), table_for(info, MetaData(), "sqlite"), info,
    ...                                sqlite.dialect())]
    ['"Todo".id ASC']
    """
    return QueryCompiler(table, info, dialect).order(order)


@dataclass(frozen=True, slots=True)
class _Column:
    """What the compiler needs of one property."""

    field: FieldInfo
    column: ColumnElement[Any]
    #: the type a value compared with the column is bound as
    bind_type: TypeEngine[Any]
    #: turns a property value into the value the database stores
    to_db: Callable[[Any], Any] | None
    #: the column as text, for like and regexp
    text: ColumnElement[str]


class QueryCompiler:
    """The SQL of one model's queries on one database.

    >>> from sqlalchemy import MetaData
    >>> from sqlalchemy.dialects import sqlite
    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> from composer.repository.entity import entity_info
    >>> from composer.repository.sql.schema import table_for
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Todo": ModelSpec(
    ...     properties={"id": PropertySpec(type="integer", id=True, generated=True)})})
    >>> info = entity_info(app, "Todo")
    >>> compiler = QueryCompiler(table_for(info, MetaData(), "sqlite"), info, sqlite.dialect())
    >>> compiler.lower(Comparison("id", "gt", 3))
    (('>', 'id'), [3])
    """

    def __init__(
        self,
        table: Table | FromClause,
        info: EntityInfo,
        dialect: Dialect,
        models: Models | None = None,
    ) -> None:
        self.table = table
        self.info = info
        self.dialect = dialect
        self.family = family(dialect)
        self.columns = {field.name: self._column(field) for field in info.fields}
        self.id = self.columns[info.id.name]
        #: looks up the models relations lead to (a where clause may follow them)
        self.models = models
        self._peers: dict[str, _Peer] = {}

    # -- where: values out (per request), expression from the key (once per shape)

    def lower(self, where: Where | None) -> tuple[Key, list[Any]]:
        """The key of ``where`` and its values, in the order :meth:`where` binds them."""
        values: list[Any] = []
        if where is None:
            return _TRUE, values
        return self._lower(where, values), values

    def where(self, key: Key, values: Sequence[Any] | None = None) -> ColumnElement[bool]:
        """The expression of ``key``; its parameters hold ``values`` when given."""
        return self._build(key, _Binder(values))

    def to_db(self, name: str, value: Any) -> Any:
        """Property ``name``'s ``value`` as the database stores it (None stays None)."""
        convert = self.columns[name].to_db
        return value if value is None or convert is None else convert(value)

    # -- order, columns and whole statements

    def order(self, order: Sequence[Order]) -> list[ColumnElement[Any]]:
        """The ORDER BY clauses of ``order``, the tie-break by the key (the id) appended."""
        clauses: list[ColumnElement[Any]] = []
        for item in order:
            column = self.columns[item.property].column
            clause = column.desc() if item.descending else column.asc()
            if self.family == "postgresql":
                clause = clause.nulls_last() if item.descending else clause.nulls_first()
            clauses.append(clause)
        ordered = {item.property for item in order}
        clauses.extend(
            self.columns[field.name].column.asc()
            for field in self.info.key
            if field.name not in ordered
        )
        return clauses

    def selected(self, fields: Sequence[str] | None) -> tuple[str, ...]:
        """The properties a query with ``fields`` reads: the id first, then the fields."""
        if fields is None:
            return self.info.names
        wanted = set(fields)
        return tuple(
            name for name in self.info.names if name == self.info.id.name or name in wanted
        )

    def select(self, key: Key, query: Filter, values: Sequence[Any] | None = None) -> Select[Any]:
        """The SELECT of ``query`` whose where has ``key``; limit and offset are parameters
        named ``limit`` and ``offset``, holding the query's values when ``values`` are given."""
        columns = [self.columns[name].column for name in self.selected(query.fields)]
        statement = select(*columns).select_from(self.table)
        if key != _TRUE:
            statement = statement.where(self.where(key, values))
        statement = statement.order_by(*self.order(query.order))
        limit, skip = (query.limit, query.skip) if values is not None else (None, None)
        if query.limit is not None:
            statement = statement.limit(bindparam("limit", limit, type_=BigInteger()))
        if query.skip:
            statement = statement.offset(bindparam("offset", skip, type_=BigInteger()))
        return statement

    def select_partitioned(self, key: Key, query: Filter, partition: str) -> Select[Any]:
        """The SELECT of ``query`` with ``limit`` and ``skip`` applied per value of
        ``partition`` (``ROW_NUMBER() OVER (PARTITION BY ...)``): the rows of each parent an
        inclusion pages. The bounds are parameters ``offset`` (rows skipped) and ``upto``
        (the last row number kept); rows come grouped by ``partition``, in order."""
        names = self.selected(query.fields)
        columns = [self.columns[name].column for name in names]
        grouped_by = self.columns[partition].column
        number = (
            func.row_number()
            .over(partition_by=grouped_by, order_by=self.order(query.order))
            .label("composer_row_number")
        )
        inner = select(*columns, number).select_from(self.table)
        if key != _TRUE:
            inner = inner.where(self.where(key))
        ranked = inner.subquery("ranked")
        row_number = ranked.c.composer_row_number
        kept: list[ColumnElement[bool]] = []
        if query.skip:
            kept.append(row_number > bindparam("offset", type_=BigInteger()))
        if query.limit is not None:
            kept.append(row_number <= bindparam("upto", type_=BigInteger()))
        statement = select(*(ranked.c[str(column.key)] for column in columns))
        if kept:
            statement = statement.where(and_(*kept))
        return statement.order_by(ranked.c[str(grouped_by.key)], row_number)

    # -- internals

    def _column(self, field: FieldInfo) -> _Column:
        column: ColumnElement[Any] = self.table.c[field.column]
        bind_type: TypeEngine[Any] = String() if field.type == "string" else column.type
        if self.family == "postgresql" and _column_typed(field):
            bind_type = _ColumnTyped()
        to_db: Callable[[Any], Any] | None = None
        if field.type == "datetime":
            to_db = _aware if self.family == "postgresql" else _naive_utc
            if self.family == "mysql":
                to_db = _naive_utc_milliseconds
        text: ColumnElement[str] = column if field.type == "string" else cast(column, String())
        if isinstance(bind_type, _ColumnTyped):
            text = cast(column, Text())
        return _Column(field, column, bind_type, to_db, text)

    def _lower(self, where: Where, values: list[Any]) -> Key:
        if isinstance(where, Comparison):
            return self._lower_comparison(where, values)
        if isinstance(where, Related):
            inner = self._peer(where.relation).target._lower(where.where, values)
            return _FALSE if inner == _FALSE else ("related", where.relation, inner)
        start = len(values)
        conjunction = isinstance(where, And)
        absorbing, neutral = (_FALSE, _TRUE) if conjunction else (_TRUE, _FALSE)
        items = tuple(self._lower(item, values) for item in where.items)
        if absorbing in items:
            del values[start:]  # the other items are not compiled, so neither are their values
            return absorbing
        items = tuple(item for item in items if item != neutral)
        if not items:
            return neutral
        if len(items) == 1:
            return items[0]
        return ("and" if conjunction else "or", items)

    def _lower_comparison(self, comparison: Comparison, values: list[Any]) -> Key:
        name, op, value = comparison.property, comparison.op, comparison.value
        column = self.columns[name]
        if op in ("eq", "neq") and value is None:
            return ("null" if op == "eq" else "notnull", name)
        if op == "exists":
            return ("notnull" if value else "null", name)
        if op in _BINARY:
            if value is None:
                return _FALSE  # ordering against null: true of no row
            values.append(self.to_db(name, value))
            return (_BINARY[op], name)
        if op == "between":
            low, high = value
            if low is None or high is None:
                return _FALSE
            values.extend((self.to_db(name, low), self.to_db(name, high)))
            return ("between", name)
        if op in ("inq", "nin"):
            return self._lower_list(column, op == "nin", value, values)
        if op in _LIKE:
            negate, fold = _LIKE[op]
            if self.family == "sqlite":
                values.append(glob_pattern(value))
            else:
                values.append(like_pattern(value))
            return ("like", name, negate, fold)
        if op == "regexp":
            return self._lower_regexp(name, value, values)
        raise ValueError(f"unknown operator {op!r}")

    def _lower_list(
        self, column: _Column, negate: bool, items: Sequence[Any], values: list[Any]
    ) -> Key:
        name = column.field.name
        present = [self.to_db(name, item) for item in items if item is not None]
        has_null = len(present) < len(items)
        if not present:
            if negate:
                return ("notnull", name) if has_null else _TRUE
            return ("null", name) if has_null else _FALSE
        if self.family == "sqlite" and column.field.type == "buffer":
            # bytes have no JSON form: one parameter per item
            values.extend(present)
            key: Key = ("nin_each" if negate else "in_each", name, len(present))
        else:
            values.append(self._list_value(column, present))
            key = ("nin" if negate else "in", name)
        if has_null and not negate:
            return ("or", (key, ("null", name)))
        return key  # NOT IN already leaves nulls out

    def _list_value(self, column: _Column, items: list[Any]) -> Any:
        if self.family == "sqlite":
            process = column.bind_type.dialect_impl(self.dialect).bind_processor(self.dialect)
            if process is not None:
                items = [process(item) for item in items]
            return json.dumps(items, default=str)
        return items

    def _lower_regexp(self, name: str, value: Regexp, values: list[Any]) -> Key:
        if self.family == "postgresql":
            operator, pattern = value.for_postgresql()
            values.append(pattern)
            return ("regexp", name, operator)
        values.append(value.for_mysql() if self.family == "mysql" else value.for_re2().pattern)
        return ("regexp", name, "")

    def _build(self, key: Key, bind: _Binder) -> ColumnElement[bool]:
        tag = key[0]
        if tag == "true":
            return true()
        if tag == "false":
            return false()
        if tag in ("and", "or"):
            items = [self._build(item, bind) for item in key[1]]
            return and_(*items) if tag == "and" else or_(*items)
        if tag == "related":
            return self._build_related(key[1], key[2], bind)
        column = self.columns[key[1]]
        target = column.column
        if tag == "null":
            return target.is_(None)
        if tag == "notnull":
            return target.is_not(None)
        if tag == "between":
            return target.between(bind(column.bind_type), bind(column.bind_type))
        if tag in ("in", "nin"):
            return self._build_list(column, tag == "nin", bind)
        if tag in ("in_each", "nin_each"):
            params = [bind(column.bind_type) for _ in range(key[2])]
            return target.not_in(params) if tag == "nin_each" else target.in_(params)
        if tag == "like":
            return self._build_like(column, key[2], key[3], bind)
        if tag == "regexp":
            return self._build_regexp(column, key[2], bind)
        return target.op(tag, is_comparison=True)(bind(column.bind_type))

    def _build_list(self, column: _Column, negate: bool, bind: _Binder) -> ColumnElement[bool]:
        target = column.column
        if self.family == "postgresql":
            item_type = column.bind_type
            if isinstance(item_type, _ColumnTyped):  # a uuid or enum column, compared as text
                target, item_type = column.text, String()
            array = bind(ARRAY(item_type))
            return target != all_(array) if negate else target == any_(array)
        if self.family == "sqlite":
            each = func.json_each(bind(String())).table_valued("value")
            subquery = select(each.c.value)
            return target.not_in(subquery) if negate else target.in_(subquery)
        items = bind(column.bind_type, expanding=True)
        return target.not_in(items) if negate else target.in_(items)

    def _build_like(
        self, column: _Column, negate: bool, fold: bool, bind: _Binder
    ) -> ColumnElement[bool]:
        target = column.text
        pattern = bind(String())
        if self.family == "sqlite":
            if fold:
                matched = func.lower(target).op("GLOB", is_comparison=True)(func.lower(pattern))
            else:
                matched = target.op("GLOB", is_comparison=True)(pattern)
            return not_(matched) if negate else matched
        if fold:
            if negate:
                return target.not_ilike(pattern, escape="\\")
            return target.ilike(pattern, escape="\\")
        return (
            target.not_like(pattern, escape="\\") if negate else target.like(pattern, escape="\\")
        )

    def _build_regexp(self, column: _Column, variant: str, bind: _Binder) -> ColumnElement[bool]:
        target = column.text
        pattern = bind(String())
        if self.family == "postgresql":
            return target.op(variant, is_comparison=True)(pattern)
        if self.family == "mysql":
            return target.op("REGEXP", is_comparison=True)(pattern)
        return func.composer_regexp(target, pattern, type_=Boolean()) == 1

    def _peer(self, name: str) -> _Peer:
        """The compilers of the models relation ``name`` leads to, on aliased tables."""
        peer = self._peers.get(name)
        if peer is not None:
            return peer
        relation = self.info.relation(name)
        if relation is None or self.models is None:
            raise ValueError(f"{self.info.name} has no relation {name!r} to follow")
        through = None
        if relation.through is not None:
            through = self._compiler_of(relation.through)
        peer = self._peers[name] = _Peer(relation, self._compiler_of(relation.target), through)
        return peer

    def _compiler_of(self, model: str) -> QueryCompiler:
        # imported here: the schema module builds on this one's dialect helpers
        from sqlalchemy import MetaData

        from composer.repository.sql.schema import dialect_key, table_for

        assert self.models is not None
        info = self.models(model)
        if info is None:
            raise ValueError(f"the related model {model!r} has no id")
        table = table_for(info, MetaData(), dialect_key(self.dialect)).alias()
        return QueryCompiler(table, info, self.dialect, self.models)

    def _build_related(self, name: str, inner: Key, bind: _Binder) -> ColumnElement[bool]:
        """``EXISTS (SELECT 1 FROM target [JOIN through] WHERE <join> AND <inner>)``."""
        peer = self._peer(name)
        relation, target = peer.relation, peer.target
        source_key = self.columns[relation.source_key].column
        target_key = target.columns[relation.target_key].column
        if peer.through is None:
            source: FromClause = target.table
            joined = target_key == source_key
        else:
            link = peer.through
            source = link.table.join(
                target.table, link.columns[relation.through_to].column == target_key
            )
            joined = link.columns[relation.through_from].column == source_key
        condition = joined if inner == _TRUE else and_(joined, target._build(inner, bind))
        return exists(select(literal_column("1")).select_from(source).where(condition))


@dataclass(frozen=True, slots=True)
class _Peer:
    """What following one relation in a where clause needs: the target's compiler, and the
    through model's for a many-to-many."""

    relation: RelationInfo
    target: QueryCompiler
    through: QueryCompiler | None


class _Binder:
    """Hands out the parameters ``p0``, ``p1``... in the order the values were lowered."""

    def __init__(self, values: Sequence[Any] | None) -> None:
        self.values = values
        self.count = 0

    def __call__(self, type_: TypeEngine[Any], *, expanding: bool = False) -> BindParameter[Any]:
        name = f"p{self.count}"
        self.count += 1
        if self.values is None:
            return bindparam(name, type_=type_, expanding=expanding)
        return bindparam(name, self.values[self.count - 1], type_=type_, expanding=expanding)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _naive_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def _naive_utc_milliseconds(value: datetime) -> datetime:
    # DATETIME(3): MySQL rounds extra digits, MariaDB truncates; truncate for both
    value = _naive_utc(value)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


class _ColumnTyped(UserDefinedType[Any]):
    """A PostgreSQL parameter written without a cast: it takes the type of what it meets."""

    cache_ok = True

    def get_col_spec(self, **_: Any) -> str:
        return "TEXT"


def _column_typed(field: FieldInfo) -> bool:
    """A string property whose PostgreSQL column may be of another type: a uuid, an enum."""
    return field.type == "string" and (field.spec.format == "uuid" or field.spec.enum is not None)
