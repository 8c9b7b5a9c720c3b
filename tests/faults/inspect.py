"""What the fault suite reads back after the run: stored messages and conversations (MongoDB), every record of a
topic (Kafka, from the beginning, no consumer group), what the platform stand-ins were sent (sandbox)."""

import asyncio
import json
import re
from collections import Counter

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from pymongo import MongoClient

TOKEN = re.compile(r"\(ref (FT\w+)\)")
DATABASE = "civic_inbox"  # responder's database (RESPONDER_DATABASE default)


def stored_messages(mongodb_uri: str) -> list[dict]:
    with MongoClient(mongodb_uri, serverSelectionTimeoutMS=10000) as client:
        return list(client[DATABASE]["messages"].find({}, {"text": 1, "conversation_key": 1, "triage": 1, "trace_id": 1}))


def tokens_stored(messages: list[dict]) -> Counter:
    return Counter(m.group(1) for doc in messages if (m := TOKEN.search(doc.get("text") or "")))


def conversations(mongodb_uri: str) -> list[dict]:
    with MongoClient(mongodb_uri, serverSelectionTimeoutMS=10000) as client:
        return list(client[DATABASE]["conversations"].find({}, {"message_count": 1, "duty_alerts": 1, "urgency": 1}))


def replies(mongodb_uri: str, ids: list[str]) -> dict[str, dict]:
    with MongoClient(mongodb_uri, serverSelectionTimeoutMS=10000) as client:
        return {r["_id"]: r for r in client[DATABASE]["replies"].find({"_id": {"$in": ids}})}


async def _topic(bootstrap: str, topic: str) -> list[dict]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                                auto_offset_reset="earliest")
    await consumer.start()
    try:
        parts = [TopicPartition(topic, p) for p in (consumer.partitions_for_topic(topic) or set())]
        if not parts:
            await consumer._client.force_metadata_update()  # noqa: SLF001 - a fresh consumer knows no topics yet
            parts = [TopicPartition(topic, p) for p in (consumer.partitions_for_topic(topic) or set())]
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        end = await consumer.end_offsets(parts)
        out: list[dict] = []
        while [p for p in parts if await consumer.position(p) < end[p]]:
            batch = await consumer.getmany(timeout_ms=1000, max_records=5000)
            for records in batch.values():
                out += [json.loads(r.value) for r in records]
        return out
    finally:
        await consumer.stop()


def topic(bootstrap: str, name: str) -> list[dict]:
    return asyncio.run(_topic(bootstrap, name))


def sandbox_sent(sandbox_url: str) -> list[dict]:
    return httpx.get(f"{sandbox_url}/_sandbox/sent", timeout=30).json()
