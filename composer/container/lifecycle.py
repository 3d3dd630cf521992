"""Start a generation's artifacts in plan order; stop them in reverse, collecting every error.

A :class:`Step` is one artifact's start and stop. :class:`Lifecycle` runs the
starts in order. When a start fails, the steps already started are stopped in
reverse and the start error is raised (as a :class:`~composer.errors.BootError`
naming the artifact). :meth:`Lifecycle.stop` stops every started step even
when some of them fail, and raises one :class:`~composer.errors.ShutdownError`
holding every failure.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from composer.errors import BootError, ComposerError, ShutdownError

__all__ = ["Lifecycle", "Step"]


@dataclass(frozen=True, slots=True)
class Step:
    """One artifact's start and stop, named by its key."""

    name: str
    start: Callable[[], Awaitable[None]]
    stop: Callable[[], Awaitable[None]]


class Lifecycle:
    """Runs steps' starts in order and their stops in reverse.

    >>> import asyncio
    >>> calls = []
    >>> async def note(what): calls.append(what)
    >>> life = Lifecycle([
    ...     Step("a", lambda: note("start a"), lambda: note("stop a")),
    ...     Step("b", lambda: note("start b"), lambda: note("stop b")),
    ... ])
    >>> asyncio.run(life.start()); asyncio.run(life.stop()); calls
    ['start a', 'start b', 'stop b', 'stop a']
    """

    def __init__(self, steps: Iterable[Step]) -> None:
        self._steps = tuple(steps)
        self._started: list[Step] = []

    @property
    def started(self) -> tuple[str, ...]:
        """The names of the steps started and not yet stopped, in start order."""
        return tuple(step.name for step in self._started)

    async def start(self) -> None:
        """Start every step in order; on a failure, stop the started ones and raise.

        A :class:`~composer.errors.ComposerError` is raised as it is; any other
        exception becomes a :class:`~composer.errors.BootError` naming the step.
        Errors raised while stopping the started steps are added as notes.
        """
        if self._started:
            raise BootError("already started")
        for step in self._steps:
            try:
                await step.start()
            except BaseException as exc:
                errors = await self._stop_started()
                error = _as_composer_error(exc, step.name, "start")
                for stop_error in errors:
                    error.add_note(f"while stopping after the failed start: {stop_error}")
                if error is exc:
                    raise
                raise error from exc
            self._started.append(step)

    async def stop(self) -> None:
        """Stop every started step in reverse order; raise ShutdownError listing every failure."""
        errors = await self._stop_started()
        if errors:
            raise ShutdownError(errors)

    async def _stop_started(self) -> list[BaseException]:
        errors: list[BaseException] = []
        while self._started:
            step = self._started.pop()
            try:
                await step.stop()
            except Exception as exc:
                errors.append(_as_composer_error(exc, step.name, "stop"))
        return errors


def _as_composer_error(exc: BaseException, name: str, operation: str) -> BaseException:
    """Keep composer's own errors and cancellations; name the artifact on anything else."""
    if isinstance(exc, ComposerError) or not isinstance(exc, Exception):
        return exc
    error = BootError(f"{operation} failed: {type(exc).__name__}: {exc}", artifact=name)
    error.__cause__ = exc
    return error
