"""The benchmark run: start every server, load each endpoint in turn, collect the figures.

:func:`run` does one whole run for a :class:`Settings` and returns a
:class:`Run`, which :mod:`bench.report` renders. Per backend (memory, SQLite,
PostgreSQL when reachable) it starts the hand-written baseline, FastAPI +
SQLAlchemy (SQL only) and composer, each on a fresh copy of the seeded data;
for each endpoint (POST last, since it adds rows) it alternates them
``repeats`` times, each time a warm-up then a measurement; the query
counters are read around every measurement.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from bench import seed
from bench.load import Endpoint, Measurement, run_python, run_wrk, wrk_path
from bench.process import Server, ServerDied, free_port, get_json, pinning
from bench.scaling import Boot, SoakStep, boot_figures, soak, write_manifest
from bench.servers import STATEMENTS_PATH

__all__ = [
    "BACKENDS",
    "DATA_ENDPOINTS",
    "PING",
    "Run",
    "Series",
    "ServerFigures",
    "Settings",
    "run",
]

REPO = Path(__file__).resolve().parents[1]
BACKENDS = ("memory", "sqlite", "postgresql")
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"

PING = Endpoint("GET /ping", "GET", "/ping", reads_database=False)
BY_ID = Endpoint("GET /todos/{id}", "GET", "/todos/{n}", ids=1000)
FILTER = Endpoint(
    "GET /todos?filter=…limit 10",
    "GET",
    "/todos?filter=" + quote('{"where":{"isComplete":false},"limit":10}', safe=""),
)
COUNT = Endpoint("GET /todos/count", "GET", "/todos/count")
INCLUDE = Endpoint(
    'GET /todo-lists/{id}?filter={"include":["todos"]}',
    "GET",
    "/todo-lists/{n}?filter=" + quote('{"include":["todos"]}', safe=""),
    ids=100,
)
CREATE = Endpoint(
    "POST /todos",
    "POST",
    "/todos",
    body='{"title":"Bench todo","desc":"posted under load","isComplete":false,'
    '"priority":2,"createdAt":"2024-06-01T12:00:00.000Z","todoListId":1}',
)
#: the endpoints measured on every backend, POST last (it adds rows)
DATA_ENDPOINTS = (BY_ID, FILTER, COUNT, INCLUDE, CREATE)


@dataclass(frozen=True)
class Settings:
    """What one run measures and how long."""

    smoke: bool = False
    warmup: float = 3.0
    seconds: float = 10.0
    repeats: int = 3
    spawns: int = 3
    backends: tuple[str, ...] = BACKENDS
    loader: str = "wrk"
    scaling: bool = True
    scaling_models: tuple[int, ...] = (10, 100, 500)
    soak_requests: int = 1_000_000
    soak_stretch: float = 30.0
    soak_limit: float = 900.0
    postgres_url: str = DEFAULT_POSTGRES
    connections: int = 64

    @classmethod
    def smoke_run(cls, loader: str) -> Settings:
        """A second per endpoint and server, no warm-up, one alternation, SQLite and memory,
        no scaling."""
        return cls(
            smoke=True,
            warmup=0.0,
            seconds=1.0,
            repeats=1,
            spawns=1,
            backends=("memory", "sqlite"),
            loader=loader,
            scaling=False,
        )


@dataclass
class Series:
    """Every measurement of one endpoint on one server, and the queries each sent."""

    backend: str
    endpoint: Endpoint
    server: str
    kind: str
    runs: list[Measurement] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)

    @property
    def rps(self) -> float:
        """Median req/s over the runs."""
        return statistics.median(m.rps for m in self.runs) if self.runs else 0.0

    @property
    def p50(self) -> float:
        """Median p50 latency (ms) over the runs."""
        return statistics.median(m.p50_ms for m in self.runs) if self.runs else 0.0

    @property
    def p99(self) -> float:
        """Median p99 latency (ms) over the runs."""
        return statistics.median(m.p99_ms for m in self.runs) if self.runs else 0.0

    @property
    def errors(self) -> int:
        """Errors over all runs."""
        return sum(m.errors for m in self.runs)

    @property
    def error_detail(self) -> str:
        """The errors, split: ``7 (4 non-2xx, 3 socket: 3 timeouts)``; ``0`` without any."""
        if not self.errors:
            return "0"
        non_2xx = sum(m.non_2xx for m in self.runs)
        sockets = sum(m.socket_errors for m in self.runs)
        timeouts = sum(m.timeouts for m in self.runs)
        parts = [f"{non_2xx:,} non-2xx"] if non_2xx else []
        if sockets:
            parts.append(f"{sockets:,} socket" + (f": {timeouts:,} timeouts" if timeouts else ""))
        return f"{self.errors:,} ({', '.join(parts)})"

    @property
    def answered(self) -> int:
        """Requests answered over the measured runs."""
        return sum(m.requests for m in self.runs)

    @property
    def queries_per_request(self) -> float | None:
        """Statements sent per answered request; None without a database counter."""
        if not self.queries:
            return None
        requests = sum(m.requests for m in self.runs)
        return sum(self.queries) / requests if requests else 0.0


@dataclass
class ServerFigures:
    """Start-up and memory of one server process."""

    server: str
    kind: str
    backend: str
    cold_start: float
    cold_path: str
    rss_idle: float
    rss_loaded: float | None = None


@dataclass
class Run:
    """Everything one run measured."""

    settings: Settings
    loader: str
    started: datetime
    machine: dict[str, str]
    commands: list[str] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    servers: list[ServerFigures] = field(default_factory=list)
    boots: list[Boot] = field(default_factory=list)
    soak: list[SoakStep] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    backends: tuple[str, ...] = ()
    finished: datetime | None = None
    #: the prefix pinning wrk to its core (empty when not pinned)
    load_pin: list[str] = field(default_factory=list)

    def find(self, backend: str, endpoint: Endpoint, kind: str) -> Series | None:
        """The series of ``kind`` (hello, raw, fastapi, composer) for one endpoint."""
        for series in self.series:
            if series.backend == backend and series.endpoint == endpoint and series.kind == kind:
                return series
        return None

    def figures(self, kind: str, backend: str) -> ServerFigures | None:
        """The start-up and memory figures of one server."""
        for figures in self.servers:
            if figures.kind == kind and figures.backend == backend:
                return figures
        return None


Progress = Callable[[str], None]


def _command_output(*command: str) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (done.stdout or done.stderr).strip()


def machine() -> dict[str, str]:
    """What the figures were measured on: CPU, cores, memory, Python, versions, commit."""
    info: dict[str, str] = {}
    for line in _command_output("lscpu").splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("Model name", "CPU(s)", "Hypervisor vendor", "L2 cache", "L3 cache"):
            info[f"lscpu {key.strip()}"] = value.strip()
    info["nproc"] = _command_output("nproc")
    with suppress(OSError):
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                info["memory"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    load = os.getloadavg()
    info["load average at start"] = f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    info["python"] = f"{platform.python_implementation()} {platform.python_version()}"
    info["kernel"] = platform.release()
    wrk = _command_output("wrk", "-v").splitlines()[0] if wrk_path() else "not installed"
    info["wrk"] = wrk.split(" Copyright")[0]
    versions = []
    for name in ("aiohttp", "sqlalchemy", "pydantic", "fastapi", "uvicorn", "asyncpg", "aiosqlite"):
        with suppress(Exception):
            from importlib.metadata import version

            versions.append(f"{name} {version(name)}")
    info["packages"] = ", ".join(versions)
    commit = _command_output("git", "-C", str(REPO), "rev-parse", "--short", "HEAD")
    dirty = _command_output("git", "-C", str(REPO), "status", "--porcelain", "--", "composer")
    info["composer"] = commit + (" + uncommitted changes under composer/" if dirty else "")
    return info


def _postgres_reachable(url: str) -> str | None:
    """None when PostgreSQL at ``url`` answers, else why not."""

    async def probe() -> None:
        import asyncpg

        connection = await asyncpg.connect(url, timeout=3)
        await connection.close()

    try:
        asyncio.run(probe())
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


class _Context:
    """The run's scratch folder, seed data, pinning and load generator."""

    def __init__(self, settings: Settings, work: Path, loader: str, progress: Progress) -> None:
        self.settings = settings
        self.work = work
        self.loader = loader
        self.progress = progress
        self.server_pin, self.load_pin = pinning()
        self.seed_json = work / "seed.json"
        self.seed_json.write_text(
            json.dumps({"todoLists": seed.todo_lists(), "todos": seed.todos()}), encoding="utf-8"
        )
        self.sqlite_seed: Path | None = None
        self.postgres_template: str | None = None
        self.databases: list[str] = []
        self.memory_project = self._memory_project()

    def _memory_project(self) -> Path:
        project = self.work / "todo-memory"
        shutil.copytree(seed.EXAMPLE, project, ignore=shutil.ignore_patterns(".composer"))
        (project / "datasources" / "db.yaml").write_text(
            "datasources:\n  db:\n    connector: memory\n", encoding="utf-8"
        )
        return project

    def sqlite_copy(self, name: str) -> Path:
        if self.sqlite_seed is None:
            self.sqlite_seed = seed.sqlite_database(self.work / "seed" / "todo.db")
        target = self.work / name / "todo.db"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.sqlite_seed, target)
        return target

    def postgres_copy(self, name: str) -> str:
        admin = self.settings.postgres_url
        prefix = f"bench_{os.getpid()}"
        if self.postgres_template is None:
            template = f"{prefix}_seed"
            self.databases.append(template)
            asyncio.run(seed.postgres_database(admin, template, self.work))
            self.postgres_template = template
        database = f"{prefix}_{name.replace('-', '_')}"
        self.databases.append(database)
        return asyncio.run(seed.postgres_copy(admin, self.postgres_template, database))

    def drop_databases(self) -> None:
        for database in reversed(self.databases):
            with suppress(Exception):
                asyncio.run(seed.drop_database(self.settings.postgres_url, database))

    def server(
        self, name: str, command: list[str], port: int, ready: str, env: dict[str, str] | None
    ) -> Server:
        return Server(
            name=name,
            command=command,
            port=port,
            ready_path=ready,
            log=self.work / f"{name}.log",
            env=env or {},
            cwd=REPO,
            pin=self.server_pin,
        )

    def measure(self, server: Server, endpoint: Endpoint, seconds: float) -> Measurement:
        base = f"http://127.0.0.1:{server.port}"
        if self.loader == "wrk":
            return run_wrk(
                base, endpoint, seconds, connections=self.settings.connections, pin=self.load_pin
            )
        return asyncio.run(
            run_python(base, endpoint, seconds, connections=self.settings.connections)
        )


