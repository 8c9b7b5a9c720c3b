"""Triage classifier throughput on one core: `make bench` (reported, never asserted).

    python benchmarks/bench_triage.py                       # 20,000 messages built from the seed corpus
    python benchmarks/bench_triage.py --input FILE.jsonl    # JSON lines with a `text` field
    python benchmarks/bench_triage.py -n 50000 --batch 1000 --model DIR --taxonomy FILE

Prints messages per second for `classify_batch` (the path `civic-inbox triage classify` and the service use),
the load time, and the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for src in (ROOT / "services/triage/src", ROOT / "contracts/src"):
    if str(src) not in sys.path:
        sys.path.insert(0, str(src))

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core: no BLAS threads
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

from triage.domain import load_classifier  # noqa: E402
from triage.domain.shipped import default_seed_dir  # noqa: E402


def seed_messages(n: int, rng: random.Random) -> list[str]:
    """n messages sampled from the seed corpus, lightly varied so no two batches are identical."""
    texts = []
    for path in sorted(default_seed_dir().glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    suffixes = ["", "", " Thanks.", " Please fix.", " #council", " Reported again.", " @council"]
    return [rng.choice(texts) + rng.choice(suffixes) for _ in range(n)]


def file_messages(path: str, n: int | None) -> list[str]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(json.loads(line)["text"])
    if n:
        out = (out * (n // len(out) + 1))[:n]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", help="JSON lines file with a `text` field (default: generated from the seed corpus)")
    parser.add_argument("-n", type=int, default=None, help="number of messages (default 20000 generated, or the whole file)")
    parser.add_argument("--batch", type=int, default=2000, help="classify_batch size (the CLI uses 2000)")
    parser.add_argument("--model", help="model directory (default: shipped)")
    parser.add_argument("--taxonomy", help="taxonomy YAML (default: shipped)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best is reported")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    clf = load_classifier(args.model, args.taxonomy)
    load_s = time.perf_counter() - t0
    texts = file_messages(args.input, args.n) if args.input else seed_messages(args.n or 20000, random.Random(7))
    clf.classify_batch(texts[:200])  # warm up lazily built tables

    best = best_cpu = float("inf")
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(texts), args.batch):
            clf.classify_batch(texts[i : i + args.batch])
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    cli_rate = _cli_rate(texts, args.model, args.taxonomy)
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    mean_len = sum(map(len, texts)) / len(texts)
    print(f"classifier       {clf.version}")
    print(f"messages         {len(texts)} (mean {mean_len:.0f} characters, from {args.input or 'seed corpus'})")
    print(f"load time        {load_s:.2f} s")
    print(f"throughput       {len(texts) / best:,.0f} messages/s wall clock (best of {args.repeat}, batch {args.batch}, one process)")
    print(f"                 {len(texts) / best_cpu:,.0f} messages/s of CPU time (what one core gives when not shared)")
    print(f"command line     {cli_rate:,.0f} messages/s of CPU time for `civic-inbox triage classify` "
          "(JSON lines in and out, model loading excluded)")
    print(f"peak RSS         {rss_kb / 1024:.0f} MiB")
    return 0


def _cli_rate(texts: list[str], model: str | None, taxonomy: str | None) -> float:
    """`civic-inbox triage classify` on the same messages, in this process: JSON lines in, JSON lines out."""
    import contextlib
    import io
    import tempfile

    from triage import cli

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.jsonl"
        path.write_text("".join(json.dumps({"id": f"m{i}", "text": t}) + "\n" for i, t in enumerate(texts)), encoding="utf-8")
        argv = ["triage", "classify", "--input", str(path)] + (["--model", model] if model else []) + (
            ["--taxonomy", taxonomy] if taxonomy else [])
        with contextlib.redirect_stdout(io.StringIO()):
            cli.main(argv)  # warm-up run: first-use tables are built before the timed run
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            start = time.process_time()
            cli.main(argv)
            spent = time.process_time() - start
        load_start = time.process_time()
        load_classifier(model, taxonomy)
        load_s = time.process_time() - load_start
    lines = out.getvalue().count("\n")
    if lines != len(texts):
        raise SystemExit(f"the command wrote {lines} lines for {len(texts)} messages")
    return len(texts) / max(spent - load_s, 1e-9)


if __name__ == "__main__":
    sys.exit(main())
