"""YouTube comment threads mapped to messages."""

import json
from pathlib import Path

import pytest
from civic_contracts import Channel, MessageKind
from connectors.platforms import PayloadError, youtube

PAGE = json.loads((Path(__file__).parent / "payloads" / "youtube_comment_threads.json").read_text())


def test_top_level_comments_and_replies_share_the_thread_and_own_replies_are_skipped() -> None:
    thread = PAGE["items"][0]
    messages = [m for c in youtube.comments_of(thread) if (m := youtube.to_message("UCcouncil", thread["id"], c))]
    assert [m.platform_message_id for m in messages] == ["UgzThreadB", "UgzThreadB.r2"]
    top, reply = messages
    assert top.channel is Channel.YOUTUBE and top.kind is MessageKind.PUBLIC_COMMENT
    assert top.id == "youtube:UCcouncil:UgzThreadB" and top.conversation_key == "youtube:UCcouncil:UgzThreadB"
    assert reply.conversation_key == "youtube:UCcouncil:UgzThreadB" and reply.in_reply_to == "UgzThreadB"
    assert top.author.platform_id == "UCchloe" and top.author.name == "Chloe Evans"
    assert top.permalink == "https://www.youtube.com/watch?v=rEcYcLiNg26&lc=UgzThreadB"
    assert reply.sent_at.isoformat() == "2026-11-20T11:00:00+00:00"


def test_thread_without_top_level_comment_is_unparseable() -> None:
    with pytest.raises(PayloadError, match="topLevelComment"):
        youtube.comments_of({"id": "x", "snippet": {}})
    with pytest.raises(PayloadError, match="publishedAt"):
        youtube.published_at({"id": "c", "snippet": {}})
