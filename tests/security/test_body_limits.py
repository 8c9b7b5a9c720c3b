"""Oversized, streamed, deeply nested and many-field bodies to every public endpoint of both apps: refused
with 413 or 400 before any handler reads or parses them, and nothing is published or stored."""

import json
from urllib.parse import urlencode

import pytest
from inbox.config import Settings as InboxSettings
from inbox.main import create_app as inbox_app
from security_support import client_for, connectors_app, payload, signed_meta, signed_twilio

CONNECTORS_PUBLIC_POSTS = ["/webhooks/meta", "/webhooks/x", "/webhooks/twilio", "/webhooks/email",
                           "/open311/v2/requests.json", "/contact"]
INBOX_PUBLIC_POSTS = ["/api/auth/login", "/login"]
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def nothing_happened(app) -> None:
    assert app.state.publisher.published == [] and app.state.publisher.letters == []
    assert app.state.stores.requests.saved == {} and app.state.stores.tokens.used == set()


def streamed(body: bytes, size: int = 64 * 1024):
    async def chunks():
        for start in range(0, len(body), size):
            yield body[start:start + size]
    return chunks()


@pytest.fixture
def inbox():
    # Nothing here reaches MongoDB or Kafka: every request is refused before the app runs.
    return inbox_app(InboxSettings(mongodb_uri="mongodb://127.0.0.1:1", kafka_bootstrap_servers="127.0.0.1:1"))


async def test_a_huge_body_is_refused_by_its_length_before_it_is_read() -> None:
    app = connectors_app()
    huge = b"a=" + b"x" * (33 * 1024 * 1024)  # past every route's limit, email's 32 MiB included
    async with client_for(app) as c:
        for path in CONNECTORS_PUBLIC_POSTS:
            response = await c.post(path, content=huge, headers=FORM)
            assert response.status_code == 413 and "larger than" in response.json()["detail"], path
    nothing_happened(app)


async def test_a_body_streamed_without_a_length_is_cut_off_at_the_limit() -> None:
    app = connectors_app()
    body = b"a=" + b"x" * (33 * 1024 * 1024)
    async with client_for(app) as c:
        for path in CONNECTORS_PUBLIC_POSTS:
            response = await c.post(path, content=streamed(body, size=1024 * 1024), headers=FORM)  # no Content-Length
            assert response.status_code == 413, path
    nothing_happened(app)


async def test_the_two_million_field_form_never_reaches_twilio_parsing() -> None:
    app = connectors_app()
    form = b"field=value&" * 2_000_000  # the 21 MB, 2-million-field form of the finding
    async with client_for(app) as c:
        assert (await c.post("/webhooks/twilio", content=form, headers=FORM)).status_code == 413
        # Within the byte limit, but with more fields than any platform sends: refused by count.
        body, headers = signed_twilio({**json.loads(payload("twilio_sms_inbound")),
                                       **{f"Extra{i}": "1" for i in range(400)}})
        refused = await c.post("/webhooks/twilio", content=body, headers=headers)
    assert refused.status_code == 400 and "fields" in refused.json()["detail"]
    nothing_happened(app)


async def test_forms_with_too_many_fields_are_refused() -> None:
    app = connectors_app()
    async with client_for(app) as c:
        for path in ("/open311/v2/requests.json", "/contact", "/webhooks/email"):
            response = await c.post(path, content=urlencode({f"attribute[a{i}]": "x" for i in range(300)}), headers=FORM)
            multipart = await c.post(path, files={f"f{i}": ("f.txt", b"x") for i in range(300)})
            assert response.status_code == multipart.status_code == 400, path
    nothing_happened(app)


async def test_deeply_nested_json_is_refused_even_when_signed() -> None:
    app = connectors_app()
    deep = b'{"object":"page","entry":' + b"[" * 5000 + b"]" * 5000 + b"}"
    async with client_for(app) as c:
        meta_response = await c.post("/webhooks/meta", content=deep, headers=signed_meta(deep))
        x_response = await c.post("/webhooks/x", content=deep, headers={"Content-Type": "application/json"})
    assert meta_response.status_code == x_response.status_code == 400
    assert "nested deeper" in meta_response.json()["detail"]
    nothing_happened(app)


async def test_a_real_delivery_within_the_limits_still_goes_through() -> None:
    app = connectors_app()
    body = payload("meta_batched_entries")
    async with client_for(app) as c:
        assert (await c.post("/webhooks/meta", content=body, headers=signed_meta(body))).status_code == 200
    assert app.state.publisher.published


async def test_inbox_sign_in_refuses_oversized_and_nested_bodies(inbox) -> None:
    async with client_for(inbox, base_url="http://127.0.0.1:8080") as c:
        for path in INBOX_PUBLIC_POSTS:
            big = await c.post(path, content=b"{" + b" " * (20 * 1024 * 1024) + b"}",
                               headers={"Content-Type": "application/json"})
            chunked = await c.post(path, content=streamed(b"u=" + b"x" * (1024 * 1024)), headers=FORM)
            nested = await c.post(path, content=b"[" * 100 + b"]" * 100, headers={"Content-Type": "application/json"})
            assert big.status_code == chunked.status_code == 413, path
            assert nested.status_code == 400, path


async def test_every_inbox_api_route_has_the_body_limit(inbox) -> None:
    async with client_for(inbox, base_url="http://127.0.0.1:8080") as c:
        response = await c.post("/api/conversations/k/reply", content=b'{"text":"' + b"x" * (300 * 1024) + b'"}',
                                 headers={"Content-Type": "application/json"})
    assert response.status_code == 413
