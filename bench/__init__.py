"""composer's benchmark suite: ``python -m bench`` (``make bench``), see bench/README.md.

It starts, on one machine and in one run, a raw aiohttp hello-world, the
same hello-world importing composer's runtime dependencies (the import
floor), hand-written aiohttp handlers on the same drivers, the same
endpoints in FastAPI + SQLAlchemy, and ``examples/todo`` under composer;
loads each with wrk and prints req/s, latency, errors, memory and start-up
time, every composer figure also as a ratio to its baseline. Benchmarks are
not tests: ``python -m bench --smoke`` only checks that the harness runs.
"""
