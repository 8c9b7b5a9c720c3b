"""A signed Meta webhook in, the conversation out of the inbox API: through real Kafka and FerretDB."""

import json
import uuid

import pytest
from civic_contracts.topics import DEAD_LETTER, MESSAGE_RECEIVED
from support.kafka import find_records, produce_raw
from support.system import META_VERIFY_TOKEN, System

pytestmark = [pytest.mark.integration, pytest.mark.e2e]
PAGE = "104729113"


def feed_comment(text: str, *, comment: str | None = None, parent: str | None = None, author: str = "7311946001") -> dict:
    post = f"{PAGE}_{uuid.uuid4().hex[:10]}"
    comment = comment or f"{post}_{uuid.uuid4().hex[:8]}"
    return {
        "object": "page",
        "entry": [{"id": PAGE, "time": 1763718000, "changes": [{"field": "feed", "value": {
            "item": "comment", "verb": "add", "comment_id": comment, "post_id": post, "parent_id": parent or post,
            "from": {"id": author, "name": "Sam Hughes"}, "message": text, "created_time": 1763717990,
        }}]}],
    }


def messenger(text: str, *, sender: str, mid: str | None = None, timestamp: int = 1763718399000) -> dict:
    return {
        "object": "page",
        "entry": [{"id": PAGE, "time": timestamp, "messaging": [{
            "sender": {"id": sender}, "recipient": {"id": PAGE}, "timestamp": timestamp,
            "message": {"mid": mid or f"m_{uuid.uuid4().hex}", "text": text},
        }]}],
    }


def triaged(conversation: dict) -> bool:
    """Stored and triaged: the message and its triage result (which may arrive in either order) are both in."""
    messages = conversation["messages"]
    return bool(conversation["department"] and messages and all(m["triage"] for m in messages))


def thread_key(payload: dict) -> str:
    value = payload["entry"][0]["changes"][0]["value"]
    return f"facebook:{PAGE}:{value['comment_id']}"


async def test_signed_comment_reaches_the_inbox_with_its_department(system: System) -> None:
    payload = feed_comment("Massive pothole on Albion Street outside the school, the road surface is breaking up.")
    response = await system.post_meta(payload)
    assert response.status_code == 200, response.text
    convo = await system.wait_for_conversation(thread_key(payload), until=triaged)
    assert convo["department"] == "highways"
    assert convo["channel"] == "facebook" and convo["kind"] == "public_comment"
    [message] = convo["messages"]
    assert message["text"].startswith("Massive pothole")
    assert message["triage"]["department"] == "highways"
    assert message["triage"]["explanation"]["summary"]
    filtered = await system.conversations(department="highways", channel="facebook")
    assert thread_key(payload) in [c["id"] for c in filtered["items"]]


async def test_messenger_message_reaches_the_inbox(system: System) -> None:
    sender = uuid.uuid4().hex[:12]
    response = await system.post_meta(messenger("My bins weren't collected on Tuesday, the recycling is overflowing.", sender=sender))
    assert response.status_code == 200
    convo = await system.wait_for_conversation(f"messenger:{PAGE}:{sender}", until=triaged)
    assert convo["department"] == "waste"
    assert convo["channel"] == "messenger" and convo["kind"] == "private_message"


async def test_duplicate_delivery_stores_one_message(system: System) -> None:
    sender = uuid.uuid4().hex[:12]
    first = messenger("The street light outside number 4 has been out for a week.", sender=sender, mid=f"m_{sender}_1")
    for _ in range(3):
        assert (await system.post_meta(first)).status_code == 200
    follow_up = messenger("Any news on the light?", sender=sender, mid=f"m_{sender}_2", timestamp=1763718999000)
    assert (await system.post_meta(follow_up)).status_code == 200
    # The follow-up is behind the duplicates on the same partition: once it is stored, so are they.
    convo = await system.wait_for_conversation(
        f"messenger:{PAGE}:{sender}", until=lambda c: len(c["messages"]) >= 2 and all(m["triage"] for m in c["messages"])
    )
    assert [m["platform_message_id"] for m in convo["messages"]] == [f"m_{sender}_1", f"m_{sender}_2"]
    assert convo["message_count"] == 2


