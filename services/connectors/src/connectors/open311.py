"""Open311 GeoReport v2, complete, in XML (the standard's required format) and JSON, and the intake shared
with the HTML contact form.

`GET /open311/discovery.{fmt}`; under `/open311/v2`: `GET services.{fmt}`, `GET services/{code}.{fmt}` (service
definitions), `POST requests.{fmt}` (api_key required; `description` optional; `attribute[CODE]`),
`GET requests.{fmt}` (filters `service_request_id`, `service_code`, `start_date`, `end_date`, `status`),
`GET requests/{id}.{fmt}`, `GET tokens/{token}.{fmt}` (every service is `realtime`: no token is ever issued).
`jurisdiction_id` is optional (one jurisdiction is served) and, when given, must be ours (else 404). Errors are
the standard's `<errors><error>` (or `[{"code","description"}]`), in the format asked for.

A request's `status` follows its conversation (`open311_status.py`): resolved or closed -> `closed`, with the
organisation's public reply as `status_notes`. The same submission sent again (same fields, same day) gets the
same id and publishes the same message id, so a client retry makes one case."""

import dataclasses
import hmac
import json
import logging
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request, Response

from connectors import open311_render as render
from connectors import webform_guard
from connectors.formdata import FormError, parse_form
from connectors.open311_render import Repeated
from connectors.platforms import webform
from connectors.platforms.webform_attributes import attribute_fields
from connectors.publishing import PublishFailed

log = logging.getLogger(__name__)
router = APIRouter(prefix="/open311", tags=["open311"])
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-04T00:00:00Z"  # when the shape of these endpoints last changed
MAX_SPAN = timedelta(days=90)
MAX_RESULTS = 1000
NOTICE = "Thank you. Your report has been received; quote this reference if you contact us about it."


class Unavailable(RuntimeError):
    """Storage or Kafka did not take the request; the client should retry."""


