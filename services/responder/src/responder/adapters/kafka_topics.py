"""Kafka topics' retention, set from the records schedule (the topics carry citizen text and raw payloads,
so they are kept no longer than the schedule says)."""

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType


async def set_retention(bootstrap_servers: str, hours: dict[str, int]) -> list[str]:
    """Sets `retention.ms` on each existing topic of `hours` (topic -> hours); returns the topics changed."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="responder-records")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        chosen = [t for t in hours if t in existing]
        if chosen:
            await admin.alter_configs([
                ConfigResource(ConfigResourceType.TOPIC, t, configs={"retention.ms": str(hours[t] * 3_600_000)})
                for t in chosen
            ])
        return chosen
    finally:
        await admin.close()
