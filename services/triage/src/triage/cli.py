"""`civic-inbox triage …`: classify, train and evaluate without Kafka.

    civic-inbox triage classify [--model DIR] [--taxonomy FILE] [--input FILE]      JSON lines in, JSON lines out
    civic-inbox triage train --input FILE [FILE ...] --output DIR [--corrections FILE]
    civic-inbox triage evaluate --input FILE [--model DIR] [--plot PNG] [--json]
    civic-inbox triage split --input FILE --train FILE --test FILE [--by published] [--test-fraction 0.2]

`classify`: a line that is not a JSON object with a string `text` is reported on stderr with its line number
and skipped (nothing is written for it); the other lines are classified and the exit code is 1 at the end.
Exit codes: 0 success, 1 some input lines were bad, 2 usage or configuration error (bad taxonomy, model, file).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from triage.cli_tools import register_tools
from triage.domain import ModelError, TaxonomyError, load_classifier, load_taxonomy
from triage.domain.model import save_model
from triage.domain.training import DataError, apply_corrections, corrections_to_rows, fit, parse_corrections, parse_rows

BATCH = 2000


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and (command := _installed_command(argv[0])) is not None:
        return command(argv[1:])  # another service's command group, e.g. `records` (responder)
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.func(args)
    except (TaxonomyError, ModelError, DataError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _installed_command(name: str):
    """The command group `name` another installed Civic Inbox package registers (entry point group
    `civic_inbox.cli`), or None."""
    from importlib.metadata import entry_points

    found = entry_points(group="civic_inbox.cli", name=name)
    return next(iter(found)).load() if found else None


def _parser() -> argparse.ArgumentParser:
    from importlib.metadata import entry_points

    others = ", ".join(sorted(e.name for e in entry_points(group="civic_inbox.cli")))
    parser = argparse.ArgumentParser(prog="civic-inbox", description="Civic Inbox command line.",
                                     epilog=f"Also installed: {others} (civic-inbox NAME --help)." if others else None)
    groups = parser.add_subparsers(dest="group")
    triage = groups.add_parser("triage", help="classify, train and evaluate the triage classifier")
    cmds = triage.add_subparsers(dest="command")

    c = cmds.add_parser("classify", help="classify JSON lines ({id, text, channel?, lat?, long?}) from a file or stdin")
    c.add_argument("--model", help="model directory (default: the shipped model)")
    c.add_argument("--taxonomy", help="taxonomy YAML (default: the shipped taxonomy)")
    c.add_argument("--input", help="JSON lines file (default: stdin)")
    c.set_defaults(func=_classify)

    t = cmds.add_parser("train", help="train a model from labelled JSON lines ({text, department, urgency?, id?})")
    t.add_argument("--input", nargs="+", required=True, help="labelled JSON lines file(s)")
    t.add_argument("--output", required=True, help="directory to write model.json and model.npz to")
    t.add_argument("--corrections", action="append", default=[], help="TriageCorrection JSON lines (repeatable)")
    t.add_argument("--taxonomy", help="taxonomy YAML the departments are checked against")
    t.add_argument("--version", default=None, help="model version recorded in the manifest (default: taxonomy version)")
    t.add_argument("--c", type=float, default=16.0, help="inverse regularisation strength of the logistic regression")
    t.add_argument("--class-weight", choices=("balanced", "none"), default="balanced",
                   help="balanced (default): every department counts alike, for an organisation's own history, where "
                        "small departments are rare; none: each example counts once, for a written corpus whose sizes "
                        "already say how common each department is (the shipped seed model)")
    t.set_defaults(func=_train)

    e = cmds.add_parser("evaluate", help="precision, recall, F1, macro-F1, confusion, critical recall")
    e.add_argument("--input", required=True, help="labelled JSON lines ({text, department, urgency?})")
    e.add_argument("--model", help="model directory (default: the shipped model)")
    e.add_argument("--taxonomy", help="taxonomy YAML (default: the shipped taxonomy)")
    e.add_argument("--plot", help="write a confusion-matrix PNG here (needs matplotlib)")
    e.add_argument("--json", action="store_true", help="print the report as JSON")
    e.set_defaults(func=_evaluate)

    s = cmds.add_parser("split", help="split labelled JSON lines by time: older rows to --train, newest to --test")
    s.add_argument("--input", required=True)
    s.add_argument("--train", required=True)
    s.add_argument("--test", required=True)
    s.add_argument("--by", default="published", help="timestamp field to sort on (ISO 8601 strings)")
    s.add_argument("--test-fraction", type=float, default=0.2)
    s.set_defaults(func=_split)

    v = cmds.add_parser("crossval", help="k-fold cross-validation on one labelled file: how far its labels can be "
                                         "learned from its text at all (each fold trained on the others)")
    v.add_argument("--input", required=True, help="labelled JSON lines (`text`, `department`)")
    v.add_argument("--folds", type=int, default=5)
    v.add_argument("--taxonomy", help="taxonomy YAML (default: shipped)")
    v.add_argument("--c", type=float, default=16.0)
    v.set_defaults(func=_crossval)

    register_tools(cmds)

    x = cmds.add_parser("corrections", help="export staff corrections kept by the triage service, as JSON lines for `train --corrections`")
    x.add_argument("--mongodb-uri", default=os.environ.get("MONGODB_URI", "mongodb://127.0.0.1:27017"))
    x.add_argument("--database", default=os.environ.get("MONGODB_DATABASE", "civic_inbox"))
    x.add_argument("--output", help="file to write (default: stdout)")
    x.set_defaults(func=_corrections)
    return parser


def _open(path: str | None) -> TextIO:
    return open(path, encoding="utf-8") if path else sys.stdin  # noqa: SIM115 - closed by the caller


def _read_messages(stream: TextIO) -> Iterator[tuple[int, dict | None, str | None]]:
    for n, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield n, None, f"not JSON: {exc.msg} (column {exc.colno})"
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            yield n, None, "need a JSON object with a string field `text`"
            continue
        yield n, obj, None


def _classify(args: argparse.Namespace) -> int:
    clf = load_classifier(args.model, args.taxonomy, warm=False)  # the language model loads if a message needs it
    source = args.input or "<stdin>"
    bad = 0
    out = sys.stdout
    stream = _open(args.input)
    try:
        batch: list[dict] = []
        for n, obj, error in _read_messages(stream):
            if error:
                bad += 1
                print(f"{source}:{n}: {error}; line skipped", file=sys.stderr)
                continue
            batch.append(obj)
            if len(batch) >= BATCH:
                _emit(clf, batch, out)
                batch = []
        if batch:
            _emit(clf, batch, out)
    finally:
        if args.input:
            stream.close()
    if bad:
        print(f"{bad} line(s) skipped", file=sys.stderr)
    return 1 if bad else 0


def _point(obj: dict) -> tuple[float, float] | None:
    """(longitude, latitude) from optional `lat` and `long` fields (as Open311 names them)."""
    lat, lon = obj.get("lat"), obj.get("long")
    if isinstance(lat, int | float) and isinstance(lon, int | float) and -90 <= lat <= 90 and -180 <= lon <= 180:
        return float(lon), float(lat)
    return None


def _emit(clf, batch: list[dict], out: TextIO) -> None:
    results = clf.classify_batch([o["text"] for o in batch], channels=[o.get("channel") for o in batch],
                                 points=[_point(o) for o in batch])
    for obj, c in zip(batch, results, strict=True):
        out.write(json.dumps({"id": obj.get("id"), **c.to_result_fields()}, ensure_ascii=False) + "\n")
    out.flush()


def _train(args: argparse.Namespace) -> int:
    taxonomy = load_taxonomy(args.taxonomy)
    rows = []
    for path in args.input:
        with open(path, encoding="utf-8") as fh:
            rows += parse_rows(fh, source=path, departments=taxonomy.department_ids)
    fixes = []
    for path in args.corrections:
        with open(path, encoding="utf-8") as fh:
            fixes += parse_corrections(fh, source=path)
    correction_rows = corrections_to_rows(fixes, departments=taxonomy.department_ids)
    rows = apply_corrections(rows, correction_rows)
    model = fit(rows, taxonomy=taxonomy, version=args.version or taxonomy.version, c=args.c,
                class_weight=None if args.class_weight == "none" else args.class_weight)
    save_model(model, args.output)
    print(f"trained {model.name} on {len(rows)} rows ({len(correction_rows)} corrections), "
          f"{len(model.classes)} departments -> {args.output}", file=sys.stderr)
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from triage.domain.evaluation import evaluate, format_report  # scikit-learn's metrics: imported when used
    clf = load_classifier(args.model, args.taxonomy)
    with open(args.input, encoding="utf-8") as fh:
        rows = parse_rows(fh, source=args.input, departments=clf.departments)
    results = clf.classify_batch([r.text for r in rows])
    report = evaluate(
        [r.department for r in rows],
        [c.department for c in results],
        needs_review=[c.needs_review for c in results],
        urgency_truth=[r.urgency for r in rows],
        urgency_predicted=[c.urgency for c in results],
    )
    print(json.dumps({"classifier_version": clf.version, **report.as_dict()}) if args.json else
          f"classifier {clf.version}\n{format_report(report)}")
    if args.plot:
        _plot(report, Path(args.plot))
    return 0


def _plot(report, path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("warning: matplotlib is not installed; no plot written", file=sys.stderr)
        return
    labels = report.confusion_labels
    fig, ax = plt.subplots(figsize=(1 + 0.6 * len(labels), 1 + 0.6 * len(labels)))
    ax.imshow(report.confusion, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    for i, row in enumerate(report.confusion):
        for j, v in enumerate(row):
            if v:
                ax.text(j, i, str(v), ha="center", va="center", fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("truth")
    ax.set_title(f"macro-F1 {report.macro_f1:.3f}")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    print(f"confusion matrix written to {path}", file=sys.stderr)


def _crossval(args: argparse.Namespace) -> int:
    from triage.domain.classifier import TriageClassifier
    from triage.domain.evaluation import evaluate, format_report

    taxonomy = load_taxonomy(args.taxonomy)
    with open(args.input, encoding="utf-8") as fh:
        rows = parse_rows(fh, source=args.input, departments=taxonomy.department_ids)
    if args.folds < 2 or len(rows) < args.folds:
        raise DataError(f"need at least 2 folds and as many rows as folds (got {args.folds} folds, {len(rows)} rows)")
    # deterministic, stratified: each department's rows are dealt round the folds in file order
    fold_of, seen = [], {}
    for r in rows:
        fold_of.append(seen.get(r.department, 0) % args.folds)
        seen[r.department] = seen.get(r.department, 0) + 1
    predicted: list[str] = [""] * len(rows)
    review = [False] * len(rows)
    for k in range(args.folds):
        train = [r for r, f in zip(rows, fold_of, strict=True) if f != k]
        test = [i for i, f in enumerate(fold_of) if f == k]
        clf = TriageClassifier(taxonomy, fit(train, taxonomy=taxonomy, version=f"fold{k}", c=args.c))
        for i, c in zip(test, clf.classify_batch([rows[i].text for i in test]), strict=True):
            predicted[i], review[i] = c.department, c.needs_review
        print(f"fold {k + 1}/{args.folds} done", file=sys.stderr)
    report = evaluate([r.department for r in rows], predicted, needs_review=review)
    print(f"{args.folds}-fold cross-validation on {args.input}\n{format_report(report)}")
    return 0


def _split(args: argparse.Namespace) -> int:
    with open(args.input, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    rows.sort(key=lambda r: str(r.get(args.by, "")))
    cut = int(round(len(rows) * (1 - args.test_fraction)))
    for path, part in ((args.train, rows[:cut]), (args.test, rows[cut:])):
        with open(path, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in part)
    print(f"{cut} rows to {args.train}, {len(rows) - cut} rows to {args.test}", file=sys.stderr)
    return 0



def _corrections(args: argparse.Namespace) -> int:
    import asyncio

    from pymongo import AsyncMongoClient

    from triage.adapters import CorrectionStore

    async def export(out: TextIO) -> int:
        client = AsyncMongoClient(args.mongodb_uri, tz_aware=True, serverSelectionTimeoutMS=5000)
        try:
            count = 0
            async for correction in CorrectionStore(client, args.database).all():
                out.write(correction.model_dump_json() + "\n")
                count += 1
            return count
        finally:
            await client.close()

    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            count = asyncio.run(export(out))
    else:
        count = asyncio.run(export(sys.stdout))
    print(f"{count} corrections exported", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
