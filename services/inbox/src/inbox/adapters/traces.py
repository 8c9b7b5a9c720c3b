"""The trace store (Jaeger's query service), read by the server for the ops trace page: one trace by id, as
plain spans. Jaeger's HTTP query API (`GET /api/traces/{id}`) is served by Jaeger v2 (the build `make run`
starts) and by the official images (compose), so the same reader works for both.

This is the only module that knows the trace store's address or its JSON."""

import re
from dataclasses import dataclass, field

import httpx

TRACE_ID = re.compile(r"[0-9a-f]{32}")


class TraceStoreUnavailable(Exception):
    """The trace store did not answer, or answered something that is not a trace."""


@dataclass(frozen=True)
class Span:
    span_id: str
    parent_id: str | None
    service: str
    operation: str
    start_us: int  # microseconds since the epoch
    duration_us: int
    kind: str  # server, client, producer, consumer, internal
    error: bool
    attributes: tuple[tuple[str, str], ...] = ()
    events: tuple[tuple[int, str, tuple[tuple[str, str], ...]], ...] = ()  # (time in µs, name, attributes)


@dataclass(frozen=True)
class Trace:
    trace_id: str
    spans: tuple[Span, ...] = field(default_factory=tuple)
    warnings: tuple[str, ...] = ()


class TraceStore:
    """`await store.trace(trace_id)`: the trace, or None when the store does not have it (not yet, or no longer).
    Raises `TraceStoreUnavailable` when the store cannot be read."""

    def __init__(self, base_url: str, *, timeout: float = 5.0, http: httpx.AsyncClient | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = http or httpx.AsyncClient(timeout=timeout)

    async def close(self) -> None:
        await self._http.aclose()

    async def trace(self, trace_id: str) -> Trace | None:
        if not TRACE_ID.fullmatch(trace_id):
            raise ValueError("a trace id is 32 lowercase hexadecimal digits")
        try:
            response = await self._http.get(f"{self.base_url}/api/traces/{trace_id}")
        except httpx.HTTPError as exc:
            raise TraceStoreUnavailable(f"the trace store did not answer ({type(exc).__name__})") from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise TraceStoreUnavailable(f"the trace store answered HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError as exc:
            raise TraceStoreUnavailable("the trace store answered something that is not JSON") from exc
        return parse(trace_id, body)


def parse(trace_id: str, body: object) -> Trace | None:
    """Jaeger's query JSON (`{"data": [{"spans": [...], "processes": {...}}]}`) as one `Trace`; None if empty."""
    if not isinstance(body, dict) or not isinstance(body.get("data"), list | None):
        raise TraceStoreUnavailable("the trace store's answer has no trace data")
    spans: list[Span] = []
    warnings: list[str] = []
    for part in body.get("data") or []:
        processes = part.get("processes") or {}
        warnings += [str(w) for w in part.get("warnings") or []]
        for raw in part.get("spans") or []:
            tags = {t.get("key"): t.get("value") for t in raw.get("tags") or [] if isinstance(t, dict)}
            parent = next((r.get("spanID") for r in raw.get("references") or []
                           if r.get("refType") == "CHILD_OF" and r.get("traceID") == trace_id), None)
            process = processes.get(raw.get("processID")) or {}
            spans.append(Span(
                span_id=str(raw.get("spanID")), parent_id=parent, service=str(process.get("serviceName") or "?"),
                operation=str(raw.get("operationName") or ""), start_us=int(raw.get("startTime") or 0),
                duration_us=int(raw.get("duration") or 0), kind=str(tags.get("span.kind") or "internal"),
                error=tags.get("error") in (True, "true") or tags.get("otel.status_code") == "ERROR",
                attributes=tuple((str(k), _text(v)) for k, v in tags.items() if k not in ("span.kind", "error")),
                events=tuple(_event(log) for log in raw.get("logs") or []),
            ))
    if not spans:
        return None
    return Trace(trace_id=trace_id, spans=tuple(spans), warnings=tuple(warnings))


def _event(log: dict) -> tuple[int, str, tuple[tuple[str, str], ...]]:
    fields = {f.get("key"): f.get("value") for f in log.get("fields") or [] if isinstance(f, dict)}
    name = str(fields.pop("event", "") or "event")
    return int(log.get("timestamp") or 0), name, tuple((str(k), _text(v)) for k, v in fields.items())


def _text(value: object) -> str:
    return "true" if value is True else "false" if value is False else str(value)
