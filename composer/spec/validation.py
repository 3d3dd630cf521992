"""``validate``: a RawManifest becomes a frozen AppSpec, or every problem is reported.

Validation runs in two stages over the same manifest:

1. **shape**: pydantic checks each top-level section; the issues of a
   section that fails are reported, and :func:`~composer.spec.salvage.salvage`
   keeps its valid parts (one bad model does not hide another's problems);
2. **meaning**: the semantic checks in :mod:`composer.spec.checks` run over
   everything that survived (references, names, ids, bounds, patterns, the
   sequence, ...), skipping what they cannot judge.

Both stages' issues are reported together, sorted by position.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import ValidationError

from composer.errors import Issue, KeyPath, ManifestError, Position
from composer.manifest.raw import RawManifest
from composer.spec.app import AppSpec
from composer.spec.checks import Context, run_checks
from composer.spec.salvage import NOTHING, adapter, salvage
from composer.spec.shape import did_you_mean, shape_issues

__all__ = ["validate"]


@dataclass(frozen=True)
class _Section:
    """One top-level key of the manifest: the AppSpec field it fills and its type."""

    name: str
    type: Any
    required: bool


@functools.cache
def _sections() -> dict[str, _Section]:
    sections: dict[str, _Section] = {}
    for name, info in AppSpec.model_fields.items():
        tp = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        sections[info.alias or name] = _Section(name, tp, info.is_required())
    return sections


def _root_position(raw: RawManifest) -> Position:
    found = raw.locate((), key=True)
    if found is not None:
        return found
    try:
        return Position(raw.root_file.relative_to(raw.root).as_posix())
    except ValueError:
        return Position(raw.root_file.as_posix())


def validate(raw: RawManifest) -> AppSpec:
    """Check a loaded manifest and build its :class:`AppSpec`.

    Raises :class:`~composer.errors.ManifestError` listing every problem,
    each with its key path and file:line:column. Pure: no I/O, no user code.

    >>> from pathlib import Path
    >>> from composer.manifest.raw import RawManifest
    >>> raw = RawManifest({"apiVersion": "composer/v1", "name": "todo"}, {}, {},
    ...                   Path("."), Path("composer.yaml"), Path(".composer"))
    >>> validate(raw).name
    'todo'
    """
    sections = _sections()
    issues: list[Issue] = []
    values: dict[str, Any] = {}
    failed: set[KeyPath] = set()
    for key, value in raw.data.items():
        section = sections.get(key)
        if section is None:
            issues.append(
                Issue(
                    "CMP101",
                    f"unknown key '{key}'",
                    (key,),
                    raw.locate((key,), key=True),
                    did_you_mean(key, sections, "allowed keys"),
                )
            )
            continue
        try:
            values[section.name] = adapter(section.type).validate_python(value, by_name=False)
        except ValidationError as exc:
            issues.extend(shape_issues(exc, raw, (key,), section.type))
            kept = salvage(section.type, value, (key,), failed)
            if kept is not NOTHING:
                values[section.name] = kept
    for alias, section in sections.items():
        if section.required and alias not in raw.data:
            issues.append(
                Issue("CMP102", f"missing required key '{alias}'", (), _root_position(raw))
            )

    context = Context(raw, AppSpec.model_construct(**values), frozenset(values), frozenset(failed))
    run_checks(context)
    issues.extend(context.issues)
    if issues:
        raise ManifestError(issues)
    return AppSpec(**values)
