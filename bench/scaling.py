"""How composer's cost grows: boot time and memory by manifest size, memory under long load.

:func:`write_manifest` generates a project of N models (a handful of
properties and one belongsTo relation each, on a memory datasource);
:func:`boot_figures` times ``composer serve`` from spawn to the first 200 on
``/health/ready`` and reads its idle RSS; :func:`soak` keeps wrk on one
server until a million requests have been answered, reading the RSS after
every stretch, to show that nothing grows with the request count.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.load import Endpoint, run_wrk
from bench.process import Server, free_port

__all__ = ["Boot", "SoakStep", "boot_figures", "soak", "write_manifest"]

_PROPERTIES = """\
      id: {type: integer, id: true, generated: true}
      name: {type: string, required: true, maxLength: 100}
      quantity: integer
      price: number
      active: boolean
      createdAt: datetime
      ownerId: integer
"""


def _model_name(n: int) -> str:
    return f"Item{n:04d}"


def write_manifest(folder: Path, models: int) -> Path:
    """A project of ``models`` models in ``folder`` (one file per model); the folder.

    Model *k* belongs to model *k+1* (the last to the first) through ``ownerId``.
    """
    (folder / "models").mkdir(parents=True, exist_ok=True)
    (folder / "composer.yaml").write_text(
        "apiVersion: composer/v1\n"
        f"name: generated-{models}\n"
        "rest: {host: 127.0.0.1, port: 3000, basePath: /}\n"
        "datasources:\n"
        "  db: {connector: memory}\n",
        encoding="utf-8",
    )
    for n in range(1, models + 1):
        owner = _model_name(n % models + 1)
        (folder / "models" / f"item-{n:04d}.yaml").write_text(
            f"models:\n  {_model_name(n)}:\n    datasource: db\n    properties:\n"
            f"{_PROPERTIES}"
            "    relations:\n"
            f"      owner: {{type: belongsTo, model: {owner}, foreignKey: ownerId}}\n",
            encoding="utf-8",
        )
    return folder


@dataclass(frozen=True)
class Boot:
    """Boot figures of one manifest size (medians over the spawns)."""

    models: int
    seconds: float
    rss_mib: float


def boot_figures(folder: Path, models: int, *, spawns: int, work: Path, pin: list[str]) -> Boot:
    """Spawn ``composer serve`` on ``folder`` ``spawns`` times; median boot and idle RSS."""
    seconds: list[float] = []
    rss: list[float] = []
    for n in range(spawns):
        port = free_port()
        server = Server(
            name=f"composer-{models}-models",
            command=[
                sys.executable,
                "-m",
                "composer",
                "serve",
                str(folder),
                "--port",
                str(port),
                "--data-dir",
                str(work / f"data-{models}-{n}"),
            ],
            port=port,
            ready_path="/health/ready",
            log=work / f"boot-{models}.log",
            pin=pin,
        )
        try:
            seconds.append(server.start())
            time.sleep(1.0)
            rss.append(server.rss_mib())
        finally:
            server.stop()
    return Boot(models, statistics.median(seconds), statistics.median(rss))


@dataclass(frozen=True)
class SoakStep:
    """The state after one stretch of load."""

    requests: int
    seconds: float
    rss_mib: float
    errors: int


def soak(
    server: Server,
    endpoint: Endpoint,
    *,
    target: int,
    stretch: float,
    limit: float,
    pin: list[str],
    progress: Callable[[str], None],
) -> list[SoakStep]:
    """Load ``server`` with wrk in stretches of ``stretch`` seconds until ``target`` requests
    were answered (or ``limit`` seconds passed); a step per stretch, the first before load."""
    steps = [SoakStep(0, 0.0, server.rss_mib(), 0)]
    total = errors = 0
    elapsed = 0.0
    base = f"http://127.0.0.1:{server.port}"
    while total < target and elapsed < limit:
        measured = run_wrk(base, endpoint, stretch, pin=pin)
        server.check_alive()
        total += measured.requests
        errors += measured.errors
        elapsed += measured.seconds
        steps.append(SoakStep(total, elapsed, server.rss_mib(), errors))
        progress(f"  soak: {total:,} requests, RSS {steps[-1].rss_mib:.1f} MiB")
    return steps
