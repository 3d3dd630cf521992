"""3 PLAN: an :class:`~composer.spec.AppSpec` becomes the artifact :class:`Graph`.

Datasources come first; a model depends on its datasource and on its base
model (relations are not dependencies: two models may refer to each other);
each persisted model (one with a datasource and an id property, or read-only) has a
repository depending on the model; each model served over REST has a route
depending on its repository; the sequence depends on every route, and the
server on the sequence.
"""

from __future__ import annotations

from collections.abc import Collection

from composer import keys
from composer.container.graph import Graph, Node
from composer.errors import Issue, ManifestError, did_you_mean
from composer.spec import AppSpec, id_property, rest_path

__all__ = ["plan"]


def plan(spec: AppSpec) -> Graph:
    """The artifact graph of an application, in start order.

    A spec built in Python skips ``validate``, so a reference to an unknown
    datasource or base model is reported here (CMP117, CMP116); a base-model
    cycle is a :class:`~composer.errors.PlanCycleError` (CMP201), and a model
    served over REST without an id property is CMP115.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec, SqlDatasourceSpec
    >>> app = AppSpec(api_version="composer/v1", name="todo",
    ...               datasources={"db": SqlDatasourceSpec(connector="sql", url="sqlite://")},
    ...               models={"Todo": ModelSpec(datasource="db", properties={
    ...                   "id": PropertySpec(type="integer", id=True)})})
    >>> [node.name for node in plan(app)]
    ['datasources.db', 'models.Todo', 'repositories.Todo', 'routes.Todo', 'sequence', 'server.rest']
    """
    nodes = [Node(keys.datasource(name), "datasource") for name in spec.datasources]
    issues: list[Issue] = []
    routes: list[str] = []
    for name, model in spec.models.items():
        known = len(issues)
        depends_on: list[str] = []
        if model.datasource is not None:
            if model.datasource in spec.datasources:
                depends_on.append(keys.datasource(model.datasource).name)
            else:
                issues.append(
                    _unknown(
                        "CMP117",
                        ("models", name, "datasource"),
                        "datasource",
                        model.datasource,
                        spec.datasources,
                    )
                )
        if model.base is not None:
            if model.base in spec.models:
                depends_on.append(keys.model(model.base).name)
            else:
                issues.append(
                    _unknown("CMP116", ("models", name, "base"), "model", model.base, spec.models)
                )
        nodes.append(Node(keys.model(name), "model", tuple(depends_on)))
        # a read-only model needs no id: it is only ever found and counted
        persisted = model.datasource is not None and (
            id_property(spec, name) is not None or model.rest.readonly
        )
        if persisted:
            nodes.append(Node(keys.repository(name), "repository", (keys.model(name).name,)))
        if rest_path(name, model) is not None:
            if not persisted:
                if len(issues) == known:  # an unknown datasource or base says enough
                    issues.append(_no_id(name))
                continue
            route = keys.route(name)
            nodes.append(Node(route, "route", (keys.repository(name).name,)))
            routes.append(route.name)
    if issues:
        raise ManifestError(issues)
    nodes.append(Node(keys.SEQUENCE, "sequence", tuple(sorted(routes))))
    nodes.append(Node(keys.SERVER_REST, "server", (keys.SEQUENCE.name,)))
    return Graph(nodes)


def _no_id(name: str) -> Issue:
    return Issue(
        "CMP115",
        f"model '{name}' is served over REST but has no id property",
        ("models", name),
        hint="mark one property 'id: true' (e.g. id: {type: integer, id: true, generated: true}), "
        "set rest: false, or serve it read-only (rest: {readonly: true})",
    )


def _unknown(
    code: str, path: tuple[str, ...], what: str, name: str, known: Collection[str]
) -> Issue:
    hint = did_you_mean(name, sorted(known), f"defined {what}s")
    return Issue(code, f"unknown {what} {name!r}", path, hint=hint)
