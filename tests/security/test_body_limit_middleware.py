"""The body-limit middleware on its own: a refused body never reaches the app, an accepted one reaches it whole,
and per-route limits pick the longest matching prefix."""

from civic_eventing.http_limits import BodyLimits, BodyPolicy, json_shape_error
from security_support import client_for


def streamed(body: bytes, size: int):
    async def chunks():
        for start in range(0, len(body), size):
            yield body[start:start + size]
    return chunks()


async def test_the_middleware_never_calls_the_app_for_a_refused_body() -> None:
    calls = []

    async def app(scope, receive, send):
        calls.append(await receive())
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    limited = BodyLimits(app, policy=BodyPolicy(max_bytes=10, routes={"/big": 100}))
    async with client_for(limited) as c:
        assert (await c.post("/small", content=b"x" * 11)).status_code == 413
        assert (await c.post("/small", content=streamed(b"x" * 11, 4))).status_code == 413
        assert calls == []
        assert (await c.post("/big", content=b"x" * 11)).status_code == 200
        assert (await c.post("/small", content=b"x" * 10)).status_code == 200
    assert [m["body"] for m in calls] == [b"x" * 11, b"x" * 10]


def test_limits_pick_the_longest_matching_prefix() -> None:
    policy = BodyPolicy(max_bytes=1, routes={"/webhooks": 10, "/webhooks/email": 100})
    assert [policy.limit_for(p) for p in ("/webhooks/email", "/webhooks/email/x", "/webhooks/emailx", "/webhooks/x", "/other")] \
        == [100, 100, 10, 10, 1]


def test_json_shape_ignores_brackets_inside_strings() -> None:
    assert json_shape_error(b'{"a": "[[[[[[[[[[", "b": "\\"["}', max_depth=2, max_items=10) is None
    assert json_shape_error(b"[[[1]]]", max_depth=2, max_items=10) == "JSON nested deeper than 2 levels"
    assert json_shape_error(b"[" + b"1," * 20 + b"1]", max_depth=2, max_items=10) == "JSON with more than 10 values"
