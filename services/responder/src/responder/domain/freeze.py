"""Outbound freezes: which freeze holds a send, and who may lift one (a second admin, not the one who asked).
Who may freeze at all is the contracts' permission table."""

from civic_contracts.permissions import role_may

EVERY_ACCOUNT = "*"


def holding(freezes: list[dict], account_id: str | None) -> dict | None:
    """The freeze in force that stops a send from `account_id` (the freeze of every account first)."""
    by_account = {f["_id"]: f for f in freezes if f.get("frozen")}
    return by_account.get(EVERY_ACCOUNT) or (by_account.get(account_id) if account_id else None)


def may_freeze(role: str) -> str | None:
    return None if role_may(role, "freeze") else "only an admin freezes outbound"


def lift_decision(freeze: dict | None, role: str, user_id: str) -> tuple[str, str | None]:
    """("refuse", why) | ("request", None) | ("lift", None) for an admin asking to lift `freeze`."""
    if not role_may(role, "unfreeze"):
        return "refuse", "only an admin lifts a freeze"
    if freeze is None or not freeze.get("frozen"):
        return "refuse", "not frozen"
    request = freeze.get("unfreeze_request")
    if request is None:
        return "request", None
    if request.get("by") == user_id:
        return "refuse", "a second admin must confirm lifting the freeze"
    return "lift", None
