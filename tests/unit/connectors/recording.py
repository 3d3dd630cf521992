"""A connector kind for tests: it records every call in a shared journal and fails on demand."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from composer.spec import DatasourceSpec


@dataclass
class RecordingConnector:
    """Appends ``"<operation> <name>"`` to ``journal``; raises ``failures[operation]`` when set."""

    name: str
    journal: list[str]
    failures: Mapping[str, BaseException] = field(default_factory=dict)
    #: seconds ping waits before answering
    ping_delay: float = 0.0
    kind: str = "recording"

    async def connect(self) -> None:
        self._call("connect")

    async def disconnect(self) -> None:
        self._call("disconnect")

    async def ping(self) -> None:
        if self.ping_delay:
            await asyncio.sleep(self.ping_delay)
        self._call("ping")

    def _call(self, operation: str) -> None:
        self.journal.append(f"{operation} {self.name}")
        failure = self.failures.get(operation)
        if failure is not None:
            raise failure


@dataclass
class Recording:
    """A connector factory whose connectors share one journal; ``fail()`` arms a fault."""

    journal: list[str] = field(default_factory=list)
    failures: dict[str, dict[str, BaseException]] = field(default_factory=dict)
    built: dict[str, RecordingConnector] = field(default_factory=dict)

    def fail(self, name: str, operation: str, error: BaseException) -> Recording:
        self.failures.setdefault(name, {})[operation] = error
        return self

    def __call__(
        self, name: str, spec: DatasourceSpec, *, root: Path, data_dir: Path
    ) -> RecordingConnector:
        connector = RecordingConnector(name, self.journal, self.failures.setdefault(name, {}))
        self.built[name] = connector
        return connector

    def factories(self) -> dict[str, Recording]:
        """Every connector kind of the spec built by this recorder."""
        return {"memory": self, "sql": self}
