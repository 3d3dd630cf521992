"""What relations ask of a database: foreign key constraints and the indexes keys need.

A belongsTo whose ``foreignKey`` gives ``onDelete`` or ``onUpdate`` declares
a database constraint (:class:`ForeignKeyInfo`); its key gets an index. A
hasOne's target holds at most one row per source, so its foreign key gets a
unique index. :func:`entity_info <composer.repository.entity.entity_info>`
adds both to what a backend knows of a model.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from composer.spec import (
    AppSpec,
    BelongsToSpec,
    ForeignKeyAction,
    HasManySpec,
    HasOneSpec,
    base_chain,
    effective_properties,
    relation_keys,
)

__all__ = ["SQL_ACTIONS", "ForeignKeyInfo", "foreign_keys", "key_indexes", "referring_keys"]

#: the SQL of each ``onDelete`` / ``onUpdate`` action
SQL_ACTIONS: dict[ForeignKeyAction, str] = {
    "restrict": "RESTRICT",
    "cascade": "CASCADE",
    "setNull": "SET NULL",
    "noAction": "NO ACTION",
}


@dataclass(frozen=True, slots=True)
class ForeignKeyInfo:
    """A belongsTo's database constraint: ``source.property`` refers to ``target``'s key."""

    #: the belongsTo relation declaring it
    relation: str
    source: str
    source_table: str
    property: str
    column: str
    target: str
    target_table: str
    target_property: str
    target_column: str
    #: the SQL action (``RESTRICT``, ``CASCADE``, ``SET NULL``, ``NO ACTION``); None: not given
    on_delete: str | None
    on_update: str | None


def foreign_keys(app: AppSpec, name: str) -> tuple[ForeignKeyInfo, ...]:
    """The constraints model ``name``'s table holds, its base models' relations included.

    Only between two models of one datasource (validation refuses any other).

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> ident = {"id": PropertySpec(type="integer", id=True)}
    >>> app = AppSpec(api_version="composer/v1", name="a", models={
    ...     "TodoList": ModelSpec(datasource="db", properties=ident),
    ...     "Todo": ModelSpec(datasource="db", properties={
    ...         **ident, "todoListId": PropertySpec(type="integer")}, relations={
    ...         "todoList": BelongsToSpec(type="belongsTo", model="TodoList",
    ...                                   foreign_key={"onDelete": "cascade"})})})
    >>> [(fk.column, fk.target_table, fk.target_column, fk.on_delete)
    ...  for fk in foreign_keys(app, "Todo")]
    [('todoListId', 'TodoList', 'id', 'CASCADE')]
    """
    found: dict[str, ForeignKeyInfo] = {}
    model = app.models[name]
    own = effective_properties(app, name)
    for owner in base_chain(app, name):
        for relation, spec in app.models[owner].relations.items():
            found.pop(relation, None)  # a relation of the model replaces its base's
            constraint = spec.constraint if isinstance(spec, BelongsToSpec) else None
            target = app.models.get(spec.model)
            if constraint is None or target is None or target.datasource != model.datasource:
                continue
            keys = relation_keys(app, owner, relation)
            key, target_key = keys.source_key, keys.target_key
            theirs = effective_properties(app, spec.model)
            if key is None or target_key is None or key not in own or target_key not in theirs:
                continue
            found[relation] = ForeignKeyInfo(
                relation=relation,
                source=name,
                source_table=model.table or name,
                property=key,
                column=own[key].column or key,
                target=spec.model,
                target_table=target.table or spec.model,
                target_property=target_key,
                target_column=theirs[target_key].column or target_key,
                on_delete=SQL_ACTIONS[constraint.on_delete] if constraint.on_delete else None,
                on_update=SQL_ACTIONS[constraint.on_update] if constraint.on_update else None,
            )
    return tuple(found.values())


def referring_keys(app: AppSpec, name: str) -> tuple[ForeignKeyInfo, ...]:
    """The constraints of other tables (or of its own) that refer to model ``name``'s rows."""
    return tuple(
        fk
        for model in _index(app).referrers.get(name, ())
        for fk in foreign_keys(app, model)
        if fk.target == name
    )