async def submit(app, fields: dict[str, str], attributes: dict[str, list[str]] | None = None, *,
                 language: str | None = None) -> webform.ServiceRequest:
    """Validates, stores and publishes one submission. Raises RequestError (the submitter's fault) or
    Unavailable (ours: retry). `attributes`: see `webform.validate`; `language`: the one the citizen chose (the
    contact form's Welsh or English), carried on the message."""
    settings = app.state.settings
    webform_guard.check_fields(fields)
    request = webform.validate(fields, {s.code: s for s in app.state.services}, attributes=attributes)
    request = dataclasses.replace(request, service_request_id=app.state.webform_guard.reference(request))
    kept = {k: v for k, v in fields.items() if k != "api_key"}
    if attributes:
        kept["attributes"] = attributes
    raw = json.dumps(kept, ensure_ascii=False, sort_keys=True)
    try:
        stores = app.state.stores
        if not await stores.requests.save(request):  # a repeat: published again, same id and same time
            stored = await stores.requests.get(request.service_request_id)
            request = dataclasses.replace(request, requested_datetime=stored["requested_datetime"])
        message = webform.to_message(request, settings.open311_jurisdiction_id, raw=raw, language=language)
        await app.state.publisher.messages([message])
    except PublishFailed as exc:
        raise Unavailable(str(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - storage down: the client retries
        raise Unavailable(f"{type(exc).__name__}: {exc}") from exc
    app.state.health.event(message.channel, message.account_id)
    return request


def _format(fmt: str) -> str | None:
    return fmt if fmt in render.FORMATS else None


def _bad_format(fmt: str) -> Response:
    return render.errors("xml", 404, f"unknown format {fmt[:16]!r}: use .xml or .json")


def _jurisdiction_refused(request: Request, fmt: str, given: str | None) -> Response | None:
    ours = request.app.state.settings.open311_jurisdiction_id
    if given and given != ours:
        return render.errors(fmt, 404, "jurisdiction_id provided was not found")
    return None


def _key_valid(request: Request, given: str | None) -> bool:
    keys = [k.get_secret_value() for k in request.app.state.settings.open311_api_keys]
    return bool(given) and any(hmac.compare_digest(given.encode(), k.encode()) for k in keys)


@router.get("/discovery.{fmt}", summary="Open311 service discovery")
async def discovery(request: Request, fmt: str) -> Response:
    if not _format(fmt):
        return _bad_format(fmt)
    settings = request.app.state.settings
    base = (settings.public_base_url or str(request.base_url)).rstrip("/")
    return render.document(fmt, "discovery", {
        "changeset": CHANGESET, "contact": settings.open311_contact, "key_service": settings.open311_key_service,
        "endpoints": Repeated("endpoint", [{
            "specification": SPECIFICATION, "url": f"{base}/open311/v2", "changeset": CHANGESET,
            "type": settings.open311_endpoint_type,
            "formats": Repeated("format", ["text/xml", "application/json"]),
        }]),
    })


@router.get("/v2/services.{fmt}", summary="Open311: service list (the taxonomy's departments)")
async def services(request: Request, fmt: str, jurisdiction_id: str | None = None) -> Response:
    if not _format(fmt):
        return _bad_format(fmt)
    if refused := _jurisdiction_refused(request, fmt, jurisdiction_id):
        return refused
    if not request.app.state.services:
        return render.errors(fmt, 503, "no services configured")
    return render.document(fmt, "services", Repeated("service", [s.as_open311() for s in request.app.state.services]))


@router.get("/v2/services/{service_code}.{fmt}", summary="Open311: service definition (its attributes)")
async def definition(request: Request, service_code: str, fmt: str, jurisdiction_id: str | None = None) -> Response:
    if not _format(fmt):
        return _bad_format(fmt)
    if refused := _jurisdiction_refused(request, fmt, jurisdiction_id):
        return refused
    service = {s.code: s for s in request.app.state.services}.get(service_code)
    if service is None:
        return render.errors(fmt, 404, "service_code provided was not found")
    body = service.definition()
    return render.document(fmt, "service_definition", {
        "service_code": body["service_code"],
        "attributes": Repeated("attribute", [{**a, "values": Repeated("value", a["values"])} for a in body["attributes"]]),
    })


@router.post("/v2/requests.{fmt}", summary="Open311: create a service request")
async def create_request(request: Request, fmt: str) -> Response:
    if not _format(fmt):
        return _bad_format(fmt)
    guard = request.app.state.webform_guard
    if (wait := guard.throttled(request, guard.open311)) is not None:
        limited = render.errors(fmt, 429, "too many requests from this address; retry later")
        limited.headers["Retry-After"] = str(int(wait) + 1)
        return limited
    try:
        form = parse_form(await request.body(), request.headers.get("content-type"))
    except FormError as exc:
        return render.errors(fmt, 400, str(exc))
    fields = {k: v[0] for k, v in form.fields.items() if v}
    if not _key_valid(request, fields.get("api_key")):
        return render.errors(fmt, 403, "api_key is missing or invalid")
    if refused := _jurisdiction_refused(request, fmt, fields.get("jurisdiction_id")):
        return refused
    try:
        created = await submit(request.app, fields, attribute_fields(form.fields))
    except webform.RequestError as exc:
        return render.errors(fmt, exc.status, exc.description)
    except Unavailable as exc:
        log.error("open311: request not taken, client must retry: %s", exc)
        return render.errors(fmt, 503, "temporarily unavailable, please retry")
    return render.document(fmt, "service_requests", Repeated("request", [
        {"service_request_id": created.service_request_id, "service_notice": NOTICE, "account_id": None}]))


def _as_open311(request: Request, doc: dict) -> dict:
    names = {s.code: s.name for s in request.app.state.services}
    department = doc.get("department")
    return {
        "service_request_id": doc["_id"], "status": doc["status"], "status_notes": doc.get("status_notes"),
        "service_name": doc["service_name"], "service_code": doc["service_code"],
        "description": doc.get("description") or None,
        "agency_responsible": names.get(department, department) if department else None,
        "service_notice": None, "requested_datetime": doc["requested_datetime"].astimezone(UTC),
        "updated_datetime": doc["updated_datetime"].astimezone(UTC), "expected_datetime": None,
        "address": doc.get("address_string"), "address_id": doc.get("address_id"), "zipcode": None,
        "lat": doc.get("lat"), "long": doc.get("long"), "media_url": doc.get("media_url"),
    }


def _when(value: str | None, name: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ValueError(f"{name} must be a W3C date and time with a time zone, e.g. 2026-11-20T09:00:00Z")
    return parsed.astimezone(UTC)


def _list(value: str | None, limit: int = 100) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()][:limit]


def _window(start_date: str | None, end_date: str | None, now: datetime) -> tuple[datetime, datetime]:
    end = _when(end_date, "end_date") if end_date else None
    start = _when(start_date, "start_date") if start_date else None
    end = end or (start + MAX_SPAN if start else now)
    start = start or end - MAX_SPAN
    if start > end:
        raise ValueError("start_date must be before end_date")
    if end - start > MAX_SPAN:
        raise ValueError("start_date and end_date must be at most 90 days apart")
    return start, end


@router.get("/v2/requests.{fmt}", summary="Open311: service requests (by id, or filtered)")
async def list_requests(request: Request, fmt: str, service_request_id: str | None = None,
                        service_code: str | None = None, start_date: str | None = None, end_date: str | None = None,
                        status: str | None = None, jurisdiction_id: str | None = None,
                        api_key: str | None = None) -> Response:
    if not _format(fmt):
        return _bad_format(fmt)
    if refused := _jurisdiction_refused(request, fmt, jurisdiction_id):
        return refused
    ids = _list(service_request_id)
    statuses = _list(status)
    if any(s not in ("open", "closed") for s in statuses):
        return render.errors(fmt, 400, "status must be open or closed (comma separated)")
    if not ids and not request.app.state.settings.open311_public_list and not _key_valid(request, api_key):
        return render.errors(fmt, 403, "listing requests needs an api_key (or ask by service_request_id)")
    try:
        start, end = _window(start_date, end_date, datetime.now(UTC))
        docs = await request.app.state.stores.requests.find(
            ids=[i for i in ids if len(i) <= 64], codes=_list(service_code), statuses=statuses, start=start, end=end,
            limit=MAX_RESULTS)
    except ValueError as exc:
        return render.errors(fmt, 400, str(exc))
    except Exception as exc:  # noqa: BLE001
        log.error("open311: request store unavailable: %s", exc)
        return render.errors(fmt, 503, "temporarily unavailable, please retry")
    return render.document(fmt, "service_requests", Repeated("request", [_as_open311(request, d) for d in docs]))


@router.get("/v2/requests/{service_request_id}.{fmt}", summary="Open311: one service request and its status")
async def get_request(request: Request, service_request_id: str, fmt: str, jurisdiction_id: str | None = None) -> Response:
    if not _format(fmt):
        return _bad_format(fmt)
    if refused := _jurisdiction_refused(request, fmt, jurisdiction_id):
        return refused
    if len(service_request_id) > 64:
        return render.errors(fmt, 404, "service_request_id provided was not found")
    try:
        doc = await request.app.state.stores.requests.get(service_request_id)
    except Exception as exc:  # noqa: BLE001
        log.error("open311: request store unavailable: %s", exc)
        return render.errors(fmt, 503, "temporarily unavailable, please retry")
    if doc is None:
        return render.errors(fmt, 404, "service_request_id provided was not found")
    return render.document(fmt, "service_requests", Repeated("request", [_as_open311(request, doc)]))


@router.get("/v2/tokens/{token}.{fmt}", summary="Open311: request id of a token (never issued: every service is realtime)")
async def token(request: Request, token: str, fmt: str, jurisdiction_id: str | None = None) -> Response:
    if not _format(fmt):
        return _bad_format(fmt)
    if refused := _jurisdiction_refused(request, fmt, jurisdiction_id):
        return refused
    return render.errors(fmt, 404, "token provided was not found (every service here is realtime)")
