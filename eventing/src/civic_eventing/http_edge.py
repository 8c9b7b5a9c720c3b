"""What every Civic Inbox HTTP app needs at its edge, besides the body limit (`http_limits`):

- `client_address`: the caller's address, taking `X-Forwarded-For` only from configured proxies;
- `RateLimiter`: a sliding-window limit kept in memory (per process);
- `InternalOnly`: routes (metrics, channel health, API description) answered only on the internal listener;
- `ResponseHeaders`: headers added to responses by path prefix (no-store, CSP, frame refusal).
`civic_eventing.serve(..., internal=(host, port))` runs an app on both its public and its internal listener."""

import ipaddress
import json
import time
from collections import deque
from collections.abc import Iterable, Mapping, Sequence

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> list[Network]:
    """`10.0.0.0/8`, `192.0.2.7`, `::1` ... as networks (ValueError names a bad entry)."""
    return [ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip()]


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_address(connection: HTTPConnection, trusted_proxies: Sequence[Network] = ()) -> str:
    """The address that called: the peer, unless the peer is a trusted proxy, in which case the nearest
    `X-Forwarded-For` hop that is not itself a trusted proxy (read from the right, so a client cannot
    prepend a forged address). Without trusted proxies the header is ignored."""
    peer = connection.client.host if connection.client else ""
    address = _ip(peer)
    if address is None:
        return peer or "unknown"
    if not any(address in net for net in trusted_proxies):
        return str(address)
    hops = [h for h in ",".join(connection.headers.getlist("x-forwarded-for")).split(",") if h.strip()]
    for hop in reversed(hops):
        forwarded = _ip(hop)
        if forwarded is None:
            break
        address = forwarded
        if not any(forwarded in net for net in trusted_proxies):
            break
    return str(address)


def address_bucket(address: str) -> str:
    """The key a rate limit counts an address under: the address itself, or its /64 for IPv6 (one machine
    commonly holds a whole /64)."""
    ip = _ip(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else ip) if ip else address


class RateLimiter:
    """A sliding-window rate limit kept in memory. Per process: with N replicas a caller gets N times the
    budget (shared state belongs in the store when that matters, as for sign-in)."""

    def __init__(self, limit: int, window_seconds: float, *, max_keys: int = 50_000) -> None:
        self.limit = limit
        self.window = window_seconds
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}

    def hit(self, key: str, *, now: float | None = None) -> float | None:
        """Count an attempt; None when it is allowed, else the seconds until the next one is."""
        now = time.monotonic() if now is None else now
        if len(self._hits) > self.max_keys:
            self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - self.window}
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(1.0, hits[0] + self.window - now)
        hits.append(now)
        return None

    def reset(self, key: str) -> None:
        self._hits.pop(key, None)


def _matches(path: str, prefixes: Iterable[str]) -> bool:
    return any(path == p or path.startswith(p.rstrip("/") + "/") for p in prefixes)


class InternalOnly:
    """Answers 404 for `paths` unless the request came in on the internal listener (`internal_port`, the
    port of the socket that accepted the connection, which a caller cannot choose on the public one)."""

    def __init__(self, app: ASGIApp, *, paths: Sequence[str], internal_port: int | None) -> None:
        self.app = app
        self.paths = tuple(paths)
        self.internal_port = internal_port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _matches(scope["path"], self.paths):
            server = scope.get("server") or (None, None)
            if self.internal_port is None or server[1] != self.internal_port:
                body = json.dumps({"detail": "Not Found"}).encode()
                await send({"type": "http.response.start", "status": 404,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


class ResponseHeaders:
    """Adds headers (unless the response set them) to responses whose path starts with a rule's prefix;
    every matching rule applies, in order. `("", {...})` matches everything."""

    def __init__(self, app: ASGIApp, *, rules: Sequence[tuple[str, Mapping[str, str]]]) -> None:
        self.app = app
        self.rules = list(rules)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        wanted = [h for prefix, h in self.rules if not prefix or _matches(path, [prefix])]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start" and wanted:
                headers = MutableHeaders(scope=message)
                for group in wanted:
                    for name, value in group.items():
                        if name not in headers:
                            headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)
