"""What the MongoDB-wire store itself does on this machine, without any service: the raw bulk-insert rate
(documents of a stored message's shape, unordered `insert_many` of 1,000), a read by `_id`, and the queries
the message path used to make (by `conversation_key`, counts, `$in` status filters), timed on whatever
history the database holds."""

from __future__ import annotations

import statistics
import time
import uuid
from dataclasses import dataclass

import history
from pymongo import AsyncMongoClient


@dataclass
class Timing:
    name: str
    median_ms: float
    p95_ms: float
    runs: int

    def line(self) -> str:
        return f"  {self.name:52s} median {self.median_ms:8.2f} ms  p95 {self.p95_ms:8.2f} ms  ({self.runs} runs)"


async def raw_insert_rate(client: AsyncMongoClient, database: str, *, documents: int) -> float:
    """Message-shaped documents per second into a scratch collection (dropped afterwards)."""
    docs = [d for _, ds, _ in history.generate(max(1, documents // 3), documents, seed=7) for d in ds]
    for d in docs:
        d["_id"] = f"{d['_id']}:{uuid.uuid4().hex[:6]}"
    scratch = client[database][f"bench_raw_{uuid.uuid4().hex[:6]}"]
    try:
        started = time.perf_counter()
        for i in range(0, len(docs), history.BATCH):
            await scratch.insert_many(docs[i:i + history.BATCH], ordered=False)
        return len(docs) / (time.perf_counter() - started)
    finally:
        await scratch.drop()


async def _time(name: str, runs: int, action) -> Timing:
    await action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await action()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return Timing(name, statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))], runs)


async def query_timings(client: AsyncMongoClient, database: str, *, key: str, author_id: str, runs: int = 20,
                        scan_runs: int = 5) -> list[Timing]:
    """One read by `_id` (`runs` times), and the filters and counts the message path made before issue 10 (what a
    store that pushes nothing down scans the collection for; `scan_runs` times each, 0 to skip them)."""
    db = client[database]
    conversations, messages = db["conversations"], db["messages"]
    timings = [await _time("conversations.find_one({_id})", runs, lambda: conversations.find_one({"_id": key}))]
    if scan_runs <= 0:
        return timings
    return timings + [
        await _time("messages.find({conversation_key}).sort(sent_at)", scan_runs,
                    lambda: messages.find({"conversation_key": key}).sort("sent_at", -1).limit(1).to_list()),
        await _time("conversations.count_documents({assignee, $in status})", scan_runs,
                    lambda: conversations.count_documents({"assignee": "agent1", "status": {"$in": ["assigned", "new"]}})),
        await _time("messages.count_documents({channel, author})", scan_runs,
                    lambda: messages.count_documents({"channel": "facebook", "author.platform_id": author_id})),
        await _time("conversations.find({status $in}).sort(last_message_at) 50", scan_runs,
                    lambda: conversations.find({"status": {"$in": ["new", "needs_review"]}})
                    .sort("last_message_at", -1).limit(50).to_list()),
    ]
