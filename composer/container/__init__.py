"""3 PLAN + 4 WIRE: an AppSpec becomes an artifact graph, then a dependency-injector container.

::

    graph = composer.container.plan(app_spec)      # Graph in start order, or PlanCycleError
    print(graph.render())                           # what `composer graph PATH` prints
    wired = composer.container.wire(graph, app_spec, factories=CONNECTORS,
                                    context=WireContext(root=root, data_dir=data_dir))
    life = Lifecycle(wired.steps())                 # connect in plan order, disconnect in reverse
"""

from __future__ import annotations

from composer.container.graph import KINDS, Graph, Node, NodeKind
from composer.container.lifecycle import Lifecycle, Step
from composer.container.planner import plan
from composer.container.wiring import ConnectorFactory, WireContext, Wired, resolve, wire

__all__ = [
    "KINDS",
    "ConnectorFactory",
    "Graph",
    "Lifecycle",
    "Node",
    "NodeKind",
    "Step",
    "WireContext",
    "Wired",
    "plan",
    "resolve",
    "wire",
]
