"""Every service stops within 10 s of SIGTERM whatever state Kafka and the store are in: the graceful path
is bounded (uvicorn's connections, the broker's stop), and a hard deadline ends the process when something
else hangs. Real processes (`python -m <service>`), real signals."""

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
BASE = int(os.environ.get("CIVIC_TEST_PORT_BASE") or 19092)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(port: int, proc: subprocess.Popen, timeout: float = 180) -> None:
    """Until the process answers HTTP at all (a 503 from /healthz counts: Kafka may be down on purpose). The wait
    is long (triage loads its models; a busy machine is slow to start) and a process that never answers is
    stopped before the test fails: these tests time the shutdown, not the start."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    proc.communicate()
    raise AssertionError(f"port {port} never answered")


def stop_and_time(proc: subprocess.Popen) -> tuple[float, int, str]:
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return time.monotonic() - started, proc.returncode, err


def test_a_shutdown_that_hangs_is_ended_by_the_deadline() -> None:
    port = free_port()
    script = textwrap.dedent(f"""
        import asyncio, contextlib
        from fastapi import FastAPI
        from civic_eventing import serve

        @contextlib.asynccontextmanager
        async def lifespan(app):
            yield
            await asyncio.sleep(3600)  # a flush with no deadline

        app = FastAPI(lifespan=lifespan)
        app.get("/healthz")(lambda: {{"status": "ok"}})
        serve(app, host="127.0.0.1", port={port}, name="hangs", deadline_seconds=2)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_http(port, proc)
    took, code, err = stop_and_time(proc)
    assert code == 70, err[-2000:]
    assert 1.5 < took < 6, took
    assert "still stopping 2s after the stop signal" in err
    assert "lifespan" in err  # the stacks show where it hung


def test_a_clean_shutdown_exits_at_once_with_the_signal() -> None:
    port = free_port()
    script = f"""from fastapi import FastAPI
from civic_eventing import serve
serve(FastAPI(), host="127.0.0.1", port={port}, name="clean", deadline_seconds=5)"""
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_http(port, proc)
    took, code, err = stop_and_time(proc)
    assert code == -signal.SIGTERM, err[-2000:]  # uvicorn re-raises the signal after a clean stop
    assert took < 3


@pytest.mark.integration
@pytest.mark.parametrize("service", ["connectors", "triage", "responder", "inbox"])
def test_each_service_stops_within_10s_while_kafka_is_unreachable(service: str, infra) -> None:
    """Kafka's address answers nothing (the broker keeps reconnecting in the background); MongoDB is up."""
    port = free_port()
    env = {**os.environ, f"{service.upper()}_PORT": str(port), "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}",
           "MONGODB_URI": infra.mongodb_uri, f"{service.upper()}_STARTUP_WAIT_SECONDS": "1",
           "CONNECTORS_META_APP_SECRET": "s", "CONNECTORS_META_VERIFY_TOKEN": "t", "OTEL_SDK_DISABLED": "true"}
    proc = subprocess.Popen([sys.executable, "-m", service], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    wait_http(port, proc)
    health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
    assert health.status_code == 503 and "kafka" in health.json()["problems"]
    took, code, err = stop_and_time(proc)
    assert took < 10, (took, err[-3000:])
    assert code in (-signal.SIGTERM, 70), err[-3000:]
