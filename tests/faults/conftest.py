"""One `make run` (deploy/run.sh, its own Kafka and FerretDB, Jaeger, no sample traffic) shared by the tests of
this folder: two replicas of triage and of the connectors, as a deployment runs them (one responder: FerretDB v1
cannot make two responders' writes to one conversation safe, see the README)."""

import subprocess

import pytest
from faults.stack import REPO, Stack, start


@pytest.fixture(scope="package")
def stack() -> Stack:
    # Jaeger is built once (several minutes the first time; `make test` does it before pytest).
    subprocess.run(["bash", str(REPO / "deploy" / "tracing.sh"), "path"], check=True, timeout=3600,
                   stdout=subprocess.DEVNULL)
    running = start("faults", replicas={"triage": 2, "responder": 1, "connectors": 2, "inbox": 1}, tracing=True)
    try:
        yield running
    finally:
        took = running.stop()
        print(f"\n[faults] deploy/run.sh stopped in {took:.1f}s")
