"""Keeping a service's Kafka producer alive.

aiokafka's producer sends from one background task. Some errors end that task for good (`OutOfOrderSequenceNumber`
after a broker restart, `ProducerFenced`, or any error it did not expect), and from then on every publish of the
process fails at once while the consumers, the health check and the web routes carry on: a connectors replica
answers 503 to every webhook, responder's outbox stops draining, until someone restarts the process. The guard
watches the sending task and, when it has ended with an error, builds a new producer with the same settings and
puts it in the broker's place; what the dead one held was failed back to its callers, who retry (webhooks are
answered 503 and sent again, the outbox keeps its entries)."""

import asyncio
import contextlib
import logging

import aiokafka
from faststream.kafka import KafkaBroker

log = logging.getLogger(__name__)


class ProducerGuard:
    """Replaces the broker's producer when its sender has stopped with an error; retries while Kafka is away."""

    def __init__(self, broker: KafkaBroker, *, check_seconds: float = 1.0, stop_timeout: float = 4.0) -> None:
        self.broker = broker
        self.check_seconds = check_seconds
        self.stop_timeout = stop_timeout
        self.replacements = 0
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._watch(), name="kafka-producer-guard")

    async def stop(self) -> None:
        if self._task is None or self._task.done():
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    @property
    def problem(self) -> str | None:
        """Why publishing cannot work right now (for the health check), or None."""
        failure = self.sender_failure()
        return None if failure is None else f"producer stopped: {type(failure).__name__}"

    def sender_failure(self) -> BaseException | None:
        """The error that ended the current producer's sender, or None while it runs (or there is no producer)."""
        producer = _aiokafka_producer(self.broker)
        sender = getattr(producer, "_sender", None)
        task = getattr(sender, "sender_task", None)
        if task is None or not task.done() or task.cancelled():
            return None
        return task.exception()

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.check_seconds)
            if self.sender_failure() is None:
                continue
            try:
                await self.replace()
            except Exception as exc:  # noqa: BLE001 - Kafka away: keep the dead one (publishes fail fast), retry
                log.warning("Could not replace the Kafka producer yet (%s: %s); retrying", type(exc).__name__, exc)

    async def replace(self) -> None:
        """Start a new producer with the broker's settings, swap it in, then stop the old one (bounded)."""
        fast = self.broker.config.producer
        old = _aiokafka_producer(self.broker)
        failure = self.sender_failure()
        new = aiokafka.AIOKafkaProducer(**self.broker._connection_kwargs)  # the settings the broker built it with
        try:
            await fast.connect(new, serializer=fast.serializer, codec=fast.codec)  # starts it, then swaps it in
        except BaseException:
            await _stop_quietly(new, self.stop_timeout)
            raise
        self.replacements += 1
        log.error("Kafka producer had stopped (%s); replaced it (%d replacement(s) in this process)",
                  type(failure).__name__ if failure else "stopped", self.replacements)
        if old is not None and old is not new:
            await _stop_quietly(old, self.stop_timeout)


def _aiokafka_producer(broker: KafkaBroker) -> aiokafka.AIOKafkaProducer | None:
    state = getattr(broker.config.producer, "_producer", None)
    return getattr(state, "producer", None)


async def _stop_quietly(producer: aiokafka.AIOKafkaProducer, timeout: float) -> None:
    try:
        await asyncio.wait_for(producer.stop(), timeout)
    except Exception as exc:  # noqa: BLE001 - a dead producer may fail to flush; it is being dropped anyway
        log.debug("stopping the old Kafka producer: %s: %s", type(exc).__name__, exc)
