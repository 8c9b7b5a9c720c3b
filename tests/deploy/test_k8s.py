"""deploy/k8s: every object of every overlay (and of the base and the Secrets' example) validates against the
Kubernetes API's JSON schemas and KEDA's ScaledObject schema with kubeconform, strictly, offline (the tools
and schemas come from registries through deploy/k8s/tools.sh and are cached under .local); and what the
issue asks of the manifests is there: probes on /healthz, resource requests, a PodDisruptionBudget per
Deployment, autoscaling on consumer lag, configuration and secrets by reference, overlays pointing at a
managed Kafka and a MongoDB replica set."""

import subprocess
from functools import cache
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "deploy" / "k8s" / "tools.sh"
OVERLAYS = sorted(p.name for p in (REPO / "deploy" / "k8s" / "overlays").iterdir() if p.is_dir())
SERVICES = {"inbox": 8080, "connectors": 8081, "triage": 8082, "responder": 8083, "notifier": 8084}
CONSUMER_GROUPS = {"triage": {"triage"}, "responder": {"responder.message.received.v1", "responder.message.triaged.v1"},
                   "connectors": {"connectors-outbound"}, "notifier": {"notifier.duty.alert.v1"}}


def tool(name: str) -> str:
    return subprocess.run(["bash", str(TOOLS), "path", name], check=True, capture_output=True, text=True,
                          timeout=1800).stdout.strip()


@cache
def rendered(overlay: str) -> list[dict]:
    out = subprocess.run([tool("kustomize"), "build", str(REPO / "deploy" / "k8s" / "overlays" / overlay)],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def kubeconform(manifests: str) -> subprocess.CompletedProcess:
    schemas = tool("schemas")
    return subprocess.run(
        [tool("kubeconform"), "-strict", "-summary", "-kubernetes-version", "1.33.0",
         "-schema-location", f"{schemas}/{{{{ .ResourceKind }}}}{{{{ .KindSuffix }}}}.json", "-"],
        input=manifests, capture_output=True, text=True, timeout=120,
    )


def of_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def test_every_manifest_validates_against_the_schemas() -> None:
    result = subprocess.run(["bash", str(TOOLS), "validate"], capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout + result.stderr
    summaries = [line for line in result.stdout.splitlines() if line.startswith("Summary:")]
    assert len(summaries) == len(OVERLAYS) + 2  # every overlay, the base, the Secrets' example
    for line in summaries:
        assert "Invalid: 0, Errors: 0, Skipped: 0" in line, line


@pytest.mark.parametrize("broken, why", [
    ("spec:\n  replicas: two\n", "a wrong type"),
    ("spec:\n  replicaz: 2\n", "an unknown field"),
])
def test_the_checker_rejects_a_broken_deployment(broken: str, why: str) -> None:
    base = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n"
    result = kubeconform(base + broken)
    assert result.returncode != 0, why
    assert "Invalid: 1" in result.stdout, result.stdout


def test_the_checker_rejects_a_broken_scaled_object_and_an_unknown_kind() -> None:
    so = rendered("production")
    triage = yaml.safe_dump(of_kind(so, "ScaledObject")["triage"])
    assert kubeconform(triage).returncode == 0
    assert kubeconform(triage.replace("minReplicaCount", "minReplicas")).returncode != 0
    unknown = kubeconform("apiVersion: example.org/v1\nkind: Gadget\nmetadata:\n  name: x\n")
    assert unknown.returncode != 0 and "could not find schema" in unknown.stdout


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_service_has_probes_requests_a_budget_and_autoscaling(overlay: str) -> None:
    docs = rendered(overlay)
    deployments, budgets = of_kind(docs, "Deployment"), of_kind(docs, "PodDisruptionBudget")
    scaled, hpas = of_kind(docs, "ScaledObject"), of_kind(docs, "HorizontalPodAutoscaler")
    assert set(deployments) == set(SERVICES)
    for name, port in SERVICES.items():
        spec = deployments[name]["spec"]
        container = spec["template"]["spec"]["containers"][0]
        assert container["command"] == ["python", "-m", name]
        assert {"name": "http", "containerPort": port} in container["ports"]
        for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
            assert container[probe]["httpGet"] == {"path": "/healthz", "port": "http"}, (name, probe)
        assert set(container["resources"]["requests"]) == {"cpu", "memory"}
        # Stops within its own deadline, well inside the grace period.
        grace = spec["template"]["spec"]["terminationGracePeriodSeconds"]
        config = of_kind(docs, "ConfigMap")["civic-inbox-config"]["data"]
        assert float(config["CIVIC_STOP_DEADLINE_SECONDS"]) < 10 <= grace
        assert budgets[name]["spec"]["selector"] == spec["selector"]
        assert budgets[name]["spec"]["minAvailable"] == 1 < spec["replicas"]
    for name, groups in CONSUMER_GROUPS.items():
        triggers = [t for t in scaled[name]["spec"]["triggers"] if t["type"] == "kafka"]
        assert {t["metadata"]["consumerGroup"] for t in triggers} == groups
        assert all(t["metadata"]["bootstrapServersFromEnv"] == "KAFKA_BOOTSTRAP_SERVERS" for t in triggers)
        assert scaled[name]["spec"]["scaleTargetRef"]["name"] == name
    assert hpas["inbox"]["spec"]["scaleTargetRef"]["name"] == "inbox"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlays_point_at_a_managed_kafka_and_a_replica_set_with_secrets_by_reference(overlay: str) -> None:
    docs = rendered(overlay)
    config = of_kind(docs, "ConfigMap")["civic-inbox-config"]["data"]
    brokers = config["KAFKA_BOOTSTRAP_SERVERS"].split(",")
    assert len(brokers) >= 2 and all(b.endswith(":9092") and "." in b for b in brokers)
    assert len(config["MONGODB_HOSTS"].split(",")) == 3
    assert "replicaSet=" in config["MONGODB_OPTIONS"] and "w=majority" in config["MONGODB_OPTIONS"]
    assert not of_kind(docs, "Secret"), "no Secret values are rendered (they are made outside git)"
    namespace = of_kind(docs, "Namespace")
    assert len(namespace) == 1 and all(d["metadata"].get("namespace") == next(iter(namespace))
                                       for d in docs if d["kind"] != "Namespace")
    example = {d["metadata"]["name"] for d in yaml.safe_load_all((REPO / "deploy/k8s/secrets.example.yaml").read_text())}
    for deployment in of_kind(docs, "Deployment").values():
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        refs = {e["secretRef"]["name"] for e in container["envFrom"] if "secretRef" in e}
        assert "civic-inbox-store" in refs and refs <= example
        env = {e["name"]: e.get("value") for e in container["env"]}
        assert env["MONGODB_URI"].startswith("mongodb://$(MONGODB_USERNAME):$(MONGODB_PASSWORD)@$(MONGODB_HOSTS)")
    for secret in yaml.safe_load_all((REPO / "deploy/k8s/secrets.example.yaml").read_text()):
        assert all(value.startswith("set-me") for value in secret["stringData"].values())
