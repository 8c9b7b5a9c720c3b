"""One `make run` (deploy/run.sh, its own Kafka and FerretDB, no sample traffic) shared by the tests of this
folder: two replicas of each consumer, as a deployment runs them."""

import pytest
from faults.stack import Stack, start


@pytest.fixture(scope="session")
def stack() -> Stack:
    running = start("faults", replicas={"triage": 2, "responder": 1, "connectors": 2, "inbox": 1})
    try:
        yield running
    finally:
        took = running.stop()
        print(f"\n[faults] deploy/run.sh stopped in {took:.1f}s")
