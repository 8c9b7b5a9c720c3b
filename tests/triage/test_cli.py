"""`civic-inbox triage classify | train | evaluate | split`, through `main(argv)` and one real subprocess."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from triage.cli import main

TRAIN = [
    {"text": "bin not collected this week", "department": "waste"},
    {"text": "fly tipping in the lane, mattress dumped", "department": "waste"},
    {"text": "recycling box not emptied", "department": "waste"},
    {"text": "pothole in the road outside the school", "department": "highways"},
    {"text": "pavement slabs broken and uneven", "department": "highways"},
    {"text": "blocked drain flooding the road", "department": "highways", "urgency": "normal"},
]


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def run(argv, capsys, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_classify_file_gives_triage_result_fields(tmp_path, capsys):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "Smell of gas in the street"},
                                              {"id": "b", "text": "Pothole on Mill Lane", "channel": "x"}])
    code, out, err = run(["triage", "classify", "--input", str(src)], capsys)
    assert code == 0, err
    lines = [json.loads(x) for x in out.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"]
    first = lines[0]
    assert set(first) == {"id", "department", "urgency", "sentiment", "abuse", "language", "pii", "confidence",
                          "needs_review", "explanation", "classifier_version", "intent", "place"}
    assert first["urgency"] == "critical" and first["explanation"]["rules_fired"]
    assert set(first["sentiment"]) == {"label", "score"}
    assert lines[1]["department"] == "highways"


def test_classify_stdin_reports_bad_lines_and_carries_on(capsys, monkeypatch):
    stdin = '{"id": "a", "text": "bin not emptied"}\nnot json\n{"id": "c"}\n\n{"id": "d", "text": "pothole"}\n'
    code, out, err = run(["triage", "classify"], capsys, stdin, monkeypatch)
    assert code == 1
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["a", "d"]
    assert "<stdin>:2: not JSON" in err and "<stdin>:3: need a JSON object" in err
    assert "2 line(s) skipped" in err


def test_classify_with_bad_taxonomy_is_a_configuration_error(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: x\nreview_threshold: 0.5\nflavour: mint\n")
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "x"}])
    code, out, err = run(["triage", "classify", "--taxonomy", str(bad), "--input", str(src)], capsys)
    assert code == 2 and out == "" and "bad.yaml:3:" in err


def test_train_then_classify_and_evaluate_with_that_model(tmp_path, capsys):
    train = write_jsonl(tmp_path / "train.jsonl", TRAIN)
    model = tmp_path / "model"
    code, _, err = run(["triage", "train", "--input", str(train), "--output", str(model)], capsys)
    assert code == 0, err
    assert (model / "model.json").is_file() and (model / "model.npz").is_file()

    test = write_jsonl(tmp_path / "test.jsonl", [
        {"text": "bins not collected", "department": "waste"},
        {"text": "big pothole on the road", "department": "highways"},
        {"text": "I can smell gas", "department": "out_of_scope", "urgency": "critical"},
    ])
    code, out, err = run(["triage", "evaluate", "--input", str(test), "--model", str(model), "--json"], capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["per_class"]["waste"]["recall"] == 1.0
    assert 0 <= report["macro_f1"] <= 1 and report["critical_recall"] == 1.0
    assert report["classifier_version"].startswith("triage-")

    code, out, _ = run(["triage", "evaluate", "--input", str(test), "--model", str(model)], capsys)
    assert code == 0 and "macro-F1" in out and "critical recall 1.0000" in out and "confusion" in out


def test_train_with_corrections_overrides_labels(tmp_path, capsys):
    text = "conkers all over the pavement from the horse chestnut"
    train = write_jsonl(tmp_path / "train.jsonl", TRAIN + [{"id": "m1", "text": text, "department": "waste"}] * 2)
    fix = {"message_id": "m1", "conversation_key": "c1", "text": text, "previous_department": "waste",
           "previous_urgency": "normal", "corrected_department": "highways", "corrected_urgency": "normal",
           "corrected_by": "agent-1", "corrected_at": "2026-11-01T09:00:00Z", "reason": "pavement hazard"}
    corrections = write_jsonl(tmp_path / "corrections.jsonl", [fix])
    model = tmp_path / "model"
    code, _, err = run(["triage", "train", "--input", str(train), "--output", str(model),
                        "--corrections", str(corrections)], capsys)
    assert code == 0 and "1 corrections" in err
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "m1", "text": text}])
    code, out, _ = run(["triage", "classify", "--model", str(model), "--input", str(src)], capsys)
    assert json.loads(out)["department"] == "highways"


def test_train_refuses_unknown_department_with_line(tmp_path, capsys):
    train = write_jsonl(tmp_path / "train.jsonl", TRAIN[:2] + [{"text": "x", "department": "gasboard"}])
    code, _, err = run(["triage", "train", "--input", str(train), "--output", str(tmp_path / "m")], capsys)
    assert code == 2 and "train.jsonl:3: unknown department id 'gasboard'" in err


def test_evaluate_plot_without_matplotlib_is_not_fatal(tmp_path, capsys):
    test = write_jsonl(tmp_path / "test.jsonl", [{"text": "bins not collected", "department": "waste"}])
    code, _, err = run(["triage", "evaluate", "--input", str(test), "--plot", str(tmp_path / "cm.png")], capsys)
    assert code == 0
    assert (tmp_path / "cm.png").exists() or "matplotlib is not installed" in err


def test_split_by_time(tmp_path, capsys):
    rows = [{"text": f"t{i}", "department": "waste", "published": f"2026-01-{i + 1:02d}T00:00:00Z"} for i in range(10)]
    src = write_jsonl(tmp_path / "all.jsonl", list(reversed(rows)))
    train, test = tmp_path / "train.jsonl", tmp_path / "test.jsonl"
    code, _, _ = run(["triage", "split", "--input", str(src), "--train", str(train), "--test", str(test)], capsys)
    assert code == 0
    assert [json.loads(x)["text"] for x in test.read_text().splitlines()] == ["t8", "t9"]
    assert len(train.read_text().splitlines()) == 8


def test_crossval_trains_each_fold_on_the_others(tmp_path, capsys):
    rows = TRAIN * 3  # 9 waste, 9 highways: three of each per fold
    src = write_jsonl(tmp_path / "all.jsonl", rows)
    code, out, err = run(["triage", "crossval", "--input", str(src), "--folds", "3"], capsys)
    assert code == 0, err
    assert "3-fold cross-validation" in out and "macro-F1" in out
    assert err.count("done") == 3
    macro = float(out.split("macro-F1 ")[1].split()[0])
    assert macro == 1.0  # every test text has an identical twin in the other folds


def test_crossval_refuses_too_few_rows(tmp_path, capsys):
    src = write_jsonl(tmp_path / "one.jsonl", TRAIN[:1])
    code, _, err = run(["triage", "crossval", "--input", str(src), "--folds", "5"], capsys)
    assert code == 2 and "folds" in err


def test_no_subcommand_prints_help(capsys):
    assert main([]) == 2


@pytest.mark.parametrize("args", [["triage", "classify"]])
def test_module_entry_point_runs_in_a_subprocess(args):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [
        str(Path(__file__).parents[2] / "services/triage/src"), str(Path(__file__).parents[2] / "contracts/src"),
        os.environ.get("PYTHONPATH", "")]))}
    proc = subprocess.run([sys.executable, "-m", "triage.cli", *args], input='{"id": "x", "text": "pothole"}\n',
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["id"] == "x"
