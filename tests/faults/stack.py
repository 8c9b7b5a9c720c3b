"""The whole system as `make run` runs it: deploy/run.sh with its own Kafka and FerretDB, every service a
supervised process, on ports of their own (CIVIC_TEST_PORT_BASE + 10 ... + 49), so SIGKILL, SIGTERM and
infrastructure restarts hit real processes. Everything it starts, it stops."""

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import yaml

REPO = Path(__file__).resolve().parents[2]
BASE = int(os.environ.get("CIVIC_TEST_PORT_BASE") or 19092)
META_APP_SECRET = "faults-meta-secret"
X_CONSUMER_SECRET = "faults-x-secret"
TWILIO_AUTH_TOKEN = "faults-twilio-token"
MAILGUN_SIGNING_KEY = "faults-mailgun-key"
OPEN311_API_KEY = "faults-open311-key"
PAGE, INSTAGRAM, X_ACCOUNT, NUMBER = "104729113", "17841400000000001", "1456000000000000001", "+447700900100"
MAILBOX = "contact@council.example.gov.uk"
SERVICES = ("triage", "responder", "connectors", "notifier", "inbox")


def ports() -> dict[str, int]:
    b = BASE + 10
    return {"KAFKA_PORT": b, "KAFKA_CONTROLLER_PORT": b + 1, "MONGO_PORT": b + 2, "FERRETDB_DEBUG_PORT": b + 3,
            "INBOX_PORT": b + 10, "CONNECTORS_PORT": b + 11, "TRIAGE_PORT": b + 12, "RESPONDER_PORT": b + 13,
            "SANDBOX_PORT": b + 14, "NOTIFIER_PORT": b + 15, "TRACE_UI_PORT": b + 30, "OTLP_HTTP_PORT": b + 31,
            "OTLP_GRPC_PORT": b + 32, "JAEGER_HEALTH_PORT": b + 33, "JAEGER_QUERY_GRPC_PORT": b + 34}


