"""Forged, tampered, replayed and stale signatures on every webhook, and the X CRC answer as a signing oracle:
each refused with nothing published."""

import json
import time

import pytest
from connectors.platforms import x
from security_support import (
    client_for,
    connectors_app,
    payload,
    signed_mailgun,
    signed_meta,
    signed_twilio,
    signed_x,
)

X_DELIVERY = {"for_user_id": "1456000000000000001", "direct_message_events": [{
    "type": "message_create", "id": "1", "created_timestamp": "1747670400000",
    "message_create": {"sender_id": "98765432", "target": {"recipient_id": "1456000000000000001"},
                       "message_data": {"text": "forged"}}}]}


@pytest.fixture
def app():
    return connectors_app()


@pytest.fixture
async def c(app):
    async with client_for(app) as client:
        yield client


async def test_the_crc_answer_is_no_signing_oracle(c, app) -> None:
    forged = json.dumps(X_DELIVERY, separators=(",", ":"))
    for token in (forged, '{"for_user_id":"1"}', "[]", "1234", "true", "null", "tok en", "a" * 129, "é" * 10,
                  "<script>", 'x"y', "a\nb"):
        answer = await c.get("/webhooks/x", params={"crc_token": token})
        assert answer.status_code in (400, 422), token
        assert "response_token" not in answer.text
    # What the attack needed: the CRC answer for a delivery body, used as that delivery's signature.
    answer = await c.get("/webhooks/x", params={"crc_token": forged})
    stolen = answer.json()["response_token"] if answer.status_code == 200 else "sha256="
    posted = await c.post("/webhooks/x", content=forged.encode(), headers={x.SIGNATURE_HEADER: stolen})
    assert posted.status_code == 401
    assert app.state.publisher.published == []
    # X's own tokens still get their answer (PLATFORMS.md test vector).
    ok = await c.get("/webhooks/x", params={"crc_token": "crc-token-123"})
    assert ok.json() == {"response_token": "sha256=WTP6ckqLOLFsB+woMqoUFnbdaUQZslRlj+Df7hg+aVo="}


async def test_forged_and_tampered_signatures_are_refused(c, app) -> None:
    meta_body, x_body = payload("meta_feed_comment_add"), payload("x_tweet_create_mention")
    twilio_params = json.loads(payload("twilio_sms_inbound"))
    wrong_key = [
        ("/webhooks/meta", meta_body, signed_meta(meta_body, "not-the-secret")),
        ("/webhooks/x", x_body, signed_x(x_body, "not-the-secret")),
        ("/webhooks/twilio", *signed_twilio(twilio_params, "not-the-token")),
        ("/webhooks/email", *signed_mailgun(token="forged-1", key="not-the-key")),
    ]
    tampered = [
        ("/webhooks/meta", meta_body.replace(b"pothole", b"POTHOLE"), signed_meta(meta_body)),
        ("/webhooks/x", x_body + b" ", signed_x(x_body)),
        ("/webhooks/twilio", signed_twilio(twilio_params)[0].replace(b"Bins", b"Bans"), signed_twilio(twilio_params)[1]),
    ]
    missing = [(path, body, {"Content-Type": headers["Content-Type"]}) for path, body, headers in wrong_key]
    for path, body, headers in wrong_key + tampered + missing:
        response = await c.post(path, content=body, headers=headers)
        assert response.status_code in (401, 403), (path, response.status_code)
    assert app.state.publisher.published == [] and app.state.publisher.letters == []


async def test_mailgun_replays_and_stale_timestamps_are_refused(c, app) -> None:
    body, headers = signed_mailgun(token="once-only")
    assert (await c.post("/webhooks/email", content=body, headers=headers)).status_code == 200
    replay = await c.post("/webhooks/email", content=body, headers=headers)
    assert replay.status_code == 403 and "already used" in replay.text
    stale = signed_mailgun(token="stale-1", timestamp=int(time.time()) - 3600)
    future = signed_mailgun(token="future-1", timestamp=int(time.time()) + 3600)
    for stale_body, stale_headers in (stale, future):
        assert (await c.post("/webhooks/email", content=stale_body, headers=stale_headers)).status_code == 401
    assert len(app.state.publisher.published) == 1


async def test_replayed_signed_deliveries_publish_the_same_message_once_downstream(c, app) -> None:
    """Meta, X and Twilio sign no timestamp: a replay carries a valid signature. It publishes the same message
    id again, which every consumer deduplicates (the platforms retry the same way)."""
    meta_body, x_body = payload("meta_feed_comment_add"), payload("x_tweet_create_mention")
    body, headers = signed_twilio(json.loads(payload("twilio_sms_inbound")))
    for path, content, signed in (("/webhooks/meta", meta_body, signed_meta(meta_body)),
                                  ("/webhooks/x", x_body, signed_x(x_body)), ("/webhooks/twilio", body, headers)):
        for _ in range(2):
            assert (await c.post(path, content=content, headers=signed)).status_code == 200
    ids = [m.id for m in app.state.publisher.published]
    assert len(ids) == 6 and len(set(ids)) == 3


async def test_unconfigured_platforms_fail_closed() -> None:
    app = connectors_app(x_consumer_secret=None, twilio_auth_token=None, mailgun_signing_key=None)
    async with client_for(app) as c:
        body = payload("x_tweet_create_mention")
        assert (await c.get("/webhooks/x", params={"crc_token": "abcdefgh"})).status_code == 403
        assert (await c.post("/webhooks/x", content=body, headers=signed_x(body))).status_code == 401
        assert (await c.post("/webhooks/twilio", content=b"a=b", headers={"Content-Type": "application/x-www-form-urlencoded"})).status_code == 403
        assert (await c.post("/webhooks/email", content=b"a=b", headers={"Content-Type": "application/x-www-form-urlencoded"})).status_code == 403
    assert app.state.publisher.published == []


async def test_meta_handshake_needs_the_verify_token(c) -> None:
    params = {"hub.mode": "subscribe", "hub.challenge": "1158201444"}
    assert (await c.get("/webhooks/meta", params={**params, "hub.verify_token": "guess"})).status_code == 403
    assert (await c.get("/webhooks/meta", params=params)).status_code == 403
    assert (await c.get("/webhooks/meta", params={**params, "hub.verify_token": "test_verify_token"})).text == "1158201444"
