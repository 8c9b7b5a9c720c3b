"""One request-body limit for every Civic Inbox HTTP app: a pure ASGI middleware that refuses a body before
the app reads or parses any of it.

- `Content-Length` over the route's limit: 413 at once, nothing read.
- A body streamed without a length (chunked): bytes are counted as they arrive and the request is refused
  with 413 as soon as the count passes the limit; the app is never called.
- A body within the limit is held (it is at most the limit) and checked for shape before the app sees it:
  a form with more fields than `max_form_fields`, or JSON nested deeper than `max_json_depth` or with more
  than `max_json_items` values, is refused with 400. These checks run at C speed (byte counts, a regex and
  `bytes.translate`), so a hostile body costs little more than reading it.

Limits are per path prefix (the longest matching prefix wins), so a channel that legitimately needs more
(email with attachments) gets more without raising everyone's limit."""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

KIB = 1024
MIB = 1024 * KIB
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class BodyRefused(ValueError):
    """A body refused before the app saw it: `status` is 413 (too large) or 400 (shape)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass(frozen=True)
class BodyPolicy:
    """What a request body may be. `routes` maps a path prefix to its own byte limit."""

    max_bytes: int = 256 * KIB
    routes: Mapping[str, int] = field(default_factory=dict)
    max_form_fields: int = 256
    max_json_depth: int = 32
    max_json_items: int = 100_000

    def limit_for(self, path: str) -> int:
        best, limit = -1, self.max_bytes
        for prefix, value in self.routes.items():
            if (path == prefix or path.startswith(prefix.rstrip("/") + "/")) and len(prefix) > best:
                best, limit = len(prefix), value
        return limit


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def _boundary(content_type: str) -> bytes | None:
    match = re.search(r'boundary="?([^";]+)"?', content_type, re.IGNORECASE)
    return match.group(1).encode("latin-1", errors="replace") if match else None


def json_shape_error(body: bytes, *, max_depth: int, max_items: int) -> str | None:
    """Why a JSON body is refused (too deep, too many values), or None. Strings are stripped first, so
    brackets and commas inside them do not count."""
    bare = _STRING.sub(b'""', body)
    if bare.count(b",") + 1 > max_items:
        return f"JSON with more than {max_items} values"
    depth = 0
    for byte in bare.translate(None, _NOT_BRACKETS):
        if byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > max_depth:
                return f"JSON nested deeper than {max_depth} levels"
        else:
            depth -= 1
    return None


def shape_error(body: bytes, content_type: str | None, policy: BodyPolicy) -> str | None:
    """Why a body within the size limit is still refused (400), or None."""
    kind = media_type(content_type)
    if kind == "application/x-www-form-urlencoded":
        if body.count(b"&") + 1 > policy.max_form_fields:
            return f"a form with more than {policy.max_form_fields} fields"
    elif kind == "multipart/form-data":
        boundary = _boundary(content_type or "")
        if boundary and body.count(b"--" + boundary) - 1 > policy.max_form_fields:
            return f"a form with more than {policy.max_form_fields} parts"
    elif kind == "application/json" or kind.endswith("+json") or (not kind and body.lstrip()[:1] in (b"{", b"[")):
        return json_shape_error(body, max_depth=policy.max_json_depth, max_items=policy.max_json_items)
    return None


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or []:
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                raise BodyRefused(400, "Content-Length is not a number") from None
            if length < 0:
                raise BodyRefused(400, "Content-Length is negative")
            return length
    return None


def _content_type(scope: Scope) -> str | None:
    for name, value in scope.get("headers") or []:
        if name == b"content-type":
            return value.decode("latin-1")
    return None


async def _refuse(send: Send, exc: BodyRefused) -> None:
    body = json.dumps({"detail": exc.reason}).encode()
    await send({"type": "http.response.start", "status": exc.status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body})


class BodyLimits:
    """The ASGI middleware. Add it outermost (`app.add_middleware(BodyLimits, policy=...)`)."""

    def __init__(self, app: ASGIApp, *, policy: BodyPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.policy.limit_for(scope["path"])
        try:
            declared = _declared_length(scope)
            if declared is not None and declared > limit:
                raise BodyRefused(413, f"request body larger than {limit} bytes")
            body, disconnected = await self._read(receive, limit)
            if disconnected:
                return
            reason = shape_error(body, _content_type(scope), self.policy) if body else None
            if reason:
                raise BodyRefused(400, f"refused: {reason}")
        except BodyRefused as exc:
            await _refuse(send, exc)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _read(receive: Receive, limit: int) -> tuple[bytes, bool]:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"", True
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise BodyRefused(413, f"request body larger than {limit} bytes")
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), False
