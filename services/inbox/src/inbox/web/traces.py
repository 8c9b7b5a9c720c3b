"""What the ops trace page shows of a trace: its spans as a waterfall (tree order, offset and duration against
the whole trace), and of each span only the attributes known to carry no citizen text.

Spans are not meant to carry citizen text at all; this page does not rely on it. Attributes are shown by an
allow-list of keys (HTTP route and status, Kafka topic, partition and offset, database and collection names,
exception type, ...); any other key is listed with its value withheld, and URLs lose their query string."""

from dataclasses import dataclass
from datetime import UTC, datetime

from inbox.adapters.traces import Span, Trace
from inbox.auth.principal import Principal
from inbox.web.config import WebSettings

PAGE = "/ops/traces/{trace_id}"
SHOWN = frozenset({
    "otel.status_code", "otel.scope.name", "otel.scope.version", "otel.library.name", "otel.library.version",
    "http.method", "http.request.method", "http.route", "http.status_code", "http.response.status_code", "http.scheme",
    "http.flavor", "network.protocol.version", "network.protocol.name", "url.scheme", "url.path", "server.address",
    "server.port", "net.host.name", "net.host.port", "net.peer.name", "net.peer.port", "network.peer.port",
    "messaging.system", "messaging.destination.name", "messaging.destination", "messaging.operation",
    "messaging.operation.name", "messaging.operation.type", "messaging.kafka.destination.partition",
    "messaging.kafka.partition", "messaging.kafka.message.offset", "messaging.kafka.offset",
    "messaging.kafka.message.key", "messaging.kafka.consumer.group", "messaging.consumer.group.name",
    "messaging.message.id", "messaging.batch.message_count", "messaging.client_id", "messaging.client.id",
    "db.system", "db.name", "db.namespace", "db.operation", "db.operation.name", "db.mongodb.collection",
    "db.collection.name", "rpc.system", "rpc.service", "rpc.method", "rpc.grpc.status_code",
    "exception.type", "exception.escaped", "thread.name", "span.kind",
})
URLS = frozenset({"http.url", "url.full", "http.target"})  # shown without their query string
MAX_DEPTH = 12  # deeper spans are drawn at this indentation (the tree order still says who called whom)


@dataclass(frozen=True)
class Row:
    span: Span
    depth: int
    offset_ms: float
    duration_ms: float
    left: float  # per cent of the trace's span of time
    width: float
    attributes: tuple[tuple[str, str | None], ...]  # value None: withheld
    events: tuple[tuple[float, str, tuple[tuple[str, str | None], ...]], ...]  # (offset ms, name, attributes)


@dataclass(frozen=True)
class Waterfall:
    trace_id: str
    started: datetime
    total_ms: float
    rows: tuple[Row, ...]
    services: tuple[tuple[str, int], ...]  # (service, spans), in the order the trace reached them
    errors: int
    warnings: tuple[str, ...]


def link_template(settings: WebSettings, principal: Principal) -> str:
    """Where a Trace link goes for this person: the inbox's own trace page when it can read a trace store (ops
    staff only: supervisors and admins), else the configured trace viewer's URL."""
    if settings.trace_query_url:
        return PAGE if principal.privileged else ""
    return settings.trace_url_template


def shown(key: str, value: str) -> str | None:
    """The value as the page may show it, or None when it is withheld."""
    if key in SHOWN:
        return value[:300]
    if key in URLS:
        return value.split("?", 1)[0].split("#", 1)[0][:300]
    return None


def _attributes(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str | None], ...]:
    return tuple(sorted((k, shown(k, v)) for k, v in pairs))


def tree_order(spans: tuple[Span, ...]) -> list[tuple[Span, int]]:
    """Depth-first from the roots (spans whose parent is not in the trace), children by start time."""
    ids = {s.span_id for s in spans}
    children: dict[str | None, list[Span]] = {}
    for span in spans:
        children.setdefault(span.parent_id if span.parent_id in ids else None, []).append(span)
    for group in children.values():
        group.sort(key=lambda s: (s.start_us, s.span_id))
    out: list[tuple[Span, int]] = []
    seen: set[str] = set()
    stack = [(s, 0) for s in reversed(children.get(None, []))]
    while stack:
        span, depth = stack.pop()
        if span.span_id in seen:
            continue
        seen.add(span.span_id)
        out.append((span, depth))
        stack += [(c, depth + 1) for c in reversed(children.get(span.span_id, []))]
    # A cycle of parents (a broken trace) has no root: those spans are listed at the top level.
    out += [(s, 0) for s in sorted(spans, key=lambda s: s.start_us) if s.span_id not in seen]
    return out


def waterfall(trace: Trace) -> Waterfall:
    start = min(s.start_us for s in trace.spans)
    end = max(s.start_us + s.duration_us for s in trace.spans)
    total = max(end - start, 1)
    rows = []
    for span, depth in tree_order(trace.spans):
        left = 100.0 * (span.start_us - start) / total
        rows.append(Row(
            span=span, depth=min(depth, MAX_DEPTH), offset_ms=(span.start_us - start) / 1000,
            duration_ms=span.duration_us / 1000, left=left, width=max(100.0 * span.duration_us / total, 0.6),  # a short span still shows
            attributes=_attributes(span.attributes),
            events=tuple(((t - start) / 1000, name, _attributes(attrs)) for t, name, attrs in span.events),
        ))
    counts: dict[str, int] = {}
    for span in sorted(trace.spans, key=lambda s: s.start_us):
        counts[span.service] = counts.get(span.service, 0) + 1
    return Waterfall(trace_id=trace.trace_id, started=datetime.fromtimestamp(start / 1e6, UTC), total_ms=total / 1000,
                     rows=tuple(rows), services=tuple(counts.items()), errors=sum(1 for s in trace.spans if s.error),
                     warnings=trace.warnings)
