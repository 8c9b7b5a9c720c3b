"""Two connectors replicas scanning for due sends at the same moment claim each send once, on the real store.

FerretDB v1 applies a find-and-modify without isolation: in the fault suite both replicas claimed the same
rate-limited reply when it fell due and the platform received it twice. A unique insert keyed by the claimed
version decides (MongoDB's own find-and-modify is atomic; this makes FerretDB behave the same)."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from civic_contracts import Channel
from civic_contracts.outbound import OutboundAction, OutboundCommand
from connectors.adapters import Stores
from connectors.adapters.outbox import WAITING
from pymongo import AsyncMongoClient

pytestmark = pytest.mark.integration


async def test_concurrent_scans_claim_each_due_command_exactly_once(infra) -> None:
    now = datetime.now(UTC)
    database = f"claims_test_{uuid.uuid4().hex[:8]}"
    clients = [AsyncMongoClient(infra.mongodb_uri, tz_aware=True) for _ in range(2)]  # two replicas
    replicas = [Stores.create(c, database) for c in clients]
    try:
        await replicas[0].ensure_indexes()
        for round_ in range(5):
            command = OutboundCommand(id=f"race-{round_}", conversation_key="sms:1:2", channel=Channel.SMS,
                                      account_id="1", action=OutboundAction.DIRECT_MESSAGE, text="t",
                                      requested_by="a", requested_at=now)
            await replicas[0].outbox.claim_new(command)
            await replicas[0].outbox.record(command.id, WAITING, next_attempt_at=now - timedelta(seconds=1))
            claims = await asyncio.gather(*(replicas[i % 2].outbox.claim_due(now) for i in range(8)))
            won = [c for c in claims if c is not None]
            assert len(won) == 1 and won[0]["_id"] == command.id, (round_, len(won))
            await replicas[0].outbox.record(command.id, "sent")
    finally:
        await clients[0].drop_database(database)
        for c in clients:
            await c.close()
