"""The figures `civic-inbox triage score` reports for the issue's targets, on rows whose answers are known."""

import json
import subprocess
import sys

from triage.domain.set_scores import score_rows


def _p(kind, department="general", urgency="normal", abuse="none"):
    return {"intent": {"kind": kind}, "department": department, "urgency": urgency, "abuse": abuse}


def test_intent_figures_count_set_asides_precision_and_departments() -> None:
    gold = [{"intent": "not_actionable"}, {"intent": "not_actionable"}, {"intent": "not_actionable"},
            {"intent": "request", "department": "waste"}, {"intent": "question", "department": "parking"},
            {"intent": "request", "department": "waste"}]
    predicted = [_p("not_actionable"), _p("not_actionable"), _p("request", "waste"),
                 _p("request", "waste"), _p("question", "waste"), _p("not_actionable")]
    got = score_rows(gold, predicted)["intent"]
    assert got["not_a_request_recall"] == round(2 / 3, 4)
    assert got["request_precision"] == round(2 / 3, 4)  # of the three judged actionable, one was not
    assert got["requests_set_aside"] == 1
    # waste: precision 1/2 (parking judged waste), recall 1/2 -> F1 0.5; parking: F1 0 -> macro 0.25
    assert got["department_macro_f1"] == 0.25


def test_urgency_and_abuse_figures() -> None:
    gold = [{"urgency": "critical"}, {"urgency": "critical"}, {"urgency": "high"}, {"urgency": "normal"},
            {"urgency": "normal"}, {"abuse": "hate"}, {"abuse": "hate"}, {"abuse": "offensive"}, {"abuse": "none"}]
    predicted = [_p("emergency", urgency="critical"), _p("request", urgency="high"), _p("request", urgency="normal"),
                 _p("request", urgency="critical"), _p("request"), _p("request", abuse="hate"),
                 _p("request", abuse="offensive"), _p("request", abuse="none"), _p("request", abuse="offensive")]
    got = score_rows(gold, predicted)
    assert got["urgency"]["critical_recall"] == 0.5
    assert got["urgency"]["critical_or_high_recall"] == round(2 / 3, 4)
    assert got["urgency"]["false_critical"] == 0.5
    assert got["abuse"]["abuse_recall"] == round(2 / 3, 4)
    assert got["abuse"]["hate_recall_as_hate"] == 0.5
    assert got["abuse"]["false_alarms"] == 1.0


def test_the_score_command_reads_a_file_and_prints_one_line_per_file(tmp_path) -> None:
    rows = [{"text": "@Council thanks, the bins were done early today 👏", "intent": "not_actionable"},
            {"text": "Bins not collected on Mill Lane for two weeks, please send someone", "intent": "request",
             "department": "waste"}]
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "triage.cli", "triage", "score", "--channel", "x", "--input", str(path)],
                         capture_output=True, text=True, check=True).stdout
    figures = json.loads(out)
    assert figures["file"] == str(path)
    assert figures["intent"]["not_a_request_recall"] == 1.0
    assert figures["intent"]["request_precision"] == 1.0
    assert "urgency" not in figures
