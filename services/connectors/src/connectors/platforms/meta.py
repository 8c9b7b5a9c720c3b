"""Meta webhooks (Facebook Page feed: visitor posts and comments; Messenger; Instagram comments and DMs):
handshake, signature, payload mapping.

Reference: PLATFORMS.md section 1. Signatures are HMAC-SHA256 of the raw body keyed by the App Secret,
sent as `X-Hub-Signature-256: sha256=<hex>`; the body is hashed exactly as received. One callback serves
both objects: `page` (feed changes, Messenger) and `instagram` (comment changes, DMs).
"""

import hashlib
import hmac
from datetime import UTC, datetime

from civic_contracts import Attachment, Author, Channel, InboundMessage, MessageKind
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from connectors.platforms import PayloadError

SIGNATURE_HEADER = "X-Hub-Signature-256"
OBJECTS = {"page": Channel.MESSENGER, "instagram": Channel.INSTAGRAM}  # object -> channel of its DMs


def sign(body: bytes, app_secret: str) -> str:
    """The header value Meta sends for `body`."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(body: bytes, header: str | None, app_secret: str) -> bool:
    """Constant-time check of `X-Hub-Signature-256` over the raw bytes."""
    if not header or not header.startswith("sha256="):
        return False
    return hmac.compare_digest(sign(body, app_secret), header.strip())


def handshake(mode: str | None, token: str | None, challenge: str | None, verify_token: str) -> str | None:
    """The challenge to echo when the GET verification request is genuine, else None (answer 403)."""
    if mode != "subscribe" or token is None or challenge is None:
        return None
    if not hmac.compare_digest(token.encode(), verify_token.encode()):
        return None
    return challenge


# Payload shapes: only what is read; everything else is tolerated and kept in the raw payload. Ids arrive as
# strings or as JSON numbers (older Graph versions, test tools, some proxies): both are read as the same string.
class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)


class _From(_Loose):
    id: str
    name: str | None = None


class _FeedValue(_Loose):
    item: str | None = None
    verb: str | None = None
    comment_id: str | None = None
    post_id: str | None = None
    parent_id: str | None = None
    from_: _From | None = Field(default=None, alias="from")
    message: str | None = None
    created_time: int | float | None = None
    permalink_url: str | None = None
    link: str | None = None
    photo_id: str | None = None
    video_id: str | None = None


class _IgFrom(_Loose):
    id: str
    username: str | None = None


class _IgComment(_Loose):
    id: str | None = None
    comment_id: str | None = None
    from_: _IgFrom | None = Field(default=None, alias="from")
    text: str | None = None
    parent_id: str | None = None
    media: dict | None = None


class _Change(_Loose):
    field: str
    value: dict = Field(default_factory=dict)


class _Party(_Loose):
    id: str


class _MessengerAttachment(_Loose):
    type: str
    payload: dict | None = None


class _MessengerMessage(_Loose):
    mid: str
    text: str | None = None
    is_echo: bool = False
    is_deleted: bool = False
    attachments: list[_MessengerAttachment] = Field(default_factory=list)
    reply_to: dict | None = None


class _Messaging(_Loose):
    sender: _Party
    recipient: _Party
    timestamp: int | float
    message: _MessengerMessage | None = None


class _Entry(_Loose):
    id: str
    time: int | None = None
    changes: list[_Change] = Field(default_factory=list)
    messaging: list[_Messaging] = Field(default_factory=list)


class _Envelope(_Loose):
    object: str
    entry: list[_Entry]


def _time(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


POST_ITEMS = {"post", "status", "photo", "video"}  # what someone posting on the Page's wall arrives as


def _visitor_post(page_id: str, value: _FeedValue, raw: str, now: datetime) -> InboundMessage | None:
    """A post someone else made on the Page (a visitor post): a conversation of its own, named after the post,
    which its comments join (see `webhooks_meta`). The Page's own posts are not citizen messages."""
    if value.verb != "add" or not value.post_id or value.from_ is None or value.from_.id == page_id:
        return None
    attachments = []
    if value.item in ("photo", "video") and value.link:
        attachments.append(Attachment(type="image" if value.item == "photo" else "video", url=value.link))
    return _public_message(page_id, value, raw, now, item_id=value.post_id, thread=value.post_id,
                           attachments=attachments)


def _feed_change(page_id: str, value: _FeedValue, raw: str, now: datetime) -> InboundMessage | None:
    if value.item in POST_ITEMS:
        return _visitor_post(page_id, value, raw, now)
    return _feed_comment(page_id, value, raw, now)


def _feed_comment(page_id: str, value: _FeedValue, raw: str, now: datetime) -> InboundMessage | None:
    if value.item != "comment" or value.verb != "add" or not value.comment_id or value.from_ is None:
        return None  # reactions, edits, hides, shares: not citizen messages
    if value.from_.id == page_id:
        return None  # the Page's own replies come back through the feed; never loop on them
    top_level = value.parent_id in (None, value.post_id)
    thread = value.comment_id if top_level else value.parent_id
    return _public_message(page_id, value, raw, now, item_id=value.comment_id, thread=thread,
                           in_reply_to=value.parent_id)


