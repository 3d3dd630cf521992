"""Checks on a belongsTo's database constraint (``foreignKey: {onDelete, onUpdate}``).

The constraint is the database's: both models must live in one SQL
datasource (CMP136), the key must be able to hold NULL for ``setNull``
(CMP135), the keys must be of one type (CMP119: a database compares an
integer with a number, but will not constrain one by the other), and the
target's key must be unique (CMP136: its id, or a property with a unique
index of its own).
"""

from __future__ import annotations

from composer.errors import KeyPath
from composer.spec.checks.context import Context
from composer.spec.datasource import SqlDatasourceSpec
from composer.spec.lookup import id_property, relation_keys
from composer.spec.relation import BelongsToSpec, ForeignKeySpec

__all__ = ["check_constraint"]

_FIX_DATASOURCE = "remove onDelete and onUpdate, or store both models in one SQL datasource"


def check_constraint(ctx: Context, source: str, name: str, relation: BelongsToSpec) -> None:
    """Report why ``models[source].relations[name]``'s constraint cannot be created.

    Call it only for a relation whose models are complete and whose keys exist.
    """
    constraint = relation.constraint
    if constraint is None:
        return
    path: KeyPath = ("models", source, "relations", name)
    declared_at: KeyPath = (
        *path,
        "foreignKey",
        "onDelete" if constraint.on_delete is not None else "onUpdate",
    )
    _check_datasources(ctx, source, relation.model, declared_at)
    keys = relation_keys(ctx.app, source, name)
    if keys.source_key is None or keys.target_key is None:
        return
    _check_set_null(ctx, path, source, keys.source_key, constraint)
    referring = ctx.properties(source)[keys.source_key]
    referred = ctx.properties(relation.model)[keys.target_key]
    if referring.type != referred.type and {referring.type, referred.type} <= {"integer", "number"}:
        ctx.report(
            "CMP119",
            f"'{source}.{keys.source_key}' is {_a(referring.type)} but "
            f"'{relation.model}.{keys.target_key}' is {_a(referred.type)}: a database "
            "constraint needs keys of one type",
            path,
            f"make '{source}.{keys.source_key}' {_a(referred.type)}",
            key=True,
        )
    if not _unique(ctx, relation.model, keys.target_key):
        given = relation.key_to is not None
        ctx.report(
            "CMP136",
            f"'{relation.model}.{keys.target_key}' is not unique: a database constraint "
            "refers to the id or to a property with a unique index of its own",
            (*path, "keyTo") if given else path,
            f"refer to the id of '{relation.model}' (leave keyTo out), or give "
            f"'{relation.model}' a unique index of '{keys.target_key}'",
            key=not given,
        )


def _check_datasources(ctx: Context, source: str, target: str, where: KeyPath) -> None:
    if not ctx.has("datasources"):
        return
    declared = ctx.declared("datasources")
    datasources = {model: ctx.app.models[model].datasource for model in (source, target)}
    if any(name is not None and name not in declared for name in datasources.values()):
        return  # an unknown datasource is reported on its own (CMP117)
    for model, datasource in datasources.items():
        if datasource is None:
            ctx.report(
                "CMP136",
                f"'{model}' has no datasource: a database constraint needs both models "
                "in one SQL datasource",
                where,
                _FIX_DATASOURCE,
            )
            return
    if datasources[source] != datasources[target]:
        ctx.report(
            "CMP136",
            f"'{source}' is in datasource '{datasources[source]}' and '{target}' in "
            f"'{datasources[target]}': a database constraint needs both models in one "
            "SQL datasource",
            where,
            _FIX_DATASOURCE,
        )
        return
    spec = ctx.app.datasources.get(datasources[source] or "")
    if spec is not None and not isinstance(spec, SqlDatasourceSpec):
        ctx.report(
            "CMP136",
            f"datasource '{datasources[source]}' is a {spec.connector} datasource: only a "
            "SQL datasource enforces a database constraint",
            where,
            _FIX_DATASOURCE,
        )


def _check_set_null(
    ctx: Context, path: KeyPath, source: str, key: str, constraint: ForeignKeySpec
) -> None:
    prop = ctx.properties(source)[key]
    if not (prop.id or (prop.required and not prop.nullable)):
        return
    why = "the id" if prop.id else "required"
    others = "restrict, cascade or noAction"
    fix = (
        f"choose {others}" if prop.id else f"make '{key}' optional or nullable, or choose {others}"
    )
    for option, action in (("onDelete", constraint.on_delete), ("onUpdate", constraint.on_update)):
        if action == "setNull":
            ctx.report(
                "CMP135",
                f"{option} setNull would set '{source}.{key}' to null, but it is {why}",
                (*path, "foreignKey", option),
                fix,
            )


def _unique(ctx: Context, model: str, key: str) -> bool:
    found = id_property(ctx.app, model)
    if found is not None and found[0] == key:
        return True
    return any(
        index.unique and tuple(index.properties) == (key,)
        for index in ctx.app.models[model].indexes.values()
    )


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"
