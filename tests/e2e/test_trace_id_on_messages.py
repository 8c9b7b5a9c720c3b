"""Ops can follow a message: the connectors put the trace id of the webhook request that received it on the
message, responder stores it, and the conversation page links to that trace."""

import re
import uuid

import pytest
from opentelemetry.trace import SpanKind
from support.system import System

pytestmark = [pytest.mark.integration, pytest.mark.e2e]


async def test_the_webhook_trace_id_is_stored_on_the_message_and_linked_from_the_page(system: System) -> None:
    sender = uuid.uuid4().hex[:12]
    key = f"messenger:104729113:{sender}"
    payload = {"object": "page", "entry": [{"id": "104729113", "time": 1763718399000, "messaging": [{
        "sender": {"id": sender}, "recipient": {"id": "104729113"}, "timestamp": 1763718399000,
        "message": {"mid": f"m_{uuid.uuid4().hex}", "text": "The footpath on Quay Street is flooded again."}}]}]}
    assert (await system.post_meta(payload)).status_code == 200
    conversation = await system.wait_for_conversation(key, until=lambda c: bool(c["messages"]))
    [message] = conversation["messages"]

    webhook = [s for s in system.spans.get_finished_spans() if s.kind == SpanKind.SERVER
               and s.attributes.get("http.route") == "/webhooks/meta"]
    trace_ids = {format(s.context.trace_id, "032x") for s in webhook}
    assert re.fullmatch(r"[0-9a-f]{32}", message["trace_id"]) and message["trace_id"] in trace_ids

    page = await system.inbox.get(f"/conversations/{key}")
    assert page.status_code == 200
    template = system.apps["inbox"].state.web_settings.trace_url_template
    assert f'<a class="trace" href="{template.replace("{trace_id}", message["trace_id"])}"' in page.text
