"""How fast the inbox web app renders the first page of an inbox of 10,000 (or `-n`) conversations: `make bench`
(reported, never asserted).

    python benchmarks/bench_inbox_render.py                 # 10,000 conversations, 15 timed runs per view
    python benchmarks/bench_inbox_render.py -n 100000 --runs 30   # the issue-10 target: first page < 100 ms

Seeds the conversations (a year's history in responder's shape, `history.py`: three citizen messages each,
SLA clocks, departments, urgencies, mostly finished and some open) into a throwaway database on the
MongoDB-wire server at `MONGODB_URI` (default FerretDB on 127.0.0.1:27017), with the indexes responder creates; builds the inbox app as it runs in
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
import secrets
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for src in ("contracts/src", "eventing/src", "services/inbox/src", "services/responder/src", "benchmarks"):
    if str(ROOT / src) not in sys.path:
        sys.path.insert(0, str(ROOT / src))

os.environ.setdefault("OTEL_SDK_DISABLED", "true")

import history  # noqa: E402
import httpx  # noqa: E402
from pymongo import AsyncMongoClient  # noqa: E402
from responder.adapters.mongo import ConversationStore  # noqa: E402


async def seed(client: AsyncMongoClient, database: str, n: int) -> None:
    """`n` conversations of a year's history (three messages each, in responder's shape: `history.py`), with
    the indexes responder creates."""
    await ConversationStore(client, database).ensure_indexes()
    await history.preload(client, database, conversations=n, messages=3 * n)


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
    try:
        started = time.perf_counter()
        await seed(client, database, args.n)
        print(f"seeded {args.n:,} conversations ({3 * args.n:,} messages) into {database} at {uri} in "
              f"{time.perf_counter() - started:.1f}s")
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
