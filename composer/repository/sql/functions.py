"""What a SQLite connection needs before the SQL backend runs statements on it.

SQLite has no regular expressions of its own and no statement timeout, so
every connection the backend uses is prepared once (:func:`prepare_sqlite`):

- ``composer_regexp(value, pattern)`` runs the pattern with RE2, in time
  linear in the value, so no pattern can stall the database thread;
  patterns arrive already validated and spelled for RE2 by
  :mod:`composer.repository.regexp`;
- with a statement timeout, a progress handler interrupts a statement that
  runs past its :class:`Deadline` (SQLite then fails it with
  ``interrupted``), and ``busy_timeout`` waits no longer than the timeout
  for another connection's write lock.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import re2

from composer.repository.sql.compile import REGEXP_FUNCTION

__all__ = ["PROGRESS_STEPS", "Deadline", "prepare_sqlite", "regexp_function"]

#: SQLite virtual-machine steps between two looks at the clock
PROGRESS_STEPS = 10_000
#: compiled patterns kept per connection
_PATTERNS = 64


class Deadline:
    """When the statement running on one connection must stop (``math.inf``: never).

    Set on the event loop's thread, read by the progress handler on the
    connection's thread: a float read or written whole.

    >>> deadline = Deadline()
    >>> deadline.arm(0.0); deadline.passed()
    True
    >>> deadline.disarm(); deadline.passed()
    False
    """

    def __init__(self) -> None:
        self.at = math.inf

    def arm(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def disarm(self) -> None:
        self.at = math.inf

    def passed(self) -> bool:
        return time.monotonic() >= self.at


def regexp_function() -> Callable[[Any, Any], int | None]:
    """The ``composer_regexp(value, pattern)`` SQL function: 1 on a match, 0 if none, NULL on null.

    >>> match = regexp_function()
    >>> match("Buy milk", "^B"), match("buy", "^B"), match(None, "^B")
    (1, 0, None)
    """
    options = re2.Options()
    options.log_errors = False
    patterns: OrderedDict[str, Any] = OrderedDict()

    def composer_regexp(value: Any, pattern: Any) -> int | None:
        if value is None or pattern is None:
            return None
        compiled = patterns.get(pattern)
        if compiled is None:
            try:
                compiled = re2.compile(pattern, options)
            except re2.error:
                return None  # patterns are validated before they get here
            patterns[pattern] = compiled
            if len(patterns) > _PATTERNS:
                patterns.popitem(last=False)
        text = value if isinstance(value, str) else str(value)
        return 1 if compiled.search(text) is not None else 0

    return composer_regexp


async def prepare_sqlite(connection: Any, timeout: float | None) -> Deadline:
    """Register the functions on an aiosqlite ``connection``; the deadline its statements keep.

    With ``timeout`` (seconds), the progress handler and ``busy_timeout`` enforce it.
    """
    await connection.create_function(REGEXP_FUNCTION, 2, regexp_function(), deterministic=True)
    deadline = Deadline()
    if timeout is not None:
        await connection.set_progress_handler(deadline.passed, PROGRESS_STEPS)
        milliseconds = max(1, round(timeout * 1000))
        cursor = await connection.execute(f"PRAGMA busy_timeout = {milliseconds:d}")
        await cursor.close()
    return deadline
