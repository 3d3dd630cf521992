"""Record LoopBack 4's answers to the conformance scenario.

How to re-record (after changing ``scenario.py``; the test refuses a stale
recording):

1. Start a *fresh* LoopBack 4 peer (the reference app with the same models as
   ``examples/todo``, memory store, empty on start)::

       cd ../shared/peers/lb4-todo && PORT=3101 npm start

2. From the repository root::

       .venv/bin/python -m tests.conformance.record --url http://127.0.0.1:3101

3. Stop the peer. A second run needs a restarted peer: the scenario assumes
   an empty store (generated ids 1, 2, 3... per model).

The answers are normalised as ``exchange.py`` documents and written to
``tests/conformance/recordings/lb4-todo.json``, one entry per case, in order.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from tests.conformance.exchange import replay
from tests.conformance.scenario import CASES

RECORDING = Path(__file__).parent / "recordings" / "lb4-todo.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:3101", help="the LoopBack 4 peer")
    parser.add_argument("--out", type=Path, default=RECORDING)
    args = parser.parse_args()
    records = asyncio.run(replay(args.url, CASES))
    if records[0]["status"] != 200 or records[0]["body"].get("id") != 1:
        raise SystemExit(f"the peer's store is not empty (first create answered {records[0]})")
    text = json.dumps({"source": "lb4-todo", "cases": records}, indent=1, ensure_ascii=False)
    # a lone surrogate cannot be UTF-8: it is written as the JSON escape \\udXXX instead
    args.out.write_bytes((text + "\n").encode("utf-8", "backslashreplace"))
    print(f"{len(records)} exchanges written to {args.out}")


if __name__ == "__main__":
    main()
