"""Edits and deletions that platforms report become `MessageRevision`s (Meta feed `edited`/`remove`, Messenger
`message_edit`, Instagram DMs `is_deleted`, X `tweet_delete_events`): parsed with stable ids, published from
signed webhooks, refused when unsigned, dead-lettered with the reason when they name no message. Kafka and
MongoDB are replaced by in-memory fakes (the real path is in tests/e2e/test_message_versions.py)."""

import json
from pathlib import Path

import httpx
import pytest
from civic_contracts import Channel, RevisedBy, RevisionKind
from connectors.platforms import meta, meta_changes, x
from connectors.publishing import PublishFailed
from support.connector_fakes import app_with_fakes, client_of

PAYLOADS = Path(__file__).parent / "payloads"
PAGE = "104729113"


def load(name: str) -> bytes:
    return (PAYLOADS / f"{name}.json").read_bytes()


def test_feed_comment_edit_carries_the_new_text_and_the_message_for_triage() -> None:
    found = meta_changes.parse_all(load("meta_feed_comment_edited"))
    assert found.messages == []  # an edit is not a new message
    [r] = found.revisions
    assert r.kind is RevisionKind.EDITED and r.by is RevisedBy.AUTHOR
    assert r.message_id == f"facebook:{PAGE}:104729113_55501_88001"  # the id the original was published with
    [original] = meta.parse(load("meta_feed_comment_add"))
    assert r.message_id == original.id and r.conversation_key == original.conversation_key
    assert r.text.endswith("I will dig it up myself.")
    assert r.message is not None and r.message.id == original.id and r.message.text == r.text
    assert r.revised_at.timestamp() == 1763718600  # when Meta reported it, not the comment's creation time
    assert json.loads(r.raw_payload) == json.loads(load("meta_feed_comment_edited"))
    # The same report delivered again has the same id; another edit of the same comment has another.
    again = meta_changes.parse_all(load("meta_feed_comment_edited")).revisions[0]
    assert again.id == r.id
    second = json.loads(load("meta_feed_comment_edited"))
    second["entry"][0]["changes"][0]["value"]["message"] = "Fixed now, thank you."
    assert meta_changes.parse_all(json.dumps(second).encode()).revisions[0].id != r.id


def test_feed_comment_removal_is_a_deletion_by_its_author() -> None:
    [r] = meta_changes.parse_all(load("meta_feed_comment_remove")).revisions
    assert r.kind is RevisionKind.DELETED and r.text is None and r.message is None
    assert r.by is RevisedBy.AUTHOR and r.actor_id == "7311946001"
    assert r.id == f"facebook:{PAGE}:104729113_55501_88001:deleted"


def test_removal_attributed_to_the_page_is_by_the_account_and_its_own_edits_are_skipped() -> None:
    body = json.loads(load("meta_feed_comment_remove"))
    body["entry"][0]["changes"][0]["value"]["from"] = {"id": PAGE, "name": "Council"}
    [r] = meta_changes.parse_all(json.dumps(body).encode()).revisions
    assert r.by is RevisedBy.ACCOUNT
    edited = json.loads(load("meta_feed_comment_edited"))
    edited["entry"][0]["changes"][0]["value"]["from"] = {"id": PAGE, "name": "Council"}
    assert meta_changes.parse_all(json.dumps(edited).encode()).revisions == []


def test_reply_edit_is_filed_under_its_thread_and_post_edits_keep_the_post_id() -> None:
    body = json.loads(load("meta_feed_comment_edited"))
    value = body["entry"][0]["changes"][0]["value"]
    value.update(comment_id="104729113_55501_88002", parent_id="104729113_55501_88001")
    [r] = meta_changes.parse_all(json.dumps(body).encode()).revisions
    assert r.conversation_key == f"facebook:{PAGE}:104729113_55501_88001"
    post = json.loads(load("meta_feed_visitor_post"))
    post["entry"][0]["changes"][0]["value"].update(verb="edit", message="Edited visitor post")
    [p] = meta_changes.parse_all(json.dumps(post).encode()).revisions
    assert p.kind is RevisionKind.EDITED and p.message_id == f"facebook:{PAGE}:{p.platform_message_id}"


def test_other_verbs_are_not_revisions() -> None:
    found = meta_changes.parse_all(load("meta_feed_reaction_remove"))
    assert found.revisions == [] and found.messages == []
    for verb in ("hide", "unhide", "block"):
        body = json.loads(load("meta_feed_comment_edited"))
        body["entry"][0]["changes"][0]["value"]["verb"] = verb
        assert meta_changes.parse_all(json.dumps(body).encode()).revisions == []


def test_changes_that_name_no_message_are_payload_errors() -> None:
    with pytest.raises(meta.PayloadError, match="names no comment id"):
        meta_changes.parse_all(load("meta_feed_comment_edited_no_id"))
    body = json.loads(load("meta_feed_comment_edited"))
    del body["entry"][0]["changes"][0]["value"]["message"]
    with pytest.raises(meta.PayloadError, match="has no message"):
        meta_changes.parse_all(json.dumps(body).encode())
    edit = json.loads(load("meta_messenger_message_edit"))
    del edit["entry"][0]["messaging"][0]["message_edit"]["mid"]
    with pytest.raises(meta.PayloadError, match="message_edit"):
        meta_changes.parse_all(json.dumps(edit).encode())


