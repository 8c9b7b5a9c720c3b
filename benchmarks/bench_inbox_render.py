"""How fast the inbox web app renders the first page of a 10,000-conversation inbox: `make bench`
(reported, never asserted).

    python benchmarks/bench_inbox_render.py                 # 10,000 conversations, 15 timed runs per view
    python benchmarks/bench_inbox_render.py -n 50000 --runs 30

Seeds the conversations (with one citizen message each, SLA clocks, a mix of channels, departments,
urgencies and statuses) into a throwaway database on the MongoDB-wire server at `MONGODB_URI` (default
FerretDB on 127.0.0.1:27017), with the indexes responder creates; builds the inbox app as it runs in
production; signs in; then times `GET /inbox` (first page, 50 rows) end to end through the ASGI app — list,
count, snippets, template — for the default view and a few saved views, from the in-memory list the app
keeps (`inbox/web/inbox_index.py`, loaded once the live-event consumer is on Kafka at `KAFKA_BOOTSTRAP_SERVERS`),
and, for comparison, a few runs straight from the database. Prints min, median and p95 in milliseconds,
and drops the database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for src in ("contracts/src", "eventing/src", "services/inbox/src"):
    if str(ROOT / src) not in sys.path:
        sys.path.insert(0, str(ROOT / src))

os.environ.setdefault("OTEL_SDK_DISABLED", "true")

import httpx  # noqa: E402
from pymongo import ASCENDING, DESCENDING, AsyncMongoClient  # noqa: E402

CHANNELS = ["facebook", "messenger", "instagram", "x", "youtube", "sms", "whatsapp", "email", "webform"]
DEPARTMENTS = ["waste", "highways", "parks_trees", "street_lighting", "parking", "housing", "council_tax_benefits",
               "environmental_health_asb", "general"]
STATUSES = ["new"] * 5 + ["assigned"] * 3 + ["needs_review", "replied", "waiting_on_citizen", "handed_over", "resolved"]
TEXTS = ["My bins weren't collected on Tuesday and the recycling is overflowing",
         "Massive pothole on Albion Street outside the school, the road surface is breaking up",
         "Street light outside number 4 has been out for a week", "How do I apply for a parking permit?",
         "Damp and mould in the bedroom again, my son has asthma", "Thank you for fixing the swings so quickly!"]


async def seed(db, n: int, rng: random.Random) -> None:
    now = datetime.now(UTC)
    conversations, messages = [], []
    for i in range(n):
        key = f"{rng.choice(CHANNELS)}:bench:{i:06d}"
        at = now - timedelta(minutes=rng.randint(0, 60 * 24 * 14))
        urgency = rng.choices(["critical", "high", "normal"], [1, 8, 91])[0]
        status = rng.choice(STATUSES)
        due = at + timedelta(minutes=rng.choice([30, 120, 480]))
        abuse = rng.choices(["none", "offensive", "threat"], [95, 4, 1])[0]
        conversations.append({
            "_id": key, "channel": key.split(":")[0], "account_id": "bench", "kind": "private_message", "status": status,
            "department": rng.choice(DEPARTMENTS), "urgency": urgency, "urgency_rank": {"normal": 0, "high": 1, "critical": 2}[urgency],
            "sentiment": rng.choice(["negative", "neutral", "positive"]), "abuse": abuse, "language": "en", "needs_review": status == "needs_review",
            "author": {"platform_id": f"p{i}", "name": f"Citizen {i}"}, "first_message_at": at, "last_message_at": at,
            "message_count": 1, "assignee": "agent1" if status == "assigned" else None, "rev": 1,
            "sla": {"start": at, "target": {"urgency": urgency}, "first_response": {"due": due, "warn_at": due - timedelta(minutes=20)},
                    "resolution": {"due": due + timedelta(days=3), "warn_at": due + timedelta(days=2)}},
        })
        messages.append({"_id": f"{key}:m", "conversation_key": key, "platform_message_id": f"m{i}", "channel": key.split(":")[0],
                         "kind": "private_message", "author": {"platform_id": f"p{i}"}, "text": rng.choice(TEXTS), "sent_at": at,
                         "raw_payload": "{}" * 200, "triage": {"abuse": abuse, "pii": []}})
    for start in range(0, n, 1000):
        await db["conversations"].insert_many(conversations[start:start + 1000], ordered=False)
        await db["messages"].insert_many(messages[start:start + 1000], ordered=False)
    # The indexes responder creates (responder/adapters/mongo.py).
    await db["messages"].create_index([("conversation_key", ASCENDING), ("sent_at", ASCENDING)])
    await db["conversations"].create_index([("last_message_at", DESCENDING)])
    for name in ("department", "status", "channel", "assignee"):
        await db["conversations"].create_index([(name, ASCENDING), ("last_message_at", DESCENDING)])


def summary(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"min {ms[0]:7.1f}  median {statistics.median(ms):7.1f}  p95 {p95:7.1f} ms"


async def timed(http: httpx.AsyncClient, url: str, runs: int, rows: bool = True) -> str:
    (await http.get(url)).raise_for_status()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = await http.get(url)
        times.append(time.perf_counter() - t0)
        response.raise_for_status()
    count = response.text.count('<li class="row')
    shown = f"   ({count} rows)" if rows else ""
    return summary(times) + shown


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=10_000, help="conversations to seed")
    parser.add_argument("--runs", type=int, default=15, help="timed renders per view")
    parser.add_argument("--db-runs", type=int, default=3, help="timed renders straight from the database")
    args = parser.parse_args()
    from inbox.config import Settings
    from inbox.main import create_app

    uri = os.environ.get("MONGODB_URI", "mongodb://127.0.0.1:27017")
    database = f"civic_bench_{uuid.uuid4().hex[:8]}"
    client = AsyncMongoClient(uri, tz_aware=True)
    db = client[database]
    try:
        started = time.perf_counter()
        await seed(db, args.n, random.Random(42))
        print(f"seeded {args.n} conversations into {database} at {uri} in {time.perf_counter() - started:.1f}s")
        settings = Settings(mongodb_uri=uri, database=database, startup_wait_seconds=5,
                            kafka_bootstrap_servers=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
        app = create_app(settings)
        views = {"all open, most urgent first": "/inbox", "all open, newest first": "/inbox?sort=newest",
                 "critical and high": "/inbox?view=urgent", "SLA at risk": "/inbox?view=sla_risk",
                 "one department": "/inbox?department=highways"}
        async with app.router.lifespan_context(app):
            password = secrets.token_urlsafe(16)
            await app.state.users.create_user(user_id="bench", name="Bench Agent", role="agent", password=password)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://inbox.bench", timeout=120) as http:
                (await http.post("/api/auth/login", json={"username": "bench", "password": password})).raise_for_status()
                index = app.state.inbox_index
                await asyncio.wait_for(index.ready.wait(), timeout=600)
                print(f"in-memory list loaded: {len(index.entries)} conversations in {index.load_seconds:.1f}s "
                      "(once per process, in the background)")
                print(f"GET /inbox, first page (50 rows) of {args.n} conversations, {args.runs} runs after a warm-up:")
                for name, url in views.items():
                    print(f"  {name:28s} {await timed(http, url, args.runs)}")
                key = sorted(index.entries)[0]
                print(f"GET /conversations/<key>, one conversation, {args.runs} runs:")
                print(f"  {'conversation page':28s} {await timed(http, f'/conversations/{key}', args.runs, rows=False)}")
                index.ready.clear()  # the same pages straight from the database, as before the list is loaded
                print(f"The same, straight from the database ({args.db_runs} runs each):")
                for name in ("all open, most urgent first", "one department"):
                    print(f"  {name:28s} {await timed(http, views[name], args.db_runs)}")
                print(f"  {'conversation page':28s} {await timed(http, f'/conversations/{key}', args.db_runs, rows=False)}")
    finally:
        await client.drop_database(database)
        await client.close()


if __name__ == "__main__":
    asyncio.run(main())
