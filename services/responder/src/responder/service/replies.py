"""Replies: requested → checks → (approval) → outbound → sent / failed / waiting, each step an event.

One reply request never yields two sends: the reply's id is the command's id, the reply document is
created once (unique `_id`), and only the delivery that wins the dispatch claim publishes the
`OutboundCommand` (whose id is the reply id, so a connector can dedupe as well)."""

from civic_contracts import Actor, ConversationEventType, InboxCommand, Phrase
from civic_contracts.commands import ApproveReplyCommand, RejectReplyCommand, ReplyCommand
from civic_contracts.conversation import DELIVERY_FROM
from civic_contracts.outbound import ReplyStatus
from civic_contracts.permissions import writing_now

from responder.domain.approval import approval_reasons, may_approve
from responder.domain.canned import CannedError, render
from responder.domain.checks import check_reply
from responder.domain.delivery import DeliveryError, reply_delivery
from responder.domain.states import FINISHED, HANDED_OVER, REPLIED, WAITING_ON_CITIZEN
from responder.service import handover
from responder.service.context import Outcome, Responder, changes, refused
from responder.service.sending import dispatch, outbound_command, placeholder_values, reply_document

E = ConversationEventType
STATUS_EVENTS = {"sent": E.REPLY_SENT, "failed": E.REPLY_FAILED, "waiting": E.REPLY_WAITING}


def compose(r: Responder, conversation: dict, actor: Actor, body: ReplyCommand) -> tuple[str, str | None]:
    """(text, language) of the reply: free text, or a canned response in the conversation's language."""
    if body.canned_id is None:
        if not body.text or not body.text.strip():
            raise CannedError("a reply needs text or a canned response")
        return body.text.strip(), body.language
    canned = r.policy.canned(body.canned_id)
    if canned is None:
        raise CannedError(f"no canned response {body.canned_id!r}")
    language = body.language or conversation.get("language") or "en"
    if language not in canned.text:
        language = "en"
    return render(canned, language, placeholder_values(r, conversation, actor, body.placeholders)), language


async def request(r: Responder, command: InboxCommand, conversation: dict) -> Outcome:
    body: ReplyCommand = command.body
    actor, now = command.actor, r.now()
    existing = await r.replies.get(command.id)
    if existing is not None:  # delivered again: carry on from where it stands
        await dispatch(r, existing)
        return Outcome(ok=existing["status"] not in ("blocked", "collision"), reason=None,
                       summary=f"reply {existing['status']}", result={"reply_id": command.id})
    if not body.override_collision:
        other = writing_now(conversation.get("replying"), actor.user_id, now, r.replying_seconds)
        earlier = [i for i in conversation.get("reply_ids", []) if i != command.id]
        if other is not None:
            return refused(Phrase.of("collision: %(name)s is writing a reply", name=other.get("name") or other["user_id"]),
                           reply_id=command.id)
        if body.seen_reply_count is not None and len(earlier) > body.seen_reply_count:
            return refused("collision: another reply was requested after you opened the conversation", reply_id=command.id)
    try:
        delivery = reply_delivery(conversation, await r.conversations.last_inbound(conversation["_id"]),
                                  private=body.private, account_id=body.account_id)
        text, language = compose(r, conversation, actor, body)
    except (DeliveryError, CannedError) as exc:
        return refused(str(exc), reply_id=command.id)
    findings = check_reply(text, public=delivery.public, conversation_language=conversation.get("language"),
                           account_id=delivery.account_id, actor_accounts=actor.accounts, rules=r.policy.checks)
    reasons = [] if findings else approval_reasons(
        rules=r.policy.approval, actor=actor, public=delivery.public,
        abusive_thread=conversation.get("abuse") not in (None, "none"), at=now, calendar=r.calendar,
        account_id=delivery.account_id,
    )
    status = "blocked" if findings else "awaiting_approval" if reasons else "approved"
    after = conversation
    if status != "blocked":
        ids = sorted({*conversation.get("reply_ids", []), command.id})
        replying = conversation.get("replying") or {}
        after = await r.conversations.change(
            conversation, set_={"reply_ids": ids, "reply_count": len(ids), "last_reply_requested_at": now},
            unset=["replying"] if replying.get("user_id") == actor.user_id else None,
        )
    reply, _ = await r.replies.create(reply_document(
        reply_id=command.id, conversation=conversation, delivery=delivery, text=text, language=language,
        requested_by=actor.model_dump(mode="json", include={"user_id", "name", "role"}), at=now, purpose="reply",
        status=status, await_citizen=body.await_citizen, checks=[f.__dict__ for f in findings],
        approval={"required": bool(reasons), "reasons": reasons},
    ))
    common = {"conversation_key": conversation["_id"], "conversation": after, "actor_id": actor.user_id,
              "command_id": command.id}
    await r.emit(event_id=f"{command.id}:requested", type=E.REPLY_REQUESTED, summary=Phrase.of("%(actor)s wrote a reply", actor=actor.name),
                 data={"reply_id": command.id, "public": delivery.public}, **common)
    before, after_fields = changes(conversation, after)
    if findings:
        detail = "; ".join(f.detail for f in findings)
        await r.emit(event_id=f"{command.id}:blocked", type=E.REPLY_BLOCKED, summary=Phrase.of("reply held back by checks"),
                     data={"reply_id": command.id, "checks": detail}, **common)
        return Outcome(ok=False, reason=f"checks failed: {detail}", summary="reply blocked by checks",
                       account_id=delivery.account_id, result={"reply_id": command.id, "checks": [f.__dict__ for f in findings]})
    if reasons:
        await r.emit(event_id=f"{command.id}:awaiting", type=E.REPLY_AWAITING_APPROVAL, summary=Phrase.of("reply waits for approval"),
                     data={"reply_id": command.id, "reasons": "; ".join(reasons)}, **common)
    else:
        await dispatch(r, reply)
    return Outcome(summary=f"reply {status.replace('_', ' ')}", account_id=delivery.account_id, before=before,
                   after=after_fields, result={"reply_id": command.id, "status": status, "approval_reasons": reasons})


