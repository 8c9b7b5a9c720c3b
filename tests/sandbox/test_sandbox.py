"""The sandbox: stand-in APIs shaped like PLATFORMS.md, fault injection, polled feeds, and sample traffic
that the connectors accept on every channel."""

import argparse
import random

import httpx
import pytest
from connectors.config import Settings as ConnectorSettings
from connectors.main import create_app as connectors_app
from sandbox.app import create_app
from sandbox.config import Settings
from sandbox.traffic import requests_for
from support.connector_fakes import FakePublisher, FakeStores


@pytest.fixture
async def sandbox():
    app = create_app(Settings(seed=3))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox.test") as client:
        yield client


async def test_meta_send_api_records_and_answers_like_graph(sandbox) -> None:
    body = {"recipient": {"id": "2468"}, "messaging_type": "RESPONSE", "message": {"text": "Hello"}}
    assert (await sandbox.post("/meta/v25.0/104729113/messages", json=body)).json()["error"]["code"] == 190
    sent = await sandbox.post("/meta/v25.0/104729113/messages", json=body, headers={"Authorization": "Bearer t"})
    assert sent.status_code == 200 and set(sent.json()) == {"recipient_id", "message_id"}
    assert "X-Business-Use-Case-Usage" in sent.headers
    [record] = (await sandbox.get("/_sandbox/sent", params={"platform": "meta"})).json()
    assert record["body"] == body and record["id"] == sent.json()["message_id"]


async def test_faults_fail_the_next_matching_calls_then_clear(sandbox) -> None:
    armed = await sandbox.post("/_sandbox/faults", json={"platform": "meta", "kind": "rate_limit", "count": 1,
                                                          "match": "/104729113/", "retry_after_seconds": 120})
    assert armed.status_code == 201
    auth = {"Authorization": "Bearer t"}
    other = await sandbox.post("/meta/v25.0/999/comments", data={"message": "hi"}, headers=auth)
    assert other.status_code == 200  # does not match
    limited = await sandbox.post("/meta/v25.0/104729113/messages", json={"recipient": {"id": "1"}, "message": {"text": "x"}}, headers=auth)
    assert limited.status_code == 400 and limited.json()["error"]["code"] == 80006
    assert '"estimated_time_to_regain_access": 2' in limited.headers["X-Business-Use-Case-Usage"]
    assert (await sandbox.get("/_sandbox/faults")).json() == []
    await sandbox.post("/_sandbox/faults", json={"platform": "twilio", "kind": "rate_limit"})
    twilio = await sandbox.post("/twilio/2010-04-01/Accounts/AC1/Messages.json", data={"To": "+44", "Body": "x"}, auth=("AC1", "tok"))
    assert twilio.status_code == 429 and twilio.json()["code"] == 20429
    await sandbox.post("/_sandbox/faults", json={"platform": "x", "kind": "rate_limit", "retry_after_seconds": 30})
    x = await sandbox.post("/x/2/tweets", json={"text": "x"}, headers=auth)
    assert x.status_code == 429 and int(x.headers["x-rate-limit-reset"]) > 0 and x.json()["type"].endswith("rate-limit-exceeded")
    await sandbox.post("/_sandbox/faults", json={"platform": "youtube", "kind": "quota"})
    yt = await sandbox.post("/youtube/youtube/v3/comments", params={"part": "snippet"}, json={}, headers=auth)
    assert yt.status_code == 403 and yt.json()["error"]["errors"][0]["reason"] == "quotaExceeded"


async def test_x_mentions_page_with_since_id_and_pagination_token(sandbox) -> None:
    auth = {"Authorization": "Bearer app"}
    account = Settings().x_account_id
    first = (await sandbox.get(f"/x/2/users/{account}/mentions", params={"max_results": 5}, headers=auth)).json()
    assert first["meta"]["result_count"] == 5 and "next_token" in first["meta"]
    ids = [int(p["id"]) for p in first["data"]]
    assert ids == sorted(ids, reverse=True) and first["includes"]["users"]
    second = (await sandbox.get(f"/x/2/users/{account}/mentions",
                                params={"max_results": 5, "pagination_token": first["meta"]["next_token"]}, headers=auth)).json()
    assert max(int(p["id"]) for p in second["data"]) < min(ids)
    new = (await sandbox.post("/_sandbox/x/mentions", json={"text": "@CivicCouncil bins again"})).json()
    since = (await sandbox.get(f"/x/2/users/{account}/mentions", params={"since_id": first["meta"]["newest_id"]},
                               headers=auth)).json()
    assert [p["id"] for p in since["data"]] == [new["id"]]


async def test_youtube_threads_newest_first_with_page_tokens(sandbox) -> None:
    channel = Settings().youtube_channel_id
    page = (await sandbox.get("/youtube/youtube/v3/commentThreads", params={
        "part": "snippet,replies", "allThreadsRelatedToChannelId": channel, "maxResults": 4, "key": "k"})).json()
    times = [t["snippet"]["topLevelComment"]["snippet"]["publishedAt"] for t in page["items"]]
    assert times == sorted(times, reverse=True) and page["nextPageToken"] == "4"
    unauthenticated = await sandbox.get("/youtube/youtube/v3/commentThreads", params={"part": "snippet"})
    assert unauthenticated.status_code == 401


@pytest.fixture
async def connectors():
    settings = ConnectorSettings(meta_app_secret="s-meta", meta_verify_token="v", x_consumer_secret="s-x",
                                 twilio_auth_token="s-tw", mailgun_signing_key="s-mg", open311_api_keys=["k-311"])
    app = connectors_app(settings)
    app.state.publisher = FakePublisher()
    app.state.revisions = FakePublisher()  # edits and deletions (`revisions()`), counted apart from messages
    app.state.revisions.revisions = app.state.revisions.messages
    app.state.stores = FakeStores()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8081") as client:
        yield app, client


async def test_sample_traffic_on_every_channel_is_accepted_by_the_connectors(connectors) -> None:
    app, client = connectors
    args = argparse.Namespace(
        app_secret="s-meta", page_id="104729113", instagram_id="17841400000000001", count=10, seed=5,
        x_consumer_secret="s-x", x_account="1456000000000000001", x_handle="CivicCouncil",
        twilio_auth_token="s-tw", twilio_public_url=None, sms_number="+447700900100", connectors="http://127.0.0.1:8081",
        mailgun_signing_key="s-mg", mailbox="contact@council.example.gov.uk", open311_api_key="k-311",
    )
    deliveries = requests_for(args, random.Random(5))
    for label, path, body, headers in deliveries:
        response = await client.post(path, content=body, headers=headers)
        assert response.status_code == 200, (label, response.text)
    channels = {m.channel.value for m in app.state.publisher.published}
    assert channels == {"facebook", "messenger", "instagram", "x", "sms", "whatsapp", "email", "webform"}
    assert app.state.publisher.letters == []
    revised = app.state.revisions.published  # a Facebook comment edited, another removed, a mention deleted
    assert sorted((r.channel.value, r.kind.value) for r in revised) == [
        ("facebook", "deleted"), ("facebook", "edited"), ("x", "deleted")]
    assert len(app.state.publisher.published) + len(revised) == len(deliveries)
