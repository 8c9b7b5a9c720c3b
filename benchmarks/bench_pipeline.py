"""The whole pipeline on this machine, against real Kafka and the store `make run` uses: `make bench`
(reported, never asserted).

    python benchmarks/bench_pipeline.py --quick          # a few minutes: small sizes, to see that it works
    python benchmarks/bench_pipeline.py                  # the issue-10 sizes (100,000-conversation history, 100,000 backlog)
    python benchmarks/bench_pipeline.py --backend postgresql --history 0,20000 -n 3000

In one run, on infrastructure of its own (`deploy/infra.sh` with the state folder `.local/bench`, wiped
first, on the ports given; `--backend` picks FerretDB's SQLite or PostgreSQL handler):
1. the limits: Kafka's own `ProducerPerformance` and `EndToEndLatency`, and the store's raw bulk-insert rate;
2. triage, responder and connectors started as their own processes (as `deploy/run.sh` starts them);
3. for each history size (conversations preloaded by bulk insert in responder's shape, three messages each):
   N signed Facebook comment webhooks as fast as they are accepted, then paced at half the end-to-end
   throughput measured, then at 100/s: webhook accept rate, end-to-end throughput (webhook to the `routed`
   event on `conversation.event.v1`), p50/p95/p99 latency; and the store's queries on that history;
4. a backlog: services stopped, records produced to `message.received.v1`, services started, time to drain;
5. one line of ratios, a JSON file of every figure and a PNG plot of throughput and p99 against history.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("OTEL_SDK_DISABLED", "true")

import backlog  # noqa: E402
import figures  # noqa: E402
import history  # noqa: E402
import kafka_tools  # noqa: E402
import store_rates  # noqa: E402
from cpu import Meter, infra_pids  # noqa: E402
from load import Watcher, closed_loop, open_loop, webhooks  # noqa: E402
from pymongo import AsyncMongoClient  # noqa: E402
from stack import Ports, Stack  # noqa: E402

FULL = {"webhooks": 4000, "history": "0,20000,100000", "backlog": 100_000, "paced_seconds": 30,
        "producer_records": 500_000, "latency_records": 5_000, "raw_insert": 30_000, "drain_timeout": 300.0}
QUICK = {"webhooks": 400, "history": "0,3000", "backlog": 3_000, "paced_seconds": 10,
         "producer_records": 100_000, "latency_records": 1_000, "raw_insert": 5_000, "drain_timeout": 90.0}


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, a few minutes")
    parser.add_argument("-n", "--webhooks", type=int, help="webhooks offered as fast as accepted, per history size")
    parser.add_argument("--history", help="history sizes in conversations, comma-separated (three messages each)")
    parser.add_argument("--messages-per-conversation", type=float, default=3.0)
    parser.add_argument("--backlog", type=int, help="records queued while the services are stopped (0: skip)")
    parser.add_argument("--paced-seconds", type=float, help="length of each paced phase")
    parser.add_argument("--fixed-rate", type=float, default=100.0, help="the paced rate of the latency target")
    parser.add_argument("--concurrency", type=int, default=32, help="connections posting as fast as accepted")
    parser.add_argument("--reply-share", type=float, default=0.25, help="webhooks that join an earlier thread")
    parser.add_argument("--producer-records", type=int)
    parser.add_argument("--latency-records", type=int)
    parser.add_argument("--raw-insert", type=int, help="documents in the raw bulk-insert measurement")
    parser.add_argument("--drain-timeout", type=float, help="longest wait for a phase's messages to be routed, s")
    parser.add_argument("--idle-timeout", type=float, default=60.0, help="stop waiting when nothing is routed for this long")
    parser.add_argument("--query-runs", type=int, default=20, help="reads by _id timed per history size")
    parser.add_argument("--scan-runs", type=int, default=5,
                        help="runs of each query of the old message path (scans: seconds each on a large history); "
                             "0: skip them")
    parser.add_argument("--backend", default=os.environ.get("CIVIC_STORE_BACKEND", "sqlite"), choices=["sqlite", "postgresql"])
    parser.add_argument("--kafka-port", type=int, default=9192)
    parser.add_argument("--mongo-port", type=int, default=27117)
    parser.add_argument("--service-port-base", type=int, default=8181, help="connectors, triage, responder: base, +1, +2")
    parser.add_argument("--state", type=Path, default=ROOT / ".local" / "bench", help="state folder (wiped at start)")
    parser.add_argument("--out", type=Path, default=ROOT / ".local" / "bench-results", help="where the JSON and PNG go")
    parser.add_argument("--keep", action="store_true", help="leave Kafka and the store running at the end")
    args = parser.parse_args(argv)
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.history_sizes = sorted({int(h) for h in str(args.history).split(",")})
    return args


async def limits(stack: Stack, args: argparse.Namespace, record_size: int) -> dict:
    print(f"[limits] Kafka ProducerPerformance: {args.producer_records:,} records of {record_size} bytes, acks=all ...",
          flush=True)
    producer = await asyncio.to_thread(kafka_tools.producer_performance, stack.kafka, records=args.producer_records,
                                       record_size=record_size)
    print(f"  {producer.records_per_second:,.0f} records/s ({producer.mb_per_second} MB/s), "
          f"avg latency {producer.avg_latency_ms:.0f} ms\n  $ {producer.command}")
    latency = await asyncio.to_thread(kafka_tools.end_to_end_latency, stack.kafka, records=args.latency_records,
                                      record_size=record_size)
    print(f"[limits] Kafka EndToEndLatency ({latency.records:,} records): avg {latency.avg_ms:.1f} ms, "
          f"p50 {latency.p50_ms:.0f} ms, p99 {latency.p99_ms:.0f} ms\n  $ {latency.command}")
    client = AsyncMongoClient(stack.mongodb_uri, tz_aware=True)
    try:
        raw = await store_rates.raw_insert_rate(client, "civic_bench_raw", documents=args.raw_insert)
    finally:
        await client.close()
    print(f"[limits] store ({args.backend}) raw bulk insert: {raw:,.0f} documents/s "
          f"({args.raw_insert:,} message documents, insert_many of {history.BATCH}, unordered)")
    return {"producer": asdict(producer), "latency": asdict(latency), "raw_insert_per_second": raw}


async def run_phase(name: str, stack: Stack, watcher: Watcher, args: argparse.Namespace, *, size: int, count: int,
                    threads: list[str], rate: float | None) -> figures.Phase:
    hooks = webhooks(count, stack.app_secret, threads=threads, reply_share=args.reply_share, seed=len(threads))
    meter = Meter({**stack.pids(), **infra_pids(stack.local), "load generator": os.getpid()})
    meter.start()
    if rate is None:
        sent = await closed_loop(stack.ports.connectors, hooks, concurrency=args.concurrency)
    else:
        sent = await open_loop(stack.ports.connectors, hooks, rate=rate)
    await watcher.wait_for([h.message_id for h in hooks], timeout=args.drain_timeout, idle=args.idle_timeout)
    result = figures.phase(name, size, sent, watcher.routed, offered_rate=rate, cpu_seconds=meter.stop())
    print("  " + result.line(), flush=True)
    if result.cpu_line():
        print("  " + result.cpu_line(), flush=True)
    return result


async def history_phases(stack: Stack, watcher: Watcher, args: argparse.Namespace, client: AsyncMongoClient) -> list:
    phases: list[figures.Phase] = []
    threads: list[str] = []
    loaded = 0
    for size in args.history_sizes:
        if size > loaded:
            pre = await history.preload(client, stack.database, conversations=size - loaded, first=loaded,
                                        messages=int((size - loaded) * args.messages_per_conversation))
            threads.extend(pre.facebook_threads)
            loaded = size
            print(f"[history] preloaded {pre.conversations:,} conversations and {pre.messages:,} messages in "
                  f"{pre.seconds:.0f}s ({(pre.conversations + pre.messages) / pre.seconds:,.0f} documents/s); "
                  f"{loaded:,} conversations in all", flush=True)
        print(f"[pipeline] history {size:,} conversations:", flush=True)
        flood = await run_phase("as fast as accepted", stack, watcher, args, size=size, count=args.webhooks,
                                threads=threads, rate=None)
        half = max(1.0, flood.throughput / 2)
        phases += [flood, await run_phase("half capacity", stack, watcher, args, size=size, threads=threads, rate=half,
                                          count=max(20, int(half * args.paced_seconds)))]
        if flood.throughput >= args.fixed_rate:
            phases.append(await run_phase(f"fixed {args.fixed_rate:.0f}/s", stack, watcher, args, size=size,
                                          threads=threads, rate=args.fixed_rate,
                                          count=int(args.fixed_rate * args.paced_seconds)))
        else:
            print(f"  fixed {args.fixed_rate:.0f}/s: skipped, capacity {flood.throughput:.1f}/s is below it "
                  "(its p99 would be the time to drain a growing queue)")
        key = f"facebook:{history.PAGE_ID}:{threads[len(threads) // 2]}" if threads else "none"
        for t in await store_rates.query_timings(client, stack.database, key=key, author_id=str(10**9 + 7),
                                                 runs=args.query_runs, scan_runs=args.scan_runs):
            print(t.line())
    return phases


async def backlog_phase(stack: Stack, watcher: Watcher, args: argparse.Namespace) -> dict:
    print(f"[backlog] stopping the services, producing {args.backlog:,} records to message.received.v1 ...", flush=True)
    stack.stop()
    ids, produced_in = await backlog.produce(stack.kafka, args.backlog)
    started = time.time()
    stack.start()
    up = time.time() - started
    done = await watcher.wait_for(ids, timeout=max(args.drain_timeout, 900), idle=args.idle_timeout, progress=60)
    routed = [watcher.routed[i] for i in ids if i in watcher.routed]
    drain = (max(routed) - started) if routed else float("nan")
    result = {"records": len(ids), "produced_seconds": produced_in, "services_start_seconds": up,
              "routed": len(routed), "drain_seconds": drain if len(routed) == len(ids) else None,
              "routed_per_second": len(routed) / max((max(routed) if routed else done) - started, 1e-9)}
    state = f"drained in {drain:.0f}s" if len(routed) == len(ids) else \
        f"NOT drained: {len(routed):,} of {len(ids):,} routed when it stopped waiting"
    print(f"  {len(ids):,} queued records {state} (services took {up:.0f}s to start), "
          f"{result['routed_per_second']:.1f} routed/s", flush=True)
    return result


async def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    ports = Ports(kafka=args.kafka_port, mongo=args.mongo_port, connectors=args.service_port_base,
                  triage=args.service_port_base + 1, responder=args.service_port_base + 2)
    stack = Stack(local=args.state.resolve(), ports=ports, backend=args.backend)
    print(f"[stack] deploy/infra.sh up (CIVIC_STORE_BACKEND={args.backend}, Kafka {stack.kafka}, "
          f"store {stack.mongodb_uri}, state {args.state})", flush=True)
    stack.infra_up(fresh=True)
    report: dict = {"args": {k: str(v) for k, v in vars(args).items()}, "cpus": os.cpu_count(),
                    "load_average_at_start": os.getloadavg()}
    client = AsyncMongoClient(stack.mongodb_uri, tz_aware=True)
    watcher = Watcher(stack.kafka)
    try:
        report["limits"] = await limits(stack, args, backlog.record_size())
        print("[stack] starting triage, responder, connectors ...", flush=True)
        stack.start()
        await watcher.start()
        print("[warm-up] 50 webhooks", flush=True)
        await run_phase("warm-up", stack, watcher, args, size=0, count=50, threads=[], rate=None)
        phases = await history_phases(stack, watcher, args, client)
        report["phases"] = [p.as_dict() for p in phases]
        if args.backlog:
            report["backlog"] = await backlog_phase(stack, watcher, args)
        summarise(report, phases, args)
    finally:
        await watcher.stop() if hasattr(watcher, "task") else None
        await client.close()
        stack.stop()
        if not args.keep:
            stack.infra("down")
    return 0


def summarise(report: dict, phases: list[figures.Phase], args: argparse.Namespace) -> None:
    floods = [p for p in phases if p.offered_rate is None]
    empty, largest = floods[0], floods[-1]
    producer = report["limits"]["producer"]["records_per_second"]
    raw = report["limits"]["raw_insert_per_second"]
    # What responder writes per routed message: the message and its conversation (two documents).
    print(f"[ratios] pipeline / Kafka producer = {empty.throughput:.1f} / {producer:,.0f} = {empty.throughput / producer:.5f};"
          f" responder writes / raw store inserts = {2 * empty.throughput:.1f} / {raw:,.0f} documents/s"
          f" = {2 * empty.throughput / raw:.4f}; history {largest.history:,} / empty throughput ="
          f" {largest.throughput / max(empty.throughput, 1e-9):.2f}")
    report["load_average_at_end"] = os.getloadavg()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "pipeline.json").write_text(json.dumps(report, indent=2, default=str))
    png = args.out / "pipeline.png"
    shown = png if figures.plot(phases, png) else "not drawn (matplotlib missing)"
    print(f"[report] {args.out / 'pipeline.json'}; plot {shown}")


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM stops the run like Ctrl-C: the services and the infrastructure are stopped


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _interrupt)
    sys.exit(asyncio.run(main()))
