"""The polled feeds' content: X mentions and YouTube comment threads, a day of them at start-up, and more on
request (`POST /_sandbox/x/mentions`, `POST /_sandbox/youtube/comments`)."""

import random
import zlib
from datetime import UTC, datetime, timedelta

from sandbox.channels import TWEETS, YOUTUBE_COMMENTS
from sandbox.config import Settings
from sandbox.state import State

NAMES = ["Sam Hughes", "Priya Shah", "Gareth Jones", "Chloe Evans", "Tom Okafor", "Aisha Khan", "Dylan Price",
         "Megan Williams", "Olu Adeyemi", "Rhys Morgan", "Hannah Clarke", "Jake Murphy"]
X_EPOCH = 1288834974657  # X ids are snowflakes: milliseconds since this epoch, shifted left 22 bits


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def snowflake(at: datetime, sequence: int) -> str:
    return str(((int(at.timestamp() * 1000) - X_EPOCH) << 22) | (sequence & 0x3FFFFF))


def add_mention(state: State, account: str, *, text: str, author_name: str, author_id: str | None = None,
                at: datetime | None = None, reply_to: str | None = None) -> dict:
    at = at or datetime.now(UTC)
    author_id = author_id or str(700_000_000 + zlib.crc32(author_name.encode()) % 10**8)
    username = author_name.replace(" ", "").lower()[:15]
    state.users[author_id] = {"id": author_id, "name": author_name, "username": username}
    post_id = snowflake(at, state.next_id())
    post = {"id": post_id, "text": text, "author_id": author_id, "created_at": _iso(at),
            "conversation_id": reply_to or post_id, "in_reply_to_user_id": account, "edit_history_tweet_ids": [post_id]}
    if reply_to:
        post["referenced_tweets"] = [{"type": "replied_to", "id": reply_to}]
    feed = state.mentions.setdefault(account, [])
    feed.append(post)
    feed.sort(key=lambda p: int(p["id"]))
    return post


def _comment(state: State, channel: str, video: str, text: str, author: str, at: datetime, parent: str | None) -> dict:
    suffix = f"{state.next_id():06d}"
    comment_id = f"{parent}.{suffix}" if parent else f"Ugz{suffix}sandboxAaABAg"
    snippet = {"channelId": channel, "videoId": video, "textDisplay": text, "textOriginal": text,
               "authorDisplayName": author, "authorChannelId": {"value": f"UC{zlib.crc32(author.encode()):020d}"},
               "authorChannelUrl": "http://www.youtube.com/", "canRate": True, "viewerRating": "none",
               "likeCount": 0, "publishedAt": _iso(at), "updatedAt": _iso(at)}
    if parent:
        snippet["parentId"] = parent
    return {"kind": "youtube#comment", "id": comment_id, "snippet": snippet}


def add_comment(state: State, channel: str, *, text: str, author: str, video: str = "dQ4cIvIcInb",
                at: datetime | None = None, reply_to: str | None = None) -> dict:
    """A new top-level comment (a new thread), or a reply added to the thread `reply_to`."""
    at = at or datetime.now(UTC)
    threads = state.threads.setdefault(channel, [])
    if reply_to:
        thread = next(t for t in threads if t["id"] == reply_to)
        comment = _comment(state, channel, thread["snippet"]["videoId"], text, author, at, reply_to)
        thread.setdefault("replies", {"comments": []})["comments"].append(comment)
        thread["snippet"]["totalReplyCount"] += 1
        threads.remove(thread)
        threads.append(thread)  # order=time: a thread with new activity comes first
        return comment
    comment = _comment(state, channel, video, text, author, at, None)
    threads.append({"kind": "youtube#commentThread", "id": comment["id"], "snippet": {
        "channelId": channel, "videoId": video, "topLevelComment": comment, "canReply": True,
        "totalReplyCount": 0, "isPublic": True}})
    return comment


def seed(state: State, settings: Settings) -> None:
    """A day of mentions of the organisation on X and comments on its YouTube videos."""
    rng = random.Random(settings.seed)
    now = datetime.now(UTC)
    moments = sorted(now - timedelta(minutes=rng.randint(5, 24 * 60)) for _ in TWEETS)
    for (_, text), at in zip(TWEETS, moments, strict=True):
        add_mention(state, settings.x_account_id, text=text.format(handle=settings.x_handle),
                    author_name=rng.choice(NAMES), at=at)
    videos = ["rEcYcLiNg26", "cOuNcIlBuDg", "rOaDwOrKs01"]
    moments = sorted(now - timedelta(minutes=rng.randint(5, 24 * 60)) for _ in YOUTUBE_COMMENTS)
    for (_, text), at in zip(YOUTUBE_COMMENTS, moments, strict=True):
        add_comment(state, settings.youtube_channel_id, text=text, author=rng.choice(NAMES), video=rng.choice(videos), at=at)
