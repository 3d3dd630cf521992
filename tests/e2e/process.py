"""Running the composer command line as a real subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def composer_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPOSER_")}
    env.update(extra)
    return env


def run_composer(*args: str, cwd: Path | None = None, timeout: float = 60, **env: str) -> Result:
    proc = subprocess.run(
        [sys.executable, "-m", "composer", *args],
        cwd=cwd or REPO,
        env=composer_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
