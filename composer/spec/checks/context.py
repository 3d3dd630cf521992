"""What every semantic check sees: the manifest, the parts that passed the shape stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from composer.errors import Issue, KeyPath
from composer.manifest.raw import RawManifest
from composer.spec.app import AppSpec
from composer.spec.lookup import base_chain, effective_properties
from composer.spec.model import PropertySpec
from composer.spec.shape import show_value, value_at

__all__ = ["Context"]


@dataclass
class Context:
    """The manifest under validation and the issues found so far.

    ``app`` holds what survived the shape stage: ``valid`` names its fields
    that hold something, ``failed`` the manifest paths that did not validate
    (their parts that did are kept). A check never reports a problem that is
    only the consequence of a failed part (the shape issue says what is
    wrong), and a name the manifest declares counts as existing even when
    its definition failed.
    """

    raw: RawManifest
    app: AppSpec
    valid: frozenset[str]
    failed: frozenset[KeyPath]
    issues: list[Issue] = field(default_factory=list)

    def report(
        self, code: str, message: str, path: KeyPath, hint: str | None = None, *, key: bool = False
    ) -> None:
        """Add an issue at ``path`` (at its key with ``key=True``)."""
        self.issues.append(Issue(code, message, path, self.raw.locate(path, key=key), hint))

    def written(self, path: KeyPath) -> Any:
        """The value the manifest holds at ``path`` (``None`` when absent)."""
        return value_at(self.raw.data, path)[1]

    def show(self, path: KeyPath, value: Any) -> str:
        """``value`` as a message may show it: by its ``${...}`` if the manifest wrote one there."""
        written = self.written(path)
        return show_value(written if written is not None else value)

    def declared(self, section: str) -> list[str]:
        """Every name the manifest declares in a named section, valid or not."""
        names = self.raw.data.get(section)
        return [str(name) for name in names] if isinstance(names, dict) else []

    def has(self, field_name: str) -> bool:
        """Whether the AppSpec field passed the shape stage."""
        return field_name in self.valid

    def intact(self, path: KeyPath) -> bool:
        """Whether everything at and under ``path`` passed the shape stage."""
        size = len(path)
        return not any(failed[:size] == path for failed in self.failed)

    def complete(self, model: str) -> bool:
        """Whether ``model`` and every base model it names passed the shape stage whole."""
        models = self.app.models if self.has("models") else {}
        chain = base_chain(self.app, model) if model in models else ()
        if not chain or chain[-1] != model or models[chain[0]].base is not None:
            return False
        return all(self.intact(("models", name)) for name in chain)

    def properties(self, model: str) -> dict[str, PropertySpec]:
        """``effective_properties`` of a complete model."""
        return effective_properties(self.app, model)

    def defined_in(self, model: str, prop: str) -> str:
        """The model in ``model``'s base chain whose own properties hold ``prop``."""
        for name in reversed(base_chain(self.app, model)):
            if prop in self.app.models[name].properties:
                return name
        return model
