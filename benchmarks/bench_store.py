"""The MongoDB-wire store alone (FerretDB on SQLite or on PostgreSQL, or MongoDB): raw bulk-insert rate, a read
by `_id`, and the queries the message path made before issue 10, on an empty database and after preloading
history in responder's shape, with the indexes responder creates. Reported, never asserted.

    MONGODB_URI=mongodb://127.0.0.1:27017 python benchmarks/bench_store.py --history 0,10000,100000

Use a store of its own (it creates and drops a scratch database, `civic_bench_store_<id>`); to compare the
backends, run it once against `CIVIC_STORE_BACKEND=sqlite bash deploy/infra.sh up` and once against
`CIVIC_STORE_BACKEND=postgresql` (see deploy/README.md for the figures)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import history  # noqa: E402
import store_rates  # noqa: E402
from pymongo import AsyncMongoClient  # noqa: E402
from responder.adapters.mongo import ConversationStore  # noqa: E402


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--history", default="0,10000", help="history sizes in conversations (three messages each)")
    parser.add_argument("--raw-insert", type=int, default=20_000, help="documents in the raw bulk-insert measurement")
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each read")
    args = parser.parse_args(argv)
    uri = os.environ.get("MONGODB_URI", "mongodb://127.0.0.1:27017")
    database = f"civic_bench_store_{uuid.uuid4().hex[:8]}"
    client = AsyncMongoClient(uri, tz_aware=True)
    try:
        build = (await client.admin.command("buildInfo")).get("version")
        print(f"store {uri} (server version {build}), scratch database {database}")
        raw = await store_rates.raw_insert_rate(client, database, documents=args.raw_insert)
        print(f"raw bulk insert: {raw:,.0f} documents/s ({args.raw_insert:,} message documents, insert_many of "
              f"{history.BATCH}, unordered)")
        await ConversationStore(client, database).ensure_indexes()  # the indexes responder creates
        loaded, threads = 0, []
        for size in sorted({int(h) for h in args.history.split(",")}):
            if size > loaded:
                pre = await history.preload(client, database, conversations=size - loaded, messages=3 * (size - loaded),
                                            first=loaded)
                threads += pre.facebook_threads
                loaded = size
                print(f"preloaded {pre.conversations + pre.messages:,} documents in {pre.seconds:.0f}s "
                      f"({(pre.conversations + pre.messages) / pre.seconds:,.0f}/s)")
            print(f"history {size:,} conversations, {3 * size:,} messages:")
            key = f"facebook:{history.PAGE_ID}:{threads[len(threads) // 2]}" if threads else "facebook:none:none"
            for t in await store_rates.query_timings(client, database, key=key, author_id=str(10**9 + 7), runs=args.runs,
                                                     scan_runs=max(3, args.runs // 4)):
                print(t.line())
    finally:
        await client.drop_database(database)
        await client.close()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
