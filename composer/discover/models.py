"""Discovered tables become model definitions: properties, ids, indexes, REST exposure.

:func:`build_models` turns a :class:`~composer.discover.reflection.Database`
into one manifest body per model (plain dicts, in the manifest's own key
names) and the notes a user should read:

- a column becomes a property (see :mod:`composer.discover.column_types`),
  its real name kept in ``column:`` when the property name differs; a
  column no property type can hold, or whose name is not a safe
  identifier, is left out with a note;
- a single-column primary key is the id (``generated`` when the database
  numbers it); NOT NULL columns without a default are ``required``,
  NULL-able ones ``nullable``;
- a table without a primary key, with a composite one, or a view is served
  read-only (``rest: {readonly: true}``: find and count, no ``/{id}``
  routes); so is a table with a column the database computes, since
  composer writes every column of a row;
- unique constraints and unique indexes become unique ``indexes:``;
- foreign keys become relations (:mod:`composer.discover.relations`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from composer.discover.column_types import Mapped, Unsupported, column_default, property_type
from composer.discover.naming import distinct, model_name, property_name, singular, words
from composer.discover.reflection import Column, Database, Table
from composer.spec import kebab_case, rest_path
from composer.spec.checks.names import identifier_problem
from composer.spec.model import ModelSpec

__all__ = ["DiscoveredModel", "build_models"]

_ID_TYPES = ("integer", "number", "string")


@dataclass
class DiscoveredModel:
    """One table's model as it is being built: its manifest body and what it maps."""

    name: str
    table: Table
    #: the manifest body: datasource, table, description, properties, relations, indexes, rest
    body: dict[str, Any]
    #: property name by column name, for every column kept
    properties: dict[str, str] = field(default_factory=dict)
    #: the single id's column, when the model has one
    id_column: str | None = None
    #: why the model is served read-only (empty: it is writable)
    readonly: list[str] = field(default_factory=list)

    @property
    def property_bodies(self) -> dict[str, dict[str, Any]]:
        """The ``properties:`` section."""
        properties: dict[str, dict[str, Any]] = self.body["properties"]
        return properties

    @property
    def relation_bodies(self) -> dict[str, dict[str, Any]]:
        """The ``relations:`` section (created on first use)."""
        relations: dict[str, dict[str, Any]] = self.body.setdefault("relations", {})
        return relations

    def taken(self, name: str) -> bool:
        """Whether a property or relation of this model is called ``name`` (case ignored)."""
        folded = name.casefold()
        return any(
            folded == other.casefold()
            for other in (*self.property_bodies, *self.body.get("relations", {}))
        )


def build_models(
    database: Database, datasource: str, notes: list[str]
) -> dict[str, DiscoveredModel]:
    """The model of every usable table of ``database``, by model name; problems go to ``notes``.

    >>> from sqlalchemy import types
    >>> from composer.discover.reflection import Column, Database, Table
    >>> table = Table("order_lines", (Column("id", types.Integer(), False, autoincrement=True),
    ...                               Column("unit_price", types.Float(), False)), ("id",))
    >>> models = build_models(Database("sqlite", None, (table,)), "db", [])
    >>> models["OrderLine"].body["properties"]
    {'id': {'type': 'integer', 'id': True, 'generated': True}, \
'unitPrice': {'type': 'number', 'required': True, 'column': 'unit_price'}}
    """
    models: dict[str, DiscoveredModel] = {}
    for table in database.tables:
        problem = identifier_problem(table.name)
        if problem is not None:
            notes.append(f"table {table.name!r} skipped: its name {problem}")
            continue
        model = _model(table, database.dialect, datasource, notes, models)
        if model is not None:
            models[model.name] = model
    return models


def _model(
    table: Table,
    dialect: str,
    datasource: str,
    notes: list[str],
    models: dict[str, DiscoveredModel],
) -> DiscoveredModel | None:
    folded = {name.casefold() for name in models}
    exact = "".join(part[:1].upper() + part[1:] for part in words(table.name))
    name = distinct([model_name(table.name), exact], lambda n: n.casefold() in folded)
    if name != model_name(table.name):
        notes.append(
            f"table {table.name!r}: model {model_name(table.name)!r} is taken, named {name!r}"
        )
    body: dict[str, Any] = {"datasource": datasource}
    if name != table.name:
        body["table"] = table.name
    if table.comment:
        body["description"] = table.comment
    body["properties"] = {}
    model = DiscoveredModel(name, table, body)
    kept: dict[str, Mapped] = {}
    for column in table.columns:
        mapped = _mapped(table, column, dialect, notes)
        if mapped is not None:
            kept[column.name] = mapped
            model.properties[column.name] = distinct(
                [property_name(column.name), column.name], model.taken
            )
            model.property_bodies[model.properties[column.name]] = {}
    if not kept:
        notes.append(f"table {table.name!r} skipped: no column has a composer type")
        return None
    key = _key(model, kept)
    for column in table.columns:
        if column.name in kept:
            prop = model.properties[column.name]
            model.property_bodies[prop] = _property(model, column, kept[column.name], key, notes)
    _indexes(model)
    _rest(model, table)
    return model


