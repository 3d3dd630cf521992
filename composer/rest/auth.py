"""The ``authenticate`` and ``authorize`` actions.

Both let every request through for now: ``authenticate`` sets the anonymous
principal and ``authorize`` allows it. The security issue fills them in
(authentication strategies, ACL evaluation) without changing their place in
the sequence or their names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from composer.rest.context import ANONYMOUS

if TYPE_CHECKING:
    from composer.rest.context import RequestContext
    from composer.rest.sequence import Action, SequenceSetup

__all__ = ["authenticate", "authorize"]


def authenticate(setup: SequenceSetup) -> Action:
    """Build ``authenticate``: for now every caller is the anonymous principal.

    No authentication strategy exists yet (``authentication:`` is rejected by
    validation), so this action sets :data:`~composer.rest.context.ANONYMOUS`
    on the context and lets the request through.
    """

    async def authenticate(ctx: RequestContext) -> None:
        ctx.principal = ANONYMOUS

    return authenticate


def authorize(setup: SequenceSetup) -> Action:
    """Build ``authorize``: for now every request is allowed.

    ACLs are rejected by validation until the security issue evaluates them;
    until then this action lets every principal through.
    """

    async def authorize(ctx: RequestContext) -> None:
        return None

    return authorize
