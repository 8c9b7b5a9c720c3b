"""Sending what responder says on a platform, shared by replies, handovers and moderation: the reply
document, the placeholders of canned texts, and the one dispatch of an approved reply as an
`OutboundCommand` (only the delivery that wins the dispatch claim publishes it)."""

from civic_contracts import Actor, ConversationEventType, Phrase
from civic_contracts.outbound import OutboundCommand

from responder.domain.delivery import Delivery
from responder.service.context import Responder

E = ConversationEventType


def placeholder_values(r: Responder, conversation: dict, actor: Actor, extra: dict[str, str]) -> dict[str, str | None]:
    author = conversation.get("author") or {}
    name = (author.get("name") or author.get("handle") or "").split(" ")[0] or "there"
    department = (conversation.get("department") or "").replace("_", " ")
    return {
        "name": name, "agent": actor.name, "organisation": r.policy.organisation, "phone": r.policy.phone,
        "department": department or None, "case_reference": conversation.get("case_reference"), **extra,
    }


def reply_document(*, reply_id: str, conversation: dict, delivery: Delivery, text: str, language: str | None,
                   requested_by: dict, at, purpose: str, status: str, **extra) -> dict:
    return {
        "_id": reply_id, "conversation_key": conversation["_id"], "purpose": purpose, "status": status,
        "text": text, "language": language, "channel": delivery.channel, "account_id": delivery.account_id,
        "action": delivery.action.value, "target_id": delivery.target_id, "recipient_id": delivery.recipient_id,
        "public": delivery.public, "requested_by": requested_by, "requested_at": at, "updated_at": at,
        "history": [{"status": status, "at": at, "by": requested_by.get("user_id"), "detail": None}], **extra,
    }


def outbound_command(reply: dict) -> OutboundCommand:
    return OutboundCommand(
        id=reply["_id"], conversation_key=reply["conversation_key"], channel=reply["channel"],
        account_id=reply["account_id"], action=reply["action"], target_id=reply.get("target_id"),
        recipient_id=reply.get("recipient_id"), text=reply.get("text"), subject=reply.get("subject"),
        case_reference=reply.get("case_reference"), requested_by=reply["requested_by"]["user_id"],
        requested_at=reply["requested_at"],
    )


async def dispatch(r: Responder, reply: dict) -> bool:
    """Publish the reply's outbound command if it is approved and nobody has yet; True when this call did."""
    from responder.service import freeze  # freeze sends the replies it held through this module

    reply = await r.replies.get(reply["_id"]) or reply
    if reply.get("status") != "approved" or await freeze.holds(r, reply):  # a freeze keeps it waiting, visibly
        return False
    if not await r.replies.claim_dispatch(reply["_id"], r.now()):
        return False
    try:
        await r.publisher.outbound(outbound_command(reply))
    except Exception:
        await r.replies.release_claim(reply["_id"])
        raise
    await r.replies.mark_dispatched(reply["_id"], r.now())
    conversation = await r.conversations.get(reply["conversation_key"])
    await r.emit(event_id=f"{reply['_id']}:sending", type=E.REPLY_SENDING, summary=Phrase.of("%(purpose)s sending", purpose=reply["purpose"]),
                 conversation_key=reply["conversation_key"], conversation=conversation,
                 data={"reply_id": reply["_id"], "channel": reply["channel"], "action": reply["action"]})
    return True
