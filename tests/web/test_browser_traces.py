"""Ops follow a message's trace in the inbox itself (issue 11): the conversation page's Trace link opens the
ops trace page, which reads the trace from a real Jaeger (the build `make run` starts, fed over OTLP here) and
shows its span waterfall: every service, operation, duration and status, with citizen text withheld; for
supervisors and admins only; in English and Welsh; no serious accessibility violation (axe-core)."""

import contextlib
import os
import socket
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest
from opentelemetry import trace as otel
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode
from playwright.async_api import expect
from support.system import System
from test_browser_pages import axe_violations
from web_support import shot, stored

pytestmark = [pytest.mark.integration, pytest.mark.e2e]
REPO = Path(__file__).resolve().parents[2]
CITIZEN = "my neighbour at 4 Elm Road hits his dog every night"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jaeger(tmp_path_factory) -> dict[str, str]:
    """Jaeger v2 as `make run` starts it (deploy/jaeger.yaml), on free ports: its query and OTLP/HTTP URLs."""
    binary = subprocess.run(["bash", str(REPO / "deploy" / "tracing.sh"), "path"], check=True, timeout=3600,
                            capture_output=True, text=True).stdout.strip()
    ports = {name: str(_free_port()) for name in ("TRACE_UI_PORT", "OTLP_HTTP_PORT", "OTLP_GRPC_PORT",
                                                  "JAEGER_HEALTH_PORT", "JAEGER_QUERY_GRPC_PORT")}
    log = (tmp_path_factory.mktemp("jaeger") / "jaeger.log").open("w")
    proc = subprocess.Popen([binary, "--config", str(REPO / "deploy" / "jaeger.yaml")], env={**os.environ, **ports},
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{ports['JAEGER_HEALTH_PORT']}/status", timeout=2).status_code == 200:
                    break
            assert proc.poll() is None and time.monotonic() < deadline, "Jaeger did not start"
            time.sleep(0.2)
        yield {"query": f"http://127.0.0.1:{ports['TRACE_UI_PORT']}",
               "otlp": f"http://127.0.0.1:{ports['OTLP_HTTP_PORT']}/v1/traces"}
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def a_message_trace(jaeger: dict[str, str]) -> str:
    """A message's trace as the services export it (webhook, publish, triage and responder consuming; triage's
    first attempt failing), plus an attribute and an exception message quoting the citizen, which the page
    must not show. Sent to Jaeger over OTLP/HTTP; its trace id."""
    providers = {name: TracerProvider(resource=Resource.create({"service.name": name}))
                 for name in ("connectors", "triage", "responder")}
    for provider in providers.values():
        provider.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter(endpoint=jaeger["otlp"])))
    tracer = {name: provider.get_tracer("civic-test") for name, provider in providers.items()}
    with tracer["connectors"].start_as_current_span("POST /webhooks/meta", kind=SpanKind.SERVER, attributes={
            "http.route": "/webhooks/meta", "http.status_code": 200, "civic.text": CITIZEN,
            "http.url": "http://127.0.0.1/webhooks/meta?hub.verify_token=verify-secret"}) as webhook:
        trace_id = format(webhook.get_span_context().trace_id, "032x")
        with tracer["connectors"].start_as_current_span("message.received.v1 create", kind=SpanKind.PRODUCER,
                                                        attributes={"messaging.destination.name": "message.received.v1"}):
            parent = otel.set_span_in_context(otel.get_current_span())
    with tracer["triage"].start_as_current_span("message.received.v1 process", context=parent,
                                                kind=SpanKind.CONSUMER) as failed:
        with contextlib.suppress(ValueError):
            try:
                raise ValueError(f"input_value={CITIZEN!r}")
            except ValueError as exc:
                failed.record_exception(exc)
                failed.set_status(Status(StatusCode.ERROR, "ValueError"))
                raise
    with tracer["responder"].start_as_current_span("message.received.v1 process", context=parent,
                                                   kind=SpanKind.CONSUMER, attributes={"messaging.kafka.message.offset": 7}):
        pass
    for provider in providers.values():
        provider.shutdown()
    # Jaeger batches what it receives before storing it: wait until the query API has all four spans.
    deadline = time.monotonic() + 30
    while True:
        found = httpx.get(f"{jaeger['query']}/api/traces/{trace_id}", timeout=5)
        if found.status_code == 200 and sum(len(t["spans"]) for t in found.json()["data"]) == 4:
            return trace_id
        assert time.monotonic() < deadline, f"Jaeger did not store the trace: {found.status_code} {found.text[:200]}"
        time.sleep(0.2)


