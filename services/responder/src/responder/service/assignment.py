"""Assignment: department queues, automatic assignment (round robin, least loaded, within capacity), claim
and release, and absence (nothing new while on leave; open work moved in the same action)."""

from civic_contracts import ConversationEventType, InboxCommand, Phrase
from civic_contracts.commands import AssignCommand, SetAbsenceCommand

from responder.domain.assignment import ASSIGNABLE_ROLES, Candidate, eligible, in_queue, least_loaded, round_robin
from responder.domain.states import ASSIGNED, PRIVILEGED, UNTOUCHED, status_when_unassigned
from responder.service.context import Outcome, Responder, changes, refused

E = ConversationEventType


async def candidates(r: Responder, department: str | None) -> list[Candidate]:
    users, away = await r.staff_now()
    # Open conversations per person: kept counters read by `_id`, not a count over the conversations.
    loads = await r.conversations.counters.loads([u["_id"] for u in users if u.get("role") in ASSIGNABLE_ROLES])
    return [
        Candidate(user_id=u["_id"], capacity=int(u.get("capacity") or r.policy.assignment.default_capacity),
                  load=loads.get(u["_id"], 0), languages=tuple(u.get("languages") or ["en"]))
        for u in users
        if u.get("role") in ASSIGNABLE_ROLES and u["_id"] not in away and in_queue(u, department)
    ]


async def pick(r: Responder, conversation: dict, *, strategy: str) -> Candidate | None:
    department = conversation.get("department")
    pool = eligible(await candidates(r, department), language=conversation.get("language"))
    if strategy == "round_robin":
        return round_robin(pool, await r.cases.next_number(f"round_robin:{department}")) if pool else None
    return least_loaded(pool)


def assignment_fields(conversation: dict, user_id: str, name: str | None, now) -> dict:
    fields = {"assignee": user_id, "assignee_name": name or user_id, "assigned_at": now}
    if conversation.get("status") in UNTOUCHED:
        fields["status"] = ASSIGNED
    return fields


async def _assign_to(r: Responder, command: InboxCommand, conversation: dict, user_id: str, name: str | None) -> Outcome:
    after = conversation
    if conversation.get("assignee") != user_id:
        after = await r.conversations.change(conversation, set_=assignment_fields(conversation, user_id, name, r.now()))
    await r.emit(event_id=f"{command.id}:assigned", type=E.ASSIGNED, summary=Phrase.of("assigned to %(name)s", name=name or user_id),
                 conversation_key=conversation["_id"], conversation=after, actor_id=command.actor.user_id,
                 command_id=command.id, data={"assignee": user_id})
    before, after_fields = changes(conversation, after)
    return Outcome(summary=f"assigned to {name or user_id}", before=before, after=after_fields, result={"assignee": user_id})


async def assign(r: Responder, command: InboxCommand, conversation: dict) -> Outcome:
    body: AssignCommand = command.body
    actor = command.actor
    privileged = actor.role.value in PRIVILEGED
    if body.assignee is None:
        if not privileged:
            return refused("automatic assignment is started by a supervisor")
        strategy = r.policy.strategy(conversation.get("department"))
        chosen = await pick(r, conversation, strategy="least_loaded" if strategy == "manual" else strategy)
        if chosen is None:
            return refused("nobody in the department's queue has room (or everyone is on leave)")
        user = await r.staff.user(chosen.user_id) or {}
        return await _assign_to(r, command, conversation, chosen.user_id, user.get("name"))
    if body.assignee != actor.user_id and not privileged:
        return refused("only a supervisor assigns conversations to other people")
    user = await r.staff.user(body.assignee)
    if user is None or user.get("active") is False:
        return refused(Phrase.of("no active staff account %(user)s", user=repr(body.assignee)))
    if (await r.staff.absence(body.assignee) or {}).get("on_leave"):
        return refused(Phrase.of("%(name)s is on leave", name=user.get("name") or body.assignee))
    if user.get("role") == "department_staff" and not in_queue(user, conversation.get("department")):
        return refused(Phrase.of("%(name)s does not work this department's queue", name=user.get("name") or body.assignee))
    return await _assign_to(r, command, conversation, body.assignee, user.get("name"))


async def claim(r: Responder, command: InboxCommand, conversation: dict) -> Outcome:
    actor = command.actor
    current = conversation.get("assignee")
    if current not in (None, actor.user_id):
        return refused(Phrase.of("already assigned to %(name)s; ask a supervisor to move it",
                                     name=conversation.get("assignee_name") or current))
    if (await r.staff.absence(actor.user_id) or {}).get("on_leave"):
        return refused("you are marked as on leave")
    return await _assign_to(r, command, conversation, actor.user_id, actor.name)


