"""Meta payloads mapped to `InboundMessage`: one fixture per event type."""

import json
from pathlib import Path

import pytest
from civic_contracts import Channel, MessageKind
from connectors.platforms import PayloadError, meta

PAYLOADS = Path(__file__).parent / "payloads"


def load(name: str) -> bytes:
    return (PAYLOADS / f"{name}.json").read_bytes()


def test_feed_comment_becomes_public_comment_keyed_by_its_thread() -> None:
    [m] = meta.parse(load("meta_feed_comment_add"))
    assert m.channel is Channel.FACEBOOK and m.kind is MessageKind.PUBLIC_COMMENT
    assert m.id == "facebook:104729113:104729113_55501_88001"
    assert m.conversation_key == "facebook:104729113:104729113_55501_88001"
    assert m.account_id == "104729113"
    assert m.author.platform_id == "7311946001" and m.author.name == "Sam Hughes"
    assert "pothole" in m.text
    assert m.sent_at.timestamp() == 1763717990
    assert m.permalink.endswith("comment_id=88001")
    assert json.loads(m.raw_payload) == json.loads(load("meta_feed_comment_add"))


def test_reply_to_a_comment_joins_the_comment_thread() -> None:
    [m] = meta.parse(load("meta_feed_comment_reply"))
    assert m.conversation_key == "facebook:104729113:104729113_55501_88001"
    assert m.in_reply_to == "104729113_55501_88001"


@pytest.mark.parametrize(
    "fixture", ["meta_feed_page_own_reply", "meta_feed_reaction", "meta_messenger_echo", "meta_messenger_delivery"]
)
def test_events_that_are_not_citizen_messages_are_skipped(fixture: str) -> None:
    assert meta.parse(load(fixture)) == []


def test_messenger_message_becomes_private_message_keyed_by_sender() -> None:
    [m] = meta.parse(load("meta_messenger_message"))
    assert m.channel is Channel.MESSENGER and m.kind is MessageKind.PRIVATE_MESSAGE
    assert m.id == "messenger:104729113:m_AbC123xyz"
    assert m.conversation_key == "messenger:104729113:2468013579"
    assert m.attachments[0].type == "image" and m.attachments[0].url.endswith("bins.jpg")
    assert m.sent_at.timestamp() == 1763718399


def test_batched_entries_are_all_read_and_ordered_by_platform_time() -> None:
    messages = meta.parse(load("meta_batched_entries"))
    assert [m.platform_message_id for m in messages] == ["104729113_55502_90001", "m_later"]


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"not json", "not a Meta webhook envelope"),
        (b'{"object":"page"}', "entry"),
        (b'{"object":"page","entry":[{"id":"1","messaging":[{"sender":{}}]}]}', "sender.id"),
        (b'{"object":"whatsapp_business_account","entry":[]}', "unsupported Meta object"),
    ],
)
def test_unparseable_payloads_raise_with_the_reason(body: bytes, reason: str) -> None:
    with pytest.raises(PayloadError, match=reason):
        meta.parse(body)
