"""The ops trace page's pure parts: Jaeger's query JSON read as spans, the waterfall (tree order, offsets,
errors, services in order), attributes shown only from the allow-list (citizen text withheld, URLs without
their query), and where a Trace link goes for whom."""

import pytest
from inbox.adapters.traces import TRACE_ID, TraceStoreUnavailable, parse
from inbox.web import traces
from inbox.web.config import load_web_settings

TID = "36ac907b2e0ec80f059c03869110de16"


def span(span_id: str, parent: str | None, process: str, name: str, start: int, duration: int, tags: list, logs=()):
    return {"traceID": TID, "spanID": span_id, "operationName": name, "startTime": start, "duration": duration,
            "references": [{"refType": "CHILD_OF", "traceID": TID, "spanID": parent}] if parent else [],
            "tags": [{"key": k, "type": "string", "value": v} for k, v in tags], "logs": list(logs), "processID": process}


# The shape Jaeger v2's query service answers (recorded from `GET /api/traces/{id}`), cut down.
JAEGER = {"data": [{"traceID": TID, "processes": {"p1": {"serviceName": "connectors"}, "p2": {"serviceName": "triage"},
                                                  "p3": {"serviceName": "responder"}},
                    "spans": [
    span("c2", "c1", "p2", "message.received.v1 process", 1_000_600, 300, [("span.kind", "consumer"),
         ("messaging.destination.name", "message.received.v1"), ("otel.status_code", "ERROR"),
         ("otel.status_description", "ValueError: input_value='my neighbour hits me'")],
         logs=[{"timestamp": 1_000_700, "fields": [{"key": "event", "value": "exception"},
               {"key": "exception.type", "value": "ValueError"},
               {"key": "exception.message", "value": "input_value='my neighbour hits me'"}]}]),
    span("a1", None, "p1", "POST /webhooks/meta", 1_000_000, 1_000, [("span.kind", "server"),
         ("http.route", "/webhooks/meta"), ("http.url", "http://127.0.0.1/webhooks/meta?hub.verify_token=s3cret"),
         ("civic.text", "my neighbour hits me"), ("http.status_code", "200")]),
    span("c1", "a1", "p1", "message.received.v1 create", 1_000_200, 50, [("span.kind", "producer")]),
    span("r1", "c1", "p3", "message.received.v1 process", 1_000_400, 500, [("span.kind", "consumer")]),
    span("o1", "gone", "p3", "outbox relay", 1_000_500, 100, []),  # its parent is not in the trace
]}]}


def test_jaeger_json_is_read_as_spans_with_services_parents_kinds_and_errors() -> None:
    trace = parse(TID, JAEGER)
    by_id = {s.span_id: s for s in trace.spans}
    assert by_id["c1"].parent_id == "a1" and by_id["a1"].parent_id is None
    assert by_id["r1"].service == "responder" and by_id["r1"].kind == "consumer"
    assert by_id["c2"].error and not by_id["r1"].error
    assert by_id["c2"].events[0][1] == "exception"
    assert parse(TID, {"data": [], "errors": None}) is None
    assert parse(TID, {"data": None, "errors": [{"code": 404, "msg": "trace not found"}]}) is None
    with pytest.raises(TraceStoreUnavailable):
        parse(TID, ["not", "a", "trace"])


def test_the_waterfall_lists_spans_under_their_parents_in_the_order_they_ran() -> None:
    w = traces.waterfall(parse(TID, JAEGER))
    order = [(r.span.span_id, r.depth) for r in w.rows]
    # Roots first by start (the webhook, then the span whose parent is missing), children under their parent.
    assert order == [("a1", 0), ("c1", 1), ("r1", 2), ("c2", 2), ("o1", 0)]
    first = w.rows[0]
    assert first.offset_ms == 0 and first.left == 0 and first.width == pytest.approx(100.0)
    r1 = next(r for r in w.rows if r.span.span_id == "r1")
    assert r1.offset_ms == pytest.approx(0.4) and r1.duration_ms == pytest.approx(0.5) and r1.left == pytest.approx(40.0)
    assert w.services == (("connectors", 2), ("responder", 2), ("triage", 1))
    assert w.errors == 1 and w.total_ms == pytest.approx(1.0)


def test_only_allow_listed_attributes_are_shown_and_urls_lose_their_query() -> None:
    w = traces.waterfall(parse(TID, JAEGER))
    webhook = dict(w.rows[0].attributes)
    assert webhook["http.route"] == "/webhooks/meta" and webhook["http.status_code"] == "200"
    assert webhook["http.url"] == "http://127.0.0.1/webhooks/meta"  # no verify token
    assert "civic.text" in webhook and webhook["civic.text"] is None  # listed, value withheld
    failed = next(r for r in w.rows if r.span.span_id == "c2")
    assert dict(failed.attributes)["otel.status_description"] is None
    [(_, name, attributes)] = failed.events
    assert name == "exception" and dict(attributes) == {"exception.type": "ValueError", "exception.message": None}
    assert all("neighbour" not in (v or "") for r in w.rows for _, v in r.attributes)
    assert all("neighbour" not in (v or "") for r in w.rows for _t, _n, attrs in r.events for _, v in attrs)


def test_a_cycle_of_parents_still_lists_every_span_once() -> None:
    broken = {"data": [{"processes": {"p1": {"serviceName": "x"}}, "spans": [
        span("a", "b", "p1", "one", 10, 5, []), span("b", "a", "p1", "two", 12, 5, [])]}]}
    rows = traces.waterfall(parse(TID, broken)).rows
    assert sorted(r.span.span_id for r in rows) == ["a", "b"]


def test_trace_links_open_the_inbox_trace_page_for_ops_staff_only_when_a_trace_store_is_configured() -> None:
    class Person:
        def __init__(self, privileged: bool) -> None:
            self.privileged = privileged

    external = load_web_settings(trace_url_template="https://jaeger.example/trace/{trace_id}", trace_query_url="")
    assert traces.link_template(external, Person(False)) == "https://jaeger.example/trace/{trace_id}"
    own = load_web_settings(trace_query_url="http://127.0.0.1:16686")
    assert traces.link_template(own, Person(True)) == "/ops/traces/{trace_id}"
    assert traces.link_template(own, Person(False)) == ""
    assert TRACE_ID.fullmatch(TID) and not TRACE_ID.fullmatch("../../api/services")
