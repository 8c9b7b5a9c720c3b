"""CPU time of the processes under benchmark, read from /proc (Linux): on a shared machine the wall-clock rate
says what this box gave, the CPU milliseconds per message say what each process costs, whatever else runs."""

from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def tree_seconds(root: int) -> float:
    """User + system CPU seconds of `root` and every live descendant (PostgreSQL serves each connection from
    a child process), plus what its finished children used."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        if fields := _stat(pid):
            total += sum(int(f) for f in fields[11:15]) / TICK  # utime, stime, cutime, cstime
            todo.extend(children.get(pid, []))
    return total


def infra_pids(local: Path) -> dict[str, int]:
    """Kafka, FerretDB and (on that backend) PostgreSQL, from `deploy/infra.sh`'s pid files."""
    found = {}
    for name in ("kafka", "ferretdb", "postgresql"):
        path = local / "run" / f"{name}.pid"
        if path.exists() and path.read_text().strip().isdigit():
            found[name] = int(path.read_text().strip())
    return found


class Meter:
    """CPU seconds per process between `start()` and `stop()`."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.before: dict[str, float] = {}

    def start(self) -> None:
        self.before = {name: tree_seconds(pid) for name, pid in self.pids.items()}

    def stop(self) -> dict[str, float]:
        return {name: max(0.0, tree_seconds(pid) - self.before.get(name, 0.0)) for name, pid in self.pids.items()}
