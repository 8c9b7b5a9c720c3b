"""One trace runs from the webhook to the stored conversation: W3C trace context crosses Kafka."""

import asyncio
import uuid

import pytest
from opentelemetry.trace import SpanKind
from support.system import System

pytestmark = [pytest.mark.integration, pytest.mark.e2e]


def ancestry(span, by_id: dict) -> list:
    chain = []
    while span.parent is not None and span.parent.span_id in by_id:
        span = by_id[span.parent.span_id]
        chain.append(span)
    return chain


async def test_one_trace_from_webhook_to_stored_conversation(system: System) -> None:
    sender = uuid.uuid4().hex[:12]
    key = f"messenger:104729113:{sender}"
    payload = {"object": "page", "entry": [{"id": "104729113", "time": 1763718399000, "messaging": [{
        "sender": {"id": sender}, "recipient": {"id": "104729113"}, "timestamp": 1763718399000,
        "message": {"mid": f"m_{uuid.uuid4().hex}", "text": "Noise from the pub on Quay Street every night until 2am."}}]}]}
    assert (await system.post_meta(payload)).status_code == 200
    await system.wait_for_conversation(key, until=lambda c: bool(c["department"] and c["messages"] and c["messages"][0]["triage"]))

    # The consumer span ends just after its handler stored the result: give it a moment to finish. (On a
    # shared broker another test session's triage may also answer this message; only our spans count.)
    for _ in range(100):
        spans = system.spans.get_finished_spans()
        by_id = {s.context.span_id: s for s in spans}
        ours = [s for s in spans if s.name == "message.triaged.v1 process"
                and s.parent is not None and s.parent.span_id in by_id
                and by_id[s.parent.span_id].name == "message.triaged.v1 create"
                and by_id[s.parent.span_id].attributes.get("messaging.kafka.message.key") == key.encode()]
        if ours:
            break
        await asyncio.sleep(0.1)
    [published] = [s for s in spans if s.name == "message.received.v1 create"
                   and s.attributes.get("messaging.kafka.message.key") == key.encode()]
    [server] = [s for s in ancestry(published, by_id) if s.kind == SpanKind.SERVER]
    assert server.attributes["http.route"] == "/webhooks/meta"
    below_webhook = [s for s in spans if server in ancestry(s, by_id)]

    # triage and responder each consumed the message inside the webhook's trace...
    received = [s for s in below_webhook if s.name == "message.received.v1 process"]
    assert len(received) >= 2 and all(s.kind == SpanKind.CONSUMER for s in received)
    assert all(s.parent.span_id == published.context.span_id for s in received)
    # ...triage published its result from its consumer span, and responder stored it, still in that trace.
    [triaged] = [s for s in below_webhook if s.name == "message.triaged.v1 create"]
    assert by_id[triaged.parent.span_id] in received
    stored = [s for s in below_webhook if s.name == "message.triaged.v1 process"]
    assert any(s.parent.span_id == triaged.context.span_id for s in stored)
    assert {s.context.trace_id for s in [server, published, *received, triaged, *stored]} == {server.context.trace_id}
