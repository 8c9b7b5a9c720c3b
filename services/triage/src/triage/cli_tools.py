"""`civic-inbox triage train-neural`, `train-intent`, `train-hate`, `score` and `places`: the neural models, the
figures on labelled sets, and the places list from open data."""

from __future__ import annotations

import argparse
import sys


def register_tools(cmds) -> None:
    """Add the commands to the `triage` sub-command parser."""
    n = cmds.add_parser("train-neural", help="train the neural urgency second opinion on the project's seed corpus")
    n.add_argument("--output", required=True, help="model directory to write urgency_neural.npz to")
    n.add_argument("--seed-dir", help="seed corpus directory (default: the shipped seed)")
    n.add_argument("--epochs", type=int, default=6)
    n.set_defaults(func=_train_neural)

    i = cmds.add_parser("train-intent", help="train the learned not-a-request decision on the project's seed corpus")
    i.add_argument("--output", required=True, help="model directory to write intent_neural.npz to")
    i.add_argument("--seed-dir", help="seed corpus directory (default: the shipped seed)")
    i.add_argument("--epochs", type=int, default=6)
    i.set_defaults(func=_train_intent)

    h = cmds.add_parser("train-hate", help="train the learned second look at hate on the project's seed corpus")
    h.add_argument("--output", required=True, help="model directory to write hate_neural.npz to")
    h.add_argument("--seed-dir", help="seed corpus directory (default: the shipped seed)")
    h.set_defaults(func=_train_hate)

    s = cmds.add_parser("score", help="the issue's figures on labelled sets: not a request (intent, department), "
                                      "urgency (critical recall, false criticals) and abuse (recall, hate as hate)")
    s.add_argument("--input", nargs="+", required=True, help="JSON lines ({text, channel?, intent?, department?, "
                                                             "urgency?, abuse?}); each file scored on its own")
    s.add_argument("--model", help="model directory (default: the shipped model)")
    s.add_argument("--taxonomy", help="taxonomy YAML (default: the shipped taxonomy)")
    s.add_argument("--channel", default=None, help="channel for rows that name none (e.g. x)")
    s.set_defaults(func=_score)

    g = cmds.add_parser("places", help="turn open-data GeoJSON (roads, areas) into `places:` items with geometry")
    g.add_argument("--geojson", required=True, help="GeoJSON FeatureCollection of lines and polygons")
    g.add_argument("--owner", required=True, help="body id that owns them (as in `places.bodies`)")
    g.add_argument("--name-property", default="name", help="feature property naming each place (e.g. ref, name)")
    g.add_argument("--kind", default="road", help="place kind (motorway, road, area, park, estate, asset, ...)")
    g.add_argument("--department", help="department hint for the organisation's own places")
    g.add_argument("--buffer", type=float, default=20.0, help="metres either side of a line that count as on it")
    g.set_defaults(func=_places)


def _train_neural(args: argparse.Namespace) -> int:
    from triage.domain.neural import fit, seed_examples
    from triage.domain.shipped import default_seed_dir

    texts, labels, held, digest = seed_examples(args.seed_dir or default_seed_dir())
    net = fit(texts, labels, epochs=args.epochs, negatives_for_threshold=held)
    net.data_sha256 = digest
    path = net.save(args.output)
    print(f"wrote {path}: {sum(labels)} critical, {len(labels) - sum(labels)} other, threshold {net.threshold:.3f}",
          file=sys.stderr)
    return 0


def _train_intent(args: argparse.Namespace) -> int:
    from triage.domain.intent_model import train
    from triage.domain.shipped import default_seed_dir

    model = train(args.seed_dir or default_seed_dir(), epochs=args.epochs)
    path = model.save(args.output)
    print(f"wrote {path}: threshold {model.threshold:.3f}, corpus {model.data_sha256[:12]}", file=sys.stderr)
    return 0


def _train_hate(args: argparse.Namespace) -> int:
    from triage.domain.hate_model import train
    from triage.domain.shipped import default_seed_dir

    model = train(args.seed_dir or default_seed_dir())
    path = model.save(args.output)
    print(f"wrote {path}: threshold {model.threshold:.3f}, corpus {model.data_sha256[:12]}", file=sys.stderr)
    return 0


def _score(args: argparse.Namespace) -> int:
    import json

    from triage.domain.set_scores import score_rows
    from triage.domain.shipped import load_classifier

    clf = load_classifier(args.model, args.taxonomy)
    for path in args.input:
        with open(path, encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
        found = clf.classify_batch([r["text"] for r in rows], channels=[r.get("channel", args.channel) for r in rows])
        predicted = [{"intent": c.intent, "department": c.department, "urgency": c.urgency, "abuse": c.abuse}
                     for c in found]
        print(json.dumps({"file": path, **score_rows(rows, predicted)}))
    return 0


def _places(args: argparse.Namespace) -> int:
    from triage.domain.place_import import GeoJSONError, places_from_geojson, to_yaml

    with open(args.geojson, encoding="utf-8") as fh:
        text = fh.read()
    try:
        items = places_from_geojson(text, owner=args.owner, name_property=args.name_property, kind=args.kind,
                                    buffer_m=args.buffer, department=args.department)
    except GeoJSONError as exc:
        print(f"error: {args.geojson}: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(to_yaml(items))
    return 0