@dataclass
class _Running:
    """A started server of one backend."""

    server: Server
    kind: str
    counts: bool
    cold_path: str
    dead: str | None = None


def _python() -> list[str]:
    return [sys.executable]


def _server_commands(
    ctx: _Context, backend: str, kind: str, port: int
) -> tuple[list[str], dict[str, str], str]:
    """(command, environment, cold-start path) of one server of ``backend``."""
    name = f"{kind}-{backend}"
    by_id = "/todos/1"
    if kind == "raw":
        command = [*_python(), "-m", "bench.servers.raw", "--port", str(port), "--backend", backend]
        if backend == "memory":
            return [*command, "--seed", str(ctx.seed_json)], {}, "/ping"
        database = str(ctx.sqlite_copy(name)) if backend == "sqlite" else ctx.postgres_copy(name)
        return [*command, "--database", database], {}, by_id
    if kind == "fastapi":
        if backend == "sqlite":
            url = f"sqlite+aiosqlite:///{ctx.sqlite_copy(name)}"
        else:
            url = ctx.postgres_copy(name).replace("postgresql://", "postgresql+asyncpg://", 1)
        command = [
            *_python(),
            "-m",
            "uvicorn",
            "bench.servers.fastapi_app:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--loop",
            "asyncio",
            "--http",
            "httptools",
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        return command, {"BENCH_DATABASE_URL": url}, by_id
    data_dir = ctx.work / name / "data"
    if backend == "memory":
        project, env, ready = ctx.memory_project, {}, "/ping"
    else:
        project, ready = seed.EXAMPLE, by_id
        url = (
            f"sqlite:///{ctx.sqlite_copy(name)}" if backend == "sqlite" else ctx.postgres_copy(name)
        )
        env = {"DATABASE_URL": url}
    command = [
        *_python(),
        "-m",
        "bench.servers.composer_server",
        str(project),
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
    ]
    return command, env, ready


def _cold_start(server: Server, spawns: int) -> float:
    """Median spawn-to-first-200 over ``spawns`` spawns; the server is left running."""
    times = []
    for n in range(spawns):
        times.append(server.start())
        if n < spawns - 1:
            server.stop()
    return statistics.median(times)


def _statements(server: Server) -> int:
    status, body = get_json(server.port, STATEMENTS_PATH)
    if status != 200:
        raise RuntimeError(f"{server.name}: {STATEMENTS_PATH} answered {status}")
    return int(json.loads(body)["statements"])


def _sample(server: Server, endpoint: Endpoint) -> str:
    """One request like the endpoint's, for the notes: status and the start of the body."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        body = None if endpoint.body is None else endpoint.body.encode()
        headers = {"Content-Type": "application/json"} if body else {}
        connection.request(endpoint.method, endpoint.paths()[0], body=body, headers=headers)
        response = connection.getresponse()
        return f"{response.status} {response.read()[:300].decode(errors='replace')}"
    except OSError as exc:
        return f"no answer: {exc}"
    finally:
        connection.close()


def _load(ctx: _Context, result: Run, series: Series, running: _Running) -> None:
    """One warm-up and one measurement of ``series`` on ``running``."""
    settings = ctx.settings
    if running.dead is not None:
        return
    server = running.server
    try:
        if settings.warmup > 0:
            ctx.measure(server, series.endpoint, settings.warmup)
        before = _statements(server) if running.counts else 0
        measured = ctx.measure(server, series.endpoint, settings.seconds)
        server.check_alive()
        if running.counts and series.endpoint.reads_database:
            series.queries.append(_statements(server) - before)
    except (ServerDied, OSError, RuntimeError) as exc:
        alive = server.process is not None and server.process.poll() is None
        if alive:
            result.notes.append(f"{server.name}, {series.endpoint.name}: a run failed: {exc}")
            return
        running.dead = f"{series.endpoint.name}: {exc}"
        result.notes.append(
            f"**{server.name} died** during {series.endpoint.name} "
            f"(run {len(series.runs) + 1}):\n```\n{exc}\n```"
        )
        return
    series.runs.append(measured)
    if measured.non_2xx and len(series.samples) < 1:
        series.samples.append(_sample(server, series.endpoint))
    ctx.progress(
        f"  {series.endpoint.name:<50} {server.name:<18} {measured.rps:>9,.0f} req/s"
        f"  p99 {measured.p99_ms:6.1f} ms  errors {measured.errors}"
    )


def _backend(ctx: _Context, result: Run, backend: str, hello: _Running | None) -> None:
    """Start the servers of ``backend``, measure every endpoint, stop them."""
    settings = ctx.settings
    kinds = ("raw", "composer") if backend == "memory" else ("raw", "fastapi", "composer")
    running: dict[str, _Running] = {}
    try:
        for kind in kinds:
            port = free_port()
            command, env, ready = _server_commands(ctx, backend, kind, port)
            server = ctx.server(f"{kind}-{backend}", command, port, ready, env)
            shown = [f"{name}={value}" for name, value in env.items()]
            result.commands.append(" ".join([*shown, *server.pin, *command]))
            cold = _cold_start(server, settings.spawns)
            if kind == "composer" and backend == "memory":
                asyncio.run(seed.post_rows(f"http://127.0.0.1:{port}"))
            time.sleep(1.0)
            result.servers.append(
                ServerFigures(server.name, kind, backend, cold, ready, server.rss_mib())
            )
            running[kind] = _Running(server, kind, counts=backend != "memory", cold_path=ready)
            ctx.progress(
                f"  started {server.name}: cold start {cold:.2f} s, "
                f"RSS {result.servers[-1].rss_idle:.1f} MiB"
            )
        plan: list[tuple[Endpoint, list[_Running]]] = []
        if backend == "sqlite" and hello is not None:
            ping_servers = [hello, *(running[k] for k in kinds if k != "raw")]
            plan.append((PING, ping_servers))
        plan += [(endpoint, [running[k] for k in kinds]) for endpoint in DATA_ENDPOINTS]
        for endpoint, targets in plan:
            series = [Series(backend, endpoint, r.server.name, r.kind) for r in targets]
            result.series.extend(series)
            for _ in range(settings.repeats):
                for one_series, target in zip(series, targets, strict=True):
                    _load(ctx, result, one_series, target)
        for figures in result.servers:
            if figures.backend == backend and figures.kind in running:
                loaded = running[figures.kind]
                if loaded.dead is None:
                    figures.rss_loaded = loaded.server.rss_mib()
    finally:
        for started in running.values():
            started.server.stop()


def _scaling(ctx: _Context, result: Run) -> None:
    settings = ctx.settings
    for models in settings.scaling_models:
        folder = write_manifest(ctx.work / f"generated-{models}", models)
        boot = boot_figures(
            folder, models, spawns=settings.spawns, work=ctx.work, pin=ctx.server_pin
        )
        result.boots.append(boot)
        ctx.progress(f"  {models} models: boot {boot.seconds:.2f} s, RSS {boot.rss_mib:.1f} MiB")
    port = free_port()
    command = [
        *_python(),
        "-m",
        "composer",
        "serve",
        str(ctx.memory_project),
        "--port",
        str(port),
        "--data-dir",
        str(ctx.work / "soak-data"),
    ]
    server = ctx.server("composer-soak", command, port, "/ping", None)
    result.commands.append(" ".join([*server.pin, *command]))
    try:
        server.start()
        asyncio.run(seed.post_rows(f"http://127.0.0.1:{port}"))
        time.sleep(1.0)
        result.soak = soak(
            server,
            BY_ID,
            target=settings.soak_requests,
            stretch=settings.soak_stretch,
            limit=settings.soak_limit,
            pin=ctx.load_pin,
            progress=ctx.progress,
        )
    except ServerDied as exc:
        result.notes.append(f"**the soak server died**:\n```\n{exc}\n```")
    finally:
        server.stop()


@contextmanager
def _noted(result: Run, what: str) -> Iterator[None]:
    """Turn a failure into a note of the report, so the figures measured so far are kept."""
    try:
        yield
    except Exception as exc:
        trace = traceback.format_exc(limit=6)
        result.notes.append(f"**{what}**: {type(exc).__name__}: {exc}\n```\n{trace}```")


@contextmanager
def _pinned_to_load_core(pin: list[str]) -> Iterator[None]:
    """Keep the harness itself (and the Python load generator) off the servers' core."""
    if not pin:
        yield
        return
    previous = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {int(pin[-1])})
    try:
        yield
    finally:
        os.sched_setaffinity(0, previous)


