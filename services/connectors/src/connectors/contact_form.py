"""The plain HTML contact form (`GET /contact`, `POST /contact`), in Welsh or English, the language chosen up front
(`?lang=cy` / `?lang=en`, else the browser's preference, else English) and carried on the message
(`InboundMessage.language`), so replies are in it. It submits through the same Open311 intake as
`POST /open311/v2/requests.json` (first-party, so no api_key in the page); errors come back on the form with a
summary, and success shows the Open311 reference.

Anti-automation without a puzzle (nothing to see, hear or solve, so nothing fails WCAG): a honeypot field
hidden from people and assistive technology, a signed start time that must be at least
`contact_min_fill_seconds` old, and a rate limit per address (`webform_guard`). A person caught by either
check gets the form back with what they wrote and a fresh start time, and simply sends it again."""

import logging
import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from connectors import contact_page
from connectors.contact_texts import chosen, service_name, text
from connectors.formdata import FormError, parse_form
from connectors.open311 import Unavailable, submit
from connectors.platforms import webform
from connectors.webform_guard import HONEYPOT, STARTED

log = logging.getLogger(__name__)
router = APIRouter(tags=["web form"])
KEPT = ("service_code", "description", "address_string", "first_name", "last_name", "email", "phone")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
FIELD_ERRORS = {"phone": "error_phone", "email": "error_email", "service_code": "error_service",
                "address_string": "error_address"}


def _errors(values: dict[str, str], services: set[str], language: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values.get("service_code") not in services:
        errors["service_code"] = text(language, "error_service")
    if not values.get("description"):
        errors["description"] = text(language, "error_description")
    elif len(values["description"]) > webform.MAX_DESCRIPTION:
        errors["description"] = text(language, "error_description_long", n=webform.MAX_DESCRIPTION)
    if not values.get("address_string"):
        errors["address_string"] = text(language, "error_address")
    if values.get("email") and not _EMAIL.match(values["email"]):
        errors["email"] = text(language, "error_email")
    return errors


def _refused(exc: webform.RequestError, language: str) -> dict[str, str]:
    """The intake's refusal as a message on the form: its own words in English, the field's message in Welsh."""
    field = exc.field or "description"
    if language == "en":
        return {field: exc.description}
    return {field: text(language, FIELD_ERRORS.get(field, "error_other"))}


def _language(request: Request, form_value: str | None = None) -> str:
    return chosen(form_value or request.query_params.get("lang"), request.headers.get("accept-language"))


@router.get("/contact", response_class=HTMLResponse, summary="Contact form (HTML), in Welsh or English (?lang=cy|en)")
async def show(request: Request) -> HTMLResponse:
    token = request.app.state.webform_guard.start_token()
    page = contact_page.form_page(request.app.state.services, {}, {}, started=token, language=_language(request))
    return HTMLResponse(page, headers={"content-language": _language(request), "vary": "accept-language"})


@router.post("/contact", response_class=HTMLResponse, summary="Contact form submission (HTML)")
async def send(request: Request) -> HTMLResponse:
    services, guard = request.app.state.services, request.app.state.webform_guard
    if (wait := guard.throttled(request, guard.contact)) is not None:
        page = contact_page.too_many_page(int(wait) + 1, _language(request))
        return HTMLResponse(page, status_code=429, headers={"Retry-After": str(int(wait) + 1)})
    try:
        form = parse_form(await request.body(), request.headers.get("content-type"))
    except FormError:
        form = None
    language = _language(request, form.first("lang") if form else None)
    values = {k: (form.first(k) or "").strip() for k in KEPT} if form else {}
    errors = _errors(values, {s.code for s in services}, language)
    if not errors and guard.automated({k: form.first(k) or "" for k in (HONEYPOT, STARTED)} if form else {}):
        log.info("contact form: submission from %s refused as automated", guard.address(request))
        errors = {"description": text(language, "error_automated")}
    if not errors:
        try:
            created = await submit(request.app, values, language=language)
        except webform.RequestError as exc:
            errors = _refused(exc, language)
        except Unavailable:
            return HTMLResponse(contact_page.unavailable_page(language), status_code=503)
        else:
            shown = service_name(language, created.service_code, created.service_name)
            return HTMLResponse(contact_page.confirmation_page(created.service_request_id, shown, language))
    page = contact_page.form_page(services, values, errors, started=guard.start_token(), language=language)
    return HTMLResponse(page, status_code=400)
