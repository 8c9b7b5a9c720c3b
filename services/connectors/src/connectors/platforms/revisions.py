"""Building `MessageRevision`s (an edit or a deletion that a platform reports) with stable event ids, the same for
every platform: `<message id>:edited:<marker>` and `<message id>:deleted`. An edit's marker is the platform's edit
number when it gives one, else a digest of the new text, so a redelivery of the same report carries the same id
while a second edit gets another."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from civic_contracts import Channel, InboundMessage, MessageRevision, RevisedBy, RevisionKind


@dataclass
class Delivery:
    """What one verified webhook delivery carried: new messages, and changes to earlier ones."""

    messages: list[InboundMessage] = field(default_factory=list)
    revisions: list[MessageRevision] = field(default_factory=list)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def by_whom(actor_id: str | None, account_id: str) -> RevisedBy:
    """The author unless the payload names the organisation's own account (or no one)."""
    if not actor_id:
        return RevisedBy.PLATFORM
    return RevisedBy.ACCOUNT if actor_id == account_id else RevisedBy.AUTHOR


def edit(*, message_id: str, channel: Channel, account_id: str, platform_message_id: str, conversation_key: str,
         text: str, actor_id: str | None, revised_at: datetime, now: datetime, raw: str, marker: str | None = None,
         message: InboundMessage | None = None) -> MessageRevision:
    return MessageRevision(
        id=f"{message_id}:edited:{marker or digest(text)}", message_id=message_id, channel=channel,
        account_id=account_id, platform_message_id=platform_message_id, conversation_key=conversation_key,
        kind=RevisionKind.EDITED, text=text, by=by_whom(actor_id, account_id), actor_id=actor_id,
        revised_at=revised_at, received_at=now, message=message, raw_payload=raw,
    )


def deletion(*, message_id: str, channel: Channel, account_id: str, platform_message_id: str, conversation_key: str,
             actor_id: str | None, revised_at: datetime, now: datetime, raw: str) -> MessageRevision:
    return MessageRevision(
        id=f"{message_id}:deleted", message_id=message_id, channel=channel, account_id=account_id,
        platform_message_id=platform_message_id, conversation_key=conversation_key, kind=RevisionKind.DELETED,
        by=by_whom(actor_id, account_id), actor_id=actor_id, revised_at=revised_at, received_at=now, raw_payload=raw,
    )
