"""X: CRC, x-twitter-webhooks-signature (PLATFORMS.md vectors), Account Activity and polled mentions."""

import json
from pathlib import Path

import pytest
from civic_contracts import Channel, MessageKind
from connectors.platforms import PayloadError, x

PAYLOADS = Path(__file__).parent / "payloads"
ACCOUNT = "1456000000000000001"


def load(name: str) -> bytes:
    return (PAYLOADS / f"{name}.json").read_bytes()


def test_crc_answer_matches_published_vector() -> None:
    assert x.crc_response("crc-token-123", "test_consumer_secret") == {
        "response_token": "sha256=WTP6ckqLOLFsB+woMqoUFnbdaUQZslRlj+Df7hg+aVo="}


def test_signature_matches_published_vector() -> None:
    body = b'{"for_user_id":"1","tweet_create_events":[]}'
    header = "sha256=MdwerXyup5RjxlFkX69epegYjAkM5uMK2/kcju8IDXo="
    assert x.sign(body, "test_consumer_secret") == header
    assert x.signature_valid(body, header, "test_consumer_secret")


def test_signature_rejects_forged_missing_and_malformed() -> None:
    body = b'{"for_user_id":"1","tweet_create_events":[]}'
    good = x.sign(body, "test_consumer_secret")
    assert not x.signature_valid(body, good, "other_secret")
    assert not x.signature_valid(body + b" ", good, "test_consumer_secret")
    assert not x.signature_valid(body, None, "test_consumer_secret")
    assert not x.signature_valid(body, good.removeprefix("sha256="), "test_consumer_secret")


def test_mention_becomes_public_comment_in_its_own_thread() -> None:
    [m] = x.parse(load("x_tweet_create_mention"))
    assert m.channel is Channel.X and m.kind is MessageKind.PUBLIC_COMMENT
    assert m.id == f"x:{ACCOUNT}:1925000000000000001" and m.conversation_key == f"x:{ACCOUNT}:1925000000000000001"
    assert m.author.platform_id == "98765432" and m.author.handle == "samhughes" and m.author.name == "Sam Hughes"
    assert m.sent_at.isoformat() == "2025-05-19T14:01:46+00:00"
    assert m.permalink == "https://x.com/samhughes/status/1925000000000000001"
    assert json.loads(m.raw_payload) == json.loads(load("x_tweet_create_mention"))


def test_long_post_uses_full_text_and_a_reply_joins_the_post_it_answers() -> None:
    [m] = x.parse(load("x_tweet_create_extended"))
    assert m.text.endswith("where the buses turn. Photo attached.")
    assert m.conversation_key == f"x:{ACCOUNT}:1925000000000000001" and m.in_reply_to == "1925000000000000001"
    assert m.attachments[0].url.endswith("pothole.jpg")


def test_dm_becomes_private_message_keyed_by_the_person() -> None:
    [m] = x.parse(load("x_direct_message"))
    assert m.kind is MessageKind.PRIVATE_MESSAGE
    assert m.id == f"x:{ACCOUNT}:1925100000000000001" and m.conversation_key == f"x:{ACCOUNT}:dm:55512345"
    assert m.author.name == "Aisha Khan" and m.author.handle == "aishak"
    assert m.sent_at.timestamp() == 1747663306


@pytest.mark.parametrize("fixture", ["x_tweet_create_own", "x_direct_message_own", "x_favorite"])
def test_own_posts_own_dms_and_other_activity_are_skipped(fixture: str) -> None:
    assert x.parse(load(fixture)) == []


@pytest.mark.parametrize("body, reason", [
    (b"not json", "not an X account activity delivery"),
    (b'{"tweet_create_events":[]}', "for_user_id"),
    (b'{"for_user_id":"1","tweet_create_events":[{"id_str":"5"}]}', "created_at"),
])
def test_unparseable_deliveries_raise_with_the_reason(body: bytes, reason: str) -> None:
    with pytest.raises(PayloadError, match=reason):
        x.parse(body)


def test_polled_mentions_thread_by_conversation_id_and_skip_own_posts() -> None:
    messages = x.parse_mentions(ACCOUNT, json.loads(load("x_mentions_page")))
    assert [m.platform_message_id for m in messages] == ["1925000000000000030", "1925000000000000020"]
    newest, reply = messages
    assert newest.conversation_key == f"x:{ACCOUNT}:1925000000000000030" and newest.author.handle == "megw"
    assert reply.conversation_key == f"x:{ACCOUNT}:1925000000000000001" and reply.in_reply_to == "1925000000000000001"
    assert reply.id == f"x:{ACCOUNT}:1925000000000000020"  # same id as the webhook would give: one message
