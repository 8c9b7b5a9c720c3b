"""The fault scenario: traffic on every inbound channel and replies going out while, in turn, each service is
SIGKILLed mid-batch, the platform stand-ins answer bursts of 429 and 5xx, Kafka is restarted (a connectors
replica is stopped with SIGTERM while Kafka is down) and the store is stopped for a while; then the system is
left to drain and everything is read back. Sizes come from the environment (FAULTS_*), so `make faults` runs
the long version and `make test` a short one."""

import os
import random
import signal
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import httpx
from faults import inspect as I
from faults import traffic as T
from faults.stack import Stack

FULL = os.environ.get("FAULTS_FULL") == "1"
MESSAGES = int(os.environ.get("FAULTS_MESSAGES") or (2400 if FULL else 150))
REPLIES = int(os.environ.get("FAULTS_REPLIES") or (100 if FULL else 12))
RATE = float(os.environ.get("FAULTS_RATE") or (10 if FULL else 5))
STORE_OUTAGE = float(os.environ.get("FAULTS_STORE_OUTAGE_SECONDS") or (30 if FULL else 8))
DRAIN = float(os.environ.get("FAULTS_DRAIN_SECONDS") or (900 if FULL else 240))
KILLED = ("connectors", "triage", "responder", "inbox") if FULL else ("responder", "connectors")
AGENT_PASSWORD, SUPERVISOR_PASSWORD = "faults-agent-pw", "faults-supervisor-pw"


@dataclass
class Outcome:
    deliveries: list[T.Delivery]
    stored: Counter
    messages: list[dict]
    routed_seen: Counter
    routed_expected: set[str]
    duty_seen: Counter
    duty_expected: set[str]
    replies: dict[str, dict]  # reply token -> {"command_id", "key", "doc", "platform_calls"}
    recoveries: list[tuple[str, float]]
    stops: list[tuple[str, float]]
    drained_in: float
    accepted_after_kafka: dict[str, list[str]] = field(default_factory=dict)  # replica -> its answers to a probe
    notes: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> set[str]:
        return {d.token for d in self.deliveries if d.accepted}


class Replier:
    """Staff replies through the inbox API while the faults go on: an agent replies to stored Facebook comments and
    SMS conversations (each API call retried with the same Idempotency-Key, as a browser's retry would be); a
    supervisor approves what waits for approval."""

    def __init__(self, stack: Stack, run: str, deliveries: list[T.Delivery]) -> None:
        self.stack, self.run = stack, run
        self.targets = [d for d in deliveries if d.kind in ("facebook_comment", "sms")][:REPLIES]
        self.requested: dict[str, dict] = {}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _client(self, user: str, password: str) -> httpx.Client:
        client = httpx.Client(base_url=self.stack.url("inbox"), timeout=15)
        while not self.stopping.is_set():
            try:
                if client.post("/api/auth/login", json={"username": user, "password": password}).status_code == 200:
                    return client
            except httpx.HTTPError:
                pass
            time.sleep(1)
        return client

    def _loop(self) -> None:
        agent = self._client("agent", AGENT_PASSWORD)
        pending = list(self.targets)
        while pending and not self.stopping.is_set():
            keys = {m.group(1): doc["conversation_key"] for doc in _safe(I.stored_messages, self.stack.mongodb_uri)
                    if (m := I.TOKEN.search(doc.get("text") or ""))}
            for target in [t for t in pending if t.token in keys]:
                tok = f"RP{self.run}x{len(self.requested):04d}"
                entry = {"key": keys[target.token], "idempotency": uuid.uuid4().hex, "command_id": None}
                text = f"Thank you, we have logged this and will update you (reply {tok})."
                for _ in range(300):  # the inbox answers 503 while Kafka is down: retry, as a browser would
                    try:
                        r = agent.post(f"/api/conversations/{entry['key']}/reply", json={"text": text},
                                       headers={"Idempotency-Key": entry["idempotency"]})
                        if r.status_code == 202:
                            entry["command_id"] = r.json()["command_id"]
                            break
                        if r.status_code == 401:
                            agent = self._client("agent", AGENT_PASSWORD)
                    except httpx.HTTPError:
                        pass
                    time.sleep(1)
                self.requested[tok] = entry
                pending.remove(target)
            time.sleep(2)

    def approve_waiting(self) -> None:
        supervisor = self._client("supervisor", SUPERVISOR_PASSWORD)
        ids = [e["command_id"] for e in self.requested.values() if e["command_id"]]
        for rid, doc in _safe(I.replies, self.stack.mongodb_uri, ids).items():
            if doc.get("status") == "awaiting_approval":
                try:
                    supervisor.post(f"/api/conversations/{doc['conversation_key']}/replies/{rid}/approve",
                                    json={"comment": "approved in the fault suite"})
                except httpx.HTTPError:
                    pass


