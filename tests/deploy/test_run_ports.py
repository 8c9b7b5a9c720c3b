"""`make run` refuses to start, naming the process, when a port it needs is taken (a second `make run` used to
start nothing of its own and post its sample traffic to the first one's services); and it starts nothing
before it has checked them all."""

import os
import socket
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def run_env(tmp_path: Path, ports: list[int]) -> dict[str, str]:
    names = ["INBOX_PORT", "CONNECTORS_PORT", "TRIAGE_PORT", "RESPONDER_PORT", "NOTIFIER_PORT", "SANDBOX_PORT", "KAFKA_PORT",
             "KAFKA_CONTROLLER_PORT", "MONGO_PORT", "FERRETDB_DEBUG_PORT", "TRACE_UI_PORT", "OTLP_HTTP_PORT",
             "OTLP_GRPC_PORT", "JAEGER_HEALTH_PORT", "JAEGER_QUERY_GRPC_PORT"]
    return {**os.environ, **dict(zip(names, map(str, ports), strict=True)), "CIVIC_LOCAL_DIR": str(tmp_path),
            "CIVIC_CACHE_DIR": str(REPO / ".local" / "cache")}


def test_run_refuses_a_taken_port_naming_the_holder_and_starts_nothing(tmp_path: Path) -> None:
    ports = free_ports(15)
    env = run_env(tmp_path, ports)
    with socket.socket() as holder:
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        holder.bind(("127.0.0.1", int(env["CONNECTORS_PORT"])))
        holder.listen()
        result = subprocess.run(["bash", str(REPO / "deploy" / "run.sh")], env=env, capture_output=True, text=True,
                                timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"port {env['CONNECTORS_PORT']} (for connectors) is already taken by pid {os.getpid()}" in result.stderr
    assert "pytest" in result.stderr or "python" in result.stderr  # the holder's command line
    assert "[infra]" not in result.stdout + result.stderr and "Starting services" not in result.stdout
    assert not (tmp_path / "run" / "kafka.pid").exists()


def test_run_checks_every_replica_port_too(tmp_path: Path) -> None:
    ports = free_ports(15)
    env = run_env(tmp_path, ports) | {"TRIAGE_REPLICAS": "2", "REPLICA_PORT_STEP": "1"}
    second = int(env["TRIAGE_PORT"]) + 1
    with socket.socket() as holder:
        try:
            holder.bind(("127.0.0.1", second))
        except OSError:
            return  # that port happens to be busy already: the case is covered by the test above
        holder.listen()
        result = subprocess.run(["bash", str(REPO / "deploy" / "run.sh")], env=env, capture_output=True, text=True,
                                timeout=120)
    assert result.returncode == 1
    assert f"port {second} (for triage) is already taken" in result.stderr
