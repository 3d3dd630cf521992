"""Foreign keys become relations, in both directions.

A single-column foreign key from a child table to a parent table gives:

- a ``belongsTo`` on the child, named after the key column without its
  ``id`` word (``customer_id`` -> ``customer``; else after the parent
  model, ``customer``), ``foreignKey`` the key's property;
- a ``hasMany`` on the parent, named the child model's camelCase plural
  (``orderLines``), or a ``hasOne`` named the child model in camelCase when
  the key column is unique in the child (its primary key, or a unique
  constraint of its own). When a child has several keys to one parent, each
  parent relation is prefixed with its belongsTo's name
  (``billingCustomerOrders``, ``shippingCustomerOrders``).

``keyTo`` / ``keyFrom`` are written when the key refers to a column other
than the parent's id. A name already used by a property or relation of the
model is not reused: the next candidate is taken and a note says so. A
composite foreign key, a key to a table not discovered, or a key whose
column was left out is skipped with a note.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from composer.discover.models import DiscoveredModel
from composer.discover.naming import belongs_to_name, distinct, has_many_name, has_one_name
from composer.discover.reflection import ForeignKey
from composer.spec import camel_case

__all__ = ["add_relations"]


def add_relations(models: dict[str, DiscoveredModel], notes: list[str]) -> None:
    """Add the relations of every foreign key between ``models``; problems go to ``notes``.

    >>> from sqlalchemy import types
    >>> from composer.discover.models import build_models
    >>> from composer.discover.reflection import Column, Database, ForeignKey, Table
    >>> key = Column("id", types.Integer(), False, autoincrement=True)
    >>> customers = Table("customers", (key,), ("id",))
    >>> orders = Table("orders", (key, Column("customer_id", types.Integer(), False)), ("id",),
    ...                (ForeignKey(("customer_id",), "customers", ("id",)),))
    >>> models = build_models(Database("sqlite", None, (customers, orders)), "db", [])
    >>> add_relations(models, [])
    >>> models["Order"].body["relations"], models["Customer"].body["relations"]
    ({'customer': {'type': 'belongsTo', 'model': 'Customer', 'foreignKey': 'customerId'}}, \
{'orders': {'type': 'hasMany', 'model': 'Order', 'foreignKey': 'customerId'}})
    """
    by_table = {model.table.name: model for model in models.values()}
    for child in models.values():
        usable = [fk for fk in child.table.foreign_keys if _usable(child, fk, by_table, notes)]
        per_parent = Counter(fk.table for fk in usable)
        for fk in usable:
            parent = by_table[fk.table]
            belongs_to = _belongs_to(child, parent, fk, notes)
            several = per_parent[fk.table] > 1
            _parent_side(child, parent, fk, belongs_to, several=several, notes=notes)
    for model in models.values():
        relations = model.body.get("relations")
        if relations:  # belongsTo first, each kind in the order found
            model.body["relations"] = dict(
                sorted(relations.items(), key=lambda item: item[1]["type"] != "belongsTo")
            )


def _usable(
    child: DiscoveredModel,
    fk: ForeignKey,
    by_table: dict[str, DiscoveredModel],
    notes: list[str],
) -> bool:
    shown = f"foreign key {child.table.name}({', '.join(fk.columns)}) -> {fk.table}"
    if len(fk.columns) != 1:
        notes.append(f"{shown} skipped: composite foreign keys are not supported")
        return False
    parent = by_table.get(fk.table) if fk.schema is None else None
    if parent is None:
        where = f"{fk.schema}.{fk.table}" if fk.schema else fk.table
        notes.append(f"{shown} skipped: table {where} is not discovered")
        return False
    column, referred = fk.columns[0], fk.referred[0]
    if column not in child.properties or referred not in parent.properties:
        notes.append(f"{shown} skipped: a column it joins is left out")
        return False
    child_type = child.property_bodies[child.properties[column]]["type"]
    parent_type = parent.property_bodies[parent.properties[referred]]["type"]
    if child_type != parent_type and {child_type, parent_type} != {"integer", "number"}:
        notes.append(f"{shown} skipped: {column} is {_a(child_type)}, {referred} {_a(parent_type)}")
        return False
    return True


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _belongs_to(
    child: DiscoveredModel, parent: DiscoveredModel, fk: ForeignKey, notes: list[str]
) -> str:
    column, referred = fk.columns[0], fk.referred[0]
    natural = belongs_to_name(column)
    candidates = [name for name in (natural, camel_case(parent.name)) if name]
    name = distinct(candidates, child.taken)
    if name != candidates[0]:
        notes.append(
            f"{child.name}: relation {candidates[0]!r} would clash with a property or "
            f"relation, named {name!r}"
        )
    body: dict[str, Any] = {
        "type": "belongsTo",
        "model": parent.name,
        "foreignKey": child.properties[column],
    }
    if referred != parent.id_column:
        body["keyTo"] = parent.properties[referred]
    child.relation_bodies[name] = body
    return name


def _parent_side(
    child: DiscoveredModel,
    parent: DiscoveredModel,
    fk: ForeignKey,
    belongs_to: str,
    *,
    several: bool,
    notes: list[str],
) -> None:
    column, referred = fk.columns[0], fk.referred[0]
    one = (column,) in child.table.unique or child.table.primary_key == (column,)
    kind = "hasOne" if one else "hasMany"
    wanted = has_one_name(child.name) if one else has_many_name(child.name)
    if several:
        wanted = belongs_to + wanted[:1].upper() + wanted[1:]
    name = distinct([wanted], parent.taken)
    if several:
        notes.append(
            f"{child.table.name} has several foreign keys to {parent.table.name}: "
            f"{parent.name}.{name} follows {column}"
        )
    elif name != wanted:
        notes.append(
            f"{parent.name}: relation {wanted!r} would clash with a property or relation, "
            f"named {name!r}"
        )
    body: dict[str, Any] = {
        "type": kind,
        "model": child.name,
        "foreignKey": child.properties[column],
    }
    if referred != parent.id_column:
        body["keyFrom"] = parent.properties[referred]
    parent.relation_bodies[name] = body
