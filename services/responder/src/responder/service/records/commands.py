"""Records management as staff commands (from the inbox API): administrators only; each carried out by the
same functions as `civic-inbox records`, with its result (export id, counts, hold id) on the command."""

from civic_contracts import ConversationEvent, ConversationEventType, InboxCommand, Phrase
from civic_contracts.commands import StaffRole

from responder.service.context import Outcome, Responder, refused
from responder.service.records import erasure, foi, holds, retention, subject


def _actor(command: InboxCommand) -> dict:
    return command.actor.model_dump(mode="json")


async def _admin_only(r: Responder, command: InboxCommand) -> Outcome | None:
    if command.actor.role != StaffRole.ADMIN:
        return refused("records management is for administrators")
    if r.records is None:
        return refused("records management is not configured")
    return None


async def hold(r: Responder, command: InboxCommand, conversation: dict | None) -> Outcome:
    if (no := await _admin_only(r, command)) is not None:
        return no
    body = command.body
    try:
        placed = await holds.place(r.records, reason=body.reason, actor=_actor(command), now=r.now(),
                                   conversation_key=body.conversation_key, person=body.person, since=body.since,
                                   until=body.until)
    except holds.HoldError as exc:
        return refused(str(exc))
    return Outcome(summary=f"legal hold {placed.id} placed", result={"hold_id": placed.id})


async def release_hold(r: Responder, command: InboxCommand, conversation: dict | None) -> Outcome:
    if (no := await _admin_only(r, command)) is not None:
        return no
    try:
        await holds.release(r.records, command.body.hold_id, reason=command.body.reason, actor=_actor(command), now=r.now())
    except holds.HoldError as exc:
        return refused(str(exc))
    return Outcome(summary=f"legal hold {command.body.hold_id} released", result={"hold_id": command.body.hold_id})


async def subject_access(r: Responder, command: InboxCommand, conversation: dict | None) -> Outcome:
    if (no := await _admin_only(r, command)) is not None:
        return no
    found = await subject.subject_access(r.records, command.body.person, now=r.now(), actor=_actor(command),
                                         request=command.body.request)
    return Outcome(summary="subject access bundle made", result={"export_id": found["_id"], **found["summary"]})


async def erase(r: Responder, command: InboxCommand, conversation: dict | None) -> Outcome:
    if (no := await _admin_only(r, command)) is not None:
        return no
    body = command.body
    try:
        done = await erasure.erase(r.records, body.person, reason=body.reason, request=body.request, now=r.now(),
                                   actor=_actor(command), announce=r.publisher.erased)
    except erasure.ErasureRefused as exc:
        return refused(str(exc))
    await _tell_live_views(r, command, done["renamed"])
    return Outcome(summary="person erased", result={"counts": done["counts"], "conversations": done["conversations"]})


async def _tell_live_views(r: Responder, command: InboxCommand, renamed: dict[str, str]) -> None:
    """Open inbox pages and the inbox's in-memory list drop the old key and read the erased conversation
    again. The old key's event is published but not kept on any timeline (the key names the person)."""
    for old, new in renamed.items():
        if new != old:
            await r.publisher.event(ConversationEvent(
                id=f"{command.id}:erased:{new}:gone", conversation_key=old, type=ConversationEventType.ERASED,
                at=r.now(), actor_id=command.actor.user_id, command_id=command.id, summary="personal data erased",
                phrase=Phrase.of("personal data erased")))
        await r.emit(event_id=f"{command.id}:erased:{new}", type=ConversationEventType.ERASED,
                     summary=Phrase.of("personal data erased under request %(request)s", request=command.body.request), conversation_key=new,
                     conversation=await r.conversations.get(new), actor_id=command.actor.user_id,
                     command_id=command.id)


async def foi_export(r: Responder, command: InboxCommand, conversation: dict | None) -> Outcome:
    if (no := await _admin_only(r, command)) is not None:
        return no
    body = command.body
    if body.since >= body.until:
        return refused("the period ends before it starts")
    found = await foi.foi_export(r.records, since=body.since, until=body.until, now=r.now(), actor=_actor(command),
                                 request=body.request, account=body.account, department=body.department)
    return Outcome(summary="FOI bundle made", result={"export_id": found["_id"], **found["summary"]})


async def run_retention(r: Responder, command: InboxCommand, conversation: dict | None) -> Outcome:
    if (no := await _admin_only(r, command)) is not None:
        return no
    run = await retention.run(r.records, r.policy.records, now=r.now(), dry_run=command.body.dry_run,
                              actor=_actor(command), announce=r.publisher.retention)
    return Outcome(summary="retention applied", result={"run_id": run["_id"], **run.get("due", run.get("done", {}))})


HANDLERS = {"records_hold": hold, "records_release_hold": release_hold, "subject_access": subject_access,
            "erase_person": erase, "foi_export": foi_export, "retention_run": run_retention}
