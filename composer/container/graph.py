"""The artifact graph: every artifact of a generation, in the order it starts.

A :class:`Node` is one artifact (its key, its kind, the artifacts it depends
on). A :class:`Graph` orders its nodes so that each comes after everything it
depends on; among the nodes ready at the same time, lower kinds come first
(datasources, models, repositories, routes, the sequence, the server), then names in
alphabetical order, so the order is the same on every run. A cycle is a
:class:`~composer.errors.PlanCycleError` naming the cycle.
"""

from __future__ import annotations

import graphlib
import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from composer.errors import Issue, PlanCycleError
from composer.keys import Key

__all__ = ["KINDS", "Graph", "Node", "NodeKind"]

NodeKind = Literal["datasource", "model", "repository", "route", "sequence", "server"]

#: the kinds of artifact, in the order a generation starts them
KINDS: tuple[NodeKind, ...] = ("datasource", "model", "repository", "route", "sequence", "server")
_RANK = {kind: rank for rank, kind in enumerate(KINDS)}


@dataclass(frozen=True, slots=True)
class Node:
    """One artifact: its key, its kind and the names of the artifacts it depends on.

    >>> from composer import keys
    >>> Node(keys.model("Todo"), "model", ("datasources.db",)).name
    'models.Todo'
    """

    key: Key[Any]
    kind: NodeKind
    depends_on: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.key.name


class Graph:
    """Artifacts in start order (stop order is the reverse).

    >>> from composer import keys
    >>> graph = Graph([
    ...     Node(keys.SEQUENCE, "sequence"),
    ...     Node(keys.SERVER_REST, "server", ("sequence",)),
    ... ])
    >>> [node.name for node in graph]
    ['sequence', 'server.rest']
    """

    def __init__(self, nodes: Iterable[Node]) -> None:
        by_name: dict[str, Node] = {}
        for node in nodes:
            if node.name in by_name:
                raise ValueError(f"artifact {node.name!r} is in the graph twice")
            by_name[node.name] = node
        for node in by_name.values():
            for dependency in node.depends_on:
                if dependency not in by_name:
                    raise ValueError(f"{node.name} depends on {dependency!r}, which is not planned")
        self._nodes = _start_order(by_name)
        self._by_name = {node.name: node for node in self._nodes}

    def __iter__(self) -> Iterator[Node]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)

    def __getitem__(self, name: str) -> Node:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    @property
    def nodes(self) -> tuple[Node, ...]:
        """Every node, in start order."""
        return self._nodes

    def of_kind(self, kind: NodeKind) -> tuple[Node, ...]:
        """The nodes of one kind, in start order."""
        return tuple(node for node in self._nodes if node.kind == kind)

    def render(self) -> str:
        """One line per artifact in start order: name, kind, and ``<- what it depends on``.

        >>> from composer import keys
        >>> print(Graph([
        ...     Node(keys.datasource("db"), "datasource"),
        ...     Node(keys.model("Todo"), "model", ("datasources.db",)),
        ... ]).render())
        datasources.db  datasource
        models.Todo     model       <- datasources.db
        """
        name_width = max((len(node.name) for node in self._nodes), default=0) + 2
        kind_width = max((len(node.kind) for node in self._nodes), default=0) + 2
        position = {node.name: index for index, node in enumerate(self._nodes)}
        lines = []
        for node in self._nodes:
            line = f"{node.name:<{name_width}}{node.kind:<{kind_width}}"
            if node.depends_on:
                line += "<- " + ", ".join(sorted(node.depends_on, key=position.__getitem__))
            lines.append(line.rstrip())
        return "\n".join(lines)


def _start_order(by_name: dict[str, Node]) -> tuple[Node, ...]:
    def rank(node: Node) -> tuple[int, str]:
        return (_RANK[node.kind], node.name)

    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for node in sorted(by_name.values(), key=rank):
        sorter.add(node.name, *sorted(node.depends_on))
    try:
        sorter.prepare()
    except graphlib.CycleError as exc:
        raise _cycle_error(list(exc.args[1])) from None
    ready = [rank(by_name[name]) for name in sorter.get_ready()]
    heapq.heapify(ready)
    order: list[Node] = []
    while ready:
        _, name = heapq.heappop(ready)
        order.append(by_name[name])
        sorter.done(name)
        for successor in sorter.get_ready():
            heapq.heappush(ready, rank(by_name[successor]))
    return tuple(order)


def _cycle_error(cycle: list[str]) -> PlanCycleError:
    # graphlib lists a cycle along "is needed by" edges; reverse it to read
    # along "depends on", and start it at its smallest name so it is stable.
    names = list(reversed(cycle))[:-1]
    start = names.index(min(names))
    names = names[start:] + names[:start]
    shown = " -> ".join([*names, names[0]])
    return PlanCycleError(
        [
            Issue(
                "CMP201",
                f"dependency cycle: {shown}",
                hint="an artifact cannot depend on itself, directly or through others "
                "(a model's base model and datasource are its dependencies; relations are not)",
            )
        ]
    )