async def _reply_to_decide(r: Responder, command: InboxCommand, conversation: dict, reply_id: str) -> tuple[dict | None, Outcome | None]:
    """The reply a supervisor approves or rejects, or the refusal: not on this conversation, or not theirs to decide."""
    reply = await r.replies.get(reply_id)
    if reply is None or reply["conversation_key"] != conversation["_id"]:
        return None, refused("no such reply on this conversation")
    if (why := may_approve(command.actor, reply["requested_by"]["user_id"])) is not None:
        return None, refused(why)
    return reply, None


async def approve(r: Responder, command: InboxCommand, conversation: dict) -> Outcome:
    body: ApproveReplyCommand = command.body
    reply, refusal = await _reply_to_decide(r, command, conversation, body.reply_id)
    if refusal is not None:
        return refusal
    now = r.now()
    moved = await r.replies.transition(
        reply["_id"], from_=("awaiting_approval",), to="approved", at=now, by=command.actor.user_id, detail=body.comment,
        fields={"approval.by": command.actor.user_id, "approval.at": now, "approval.comment": body.comment},
    )
    if not moved:  # a redelivered command finds its own approval done; anything else is refused
        reply = await r.replies.get(reply["_id"])
        if (reply.get("approval") or {}).get("by") != command.actor.user_id:
            return refused(Phrase.of("the reply is %(reply_status)s, not waiting for approval", reply_status=reply["status"]))
    await r.emit(event_id=f"{command.id}:approved", type=E.REPLY_APPROVED, summary=Phrase.of("%(actor)s approved a reply", actor=command.actor.name),
                 conversation_key=conversation["_id"], conversation=conversation, actor_id=command.actor.user_id,
                 command_id=command.id, data={"reply_id": reply["_id"]})
    await dispatch(r, reply)  # reads the reply afresh
    return Outcome(summary="reply approved", account_id=reply["account_id"],
                   before={"reply_status": "awaiting_approval"}, after={"reply_status": "approved"},
                   result={"reply_id": reply["_id"]})


