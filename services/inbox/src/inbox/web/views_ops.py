"""Ops: channel health per account (connectors' `GET /api/channel-health` and `channel.health.v1`),
consumer lag per group, and dead letters (`deadletter.v1`) with their reasons, trace links and a replay."""

import base64
import binascii
import contextlib
import logging
from datetime import datetime

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from civic_contracts import TOPICS
from civic_contracts.deadletter import DeadLetter
from civic_contracts.outbound import ChannelHealth
from civic_contracts.topics import DEAD_LETTER
from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import ValidationError

from inbox.auth.principal import Principal
from inbox.web import csrf, kafka_tools, render, traces
from inbox.web.session import WebPrincipal, error_page, wants_json

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)


def trace_id(headers: dict[str, str]) -> str | None:
    parts = (headers.get("traceparent") or "").split("-")
    return parts[1] if len(parts) == 4 and len(parts[1]) == 32 and parts[1] != "0" * 32 else None


async def channel_health(request: Request) -> tuple[list[dict], str | None]:
    """Every account's latest health: from the connectors' endpoint, and from Kafka, newest wins."""
    merged: dict[tuple[str, str], dict] = {}
    live = getattr(request.app.state, "live", None)
    for key, body in (live.health.items() if live else ()):
        merged[key] = {**body, "source": "Kafka"}
    problem = None
    url = request.app.state.web_settings.connectors_url.rstrip("/") + "/api/channel-health"
    try:
        async with httpx.AsyncClient(timeout=2.0) as client:
            response = await client.get(url)
            response.raise_for_status()
            for body in response.json():
                key = (str(body.get("channel")), str(body.get("account_id")))
                if key not in merged or str(body.get("at", "")) >= str(merged[key].get("at", "")):
                    merged[key] = {**body, "source": "connectors"}
    except (httpx.HTTPError, ValueError) as exc:
        problem = f"{url} did not answer ({type(exc).__name__}); showing what Kafka reported."
    rows = []
    for body in merged.values():
        try:
            health = ChannelHealth.model_validate({k: v for k, v in body.items() if k != "source"})
        except ValidationError:
            continue
        rows.append({**health.model_dump(), "source": body["source"],
                     "healthy": not health.credentials_rejected and not health.consecutive_failures and not health.silent})
    rows.sort(key=lambda h: (h["healthy"], h["channel"].value, h["account_id"]))
    return rows, problem


async def dead_letters(request: Request, *, service: str | None, limit: int = 100) -> list[dict]:
    settings, bootstrap = request.app.state.web_settings, request.app.state.settings.kafka_bootstrap_servers
    records = await kafka_tools.tail(bootstrap, DEAD_LETTER.name, per_partition=settings.deadletter_tail)
    letters = []
    for record in records:
        try:
            letter = DeadLetter.model_validate_json(record.value or b"")
        except ValidationError:
            continue
        if service and letter.service != service:
            continue
        letters.append({"letter": letter, "partition": record.partition, "offset": record.offset,
                        "trace_id": trace_id(letter.headers), "replayable": letter.source in TOPICS})
    letters.sort(key=lambda d: d["letter"].failed_at, reverse=True)
    return letters[:limit]


def ops_only(request: Request, principal: Principal) -> Response | None:
    return None if principal.privileged else error_page(request, principal, 403, "Ops pages are for supervisors and admins.")


@router.get("/ops")
async def ops(request: Request, principal: WebPrincipal, service: str | None = None, limit: int = 25) -> Response:
    if (refused := ops_only(request, principal)) is not None:
        return refused
    bootstrap = request.app.state.settings.kafka_bootstrap_servers
    health, health_problem = await channel_health(request)
    problems = {}
    try:
        lags = await kafka_tools.consumer_lag(bootstrap)
    except Exception as exc:  # noqa: BLE001 - shown on the page
        lags, problems["lag"] = [], f"Consumer lag could not be read: {type(exc).__name__}: {exc}"
    try:
        letters = await dead_letters(request, service=(service or None) and service[:64], limit=max(1, min(limit, 400)))
    except Exception as exc:  # noqa: BLE001 - shown on the page
        letters, problems["dead"] = [], f"Dead letters could not be read: {type(exc).__name__}: {exc}"
    services = sorted({d["letter"].service for d in letters} | ({service} if service else set()))
    live = request.app.state.live
    return render.render(
        request, "ops.html", principal=principal, title="Ops", health=health, health_problem=health_problem,
        lags=lags[:40], lag_groups=len({entry.group for entry in lags}), letters=letters, problems=problems,
        service=service or "", services=services, limit=max(1, min(limit, 400)), trace_url=traces.link_template(request.app.state.web_settings, principal),
        live_state="following" if live and live.ready.is_set() and not live.last_error else (live and live.last_error) or "off",
        index=request.app.state.inbox_index,
    )


async def read_one(bootstrap: str, partition: int, offset: int) -> bytes | None:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                                client_id="inbox-web-replay")
    await consumer.start()
    try:
        tp = TopicPartition(DEAD_LETTER.name, partition)
        consumer.assign([tp])
        consumer.seek(tp, offset)
        batch = await consumer.getmany(tp, timeout_ms=5000, max_records=1)
        records = batch.get(tp) or []
        return records[0].value if records and records[0].offset == offset else None
    finally:
        with contextlib.suppress(Exception):
            await consumer.stop()


@router.post("/ops/dead-letters/replay")
async def replay(request: Request, principal: WebPrincipal) -> Response:
    """Publish a dead letter's original bytes again to the topic it came from (admins)."""
    form = await csrf.read_form(request)
    try:
        csrf.check(request, form)
        if principal.role != "admin":
            raise HTTPException(403, "Only an admin replays dead letters.")
        partition, offset = int(form.get("partition", "")), int(form.get("offset", ""))
    except ValueError:
        return error_page(request, principal, 422, "Which dead letter? The form is incomplete.")
    except HTTPException as exc:
        return error_page(request, principal, exc.status_code, str(exc.detail))
    bootstrap = request.app.state.settings.kafka_bootstrap_servers
    raw = await read_one(bootstrap, partition, offset)
    try:
        letter = DeadLetter.model_validate_json(raw or b"")
    except ValidationError:
        return error_page(request, principal, 404, "That dead letter is no longer on the topic.")
    if letter.source not in TOPICS:
        return error_page(request, principal, 409, f"It came from {letter.source}, not from a Kafka topic: nothing to replay into.")
    try:
        payload = base64.b64decode(letter.payload) if letter.payload_encoding == "base64" else letter.payload.encode()
    except (binascii.Error, ValueError):
        return error_page(request, principal, 422, "The dead letter's payload could not be decoded.")
    headers = [(k, v.encode()) for k, v in letter.headers.items() if k in ("traceparent", "tracestate")]
    headers += [("civic-replay-of", letter.id.encode()), ("civic-replayed-by", principal.user_id.encode()),
                ("civic-replayed-at", datetime.now().astimezone().isoformat().encode())]
    await kafka_tools.republish(bootstrap, letter.source, key=letter.key.encode() if letter.key else None,
                                value=payload, headers=headers)
    log.info("dead letter %s replayed to %s by %s", letter.id, letter.source, principal.user_id)
    if wants_json(request):
        return Response('{"ok": true, "message": "Replayed."}', media_type="application/json", status_code=202)
    return render.render(request, "done.html", principal=principal, title="Dead letter replayed",
                         message=f"The original record was published again to {letter.source}.", back="/ops")
