"""The operations endpoints every service serves: `/healthz` and `/metrics`."""

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from civic_eventing.broker import BrokerKeeper

Check = Callable[[], Awaitable[str | None]]


def ops_router(*, keeper: BrokerKeeper, registry: CollectorRegistry, checks: dict[str, Check] | None = None) -> APIRouter:
    """`/healthz` answers 200 when Kafka is connected (and the producer sending) and every extra check returns None (healthy), else 503
    with what is wrong; `/metrics` serves the service's Prometheus registry."""
    router = APIRouter(tags=["ops"])

    @router.get("/healthz", summary="Health: Kafka connected and dependencies answering")
    async def healthz(response: Response) -> dict:
        problems: dict[str, str] = {}
        if (kafka := keeper.problem) is not None:
            problems["kafka"] = kafka
        for name, check in (checks or {}).items():
            try:
                if (problem := await check()) is not None:
                    problems[name] = problem
            except Exception as exc:  # noqa: BLE001 - a failing check is a finding, not a crash
                problems[name] = f"{type(exc).__name__}: {exc}"
        if problems:
            response.status_code = 503
            return {"status": "degraded", "problems": problems}
        return {"status": "ok"}

    @router.get("/metrics", summary="Prometheus metrics")
    async def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return router
