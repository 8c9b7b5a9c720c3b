"""Open311 GeoReport v2 routes (JSON format) and the intake shared with the HTML contact form.

`GET /open311/v2/services.json`, `POST /open311/v2/requests.json` (api_key required),
`GET /open311/v2/requests/{id}.json`. A request is stored, then published as a message; the same submission
sent again (same fields, same day) gets the same id and publishes the same message id, so a client retry
makes one case."""

import dataclasses
import hmac
import json
import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from connectors import webform_guard
from connectors.formdata import FormError, parse_form
from connectors.platforms import webform
from connectors.publishing import PublishFailed

log = logging.getLogger(__name__)
router = APIRouter(prefix="/open311/v2", tags=["open311"])


class Unavailable(RuntimeError):
    """Storage or Kafka did not take the request; the client should retry."""


def _error(status: int, description: str) -> JSONResponse:
    return JSONResponse([{"code": status, "description": description}], status_code=status)


async def submit(app, fields: dict[str, str]) -> webform.ServiceRequest:
    """Validates, stores and publishes one submission. Raises RequestError (the submitter's fault) or
    Unavailable (ours: retry)."""
    settings = app.state.settings
    webform_guard.check_fields(fields)
    request = webform.validate(fields, {s.code: s for s in app.state.services})
    request = dataclasses.replace(request, service_request_id=app.state.webform_guard.reference(request))
    raw = json.dumps({k: v for k, v in fields.items() if k != "api_key"}, ensure_ascii=False, sort_keys=True)
    try:
        stores = app.state.stores
        if not await stores.requests.save(request):  # a repeat: published again, same id and same time
            stored = await stores.requests.get(request.service_request_id)
            request = dataclasses.replace(request, requested_datetime=stored["requested_datetime"])
        message = webform.to_message(request, settings.open311_jurisdiction_id, raw=raw)
        await app.state.publisher.messages([message])
    except PublishFailed as exc:
        raise Unavailable(str(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - storage down: the client retries
        raise Unavailable(f"{type(exc).__name__}: {exc}") from exc
    app.state.health.event(message.channel, message.account_id)
    return request


@router.get("/services.json", summary="Open311 service list (the taxonomy's departments)")
async def services(request: Request) -> JSONResponse:
    if not request.app.state.services:
        return _error(503, "no services configured")
    return JSONResponse([s.as_open311() for s in request.app.state.services])


@router.post("/requests.json", summary="Open311: create a service request")
async def create_request(request: Request) -> JSONResponse:
    guard = request.app.state.webform_guard
    if (wait := guard.throttled(request, guard.open311)) is not None:
        return JSONResponse([{"code": 429, "description": "too many requests from this address; retry later"}],
                            status_code=429, headers={"Retry-After": str(int(wait) + 1)})
    try:
        form = parse_form(await request.body(), request.headers.get("content-type"))
    except FormError as exc:
        return _error(400, str(exc))
    fields = {k: v[0] for k, v in form.fields.items() if v}
    keys = [k.get_secret_value() for k in request.app.state.settings.open311_api_keys]
    given = fields.get("api_key", "")
    if not given or not any(hmac.compare_digest(given.encode(), k.encode()) for k in keys):
        return _error(403, "api_key is missing or invalid")
    try:
        created = await submit(request.app, fields)
    except webform.RequestError as exc:
        return JSONResponse(exc.as_open311(), status_code=exc.status)
    except Unavailable as exc:
        log.error("open311: request not taken, client must retry: %s", exc)
        return _error(503, "temporarily unavailable, please retry")
    notice = "Thank you. Your report has been received; quote this reference if you contact us about it."
    return JSONResponse([{"service_request_id": created.service_request_id, "service_notice": notice,
                          "account_id": None}])


@router.get("/requests/{service_request_id}.json", summary="Open311: one service request and its status")
async def get_request(request: Request, service_request_id: str) -> JSONResponse:
    if len(service_request_id) > 64:
        return _error(404, "unknown service_request_id")
    try:
        doc = await request.app.state.stores.requests.get(service_request_id)
    except Exception as exc:  # noqa: BLE001
        log.error("open311: request store unavailable: %s", exc)
        return _error(503, "temporarily unavailable, please retry")
    if doc is None:
        return _error(404, f"unknown service_request_id {service_request_id!r}")
    return JSONResponse([{
        "service_request_id": doc["_id"], "status": doc["status"], "status_notes": doc.get("status_notes"),
        "service_name": doc["service_name"], "service_code": doc["service_code"], "description": doc["description"],
        "agency_responsible": request.app.state.settings.open311_jurisdiction_id, "service_notice": None,
        "requested_datetime": doc["requested_datetime"].isoformat(),
        "updated_datetime": doc["updated_datetime"].isoformat(), "expected_datetime": None,
        "address": doc.get("address_string"), "address_id": doc.get("address_id"), "zipcode": None,
        "lat": doc.get("lat"), "long": doc.get("long"), "media_url": doc.get("media_url"),
    }])
