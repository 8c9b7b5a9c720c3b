"""`civic-inbox records …` against the real FerretDB and Kafka: holds, retention (including the Kafka
topics' retention), subject access files, and a refused erasure's exit code."""

import asyncio
import json
import uuid

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from civic_contracts.topics import MESSAGE_RECEIVED, RECORDS_ERASED
from civic_eventing import KafkaSettings, ensure_topics
from responder.domain.records import RetentionSchedule
from triage.cli import main

pytestmark = pytest.mark.integration


@pytest.fixture
def records_env(infra, monkeypatch):
    database = f"civic_records_cli_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("MONGODB_URI", infra.mongodb_uri)
    monkeypatch.setenv("RESPONDER_DATABASE", database)
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", infra.kafka_bootstrap_servers)
    # The topics exist as they would under any running service (this file may run first on a fresh Kafka).
    asyncio.run(ensure_topics(KafkaSettings(bootstrap_servers=infra.kafka_bootstrap_servers, client_id="records-test")))
    return database


def run(capsys, *args: str) -> tuple[int, object]:
    code = main(["records", "--by", "test-admin", *args])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


async def _topic_retention(bootstrap: str, topic: str) -> str:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        [response] = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
        entries = response.to_object()["resources"][0]["config_entries"]
        return next(e["config_value"] for e in entries if e["config_names"] == "retention.ms")
    finally:
        await admin.close()


def test_the_records_commands_from_the_command_line(records_env, infra, capsys, tmp_path) -> None:
    code, hold = run(capsys, "hold", "--reason", "insurance claim", "--person", "sms:+447700900555")
    assert code == 0 and hold["id"].startswith("hold:") and hold["by"] == "test-admin"
    code, held = run(capsys, "hold", "--list")
    assert [h["id"] for h in held] == [hold["id"]]
    assert main(["records", "erase", "--person", "07700 900555", "--reason", "art. 17", "--request", "ER-9"]) == 1
    assert "legal hold" in capsys.readouterr().err
    code, released = run(capsys, "hold", "--release", hold["id"], "--reason", "claim settled")
    assert code == 0 and released["reason"] == "insurance claim"
    code, erased = run(capsys, "erase", "--person", "07700 900555", "--reason", "art. 17", "--request", "ER-9")
    assert code == 0 and erased["counts"]["messages"] == 0 and erased["announced"] == "published"
    code, bundle = run(capsys, "subject-access", "--person", "@nobody", "--request", "SAR-9", "--output", str(tmp_path))
    assert code == 0 and bundle["conversations"] == 0 and (tmp_path / "index.html").exists()
    code, dry = run(capsys, "retention", "--dry-run")
    assert code == 0 and dry["dry_run"] is True and "due" in dry
    code, done = run(capsys, "retention")
    assert code == 0 and MESSAGE_RECEIVED.name in done["kafka_topics"] and done["announced"] == "published"


async def test_topic_retention_follows_the_schedule(records_env, infra, capsys) -> None:
    from responder.adapters.kafka_topics import set_retention

    schedule = RetentionSchedule()
    hours = schedule.topic_hours([MESSAGE_RECEIVED.name, RECORDS_ERASED.name, "no.such.topic"])
    assert hours[RECORDS_ERASED.name] == schedule.records_topic_hours < hours[MESSAGE_RECEIVED.name]
    changed = await set_retention(infra.kafka_bootstrap_servers, hours)
    assert changed == [MESSAGE_RECEIVED.name, RECORDS_ERASED.name]
    assert await _topic_retention(infra.kafka_bootstrap_servers, MESSAGE_RECEIVED.name) == str(168 * 3_600_000)
    assert await _topic_retention(infra.kafka_bootstrap_servers, RECORDS_ERASED.name) == str(72 * 3_600_000)