async def test_forged_or_missing_signature_is_rejected_and_nothing_is_published(system: System) -> None:
    forged = feed_comment("Forged: the council is closing every library tomorrow.")
    assert (await system.post_meta(forged, signature="sha256=" + "0" * 64)).status_code == 401
    assert (await system.post_meta(forged, signature=None)).status_code == 401
    key = thread_key(forged)
    parent = forged["entry"][0]["changes"][0]["value"]
    genuine = feed_comment("Genuine reply in the same thread about the library opening hours.",
                           parent=parent["comment_id"])
    genuine["entry"][0]["changes"][0]["value"]["post_id"] = parent["post_id"]
    assert (await system.post_meta(genuine)).status_code == 200
    # Same conversation, so same partition: had the forged one been published, it would be stored first.
    convo = await system.wait_for_conversation(key)
    assert [m["text"] for m in convo["messages"]] == ["Genuine reply in the same thread about the library opening hours."]


async def test_meta_handshake(system: System) -> None:
    ok = await system.connectors.get(
        "/webhooks/meta", params={"hub.mode": "subscribe", "hub.verify_token": META_VERIFY_TOKEN, "hub.challenge": "1158201444"}
    )
    assert ok.status_code == 200 and ok.text == "1158201444"
    bad = await system.connectors.get(
        "/webhooks/meta", params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1158201444"}
    )
    assert bad.status_code == 403


async def test_verified_but_unparseable_delivery_is_accepted_and_dead_lettered(system: System) -> None:
    marker = uuid.uuid4().hex
    body = json.dumps({"object": "page", "entry": f"not-a-list-{marker}"}).encode()
    response = await system.post_meta(body)
    assert response.status_code == 200
    [letter] = await find_records(system.infra.kafka_bootstrap_servers, DEAD_LETTER.name, lambda v: marker in v.get("payload", ""))
    assert letter["service"] == "connectors" and letter["source"] == "POST /webhooks/meta"
    assert letter["error_type"] == "parse_error" and "entry" in letter["reason"]
    assert json.loads(letter["payload"]) == json.loads(body)


async def test_poison_records_are_dead_lettered_and_consumers_carry_on(system: System) -> None:
    marker = uuid.uuid4().hex
    bootstrap = system.infra.kafka_bootstrap_servers
    await produce_raw(bootstrap, MESSAGE_RECEIVED.name, f"\x00 not json {marker}".encode(), key=b"poison")
    await produce_raw(bootstrap, MESSAGE_RECEIVED.name, json.dumps({"id": marker, "channel": "carrier-pigeon"}).encode(), key=b"poison")
    ours = (f"triage-{system.run_id}", f"responder-{system.run_id}.")  # other test sessions may share the broker
    letters = await find_records(
        bootstrap, DEAD_LETTER.name, lambda v: marker in v.get("payload", "") and (v.get("group") or "").startswith(ours),
        count=4,
    )
    assert sorted((letter["service"], letter["error_type"]) for letter in letters) == [
        ("responder", "parse_error"), ("responder", "validation_error"),
        ("triage", "parse_error"), ("triage", "validation_error"),
    ]
    invalid = next(letter for letter in letters if letter["error_type"] == "validation_error")
    assert invalid["source"] == MESSAGE_RECEIVED.name and "channel" in invalid["reason"] and invalid["offset"] is not None
    # Both consumers carry on with the next good message.
    sender = uuid.uuid4().hex[:12]
    assert (await system.post_meta(messenger("Overgrown hedge blocking the pavement on Park Road.", sender=sender))).status_code == 200
    await system.wait_for_conversation(f"messenger:{PAGE}:{sender}", until=triaged)


async def test_kafka_down_answers_503_so_meta_retries(infra) -> None:
    import httpx
    from connectors.config import Settings
    from connectors.main import create_app
    from support.system import META_APP_SECRET

    app = create_app(Settings(kafka_bootstrap_servers="127.0.0.1:9", meta_app_secret=META_APP_SECRET,
                              meta_verify_token="t", startup_wait_seconds=0.5))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://c.test") as client:
            from connectors.platforms import meta

            body = json.dumps(feed_comment("Bin not emptied")).encode()
            response = await client.post("/webhooks/meta", content=body,
                                         headers={meta.SIGNATURE_HEADER: meta.sign(body, META_APP_SECRET)})
            assert response.status_code == 503
            assert (await client.get("/healthz")).status_code == 503

