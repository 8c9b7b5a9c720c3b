"""The real Kafka and MongoDB-wire server the integration tests run against.

In order of preference:
1. `KAFKA_BOOTSTRAP_SERVERS` and `MONGODB_URI` from the environment (an existing deployment);
2. testcontainers (official Kafka and MongoDB images) when a Docker engine answers;
3. the project's own `deploy/infra.sh`, started on test ports (Kafka 19092, FerretDB 27018) with its data
   under `.local/test`, so tests never touch the data of `make run`; stopped again at the end.
"""

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# `CIVIC_TEST_PORT_BASE` moves all three (base, base+1, base+2) so two checkouts can test side by side.
_BASE = os.environ.get("CIVIC_TEST_PORT_BASE")
TEST_PORTS = (
    {"KAFKA_PORT": _BASE, "KAFKA_CONTROLLER_PORT": str(int(_BASE) + 1), "MONGO_PORT": str(int(_BASE) + 2)}
    if _BASE else {"KAFKA_PORT": "19092", "KAFKA_CONTROLLER_PORT": "19093", "MONGO_PORT": "27018"}
)


@dataclass(frozen=True)
class Infra:
    kafka_bootstrap_servers: str
    mongodb_uri: str
    how: str


def _docker_engine_available() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@contextmanager
def _testcontainers() -> Iterator[Infra]:
    from testcontainers.kafka import KafkaContainer
    from testcontainers.mongodb import MongoDbContainer

    with KafkaContainer().with_kraft() as kafka, MongoDbContainer("mongo:7") as mongo:
        yield Infra(kafka.get_bootstrap_server(), mongo.get_connection_url(), "testcontainers")


@contextmanager
def _deploy_scripts() -> Iterator[Infra]:
    local = REPO / ".local" / (f"test-{_BASE}" if _BASE else "test")  # one folder per port base: side by side runs
    env = {**os.environ, **TEST_PORTS, "CIVIC_LOCAL_DIR": str(local), "CIVIC_CACHE_DIR": str(REPO / ".local" / "cache")}
    script = ["bash", str(REPO / "deploy" / "infra.sh")]
    already = subprocess.run([*script, "status"], env=env, capture_output=True).returncode == 0
    if not already:
        shutil.rmtree(local / "data", ignore_errors=True)  # every test session starts from empty topics and collections
        result = subprocess.run([*script, "up"], env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"deploy/infra.sh up failed:\n{result.stdout}\n{result.stderr}")
    try:
        yield Infra(
            f"127.0.0.1:{TEST_PORTS['KAFKA_PORT']}",
            f"mongodb://127.0.0.1:{TEST_PORTS['MONGO_PORT']}",
            "deploy/infra.sh (already running)" if already else "deploy/infra.sh",
        )
    finally:
        if not already and os.environ.get("CIVIC_KEEP_TEST_INFRA") != "1":
            subprocess.run([*script, "down"], env=env, capture_output=True)


@contextmanager
def real_infra() -> Iterator[Infra]:
    kafka, mongo = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), os.environ.get("MONGODB_URI")
    if kafka and mongo:
        yield Infra(kafka, mongo, "environment")
    elif _docker_engine_available():
        with _testcontainers() as infra:
            yield infra
    else:
        with _deploy_scripts() as infra:
            yield infra