def run(settings: Settings, progress: Progress) -> Run:
    """Do one run: every backend of ``settings``, then the scaling figures when asked."""
    result = Run(
        settings=settings, loader=settings.loader, started=datetime.now(UTC), machine=machine()
    )
    backends = list(settings.backends)
    if "postgresql" in backends:
        why = _postgres_reachable(settings.postgres_url)
        if why is not None:
            backends.remove("postgresql")
            result.notes.append(f"PostgreSQL skipped: {settings.postgres_url} unreachable ({why})")
    result.backends = tuple(backends)
    with tempfile.TemporaryDirectory(prefix="composer-bench-") as folder:
        ctx = _Context(settings, Path(folder), settings.loader, progress)
        result.load_pin = ctx.load_pin
        with _pinned_to_load_core(ctx.load_pin):
            try:
                hello = _floors(ctx, result)
                try:
                    for backend in backends:
                        progress(f"{backend}:")
                        with _noted(result, f"the {backend} measurements stopped"):
                            _backend(ctx, result, backend, hello)
                finally:
                    if hello is not None:
                        figures = result.figures("hello", "-")
                        if figures is not None and hello.dead is None:
                            figures.rss_loaded = hello.server.rss_mib()
                        hello.server.stop()
                if settings.scaling:
                    progress("scaling:")
                    with _noted(result, "the scaling measurements stopped"):
                        _scaling(ctx, result)
            finally:
                ctx.drop_databases()
    result.finished = datetime.now(UTC)
    load = os.getloadavg()
    result.machine["load average at the end"] = f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    return result


def _floors(ctx: _Context, result: Run) -> _Running:
    """Start the import floor (figures only, then stopped) and the hello-world (kept)."""
    ctx.progress("floors:")
    hello: _Running | None = None
    for kind, extra in (("floor", ["--floor"]), ("hello", [])):
        port = free_port()
        command = [*_python(), "-m", "bench.servers.hello", "--port", str(port), *extra]
        server = ctx.server(f"{kind}", command, port, "/todos/1", None)
        result.commands.append(" ".join([*server.pin, *command]))
        cold = _cold_start(server, ctx.settings.spawns)
        time.sleep(1.0)
        result.servers.append(ServerFigures(kind, kind, "-", cold, "/todos/1", server.rss_mib()))
        ctx.progress(
            f"  started {kind}: cold start {cold:.2f} s, RSS {result.servers[-1].rss_idle:.1f} MiB"
        )
        if kind == "floor":
            server.stop()
        else:
            hello = _Running(server, "hello", counts=False, cold_path="/todos/1")
    if hello is None:
        raise RuntimeError("the hello-world did not start")
    return hello