@pytest.fixture
def trace_store(system: System, jaeger: dict[str, str]):
    """The inbox reads this Jaeger for the duration of one test (the app is shared by the session)."""
    app = system.apps["inbox"]
    before = app.state.web_settings
    app.state.web_settings = before.model_copy(update={"trace_query_url": jaeger["query"], "trace_url_template": ""})
    yield app
    app.state.web_settings = before


async def test_the_trace_link_opens_the_span_waterfall_in_the_inbox(new_page, axe_script, system: System,
                                                                    jaeger: dict[str, str], trace_store) -> None:
    trace_id = a_message_trace(jaeger)
    key = await stored(system, department="environmental_health_asb", text=CITIZEN)
    await system.apps["inbox"].state.store.db["messages"].update_one({"_id": f"{key}:m1"}, {"$set": {"trace_id": trace_id}})

    page = await new_page("t-admin", init_scripts=(axe_script,))
    await page.goto(f"/conversations/{key}")
    link = page.locator("a.trace")
    await expect(link).to_have_attribute("href", f"/ops/traces/{trace_id}")
    async with page.context.expect_page() as opened:
        await link.click()
    trace_page = await opened.value
    await trace_page.wait_for_load_state()
    assert trace_page.url.endswith(f"/ops/traces/{trace_id}")
    await expect(trace_page.get_by_role("heading", level=1)).to_contain_text(trace_id)
    rows = trace_page.locator("table.waterfall tbody tr")
    await expect(rows).to_have_count(4)
    assert [await r.get_attribute("data-service") for r in await rows.all()] == ["connectors", "connectors", "triage",
                                                                                 "responder"]
    await expect(rows.nth(0)).to_contain_text("POST /webhooks/meta")
    await expect(rows.nth(2)).to_contain_text("Error")
    await expect(trace_page.locator(".trace-services li")).to_have_text(
        ["connectors (2 span(s))", "triage (1 span(s))", "responder (1 span(s))"])
    for details in await trace_page.locator("table.waterfall details").all():
        await details.locator("summary").click()
    await expect(rows.nth(0)).to_contain_text("/webhooks/meta")
    await expect(rows.nth(0)).to_contain_text("not shown: may carry personal data")
    await expect(rows.nth(2)).to_contain_text("ValueError")
    html = await trace_page.content()
    assert "neighbour" not in html and "verify-secret" not in html
    serious = [v for v in await axe_violations(trace_page) if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    await trace_page.screenshot(path=shot("20-trace-waterfall"), full_page=True)

    # In Welsh, and still accessible.
    await trace_page.context.add_cookies([{"name": "civic_lang", "value": "cy", "url": trace_page.url}])
    await trace_page.reload()
    await expect(trace_page.get_by_role("heading", level=2).first).to_have_text("Crynodeb")
    await expect(trace_page.locator("table.waterfall thead")).to_contain_text("Hyd (ms)")
    serious = [v for v in await axe_violations(trace_page) if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    await trace_page.screenshot(path=shot("21-trace-waterfall-cy"), full_page=True)


async def test_the_trace_page_is_for_ops_staff_and_says_what_is_wrong(system: System, jaeger: dict[str, str],
                                                                      trace_store) -> None:
    trace_id = a_message_trace(jaeger)
    key = await stored(system, department="waste", text="Bins not collected on Elm Road")
    await system.apps["inbox"].state.store.db["messages"].update_one({"_id": f"{key}:m1"}, {"$set": {"trace_id": trace_id}})
    inbox = system.inbox  # signed in as an admin
    assert (await inbox.get(f"/ops/traces/{trace_id}")).status_code == 200
    supervisor, agent = await system.sign_in("t-super"), await system.sign_in("t-agent")
    assert (await supervisor.get(f"/ops/traces/{trace_id}")).status_code == 200
    assert f'href="/ops/traces/{trace_id}"' in (await supervisor.get(f"/conversations/{key}")).text
    assert (await agent.get(f"/ops/traces/{trace_id}")).status_code == 403
    page = await agent.get(f"/conversations/{key}")
    assert page.status_code == 200 and 'class="trace"' not in page.text  # no link an agent could not open
    missing = await inbox.get(f"/ops/traces/{uuid.uuid4().hex}")
    assert missing.status_code == 404 and "This trace is not in the trace store." in missing.text
    assert (await inbox.get("/ops/traces/not-a-trace-id")).status_code == 404
    trace_store.state.web_settings = trace_store.state.web_settings.model_copy(
        update={"trace_query_url": f"http://127.0.0.1:{_free_port()}"})
    down = await inbox.get(f"/ops/traces/{trace_id}")
    assert down.status_code == 503 and "The trace store could not be read" in down.text
