"""Checks on the request sequence: known actions, each once, in an order that can answer."""

from __future__ import annotations

from composer.spec.checks.context import Context
from composer.spec.sequence import ACTION_PREREQUISITES, BUILTIN_ACTIONS, REQUIRED_ACTIONS
from composer.spec.shape import did_you_mean

__all__ = ["check_sequence"]


def check_sequence(ctx: Context) -> None:
    """Unknown actions (CMP124), duplicates (CMP125), authenticate after authorize (CMP126),
    a missing or misplaced action the others need (CMP131)."""
    if not ctx.has("sequence"):
        return
    first: dict[str, int] = {}
    for index, action in enumerate(ctx.app.sequence):
        path = ("sequence", index)
        if action not in BUILTIN_ACTIONS:
            ctx.report(
                "CMP124",
                f"unknown action {ctx.show(path, action)}",
                path,
                did_you_mean(action, BUILTIN_ACTIONS, "built-in actions"),
            )
        elif action in first:
            ctx.report(
                "CMP125",
                f"action '{action}' is already at sequence[{first[action]}]",
                path,
                "list each action once",
            )
        first.setdefault(action, index)
    authenticate, authorize = first.get("authenticate"), first.get("authorize")
    if authenticate is not None and authorize is not None and authenticate > authorize:
        ctx.report(
            "CMP126",
            f"authenticate comes after authorize (sequence[{authorize}])",
            ("sequence", authenticate),
            "move authenticate before authorize: authorization decides on the authenticated user",
        )
    for action, index in first.items():
        for needed in ACTION_PREREQUISITES.get(action, ()):
            if needed in first and first[needed] > index:
                ctx.report(
                    "CMP131",
                    f"{action} comes before {needed} (sequence[{first[needed]}])",
                    ("sequence", index),
                    f"move {needed} before {action}: {action} works on what {needed} found",
                )
    missing = [action for action in REQUIRED_ACTIONS if action not in first]
    if missing:
        ctx.report(
            "CMP131",
            f"the sequence has no {', '.join(missing)}",
            ("sequence",),
            "a sequence needs findRoute, invoke and send to answer a request; "
            f"the default is {', '.join(BUILTIN_ACTIONS)}",
        )
