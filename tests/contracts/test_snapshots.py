"""The committed JSON Schema snapshots are the contract: a model change without a new snapshot fails here."""

import json
from pathlib import Path

import pytest
from civic_contracts import TOPICS, InboundMessage
from civic_contracts.snapshot import render, schemas

SNAPSHOTS = Path(__file__).resolve().parents[2] / "contracts" / "schemas"


@pytest.mark.parametrize("name", sorted(schemas()))
def test_model_matches_its_snapshot(name: str) -> None:
    path = SNAPSHOTS / name
    assert path.exists(), f"no snapshot {path}; run `make contracts`"
    assert path.read_text(encoding="utf-8") == render(schemas()[name]), (
        f"{name} differs from its model; if the change is intended and compatible, run `make contracts`"
    )


def test_no_stale_snapshots() -> None:
    assert sorted(p.name for p in SNAPSHOTS.glob("*.json")) == sorted(schemas())


def test_every_topic_is_versioned_and_every_field_described() -> None:
    for spec in TOPICS.values():
        assert spec.name.endswith(".v1"), spec.name
        assert spec.value.model_config.get("extra") == "forbid", spec.value.__name__
        schema = spec.value.model_json_schema()
        for field, prop in schema["properties"].items():
            assert prop.get("description"), f"{spec.value.__name__}.{field} has no description"


def test_inbound_message_rejects_unknown_fields() -> None:
    doc = json.loads((SNAPSHOTS / "InboundMessage.json").read_text())
    assert doc["additionalProperties"] is False
    with pytest.raises(ValueError):
        InboundMessage.model_validate({"id": "x", "unexpected": 1})
