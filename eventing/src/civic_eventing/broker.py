"""The Kafka broker of a service, and keeping it connected."""

import asyncio
import logging
from dataclasses import dataclass, field

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from civic_contracts import TOPICS
from faststream.kafka import KafkaBroker
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from opentelemetry.trace import TracerProvider
from prometheus_client import CollectorRegistry

from civic_eventing.producer_guard import ProducerGuard

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class KafkaSettings:
    """What every service needs to reach Kafka."""

    bootstrap_servers: str
    client_id: str
    request_timeout_ms: int = 10_000
    topics: tuple[str, ...] = field(default_factory=lambda: tuple(TOPICS))
    partitions: int = 3
    replication_factor: int = 1


async def ensure_topics(kafka: KafkaSettings) -> None:
    """Create the service's topics if they do not exist yet (existing ones are left as they are), so a
    consumer never waits on a topic that nobody has written to."""
    if not kafka.topics:
        return
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka.bootstrap_servers, client_id=f"{kafka.client_id}-admin",
                                request_timeout_ms=kafka.request_timeout_ms)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in kafka.topics if t not in existing]
        if missing:
            response = await admin.create_topics(
                [NewTopic(t, kafka.partitions, kafka.replication_factor) for t in missing]
            )
            for name, code, *_ in getattr(response, "topic_errors", ()):
                if code not in (0, 36):  # 36: TOPIC_ALREADY_EXISTS (another service won the race)
                    raise RuntimeError(f"could not create topic {name}: error code {code}")
    finally:
        await admin.close()


def build_broker(
    *, kafka: KafkaSettings, tracer_provider: TracerProvider, registry: CollectorRegistry
) -> KafkaBroker:
    """A broker that traces every publish and consume (W3C trace context in Kafka headers), counts them for
    Prometheus, and waits for all in-sync replicas before a publish counts as done."""
    return KafkaBroker(
        kafka.bootstrap_servers,
        client_id=kafka.client_id,
        acks="all",
        # Not idempotent: after a broker restart, aiokafka's idempotent producer can meet OutOfOrderSequenceNumber,
        # which ends its sender for good, and every later publish of the process fails (seen in the fault suite).
        # Without it a retried batch may be written twice, which every consumer already absorbs (stable event
        # ids, deduplicated); order within a partition holds (aiokafka sends one batch per partition at a time).
        # Any other error that ends the sender is met by `ProducerGuard`, which puts a new producer in its place.
        enable_idempotence=False,
        request_timeout_ms=kafka.request_timeout_ms,
        middlewares=[
            KafkaTelemetryMiddleware(tracer_provider=tracer_provider),
            KafkaPrometheusMiddleware(registry=registry, app_name=kafka.client_id),
        ],
        logger=logging.getLogger(kafka.client_id),
        # FastStream's "Received"/"Processed" line for every record at DEBUG: at INFO it was two log lines per event
        # on every subscriber (139,041 lines in one benchmark run); failures are still logged at ERROR.
        log_level=logging.DEBUG,
    )


class BrokerKeeper:
    """Starts the broker in the background and keeps trying while Kafka is unreachable, so a service comes
    up (and answers its health check and platforms with a clear 503) instead of crashing; once connected, its
    `ProducerGuard` replaces the producer if the producer's sender ever stops for good."""

    def __init__(self, broker: KafkaBroker, kafka: KafkaSettings, *, retry_seconds: float = 2.0) -> None:
        self.broker = broker
        self.kafka = kafka
        self.retry_seconds = retry_seconds
        self.connected = asyncio.Event()
        self.last_error: str | None = None
        self._task: asyncio.Task | None = None
        self.producer_guard = ProducerGuard(broker)

    def start(self) -> None:
        self._task = asyncio.create_task(self._connect(), name="kafka-connect")

    @property
    def problem(self) -> str | None:
        """What stops this service from using Kafka now (for `/healthz`), or None."""
        if not self.connected.is_set():
            return self.last_error or "connecting"
        return self.producer_guard.problem

    async def _connect(self) -> None:
        while True:
            try:
                await ensure_topics(self.kafka)
                await self.broker.start()
            except Exception as exc:  # noqa: BLE001 - any failure to connect is retried
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.warning("Kafka not reachable yet (%s); retrying in %.0fs", self.last_error, self.retry_seconds)
                try:
                    await self.broker.stop()
                except Exception:  # noqa: BLE001
                    pass
                await asyncio.sleep(self.retry_seconds)
                continue
            self.last_error = None
            self.connected.set()
            self.producer_guard.start()
            return

    async def wait(self, timeout: float | None = None) -> bool:
        try:
            await asyncio.wait_for(self.connected.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def stop(self, *, timeout: float = 4.0) -> None:
        """Stop the broker; bounded, because a producer flush or an offset commit against an unreachable Kafka
        has no deadline of its own (what is not acknowledged by then was never acknowledged to anyone)."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        await self.producer_guard.stop()
        try:
            await asyncio.wait_for(self.broker.stop(), timeout)
        except TimeoutError:
            log.warning("Kafka broker did not stop within %.0fs (Kafka unreachable?); leaving it", timeout)


@dataclass(frozen=True, kw_only=True)
class KafkaRuntime:
    """What a service holds to talk to Kafka: the broker, the keeper that connects it, the metrics registry
    and the tracer provider (which batch consumers need for their per-record spans)."""

    broker: KafkaBroker
    keeper: BrokerKeeper
    registry: CollectorRegistry
    tracer_provider: TracerProvider | None = None

    @classmethod
    def create(cls, *, bootstrap_servers: str, service: str, tracer_provider: TracerProvider) -> "KafkaRuntime":
        kafka = KafkaSettings(bootstrap_servers=bootstrap_servers, client_id=service)
        registry = CollectorRegistry()
        broker = build_broker(kafka=kafka, tracer_provider=tracer_provider, registry=registry)
        return cls(broker=broker, keeper=BrokerKeeper(broker, kafka), registry=registry, tracer_provider=tracer_provider)
