"""Critical urgency is almost never missed: recall on the project's own hard set of urgent messages."""

import json
from pathlib import Path

import pytest
from triage.domain import load_classifier

FIXTURES = Path(__file__).parent / "fixtures"


def load(name):
    rows = [json.loads(line) for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    results = load_classifier().classify_batch([r["text"] for r in rows])
    return list(zip(rows, results, strict=True))


@pytest.fixture(scope="module")
def scored():
    return load("urgent_hard.jsonl")


def test_critical_recall_on_the_extra_set_with_its_decoys():
    """urgent_extra.jsonl: further hand-written rounds (each first measured unseen, then learnt from)."""
    scored = load("urgent_extra.jsonl")
    critical = [(r, c) for r, c in scored if r["urgency"] == "critical"]
    missed = [r["text"] for r, c in critical if c.urgency != "critical"]
    assert 1 - len(missed) / len(critical) >= 0.95, missed
    false_alarms = [r["text"] for r, c in scored if r["urgency"] == "normal" and c.urgency == "critical"]
    assert len(false_alarms) <= 1, false_alarms


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


@pytest.mark.parametrize("text", [
    "The kettle lead is fizzing where the leak from upstairs drips onto the plug",
    "Someone is in the canal by the footbridge shouting and splashing",
    "I'm going to walk into that housing office and stab whoever is behind the counter",
    "Flames in the old church hall and people have been sleeping in there",
])
def test_concept_rules_catch_new_wording(text):
    c = load_classifier().classify(text)
    assert c.urgency == "critical", c.rules_fired


@pytest.mark.parametrize("text", [
    "We had a chip pan fire last month, it's out now but the wall needs repainting",
    "I'm going to kill whoever designed this parking scheme",
    "My council tax is daylight robbery",
    "Can't breathe for the dust from the building site, can they damp it down",
    "Suicide prevention course for our volunteers, is there funding?",
])
def test_past_idiom_and_training_messages_are_not_critical_by_rules(text):
    clf = load_classifier()
    low = text.lower()
    fired = [r.id for r in clf.compiled.fire(text, low) if r.urgency == "critical"]
    assert not fired, fired
    assert clf.risk.rule_for(text, low) is None
