"""`make asyncapi` builds each service and documents its Kafka channels from the FastStream brokers."""

import json
import sys
from pathlib import Path

from civic_contracts.topics import DUTY_ALERT, DUTY_ALERT_PROGRESS, MESSAGE_RECEIVED, MESSAGE_TRIAGED, OPS_ALERT

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "deploy"))
import asyncapi  # noqa: E402


def test_asyncapi_documents_every_service_channel(tmp_path: Path) -> None:
    asyncapi.main(str(tmp_path))
    docs = {p.stem: json.loads(p.read_text()) for p in tmp_path.glob("*.json")}
    assert set(docs) == {"connectors", "triage", "responder", "notifier"}
    addresses = {name: {c.get("address") for c in doc["channels"].values()} for name, doc in docs.items()}
    assert MESSAGE_RECEIVED.name in addresses["triage"] and MESSAGE_TRIAGED.name in addresses["triage"]
    assert {MESSAGE_RECEIVED.name, MESSAGE_TRIAGED.name} <= addresses["responder"]
    assert MESSAGE_RECEIVED.name in addresses["connectors"]
    assert {DUTY_ALERT.name, OPS_ALERT.name} <= addresses["notifier"]
    assert {DUTY_ALERT_PROGRESS.name, OPS_ALERT.name} <= addresses["responder"]
