"""Replicas on the real store: two connectors replicas scanning for due sends at the same moment claim each send
once; two responder replicas compare-and-set a conversation once on MongoDB (and know FerretDB cannot).

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


async def test_two_responders_compare_and_set_one_conversation_once_on_mongodb_and_know_when_they_cannot(infra) -> None:
    """Two responder replicas deciding on the same conversation revision (8 concurrent staff changes, each
    conditional on `rev`): on MongoDB the condition is in the write's filter and exactly one wins, the others
    get `Conflict` and decide again. FerretDB v1 does not apply a conditional update atomically (measured on
    1.24: 1 to 6 of 8 such writers "won" each round, and the revision moved by one: lost updates), so there the
    store knows it (`atomic_filters` False) and responder runs as one replica (see deploy/README.md)."""
    from responder.adapters.mongo import Conflict, ConversationStore

    database = f"cas_test_{uuid.uuid4().hex[:8]}"
    clients = [AsyncMongoClient(infra.mongodb_uri, tz_aware=True) for _ in range(2)]
    replicas = [ConversationStore(c, database) for c in clients]
    try:
        for store in replicas:
            await store.ensure_indexes()
        info = await clients[0].admin.command("buildInfo")
        on_ferretdb = "ferretdbVersion" in info
        assert all(store.atomic_filters is not on_ferretdb for store in replicas)
        winners_per_round = []
        for round_ in range(5):
            key = f"sms:1:cas{round_}"
            await replicas[0].conversations.insert_one({"_id": key, "rev": 1, "status": "new", "assignee": None})
            read = await replicas[0].get(key)

            async def decide(i: int, read: dict = read) -> dict | None:
                try:
                    return await replicas[i % 2].change(read, set_={"assignee": f"agent-{i}"})
                except Conflict:
                    return None

            won = [w for w in await asyncio.gather(*(decide(i) for i in range(8))) if w is not None]
            winners_per_round.append(len(won))
            final = await replicas[0].get(key)
            if not on_ferretdb:
                assert len(won) == 1 and final["rev"] == 2 and final["assignee"] == won[0]["assignee"], round_
        print(f"\n[replicas] compare-and-set winners per round of 8 concurrent writers "
              f"({'FerretDB ' + info['ferretdbVersion'] if on_ferretdb else 'MongoDB ' + info['version']}): "
              f"{winners_per_round}")
    finally:
        await clients[0].drop_database(database)
        for c in clients:
            await c.close()
