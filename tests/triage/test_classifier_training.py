"""Training from labelled rows and from corrections; the shipped model matches the seed corpus."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from civic_contracts.correction import TriageCorrection
from triage.domain import load_taxonomy
from triage.domain.classifier import TriageClassifier
from triage.domain.model import load_model, read_manifest, save_model, train_model
from triage.domain.shipped import default_model_dir, default_seed_dir
from triage.domain.training import (
    DataError,
    Row,
    apply_corrections,
    corrections_to_rows,
    fit,
    parse_corrections,
    parse_rows,
)

DEPARTMENTS = load_taxonomy().department_ids

ROWS = [
    Row(text=t, department=d)
    for d, texts in {
        "waste": ["bin not collected", "fly tipping in the lane", "rubbish dumped", "missed bin collection",
                  "litter everywhere", "recycling not emptied"],
        "highways": ["pothole in the road", "broken pavement", "blocked drain", "road surface damaged",
                     "pothole on the bend", "cracked paving slab"],
        "parks_trees": ["tree branch overhanging", "grass not cut", "overgrown hedge", "broken swing in park",
                        "dead tree in the park", "weeds on the path"],
    }.items()
    for t in texts
]


def correction(text, department, *, message_id="m1", when=0):
    return TriageCorrection(
        message_id=message_id, conversation_key="c1", text=text, previous_department="waste",
        previous_urgency="normal", corrected_department=department, corrected_urgency="normal",
        corrected_by="agent-7", corrected_at=datetime(2026, 11, 1, tzinfo=UTC) + timedelta(minutes=when),
    )


def test_corrections_become_weighted_rows_latest_wins():
    rows = corrections_to_rows(
        [correction("x", "highways", when=0), correction("x", "parks_trees", when=5)], departments=DEPARTMENTS
    )
    assert [(r.department, r.id, r.source) for r in rows] == [("parks_trees", "m1", "correction")]
    assert rows[0].weight > 1


def test_correction_to_unknown_department_is_refused():
    with pytest.raises(DataError, match="unknown department"):
        corrections_to_rows([correction("x", "gasboard")], departments=DEPARTMENTS)


def test_corrections_override_same_id_or_text_and_add_the_rest():
    rows = [Row(text="Conker tree", department="waste", id="m9"), Row(text="Leaves  on PATH", department="waste")]
    fixes = corrections_to_rows(
        [correction("conker tree", "parks_trees", message_id="m9"),
         correction("leaves on path", "highways", message_id="m2"),
         correction("new text", "highways", message_id="m3")],
        departments=DEPARTMENTS,
    )
    out = apply_corrections(rows, fixes)
    assert [(r.text, r.department) for r in out] == [
        ("Conker tree", "parks_trees"), ("Leaves  on PATH", "highways"), ("new text", "highways")]


def test_training_with_corrections_changes_the_prediction():
    tax = load_taxonomy()
    text = "conkers falling on the cars from the big horse chestnut"
    history = ROWS + [Row(text=text, department="waste")]  # the organisation's history routed it to waste
    before = TriageClassifier(tax, fit(history, taxonomy=tax, version="t1"))
    assert before.classify(text).department == "waste"
    fixes = corrections_to_rows([correction(text, "parks_trees")], departments=DEPARTMENTS)
    after = TriageClassifier(tax, fit(apply_corrections(history, fixes), taxonomy=tax, version="t2"))
    assert after.classify(text).department == "parks_trees"
    assert after.model.manifest["corrections"] == 1


def test_parse_rows_names_bad_lines():
    lines = ['{"text": "pothole", "department": "highways"}', "", "{oops", '{"text": "x", "department": "nope"}']
    with pytest.raises(DataError, match=r"f\.jsonl:3: not JSON"):
        parse_rows(lines, source="f.jsonl", departments=DEPARTMENTS)
    with pytest.raises(DataError, match=r"f\.jsonl:2: unknown department"):
        parse_rows([lines[0], lines[3]], source="f.jsonl", departments=DEPARTMENTS)
    with pytest.raises(DataError, match=r"c\.jsonl:1: invalid correction"):
        parse_corrections(['{"message_id": "m1"}'], source="c.jsonl")


def test_save_and_load_round_trip_with_checksum(tmp_path: Path):
    model = train_model([r.text for r in ROWS], [r.department for r in ROWS], version="rt")
    save_model(model, tmp_path)
    assert read_manifest(tmp_path)["rows"] == len(ROWS)
    again = load_model(tmp_path)
    assert again.classes == model.classes
    (tmp_path / "model.npz").write_bytes(b"tampered")
    from triage.domain import ModelError

    with pytest.raises(ModelError, match="checksum"):
        load_model(tmp_path)


def test_shipped_model_was_trained_on_the_current_seed_corpus():
    """Fails when the seed corpus changed and the default model was not rebuilt (rebuild it: `make triage-model`)."""
    import hashlib

    rows = []
    for path in sorted(default_seed_dir().glob("*.jsonl")):
        rows += parse_rows(path.read_text(encoding="utf-8").splitlines(), source=str(path), departments=DEPARTMENTS)
    digest = hashlib.sha256("\n".join(f"{r.text}\t{r.department}" for r in rows).encode()).hexdigest()
    manifest = json.loads((default_model_dir() / "model.json").read_text())
    assert manifest["data_sha256"] == digest
    assert set(manifest["classes"]) == set(DEPARTMENTS)