@dataclass
class Stack:
    """A running deploy/run.sh and what it printed."""

    proc: subprocess.Popen
    local: Path
    ports: dict[str, int]
    replicas: dict[str, int]
    lines: list[str] = field(default_factory=list)

    # What is where.
    def url(self, service: str, replica: int = 1) -> str:
        return f"http://127.0.0.1:{self.ports[service.upper() + '_PORT'] + 5 * (replica - 1)}"

    def instances(self, service: str) -> list[str]:
        return [service if i == 1 else f"{service}-{i}" for i in range(1, self.replicas.get(service, 1) + 1)]

    def pid(self, instance: str) -> int | None:
        try:
            return int((self.local / "run" / f"{instance}.pid").read_text())
        except (OSError, ValueError):
            return None

    @property
    def kafka(self) -> str:
        return f"127.0.0.1:{self.ports['KAFKA_PORT']}"

    @property
    def mongodb_uri(self) -> str:
        return f"mongodb://127.0.0.1:{self.ports['MONGO_PORT']}"

    def infra(self, command: str) -> None:
        """`deploy/infra.sh up|down` on this stack's Kafka and FerretDB (the run keeps supervising services)."""
        env = {**os.environ, **{k: str(v) for k, v in self.ports.items()}, "CIVIC_LOCAL_DIR": str(self.local),
               "CIVIC_CACHE_DIR": str(REPO / ".local" / "cache")}
        subprocess.run(["bash", str(REPO / "deploy" / "infra.sh"), command], env=env, check=True, capture_output=True,
                       timeout=180)

    # Watching it.
    def healthy(self, instance: str) -> bool:
        service, _, n = instance.partition("-")
        try:
            return httpx.get(f"{self.url(service, int(n or 1))}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_healthy(self, instances: list[str], timeout: float = 120) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if all(self.healthy(i) for i in instances):
                return time.monotonic() - started
            time.sleep(0.2)
        raise AssertionError(f"not healthy within {timeout}s: {[i for i in instances if not self.healthy(i)]}\n"
                             + self.tail())

    def wait_line(self, pattern: str, *, after: int = 0, timeout: float = 120) -> str:
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines[after:]:
                if regex.search(line):
                    return line
            assert self.proc.poll() is None, f"deploy/run.sh exited ({self.proc.returncode})\n{self.tail()}"
            time.sleep(0.2)
        raise AssertionError(f"no line matching {pattern!r} within {timeout}s\n{self.tail()}")

    def tail(self, n: int = 40) -> str:
        return "\n".join(self.lines[-n:])

    def stop(self) -> float:
        """SIGTERM the run (as Ctrl-C does) and wait for it: the seconds it took."""
        started = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # the run's own process group, started below
                self.proc.wait()
        return time.monotonic() - started


def write_policy(local: Path) -> Path:
    """The shipped policy without approval for replies out of hours: the suite runs at any hour, and a reply held
    for a supervisor is never sent (that rule has its own tests). Written under the run's own folder."""
    source = REPO / "services" / "responder" / "src" / "responder" / "policy" / "default.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["approval"] = {**data.get("approval", {}), "outside_business_hours": False, "out_of_hours_lock": False}
    local.mkdir(parents=True, exist_ok=True)
    path = local / "policy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def start(name: str, *, replicas: dict[str, int] | None = None, tracing: bool = False, timeout: float = 420) -> Stack:
    """deploy/run.sh from empty data under .local/<name>-<base>; returns once it says it is running."""
    local = REPO / ".local" / f"{name}-{BASE}"
    shutil.rmtree(local, ignore_errors=True)
    replicas = replicas or {}
    p = ports()
    policy = write_policy(local)
    env = {**os.environ, **{k: str(v) for k, v in p.items()}, "CIVIC_LOCAL_DIR": str(local),
           "CIVIC_CACHE_DIR": str(REPO / ".local" / "cache"), "CIVIC_RUN_TRAFFIC": "0",
           "CIVIC_RUN_TRACING": "1" if tracing else "0", "REPLICA_PORT_STEP": "5",
           "CONNECTORS_META_APP_SECRET": META_APP_SECRET, "CONNECTORS_META_VERIFY_TOKEN": "faults-verify",
           "CONNECTORS_X_CONSUMER_SECRET": X_CONSUMER_SECRET, "CONNECTORS_TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
           "CONNECTORS_MAILGUN_SIGNING_KEY": MAILGUN_SIGNING_KEY, "CONNECTORS_OPEN311_API_KEYS": f'["{OPEN311_API_KEY}"]',
           "CONNECTORS_POLL_INTERVAL_SECONDS": "0", "CONNECTORS_RETRY_SCAN_SECONDS": "0.5",
           "CONNECTORS_DEFAULT_BACKOFF_SECONDS": "1", "CONNECTORS_PUBLISH_TIMEOUT_SECONDS": "5",
           # Every delivery comes from this one address and is retried through the faults: the per-address limits
           # of the public forms (meant for the internet) would refuse it, so the suite raises them.
           "CONNECTORS_OPEN311_POSTS_PER_ADDRESS": "100000", "CONNECTORS_WEBFORM_POSTS_PER_ADDRESS": "100000",
           "RESPONDER_JOB_INTERVAL_SECONDS": "5", "RESPONDER_POLICY_PATH": str(policy), "DEMO_AGENT_PASSWORD": "faults-agent-pw",
           "DEMO_SUPERVISOR_PASSWORD": "faults-supervisor-pw", "KAFKA_HEAP_OPTS": "-Xms256m -Xmx768m",
           **{f"{s.upper()}_REPLICAS": str(n) for s, n in replicas.items()}}
    for var in ("KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URI", "OTEL_EXPORTER_OTLP_ENDPOINT"):
        env.pop(var, None)
    proc = subprocess.Popen(["bash", str(REPO / "deploy" / "run.sh")], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    stack = Stack(proc, local, p, replicas)

    def read() -> None:
        for line in proc.stdout:
            stack.lines.append(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    try:
        stack.wait_line(r"^Civic Inbox is running\.", timeout=timeout)
    except BaseException:
        stack.stop()
        raise
    return stack
