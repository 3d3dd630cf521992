"""Load generators: wrk (the benchmark's) and a small Python one (the smoke run's fallback).

An :class:`Endpoint` says what to send; :func:`run_wrk` runs
``wrk -t2 -c64 -d10s --latency`` (through a Lua script when the request
varies or has a body) and :func:`parse_wrk` reads its report;
:func:`run_python` sends the same requests from an aiohttp client, for
machines without wrk (its figures measure the client as much as the server).
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp

__all__ = [
    "Endpoint",
    "Measurement",
    "parse_wrk",
    "run_python",
    "run_wrk",
    "wrk_command",
    "wrk_path",
]


@dataclass(frozen=True)
class Endpoint:
    """One benchmarked request: ``path`` with ``{n}`` cycling through 1..``ids`` when set."""

    name: str
    method: str
    path: str
    ids: int = 0
    body: str | None = None
    #: whether each request runs at least one statement on a SQL database
    reads_database: bool = True

    def paths(self) -> list[str]:
        """The paths sent, in order (one unless ``ids``).

        >>> Endpoint("x", "GET", "/todos/{n}", ids=3).paths()
        ['/todos/1', '/todos/2', '/todos/3']
        """
        if not self.ids:
            return [self.path]
        return [self.path.replace("{n}", str(n)) for n in range(1, self.ids + 1)]

    def lua(self) -> str | None:
        """The wrk script sending this request; None when the request is fixed."""
        lines: list[str] = []
        if self.body is not None:
            body = self.body.replace("\\", "\\\\").replace('"', '\\"')
            lines += [
                f'wrk.method = "{self.method}"',
                f'wrk.body = "{body}"',
                'wrk.headers["Content-Type"] = "application/json"',
            ]
        if self.ids:
            prefix, _, suffix = self.path.partition("{n}")
            lines += [
                "local n = 0",
                "request = function()",
                f"  n = n % {self.ids} + 1",
                f'  return wrk.format(nil, "{prefix}" .. n .. "{suffix}")',
                "end",
            ]
        return "\n".join(lines) + "\n" if lines else None


@dataclass(frozen=True)
class Measurement:
    """What one load run reports."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    #: the socket errors that were wrk's 2 s request timeout
    timeouts: int = 0

    @property
    def rps(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        """Non-2xx answers plus socket errors."""
        return self.non_2xx + self.socket_errors


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match[1]) * _UNITS[match[2]]


def parse_wrk(report: str) -> Measurement:
    """Read a ``wrk --latency`` report.

    >>> m = parse_wrk('''  Latency Distribution
    ...      50%  812.00us
    ...      99%    2.10ms
    ...   52000 requests in 10.00s, 9.1MB read
    ...   Socket errors: connect 0, read 2, write 0, timeout 1
    ...   Non-2xx or 3xx responses: 4
    ... ''')
    >>> m.requests, m.p50_ms, m.p99_ms, m.errors, round(m.rps)
    (52000, 0.812, 2.1, 7, 5200)
    """
    found = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m|h)", report)
    p50 = re.search(r"^\s*50%\s+(\S+)", report, re.MULTILINE)
    p99 = re.search(r"^\s*99%\s+(\S+)", report, re.MULTILINE)
    if found is None or p50 is None or p99 is None:
        raise ValueError(f"not a wrk --latency report:\n{report}")
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    return Measurement(
        requests=int(found[1]),
        seconds=_ms(found[2] + found[3]) / 1000,
        p50_ms=_ms(p50[1]),
        p99_ms=_ms(p99[1]),
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
        timeouts=int(sockets[4]) if sockets else 0,
    )


def wrk_path() -> str | None:
    """The wrk executable, None when it is not installed."""
    return shutil.which("wrk")


def wrk_command(
    base_url: str,
    endpoint: Endpoint,
    seconds: float,
    *,
    script: Path | None = None,
    connections: int = 64,
    threads: int = 2,
    pin: list[str] | None = None,
) -> list[str]:
    """The wrk command line for one run (``pin`` prefixes it, e.g. ``taskset -c 1``).

    >>> wrk_command("http://127.0.0.1:8000", Endpoint("count", "GET", "/todos/count"), 10)
    ['wrk', '-t2', '-c64', '-d10s', '--latency', 'http://127.0.0.1:8000/todos/count']
    """
    # wrk takes whole seconds
    duration = max(1, round(seconds))
    command = [
        *(pin or []),
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
    ]
    if script is not None:
        command += ["-s", str(script)]
    return [*command, base_url + endpoint.paths()[0]]


def run_wrk(
    base_url: str,
    endpoint: Endpoint,
    seconds: float,
    *,
    connections: int = 64,
    threads: int = 2,
    pin: list[str] | None = None,
) -> Measurement:
    """Run wrk against ``base_url`` for ``seconds`` and read its report."""
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as folder:
        lua = endpoint.lua()
        script = None
        if lua is not None:
            script = Path(folder) / "request.lua"
            script.write_text(lua, encoding="utf-8")
        command = wrk_command(
            base_url,
            endpoint,
            seconds,
            script=script,
            connections=connections,
            threads=threads,
            pin=pin,
        )
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=seconds + 60
        )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


def _percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def run_python(
    base_url: str, endpoint: Endpoint, seconds: float, *, connections: int = 64
) -> Measurement:
    """Send ``endpoint`` from ``connections`` concurrent aiohttp clients for ``seconds``."""
    paths = endpoint.paths()
    body = None if endpoint.body is None else endpoint.body.encode()
    headers = {"Content-Type": "application/json"} if body is not None else {}
    latencies: list[float] = []
    non_2xx = 0
    socket_errors = 0
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(base_url, connector=connector) as session:
        started = time.perf_counter()
        deadline = started + seconds

        async def worker(offset: int) -> None:
            nonlocal non_2xx, socket_errors
            n = offset
            while time.perf_counter() < deadline:
                path = paths[n % len(paths)]
                n += 1
                sent = time.perf_counter()
                try:
                    async with session.request(
                        endpoint.method, path, data=body, headers=headers
                    ) as response:
                        await response.read()
                        if response.status >= 400:
                            non_2xx += 1
                except (aiohttp.ClientError, OSError):
                    socket_errors += 1
                    continue
                latencies.append((time.perf_counter() - sent) * 1000)

        await asyncio.gather(*(worker(offset) for offset in range(connections)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return Measurement(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=_percentile(latencies, 0.50),
        p99_ms=_percentile(latencies, 0.99),
        non_2xx=non_2xx,
        socket_errors=socket_errors,
    )
