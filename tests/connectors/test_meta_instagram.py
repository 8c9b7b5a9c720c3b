"""Instagram comments and DMs (Meta object `instagram`): one fixture per event type."""

from pathlib import Path

import pytest
from civic_contracts import Channel, MessageKind
from connectors.platforms import meta

PAYLOADS = Path(__file__).parent / "payloads"
IG = "17841400000000001"


def load(name: str) -> bytes:
    return (PAYLOADS / f"{name}.json").read_bytes()


@pytest.mark.parametrize("fixture, comment_id", [
    ("meta_instagram_comment", "17865799348089039"),  # Instagram Login: value.id
    ("meta_instagram_comment_fb_login", "17865799348089040"),  # Facebook Login examples: value.comment_id
])
def test_comment_id_is_read_from_id_or_comment_id(fixture: str, comment_id: str) -> None:
    [m] = meta.parse(load(fixture))
    assert m.channel is Channel.INSTAGRAM and m.kind is MessageKind.PUBLIC_COMMENT
    assert m.id == f"instagram:{IG}:{comment_id}" and m.platform_message_id == comment_id
    assert m.conversation_key == f"instagram:{IG}:{comment_id}"
    assert m.account_id == IG


def test_comment_keeps_author_handle_time_and_media() -> None:
    [m] = meta.parse(load("meta_instagram_comment"))
    assert m.author.platform_id == "6612345678901234" and m.author.handle == "seaside_sam"
    assert m.sent_at.timestamp() == 1763720000
    assert m.in_reply_to == "17887498072083520"  # the media commented on
    assert "swings" in m.text


def test_reply_joins_the_top_level_comment_thread() -> None:
    [m] = meta.parse(load("meta_instagram_comment_reply"))
    assert m.conversation_key == f"instagram:{IG}:17865799348089039"
    assert m.in_reply_to == "17865799348089039"


def test_dm_is_a_private_message_kept_apart_from_comment_threads() -> None:
    [m] = meta.parse(load("meta_instagram_dm"))
    assert m.channel is Channel.INSTAGRAM and m.kind is MessageKind.PRIVATE_MESSAGE
    assert m.id == f"instagram:{IG}:aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx"
    assert m.conversation_key == f"instagram:{IG}:dm:1254459154682919"
    assert m.attachments[0].type == "image" and m.attachments[0].url.endswith("fridge.jpg")
    assert m.sent_at.timestamp() == 1763720599


@pytest.mark.parametrize("fixture", ["meta_instagram_dm_echo", "meta_instagram_own_comment"])
def test_the_accounts_own_comments_and_echoes_are_skipped(fixture: str) -> None:
    assert meta.parse(load(fixture)) == []


def test_batched_instagram_entries_are_ordered_by_platform_time() -> None:
    messages = meta.parse(load("meta_instagram_batched"))
    assert [m.platform_message_id for m in messages] == ["17865799348089100", "ig_mid_later"]
    assert [m.kind for m in messages] == [MessageKind.PUBLIC_COMMENT, MessageKind.PRIVATE_MESSAGE]


def test_instagram_comment_without_author_id_is_unparseable() -> None:
    body = b'{"object":"instagram","entry":[{"id":"1","time":1,"changes":[{"field":"comments","value":{"id":"5","from":{}}}]}]}'
    with pytest.raises(meta.PayloadError, match="comments change"):
        meta.parse(body)