def test_messenger_edit_and_instagram_unsend() -> None:
    [r] = meta_changes.parse_all(load("meta_messenger_message_edit")).revisions
    assert r.channel is Channel.MESSENGER and r.id == f"messenger:{PAGE}:m_AbCdEf123:edited:n1"
    assert r.conversation_key == f"messenger:{PAGE}:6543210987654321" and r.by is RevisedBy.AUTHOR
    assert r.message is not None and r.message.text == r.text
    [d] = meta_changes.parse_all(load("meta_instagram_dm_deleted")).revisions
    assert d.channel is Channel.INSTAGRAM and d.kind is RevisionKind.DELETED
    assert d.conversation_key == "instagram:17841400000000001:dm:992233445566"


def test_x_deleted_posts_of_others_only() -> None:
    found = x.parse_all(load("x_tweet_delete"))
    assert found.messages == []
    [r] = found.revisions  # the account's own deleted post is skipped
    assert r.message_id == "x:930524282358325248:1045405559317569537"
    assert r.by is RevisedBy.AUTHOR and r.actor_id == "3305087221"
    assert r.kind is RevisionKind.DELETED and r.revised_at.timestamp() == 1763718800
    with pytest.raises(x.PayloadError, match="tweet_delete_events"):
        x.parse_all(load("x_tweet_delete_bad_id"))
    assert x.parse(load("x_tweet_create_mention"))  # mentions still parse as before


# --- The routes

class FakeRevisions:
    def __init__(self) -> None:
        self.published: list = []
        self.fail = False

    async def revisions(self, revisions) -> None:
        if self.fail:
            raise PublishFailed("Kafka is not connected (test)")
        self.published.extend(revisions)


@pytest.fixture
async def app():
    application = app_with_fakes(x_consumer_secret="test_consumer_secret")
    application.state.revisions = FakeRevisions()
    return application


async def post(app, path: str, body: bytes, headers: dict) -> httpx.Response:
    async with client_of(app) as c:
        return await c.post(path, content=body, headers=headers)


def meta_signed(body: bytes) -> dict:
    return {meta.SIGNATURE_HEADER: meta.sign(body, "test_app_secret"), "Content-Type": "application/json"}


def x_signed(body: bytes) -> dict:
    return {x.SIGNATURE_HEADER: x.sign(body, "test_consumer_secret"), "Content-Type": "application/json"}


async def test_signed_meta_edit_and_removal_are_published(app) -> None:
    for name in ("meta_feed_comment_edited", "meta_feed_comment_remove"):
        body = load(name)
        response = await post(app, "/webhooks/meta", body, meta_signed(body))
        assert response.status_code == 200 and response.text == "EVENT_RECEIVED"
    kinds = [r.kind for r in app.state.revisions.published]
    assert kinds == [RevisionKind.EDITED, RevisionKind.DELETED]
    assert app.state.publisher.published == [] and app.state.publisher.letters == []


async def test_revision_follows_the_conversation_the_ledger_knows(app) -> None:
    # A comment on a visitor post lives in the post's conversation: its edit is filed there too.
    key = f"facebook:{PAGE}:104729113_55501"
    await app.state.stores.ledger.remember("facebook", PAGE, "104729113_55501_88001", key)
    body = load("meta_feed_comment_edited")
    assert (await post(app, "/webhooks/meta", body, meta_signed(body))).status_code == 200
    [r] = app.state.revisions.published
    assert r.conversation_key == key and r.message.conversation_key == key


async def test_unsigned_or_forged_changes_are_refused(app) -> None:
    body = load("meta_feed_comment_remove")
    assert (await post(app, "/webhooks/meta", body, {meta.SIGNATURE_HEADER: "sha256=" + "0" * 64})).status_code == 401
    body = load("x_tweet_delete")
    assert (await post(app, "/webhooks/x", body, {x.SIGNATURE_HEADER: "sha256=AAAA"})).status_code == 401
    assert app.state.revisions.published == [] and app.state.publisher.letters == []


async def test_changes_naming_no_message_are_dead_lettered_with_the_reason(app) -> None:
    body = load("meta_feed_comment_edited_no_id")
    response = await post(app, "/webhooks/meta", body, meta_signed(body))
    assert response.status_code == 200  # Meta retries anything else; the payload is kept on the dead-letter topic
    [letter] = app.state.publisher.letters
    assert "names no comment id" in letter["reason"] and letter["body"] == body
    body = load("x_tweet_delete_bad_id")
    assert (await post(app, "/webhooks/x", body, x_signed(body))).status_code == 200
    assert "tweet_delete_events" in app.state.publisher.letters[-1]["reason"]
    assert app.state.revisions.published == []


async def test_x_deletion_is_published_and_kafka_down_asks_for_a_retry(app) -> None:
    body = load("x_tweet_delete")
    assert (await post(app, "/webhooks/x", body, x_signed(body))).status_code == 200
    [r] = app.state.revisions.published
    assert r.platform_message_id == "1045405559317569537"
    app.state.revisions.fail = True
    assert (await post(app, "/webhooks/x", body, x_signed(body))).status_code == 503
