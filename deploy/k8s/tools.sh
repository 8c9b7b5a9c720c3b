#!/usr/bin/env bash
# The Kubernetes manifests' tools, installed from package registries only and cached (no network at run time):
#   * kustomize (go install, pinned) renders the overlays;
#   * kubeconform (go install, pinned) validates every object against JSON schemas, read from local files:
#     - the Kubernetes API's schemas as shipped in the PyPI package kubernetes-validate (one Kubernetes
#       version extracted; its references rewritten from the package's own `/api/_definitions.json` root to
#       the definitions file beside them, which kubeconform then resolves locally);
#     - KEDA's ScaledObject schema, converted from the CustomResourceDefinition in KEDA's Go module (the
#       openAPIV3Schema of each version, as kubeconform's CRD tooling does).
#
# Usage: bash deploy/k8s/tools.sh install | validate | path kubeconform|kustomize|schemas
#   validate: render each overlay (and the base) with kustomize and check every object, strictly (unknown
#   fields are errors, a kind without a schema is an error); also deploy/k8s/secrets.example.yaml.
set -euo pipefail
K8S_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$K8S_DIR/../.." && pwd)"
LOCAL_DIR="${CIVIC_LOCAL_DIR:-$REPO_ROOT/.local}"
CACHE_DIR="${CIVIC_CACHE_DIR:-$LOCAL_DIR/cache}"
PY="${PYTHON:-$REPO_ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY=python3

KUBECONFORM_VERSION=v0.7.0
KUSTOMIZE_VERSION=v5.8.1
KUBERNETES_VALIDATE_VERSION=1.37.0   # PyPI; ships the schemas of Kubernetes 1.25 to 1.37
KUBERNETES_VERSION=1.33.0            # the API version the manifests are checked against
KEDA_MODULE=github.com/kedacore/keda/v2
KEDA_VERSION=v2.18.3

mkdir -p "$CACHE_DIR/k8s"
TOOLS="$(cd "$CACHE_DIR/k8s" && pwd -P)"
KUBECONFORM="$TOOLS/bin/kubeconform-$KUBECONFORM_VERSION"
KUSTOMIZE="$TOOLS/bin/kustomize-$KUSTOMIZE_VERSION"
SCHEMAS="$TOOLS/schemas/k8s-$KUBERNETES_VERSION+keda-$KEDA_VERSION"

die() { echo "[k8s] ERROR: $*" >&2; exit 1; }

go_install() {  # go_install MODULE/PATH@VERSION DEST
  local tmp; tmp="$(mktemp -d)"
  command -v go >/dev/null || die "Go is needed to build $1 (see the README's requirements)"
  echo "[k8s] building $1 (go install, once)" >&2
  GOBIN="$tmp" GOTOOLCHAIN=local GOFLAGS=-mod=mod go install "$1" >&2 || { rm -rf "$tmp"; die "go install $1 failed"; }
  mkdir -p "$(dirname "$2")"
  mv "$tmp"/* "$2"
  rm -rf "$tmp"
}

install_schemas() {
  local tmp; tmp="$(mktemp -d)"
  echo "[k8s] fetching kubernetes-validate $KUBERNETES_VALIDATE_VERSION (pip) and $KEDA_MODULE@$KEDA_VERSION (go mod download), once" >&2
  "$PY" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary :all: \
    -d "$tmp" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" >&2 || { rm -rf "$tmp"; die "pip download kubernetes-validate failed"; }
  local keda
  keda="$(GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "$KEDA_MODULE@$KEDA_VERSION" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')" \
    || { rm -rf "$tmp"; die "go mod download $KEDA_MODULE failed"; }
  "$PY" "$K8S_DIR/schemas.py" --wheel "$tmp"/kubernetes_validate-*.whl --kubernetes "$KUBERNETES_VERSION" \
    --crd "$keda/config/crd/bases/keda.sh_scaledobjects.yaml" --out "$SCHEMAS.tmp" --final "$SCHEMAS" >&2
  rm -rf "$SCHEMAS" && mv "$SCHEMAS.tmp" "$SCHEMAS"
  rm -rf "$tmp"
}

install() {
  [ -x "$KUBECONFORM" ] || go_install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION" "$KUBECONFORM"
  [ -x "$KUSTOMIZE" ] || go_install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" "$KUSTOMIZE"
  [ -f "$SCHEMAS/deployment-apps-v1.json" ] && [ -f "$SCHEMAS/scaledobject-keda-v1alpha1.json" ] || install_schemas
}

kubeconform() {
  "$KUBECONFORM" -strict -summary -output text -kubernetes-version "$KUBERNETES_VERSION" \
    -schema-location "$SCHEMAS/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$@"
}

validate() {
  install
  local overlay rc=0
  for overlay in "$K8S_DIR"/base "$K8S_DIR"/overlays/*/; do
    overlay="${overlay%/}"
    echo "== ${overlay#"$REPO_ROOT"/}"
    "$KUSTOMIZE" build "$overlay" | kubeconform - || rc=1
  done
  echo "== deploy/k8s/secrets.example.yaml"
  kubeconform "$K8S_DIR/secrets.example.yaml" || rc=1
  return $rc
}

case "${1:-}" in
  install) install ;;
  validate) validate ;;
  path)
    install >/dev/null
    case "${2:-}" in
      kubeconform) echo "$KUBECONFORM" ;; kustomize) echo "$KUSTOMIZE" ;; schemas) echo "$SCHEMAS" ;;
      *) die "path kubeconform|kustomize|schemas" ;;
    esac ;;
  *) echo "usage: $0 install|validate|path kubeconform|kustomize|schemas" >&2; exit 2 ;;
esac