async def release(r: Responder, command: InboxCommand, conversation: dict) -> Outcome:
    actor = command.actor
    current = conversation.get("assignee")
    if current is None:
        return Outcome(summary="not assigned")
    if current != actor.user_id and actor.role.value not in PRIVILEGED:
        return refused("only the assignee or a supervisor can release it")
    after = await r.conversations.change(conversation, set_=unassigned_fields(conversation))
    await r.emit(event_id=f"{command.id}:unassigned", type=E.UNASSIGNED, summary=Phrase.of("back in the department queue"),
                 conversation_key=conversation["_id"], conversation=after, actor_id=actor.user_id, command_id=command.id)
    before, after_fields = changes(conversation, after)
    return Outcome(summary="released to the queue", before=before, after=after_fields)


def unassigned_fields(conversation: dict) -> dict:
    fields: dict = {"assignee": None, "assignee_name": None}
    if conversation.get("status") == ASSIGNED:
        fields["status"] = status_when_unassigned(conversation)
    return fields


async def auto_assign(r: Responder, conversation: dict, *, cause: str) -> dict | None:
    """Assign an untouched, routable conversation by its department's policy; returns it when assigned."""
    strategy = r.policy.strategy(conversation.get("department"))
    if (strategy == "manual" or conversation.get("assignee") or conversation.get("routing_blocked")
            or conversation.get("status") not in UNTOUCHED or conversation.get("needs_review")
            or conversation.get("not_a_request")):
        return None
    chosen = await pick(r, conversation, strategy=strategy)
    if chosen is None:
        return None
    user = await r.staff.user(chosen.user_id) or {}
    fields = assignment_fields(conversation, chosen.user_id, user.get("name"), r.now())
    after = await r.conversations.update_fields(conversation["_id"], fields,
                                                only_if={"rev": conversation.get("rev"), "assignee": None})
    if after is None:
        return None
    event_id = f"{conversation['_id']}:auto:{conversation.get('rev')}"
    await r.emit(event_id=event_id, type=E.ASSIGNED, summary=Phrase.of("assigned to %(name)s (%(strategy)s)", name=user.get("name") or chosen.user_id,
                                                                    strategy=strategy),
                 conversation_key=conversation["_id"], conversation=after, data={"assignee": chosen.user_id, "strategy": strategy})
    before, after_fields = changes(conversation, after)
    await r.audit_system(entry_id=event_id, action="auto_assign", conversation=after, conversation_key=conversation["_id"],
                         before=before, after=after_fields, details={"strategy": strategy, "cause": cause})
    return after


async def set_absence(r: Responder, command: InboxCommand, _conversation: None) -> Outcome:
    body: SetAbsenceCommand = command.body
    actor = command.actor
    privileged = actor.role.value in PRIVILEGED
    if body.user_id != actor.user_id and not privileged:
        return refused("only a supervisor records someone else's absence")
    if body.move_open_work_to not in (None, "queue") and not privileged:
        return refused("only a supervisor moves open work to another person")
    if await r.staff.user(body.user_id) is None:
        return refused(Phrase.of("no staff account %(user)s", user=repr(body.user_id)))
    target = None
    if body.move_open_work_to not in (None, "queue"):
        target = await r.staff.user(body.move_open_work_to)
        if target is None or (await r.staff.absence(target["_id"]) or {}).get("on_leave"):
            return refused(Phrase.of("cannot move work to %(user)s (unknown or on leave)", user=repr(body.move_open_work_to)))
    before = await r.staff.absence(body.user_id) or {}
    await r.staff.set_absence(body.user_id, on_leave=body.on_leave, until=body.until, by=actor.user_id, at=r.now())
    moved = []
    if body.move_open_work_to is not None:
        for found in await r.staff.open_work(body.user_id):
            async with r.lock(found["_id"]):  # inside the staff-wide lock, never the other way round
                conversation = await r.conversations.get(found["_id"]) or found
                fields = (unassigned_fields(conversation) if target is None
                          else assignment_fields(conversation, target["_id"], target.get("name"), r.now()))
                await r.conversations.set_fields(conversation["_id"], fields)
            moved.append(conversation["_id"])
            await r.emit(event_id=f"{command.id}:moved:{conversation['_id']}",
                         type=E.ASSIGNED if target else E.UNASSIGNED, conversation_key=conversation["_id"],
                         summary=Phrase.of("moved from %(user)s (on leave)" if body.on_leave else
                                                   "moved from %(user)s (reassigned)", user=body.user_id),
                         conversation=await r.conversations.get(conversation["_id"]), actor_id=actor.user_id,
                         command_id=command.id, data={"from": body.user_id, "to": target and target["_id"]})
    await r.emit(event_id=f"{command.id}:absence", type=E.ABSENCE_CHANGED, conversation_key=None,
                 summary=Phrase.of("%(user)s on leave" if body.on_leave else "%(user)s back", user=body.user_id),
                 actor_id=actor.user_id,
                 command_id=command.id, data={"user_id": body.user_id, "on_leave": body.on_leave, "moved": len(moved)})
    return Outcome(summary=f"{body.user_id} {'on leave' if body.on_leave else 'available'}; {len(moved)} moved",
                   before={"on_leave": before.get("on_leave", False)}, after={"on_leave": body.on_leave},
                   result={"moved": moved})
