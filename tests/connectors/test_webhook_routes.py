"""Every webhook route without infrastructure: verified deliveries are published, forged or missing
signatures are refused with nothing published, unparseable ones are accepted and dead-lettered, and a
publish failure asks the platform to retry (5xx). Kafka and MongoDB are replaced by in-memory fakes."""

import json
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from connectors.config import Settings
from connectors.main import create_app
from connectors.platforms import email, meta, x
from support.connector_fakes import FakePublisher, app_with_fakes, client_of
from twilio.request_validator import RequestValidator

PAYLOADS = Path(__file__).parent / "payloads"
SECRETS = {"meta_app_secret": "test_app_secret", "meta_verify_token": "test_verify_token",
           "x_consumer_secret": "test_consumer_secret", "twilio_auth_token": "test_auth_token",
           "twilio_account_sid": "AC00000000000000000000000000000001", "mailgun_signing_key": "test_signing_key",
           "open311_api_keys": ["test_open311_key"]}


def fixture(name: str) -> bytes:
    return (PAYLOADS / f"{name}.json").read_bytes()


@pytest.fixture
async def app():
    return app_with_fakes(**SECRETS)


@pytest.fixture
async def client(app):
    async with client_of(app) as c:
        yield c


def twilio_post(params: dict[str, str], *, url: str = "https://inbox.example.gov.uk/webhooks/twilio") -> tuple[bytes, dict]:
    signature = RequestValidator("test_auth_token").compute_signature(url, params)
    return urlencode(params).encode(), {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}


def mailgun_post(name: str, *, token: str = "tok-1", timestamp: int | None = None) -> tuple[bytes, dict]:  # noqa: S107
    fields = json.loads(fixture(name))
    fields["timestamp"], fields["token"] = str(timestamp or int(time.time())), token
    fields["signature"] = email.sign(fields["timestamp"], token, "test_signing_key")
    return urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded"}


# --- Meta (Instagram through the same route)

async def test_meta_instagram_delivery_is_published(client, app) -> None:
    body = fixture("meta_instagram_dm")
    response = await client.post("/webhooks/meta", content=body, headers={meta.SIGNATURE_HEADER: meta.sign(body, "test_app_secret")})
    assert response.status_code == 200 and response.text == "EVENT_RECEIVED"
    [m] = app.state.publisher.published
    assert m.channel.value == "instagram"
    health = {h.channel.value: h for h in app.state.health.snapshot()}
    assert health["instagram"].last_event_at is not None
    assert health["webform"].account_id == "civic-inbox" and health["webform"].last_event_at is None  # configured, quiet


# --- X

async def test_x_crc_and_signed_delivery(client, app) -> None:
    crc = await client.get("/webhooks/x", params={"crc_token": "crc-token-123"})
    assert crc.json() == {"response_token": "sha256=WTP6ckqLOLFsB+woMqoUFnbdaUQZslRlj+Df7hg+aVo="}
    assert (await client.get("/webhooks/x")).status_code == 400
    body = fixture("x_tweet_create_mention")
    ok = await client.post("/webhooks/x", content=body, headers={x.SIGNATURE_HEADER: x.sign(body, "test_consumer_secret")})
    assert ok.status_code == 200
    assert [m.platform_message_id for m in app.state.publisher.published] == ["1925000000000000001"]


async def test_x_reply_to_a_known_post_joins_its_conversation(client, app) -> None:
    await app.state.stores.ledger.remember("x", "1456000000000000001", "1925000000000000001", "x:1456000000000000001:1925000000000000000")
    body = fixture("x_tweet_create_extended")
    await client.post("/webhooks/x", content=body, headers={x.SIGNATURE_HEADER: x.sign(body, "test_consumer_secret")})
    [m] = app.state.publisher.published
    assert m.conversation_key == "x:1456000000000000001:1925000000000000000"


@pytest.mark.parametrize("signature", [None, "sha256=AAAA", "MdwerXyup5RjxlFkX69epegYjAkM5uMK2/kcju8IDXo="])
async def test_x_forged_or_missing_signature_is_refused(client, app, signature) -> None:
    headers = {x.SIGNATURE_HEADER: signature} if signature else {}
    response = await client.post("/webhooks/x", content=fixture("x_tweet_create_mention"), headers=headers)
    assert response.status_code == 401 and app.state.publisher.published == []


