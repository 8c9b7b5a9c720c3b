"""Conversation actions: private notes, resolve, close, re-route (recorded, and sent back to triage as a
correction), and the "is writing a reply" marker of the collision guard."""

from civic_contracts import ConversationEventType, InboxCommand, Phrase
from civic_contracts.commands import CloseCommand, NoteCommand, ReplyingCommand, RerouteCommand, ResolveCommand
from civic_contracts.correction import TriageCorrection

from responder.domain import sla
from responder.domain.states import CLOSED, NEW, RESOLVED, UNTOUCHED, URGENCY_RANK
from responder.service.context import Outcome, Responder, changes, refused
from responder.service.intake import raise_duty_alert

E = ConversationEventType


async def note(r: Responder, command: InboxCommand, conversation: dict) -> Outcome:
    body: NoteCommand = command.body
    await r.conversations.add_note({
        "_id": command.id, "conversation_key": conversation["_id"], "text": body.text, "at": r.now(),
        "by": command.actor.model_dump(include={"user_id", "name"}),
    })
    await r.emit(event_id=f"{command.id}:note", type=E.NOTE_ADDED, summary=Phrase.of("%(actor)s added a note", actor=command.actor.name),
                 conversation_key=conversation["_id"], conversation=conversation, actor_id=command.actor.user_id,
                 command_id=command.id, data={"note_id": command.id})
    return Outcome(summary="note added", result={"note_id": command.id})


async def _finish(r: Responder, command: InboxCommand, conversation: dict, status: str, note: str | None,
                  reason: str | None = None) -> Outcome:
    now = r.now()
    fields: dict = {"status": status, f"{status}_at": now, "replying": None}
    if status == CLOSED and (reason or conversation.get("closed_reason")):
        fields["closed_reason"] = reason
    if (conversation.get("sla") or {}).get("resolution") and not conversation["sla"]["resolution"].get("met_at"):
        fields["sla.resolution.met_at"] = now
    after = await r.conversations.change(conversation, set_=fields)
    if note:
        await r.conversations.add_note({"_id": command.id, "conversation_key": conversation["_id"], "text": note,
                                        "at": now, "by": command.actor.model_dump(include={"user_id", "name"})})
    data = {"from": conversation.get("status"), "to": status}
    summary = Phrase.of("%(actor)s: %(status)s", actor=command.actor.name, status=status)
    if reason:
        data["reason"] = reason
        summary = Phrase.of("%(actor)s: %(status)s, %(close_reason)s", actor=command.actor.name, status=status,
                            close_reason=reason)
        if conversation.get("not_a_request"):
            data["not_a_request"] = conversation["not_a_request"]
            summary = Phrase.of("%(actor)s: %(status)s, %(close_reason)s (not a request: %(not_a_request)s)",
                                actor=command.actor.name, status=status, close_reason=reason,
                                not_a_request=conversation["not_a_request"])
    await r.emit(event_id=f"{command.id}:{status}", type=E.STATUS_CHANGED, summary=summary,
                 conversation_key=conversation["_id"], conversation=after, actor_id=command.actor.user_id,
                 command_id=command.id, data=data)
    before, after_fields = changes(conversation, after)
    return Outcome(summary=status, before=before, after=after_fields)


async def resolve(r: Responder, command: InboxCommand, conversation: dict) -> Outcome:
    body: ResolveCommand = command.body
    return await _finish(r, command, conversation, RESOLVED, body.note)


async def close(r: Responder, command: InboxCommand, conversation: dict) -> Outcome:
    body: CloseCommand = command.body
    return await _finish(r, command, conversation, CLOSED, body.note, body.reason.value if body.reason else None)


async def replying(r: Responder, command: InboxCommand, conversation: dict) -> Outcome:
    body: ReplyingCommand = command.body
    actor = command.actor
    mine = (conversation.get("replying") or {}).get("user_id") == actor.user_id
    if body.active:
        after = await r.conversations.change(conversation, set_={
            "replying": {"user_id": actor.user_id, "name": actor.name, "since": r.now()}})
    elif mine:
        after = await r.conversations.change(conversation, set_={"replying": None})
    else:
        return Outcome(summary="not writing")
    await r.emit(event_id=f"{command.id}:replying", type=E.REPLYING,
                 summary=Phrase.of("%(actor)s is writing a reply" if body.active else "%(actor)s stopped writing",
                                   actor=actor.name),
                 conversation_key=conversation["_id"], conversation=after, actor_id=actor.user_id, command_id=command.id,
                 data={"active": body.active, "user_id": actor.user_id})
    return Outcome(summary="writing a reply" if body.active else "stopped writing")


async def reroute(r: Responder, command: InboxCommand, conversation: dict) -> Outcome:
    body: RerouteCommand = command.body
    actor, now = command.actor, r.now()
    if body.department == conversation.get("department") and body.urgency in (None, conversation.get("urgency")):
        return refused("the conversation is already routed so")
    urgency = body.urgency.value if body.urgency else conversation.get("urgency") or "normal"
    fields: dict = {"department": body.department, "urgency": urgency, "urgency_rank": URGENCY_RANK[urgency],
                    "needs_review": False, "rerouted": True,
                    "rerouted_by": actor.model_dump(include={"user_id", "name"}), "rerouted_at": now}
    if conversation.get("not_a_request"):  # a person routed it somewhere: it is work from now
        fields.update(not_a_request=None, intent="request", work_since=now)
    if body.department != conversation.get("department"):
        fields.update(assignee=None, assignee_name=None)
        if conversation.get("status") in (*UNTOUCHED, "assigned"):
            fields["status"] = NEW
    current = conversation.get("sla") or {}
    start = (current.get("start") or fields.get("work_since") or conversation.get("work_since")
             or conversation.get("first_message_at"))
    if start is not None:
        fields["sla"] = sla.plan(policy=r.policy, calendar=r.calendar, start=start, department=body.department,
                                 urgency=urgency, current=current)
    after = await r.conversations.change(conversation, set_=fields)
    await r.emit(event_id=f"{command.id}:rerouted", type=E.REROUTED, conversation_key=conversation["_id"],
                 summary=Phrase.of("%(actor)s re-routed to %(department)s", actor=actor.name, department=body.department), conversation=after, actor_id=actor.user_id,
                 command_id=command.id, data={"from": conversation.get("department"), "to": body.department,
                                              "urgency": urgency, "reason": body.reason})
    await _correct_triage(r, command, conversation, urgency)
    if urgency == "critical":
        await raise_duty_alert(r, after, reason="rerouted_critical")
    before, after_fields = changes(conversation, after)
    return Outcome(summary=f"re-routed to {body.department}", before=before, after=after_fields)


async def _correct_triage(r: Responder, command: InboxCommand, conversation: dict, urgency: str) -> None:
    """Send the correction back to triage, for the newest triaged message of the conversation."""
    last = await r.conversations.last_inbound(conversation["_id"])
    triage = (last or {}).get("triage")
    if not last or not triage:
        return
    body: RerouteCommand = command.body
    await r.publisher.correction(TriageCorrection(
        message_id=last["_id"], conversation_key=conversation["_id"], text=last.get("text", ""),
        previous_department=triage["department"], previous_urgency=triage["urgency"],
        corrected_department=body.department, corrected_urgency=urgency, corrected_by=command.actor.user_id,
        corrected_at=r.now(), reason=body.reason, classifier_version=triage.get("classifier_version"),
    ))
