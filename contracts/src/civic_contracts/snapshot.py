"""JSON Schema snapshots of every model on every topic, and of the stored documents several services read.

`python -m civic_contracts.snapshot [DIR]` rewrites the committed snapshots (`make contracts`); the
contract tests fail when a model and its snapshot differ.
"""

import json
import sys
from pathlib import Path

from civic_contracts.conversation import stored_models
from civic_contracts.topics import TOPICS


def schemas() -> dict[str, dict]:
    """File name -> JSON Schema, for the key and value model of every topic and every stored model."""
    out: dict[str, dict] = {}
    for spec in TOPICS.values():
        # Topics that share a model (one outbound topic per channel) share one snapshot file.
        out[f"{spec.value.__name__}.json"] = spec.value.model_json_schema()
        if spec.key is not None:
            out[f"{spec.key.__name__}.json"] = spec.key.model_json_schema()
    for model in stored_models():
        out[f"{model.__name__}.json"] = model.model_json_schema()
    return out


def render(schema: dict) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = directory / name
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "schemas"
    for p in write(target):
        print(p)
