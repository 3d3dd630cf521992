"""Replaying the scenario over HTTP and normalising the answers.

Both the recorder (against LoopBack 4) and the conformance test (against
composer) go through :func:`replay`, so the requests are byte-for-byte the
same. Normalisation rules, applied to both sides before comparing or storing:

1. ``GET /ping`` answers: ``date`` becomes ``"<date>"`` and ``headers.host``
   becomes ``"<host>"`` (the clock and the listening port vary).
2. Nothing else is rewritten: ids are deterministic on a fresh store and every
   date the scenario stores is sent by the scenario itself.

A response body is stored as its decoded JSON, ``null`` when empty, or
``{"text": ...}`` when it is not JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import aiohttp
from yarl import URL

from tests.conformance.scenario import Case

__all__ = ["HEADERS", "normalise", "replay"]

#: request headers sent with every request (fixed so the ping answer is reproducible)
HEADERS = {
    "User-Agent": "composer-conformance",
    "Accept": "application/json",
    "Accept-Encoding": "identity",
}

DATE_MARKER = "<date>"
HOST_MARKER = "<host>"


def _decode(data: bytes) -> Any:
    if not data:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return {"text": data.decode("utf-8", "replace")}


def normalise(case: Case, body: Any) -> Any:
    """Apply the documented normalisation rules to one decoded response body."""
    if case.path.split("?")[0] == "/ping" and isinstance(body, dict) and "date" in body:
        body = {**body, "date": DATE_MARKER}
        headers = body.get("headers")
        if isinstance(headers, dict) and "host" in headers:
            body["headers"] = {**headers, "host": HOST_MARKER}
    return body


async def replay(base_url: str, cases: Iterable[Case]) -> list[dict[str, Any]]:
    """Send every case in order; one record per case: id, request, status, normalised body."""
    records: list[dict[str, Any]] = []
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(headers=HEADERS, timeout=timeout) as session:
        for case in cases:
            data, content_type = case.payload()
            headers = {"Content-Type": content_type} if content_type else {}
            url = URL(base_url.rstrip("/") + case.path, encoded=True)
            async with session.request(case.method, url, data=data, headers=headers) as resp:
                body = _decode(await resp.read())
                records.append(
                    {
                        "id": case.id,
                        "request": case.request_record(),
                        "status": resp.status,
                        "body": normalise(case, body),
                    }
                )
    return records
