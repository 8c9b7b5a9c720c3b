"""Ops can follow a trace: after `make run`, a citizen message's conversation page carries a Trace link (the trace
id of the hop that received it, stored on the message), and that link opens the trace in the local Jaeger (its
query API: the Go-module build has no UI assets), where the webhook, triage and responder spans are found."""

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


def test_the_conversation_page_links_to_the_trace_of_the_message_in_jaeger(stack: S.Stack) -> None:
    marker = uuid.uuid4().hex[:10]
    payload = webhooks.feed_comment(S.PAGE, f"The bus shelter on Station Road is smashed (ref {marker})", "Ann Lee",
                                    "7000000001", int(time.time()), random.Random(marker))
    body = json.dumps(payload).encode()
    response = httpx.post(f"{stack.url('connectors')}/webhooks/meta", content=body,
                          headers=signing.meta(body, S.META_APP_SECRET), timeout=30)
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
    ui = f"http://127.0.0.1:{stack.ports['TRACE_UI_PORT']}"
    match = re.fullmatch(re.escape(ui) + r"/api/traces/([0-9a-f]{32})", link)
    assert match, link
    assert match.group(1) == doc["trace_id"]

    # The link opens the trace (Jaeger's query API), with this message's hops in it.
    services: set[str] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not {"connectors", "triage", "responder"} <= services:
        found = httpx.get(link, timeout=30)
        if found.status_code == 200:
            for trace in found.json().get("data") or []:
                services |= {p["serviceName"] for p in trace["processes"].values()}
        time.sleep(2)
    assert {"connectors", "triage", "responder"} <= services, services
