"""Carrying out one staff command: once per id, only if the person may, on the revision it was decided
on (decided again if the conversation moved on meanwhile), with an audit entry either way."""

from collections.abc import Awaitable, Callable

from civic_contracts import ConversationEventType, InboxCommand, Phrase
from civic_contracts.records import PERSONAL_FIELDS, RECORDS_ACTIONS

from responder.adapters.mongo import Conflict
from responder.adapters.mongo_ledger import audit_entry
from responder.domain.states import refusal
from responder.service import assignment, conversation, freeze, handover, leave, moderation, replies
from responder.service.context import Outcome, Responder, refused
from responder.service.records import commands as records

Handler = Callable[[Responder, InboxCommand, dict | None], Awaitable[Outcome]]
HANDLERS: dict[str, Handler] = {
    "reply": replies.request,
    "approve_reply": replies.approve,
    "reject_reply": replies.reject,
    "handover": handover.handover,
    "assign": assignment.assign,
    "claim": assignment.claim,
    "release": assignment.release,
    "reroute": conversation.reroute,
    "hide_comment": moderation.hide_comment,
    "ban_author": moderation.ban_author,
    "note": conversation.note,
    "resolve": conversation.resolve,
    "close": conversation.close,
    "replying": conversation.replying,
    "set_absence": leave.set_absence,  # absences with a start and an end (leave.py), then assignment.set_absence
    "freeze": freeze.freeze,
    "unfreeze": freeze.unfreeze,
    **records.HANDLERS,
}
STAFF_WIDE = ("set_absence", "freeze", "unfreeze", *RECORDS_ACTIONS)
ATTEMPTS = 8


async def execute(r: Responder, command: InboxCommand) -> Outcome | None:
    """Carry out `command`; None when it was already carried out (or is for another organisation's account)."""
    if not r.serves(command.conversation_key):
        return None
    async with r.lock(command.kafka_key().decode()):
        return await _execute(r, command)


async def _execute(r: Responder, command: InboxCommand) -> Outcome | None:
    earlier = await r.ledger.begin(command, r.now())
    if earlier is not None and earlier.get("status") in ("done", "rejected"):
        return None
    action = command.body.action
    outcome, conversation = None, None
    for _ in range(ATTEMPTS):
        outcome, conversation = await _decide(r, command, action)
        if outcome is not None:
            break
    if outcome is None:
        raise Conflict(f"{command.conversation_key} kept changing while {action} was decided")
    await r.ledger.append(audit_entry(
        entry_id=command.id, at=r.now(), actor=command.actor.model_dump(mode="json"), action=action,
        conversation_key=command.conversation_key,
        account_id=outcome.account_id or (conversation or {}).get("account_id"),
        outcome="done" if outcome.ok else "rejected", reason=outcome.reason, before=outcome.before, after=outcome.after,
        command_id=command.id, details={"request": command.body.model_dump(mode="json", exclude=set(PERSONAL_FIELDS)),
                                        "result": outcome.result},
    ))
    if not outcome.ok:
        await r.emit(event_id=f"{command.id}:refused", type=ConversationEventType.COMMAND_REJECTED,
                     summary=Phrase.of("%(action)s refused: %(reason)s", action=action,
                                       reason=outcome.reason_phrase or outcome.reason),
                     conversation_key=command.conversation_key,
                     conversation=conversation, actor_id=command.actor.user_id, command_id=command.id,
                     data={"action": action, "reason": outcome.reason})
    await r.ledger.finish(command.id, ok=outcome.ok, reason=outcome.reason, result=outcome.result, now=r.now())
    return outcome


async def _decide(r: Responder, command: InboxCommand, action: str) -> tuple[Outcome | None, dict | None]:
    conversation = None
    if action not in STAFF_WIDE:
        if command.conversation_key is None:
            return refused(Phrase.of("%(action)s needs a conversation", action=action)), None
        conversation = await r.conversations.get(command.conversation_key)
        if conversation is None:
            return refused("no such conversation"), None
        resuming = conversation.get("handover_id") == command.id  # its own handover, interrupted half-way
        if not resuming and (why := refusal(command.actor, action, conversation)) is not None:
            return refused(why), conversation
    try:
        return await HANDLERS[action](r, command, conversation), conversation
    except Conflict:
        return None, conversation
