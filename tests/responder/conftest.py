"""Fixtures of responder's use-case tests: one database per test on the real MongoDB-wire server."""

import uuid

import pytest
from pymongo import AsyncMongoClient
from responder.adapters.mongo import ConversationStore
from responder.adapters.mongo_cases import CaseStore
from responder.adapters.mongo_ledger import Ledger
from responder.adapters.mongo_moderation import ModerationStore
from responder.adapters.mongo_replies import ReplyStore
from responder.adapters.mongo_staff import StaffStore
from responder.config import load_policy
from responder.domain.calendar import BusinessCalendar
from responder.domain.policy import Assignment
from responder.service.context import Responder
from responder_world import WEDNESDAY_11AM, Clock, OutboundRecorder, World


@pytest.fixture
async def world(infra):
    client = AsyncMongoClient(infra.mongodb_uri, tz_aware=True)
    name = f"civic_responder_{uuid.uuid4().hex[:8]}"
    policy = load_policy()
    policy = policy.model_copy(update={"assignment": Assignment(
        default="manual", departments={"waste": "round_robin", "parks_trees": "least_loaded"}, default_capacity=2)})
    clock = Clock(WEDNESDAY_11AM)
    published = OutboundRecorder()
    r = Responder(
        conversations=ConversationStore(client, name), ledger=Ledger(client, name), replies=ReplyStore(client, name),
        cases=CaseStore(client, name), staff=StaffStore(client, name), moderation=ModerationStore(client, name),
        publisher=published, policy=policy, calendar=BusinessCalendar(policy.business_hours), clock=clock,
    )
    for store in (r.conversations, r.ledger, r.replies, r.cases, r.moderation):
        await store.ensure_indexes()
    try:
        yield World(r, clock, published, client[name])
    finally:
        await client.drop_database(name)
        await client.close()
