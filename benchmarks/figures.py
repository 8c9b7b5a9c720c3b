"""Figures of one benchmark phase (accept rate, end-to-end throughput, latency percentiles), the printed
report, and the plot of throughput and p99 against history size."""

from __future__ import annotations

import math
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path

from load import Sent


@dataclass
class Phase:
    name: str
    history: int  # conversations preloaded
    offered: int
    accepted: int
    rejected: int
    routed: int
    accept_rate: float  # accepted per second of posting
    throughput: float  # routed per second, from the first post to the last routed event
    p50: float
    p95: float
    p99: float
    offered_rate: float | None = None  # per second, for an open-loop phase
    seconds: float = 0.0
    cpu_ms_per_message: dict[str, float] = field(default_factory=dict)  # per process, per routed message

    def line(self) -> str:
        rate = f"{self.offered_rate:7.1f}/s offered" if self.offered_rate else "  as fast as accepted"
        missing = f"  ({self.offered - self.routed} not routed in time)" if self.routed < self.accepted else ""
        return (f"{self.name:26s} history {self.history:>7,}  {rate}  accept {self.accept_rate:8.1f}/s  "
                f"end-to-end {self.throughput:7.1f}/s  p50 {fmt(self.p50)}  p95 {fmt(self.p95)}  p99 {fmt(self.p99)}"
                f"  [{self.routed}/{self.offered} routed, {self.rejected} rejected]{missing}")

    def cpu_line(self) -> str:
        if not self.cpu_ms_per_message:
            return ""
        parts = ", ".join(f"{name} {ms:.2f}" for name, ms in self.cpu_ms_per_message.items())
        total = sum(ms for name, ms in self.cpu_ms_per_message.items() if name != "load generator")
        return (f"{'':26s} CPU ms per routed message: {parts}; system total {total:.2f} ms "
                f"(so 2 idle cores would carry about {2000 / total:,.0f}/s)" if total else "")

    def as_dict(self) -> dict:
        return asdict(self)


def fmt(seconds: float) -> str:
    if seconds != seconds:  # nan
        return "    n/a"
    return f"{seconds * 1000:5.0f} ms" if seconds < 10 else f"{seconds:5.1f} s "


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]  # nearest rank


def phase(name: str, history: int, sent: dict[str, Sent], routed: dict[str, float], *,
          offered_rate: float | None = None, cpu_seconds: dict[str, float] | None = None) -> Phase:
    accepted = [s for s in sent.values() if 200 <= s.status < 300]
    start = min(s.due for s in sent.values())
    answered = max(s.answered for s in sent.values())
    latencies = [routed[i] - s.due for i, s in sent.items() if i in routed and 200 <= s.status < 300]
    last = max((routed[i] for i in sent if i in routed), default=start)
    return Phase(
        name=name, history=history, offered=len(sent), accepted=len(accepted), rejected=len(sent) - len(accepted),
        routed=len(latencies), accept_rate=len(accepted) / max(answered - start, 1e-9),
        throughput=len(latencies) / max(last - start, 1e-9) if latencies else 0.0,
        p50=percentile(latencies, 50), p95=percentile(latencies, 95), p99=percentile(latencies, 99),
        offered_rate=offered_rate, seconds=last - start,
        cpu_ms_per_message={k: 1000 * v / len(latencies) for k, v in (cpu_seconds or {}).items()} if latencies else {})


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def plot(phases: list[Phase], path: Path) -> bool:
    """Throughput (as fast as accepted) and p99 (at half that) against history size; False without matplotlib."""
    try:
        import matplotlib  # noqa: PLC0415 - optional at import time of the benchmark

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # noqa: PLC0415
    except ImportError:
        return False
    flood = sorted((p.history, p.throughput) for p in phases if p.offered_rate is None)
    paced = sorted((p.history, p.p99) for p in phases if p.name == "half capacity" and p.p99 == p.p99)
    fig, left = plt.subplots(figsize=(6, 3.5), dpi=100)
    left.plot([h for h, _ in flood], [t for _, t in flood], "o-", color="tab:blue", label="end-to-end throughput")
    left.set_xlabel("history (conversations preloaded)")
    left.set_ylabel("messages/s (as fast as accepted)", color="tab:blue")
    left.set_ylim(bottom=0)
    right = left.twinx()
    right.plot([h for h, _ in paced], [p for _, p in paced], "s--", color="tab:red", label="p99 latency")
    right.set_ylabel("p99 webhook to routed, s (at half)", color="tab:red")
    right.set_ylim(bottom=0)
    left.set_title("Civic Inbox pipeline against history size")
    fig.legend(loc="upper center", bbox_to_anchor=(0.5, 0.88), fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return True
