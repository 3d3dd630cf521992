"""The servers the benchmark starts, one module each, run as ``python -m bench.servers.X``.

::

    hello            raw aiohttp answering GET /ping (and every path) with the ping document
    hello --floor    the same, after importing every runtime dependency of composer
    raw              hand-written aiohttp handlers on the drivers composer uses
    fastapi_app      the same endpoints in FastAPI + SQLAlchemy, served by uvicorn
    composer_server  a project booted exactly as ``composer serve`` does, plus a query counter

Every server with a database answers ``GET /__bench/statements`` with
``{"statements": n}``: how many statements it has sent to the database.
"""

from __future__ import annotations

#: the path of the query counter every database server answers
STATEMENTS_PATH = "/__bench/statements"

__all__ = ["STATEMENTS_PATH"]
