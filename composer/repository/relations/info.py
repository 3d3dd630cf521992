"""What the runtime knows of one relation: its kind, target and join keys.

Built once per generation from the spec by :func:`relation_infos` (LoopBack's
key defaults filled in by :func:`composer.spec.relation_keys`), so neither the
filter parser nor a backend reads the manifest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from composer.spec import (
    AppSpec,
    HasManySpec,
    SqlDatasourceSpec,
    base_chain,
    relation_keys,
)

__all__ = ["RelationInfo", "RelationKind", "relation_infos"]

RelationKind = Literal["belongsTo", "hasMany", "hasOne", "hasManyThrough", "referencesMany"]


@dataclass(frozen=True, slots=True)
class RelationInfo:
    """One relation of a source model, its keys resolved.

    ``source_key`` is a property of the source, ``target_key`` one of the
    target; a ``hasManyThrough`` joins them through ``through``'s
    ``through_from`` (referring to the source key) and ``through_to``
    (referring to the target key).
    """

    name: str
    kind: RelationKind
    source: str
    target: str
    source_key: str
    target_key: str
    #: served over REST, includable and usable in where clauses (``rest: false`` hides it)
    exposed: bool = True
    through: str | None = None
    through_from: str = ""
    through_to: str = ""
    #: source, target (and through) models are in one SQL datasource: a where clause may
    #: follow the relation inside one statement
    joinable: bool = False

    @property
    def many(self) -> bool:
        """Whether the relation gives a list (hasMany, hasManyThrough, referencesMany)."""
        return self.kind in ("hasMany", "hasManyThrough", "referencesMany")


def relation_infos(app: AppSpec, model: str) -> tuple[RelationInfo, ...]:
    """The relations of ``model`` (its base models' first) whose keys all resolve.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec, HasManySpec
    >>> ident = {"id": PropertySpec(type="integer", id=True)}
    >>> app = AppSpec(api_version="composer/v1", name="a", models={
    ...     "TodoList": ModelSpec(properties=ident,
    ...                           relations={"todos": HasManySpec(type="hasMany", model="Todo")}),
    ...     "Todo": ModelSpec(properties=ident)})
    >>> [(r.name, r.kind, r.source_key, r.target_key) for r in relation_infos(app, "TodoList")]
    [('todos', 'hasMany', 'id', 'todoListId')]
    """
    infos: dict[str, RelationInfo] = {}
    for owner in base_chain(app, model):
        for name, spec in app.models[owner].relations.items():
            keys = relation_keys(app, owner, name)
            if keys.source_key is None or keys.target_key is None:
                continue
            kind: RelationKind = spec.type
            through = None
            if isinstance(spec, HasManySpec) and spec.through is not None:
                kind = "hasManyThrough"
                through = spec.through.model
            involved = [model, spec.model] + ([through] if through else [])
            infos[name] = RelationInfo(
                name=name,
                kind=kind,
                source=model,
                target=spec.model,
                source_key=keys.source_key,
                target_key=keys.target_key,
                exposed=spec.rest,
                through=through,
                through_from=keys.through_from or "",
                through_to=keys.through_to or "",
                joinable=_one_sql_datasource(app, involved),
            )
    return tuple(infos.values())


def _one_sql_datasource(app: AppSpec, models: list[str]) -> bool:
    names = {app.models[m].datasource if m in app.models else None for m in models}
    if len(names) != 1:
        return False
    (name,) = names
    return name is not None and isinstance(app.datasources.get(name), SqlDatasourceSpec)
