"""Checks on references between models: bases, datasources, relations and their keys."""

from __future__ import annotations

from dataclasses import dataclass

from composer.errors import KeyPath
from composer.spec.checks.constraints import check_constraint
from composer.spec.checks.context import Context
from composer.spec.lookup import relation_keys
from composer.spec.model import PropertySpec
from composer.spec.relation import (
    BelongsToSpec,
    HasManySpec,
    HasOneSpec,
    ReferencesManySpec,
    RelationSpec,
)
from composer.spec.shape import did_you_mean

__all__ = ["check_relations"]


@dataclass(frozen=True)
class _Key:
    """One side of a join: a property of a model, and the option that names it."""

    model: str
    name: str | None
    option: str | None  # the relation option (or through.option) that set it, None when defaulted
    option_path: KeyPath  # where that option is, or would be written


def check_relations(ctx: Context) -> None:
    """Unknown models (CMP116), datasources (CMP117), through models (CMP121), key properties
    (CMP118, CMP119), relations named like properties (CMP120), base-model cycles (CMP122),
    and the database constraints of belongsTo relations (CMP119, CMP135, CMP136)."""
    if ctx.has("services"):
        for name, service in ctx.app.services.items():
            _check_datasource(ctx, ("services", name, "datasource"), service.datasource)
    if not ctx.has("models"):
        return
    models = ctx.declared("models")
    for name, model in ctx.app.models.items():
        if model.base is not None and model.base not in models:
            where = ("models", name, "base")
            ctx.report(
                "CMP116",
                f"unknown model {ctx.show(where, model.base)}",
                where,
                did_you_mean(model.base, models, "defined models"),
            )
        if model.datasource is not None:
            _check_datasource(ctx, ("models", name, "datasource"), model.datasource)
        for relation_name, relation in model.relations.items():
            _check_relation(ctx, name, relation_name, relation)
    _check_cycles(ctx)


def _check_datasource(ctx: Context, where: KeyPath, datasource: str) -> None:
    declared = ctx.declared("datasources")
    if datasource not in declared:
        ctx.report(
            "CMP117",
            f"unknown datasource {ctx.show(where, datasource)}",
            where,
            did_you_mean(datasource, declared, "defined datasources")
            if declared
            else "no datasources are defined",
        )


def _check_cycles(ctx: Context) -> None:
    models = ctx.app.models
    reported: set[frozenset[str]] = set()
    for start in models:
        walk: list[str] = []
        current: str | None = start
        while current is not None and current in models and current not in walk:
            walk.append(current)
            current = models[current].base
        if current is None or current not in walk:
            continue
        cycle = walk[walk.index(current) :]
        if frozenset(cycle) in reported:
            continue
        reported.add(frozenset(cycle))
        first = min(cycle, key=list(models).index)
        at = cycle.index(first)
        ordered = [*cycle[at:], *cycle[:at], first]
        ctx.report(
            "CMP122",
            f"base models form a cycle: {' -> '.join(ordered)}",
            ("models", first, "base"),
            "a model cannot inherit from itself: remove one base",
        )


