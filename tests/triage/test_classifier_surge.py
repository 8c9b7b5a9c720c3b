"""Surge detection: many messages on one subject in a short window become one incident."""

from datetime import UTC, datetime, timedelta

import pytest
from triage.domain import SurgeDetector

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
FLOOD = [
    "Mill Lane is flooded, water right across the road",
    "Flooding on Mill Lane again, cars stuck",
    "mill lane completely flooded near the school",
    "Road flooded at Mill Lane, impassable",
    "Huge flood on Mill Lane this morning",
    "Mill Lane flooding - can someone close the road",
    "is anyone doing anything about the flooding on mill lane??",
]
NOISE = [
    "Pothole on Station Road", "Broken paving slab outside the bakery", "Road sign bent at the roundabout",
    "Cats eyes missing on the bypass", "Blocked gully outside number 7 Cedar Close", "Bollard knocked over",
    "White lines faded at the junction", "Skip on the road with no lights", "Scaffolding blocking the pavement",
    "Loose manhole cover banging", "Kerb stones damaged", "Grit bin empty on Hill Road",
]


def feed(detector, messages, start=T0, step=timedelta(minutes=2), department="highways"):
    out = []
    for i, (mid, text) in enumerate(messages):
        out.append(detector.observe(mid, text, department, start + i * step))
    return out


def interleave():
    msgs, noise = [], iter(NOISE)
    for i, text in enumerate(FLOOD):
        msgs.append((f"n{i}", next(noise)))
        msgs.append((f"f{i}", text))
    return msgs


def test_surge_raises_then_updates_one_incident():
    detector = SurgeDetector(threshold=4, window=timedelta(hours=1))
    results = feed(detector, interleave())
    incidents = [r for r in results if r is not None]
    assert incidents, "no incident raised"
    assert incidents[0].status == "open" and incidents[0].count == 4
    assert all(i.status == "updated" for i in incidents[1:])
    assert len({i.incident_id for i in incidents}) == 1
    last = incidents[-1]
    assert last.department == "highways"
    assert {"mill", "lane", "flood"} <= set(last.top_terms)
    assert all(mid.startswith("f") for mid in last.message_ids)  # the noise did not join
    assert last.count >= 6 and last.first_seen < last.last_seen
    assert 1 <= len(last.samples) <= 3


def test_unrelated_messages_raise_nothing():
    detector = SurgeDetector(threshold=3)
    assert all(r is None for r in feed(detector, [(f"n{i}", t) for i, t in enumerate(NOISE)]))


def test_window_matters():
    detector = SurgeDetector(threshold=3, window=timedelta(minutes=30))
    results = feed(detector, [(f"f{i}", t) for i, t in enumerate(FLOOD[:4])], step=timedelta(hours=1))
    assert all(r is None for r in results)


def test_departments_are_kept_apart():
    detector = SurgeDetector(threshold=3)
    msgs = [(f"f{i}", t) for i, t in enumerate(FLOOD[:4])]
    for i, (mid, text) in enumerate(msgs):
        assert detector.observe(mid, text, ["highways", "waste"][i % 2], T0 + timedelta(minutes=i)) is None


def test_quiet_incident_is_closed():
    detector = SurgeDetector(threshold=3, window=timedelta(minutes=30))
    feed(detector, [(f"f{i}", t) for i, t in enumerate(FLOOD[:4])])
    closed = detector.expire(T0 + timedelta(hours=2))
    assert len(closed) == 1 and closed[0].status == "closed"
    assert detector.expire(T0 + timedelta(hours=3)) == []


def test_threshold_must_be_sensible():
    with pytest.raises(ValueError):
        SurgeDetector(threshold=1)
