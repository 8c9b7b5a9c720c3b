"""Ops can follow a trace: after `make run`, a citizen message's conversation page carries a Trace link (the trace
id of the hop that received it, stored on the message), and that link opens the inbox's trace page, which reads the
trace from the local Jaeger (its query API; the Go-module build has no UI assets) and shows a span waterfall with
every service the message crossed. The spans carry no citizen text."""

import json
import random
import re
import time
import uuid
from html import unescape

import httpx
import pytest
from faults import inspect as I
from faults import stack as S
from sandbox import signing, webhooks

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]


def test_the_conversation_page_links_to_the_message_trace_which_opens_as_a_span_waterfall(stack: S.Stack) -> None:
    marker = uuid.uuid4().hex[:10]
    payload = webhooks.feed_comment(S.PAGE, f"The bus shelter on Station Road is smashed (ref {marker})", "Ann Lee",
                                    "7000000001", int(time.time()), random.Random(marker))
    body = json.dumps(payload).encode()
    # Delivered as a platform does behind a load balancer: a 503 is retried, and the retry may reach the other
    # replica. (After the fault suite's Kafka restart, one replica's producer can stay stuck on
    # OutOfOrderSequenceNumber and answer 503 to everything: a known bug, in the closing note; not what this
    # test is about.)
    for replica in (1, 2, 1, 2):
        response = httpx.post(f"{stack.url('connectors', replica)}/webhooks/meta", content=body,
                              headers=signing.meta(body, S.META_APP_SECRET), timeout=30)
        if response.status_code != 503:
            break
        time.sleep(2)
    assert response.status_code == 200, response.text
    deadline, doc = time.monotonic() + 120, None
    while time.monotonic() < deadline and not (doc and doc.get("triage")):
        doc = next((d for d in I.stored_messages(stack.mongodb_uri) if marker in (d.get("text") or "")), None)
        time.sleep(1)
    assert doc and doc.get("triage"), "the message was not stored and triaged"

    with httpx.Client(base_url=stack.url("inbox"), timeout=30) as inbox:
        assert inbox.post("/api/auth/login", json={"username": "supervisor", "password": "faults-supervisor-pw"}
                          ).status_code == 200
        page = inbox.get(f"/conversations/{doc['conversation_key']}")
    assert page.status_code == 200
    links = re.findall(r'<a class="trace" href="([^"]+)"', page.text)
    assert len(links) == 1, "no Trace link on the conversation page"
    link = unescape(links[0])
    assert link == f"/ops/traces/{doc['trace_id']}", link
    assert re.fullmatch(r"[0-9a-f]{32}", doc["trace_id"])

    # What the trace store holds for it (Jaeger's query API), and what the link's page shows of it: every service
    # the message crossed, one table row per span. Spans reach Jaeger in batches: wait for the three hops.
    store = f"http://127.0.0.1:{stack.ports['TRACE_UI_PORT']}/api/traces/{doc['trace_id']}"
    stored_services: set[str] = set()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not {"connectors", "triage", "responder"} <= stored_services:
        time.sleep(2)
        found = httpx.get(store, timeout=30)
        if found.status_code == 200:
            traces = found.json().get("data") or []
            stored_services = {p["serviceName"] for t in traces for p in t["processes"].values()}
            spans = sum(len(t["spans"]) for t in traces)
    assert {"connectors", "triage", "responder"} <= stored_services, stored_services
    assert marker not in found.text and "Station Road" not in found.text, "citizen text in the spans"

    with httpx.Client(base_url=stack.url("inbox"), timeout=30) as inbox:
        assert inbox.post("/api/auth/login", json={"username": "supervisor", "password": "faults-supervisor-pw"}
                          ).status_code == 200
        trace_page = inbox.get(link)
    assert trace_page.status_code == 200, trace_page.text[:500]
    rows = re.findall(r'<tr class="span-row[^"]*" data-service="([^"]+)"', trace_page.text)
    assert len(rows) >= spans and stored_services <= set(rows), (rows, stored_services)
    assert "POST /webhooks/meta" in trace_page.text and "message.received.v1 process" in trace_page.text
    assert marker not in trace_page.text