@dataclass(frozen=True, slots=True)
class _Index:
    """Who points at whom, found in one pass over a spec's relations."""

    #: target model -> the models (a base's relations included) with a constrained belongsTo to it
    referrers: dict[str, tuple[str, ...]]
    #: target model -> the (source, relation) of every hasOne to it
    has_one: dict[str, tuple[tuple[str, str], ...]]
    #: target model -> the (source, relation) of every hasMany (without through) to it
    has_many: dict[str, tuple[tuple[str, str], ...]]
    #: through model -> the (source, relation) of every hasMany through it
    through: dict[str, tuple[tuple[str, str], ...]]


#: the index of each live spec, by ``id(spec)`` (an entry goes with its spec)
_INDEXES: dict[int, _Index] = {}


def _index(app: AppSpec) -> _Index:
    found = _INDEXES.get(id(app))
    if found is not None:
        return found
    referrers: dict[str, set[str]] = {}
    has_one: dict[str, list[tuple[str, str]]] = {}
    has_many: dict[str, list[tuple[str, str]]] = {}
    through: dict[str, list[tuple[str, str]]] = {}
    for model in app.models:
        for owner in base_chain(app, model):
            for relation, spec in app.models[owner].relations.items():
                if isinstance(spec, BelongsToSpec) and spec.constraint is not None:
                    referrers.setdefault(spec.model, set()).add(model)
                elif owner != model:
                    continue
                elif isinstance(spec, HasOneSpec):
                    has_one.setdefault(spec.model, []).append((model, relation))
                elif isinstance(spec, HasManySpec) and spec.through is not None:
                    through.setdefault(spec.through.model, []).append((model, relation))
                elif isinstance(spec, HasManySpec):
                    has_many.setdefault(spec.model, []).append((model, relation))

    def frozen(found: dict[str, list[tuple[str, str]]]) -> dict[str, tuple[tuple[str, str], ...]]:
        return {target: tuple(pairs) for target, pairs in found.items()}

    index = _Index(
        {target: tuple(sorted(models)) for target, models in referrers.items()},
        frozen(has_one),
        frozen(has_many),
        frozen(through),
    )
    _INDEXES[id(app)] = index
    weakref.finalize(app, _INDEXES.pop, id(app), None)
    return index


def key_indexes(app: AppSpec, name: str) -> dict[str, bool]:
    """The properties of model ``name`` its relations need indexed, and whether uniquely.

    A constrained belongsTo's key gets an index; the key a hasOne's target
    holds gets a unique one. Every other key a relation joins on is indexed
    too when it is not a string (an inclusion or a where through the relation
    then reads by index, not by scanning the table): a belongsTo's key, the key
    a hasMany's target holds, a through model's two keys. (A string key is
    indexed when the manifest declares it: MySQL can only index a bounded
    string, and composer does not change a column's type on its own.)

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> ident = {"id": PropertySpec(type="integer", id=True)}
    >>> app = AppSpec(api_version="composer/v1", name="a", models={
    ...     "User": ModelSpec(properties=ident, relations={
    ...         "profile": HasOneSpec(type="hasOne", model="Profile")}),
    ...     "Profile": ModelSpec(properties={**ident, "userId": PropertySpec(type="integer")})})
    >>> key_indexes(app, "Profile")
    {'userId': True}
    """
    wanted = {fk.property: False for fk in foreign_keys(app, name)}
    properties = effective_properties(app, name)

    def plain(key: str | None) -> None:
        prop = properties.get(key or "")
        if key is not None and prop is not None and not prop.id and prop.type in _INDEXED_TYPES:
            wanted.setdefault(key, False)

    index = _index(app)
    for owner in base_chain(app, name):
        for relation, spec in app.models[owner].relations.items():
            if isinstance(spec, BelongsToSpec):
                plain(relation_keys(app, owner, relation).source_key)
    for source, relation in index.has_many.get(name, ()):
        plain(relation_keys(app, source, relation).target_key)
    for source, relation in index.through.get(name, ()):
        keys = relation_keys(app, source, relation)
        plain(keys.through_from)
        plain(keys.through_to)
    for source, relation in index.has_one.get(name, ()):
        key = relation_keys(app, source, relation).target_key
        if key is not None and key in properties:
            wanted[key] = True
    return wanted


#: the types of relation keys indexed without being declared
_INDEXED_TYPES = frozenset({"integer", "number", "boolean", "date", "datetime"})
