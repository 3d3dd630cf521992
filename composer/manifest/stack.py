"""Stacks: parameterised manifest fragments included with ``use:``.

A stack file has the top-level shape of ``composer.yaml`` plus a
``parameters:`` mapping::

    parameters:
      datasource:                 # no default: the parameter is required
        description: where the models live
      pageSize: {default: 50}
    models:
      Todo: {datasource: "${with.datasource}"}

It is included from any manifest file (or another stack) with a top-level
``use:`` — one entry or a list of entries, each a stack reference (a name or a
relative path) or ``{stack: REFERENCE, with: {PARAMETER: VALUE}}``. Inside
the stack ``${with.NAME}`` is the parameter's value (see
:mod:`composer.manifest.interpolation`); like every ``${...}`` it is read in
values only, so the names a stack defines (keys) are literal. A default is
read with environment interpolation only, and only when it is used. A stack
instance merges like any other file, after the file that uses it; its
values' positions name the stack file, with the ``use:`` sites (innermost
first) as ``Position.included_from``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from composer.errors import Issue, KeyPath, ManifestError, Position, did_you_mean
from composer.manifest.document import Document, rebase
from composer.manifest.interpolation import NAME_PATTERN, Argument, Scope, interpolate

_PARAMETER_KEYS = ("default", "description")


@dataclass(frozen=True, slots=True)
class Parameter:
    """One declared parameter; ``has_default`` False means it is required."""

    name: str
    has_default: bool
    description: str | None = None


@dataclass(frozen=True, slots=True)
class StackDefinition:
    """A parsed stack file: its parameters and its body (everything else)."""

    parameters: dict[str, Parameter]
    body: Document
    source: Document


@dataclass(frozen=True, slots=True)
class UseEntry:
    """One ``use:`` entry of an interpolated document."""

    reference: str
    path: KeyPath  # ("use", 0) or ("use",)
    site: Position  # where the entry starts, with its own include chain
    reference_position: Position
    arguments: dict[str, Argument]
    argument_keys: dict[str, Position]

    @property
    def reference_path(self) -> KeyPath:
        """The key path of the stack reference: the entry, or its ``stack:`` key."""
        return self.path if self.reference_position is self.site else (*self.path, "stack")


def read_definition(document: Document) -> StackDefinition:
    """Split a stack file into parameters and body; CMP027 for a bad declaration.

    >>> d = read_definition(Document({"parameters": {"db": None}, "models": {}}))
    >>> d.parameters["db"].has_default, d.body.data
    (False, {'models': {}})
    """
    issues: list[Issue] = []
    declared = document.data.get("parameters")
    parameters: dict[str, Parameter] = {}

    def bad(path: KeyPath, message: str, hint: str | None = None) -> None:
        issues.append(Issue("CMP027", message, path, document.where_key(path), hint))

    if declared is not None and not isinstance(declared, dict):
        bad(
            ("parameters",),
            "parameters must be a mapping of parameter names to {description, default}",
        )
    for name, given in (declared if isinstance(declared, dict) else {}).items():
        path: KeyPath = ("parameters", name)
        if NAME_PATTERN.fullmatch(name) is None:
            bad(path, f"parameter name {name!r} is not letters, digits and '_'")
            continue
        spec = {} if given is None else given
        if not isinstance(spec, dict):
            bad(path, f"parameter '{name}' must be a mapping with optional description and default")
            continue
        for key in spec:
            if key not in _PARAMETER_KEYS:
                bad(
                    (*path, key),
                    f"unknown key '{key}' in parameter '{name}'",
                    "a parameter takes: default, description",
                )
        description = spec.get("description")
        if description is not None and not isinstance(description, str):
            bad((*path, "description"), f"the description of parameter '{name}' must be a string")
        parameters[name] = Parameter(name, "default" in spec, description)
    if issues:
        raise ManifestError(issues)
    body = Document(
        {key: value for key, value in document.data.items() if key != "parameters"},
        _without(document.positions, "parameters"),
        _without(document.key_positions, "parameters"),
    )
    return StackDefinition(parameters, body, document)


def _without(positions: dict[KeyPath, Position], key: str) -> dict[KeyPath, Position]:
    return {path: pos for path, pos in positions.items() if path[:1] != (key,)}


def take_use_entries(document: Document, issues: list[Issue]) -> list[UseEntry]:
    """Remove ``use:`` from an interpolated document and return its entries."""
    if "use" not in document.data:
        return []
    raw = document.data.pop("use")
    entries: list[UseEntry] = []
    items: list[tuple[KeyPath, Any]]
    if raw is None:
        items = []
    elif isinstance(raw, list):
        items = [(("use", i), item) for i, item in enumerate(raw)]
    else:
        items = [(("use",), raw)]
    for path, item in items:
        entry = _entry(document, path, item, issues)
        if entry is not None:
            entries.append(entry)
    for positions in (document.positions, document.key_positions):
        for stale in [p for p in positions if p[:1] == ("use",)]:
            del positions[stale]
    return entries


def _entry(document: Document, path: KeyPath, item: Any, issues: list[Issue]) -> UseEntry | None:
    site = document.where(path) or Position("")
    hint = "write 'use: NAME' or 'use: [{stack: NAME, with: {PARAMETER: VALUE}}]'"
    if isinstance(item, str):
        return UseEntry(item, path, site, site, {}, {})
    if not isinstance(item, dict):
        issues.append(
            Issue("CMP027", "a use entry must be a stack name or a mapping", path, site, hint)
        )
        return None
    problems = [
        Issue(
            "CMP027",
            f"unknown key '{key}' in a use entry",
            (*path, key),
            document.where_key((*path, key)),
            "a use entry takes: stack, with",
        )
        for key in item
        if key not in ("stack", "with")
    ]
    reference = item.get("stack")
    if not isinstance(reference, str) or not reference:
        problems.append(Issue("CMP027", "a use entry needs 'stack: NAME'", path, site, hint))
    arguments = item.get("with")
    if arguments is None:
        arguments = {}
    if not isinstance(arguments, dict):
        problems.append(
            Issue(
                "CMP027",
                "'with' must be a mapping of parameter names to values",
                (*path, "with"),
                document.where((*path, "with")),
            )
        )
    if problems or not isinstance(reference, str) or not isinstance(arguments, dict):
        issues.extend(problems)
        return None
    values: dict[str, Argument] = {}
    keys: dict[str, Position] = {}
    for name, value in arguments.items():
        prefix = (*path, "with", name)
        values[name] = Argument(
            value,
            rebase(document.positions, prefix, ()),
            rebase(document.key_positions, prefix, ()),
        )
        keys[name] = document.where_key(prefix) or site
    return UseEntry(reference, path, site, document.where((*path, "stack")) or site, values, keys)


def bind(
    definition: StackDefinition,
    entry: UseEntry,
    stack: str,
    scope: Scope,
    issues: list[Issue],
) -> dict[str, Argument] | None:
    """The stack's arguments for ``entry``: given values, then defaults.

    Unknown (CMP021) and missing (CMP020) parameters are appended to
    ``issues``; None is returned when there was any.
    """
    declared = definition.parameters
    count = len(issues)
    for name in entry.arguments:
        if name not in declared:
            issues.append(
                Issue(
                    "CMP021",
                    f"stack {stack} has no parameter '{name}'",
                    (*entry.path, "with", name),
                    entry.argument_keys[name],
                    did_you_mean(name, sorted(declared), "parameters"),
                )
            )
    arguments = dict(entry.arguments)
    for name, parameter in declared.items():
        if name in arguments:
            continue
        if not parameter.has_default:
            about = f" ({parameter.description})" if parameter.description else ""
            issues.append(
                Issue(
                    "CMP020",
                    f"stack {stack} needs parameter '{name}'{about}",
                    entry.path,
                    entry.site,
                    f"add it: with: {{{name}: ...}}",
                )
            )
            continue
        arguments[name] = _default(definition.source, name, scope, issues)
    return None if len(issues) > count else arguments


def _default(source: Document, name: str, scope: Scope, issues: list[Issue]) -> Argument:
    prefix: KeyPath = ("parameters", name, "default")
    raw = Document(
        {"parameters": {name: {"default": source.data["parameters"][name]["default"]}}},
        rebase(source.positions, prefix, prefix),
        rebase(source.key_positions, prefix, prefix),
    )
    done = interpolate(raw, Scope(scope.env, None, scope.sites), issues)
    return Argument(
        done.data["parameters"][name]["default"],
        rebase(done.positions, prefix, ()),
        rebase(done.key_positions, prefix, ()),
    )
