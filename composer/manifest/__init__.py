"""Stage 1, LOAD: manifest files -> :class:`RawManifest` (plain data + positions).

::

    load(path) ─ project.py       root manifest, fragments, data folder
               ─ source.py        size bound, UTF-8
               ─ yaml_graph.py    YAML events -> node graph, alias/depth/size bounds
               ─ yaml_parser.py   safe YAML values, tags, keys, positions
               ─ json_parser.py   strict JSON, positions, the same bounds
               ─ interpolation.py ${VAR}, ${VAR:-default}, $${, ${with.NAME}
               ─ stack.py         use: / parameters:, catalog.py finds stacks by name
               ─ merge.py         fragments merged by section

No pydantic here: the spec stage (``composer.spec``) types the data.

>>> from composer.manifest import load
>>> raw = load("examples/todo")  # doctest: +SKIP
"""

from __future__ import annotations

from composer.manifest.catalog import STACK_ENTRY_POINT_GROUP
from composer.manifest.limits import Limits
from composer.manifest.loader import load
from composer.manifest.raw import EnvStr, RawManifest

__all__ = ["STACK_ENTRY_POINT_GROUP", "EnvStr", "Limits", "RawManifest", "load"]
