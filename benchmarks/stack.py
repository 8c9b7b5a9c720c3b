"""The system under benchmark: Kafka and the MongoDB-wire store started by `deploy/infra.sh` in a state folder
of the benchmark's own (wiped at the start), and triage, responder and connectors each started as its own
process, as `deploy/run.sh` starts them, on ports the benchmark chooses."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("triage", "responder", "connectors")  # start order: consumers first, the webhook server last
PAGE_ID = "104729113"  # the sample traffic's Facebook Page


@dataclass
class Ports:
    kafka: int = 9192
    mongo: int = 27117
    triage: int = 8182
    responder: int = 8183
    connectors: int = 8181

    def of(self, service: str) -> int:
        return getattr(self, service)


@dataclass
class Stack:
    """Infrastructure and services of one benchmark run (`local` holds their data and logs)."""

    local: Path
    ports: Ports
    backend: str = "sqlite"
    database: str = "civic_inbox"
    app_secret: str = field(default_factory=lambda: secrets.token_hex(16))
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def kafka(self) -> str:
        return f"127.0.0.1:{self.ports.kafka}"

    @property
    def mongodb_uri(self) -> str:
        return f"mongodb://127.0.0.1:{self.ports.mongo}"

    @property
    def connectors_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.connectors}"

    @property
    def log_dir(self) -> Path:
        return self.local / "log"

    def _infra_env(self) -> dict[str, str]:
        return {**os.environ, "CIVIC_LOCAL_DIR": str(self.local), "CIVIC_CACHE_DIR": str(ROOT / ".local" / "cache"),
                "KAFKA_PORT": str(self.ports.kafka), "KAFKA_CONTROLLER_PORT": str(self.ports.kafka + 1),
                "MONGO_PORT": str(self.ports.mongo), "CIVIC_STORE_BACKEND": self.backend}

    def infra(self, command: str) -> None:
        result = subprocess.run(["bash", str(ROOT / "deploy" / "infra.sh"), command], env=self._infra_env(),
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"deploy/infra.sh {command} failed:\n{result.stdout}\n{result.stderr}")

    def infra_up(self, *, fresh: bool) -> None:
        if fresh:
            self.infra("down")
            shutil.rmtree(self.local / "data", ignore_errors=True)
        self.infra("up")

    def service_env(self, service: str) -> dict[str, str]:
        prefix = service.upper()
        env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": self.kafka, "MONGODB_URI": self.mongodb_uri,
               "OTEL_SDK_DISABLED": "true", "OTEL_SERVICE_NAME": service, f"{prefix}_PORT": str(self.ports.of(service))}
        if service == "responder":
            env["RESPONDER_DATABASE"] = self.database
        if service == "connectors":
            env.update(CONNECTORS_META_APP_SECRET=self.app_secret, CONNECTORS_META_VERIFY_TOKEN=secrets.token_hex(8),
                       CONNECTORS_POLL_INTERVAL_SECONDS="0")
        return env

    def start(self, *services: str, timeout: float = 120.0) -> None:
        """Start each service (python -m <name>, log under `local/log`) and wait for its /healthz."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for name in services or SERVICES:
            log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - owned by the child process
            self.procs[name] = subprocess.Popen([sys.executable, "-m", name], cwd=ROOT, env=self.service_env(name),
                                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            log.close()
            self._wait_healthy(name, timeout)

    def _wait_healthy(self, name: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.ports.of(name)}/healthz"
        while time.monotonic() < deadline:
            if self.procs[name].poll() is not None:
                raise RuntimeError(f"{name} exited during start-up; see {self.log_dir / (name + '.log')}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - 127.0.0.1 only
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{name} did not answer {url} within {timeout:.0f}s")

    def stop(self, *services: str, grace: float = 30.0) -> None:
        """SIGTERM each running service (the ones named, or all), then wait; SIGKILL only as a last resort."""
        names = [n for n in (services or list(self.procs)) if n in self.procs]
        for name in names:
            if self.procs[name].poll() is None:
                self.procs[name].send_signal(signal.SIGTERM)
        for name in names:
            try:
                self.procs[name].wait(grace)
            except subprocess.TimeoutExpired:
                self.procs[name].kill()
                self.procs[name].wait()
            del self.procs[name]

    def pids(self) -> dict[str, int]:
        return {name: p.pid for name, p in self.procs.items() if p.poll() is None}
