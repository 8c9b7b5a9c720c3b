"""Edits and deletions that platforms report (`message.revised.v1`), and a message delivered again with other
text: kept as versions of the stored message (`domain.revisions`), never overwritten, each on the conversation's
timeline (no citizen text) and the audit log. Triage classifies an edited message again from the same event; its
result reaches `intake.on_triage` like any other (an edit that turns a complaint into a threat raises urgency)."""

import logging

from civic_contracts import ConversationEventType, InboundMessage, MessageRevision, Phrase, RevisedBy, RevisionKind

from responder.adapters.mongo_revisions import MessageVersions
from responder.domain import revisions as domain
from responder.domain.revisions import digest
from responder.service.context import Responder

log = logging.getLogger(__name__)
E = ConversationEventType


class MessageNotHeld(LookupError):
    """The revised message is not stored (yet): retried, then dead-lettered with this reason."""


def versions(r: Responder) -> MessageVersions:
    return MessageVersions(r.conversations.messages)


async def on_revision(r: Responder, revision: MessageRevision) -> None:
    if not r.serves(revision.conversation_key):
        return  # another organisation's account
    store = versions(r)
    stored = await store.message(revision.message_id)
    if stored is None or not stored.get("platform_message_id"):
        if revision.by is RevisedBy.ACCOUNT:
            return  # the account removed something of its own: not a citizen message
        raise MessageNotHeld(f"{revision.kind.value} of message {revision.message_id}, which is not stored")
    key = stored.get("conversation_key") or revision.conversation_key
    async with r.lock(key):
        await apply(r, store, revision, key=key)


async def apply(r: Responder, store: MessageVersions, revision: MessageRevision, *, key: str) -> bool:
    """Applies the revision to the message as stored now; True when it changed anything visible."""
    stored = await store.message(revision.message_id) or {}
    by = domain.who(revision, stored)
    update = domain.plan(stored, revision, by=by)
    if update is None:
        return False
    await store.apply(revision.message_id, update)
    if set(update) == {"$addToSet"}:
        return False  # recorded as seen; the text is the one it already has or had
    deleted = revision.kind is RevisionKind.DELETED
    conversation = await r.conversations.get(key)
    summary = Phrase.of("message deleted on %(channel)s (%(by)s)" if deleted else "message edited on %(channel)s (%(by)s)",
                        channel=revision.channel.value, by=by.value)
    data = {"message_id": revision.message_id, "by": by.value, "at": revision.revised_at.isoformat()}
    await r.emit(event_id=revision.id, type=E.MESSAGE_DELETED if deleted else E.MESSAGE_EDITED, summary=summary,
                 conversation_key=key, conversation=conversation, data=data)
    await r.audit_system(entry_id=revision.id, action="message_deleted" if deleted else "message_edited",
                         conversation=conversation, conversation_key=key, details=data)
    return True


async def redelivered(r: Responder, stored: dict, message: InboundMessage) -> None:
    """A message delivered again with other text than stored (a platform that re-sends an edited item under the
    same id): kept as an edit, unless the text is one the message already had (a replay of history)."""
    revision = MessageRevision(
        id=f"{message.id}:edited:{digest(message.text)}", message_id=message.id, channel=message.channel,
        account_id=message.account_id, platform_message_id=message.platform_message_id,
        conversation_key=stored.get("conversation_key") or message.conversation_key, kind=RevisionKind.EDITED,
        text=message.text, by=RevisedBy.PLATFORM, revised_at=message.received_at, received_at=message.received_at,
        raw_payload=message.raw_payload,
    )
    await apply(r, versions(r), revision, key=revision.conversation_key)
