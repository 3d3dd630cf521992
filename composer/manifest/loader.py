"""``load()``: a project folder or file -> one :class:`RawManifest`.

The steps: find the project's files (:mod:`.project`), parse each one
(:mod:`.yaml_parser`, :mod:`.json_parser`), interpolate ``${...}``
(:mod:`.interpolation`), expand ``use:`` stacks (:mod:`.stack`,
:mod:`.catalog`) and merge everything (:mod:`.merge`). Problems are
collected across files — a parse error in one file does not hide another
file's problems — and raised together as one ManifestError. Nothing is
written.

A file that some ``use:`` names by path is a stack, not a fragment: a project
may keep its own stacks in its folder (``stacks/auth.yaml``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from composer.errors import Issue, KeyPath, ManifestError, Position, did_you_mean
from composer.manifest import catalog
from composer.manifest.document import Document
from composer.manifest.interpolation import Argument, Scope, interpolate
from composer.manifest.json_parser import parse_json
from composer.manifest.limits import Limits
from composer.manifest.merge import merge
from composer.manifest.project import Project, find_project
from composer.manifest.raw import RawManifest
from composer.manifest.source import SourceFile, read_text
from composer.manifest.stack import UseEntry, bind, read_definition, take_use_entries
from composer.manifest.yaml_parser import parse_yaml


def load(
    path: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    limits: Limits | None = None,
) -> RawManifest:
    """Load the project at ``path`` (a folder with composer.yaml, or one file).

    ``env`` (default ``os.environ``) feeds ``${VAR}``; ``data_dir`` is where
    composer writes files (default: ``$COMPOSER_DATA_DIR``, else
    ``<project>/.composer``); ``limits`` bounds file size, aliases, expanded
    size and nesting. Raises ManifestError listing every problem found.

    >>> raw = load("examples/todo", env={})  # doctest: +SKIP
    >>> raw.data["name"], str(raw.locate(("name",)))  # doctest: +SKIP
    ('todo', 'composer.yaml:4:7')
    """
    environment = os.environ if env is None else env
    project = find_project(path, data_dir, environment)
    return _Session(project, environment, limits or Limits()).run()


class _Session:
    """One load: the parse cache, the files read, the issues collected."""

    def __init__(self, project: Project, env: Mapping[str, str], limits: Limits) -> None:
        self.project = project
        self.env = env
        self.limits = limits
        self.issues: list[Issue] = []
        self.parsed: dict[str, tuple[Document | None, list[Issue]]] = {}
        self.files: list[Path] = []
        self.reported: set[str] = set()
        self.stack_nodes = 0

    def run(self) -> RawManifest:
        project = self.project
        for source in (project.root_file, *project.fragments):
            self.parse(source)
        stacks = self.path_stacks((project.root_file, *project.fragments))
        layers: list[Document] = []
        for source in (project.root_file, *project.fragments):
            real = os.path.realpath(source.path)
            if source is not project.root_file and real in stacks:
                continue
            document = self.parse(source)
            self.report_parse(source, ())
            if document is not None:
                layers.extend(
                    self.expand(
                        source, document, arguments=None, sites=(), chain=[(real, source.display)]
                    )
                )
        merged = merge(layers, self.issues)
        if self.issues:
            raise ManifestError(self.issues)
        return RawManifest(
            data=merged.data,
            positions=merged.positions,
            key_positions=merged.key_positions,
            root=project.real_root,
            root_file=project.root_file.path,
            data_dir=project.data_dir,
            files=tuple(self.files),
        )

    def parse(self, source: SourceFile) -> Document | None:
        real = os.path.realpath(source.path)
        if real not in self.parsed:
            self.files.append(source.path)
            try:
                text = read_text(source, self.limits)
                parser = parse_json if source.is_json else parse_yaml
                self.parsed[real] = (parser(text, source.display, self.limits), [])
            except ManifestError as exc:
                self.parsed[real] = (None, list(exc.issues))
        return self.parsed[real][0]

    def report_parse(self, source: SourceFile, sites: tuple[Position, ...]) -> None:
        """Report a file's parse problems once, with the include chain of its first use."""
        real = os.path.realpath(source.path)
        if real in self.reported:
            return
        self.reported.add(real)
        for issue in self.parsed[real][1]:
            where = issue.position
            if where is not None and sites:
                where = Position(where.file, where.line, where.column, sites)
            self.issues.append(Issue(issue.code, issue.message, issue.path, where, issue.hint))

    def path_stacks(self, sources: tuple[SourceFile, ...]) -> set[str]:
        """Real paths of project files some ``use:`` names by path (read as stacks)."""
        found: set[str] = set()
        pending = list(sources)
        while pending:
            source = pending.pop()
            document = self.parse(source)
            raw = document.data.get("use") if document is not None else None
            for item in raw if isinstance(raw, list) else [raw]:
                reference = item.get("stack") if isinstance(item, dict) else item
                if not isinstance(reference, str) or "${" in reference:
                    continue
                if not catalog.is_stack_path(reference):
                    continue
                visible = Path(os.path.normpath(source.path.parent / reference))
                real = os.path.realpath(visible)
                if real in found or not _inside(real, source.home) or not os.path.isfile(real):
                    continue
                found.add(real)
                pending.append(source.sibling(visible))
        return found

    def expand(
        self,
        source: SourceFile,
        document: Document,
        *,
        arguments: Mapping[str, Argument] | None,
        sites: tuple[Position, ...],
        chain: list[tuple[str, str]],
        entry: UseEntry | None = None,
    ) -> list[Document]:
        """The document (interpolated, ``use:`` removed) followed by its stacks' layers.

        ``entry`` is the ``use:`` entry that instantiates the document as a stack.
        """
        body = interpolate(document, Scope(self.env, arguments, sites), self.issues)
        if entry is not None:  # a stack instance: count it against the expansion bound
            self.stack_nodes += len(body.positions)
            if self.stack_nodes > self.limits.max_nodes:
                message = f"stacks expand to more than {self.limits.max_nodes} values"
                self.issue("CMP012", message, entry.path, entry.site)
                return []
        entries = take_use_entries(body, self.issues)
        layers = [body]
        for used in entries:
            layers.extend(self.include(source, used, chain))
        return layers

    def include(
        self, source: SourceFile, entry: UseEntry, chain: list[tuple[str, str]]
    ) -> list[Document]:
        stack = self.locate(source, entry)
        if stack is None:
            return []
        real = os.path.realpath(stack.path)
        names = [real_path for real_path, _ in chain]
        if real in names:
            cycle = [display for _, display in chain[names.index(real) :]] + [stack.display]
            message = f"include cycle: {' -> '.join(cycle)}"
            self.issue("CMP022", message, entry.reference_path, entry.reference_position)
            return []
        site = entry.site
        sites = (Position(site.file, site.line, site.column), *site.included_from)
        document = self.parse(stack)
        self.report_parse(stack, sites)
        if document is None:
            return []
        try:
            definition = read_definition(document)
        except ManifestError as exc:
            self.parsed[real] = (None, list(exc.issues))
            self.reported.discard(real)
            self.report_parse(stack, sites)
            return []
        label = stack.display if catalog.is_stack_path(entry.reference) else entry.reference
        scope = Scope(self.env, None, sites)
        arguments = bind(definition, entry, label, scope, self.issues)
        if arguments is None:
            return []
        chain = [*chain, (real, stack.display)]
        return self.expand(
            stack, definition.body, arguments=arguments, sites=sites, chain=chain, entry=entry
        )

    def locate(self, source: SourceFile, entry: UseEntry) -> SourceFile | None:
        reference = entry.reference
        path = entry.reference_path
        where = entry.reference_position
        if catalog.is_stack_path(reference):
            visible = Path(os.path.normpath(source.path.parent / reference))
            real = os.path.realpath(visible)
            if not _inside(real, source.home):
                self.issue(
                    "CMP023",
                    f"stack path '{reference}' leads outside the project folder",
                    path,
                    where,
                    hint="a stack named by path must lie inside the project folder",
                )
                return None
            if not os.path.isfile(real):
                self.issue("CMP019", f"stack file '{reference}' does not exist", path, where)
                return None
            return source.sibling(visible)
        try:
            found = catalog.find_stack(reference)
        except catalog.StackLookupError as exc:
            self.issue("CMP027", f"stack '{reference}': {exc}", path, where)
            return None
        if found is None:
            known = catalog.available_stacks()
            self.issue(
                "CMP019",
                f"unknown stack '{reference}'",
                path,
                where,
                hint=did_you_mean(reference, known, "available stacks", none="none installed"),
            )
            return None
        return found.source

    def issue(
        self, code: str, message: str, path: KeyPath, where: Position, hint: str | None = None
    ) -> None:
        self.issues.append(Issue(code, message, path, where, hint))


def _inside(real: str, home: Path) -> bool:
    home_text = str(home)
    return real == home_text or real.startswith(home_text.rstrip(os.sep) + os.sep)
