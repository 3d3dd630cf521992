"""``python -m bench``: the full benchmark (``make bench``); ``--smoke`` for the quick check.

::

    python -m bench                  full run (wrk required), ~30 min: writes
                                     bench/results/<date>.md and the figures in bench/README.md
    python -m bench --smoke          ~1 s per endpoint, SQLite + memory, no scaling, nothing
                                     written; wrk when installed, else a Python load generator
    python -m bench --load python    force the Python load generator (smoke runs only)

The report is printed on stdout, progress on stderr.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import replace
from pathlib import Path

from bench.harness import BACKENDS, DEFAULT_POSTGRES, Run, Settings, run
from bench.load import wrk_path
from bench.report import render, targets_table

RESULTS = Path(__file__).resolve().parent / "results"
README = Path(__file__).resolve().parent / "README.md"
_MARKERS = {
    "targets": ("<!-- targets:start -->", "<!-- targets:end -->"),
    "results": ("<!-- results:start -->", "<!-- results:end -->"),
}


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _quote_in_readme(result: Run, results: Path) -> None:
    """Put the latest targets table and report between the README's markers."""
    text = README.read_text(encoding="utf-8")
    link = f"[`results/{results.name}`](results/{results.name})"
    report = render(result, with_targets=False)
    blocks = {
        "targets": f"Measured by the latest run, {link}:\n\n" + "\n".join(targets_table(result)),
        # one heading level below the README's own
        "results": f"Latest run: {link}.\n\n" + re.sub(r"^#", "##", report, flags=re.MULTILINE),
    }
    for name, (start, end) in _MARKERS.items():
        pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.DOTALL)
        found = pattern.search(text)
        if found is not None:
            block = f"{start}\n{blocks[name].strip()}\n{end}"
            text = text[: found.start()] + block + text[found.end() :]
    README.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run, print the report; the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--smoke", action="store_true", help="the quick check make test runs")
    parser.add_argument("--load", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument(
        "--backends", default=None, help=f"comma-separated, of {', '.join(BACKENDS)}"
    )
    parser.add_argument("--no-scaling", action="store_true", help="skip the scaling figures")
    parser.add_argument(
        "--no-write", action="store_true", help="print only: no results file, README untouched"
    )
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    args = parser.parse_args(argv)
    loader = args.load
    if loader == "auto":
        loader = "wrk" if wrk_path() else "python"
    if loader == "wrk" and wrk_path() is None:
        parser.error("wrk is not installed (Debian: apt-get install wrk)")
    if loader == "python" and not args.smoke:
        parser.error(
            "the full run needs wrk (Debian: apt-get install wrk); "
            "--smoke runs with the Python load generator"
        )
    if loader == "python":
        _progress(
            "bench: wrk not used: the Python load generator sends the requests (smoke figures only)"
        )
    settings = Settings.smoke_run(loader) if args.smoke else Settings(loader=loader)
    settings = replace(settings, postgres_url=args.postgres_url)
    if args.backends:
        settings = replace(settings, backends=tuple(args.backends.split(",")))
    if args.no_scaling:
        settings = replace(settings, scaling=False)
    result = run(settings, _progress)
    report = render(result)
    print(report)
    if not args.smoke and not args.no_write:
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{result.started:%Y-%m-%d}.md"
        path.write_text(report, encoding="utf-8")
        _quote_in_readme(result, path)
        _progress(f"bench: wrote {path} and the figures in {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
