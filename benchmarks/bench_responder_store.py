"""What one message costs responder's store, against the size of the history, and how fast responder drains
a topic full of messages (reported, never asserted).

    python benchmarks/bench_responder_store.py                          # 1,000 and 100,000 conversations
    python benchmarks/bench_responder_store.py --history 1000,20000 --messages 300 --drain 2000

1. Store cost: seeds N conversations (one citizen message each, routed) into a throwaway database on the
   MongoDB-wire server at `MONGODB_URI` (default FerretDB on 127.0.0.1:27017) with the indexes responder
   creates, then feeds `--messages` new messages and their triage results through responder's use cases
   (`intake.on_message`, `intake.on_triage`) one after the other, with a publisher that only counts, and
   prints the median and p95 per message and per triage result.
2. Drain: publishes `--drain` messages and their triage results to Kafka (`KAFKA_BOOTSTRAP_SERVERS`, on an
   account nobody else uses), then starts responder's real subscribers (batches, outbox, counters) on a fresh
   consumer group and times until every message has been stored and routed; prints messages per second.
Drops its databases at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for src in ("contracts/src", "eventing/src", "services/responder/src"):
    if str(ROOT / src) not in sys.path:
        sys.path.insert(0, str(ROOT / src))
os.environ.setdefault("OTEL_SDK_DISABLED", "true")

from civic_contracts import InboundMessage, TriageResult  # noqa: E402
from civic_contracts.topics import MESSAGE_RECEIVED, MESSAGE_TRIAGED  # noqa: E402
from pymongo import AsyncMongoClient, monitoring  # noqa: E402

DEPARTMENTS = ("highways", "waste", "parks_trees", "housing", "environmental_health")


class CountingPublisher:
    def __init__(self) -> None:
        self.count = 0

    async def _one(self, _record) -> None:
        self.count += 1

    outbound = event = duty_alert = correction = _one

    async def publish_events(self, events) -> list:
        self.count += len(events)
        return [None] * len(events)


def message(account: str, key: str, n: int, at: datetime) -> InboundMessage:
    pid = uuid.uuid4().hex[:16]
    return InboundMessage(
        id=f"facebook:{account}:{pid}", channel="facebook", account_id=account, platform_message_id=pid,
        conversation_key=key, kind="public_comment", author={"platform_id": f"author-{n % 5000}", "name": "A. Citizen"},
        text="The streetlight outside number 12 has been out for a week", sent_at=at, received_at=at,
        permalink=f"https://example.test/{pid}", raw_payload="{}",
    )


def triage(m: InboundMessage, n: int) -> TriageResult:
    return TriageResult(
        message_id=m.id, conversation_key=m.conversation_key, department=DEPARTMENTS[n % len(DEPARTMENTS)],
        urgency="normal", sentiment={"label": "neutral", "score": 0.0}, abuse="none", language="en", confidence=0.9,
        needs_review=False, explanation={"summary": "bench"}, classifier_version="bench", classified_at=m.sent_at,
    )


async def seed(db, account: str, n: int) -> None:
    """N routed conversations with one message each, written in bulk (not through responder)."""
    now = datetime.now(UTC) - timedelta(days=30)
    for start in range(0, n, 2000):
        conversations, messages = [], []
        for i in range(start, min(n, start + 2000)):
            m = message(account, f"facebook:{account}:seed{i}", i, now)
            doc = m.model_dump(mode="python", exclude={"id"})
            doc.update(_id=m.id, channel="facebook", kind="public_comment", counted=True, intake_done=True)
            messages.append(doc)
            conversations.append({"_id": m.conversation_key, "status": ["new", "assigned", "resolved"][i % 3],
                                  "department": DEPARTMENTS[i % 5], "assignee": f"agent{i % 20}" if i % 3 == 1 else None,
                                  "channel": "facebook", "account_id": account, "kind": "public_comment", "rev": 3,
                                  "author": doc["author"], "first_message_at": now, "last_message_at": now,
                                  "last_inbound_id": m.id, "last_inbound_at": now, "message_count": 1})
        await db["messages"].insert_many(messages, ordered=False)
        await db["conversations"].insert_many(conversations, ordered=False)


def responder_for(client, name: str, publisher):
    from responder.adapters.mongo import ConversationStore
    from responder.adapters.mongo_cases import CaseStore
    from responder.adapters.mongo_ledger import Ledger
    from responder.adapters.mongo_moderation import ModerationStore
    from responder.adapters.mongo_replies import ReplyStore
    from responder.adapters.mongo_staff import StaffStore
    from responder.config import load_policy
    from responder.domain.calendar import BusinessCalendar
    from responder.service.context import Responder

    policy = load_policy()
    return Responder(
        conversations=ConversationStore(client, name), ledger=Ledger(client, name), replies=ReplyStore(client, name),
        cases=CaseStore(client, name), staff=StaffStore(client, name), moderation=ModerationStore(client, name),
        publisher=publisher, policy=policy, calendar=BusinessCalendar(policy.business_hours),
    )


class OpCounter(monitoring.CommandListener):
    """Counts the store's commands (round trips) by command and collection while `on` is set."""

    def __init__(self) -> None:
        self.on = False
        self.counts: Counter[str] = Counter()

    def started(self, event) -> None:
        if self.on:
            name = event.command_name
            self.counts[f"{name} {event.command.get(name)}"] += 1

    def succeeded(self, event) -> None:
        pass

    def failed(self, event) -> None:
        pass


