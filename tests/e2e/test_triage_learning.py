"""Triage through real Kafka and FerretDB: staff corrections kept as labelled examples, surges raised as
incidents, and the CLI exporting the corrections for training."""

import asyncio
import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime

import pytest
from civic_contracts import TriageCorrection
from civic_contracts.topics import INCIDENT, TRIAGE_CORRECTION
from support.kafka import find_records, produce_raw
from support.system import System

pytestmark = [pytest.mark.integration, pytest.mark.e2e]
PAGE = "104729113"


async def test_a_correction_is_stored_and_exported_as_a_labelled_example(system: System) -> None:
    marker = uuid.uuid4().hex
    correction = TriageCorrection(
        message_id=f"messenger:{PAGE}:m_{marker}", conversation_key=f"messenger:{PAGE}:{marker}",
        text=f"The bus shelter glass is smashed {marker}", previous_department="waste", previous_urgency="normal",
        corrected_department="transport", corrected_urgency="normal", corrected_by="agent-1",
        corrected_at=datetime.now(UTC),
    )
    for _ in range(2):  # delivered twice, kept once
        await produce_raw(system.infra.kafka_bootstrap_servers, TRIAGE_CORRECTION.name,
                          correction.model_dump_json().encode(), key=correction.conversation_key.encode())
    store = system.apps["triage"].state.corrections
    for _ in range(120):
        found = [c async for c in store.all() if marker in c.text]
        if found:
            break
        await asyncio.sleep(0.25)
    assert [c.corrected_department for c in found] == ["transport"]

    exported = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "triage.cli", "triage", "corrections", "--mongodb-uri", system.infra.mongodb_uri,
         "--database", system.database],
        capture_output=True, text=True, check=True,
    )
    rows = [json.loads(line) for line in exported.stdout.splitlines() if marker in line]
    assert len(rows) == 1 and rows[0]["corrected_department"] == "transport"


async def test_a_surge_of_similar_messages_raises_one_incident(system: System) -> None:
    street = f"Zebulon{uuid.uuid4().hex[:6]} Road"
    texts = [
        f"A tree has fallen across {street} and is blocking both lanes",
        f"Fallen tree blocking {street}, cars turning round",
        f"{street} completely blocked by a fallen tree near the school",
        f"Big tree down on {street}, road blocked",
    ]
    for i, text in enumerate(texts):
        payload = {"object": "page", "entry": [{"id": PAGE, "time": 1763718399000, "messaging": [{
            "sender": {"id": f"s{uuid.uuid4().hex[:10]}"}, "recipient": {"id": PAGE}, "timestamp": 1763718399000 + i,
            "message": {"mid": f"m_{uuid.uuid4().hex}", "text": text}}]}]}
        assert (await system.post_meta(payload)).status_code == 200
    incidents = await find_records(
        system.infra.kafka_bootstrap_servers, INCIDENT.name,
        lambda v: any(street in s["text"] for s in v.get("samples", [])), count=2, timeout=45,
    )
    assert incidents, "no incident raised for the surge"
    latest = max(incidents, key=lambda v: v["count"])
    assert latest["count"] >= 3 and latest["department"] in {"parks_trees", "highways"}
    assert len({i["incident_id"] for i in incidents}) == 1  # updates carry the same id
