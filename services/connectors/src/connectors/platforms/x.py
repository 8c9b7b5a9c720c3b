"""X (Twitter): CRC challenge, webhook signature, Account Activity payloads and polled mentions.

Reference: PLATFORMS.md section 2. The CRC answer and `x-twitter-webhooks-signature` are both
`sha256=<base64 HMAC-SHA256>` keyed by the app consumer secret (over the `crc_token`, or the raw body).
Events by the subscribed account itself (its own posts and DMs) arrive too and are skipped.
"""

import base64
import hashlib
import hmac
import json
import re
from datetime import UTC, datetime

from civic_contracts import Attachment, Author, Channel, InboundMessage, MessageKind
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from connectors.platforms import PayloadError
from connectors.platforms.revisions import Delivery, deletion

SIGNATURE_HEADER = "x-twitter-webhooks-signature"
# X's CRC tokens are short random tokens (letters, digits and base64 punctuation). The CRC answer is the same
# HMAC as a delivery signature, so anything else (above all a JSON delivery) is refused: the GET must never
# become a signing oracle.
CRC_TOKEN = re.compile(r"^[A-Za-z0-9_\-+/=.]{1,128}$")
TWEET_TIME = "%a %b %d %H:%M:%S %z %Y"  # "Mon May 19 14:01:46 +0000 2025"


def _digest(key: str, message: bytes) -> str:
    return "sha256=" + base64.b64encode(hmac.new(key.encode(), message, hashlib.sha256).digest()).decode()


class NotACrcToken(ValueError):
    """A `crc_token` that is not shaped like X's: signing it could forge a delivery."""


def crc_token_valid(crc_token: str) -> bool:
    """True for a token shaped like X's (up to 128 characters of letters, digits and `-_+/=.`) that is not JSON
    of any kind: no delivery, no number, nothing a parser would accept as a body."""
    if not CRC_TOKEN.fullmatch(crc_token):
        return False
    try:
        json.loads(crc_token)
    except ValueError:
        return True
    return False


def crc_response(crc_token: str, consumer_secret: str) -> dict[str, str]:
    """The JSON body answering X's CRC GET. Raises NotACrcToken for anything not shaped like X's tokens."""
    if not crc_token_valid(crc_token):
        raise NotACrcToken("crc_token must be at most 128 letters, digits or -_+/=. and not JSON")
    return {"response_token": _digest(consumer_secret, crc_token.encode())}


def sign(body: bytes, consumer_secret: str) -> str:
    """The `x-twitter-webhooks-signature` X sends for `body`."""
    return _digest(consumer_secret, body)


def signature_valid(body: bytes, header: str | None, consumer_secret: str) -> bool:
    if not header or not header.startswith("sha256="):
        return False
    return hmac.compare_digest(sign(body, consumer_secret).encode(), header.strip().encode())


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


X_ID = r"^[0-9]{1,19}$"  # user and post ids: decimal strings (PLATFORMS.md 2e)


class _User(_Loose):
    id_str: str = Field(pattern=X_ID)
    name: str | None = None
    screen_name: str | None = None


class _Tweet(_Loose):
    id_str: str = Field(pattern=X_ID)
    created_at: str
    text: str | None = None
    full_text: str | None = None
    truncated: bool = False
    extended_tweet: dict | None = None
    in_reply_to_status_id_str: str | None = Field(default=None, pattern=X_ID)
    user: _User
    retweeted_status: dict | None = None
    entities: dict | None = None


class _MessageCreate(_Loose):
    sender_id: str = Field(pattern=X_ID)
    target: dict = Field(default_factory=dict)
    message_data: dict = Field(default_factory=dict)


class _DmEvent(_Loose):
    type: str
    id: str
    created_timestamp: str
    message_create: _MessageCreate | None = None


class _DeletedStatus(_Loose):
    id: str = Field(pattern=X_ID)
    user_id: str = Field(pattern=X_ID)


class _TweetDelete(_Loose):
    """`tweet_delete_events[]`: `{"status": {"id", "user_id"}, "timestamp_ms"}` (PLATFORMS.md 2c)."""

    status: _DeletedStatus
    timestamp_ms: str | int | None = None


class _Activity(_Loose):
    for_user_id: str = Field(pattern=X_ID)
    tweet_create_events: list[_Tweet] = Field(default_factory=list)
    tweet_delete_events: list[_TweetDelete] = Field(default_factory=list)
    direct_message_events: list[_DmEvent] = Field(default_factory=list)
    users: dict[str, dict] = Field(default_factory=dict)


def tweet_key(account: str, root: str) -> str:
    """Conversation key of a public thread on X, named after its first post."""
    return f"x:{account}:{root}"


def dm_key(account: str, other: str) -> str:
    """Conversation key of the direct messages between the account and one person."""
    return f"x:{account}:dm:{other}"


def _tweet_text(t: _Tweet) -> str:
    if t.truncated and t.extended_tweet and t.extended_tweet.get("full_text"):
        return t.extended_tweet["full_text"]
    return t.full_text or t.text or ""


def _media(entities: dict | None) -> list[Attachment]:
    media = (entities or {}).get("media") or []
    return [Attachment(type=m.get("type", "photo"), url=m.get("media_url_https")) for m in media if isinstance(m, dict)]