async def store_cost(mongo_uri: str, history: int, count: int, batch: int) -> dict:
    """Per message and per triage result; with `batch` > 0, through responder's batch unit of work, `batch`
    records at a time (messages, then their triage results), as its Kafka subscribers run them."""
    from responder.adapters.kafka import OutboxPublisher
    from responder.adapters.mongo_outbox import Outbox
    from responder.service import intake

    ops = OpCounter()
    client = AsyncMongoClient(mongo_uri, tz_aware=True, event_listeners=[ops])
    name, account = f"bench_store_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex[:10]
    try:
        r = responder_for(client, name, OutboxPublisher(CountingPublisher(), Outbox(client, name)))
        for store in (r.conversations, r.ledger, r.replies, r.cases, r.moderation):
            await store.ensure_indexes()
        t0 = time.perf_counter()
        await seed(client[name], account, history)
        seeded = time.perf_counter() - t0
        received, triaged = [], []
        ops.on = True
        step = batch or 1
        for start in range(0, count, step):
            group = [message(account, f"facebook:{account}:new{i % (count // 2 or 1)}", i, datetime.now(UTC))
                     for i in range(start, min(count, start + step))]
            for records, handle, timings in ((group, intake.on_message, received),
                                             ([triage(m, start + j) for j, m in enumerate(group)], intake.on_triage, triaged)):
                t = time.perf_counter()
                if batch:
                    from responder.service.unit import Unit

                    with Unit().active() as unit:
                        await asyncio.gather(*(handle(r, x) for x in records))
                        await unit.finish(r)
                else:
                    await handle(r, records[0])
                timings.extend([(time.perf_counter() - t) / len(records)] * len(records))
        await r.conversations.counters.flush()
        ops.on = False
        return {"history": history, "seeded_s": seeded, "message_ms": summary(received), "triage_ms": summary(triaged),
                "ops_per_message": {k: n / count for k, n in ops.counts.most_common()}}
    finally:
        await client.drop_database(name)
        await client.close()


def summary(seconds: list[float]) -> tuple[float, float]:
    ms = sorted(s * 1000 for s in seconds)
    return statistics.median(ms), ms[int(len(ms) * 0.95) - 1]


async def drain(kafka: str, mongo_uri: str, count: int, batch_size: int, concurrency: int) -> dict:
    from civic_eventing import KafkaRuntime
    from opentelemetry.trace import NoOpTracerProvider
    from responder import handlers
    from responder.adapters.kafka import OutboxPublisher, Publisher
    from responder.adapters.mongo_outbox import Outbox

    client = AsyncMongoClient(mongo_uri, tz_aware=True)
    name, account = f"bench_drain_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex[:10]
    kafka_rt = KafkaRuntime.create(bootstrap_servers=kafka, service="bench-responder", tracer_provider=NoOpTracerProvider())
    try:
        r = responder_for(client, name, None)
        r.publisher = OutboxPublisher(Publisher(kafka_rt.broker), Outbox(client, name))
        r.accounts = frozenset({account})
        for store in (r.conversations, r.ledger, r.replies, r.cases, r.moderation):
            await store.ensure_indexes()
        await kafka_rt.broker.connect()
        now = datetime.now(UTC)
        for i in range(count):  # 4 messages per conversation, interleaved
            m = message(account, f"facebook:{account}:c{i % max(1, count // 4)}", i, now + timedelta(milliseconds=i))
            key = m.conversation_key.encode()
            await kafka_rt.broker.publish(m, topic=MESSAGE_RECEIVED.name, key=key)
            await kafka_rt.broker.publish(triage(m, i), topic=MESSAGE_TRIAGED.name, key=key)
        handlers.register(kafka_rt.broker, group_id=f"bench-{uuid.uuid4().hex[:8]}", responder=r,
                          batch_size=batch_size, concurrency=concurrency)
        t0 = time.perf_counter()
        await kafka_rt.broker.start()
        timeline = client[name]["timeline"]
        while True:  # a triage result is applied when its `routed` event is on the timeline
            done = await timeline.count_documents({"type": "routed"})
            if done >= count:
                break
            await asyncio.sleep(1.0)
        elapsed = time.perf_counter() - t0
        return {"messages": count, "seconds": elapsed, "per_second": count / elapsed}
    finally:
        await kafka_rt.broker.stop()
        await client.drop_database(name)
        await client.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--history", default="1000,100000", help="conversation counts to measure at")
    parser.add_argument("--messages", type=int, default=200, help="messages timed at each history size")
    parser.add_argument("--drain", type=int, default=2000, help="messages to drain from Kafka (0: skip)")
    parser.add_argument("--unit", type=int, default=100,
                        help="store cost: records per batch unit of work (0: one record at a time, outside a batch)")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    mongo_uri = os.environ.get("MONGODB_URI", "mongodb://127.0.0.1:27017")
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    print(f"store {mongo_uri}, Kafka {kafka}")
    for history in (int(h) for h in args.history.split(",")):
        found = await store_cost(mongo_uri, history, args.messages, args.unit)
        print(f"history {history:>7,} conversations (seeded in {found['seeded_s']:.0f}s): "
              f"message p50 {found['message_ms'][0]:.1f} ms p95 {found['message_ms'][1]:.1f} ms; "
              f"triage result p50 {found['triage_ms'][0]:.1f} ms p95 {found['triage_ms'][1]:.1f} ms", flush=True)
        per = found["ops_per_message"]
        print(f"  store round trips per message and its triage result: {sum(per.values()):.1f} "
              f"({', '.join(f'{k} {n:.2f}' for k, n in per.items())})", flush=True)
    if args.drain:
        found = await drain(kafka, mongo_uri, args.drain, args.batch_size, args.concurrency)
        print(f"drain: {found['messages']} messages (+ their triage results) stored and routed in "
              f"{found['seconds']:.1f}s: {found['per_second']:.0f} messages/s")


if __name__ == "__main__":
    asyncio.run(main())