def _mapped(table: Table, column: Column, dialect: str, notes: list[str]) -> Mapped | None:
    where = f"{table.name}.{column.name}"
    problem = identifier_problem(column.name)
    if problem is not None:
        notes.append(f"column {where} skipped: its name {problem}")
        return None
    mapped = property_type(column, dialect)
    if isinstance(mapped, Unsupported):
        notes.append(f"column {where} skipped: {mapped.reason}")
        return None
    notes.extend(f"column {where}: {note}" for note in mapped.notes)
    return mapped


def _key(model: DiscoveredModel, kept: dict[str, Mapped]) -> tuple[str, ...]:
    """The columns marked ``id: true``; the reasons the model is read-only go to the model."""
    table = model.table
    primary_key = table.primary_key
    if table.view:
        model.readonly.append("a view")
        return ()
    if not primary_key:
        model.readonly.append("no primary key")
        return ()
    if any(column not in kept for column in primary_key):
        model.readonly.append(f"the primary key ({', '.join(primary_key)}) is not fully kept")
        return ()
    if len(primary_key) > 1:
        model.readonly.append(f"a composite primary key ({', '.join(primary_key)})")
        return primary_key
    if kept[primary_key[0]].type not in _ID_TYPES:
        model.readonly.append(
            f"the primary key {primary_key[0]} is a {kept[primary_key[0]].type}, "
            "which cannot be an id"
        )
        return ()
    model.id_column = primary_key[0]
    for column in table.columns:
        if column.name not in kept or column.name == model.id_column:
            continue
        if column.computed:
            model.readonly.append(f"the database computes column {column.name}")
        elif column.autoincrement:
            model.readonly.append(f"the database numbers column {column.name}")
    return primary_key


def _property(
    model: DiscoveredModel,
    column: Column,
    mapped: Mapped,
    key: tuple[str, ...],
    notes: list[str],
) -> dict[str, Any]:
    where = f"{model.table.name}.{column.name}"
    body: dict[str, Any] = {"type": mapped.type}
    is_key = column.name in key
    generated = column.autoincrement or column.computed
    default, had_default = column_default(column, mapped)
    if default == "uuid" and column.name == model.id_column:
        generated, default = True, None  # composer generates a string id as a uuid
    if is_key:
        body["id"] = True
    if generated:
        body["generated"] = True
    required = not column.nullable and not generated and default is None
    if required and not model.table.view:
        body["required"] = True
        if had_default:
            notes.append(
                f"column {where}: its default {column.default} has no composer equivalent; "
                "the property is required"
            )
    elif had_default and default is None and not generated:
        notes.append(
            f"column {where}: its default {column.default} has no composer equivalent; "
            "a row created without a value holds null"
        )
    if column.nullable and not is_key:
        body["nullable"] = True
    if mapped.max_length is not None:
        body["maxLength"] = mapped.max_length
    if mapped.enum is not None:
        body["enum"] = list(mapped.enum)
    if mapped.format is not None:
        body["format"] = mapped.format
    if default is not None and not generated:
        body["default"] = default
    if column.comment:
        body["description"] = column.comment
    if model.properties[column.name] != column.name:
        body["column"] = column.name
    return body


def _indexes(model: DiscoveredModel) -> None:
    """The unique constraints and indexes over kept columns (the primary key's left out)."""
    indexes: dict[str, Any] = {}
    seen: set[frozenset[str]] = {frozenset(model.table.primary_key)}
    for columns in model.table.unique:
        if frozenset(columns) in seen or any(c not in model.properties for c in columns):
            continue
        seen.add(frozenset(columns))
        properties = [model.properties[column] for column in columns]
        wanted = "by" + "".join(p[:1].upper() + p[1:] for p in properties)
        name = distinct([wanted], indexes.__contains__)
        indexes[name] = {"properties": properties, "unique": True}
    if indexes:
        model.body["indexes"] = indexes


def _rest(model: DiscoveredModel, table: Table) -> None:
    rest: dict[str, Any] = {}
    # an irregular plural table keeps its own path: /people, not /persons
    table_words = words(table.name)
    if table_words and singular(table_words[-1]) != table_words[-1]:
        path = "/" + kebab_case(table.name)
        if rest_path(model.name, ModelSpec(datasource="db")) != path:
            rest["path"] = path
    if model.readonly:
        rest["readonly"] = True
    if rest:
        model.body["rest"] = rest
