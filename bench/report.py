"""The run as Markdown: targets, throughput per backend, processes, scaling, notes, commands.

Every composer figure is shown with its ratio to the baseline measured in the
same run: the hand-written handler on the same driver (the raw hello-world
for ``GET /ping``), FastAPI + SQLAlchemy, and the raw hello-world's ``GET
/ping``; start-up and memory are compared with the import floor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.harness import BY_ID, COUNT, CREATE, DATA_ENDPOINTS, FILTER, PING, Run, Series
from bench.load import wrk_command

__all__ = ["Target", "render", "targets", "targets_table"]

P99_LIMIT_MS = 50.0


@dataclass(frozen=True)
class Target:
    """One row of the targets table, evaluated."""

    name: str
    goal: str
    measured: str
    verdict: str


def _at_least(value: float, goal: float) -> str:
    if value >= goal:
        return "met"
    return f"missed by {goal - value:.2f} ({value / goal:.0%} of the goal)"


def _at_most(value: float, goal: float, unit: str) -> str:
    if value <= goal:
        return "met"
    return f"missed by {value - goal:.2f}{unit}"


def _ratio(numerator: Series | None, denominator: Series | None) -> float | None:
    if numerator is None or denominator is None or not numerator.runs or not denominator.runs:
        return None
    return numerator.rps / denominator.rps if denominator.rps else None


def _missing(name: str, goal: str) -> Target:
    return Target(name, goal, "not measured", "—")


def targets(run: Run) -> list[Target]:
    """Each target's measured value and whether it is met, from one run's figures."""
    rows: list[Target] = []
    hello = run.find("sqlite", PING, "hello")

    def vs_hello(name: str, goal: float, backend: str, endpoint: object) -> None:
        composer = next(
            (
                s
                for s in run.series
                if s.backend == backend and s.endpoint == endpoint and s.kind == "composer"
            ),
            None,
        )
        ratio = _ratio(composer, hello)
        if ratio is None or composer is None or hello is None:
            rows.append(_missing(name, f">= {goal:.2f}"))
            return
        rows.append(
            Target(
                name,
                f">= {goal:.2f}",
                f"{ratio:.2f} ({composer.rps:,.0f} / {hello.rps:,.0f} req/s)",
                _at_least(ratio, goal),
            )
        )

    vs_hello("framework floor (GET /ping through the sequence)", 0.60, "sqlite", PING)
    vs_hello("GET /todos/{id}, SQLite, 1,000 rows", 0.35, "sqlite", BY_ID)
    vs_hello("GET /todos?filter=…limit 10, SQLite", 0.25, "sqlite", FILTER)
    vs_hello("GET /todos/count, SQLite", 0.30, "sqlite", COUNT)
    vs_hello("POST /todos, SQLite", 0.20, "sqlite", CREATE)
    for backend, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        name = f"GET /todos/{{id}} vs the hand-written same-driver handler, {label}"
        composer, raw = run.find(backend, BY_ID, "composer"), run.find(backend, BY_ID, "raw")
        ratio = _ratio(composer, raw)
        if ratio is None or composer is None or raw is None:
            rows.append(_missing(name, ">= 0.80"))
        else:
            rows.append(
                Target(
                    name,
                    ">= 0.80",
                    f"{ratio:.2f} ({composer.rps:,.0f} / {raw.rps:,.0f} req/s)",
                    _at_least(ratio, 0.80),
                )
            )
    versus = []
    for series in run.series:
        if series.kind == "composer":
            fastapi = run.find(series.backend, series.endpoint, "fastapi")
            ratio = _ratio(series, fastapi)
            if ratio is not None:
                versus.append((ratio, series))
    name = "every endpoint vs FastAPI + SQLAlchemy doing the same"
    if versus:
        worst, series = min(versus, key=lambda pair: pair[0])
        rows.append(
            Target(
                name,
                ">= 1.5",
                f"min {worst:.2f} ({series.endpoint.name}, {series.backend})",
                _at_least(worst, 1.5),
            )
        )
    else:
        rows.append(_missing(name, ">= 1.5"))
    composers = [s for s in run.series if s.kind == "composer" and s.runs]
    name = "p99 latency at 64 connections, every endpoint"
    if composers:
        worst_p99 = max(composers, key=lambda s: s.p99)
        rows.append(
            Target(
                name,
                f"<= {P99_LIMIT_MS:.0f} ms",
                f"max {worst_p99.p99:.1f} ms ({worst_p99.endpoint.name}, {worst_p99.backend})",
                _at_most(worst_p99.p99, P99_LIMIT_MS, " ms"),
            )
        )
    else:
        rows.append(_missing(name, f"<= {P99_LIMIT_MS:.0f} ms"))
    floor, todo = run.figures("floor", "-"), run.figures("composer", "sqlite")
    name = "idle RSS of examples/todo"
    if floor is None or todo is None:
        rows.append(_missing(name, "<= import floor + 20 MiB"))
        rows.append(
            _missing("cold start to the first 200 on GET /todos/1", "<= import floor + 0.3 s")
        )
    else:
        extra = todo.rss_idle - floor.rss_idle
        rows.append(
            Target(
                name,
                "<= import floor + 20 MiB",
                f"{todo.rss_idle:.1f} MiB = floor {floor.rss_idle:.1f} + {extra:.1f}",
                _at_most(extra, 20.0, " MiB"),
            )
        )
        later = todo.cold_start - floor.cold_start
        rows.append(
            Target(
                "cold start to the first 200 on GET /todos/1",
                "<= import floor + 0.3 s",
                f"{todo.cold_start:.2f} s = floor {floor.cold_start:.2f} + {later:.2f}",
                _at_most(later, 0.3, " s"),
            )
        )
    big = next((boot for boot in run.boots if boot.models == 500), None)
    if big is None:
        rows.append(_missing("boot of a 500-model manifest", "<= 2 s"))
    else:
        rows.append(
            Target(
                "boot of a 500-model manifest",
                "<= 2 s",
                f"{big.seconds:.2f} s",
                _at_most(big.seconds, 2.0, " s"),
            )
        )
    return rows


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _times(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.2f}x"


def _with_ratio(value: float, base: float | None, fmt: Callable[[float], str]) -> str:
    if base is None or not base:
        return fmt(value)
    return f"{fmt(value)} ({value / base:.2f}x)"


def _throughput(run: Run, backend: str) -> list[str]:
    rows: list[list[str]] = []
    hello = run.find("sqlite", PING, "hello")
    for series in (s for s in run.series if s.backend == backend):
        baseline_kind = "hello" if series.endpoint == PING else "raw"
        baseline = run.find(backend, series.endpoint, baseline_kind)
        composer = series.kind == "composer" and baseline is not None and baseline.runs
        base = baseline if composer else None
        queries = series.queries_per_request
        if not series.runs:
            rows.append([series.endpoint.name, series.server, "died", "", "", "", "", "", "", ""])
            continue
        rows.append(
            [
                series.endpoint.name,
                series.server,
                _with_ratio(series.rps, base.rps if base else None, lambda v: f"{v:,.0f}"),
                _with_ratio(series.p50, base.p50 if base else None, lambda v: f"{v:.2f}"),
                _with_ratio(series.p99, base.p99 if base else None, lambda v: f"{v:.2f}"),
                series.error_detail,
                "—" if queries is None else f"{queries:.2f}",
                _times(_ratio(series, run.find(backend, series.endpoint, "fastapi")))
                if series.kind == "composer"
                else "",
                _times(_ratio(series, hello)) if series.kind != "hello" else "",
            ]
        )
    return _table(
        [
            "endpoint",
            "server",
            "req/s",
            "p50 ms",
            "p99 ms",
            "errors",
            "queries/req",
            "÷ FastAPI",
            "÷ hello",
        ],
        rows,
    )


def _processes(run: Run) -> list[str]:
    floor = run.figures("floor", "-")
    rows: list[list[str]] = []
    for figures in run.servers:
        composer = figures.kind == "composer" and floor is not None
        versus = ""
        if composer and floor is not None:
            versus = (
                f"+{figures.rss_idle - floor.rss_idle:.1f} MiB, "
                f"+{figures.cold_start - floor.cold_start:.2f} s"
            )
        rows.append(
            [
                figures.server,
                f"{figures.cold_start:.3f} (`{figures.cold_path}`)",
                f"{figures.rss_idle:.1f}",
                "—" if figures.rss_loaded is None else f"{figures.rss_loaded:.1f}",
                versus,
            ]
        )
    return _table(
        [
            "server",
            "cold start s (to first 200 on)",
            "RSS idle MiB",
            "RSS after load MiB",
            "vs import floor (idle RSS, cold start)",
        ],
        rows,
    )


def _queries(run: Run) -> list[str]:
    checked = [
        s
        for s in run.series
        if s.backend != "memory"
        and s.endpoint.reads_database
        and s.endpoint.method == "GET"
        and s.runs
    ]
    if not checked:
        return []
    short = [s for s in checked if (s.queries_per_request or 0.0) < 0.99]
    if short:
        names = ", ".join(f"{s.server} {s.endpoint.name}" for s in short)
        return [f"**Query counter: some GETs did not reach the database**: {names}."]
    return [
        "Query counter: every measured GET on a SQL backend sent at least one statement per "
        "answered request (the `queries/req` column; the include sends two), so nothing was "
        "served from a cache."
    ]


def targets_table(run: Run) -> list[str]:
    """The targets table (goal, measured, verdict) and what its ratios are to, as lines."""
    lines = _table(
        ["target", "goal", "measured", "verdict"],
        [[t.name, t.goal, t.measured, t.verdict] for t in targets(run)],
    )
    return [
        *lines,
        "",
        "Ratios are to the raw aiohttp hello-world's `GET /ping` measured in the same "
        "run unless the row names another baseline.",
    ]


def render(run: Run, *, with_targets: bool = True) -> str:
    """The whole report, Markdown (without the targets table when ``with_targets`` is off)."""
    settings = run.settings
    lines = [f"# composer benchmark, {run.started:%Y-%m-%d}", ""]
    if settings.smoke:
        lines += [
            "**Smoke run**: about a second per endpoint, one alternation; the figures "
            "mean nothing.",
            "",
        ]
    if run.loader == "python":
        lines += [
            "**Load generator: the Python fallback (wrk not found)**; its figures measure "
            "the client as much as the servers.",
            "",
        ]
    lines += ["## Machine", ""]
    lines += [f"- {key}: {value}" for key, value in run.machine.items()]
    duration = "" if run.finished is None else f", {(run.finished - run.started).seconds // 60} min"
    lines += [
        f"- run: {run.started:%Y-%m-%d %H:%M} UTC{duration}; load: "
        f"{'wrk -t2 -c' + str(settings.connections) + ' --latency' if run.loader == 'wrk' else 'Python aiohttp client, ' + str(settings.connections) + ' connections'}"  # noqa: E501
        f", warm-up {settings.warmup:g} s + measurement {settings.seconds:g} s per run, "
        f"{settings.repeats} alternation(s), medians; servers pinned to core 0, load to core 1 "
        "when the machine has two",
        "",
    ]
    if with_targets:
        lines += ["## Targets", "", *targets_table(run), ""]
    for backend in run.backends:
        lines += [f"## Throughput: {backend}", ""]
        lines += _throughput(run, backend)
        lines += [""]
    lines += [
        "Composer's p50, p99 and req/s carry, in parentheses, the ratio to the baseline of the "
        "same run: the hand-written handler on the same driver (the raw hello-world for "
        "`GET /ping`). `÷ FastAPI` and `÷ hello` are req/s ratios; errors are non-2xx answers "
        "plus socket errors (connect, read, write, and wrk's 2 s request timeout), summed over "
        "the measured runs.",
        "",
    ]
    lines += _queries(run)
    lines += ["", "## Start-up and memory", ""]
    lines += _processes(run)
    lines += [
        "",
        "`floor` is the hello-world after importing every runtime dependency of composer "
        "(the import floor); memory-backend servers are timed to `GET /ping`, since their "
        "rows are posted after start.",
    ]
    posted = [
        (s.server, s.answered)
        for s in run.series
        if s.backend == "memory" and s.endpoint == CREATE and s.runs
    ]
    if posted:
        counts = ", ".join(f"{count:,} on {server}" for server, count in posted)
        lines += [
            "The RSS after load of a memory server includes the rows `POST /todos` added to "
            f"it: {counts} in the measured runs alone (the warm-ups add more).",
        ]
    lines += [""]
    if run.boots or run.soak:
        lines += ["## Scaling", ""]
    if run.boots:
        lines += _table(
            ["models", "boot s (spawn to 200 on /health/ready)", "idle RSS MiB"],
            [[str(b.models), f"{b.seconds:.2f}", f"{b.rss_mib:.1f}"] for b in run.boots],
        )
        lines += [""]
    if run.soak:
        lines += ["RSS of composer (memory backend) under `GET /todos/{id}` with wrk -c64:", ""]
        lines += _table(
            ["requests answered", "seconds of load", "RSS MiB", "errors"],
            [
                [f"{s.requests:,}", f"{s.seconds:.0f}", f"{s.rss_mib:.1f}", f"{s.errors:,}"]
                for s in run.soak
            ],
        )
        lines += ["", "Hot reload does not exist yet, so its cost is not measured.", ""]
    samples = [s for s in run.series if s.samples]
    if run.notes or samples:
        lines += ["## Notes", ""]
        lines += [f"- {note}" for note in run.notes]
        lines += [
            f"- {s.server} {s.endpoint.name}: {s.error_detail} errors; the same request "
            f"sent after the run answered `{s.samples[0]}`"
            for s in samples
        ]
        lines += [""]
    lines += ["## Commands", "", "```", "python -m bench" + (" --smoke" if settings.smoke else "")]
    lines += run.commands
    lines += ["```", ""]
    if run.loader == "wrk":
        lines += _wrk_commands(run)
    return "\n".join(lines)


def _wrk_commands(run: Run) -> list[str]:
    """The wrk command of every endpoint, and its Lua script."""
    lines = [
        f"wrk, per endpoint (warm-up: the same with `-d{max(1, round(run.settings.warmup))}s`):",
        "",
        "```",
    ]
    scripts: list[str] = []
    for endpoint in (PING, *DATA_ENDPOINTS):
        lua = endpoint.lua()
        script = None
        if lua is not None:
            path = endpoint.path.partition("?")[0].replace("{n}", "id").strip("/")
            script = Path(f"{endpoint.method.lower()}-{path.replace('/', '-')}.lua")
            scripts += [f"-- {script}", lua]
        command = wrk_command(
            "http://127.0.0.1:PORT",
            endpoint,
            run.settings.seconds,
            script=script,
            connections=run.settings.connections,
            pin=run.load_pin,
        )
        lines.append(" ".join(command))
    lines += ["```", "", "```lua", *scripts, "```", ""]
    return lines