def _safe(fn, *args, default=None):
    """Read the store, or an empty answer while it is down (the store outage is one of the faults)."""
    try:
        return fn(*args)
    except Exception:  # noqa: BLE001
        return default if default is not None else ([] if fn is not I.replies else {})


def _pid_of(stack: Stack, name: str) -> int | None:
    try:
        return int((stack.local / "run" / f"{name}.pid").read_text())
    except (OSError, ValueError):
        return None


def _stop_infra_process(stack: Stack, name: str) -> None:
    pid = _pid_of(stack, name)
    assert pid, f"no pid for {name}"
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.kill(pid, signal.SIGKILL)


def _every_instance(stack: Stack) -> list[str]:
    return [i for s in ("triage", "responder", "connectors", "inbox") for i in stack.instances(s)]


def run(stack: Stack) -> Outcome:
    run_id = uuid.uuid4().hex[:6]
    rng = random.Random(run_id)
    deliveries = [T.make(run_id, i, rng) for i in range(MESSAGES)]
    urls = [stack.url("connectors", n) for n in range(1, len(stack.instances("connectors")) + 1)]
    sender = T.Sender(urls, list(deliveries), rate=RATE)  # a copy: the probes added later are not its to send
    replier = Replier(stack, run_id, deliveries)
    recoveries: list[tuple[str, float]] = []
    stops: list[tuple[str, float]] = []
    notes: list[str] = []
    # The platforms answer bursts of 429 (with Retry-After) and 5xx: armed before the first reply goes out, so
    # the replies meet them; recovered when every armed failure has been met and a send went through after.
    sandbox = stack.url("sandbox")
    bursts = [("meta", "rate_limit"), ("meta", "server_error"), ("twilio", "server_error"), ("twilio", "rate_limit")]
    burst = 3 if FULL else 2
    for platform, kind in bursts:
        httpx.post(f"{sandbox}/_sandbox/faults", json={"platform": platform, "kind": kind, "count": burst,
                                                       "retry_after_seconds": 2}, timeout=10).raise_for_status()
    armed = time.monotonic()

    def watch_bursts() -> None:
        sent_when_drained = None
        while time.monotonic() - armed < DRAIN:
            try:
                left = httpx.get(f"{sandbox}/_sandbox/faults", timeout=10).json()
                sent = len(I.sandbox_sent(sandbox))
            except httpx.HTTPError:
                left, sent = [1], 0
            if not left and sent_when_drained is None:
                sent_when_drained = sent
            elif not left and sent > sent_when_drained:
                recoveries.append((f"429/5xx bursts ({burst * len(bursts)} calls)", time.monotonic() - armed))
                return
            time.sleep(0.5)
        notes.append("the 429/5xx bursts were not all met by a send (too few replies in flight)")

    watcher = threading.Thread(target=watch_bursts, daemon=True)
    sender.start()
    replier.thread.start()
    watcher.start()

    def wait_sent(fraction: float) -> None:
        while sender.started < fraction * MESSAGES:
            time.sleep(0.2)

    # 1. SIGKILL each service mid-batch (the last replica of each, so both replicas' paths are exercised).
    for n, service in enumerate(KILLED):
        wait_sent(0.08 + 0.08 * n)
        instance = stack.instances(service)[-1]
        victim = stack.pid(instance)
        t0 = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        while stack.pid(instance) in (None, victim):
            time.sleep(0.1)
        stack.wait_healthy([instance], timeout=600)
        recoveries.append((f"SIGKILL {instance}", time.monotonic() - t0))

    # 3. Restart Kafka; while it is down, SIGTERM a connectors replica and time how long it takes to stop.
    wait_sent(0.5)
    t0 = time.monotonic()
    _stop_infra_process(stack, "kafka")
    down_at = time.monotonic()
    instance = stack.instances("connectors")[-1]
    pid = stack.pid(instance)
    t1 = time.monotonic()
    os.kill(pid, signal.SIGTERM)
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        if time.monotonic() - t1 > 30:
            break
        time.sleep(0.05)
    stops.append((f"SIGTERM {instance} while Kafka is down", time.monotonic() - t1))
    time.sleep(max(0.0, 5 - (time.monotonic() - down_at)))
    stack.infra("up")
    back = time.monotonic()
    stack.wait_healthy(_every_instance(stack), timeout=600)
    recoveries.append((f"Kafka restart (down {back - t0:.0f}s)", time.monotonic() - back))
    # Every connectors replica takes webhooks again, not only one of them: a producer left broken by the restart
    # once had a replica answer 503 to every webhook for the rest of its life, hidden behind the other replica.
    probed: dict[str, list[str]] = {}
    for n, instance in enumerate(stack.instances("connectors"), start=1):
        probe = T.make(run_id, len(deliveries), rng)
        deliveries.append(probe)
        accepted_here = T.deliver_to(stack.url("connectors", n), probe, within=120)
        probed[instance] = probe.statuses if accepted_here else [*probe.statuses, "never accepted"]

    # 4. Stop the store for a while.
    wait_sent(0.7)
    t0 = time.monotonic()
    _stop_infra_process(stack, "ferretdb")
    time.sleep(STORE_OUTAGE)
    stack.infra("up")
    back = time.monotonic()
    stack.wait_healthy(_every_instance(stack), timeout=600)
    recoveries.append((f"store stopped {back - t0:.0f}s", time.monotonic() - back))

    # 5. Let it drain: every accepted message stored and triaged, every reply sent or failed.
    sender.join(timeout=MESSAGES / RATE + 600)
    replier.stopping.set()
    replier.thread.join(timeout=120)
    t0 = time.monotonic()
    accepted = {d.token for d in deliveries if d.accepted}
    while time.monotonic() - t0 < DRAIN:
        replier.approve_waiting()
        messages = _safe(I.stored_messages, stack.mongodb_uri)
        triaged = {m.group(1) for doc in messages if doc.get("triage") and (m := I.TOKEN.search(doc.get("text") or ""))}
        ids = [e["command_id"] for e in replier.requested.values() if e["command_id"]]
        docs = _safe(I.replies, stack.mongodb_uri, ids)
        if accepted <= triaged and all(d.get("status") in ("sent", "failed") for d in docs.values()) and len(docs) == len(ids):
            break
        time.sleep(3)
    drained_in = time.monotonic() - t0
    watcher.join(timeout=5)
    time.sleep(3)  # anything still in flight (a duplicate publish, a second send) has time to show

    messages = I.stored_messages(stack.mongodb_uri)
    stored = I.tokens_stored(messages)
    ours = [doc for doc in messages if (m := I.TOKEN.search(doc.get("text") or "")) and m.group(1) in accepted]
    events = I.topic(stack.kafka, "conversation.event.v1")
    routed_seen = Counter(e["id"] for e in events if e.get("type") == "routed")
    routed_expected = {f"{doc['_id']}:routed" for doc in ours if doc.get("triage")}
    conversations = I.conversations(stack.mongodb_uri)
    duty_expected = {f"duty:{c['_id']}:{reason}" for c in conversations for reason in (c.get("duty_alerts") or {})}
    duty_expected |= {f"duty:{c['_id']}:critical_message" for c in conversations if c.get("urgency") == "critical"}
    duty_seen = Counter(a["id"] for a in I.topic(stack.kafka, "duty.alert.v1"))
    sent = I.sandbox_sent(sandbox)
    ids = [e["command_id"] for e in replier.requested.values() if e["command_id"]]
    docs = I.replies(stack.mongodb_uri, ids)
    replies = {tok: {**e, "doc": docs.get(e["command_id"]),
                     "platform_calls": sum(1 for s in sent if tok in str(s.get("body")))}
               for tok, e in replier.requested.items()}
    return Outcome(deliveries, stored, messages, routed_seen, routed_expected, duty_seen, duty_expected, replies,
                   recoveries, stops, drained_in, probed, notes)