def _public_message(page_id: str, value: _FeedValue, raw: str, now: datetime, *, item_id: str, thread: str,
                    **extra) -> InboundMessage:
    """A citizen's post or comment on the Page's feed, in its thread's conversation."""
    return InboundMessage(
        id=f"facebook:{page_id}:{item_id}",
        channel=Channel.FACEBOOK,
        account_id=page_id,
        platform_message_id=item_id,
        conversation_key=f"facebook:{page_id}:{thread}",
        kind=MessageKind.PUBLIC_COMMENT,
        author=Author(platform_id=value.from_.id, name=value.from_.name),
        text=value.message or "",
        sent_at=_time(value.created_time) if value.created_time is not None else now,
        received_at=now,
        permalink=value.permalink_url,
        raw_payload=raw,
        **extra,
    )


def _private_message(channel: Channel, account: str, event: _Messaging, raw: str, now: datetime) -> InboundMessage | None:
    """A Messenger or Instagram DM; echoes of the account's own sends, deletions, reads and reactions are skipped."""
    message = event.message
    if message is None or message.is_echo or message.is_deleted or event.sender.id == account:
        return None
    attachments = [
        Attachment(type=a.type, url=(a.payload or {}).get("url")) for a in message.attachments
    ]
    # Messenger conversations are one per person; Instagram ones are kept apart from comment threads.
    thread = event.sender.id if channel is Channel.MESSENGER else f"dm:{event.sender.id}"
    return InboundMessage(
        id=f"{channel.value}:{account}:{message.mid}",
        channel=channel,
        account_id=account,
        platform_message_id=message.mid,
        conversation_key=f"{channel.value}:{account}:{thread}",
        kind=MessageKind.PRIVATE_MESSAGE,
        author=Author(platform_id=event.sender.id),
        text=message.text or "",
        sent_at=_time(event.timestamp / 1000),
        received_at=now,
        in_reply_to=(message.reply_to or {}).get("mid"),
        attachments=attachments,
        raw_payload=raw,
    )


def _instagram_comment(account: str, entry: "_Entry", value: _IgComment, raw: str, now: datetime) -> InboundMessage | None:
    """An Instagram comment; the comment id arrives as `id` or `comment_id` depending on the login flavour."""
    comment_id = value.id or value.comment_id
    if not comment_id or value.from_ is None or value.from_.id == account:
        return None  # mentions without text, and the account's own replies
    thread = value.parent_id or comment_id  # replies are one level deep: the thread is the top-level comment
    seconds = entry.time / 1000 if entry.time and entry.time > 10**11 else entry.time
    return InboundMessage(
        id=f"instagram:{account}:{comment_id}",
        channel=Channel.INSTAGRAM,
        account_id=account,
        platform_message_id=comment_id,
        conversation_key=f"instagram:{account}:{thread}",
        kind=MessageKind.PUBLIC_COMMENT,
        author=Author(platform_id=value.from_.id, handle=value.from_.username),
        text=value.text or "",
        sent_at=_time(seconds) if seconds else now,
        received_at=now,
        in_reply_to=value.parent_id or (value.media or {}).get("id"),
        raw_payload=raw,
    )


def _invalid(what: str, exc: ValidationError) -> PayloadError:
    details = "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}"
        for e in exc.errors(include_url=False, include_input=False)[:5]
    )
    return PayloadError(f"{what}: {details}")


def _changes(obj: str, entry: _Entry, raw: str, now: datetime) -> list[InboundMessage]:
    found = []
    for change in entry.changes:
        try:
            if obj == "page" and change.field == "feed":
                m = _feed_change(entry.id, _FeedValue.model_validate(change.value), raw, now)
            elif obj == "instagram" and change.field in ("comments", "live_comments"):
                m = _instagram_comment(entry.id, entry, _IgComment.model_validate(change.value), raw, now)
            else:
                continue
        except ValidationError as exc:
            raise _invalid(f"{change.field} change in entry {entry.id} did not parse", exc) from exc
        if m is not None:
            found.append(m)
    return found


def envelope(body: bytes) -> _Envelope:
    """The verified body as a Meta webhook envelope; PayloadError, with the reason, for anything else."""
    try:
        found = _Envelope.model_validate_json(body)
    except ValidationError as exc:
        raise _invalid("not a Meta webhook envelope", exc) from exc
    if found.object not in OBJECTS:
        raise PayloadError(f"unsupported Meta object {found.object!r}")
    return found


def messages_in(found: _Envelope, raw: str, now: datetime) -> list[InboundMessage]:
    """Citizen messages of a parsed envelope, oldest first (Meta does not guarantee order)."""
    channel = OBJECTS[found.object]
    messages: list[InboundMessage] = []
    for entry in found.entry:
        messages.extend(_changes(found.object, entry, raw, now))
        for event in entry.messaging:
            if (m := _private_message(channel, entry.id, event, raw, now)) is not None:
                messages.append(m)
    return sorted(messages, key=lambda m: m.sent_at)


def parse(body: bytes, *, now: datetime | None = None) -> list[InboundMessage]:
    """Citizen messages in a verified Meta webhook body, oldest first (Meta does not guarantee order).

    Raises PayloadError, with the reason, for a body that is not a Meta webhook envelope. Edits and deletions
    of earlier messages are read by `meta_changes`."""
    return messages_in(envelope(body), body.decode("utf-8", errors="replace"), now or datetime.now(UTC))
