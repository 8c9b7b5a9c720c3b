"""Escalation levels of a duty alert: first the people on duty, then each next person on the rota, the
fallback last. A person already alerted at an earlier level is not alerted again."""

from civic_contracts import DutyAlert


def person(name: str, phone: str | None, email: str | None) -> dict:
    return {"name": name, "phone": phone, "email": email}


def levels_of(alert: DutyAlert) -> list[list[dict]]:
    """People to alert, level by level (each level a non-empty list)."""
    seen: set[str] = set()
    levels: list[list[dict]] = []
    for group in (alert.on_duty, *([p] for p in alert.escalation)):
        fresh = [person(p.name, p.phone, p.email) for p in group if p.name not in seen]
        seen.update(p["name"] for p in fresh)
        if fresh:
            levels.append(fresh)
    return levels


def everyone(levels: list[list[dict]]) -> list[dict]:
    """Every person of every level, in order: their index is who they are in an acknowledgement link."""
    return [p for level in levels for p in level]
