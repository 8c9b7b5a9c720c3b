"""The plain HTML contact form (`GET /contact`, `POST /contact`). It submits through the same Open311 intake
as `POST /open311/v2/requests.json` (first-party, so no api_key in the page); errors come back on the form
with a summary, and success shows the Open311 reference.

Anti-automation without a puzzle (nothing to see, hear or solve, so nothing fails WCAG): a honeypot field
hidden from people and assistive technology, a signed start time that must be at least
`contact_min_fill_seconds` old, and a rate limit per address (`webform_guard`). A person caught by either
check gets the form back with what they wrote and a fresh start time, and simply sends it again."""

import logging
import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from connectors import contact_page
from connectors.formdata import FormError, parse_form
from connectors.open311 import Unavailable, submit
from connectors.platforms import webform
from connectors.webform_guard import HONEYPOT, STARTED

log = logging.getLogger(__name__)
router = APIRouter(tags=["web form"])
KEPT = ("service_code", "description", "address_string", "first_name", "last_name", "email", "phone")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


def _errors(values: dict[str, str], services: set[str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values.get("service_code") not in services:
        errors["service_code"] = "Choose what your message is about"
    if not values.get("description"):
        errors["description"] = "Enter your message"
    elif len(values["description"]) > webform.MAX_DESCRIPTION:
        errors["description"] = f"Your message must be {webform.MAX_DESCRIPTION} characters or fewer"
    if not values.get("address_string"):
        errors["address_string"] = "Enter where it is"
    if values.get("email") and not _EMAIL.match(values["email"]):
        errors["email"] = "Enter an email address in the correct format, like name@example.com"
    return errors


@router.get("/contact", response_class=HTMLResponse, summary="Contact form (HTML)")
async def show(request: Request) -> HTMLResponse:
    token = request.app.state.webform_guard.start_token()
    return HTMLResponse(contact_page.form_page(request.app.state.services, {}, {}, started=token))


@router.post("/contact", response_class=HTMLResponse, summary="Contact form submission (HTML)")
async def send(request: Request) -> HTMLResponse:
    services, guard = request.app.state.services, request.app.state.webform_guard
    if (wait := guard.throttled(request, guard.contact)) is not None:
        page = contact_page.too_many_page(int(wait) + 1)
        return HTMLResponse(page, status_code=429, headers={"Retry-After": str(int(wait) + 1)})
    try:
        form = parse_form(await request.body(), request.headers.get("content-type"))
    except FormError:
        form = None
    values = {k: (form.first(k) or "").strip() for k in KEPT} if form else {}
    errors = _errors(values, {s.code for s in services})
    if not errors and guard.automated({k: form.first(k) or "" for k in (HONEYPOT, STARTED)} if form else {}):
        log.info("contact form: submission from %s refused as automated", guard.address(request))
        errors = {"description": "We could not send your message yet. Check it, then select Send again."}
    if not errors:
        try:
            created = await submit(request.app, values)
        except webform.RequestError as exc:
            errors = {exc.field or "description": exc.description}
        except Unavailable:
            return HTMLResponse(contact_page.unavailable_page(), status_code=503)
        else:
            return HTMLResponse(contact_page.confirmation_page(created.service_request_id, created.service_name))
    return HTMLResponse(contact_page.form_page(services, values, errors, started=guard.start_token()), status_code=400)
