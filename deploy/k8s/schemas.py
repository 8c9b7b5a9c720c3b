"""Writes the JSON schemas kubeconform reads, offline, into one folder named as kubeconform's
`{{ .ResourceKind }}{{ .KindSuffix }}.json` template expects:

- the Kubernetes API's strict schemas of one version from the kubernetes-validate wheel (PyPI), whose
  references point at the package's own `/api/_definitions.json`; they are rewritten to the absolute file URL
  of the `_definitions.json` written beside them (kubeconform compiles a local schema under its plain path,
  so a relative reference would not resolve);
- a CustomResourceDefinition's schemas (KEDA's ScaledObject): each served version's openAPIV3Schema, closed
  against unknown fields the way the strict Kubernetes schemas are, with `apiVersion`/`kind` pinned.

Standard library plus PyYAML (in the project's requirements)."""

import argparse
import json
import re
import zipfile
from pathlib import Path

import yaml

REF = re.compile(r'"/api/_definitions\.json#')


def kubernetes_schemas(wheel: Path, version: str, out: Path, final: Path) -> int:
    prefix = f"kubernetes_validate/kubernetes-json-schema/v{version}-local-strict/"
    count = 0
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if not name.startswith(prefix) or not name.endswith(".json"):
                continue
            text = REF.sub(f'"{(final / "_definitions.json").as_uri()}#', archive.read(name).decode())
            if name.endswith("/_definitions.json"):
                schema = json.loads(text)
                schema.pop("$id", None)  # it names the package's own root; the file's location is its id
                text = json.dumps(schema)
            (out / name.removeprefix(prefix)).write_text(text)
            count += 1
    if not count:
        raise SystemExit(f"no schemas for Kubernetes {version} in {wheel}")
    return count


def closed(schema):
    """Unknown fields are errors (as in the strict Kubernetes schemas), except where the CRD allows any."""
    if isinstance(schema, list):
        return [closed(v) for v in schema]
    if not isinstance(schema, dict):
        return schema
    schema = {k: closed(v) for k, v in schema.items()}
    if schema.get("type") == "object" and "properties" in schema and "additionalProperties" not in schema \
            and not schema.get("x-kubernetes-preserve-unknown-fields"):
        schema["additionalProperties"] = False
    return schema


def crd_schemas(crd_path: Path, out: Path) -> list[str]:
    crd = yaml.safe_load(crd_path.read_text())
    group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
    written = []
    for version in crd["spec"]["versions"]:
        schema = closed(version["schema"]["openAPIV3Schema"])
        props = schema.setdefault("properties", {})
        props["apiVersion"] = {"type": "string", "enum": [f"{group}/{version['name']}"]}
        props["kind"] = {"type": "string", "enum": [kind]}
        props["metadata"] = {"type": "object"}
        name = f"{kind.lower()}-{group.split('.')[0]}-{version['name']}.json"
        (out / name).write_text(json.dumps(schema))
        written.append(name)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wheel", type=Path, required=True, help="kubernetes-validate wheel")
    parser.add_argument("--kubernetes", required=True, help="Kubernetes version, e.g. 1.33.0")
    parser.add_argument("--crd", type=Path, action="append", default=[], help="a CustomResourceDefinition YAML")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (may be a temporary name)")
    parser.add_argument("--final", type=Path, help="where --out will be moved to (default: --out)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    final = (args.final or args.out).absolute()
    count = kubernetes_schemas(args.wheel, args.kubernetes, args.out, final)
    extra = [name for crd in args.crd for name in crd_schemas(crd, args.out)]
    print(f"[k8s] {count} Kubernetes {args.kubernetes} schemas and {', '.join(extra)} in {args.out}")


if __name__ == "__main__":
    main()