def _check_relation(ctx: Context, source: str, name: str, relation: RelationSpec) -> None:
    path: KeyPath = ("models", source, "relations", name)
    models = ctx.declared("models")
    if relation.model not in models:
        ctx.report(
            "CMP116",
            f"unknown model {ctx.show((*path, 'model'), relation.model)}",
            (*path, "model"),
            did_you_mean(relation.model, models, "defined models"),
        )
        return
    if (
        isinstance(relation, HasManySpec | HasOneSpec)
        and relation.foreign_key is not None
        and relation.key_to is not None
        and relation.foreign_key != relation.key_to
    ):
        ctx.report(
            "CMP129",
            f"foreignKey '{relation.foreign_key}' and keyTo '{relation.key_to}' "
            "name different properties",
            (*path, "keyTo"),
            "keyTo is LoopBack 4's name for foreignKey: set one of them",
        )
        return
    through = relation.through if isinstance(relation, HasManySpec) else None
    if through is not None and through.model not in models:
        where = (*path, "through", "model")
        ctx.report(
            "CMP121",
            f"unknown through model {ctx.show(where, through.model)}",
            where,
            did_you_mean(through.model, models, "defined models"),
        )
        return
    if not ctx.complete(source):
        return
    if name in ctx.properties(source):
        ctx.report(
            "CMP120",
            f"relation '{name}' has the name of a property of '{source}'",
            path,
            "rename the relation or the property: both would be fields of one JSON object",
            key=True,
        )
    involved = [relation.model] + ([through.model] if through is not None else [])
    if not all(ctx.complete(model) for model in involved):
        return
    keys = relation_keys(ctx.app, source, name)

    def key(model: str, key_name: str | None, option: str | None, *where: str) -> _Key:
        return _Key(model, key_name, option, (*path, *where))

    target = relation.model
    if isinstance(relation, BelongsToSpec | ReferencesManySpec):
        if isinstance(ctx.written((*path, "foreignKey")), dict):  # {property, onDelete, ...}
            fk = key(source, keys.source_key, "foreignKey.property", "foreignKey", "property")
        else:
            fk = key(source, keys.source_key, "foreignKey", "foreignKey")
        pk = key(target, keys.target_key, "keyTo", "keyTo")
        pairs = [(fk, pk)]
        fk_given = (
            relation.key if isinstance(relation, BelongsToSpec) else relation.foreign_key
        ) is not None
        sides = [(fk, fk_given), (pk, relation.key_to is not None)]
    elif through is not None:
        src = key(source, keys.source_key, "keyFrom", "keyFrom")
        dst = key(target, keys.target_key, "keyTo", "keyTo")
        via_from = key(through.model, keys.through_from, "through.keyFrom", "through", "keyFrom")
        via_to = key(through.model, keys.through_to, "through.keyTo", "through", "keyTo")
        pairs = [(via_from, src), (via_to, dst)]
        sides = [
            (src, relation.key_from is not None),
            (dst, relation.key_to is not None),
            (via_from, through.key_from is not None),
            (via_to, through.key_to is not None),
        ]
    else:
        option = "foreignKey" if relation.key_to is None else "keyTo"
        src = key(source, keys.source_key, "keyFrom", "keyFrom")
        fk = key(target, keys.target_key, option, option)
        pairs = [(fk, src)]
        given = relation.key_to is not None or relation.foreign_key is not None
        sides = [(src, relation.key_from is not None), (fk, given)]
    missing = [side for side, given in sides if not _key_exists(ctx, path, side, given)]
    for referring, referred in pairs:
        if referring not in missing and referred not in missing:
            array = isinstance(relation, ReferencesManySpec)
            _check_types(ctx, path, referring, referred, array=array)
    if isinstance(relation, BelongsToSpec) and relation.constraint is not None and not missing:
        check_constraint(ctx, source, name, relation)


def _where(path: KeyPath, side: _Key, given: bool) -> tuple[KeyPath, bool]:
    return (side.option_path, False) if given else (path, True)


def _key_exists(ctx: Context, path: KeyPath, side: _Key, given: bool) -> bool:
    where, at_key = _where(path, side, given)
    if side.name is None:
        ctx.report(
            "CMP118",
            f"model '{side.model}' has no id property for the relation to refer to",
            where,
            f"mark an id property of '{side.model}' (id: true), or set {side.option}",
            key=at_key,
        )
        return False
    if side.name not in ctx.properties(side.model):
        ctx.report(
            "CMP118",
            f"'{side.name}' is not a property of '{side.model}'",
            where,
            f"add '{side.name}' to the properties of '{side.model}', or set {side.option}",
            key=at_key,
        )
        return False
    return True


def _describe(prop: PropertySpec) -> str:
    if prop.type == "array" and prop.items is not None:
        return f"an array of {prop.items.type}"
    return f"an {prop.type}" if prop.type[0] in "aeiou" else f"a {prop.type}"


def _compatible(left: PropertySpec, right: PropertySpec) -> bool:
    return left.type == right.type or {left.type, right.type} <= {"integer", "number"}


def _check_types(
    ctx: Context, path: KeyPath, referring: _Key, referred: _Key, *, array: bool
) -> None:
    if referring.name is None or referred.name is None:
        return
    left = ctx.properties(referring.model)[referring.name]
    right = ctx.properties(referred.model)[referred.name]
    if array:
        ok = left.type == "array" and (left.items is None or _compatible(left.items, right))
        expected = f"an array of {right.type}"
    else:
        ok = _compatible(left, right)
        expected = _describe(right)
    if ok:
        return
    ctx.report(
        "CMP119",
        f"'{referring.model}.{referring.name}' is {_describe(left)} but "
        f"'{referred.model}.{referred.name}' is {_describe(right)}",
        path,
        f"make '{referring.model}.{referring.name}' {expected}",
        key=True,
    )
