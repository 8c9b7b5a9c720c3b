"""The connectors' webhook accept rate, alone: one connectors process on real Kafka (and its store), signed
Facebook comment webhooks posted from keep-alive connections on 127.0.0.1 as fast as they are answered; each
is answered 200 only after Kafka acknowledged its message. Reported, never asserted.

    python benchmarks/bench_webhooks.py                 # 20,000 webhooks from 32 connections, 3 rounds
    python benchmarks/bench_webhooks.py --telemetry     # with OpenTelemetry on, as `make run` runs it

Starts Kafka and FerretDB with `deploy/infra.sh` in `.local/bench` (the state folder of `bench_pipeline.py`,
wiped first) and `python -m connectors`; triage and responder are not started, so the figure is the
connectors' own (the load generator shares the machine: its CPU time is printed too)."""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cpu import tree_seconds  # noqa: E402
from load import closed_loop, webhooks  # noqa: E402
from stack import Ports, Stack  # noqa: E402


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=20_000, help="webhooks per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--telemetry", action="store_true", help="OpenTelemetry on (spans made, not exported)")
    parser.add_argument("--kafka-port", type=int, default=9192)
    parser.add_argument("--mongo-port", type=int, default=27117)
    parser.add_argument("--port", type=int, default=8181)
    parser.add_argument("--state", type=Path, default=ROOT / ".local" / "bench")
    parser.add_argument("--keep", action="store_true", help="leave Kafka and the store running")
    args = parser.parse_args(argv)
    stack = Stack(local=args.state.resolve(), ports=Ports(kafka=args.kafka_port, mongo=args.mongo_port, connectors=args.port))
    if args.telemetry:
        os.environ["OTEL_SDK_DISABLED"] = "false"
    stack.infra_up(fresh=True)
    rates, per_cpu = [], []
    try:
        stack.start("connectors")
        if args.telemetry:
            print("OpenTelemetry on in connectors")
        pid = stack.pids()["connectors"]
        await closed_loop(args.port, webhooks(500, stack.app_secret, threads=[], reply_share=0, seed=1), concurrency=8)
        for r in range(args.rounds):
            hooks = webhooks(args.n, stack.app_secret, threads=[], reply_share=0.25, seed=100 + r)
            cpu0, own0, t0 = tree_seconds(pid), resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
            sent = await closed_loop(args.port, hooks, concurrency=args.concurrency)
            elapsed = time.perf_counter() - t0
            own1 = resource.getrusage(resource.RUSAGE_SELF)
            ok = sum(1 for s in sent.values() if 200 <= s.status < 300)
            answer = sorted(s.answered - s.due for s in sent.values())
            rates.append(ok / elapsed)
            used = tree_seconds(pid) - cpu0
            per_cpu.append(ok / used if used else float("nan"))
            print(f"round {r + 1}: {ok:,}/{len(sent):,} accepted in {elapsed:.1f}s = {ok / elapsed:,.0f}/s; answer p50 "
                  f"{answer[len(answer) // 2] * 1000:.1f} ms, p99 {answer[int(len(answer) * 0.99)] * 1000:.1f} ms; "
                  f"connectors CPU {used / elapsed:.0%} of a core ({1000 * used / ok:.2f} ms a webhook), load generator "
                  f"{(own1.ru_utime + own1.ru_stime - own0.ru_utime - own0.ru_stime) / elapsed:.0%}; "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
        print(f"webhook accept rate, one connectors process: median {statistics.median(rates):,.0f}/s over "
              f"{args.rounds} rounds of {args.n:,} ({args.concurrency} connections, {os.cpu_count()} CPUs, load average "
              f"{os.getloadavg()[0]:.1f}); per CPU-second of the connectors process: median "
              f"{statistics.median(per_cpu):,.0f} webhooks (its rate with a core of its own)")
    finally:
        stack.stop()
        if not args.keep:
            stack.infra("down")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
