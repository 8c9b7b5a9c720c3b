"""Kafka's own measuring tools, run from the broker's jars (`org.apache.kafka.tools.ProducerPerformance` and
`EndToEndLatency`), so the pipeline's figures can be put next to what the spine itself does on this machine."""

from __future__ import annotations

import re
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIBS = ROOT / ".local" / "cache" / "kafka-libs"
LOG4J = ROOT / "deploy" / "kafka" / "log4j2.yaml"


@dataclass
class ProducerFigures:
    records: int
    record_size: int
    records_per_second: float
    mb_per_second: float
    avg_latency_ms: float
    p99_latency_ms: float
    command: str


@dataclass
class LatencyFigures:
    records: int
    avg_ms: float
    p50_ms: float
    p99_ms: float
    command: str


def _java(*args: str, timeout: float) -> tuple[str, str]:
    command = ["java", f"-Dlog4j2.configurationFile={LOG4J}", "-Xmx512m", "-cp", f"{LIBS}/*", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    shown = " ".join(["java -cp '.local/cache/kafka-libs/*'", *args])
    return result.stdout, shown


def producer_performance(bootstrap: str, *, records: int, record_size: int, timeout: float = 600) -> ProducerFigures:
    """As many records as the producer can send (acks=all, the services' setting), on a fresh topic."""
    topic = f"bench.producer.{uuid.uuid4().hex[:8]}"
    out, shown = _java("org.apache.kafka.tools.ProducerPerformance", "--bootstrap-server", bootstrap, "--topic", topic,
                       "--num-records", str(records), "--record-size", str(record_size), "--throughput", "-1",
                       "--command-property", "acks=all", "linger.ms=5", timeout=timeout)
    last = [line for line in out.splitlines() if "records sent" in line][-1]
    rate = re.search(r"records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\), ([\d.]+) ms avg latency", last)
    p99 = re.search(r"([\d.]+) ms 99th", last)
    if rate is None:
        raise RuntimeError(f"unexpected ProducerPerformance output: {last}")
    return ProducerFigures(records, record_size, float(rate.group(1)), float(rate.group(2)), float(rate.group(3)),
                           float(p99.group(1)) if p99 else float("nan"), shown)


def end_to_end_latency(bootstrap: str, *, records: int, record_size: int, timeout: float = 600) -> LatencyFigures:
    """One record at a time, produced (acks=all) and consumed back: the spine's own latency."""
    topic = f"bench.latency.{uuid.uuid4().hex[:8]}"
    out, shown = _java("org.apache.kafka.tools.EndToEndLatency", bootstrap, topic, str(records), "all", str(record_size),
                       timeout=timeout)
    avg = re.search(r"Avg latency: ([\d.]+) ms", out)
    pct = re.search(r"50th = ([\d.]+), 99th = ([\d.]+)", out)
    if avg is None or pct is None:
        raise RuntimeError(f"unexpected EndToEndLatency output: {out[-500:]}")
    return LatencyFigures(records, float(avg.group(1)), float(pct.group(1)), float(pct.group(2)), shown)
