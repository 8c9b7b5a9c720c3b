"""The shipped model on social-media style messages it was not trained on (written for the project)."""

import json
from pathlib import Path

from triage.domain import load_classifier
from triage.domain.evaluation import evaluate

FIXTURE = Path(__file__).parent / "fixtures" / "social_holdout.jsonl"


def test_every_department_is_recognised_on_unseen_messages():
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = load_classifier().classify_batch([r["text"] for r in rows])
    report = evaluate([r["department"] for r in rows], [c.department for c in results])
    assert len(report.labels) == 15
    assert report.accuracy >= 0.85, report.per_class
    assert report.macro_f1 >= 0.85
