"""Where named stacks come from: the built-in ``stacks/`` folder, then entry points.

A ``use:`` entry names a stack by path (it contains ``/`` or ends in
``.yaml``/``.yml``/``.json``; resolved by the loader) or by name. A name is
looked up

1. among the built-in stacks: ``<name>.yaml`` in the ``stacks`` folder shipped
   inside the package (``composer/stacks`` in a wheel), or, running from a
   source checkout, the repository's top-level ``stacks/`` folder;
2. in the ``composer.stacks`` entry-point group: an entry point loads to the
   path of the stack file (``str`` or ``os.PathLike``) or to a callable
   taking no arguments that returns one. Only the named entry point is
   loaded.

A stack file found here is shown in positions as ``<stack NAME>/FILE``
(``<stack todo>/todo.yaml:12:5``).
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import os
from dataclasses import dataclass
from pathlib import Path

from composer.manifest.source import SourceFile

STACK_ENTRY_POINT_GROUP = "composer.stacks"
STACK_SUFFIXES = (".yaml", ".yml", ".json")


class StackLookupError(Exception):
    """An entry point was found but did not give a usable stack file."""


@dataclass(frozen=True, slots=True)
class NamedStack:
    """A stack found by name, ready to be read."""

    name: str
    source: SourceFile


def is_stack_path(reference: str) -> bool:
    """Whether a ``use:`` reference is a path (else a stack name).

    >>> is_stack_path("./auth.yaml"), is_stack_path("todo")
    (True, False)
    """
    return "/" in reference or reference.lower().endswith(STACK_SUFFIXES)


def builtin_stack_folder() -> Path | None:
    """The folder of the built-in stacks, or None when there is none."""
    try:
        packaged = importlib.resources.files("composer") / "stacks"
        if packaged.is_dir():
            return Path(str(packaged))
    except (ModuleNotFoundError, NotADirectoryError, TypeError):
        pass
    checkout = Path(__file__).resolve().parent.parent.parent / "stacks"
    return checkout if checkout.is_dir() else None


def available_stacks() -> list[str]:
    """Names of every stack ``use:`` can name: built-in ones and entry points."""
    names = set(_builtin_names())
    names.update(ep.name for ep in importlib.metadata.entry_points(group=STACK_ENTRY_POINT_GROUP))
    return sorted(names)


def find_stack(name: str) -> NamedStack | None:
    """The stack called ``name``, or None; StackLookupError for a broken entry point.

    >>> find_stack("no-such-stack") is None
    True
    """
    folder = builtin_stack_folder()
    if folder is not None:
        path = folder / f"{name}.yaml"
        if name in _builtin_names():
            return NamedStack(name, _source(name, path, folder))
    for entry_point in importlib.metadata.entry_points(group=STACK_ENTRY_POINT_GROUP):
        if entry_point.name == name:
            path = _entry_point_path(entry_point)
            return NamedStack(name, _source(name, path, path.parent))
    return None


def _builtin_names() -> list[str]:
    folder = builtin_stack_folder()
    if folder is None:
        return []
    return sorted(
        file.name[: -len(".yaml")]
        for file in folder.iterdir()
        if file.name.endswith(".yaml") and not file.name.startswith(".")
    )


def _source(name: str, path: Path, folder: Path) -> SourceFile:
    label = f"<stack {name}>/"
    real = Path(os.path.realpath(folder))
    return SourceFile(path, label + path.name, real, folder, label)


def _entry_point_path(entry_point: importlib.metadata.EntryPoint) -> Path:
    described = f"entry point {entry_point.name} = {entry_point.value}"
    try:
        target = entry_point.load()
        if callable(target) and not isinstance(target, (str, os.PathLike)):
            target = target()
    except Exception as exc:  # user code: any failure is reported as a lookup error
        raise StackLookupError(f"{described} failed: {type(exc).__name__}: {exc}") from exc
    if not isinstance(target, (str, os.PathLike)):
        raise StackLookupError(
            f"{described} gave {type(target).__name__}, not the path of a stack file"
        )
    return Path(os.path.abspath(target))
