"""A producer whose sender has stopped for good is replaced, on the real Kafka.

After a Kafka restart, aiokafka's sender can end with an error it does not recover from (OutOfOrderSequenceNumber
was seen in the fault suite): from then on every publish of the process failed at once while its health check
said "ok", and a connectors replica answered 503 to every webhook until it was restarted by hand. Here the
sender is ended the same way (an error raised inside it), and the service must publish again by itself and say
so on `/healthz` meanwhile."""

import asyncio
import uuid

import pytest
from aiokafka.errors import KafkaError
from civic_eventing import KafkaRuntime, ops_router
from civic_eventing.broker import KafkaSettings, ensure_topics
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from opentelemetry.sdk.trace import TracerProvider
from support.kafka import find_records

pytestmark = pytest.mark.integration


async def _kill_sender(runtime: KafkaRuntime, run: str) -> None:
    """Make the producer's sending task end with an error, as aiokafka's does on OutOfOrderSequenceNumber."""
    producer = runtime.broker.config.producer._producer.producer
    sender = producer._sender

    async def broken(*args, **kwargs):
        raise RuntimeError("sequence out of order (injected)")

    sender._send_produce_req = broken
    with pytest.raises(KafkaError):  # the batch in flight is failed back to its caller
        await runtime.broker.publish({"run": run, "n": "lost"}, topic=_topic(), key=b"k")
    for _ in range(100):
        if sender.sender_task.done():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the sender did not stop")


def _topic() -> str:
    return "test.producer-guard.v1"


async def test_a_producer_whose_sender_stopped_is_replaced_and_publishing_resumes(infra) -> None:
    await ensure_topics(KafkaSettings(bootstrap_servers=infra.kafka_bootstrap_servers, client_id="guard-test",
                                      topics=(_topic(),), partitions=1))
    runtime = KafkaRuntime.create(bootstrap_servers=infra.kafka_bootstrap_servers, service="guard-test",
                                  tracer_provider=TracerProvider())
    runtime.keeper.producer_guard.check_seconds = 3600  # the test drives the checks itself
    runtime.keeper.start()
    assert await runtime.keeper.wait(60)
    app = FastAPI()
    app.include_router(ops_router(keeper=runtime.keeper, registry=runtime.registry))
    http = AsyncClient(transport=ASGITransport(app=app), base_url="http://guard")
    try:
        old = runtime.broker.config.producer._producer.producer
        run = uuid.uuid4().hex
        await _kill_sender(runtime, run)
        with pytest.raises(KafkaError):  # every publish now fails at once: the state the guard exists for
            await runtime.broker.publish({"run": run, "n": "refused"}, topic=_topic(), key=b"k")
        assert isinstance(runtime.keeper.producer_guard.sender_failure(), Exception)
        health = await http.get("/healthz")  # says so, instead of "ok" while every publish fails
        assert health.status_code == 503 and "producer stopped" in health.json()["problems"]["kafka"]

        runtime.keeper.producer_guard.check_seconds = 0.1
        await runtime.keeper.producer_guard.stop()
        runtime.keeper.producer_guard.start()
        for _ in range(200):
            if runtime.keeper.producer_guard.replacements:
                break
            await asyncio.sleep(0.05)
        assert runtime.keeper.producer_guard.replacements == 1
        assert runtime.broker.config.producer._producer.producer is not old

        await runtime.broker.publish({"run": run, "n": "after"}, topic=_topic(), key=b"k")
        found = await find_records(infra.kafka_bootstrap_servers, _topic(), lambda v: v.get("run") == run,
                                   count=3, timeout=5)
        assert [v["n"] for v in found] == ["after"]  # the two refused were refused, not written behind our back
        assert (await http.get("/healthz")).json() == {"status": "ok"}
    finally:
        await http.aclose()
        await runtime.keeper.stop()
