"""Critical urgency is almost never missed: recall on the project's own hard set of urgent messages."""

import json
from pathlib import Path

import pytest
from triage.domain import load_classifier

FIXTURE = Path(__file__).parent / "fixtures" / "urgent_hard.jsonl"


@pytest.fixture(scope="module")
def scored():
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = load_classifier().classify_batch([r["text"] for r in rows])
    return list(zip(rows, results, strict=True))


def test_critical_recall_at_least_95_percent(scored):
    critical = [(r, c) for r, c in scored if r["urgency"] == "critical"]
    assert len(critical) >= 50
    missed = [r["text"] for r, c in critical if c.urgency != "critical"]
    recall = 1 - len(missed) / len(critical)
    assert recall >= 0.95, missed


def test_high_hazards_are_at_least_high(scored):
    high = [(r, c) for r, c in scored if r["urgency"] == "high"]
    missed = [r["text"] for r, c in high if c.urgency == "normal"]
    assert len(missed) <= len(high) // 10, missed


def test_alarming_sounding_normal_messages_are_not_critical(scored):
    decoys = [(r, c) for r, c in scored if r["urgency"] == "normal"]
    false_alarms = [(r["text"], c.rules_fired) for r, c in decoys if c.urgency == "critical"]
    assert not false_alarms
