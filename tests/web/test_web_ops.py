"""The ops page over HTTP against the real server: a dead letter shows with its reason and trace link, and
an admin's replay puts the original record back on its topic, where the pipeline takes it to the inbox."""

import re
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from civic_contracts import Channel, DeadLetter, InboundMessage, MessageKind
from civic_contracts.inbound import Author
from civic_contracts.topics import DEAD_LETTER, MESSAGE_RECEIVED
from support.kafka import produce_raw
from support.system import System
from web_support import page_id

pytestmark = [pytest.mark.integration, pytest.mark.e2e]
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


async def test_dead_letter_is_listed_and_an_admin_replays_it(web_url, system: System) -> None:
    page, sender, service = page_id(system), uuid.uuid4().hex[:12], f"web-test-{uuid.uuid4().hex[:6]}"
    now = datetime.now(UTC)
    message = InboundMessage(
        id=f"messenger:{page}:m_{sender}", channel=Channel.MESSENGER, account_id=page, platform_message_id=f"m_{sender}",
        conversation_key=f"messenger:{page}:{sender}", kind=MessageKind.PRIVATE_MESSAGE, author=Author(platform_id=sender),
        text="The bins on Mill Lane were missed again", sent_at=now, received_at=now, raw_payload="{}")
    letter = DeadLetter(id=uuid.uuid4().hex, service=service, group=f"{service}-group", source=MESSAGE_RECEIVED.name,
                        partition=0, offset=1, key=message.conversation_key, reason="MongoDB was unavailable <b>3 times</b>",
                        error_type="processing_error", attempts=3, payload=message.model_dump_json(),
                        headers={"traceparent": f"00-{TRACE}-00f067aa0ba902b7-01"}, failed_at=now)
    await produce_raw(system.infra.kafka_bootstrap_servers, DEAD_LETTER.name, letter.model_dump_json().encode())

    async with httpx.AsyncClient(base_url=web_url, timeout=30) as client:
        await client.post("/api/auth/login", json={"username": "t-super", "password": system.passwords["t-super"]})
        seen_by_supervisor = (await client.get("/ops", params={"service": service})).text
        assert "MongoDB was unavailable &lt;b&gt;3 times&lt;/b&gt;" in seen_by_supervisor
        assert f"/trace/{TRACE}" in seen_by_supervisor and "Admins can replay" in seen_by_supervisor

    async with httpx.AsyncClient(base_url=web_url, timeout=30) as client:
        await client.post("/api/auth/login", json={"username": "t-admin", "password": system.passwords["t-admin"]})
        ops = (await client.get("/ops", params={"service": service})).text
        token = re.search(r'data-csrf="([0-9a-f]{64})"', ops).group(1)
        form = re.search(r'name="partition" value="(\d+)"><input type="hidden" name="offset" value="(\d+)"', ops)
        replayed = await client.post("/ops/dead-letters/replay",
                                     data={"csrf_token": token, "partition": form.group(1), "offset": form.group(2)})
        assert replayed.status_code == 200 and "published again to message.received.v1" in replayed.text
    conversation = await system.wait_for_conversation(message.conversation_key, until=lambda c: bool(c["department"]),
                                                      timeout=120)
    assert conversation["messages"][0]["text"] == "The bins on Mill Lane were missed again"
