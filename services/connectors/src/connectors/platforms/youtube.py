"""YouTube Data API v3 comments: `commentThreads.list` items mapped to messages.

Reference: PLATFORMS.md section 3. Comments can only be polled (no push for comments). A thread is its
top-level comment (the thread id is that comment's id); replies are one level deep and join it. The
channel's own comments are skipped.
"""

import json
from datetime import UTC, datetime

from civic_contracts import Author, Channel, InboundMessage, MessageKind

from connectors.platforms import PayloadError


def published_at(comment: dict) -> datetime:
    """`snippet.publishedAt` of a Comment resource (RFC 3339), as an aware datetime."""
    try:
        return datetime.fromisoformat(comment["snippet"]["publishedAt"].replace("Z", "+00:00")).astimezone(UTC)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PayloadError(f"comment {comment.get('id') if isinstance(comment, dict) else comment!r} has no "
                           f"readable snippet.publishedAt: {exc}") from exc


def comments_of(thread: dict) -> list[dict]:
    """The top-level comment and the replies included in one CommentThread resource."""
    try:
        top = thread["snippet"]["topLevelComment"]
    except (KeyError, TypeError) as exc:
        raise PayloadError(f"comment thread {thread.get('id') if isinstance(thread, dict) else thread!r} "
                           "has no snippet.topLevelComment") from exc
    replies = (thread.get("replies") or {}).get("comments") or []
    return [top, *replies]


def to_message(channel_id: str, thread_id: str, comment: dict, *, now: datetime | None = None) -> InboundMessage | None:
    """One comment as a message, or None when the channel wrote it itself."""
    now = now or datetime.now(UTC)
    snippet = comment.get("snippet") or {}
    author_channel = (snippet.get("authorChannelId") or {}).get("value")
    if author_channel == channel_id:
        return None
    comment_id = comment.get("id")
    if not comment_id:
        raise PayloadError(f"comment in thread {thread_id} has no id")
    video = snippet.get("videoId")
    return InboundMessage(
        id=f"youtube:{channel_id}:{comment_id}",
        channel=Channel.YOUTUBE,
        account_id=channel_id,
        platform_message_id=comment_id,
        conversation_key=f"youtube:{channel_id}:{thread_id}",
        kind=MessageKind.PUBLIC_COMMENT,
        author=Author(platform_id=author_channel or snippet.get("authorDisplayName") or "unknown",
                      name=snippet.get("authorDisplayName")),
        text=snippet.get("textOriginal") or snippet.get("textDisplay") or "",
        sent_at=published_at(comment),
        received_at=now,
        permalink=f"https://www.youtube.com/watch?v={video}&lc={comment_id}" if video else None,
        in_reply_to=snippet.get("parentId") or video,
        raw_payload=json.dumps(comment, separators=(",", ":"), ensure_ascii=False),
    )