async def test_x_unconfigured_fails_closed() -> None:
    app = create_app(Settings(meta_app_secret="a", meta_verify_token="b"))
    app.state.publisher = FakePublisher()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://c") as c:
        assert (await c.get("/webhooks/x", params={"crc_token": "t"})).status_code == 403
        for path in ("/webhooks/x", "/webhooks/twilio", "/webhooks/email"):
            assert (await c.post(path, content=b"{}")).status_code in (401, 403)
    assert app.state.publisher.published == []


# --- Twilio

async def test_twilio_sms_signed_for_the_public_url_is_published(client, app) -> None:
    params = json.loads(fixture("twilio_sms_inbound"))
    body, headers = twilio_post(params)
    response = await client.post("/webhooks/twilio", content=body, headers=headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/xml")
    assert "<Response>" in response.text
    [m] = app.state.publisher.published
    assert m.channel.value == "sms" and urlencode(params) == m.raw_payload


async def test_twilio_retry_is_the_same_message_in_every_field(client, app) -> None:
    body, headers = twilio_post(json.loads(fixture("twilio_sms_inbound")))
    for _ in range(2):
        assert (await client.post("/webhooks/twilio", content=body, headers=headers)).status_code == 200
    first, retry = app.state.publisher.published
    assert first.model_dump(exclude={"received_at"}) == retry.model_dump(exclude={"received_at"})


async def test_twilio_signature_for_the_internal_url_is_refused_behind_a_proxy(client, app) -> None:
    body, headers = twilio_post(json.loads(fixture("twilio_whatsapp_inbound")), url="http://127.0.0.1:8081/webhooks/twilio")
    assert (await client.post("/webhooks/twilio", content=body, headers=headers)).status_code == 403
    assert app.state.publisher.published == []


async def test_twilio_without_public_base_url_uses_the_request_url() -> None:
    app = create_app(Settings(**SECRETS))
    app.state.publisher = FakePublisher()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8081") as c:
        body, headers = twilio_post(json.loads(fixture("twilio_whatsapp_inbound")), url="http://127.0.0.1:8081/webhooks/twilio?rc=1")
        assert (await c.post("/webhooks/twilio?rc=1", content=body, headers=headers)).status_code == 200
    assert app.state.publisher.published[0].channel.value == "whatsapp"


@pytest.mark.parametrize("tamper", ["missing", "forged", "body changed"])
async def test_twilio_forged_or_missing_signature_is_refused(client, app, tamper) -> None:
    params = json.loads(fixture("twilio_sms_inbound"))
    body, headers = twilio_post(params)
    if tamper == "missing":
        del headers["X-Twilio-Signature"]
    elif tamper == "forged":
        headers["X-Twilio-Signature"] = "78GZ0ocUgd6ncK2h3SLByPyIv8w="
    else:
        body = body.replace(b"Orchard", b"Orchid")
    assert (await client.post("/webhooks/twilio", content=body, headers=headers)).status_code == 403
    assert app.state.publisher.published == []


async def test_twilio_verified_but_unparseable_is_dead_lettered(client, app) -> None:
    body, headers = twilio_post({"Body": "no sid", "To": "+447700900100"})
    response = await client.post("/webhooks/twilio", content=body, headers=headers)
    assert response.status_code == 200 and app.state.publisher.published == []
    [letter] = app.state.publisher.letters
    assert letter["source"] == "POST /webhooks/twilio" and "MessageSid" in letter["reason"]


# --- Email

async def test_email_is_published_and_its_headers_kept_for_the_reply(client, app) -> None:
    body, headers = mailgun_post("email_mailgun_inbound")
    assert (await client.post("/webhooks/email", content=body, headers=headers)).status_code == 200
    [m] = app.state.publisher.published
    assert m.conversation_key == "email:contact@council.example.gov.uk:CAFm0uld-1@mail.example.org"
    assert await app.state.stores.emails.get("CAFm0uld-1@mail.example.org") is not None


async def test_email_replayed_token_stale_or_forged_signature_is_refused(client, app) -> None:
    body, headers = mailgun_post("email_mailgun_inbound", token="once")
    assert (await client.post("/webhooks/email", content=body, headers=headers)).status_code == 200
    assert (await client.post("/webhooks/email", content=body, headers=headers)).status_code == 403  # replay
    stale, headers = mailgun_post("email_mailgun_inbound", token="old", timestamp=int(time.time()) - 3600)
    assert (await client.post("/webhooks/email", content=stale, headers=headers)).status_code == 401
    forged = body.replace(b"signature=", b"signature=0")
    assert (await client.post("/webhooks/email", content=forged, headers=headers)).status_code == 401
    assert (await client.post("/webhooks/email", content=fixture("email_mailgun_inbound"),
                              headers={"Content-Type": "application/json"})).status_code == 401
    assert len(app.state.publisher.published) == 1


async def test_email_kafka_down_answers_503(client, app) -> None:
    app.state.publisher.fail = True
    body, headers = mailgun_post("email_mailgun_inbound", token="down")
    assert (await client.post("/webhooks/email", content=body, headers=headers)).status_code == 503


# --- Open311 and the contact form

async def test_open311_services_create_and_status(client, app) -> None:
    services = (await client.get("/open311/v2/services.json")).json()
    assert {"service_code": "highways", "service_name": "Highways"}.items() <= services[1].items() or \
        any(s["service_code"] == "highways" for s in services)
    fields = json.loads(fixture("open311_request_create"))
    created = await client.post("/open311/v2/requests.json", content=urlencode(fields),
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert created.status_code == 200, created.text
    [answer] = created.json()
    again = await client.post("/open311/v2/requests.json", content=urlencode(fields),
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert again.json()[0]["service_request_id"] == answer["service_request_id"]  # a retry is the same request
    first, repeat = app.state.publisher.published
    assert first.id == repeat.id == f"webform:civic-inbox:{answer['service_request_id']}"
    assert first.sent_at == repeat.sent_at  # the same message in every field
    [status] = (await client.get(f"/open311/v2/requests/{answer['service_request_id']}.json")).json()
    assert status["status"] == "open" and status["service_code"] == "highways" and "api_key" not in status
    missing = await client.get("/open311/v2/requests/WF-NOPE.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404


@pytest.mark.parametrize("change, status", [({"api_key": "wrong"}, 403), ({"api_key": ""}, 403),
                                            ({"service_code": "nope"}, 404), ({"address_string": ""}, 400)])
async def test_open311_refusals(client, app, change, status) -> None:
    fields = {**json.loads(fixture("open311_request_create")), **change}
    response = await client.post("/open311/v2/requests.json", content=urlencode(fields),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == status and response.json()[0]["code"] == status
    assert app.state.publisher.published == []


async def test_contact_form_is_accessible_and_escapes_what_it_shows(client, app) -> None:
    page = (await client.get("/contact")).text
    for name in ("service_code", "description", "address_string", "email", "phone"):
        assert f'<label for="{name}">' in page and f'id="{name}"' in page
    assert 'autocomplete="email"' in page and 'autocomplete="street-address"' in page and 'lang="en-GB"' in page
    evil = {"service_code": "", "description": "<script>alert(1)</script>", "email": "bad\"><b>"}
    invalid = await client.post("/contact", content=urlencode(evil), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert invalid.status_code == 400
    assert "There is a problem" in invalid.text and 'href="#service_code"' in invalid.text and 'href="#address_string"' in invalid.text
    assert "<script>" not in invalid.text and "&lt;script&gt;" in invalid.text and 'bad"><b>' not in invalid.text
    assert 'aria-invalid="true"' in invalid.text and app.state.publisher.published == []


async def test_contact_form_submits_through_open311(client, app) -> None:
    fields = {"service_code": "waste", "description": "Fridge dumped in the lane", "address_string": "Mill Lane",
              "form_started": app.state.webform_guard.start_token(time.time() - 10)}  # shown 10 s ago
    response = await client.post("/contact", content=urlencode(fields), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200 and "Your reference is" in response.text
    [m] = app.state.publisher.published
    assert m.channel.value == "webform" and m.platform_message_id in response.text


async def test_channel_health_endpoint_and_metrics(client, app) -> None:
    app.state.health.failure("x", "1", "401: Unauthorized", credentials=True)
    internal = "http://127.0.0.1:9081"  # the internal listener: the public one answers 404
    [h] = [h for h in (await client.get(f"{internal}/api/channel-health")).json() if h["channel"] == "x"]
    assert h["account_id"] == "1" and h["credentials_rejected"] is True and h["consecutive_failures"] == 1
    metrics = (await client.get(f"{internal}/metrics")).text
    assert 'connectors_channel_credentials_rejected{account="1",channel="x"} 1.0' in metrics
