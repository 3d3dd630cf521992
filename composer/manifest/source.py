"""One manifest file on disk: how it is shown, and reading its text safely."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from composer.errors import ManifestError, Position
from composer.manifest.limits import Limits

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file as the loader reads it.

    ``path`` is the visible path (symlinks not resolved: a ConfigMap file is
    read and named through its visible name); ``display`` is how positions
    name it. ``home`` is the real folder that relative ``use:`` paths in it
    must stay inside, shown as ``home_label`` (``""`` for the project folder,
    ``"<stack todo>/"`` for a built-in stack).
    """

    path: Path
    display: str
    home: Path
    home_visible: Path
    home_label: str = ""

    @property
    def is_json(self) -> bool:
        return self.path.suffix.lower() == ".json"

    def sibling(self, visible: Path) -> SourceFile:
        """Another file under the same home, e.g. a stack this file names by path."""
        relative = os.path.relpath(visible, self.home_visible)
        return SourceFile(
            visible,
            self.home_label + Path(relative).as_posix(),
            self.home,
            self.home_visible,
            self.home_label,
        )


def read_text(source: SourceFile, limits: Limits) -> str:
    """The file's text, decoded as UTF-8 (a BOM is dropped), within the size limit.

    Raises ManifestError: CMP014 (too large, checked before reading it all),
    CMP009 (not UTF-8, with the line:col of the first bad byte), CMP026
    (cannot be read).
    """
    where = Position(source.display)
    try:
        with open(source.path, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size <= limits.max_file_bytes:
                raw = stream.read(limits.max_file_bytes + 1)
                size = len(raw)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ManifestError.one(
            "CMP026", f"cannot read the file: {reason}", position=where
        ) from exc
    if size > limits.max_file_bytes:
        raise ManifestError.one(
            "CMP014",
            f"file is larger than {limits.max_file_bytes} bytes",
            position=where,
            hint="split it into several files in the project folder",
        )
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        raise ManifestError.one(
            "CMP009",
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
            position=Position(source.display, line, column),
            hint="save the file as UTF-8",
        ) from exc
