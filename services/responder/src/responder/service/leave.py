"""Leave with a start and an end: an absence recorded ahead starts by itself, and every absence with an end
finishes by itself (the periodic job); when someone goes on leave their open conversations are reassigned by
the department's assignment rules (policy `leave.open_work`: `reassign`, or `queue` to hand them back, or
`keep`), unless the person recording it chose where they go."""

from datetime import datetime, time

from civic_contracts import Actor, ConversationEventType, InboxCommand, Phrase, StaffRole
from civic_contracts.commands import SetAbsenceCommand

from responder.adapters.mongo_outofhours import store_of
from responder.service import assignment
from responder.service.context import Outcome, Responder, refused

E = ConversationEventType
OPEN_WORK = ("reassign", "queue", "keep")


def open_work_policy(r: Responder) -> str:
    return r.policy.leave.open_work


def end_of(body: SetAbsenceCommand, r: Responder) -> datetime | None:
    """When the absence ends: `ends_at`, else the start of the `until` day (local), else never by itself."""
    if body.ends_at is not None:
        return body.ends_at
    if body.until is not None:
        return datetime.combine(body.until, time(0), tzinfo=r.calendar.zone)
    return None


async def set_absence(r: Responder, command: InboxCommand, conversation: None) -> Outcome:
    body: SetAbsenceCommand = command.body
    now, ends = r.now(), end_of(body, r)
    if body.on_leave and ends is not None and ends <= (body.starts_at or now):
        return refused("the absence ends before it starts")
    if body.on_leave and body.starts_at is not None and body.starts_at > now:
        actor = command.actor
        if body.user_id != actor.user_id and actor.role.value not in ("supervisor", "admin"):
            return refused("only a supervisor records someone else's absence")
        if await r.staff.user(body.user_id) is None:
            return refused(Phrase.of("no staff account %(user)s", user=repr(body.user_id)))
        await store_of(r).set_absence(body.user_id, {"starts_at": body.starts_at, "ends_at": ends, "started": False,
                                                     "move_open_work_to": body.move_open_work_to,
                                                     "updated_by": actor.user_id, "updated_at": now})
        await r.emit(event_id=f"{command.id}:absence", type=E.ABSENCE_CHANGED, conversation_key=None,
                     summary=f"{body.user_id} on leave from {body.starts_at:%d %b %H:%M}", actor_id=actor.user_id,
                     command_id=command.id, data={"user_id": body.user_id, "on_leave": False,
                                                  "starts_at": body.starts_at.isoformat(), "ends_at": ends and ends.isoformat()})
        return Outcome(summary=f"{body.user_id} on leave from {body.starts_at.isoformat()}",
                       result={"scheduled": True, "starts_at": body.starts_at.isoformat()})
    acting = command
    if command.actor.role is StaffRole.SYSTEM:  # the job starting or ending a recorded absence may do what a supervisor may
        acting = command.model_copy(update={"actor": command.actor.model_copy(update={"role": StaffRole.SUPERVISOR})})
    if body.on_leave and body.move_open_work_to is None and open_work_policy(r) != "keep":
        body = body.model_copy(update={"move_open_work_to": "queue"})
        outcome = await assignment.set_absence(r, acting.model_copy(update={"body": body}), conversation)
        if outcome.ok and open_work_policy(r) == "reassign":
            outcome.result["reassigned"] = await reassign(r, outcome.result.get("moved", []), cause=f"{body.user_id} on leave")
    else:
        outcome = await assignment.set_absence(r, acting, conversation)
    if outcome.ok:
        await store_of(r).set_absence(body.user_id, {
            "starts_at": now if body.on_leave else None, "ends_at": ends if body.on_leave else None, "started": True,
            "until": ends.date().isoformat() if body.on_leave and ends else None})
    return outcome


async def reassign(r: Responder, keys: list[str], *, cause: str) -> list[str]:
    """Conversations handed back to the queue, assigned again by their department's rules (round robin or
    least loaded; a manual department keeps them in its queue)."""
    assigned = []
    for key in keys:
        async with r.lock(key):
            conversation = await r.conversations.get(key)
            if conversation is None or conversation.get("assignee"):
                continue
            strategy = r.policy.strategy(conversation.get("department"))
            if strategy == "manual":
                continue
            if await assignment.auto_assign(r, conversation, cause=cause) is not None:
                assigned.append(key)
    return assigned


async def tick(r: Responder) -> int:
    """Starts the absences whose start has come and ends those whose end has passed; how many changed."""
    store, now, changed = store_of(r), r.now(), 0
    for absence in await store.absences_to_start(now):
        await _system_absence(r, absence, on_leave=True, now=now)
        changed += 1
    for absence in await store.absences_to_end(now):
        await _system_absence(r, absence, on_leave=False, now=now)
        changed += 1
    return changed


async def _system_absence(r: Responder, absence: dict, *, on_leave: bool, now: datetime) -> None:
    """Carried out as a command of `system` with a stable id: audited like any absence, and once."""
    user_id = absence["_id"]
    body = SetAbsenceCommand(user_id=user_id, on_leave=on_leave, move_open_work_to=absence.get("move_open_work_to"),
                             ends_at=absence.get("ends_at") if on_leave else None)
    stamp = (absence.get("starts_at") if on_leave else absence.get("ends_at")) or now
    command = InboxCommand(id=f"absence:{user_id}:{'start' if on_leave else 'end'}:{stamp.isoformat()}", actor=Actor(
        user_id="system", name="Civic Inbox", role=StaffRole.SYSTEM), issued_at=now, body=body)
    from responder.service import commands  # commands imports this module for its handler table

    await commands.execute(r, command)
    await store_of(r).set_absence(user_id, {"started": True} if on_leave else {"ends_at": None, "on_leave": False})