async def reject(r: Responder, command: InboxCommand, conversation: dict) -> Outcome:
    body: RejectReplyCommand = command.body
    reply, refusal = await _reply_to_decide(r, command, conversation, body.reply_id)
    if refusal is not None:
        return refusal
    now = r.now()
    moved = await r.replies.transition(
        reply["_id"], from_=("awaiting_approval",), to="rejected", at=now, by=command.actor.user_id, detail=body.reason,
        fields={"approval.rejected_by": command.actor.user_id, "approval.at": now, "approval.comment": body.reason},
    )
    if not moved and (reply.get("approval") or {}).get("rejected_by") != command.actor.user_id:
        return refused(Phrase.of("the reply is %(reply_status)s, not waiting for approval", reply_status=reply["status"]))
    await r.emit(event_id=f"{command.id}:rejected", type=E.REPLY_REJECTED, summary=Phrase.of("%(actor)s rejected a reply", actor=command.actor.name),
                 conversation_key=conversation["_id"], conversation=conversation, actor_id=command.actor.user_id,
                 command_id=command.id, data={"reply_id": reply["_id"], "reason": body.reason})
    return Outcome(summary="reply rejected", account_id=reply["account_id"],
                   before={"reply_status": "awaiting_approval"}, after={"reply_status": "rejected"},
                   result={"reply_id": reply["_id"]})


async def republish(r: Responder, reply: dict) -> None:
    """A claim whose publish never completed (the process stopped in between): publish again, same id."""
    await r.publisher.outbound(outbound_command(reply))
    await r.replies.mark_dispatched(reply["_id"], r.now())


async def on_status(r: Responder, status: ReplyStatus) -> None:
    """A connector's answer for one outbound command."""
    if not r.serves(status.conversation_key):
        return
    async with r.lock(status.conversation_key):
        await _on_status(r, status)


async def _on_status(r: Responder, status: ReplyStatus) -> None:
    reply = await r.replies.get(status.command_id)
    if reply is None:
        return  # not one of ours (another deployment on the same broker)
    to = status.status.value
    moved = await r.replies.transition(
        reply["_id"], from_=DELIVERY_FROM, to=to, at=status.at, by=None, detail=status.error_message,
        fields={"platform_message_id": status.platform_message_id, "error_code": status.error_code,
                "error_message": status.error_message, "retry_at": status.retry_at},
    )
    if not moved:
        return  # a repeat, or news older than what we know (a sent reply stays sent)
    conversation = await r.conversations.get(reply["conversation_key"]) or {"_id": reply["conversation_key"]}
    if to == "sent":
        conversation = await _after_sent(r, reply, conversation, status)
    await r.emit(event_id=f"{reply['_id']}:{to}:{status.at.isoformat()}", type=STATUS_EVENTS[to],
                 summary=Phrase.of("%(purpose)s %(reply_status)s", purpose=reply["purpose"], reply_status=to), conversation_key=reply["conversation_key"],
                 conversation=conversation, data={"reply_id": reply["_id"], "error": status.error_message})
    await r.audit_system(
        entry_id=f"{reply['_id']}:status:{to}:{status.at.isoformat()}", action=f"outbound_{to}",
        conversation=conversation, conversation_key=reply["conversation_key"], account_id=reply["account_id"],
        details={"reply_id": reply["_id"], "purpose": reply["purpose"], "platform_message_id": status.platform_message_id,
                 "error": status.error_message},
    )


async def _after_sent(r: Responder, reply: dict, conversation: dict, status: ReplyStatus) -> dict:
    if reply["purpose"] not in ("reply", "holding", "private_opening"):
        return conversation  # a moderation action: nothing was said to the citizen
    fields: dict = {"last_reply_at": status.at, "answered_at": status.at}
    if reply["purpose"] in ("reply", "holding"):  # a holding reply is a first response too
        if (conversation.get("sla") or {}).get("first_response") and not conversation["sla"]["first_response"].get("met_at"):
            fields["sla.first_response.met_at"] = status.at
    if reply["purpose"] == "reply":
        if conversation.get("status") not in (*FINISHED, HANDED_OVER):
            fields["status"] = WAITING_ON_CITIZEN if reply.get("await_citizen") else REPLIED
        await handover.on_private_answer(r, conversation, reply)
    if "status" in conversation:
        await r.conversations.set_fields(reply["conversation_key"], fields)
    return await r.conversations.get(reply["conversation_key"]) or conversation
