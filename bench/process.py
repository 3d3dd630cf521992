"""Server processes: spawn pinned to a core, time the first 200, read their memory, stop.

:class:`Server` runs one command (prefixed with ``taskset -c 0`` when the
machine has two cores or more, so servers and the load generator never share
a core), polls a path until it answers 200 (the cold start: spawn to first
200) and reads ``VmRSS`` from ``/proc/<pid>/status``.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Server", "ServerDied", "free_port", "get_json", "pinning"]


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pinning() -> tuple[list[str], list[str]]:
    """The command prefixes pinning servers to core 0 and load to core 1; empty when the
    machine has one core or no ``taskset``."""
    cores = len(os.sched_getaffinity(0))
    if cores < 2 or shutil.which("taskset") is None:
        return [], []
    return ["taskset", "-c", "0"], ["taskset", "-c", "1"]


class ServerDied(RuntimeError):
    """A server process exited while it was expected to serve."""


def get_json(port: int, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
    """``GET path`` on 127.0.0.1:port: (status, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass
class Server:
    """One server command; ``start`` spawns it and waits for a 200 on ``ready_path``."""

    name: str
    command: list[str]
    port: int
    ready_path: str
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    pin: list[str] = field(default_factory=list)
    process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120.0) -> float:
        """Spawn the server; seconds from spawn to the first 200 on ``ready_path``."""
        with self.log.open("ab") as log:
            started = time.perf_counter()
            self.process = subprocess.Popen(
                [*self.pin, *self.command],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **self.env},
                cwd=self.cwd,
                start_new_session=True,
            )
        deadline = started + timeout
        while True:
            self.check_alive()
            try:
                status, _body = get_json(self.port, self.ready_path, timeout=2.0)
            except OSError:
                status = 0
            if status == 200:
                return time.perf_counter() - started
            if time.perf_counter() > deadline:
                self.stop()
                raise ServerDied(
                    f"{self.name}: no 200 on {self.ready_path} in {timeout:g}s\n{self.tail()}"
                )
            time.sleep(0.002)

    def check_alive(self) -> None:
        """Raise :class:`ServerDied` (with the log's end) when the process has exited."""
        if self.process is not None and self.process.poll() is not None:
            code = self.process.returncode
            raise ServerDied(f"{self.name} exited with code {code}\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        """The last lines of the server's log."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def rss_mib(self) -> float:
        """The resident memory of the process, in MiB (``VmRSS``)."""
        if self.process is None:
            raise ServerDied(f"{self.name} is not running")
        status = Path(f"/proc/{self.process.pid}/status").read_text(encoding="utf-8")
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise ServerDied(f"{self.name}: no VmRSS in /proc/{self.process.pid}/status")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 15 s; waits for the exit."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
