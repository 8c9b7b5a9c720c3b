"""Moderation and staff safety: hide an abusive comment where the platform allows it (an outbound
`hide_comment`), keep the evidence, count abuse per author, and ban an author from being routed to people."""

from civic_contracts import ConversationEventType, InboxCommand, Phrase
from civic_contracts.commands import BanAuthorCommand, HideCommentCommand
from civic_contracts.outbound import OutboundAction

from responder.adapters.mongo_moderation import author_key
from responder.domain.delivery import Delivery
from responder.domain.states import may_use_account
from responder.service import sending
from responder.service.context import Outcome, Responder, changes, refused
from responder.service.intake import evidence

E = ConversationEventType
# Platforms whose API lets the organisation hide a comment on its own pages and posts.
HIDEABLE = ("facebook", "instagram", "youtube", "x")


async def hide_comment(r: Responder, command: InboxCommand, conversation: dict) -> Outcome:
    body: HideCommentCommand = command.body
    actor, now = command.actor, r.now()
    message = await r.conversations.message(body.message_id)
    if message is None or message.get("conversation_key") != conversation["_id"]:
        return refused("no such message on this conversation")
    if message.get("kind") != "public_comment" or message.get("channel") not in HIDEABLE:
        return refused(Phrase.of("%(channel)s does not let us hide this message", channel=message.get("channel")))
    if not may_use_account(actor.accounts, message["account_id"]):
        return refused(Phrase.of("you may not act from account %(account)s", account=message["account_id"]))
    label = ((message.get("triage") or {}).get("abuse")) or "reported"
    await r.moderation.keep_evidence(evidence(message, label=label, source="hidden", by=actor.user_id,
                                              reason=body.reason, at=now))
    total = await r.moderation.count_abuse(
        message_id=message["_id"], author=author_key(message["channel"], message["author"]["platform_id"]),
        channel=message["channel"], label=label, source="staff", at=message["sent_at"], name=message["author"].get("name"),
    )
    delivery = Delivery(message["channel"], message["account_id"], OutboundAction.HIDE_COMMENT,
                        message["platform_message_id"], None)
    doc, _ = await r.replies.create(sending.reply_document(
        reply_id=command.id, conversation=conversation, delivery=delivery, text=None, language=None,
        requested_by=actor.model_dump(mode="json", include={"user_id", "name", "role"}), at=now,
        purpose="hide_comment", status="approved", message_id=message["_id"], reason=body.reason,
    ))
    await sending.dispatch(r, doc)
    await r.conversations.set_fields(conversation["_id"], {"author_abuse_count": total})
    await r.emit(event_id=f"{command.id}:hidden", type=E.COMMENT_HIDDEN, summary=Phrase.of("%(actor)s hid a comment", actor=actor.name),
                 conversation_key=conversation["_id"], conversation=conversation, actor_id=actor.user_id,
                 command_id=command.id, data={"message_id": message["_id"], "author_abuse_count": total})
    return Outcome(summary="comment hidden; evidence kept", account_id=message["account_id"],
                   before={"hidden": False}, after={"hidden": True},
                   result={"message_id": message["_id"], "author_abuse_count": total, "outbound_id": command.id})


async def ban_author(r: Responder, command: InboxCommand, conversation: dict) -> Outcome:
    body: BanAuthorCommand = command.body
    author = conversation.get("author") or {}
    if not author.get("platform_id") or not conversation.get("channel"):
        return refused("the conversation has no known author yet")
    key = author_key(conversation["channel"], author["platform_id"])
    before = await r.moderation.set_ban(key, banned=body.banned, reason=body.reason, by=command.actor.user_id, at=r.now())
    r.recent.put("banned", None)  # re-read the ban list on the next message
    keys = await r.conversations.block_author(conversation["channel"], author["platform_id"], blocked=body.banned)
    after = await r.conversations.get(conversation["_id"])
    kind = E.AUTHOR_BANNED if body.banned else E.AUTHOR_UNBANNED
    for k in keys:
        await r.emit(event_id=f"{command.id}:{kind.value}:{k}", type=kind, conversation_key=k,
                     summary=Phrase.of("%(actor)s banned the author" if body.banned else "%(actor)s lifted the ban on the author",
                                       actor=command.actor.name),
                     conversation=after if k == conversation["_id"] else None, actor_id=command.actor.user_id,
                     command_id=command.id, data={"author_key": key})
    b, a = changes(conversation, after)
    return Outcome(summary=f"author {'banned' if body.banned else 'unbanned'}",
                   before={**b, "banned": bool((before or {}).get("banned"))}, after={**a, "banned": body.banned},
                   result={"author_key": key, "conversations": keys})