def _mention(account: str, t: _Tweet, raw: str, now: datetime) -> InboundMessage | None:
    if t.user.id_str == account or t.retweeted_status is not None:
        return None  # the account's own posts, and plain reposts, are not citizen messages
    handle = t.user.screen_name
    return InboundMessage(
        id=f"x:{account}:{t.id_str}",
        channel=Channel.X,
        account_id=account,
        platform_message_id=t.id_str,
        conversation_key=tweet_key(account, t.in_reply_to_status_id_str or t.id_str),
        kind=MessageKind.PUBLIC_COMMENT,
        author=Author(platform_id=t.user.id_str, name=t.user.name, handle=handle),
        text=_tweet_text(t),
        sent_at=datetime.strptime(t.created_at, TWEET_TIME).astimezone(UTC),
        received_at=now,
        permalink=f"https://x.com/{handle or 'i'}/status/{t.id_str}",
        in_reply_to=t.in_reply_to_status_id_str,
        attachments=_media(t.extended_tweet.get("entities") if t.extended_tweet else t.entities),
        raw_payload=raw,
    )


def _dm(account: str, event: _DmEvent, users: dict[str, dict], raw: str, now: datetime) -> InboundMessage | None:
    create = event.message_create
    if event.type != "message_create" or create is None or create.sender_id == account:
        return None  # typing and read events, and DMs the account sent itself
    user = users.get(create.sender_id, {})
    attachment = create.message_data.get("attachment") or {}
    media = attachment.get("media") if isinstance(attachment, dict) else None
    return InboundMessage(
        id=f"x:{account}:{event.id}",
        channel=Channel.X,
        account_id=account,
        platform_message_id=event.id,
        conversation_key=dm_key(account, create.sender_id),
        kind=MessageKind.PRIVATE_MESSAGE,
        author=Author(platform_id=create.sender_id, name=user.get("name"), handle=user.get("screen_name")),
        text=create.message_data.get("text") or "",
        sent_at=datetime.fromtimestamp(int(event.created_timestamp) / 1000, tz=UTC),
        received_at=now,
        attachments=[Attachment(type=media.get("type", "photo"), url=media.get("media_url_https"))] if media else [],
        raw_payload=raw,
    )


def _reason(what: str, exc: ValidationError) -> PayloadError:
    parts = [f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}"
             for e in exc.errors(include_url=False, include_input=False)[:5]]
    return PayloadError(f"{what}: " + "; ".join(parts))


def parse_all(body: bytes, *, now: datetime | None = None) -> Delivery:
    """Mentions and DMs in a verified Account Activity delivery, oldest first, and the posts their authors deleted
    (`tweet_delete_events`; the account's own deletions are skipped). Other activity (likes, follows, typing,
    reads) yields nothing. Raises PayloadError for a body that is not an activity envelope."""
    now = now or datetime.now(UTC)
    try:
        activity = _Activity.model_validate_json(body)
    except ValidationError as exc:
        raise _reason("not an X account activity delivery", exc) from exc
    raw = body.decode("utf-8", errors="replace")
    account = activity.for_user_id
    found = [m for t in activity.tweet_create_events if (m := _mention(account, t, raw, now))]
    found += [m for e in activity.direct_message_events if (m := _dm(account, e, activity.users, raw, now))]
    gone = [
        deletion(message_id=f"x:{account}:{d.status.id}", channel=Channel.X, account_id=account,
                 platform_message_id=d.status.id, conversation_key=tweet_key(account, d.status.id),
                 actor_id=d.status.user_id, revised_at=_millis(d.timestamp_ms) or now, now=now, raw=raw)
        for d in activity.tweet_delete_events if d.status.user_id != account
    ]
    return Delivery(messages=sorted(found, key=lambda m: m.sent_at), revisions=gone)


def _millis(value: str | int | None) -> datetime | None:
    if value is None or not str(value).isdigit():
        return None
    return datetime.fromtimestamp(int(value) / 1000, tz=UTC)


def parse(body: bytes, *, now: datetime | None = None) -> list[InboundMessage]:
    """Mentions and DMs in a verified Account Activity delivery, oldest first (see `parse_all`)."""
    return parse_all(body, now=now).messages


def parse_mentions(account: str, page: dict, *, now: datetime | None = None) -> list[InboundMessage]:
    """Posts of one `GET /2/users/:id/mentions` page (v2 objects), newest first as X returns them.

    The v2 `conversation_id` names the thread exactly, so polled posts thread without any lookup."""
    now = now or datetime.now(UTC)
    users = {u.get("id"): u for u in (page.get("includes") or {}).get("users", []) if isinstance(u, dict)}
    found = []
    for post in page.get("data") or []:
        try:
            post_id, author = str(post["id"]), str(post.get("author_id") or "")
            sent_at = datetime.fromisoformat(post["created_at"].replace("Z", "+00:00")) if post.get("created_at") else now
        except (KeyError, TypeError, ValueError) as exc:
            raise PayloadError(f"mention did not parse: {type(exc).__name__}: {exc}") from exc
        if author == account:
            continue
        user = users.get(author, {})
        replied = next((r.get("id") for r in post.get("referenced_tweets") or [] if r.get("type") == "replied_to"), None)
        found.append(InboundMessage(
            id=f"x:{account}:{post_id}",
            channel=Channel.X,
            account_id=account,
            platform_message_id=post_id,
            conversation_key=tweet_key(account, str(post.get("conversation_id") or post_id)),
            kind=MessageKind.PUBLIC_COMMENT,
            author=Author(platform_id=author or "unknown", name=user.get("name"), handle=user.get("username")),
            text=post.get("text") or "",
            sent_at=sent_at.astimezone(UTC),
            received_at=now,
            permalink=f"https://x.com/{user.get('username') or 'i'}/status/{post_id}",
            in_reply_to=replied,
            raw_payload=json.dumps(post, separators=(",", ":"), ensure_ascii=False),
        ))
    return found
