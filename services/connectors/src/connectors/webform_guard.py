"""What guards the public web-form entry points (the contact form and Open311 `POST /requests`), apart from
the body limit every route has:

- bounded fields: every field a citizen controls has a maximum length, `media_url` must be an http(s) URL and
  `phone` looks like a phone number; a submission over a bound is refused with the field named;
- a rate limit per client address (per process), separately for the contact form and Open311;
- the contact form's anti-automation, with nothing to solve: a honeypot field people never see, and a signed
  start time, so a form sent back sooner than a person could fill it, or never shown by us, is refused;
- unguessable Open311 references: an HMAC of the submission under the server's key (`form_key`), so a client
  retrying the same submission the same day still gets the same reference, and knowing a submission is not
  enough to compute it.
"""

import base64
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass, fields

from civic_eventing.http_edge import RateLimiter, address_bucket, client_address, parse_networks
from fastapi import Request

from connectors.config import Settings
from connectors.platforms import webform

HONEYPOT = "website"
STARTED = "form_started"
FIELD_LIMITS = {
    "service_code": 64, "lat": 32, "long": 32, "address_string": 500, "address_id": 128, "email": 254,
    "device_id": 128, "account_id": 128, "first_name": 100, "last_name": 100, "phone": 32,
    "description": webform.MAX_DESCRIPTION, "media_url": 2048, "api_key": 256, "jurisdiction_id": 64,
}
OTHER_FIELD_LIMIT = 500  # attribute[CODE] values and anything else
_PHONE = re.compile(r"[0-9+()./ -]{3,32}")
_URL = re.compile(r"https?://[^\s<>\"'`\\]{1,2040}", re.IGNORECASE)


def check_fields(values: dict[str, str]) -> None:
    """Raises webform.RequestError (400, naming the field) for a value over its bound or of the wrong shape."""
    for name, value in values.items():
        limit = FIELD_LIMITS.get(name, OTHER_FIELD_LIMIT)
        if len(name) > 64:
            raise webform.RequestError(400, "a field name is longer than 64 characters", None)
        if value is not None and len(value.strip()) > limit:
            raise webform.RequestError(400, f"{name} must be at most {limit} characters", name)
    media = (values.get("media_url") or "").strip()
    if media and not _URL.fullmatch(media):
        raise webform.RequestError(400, "media_url must be an http or https URL", "media_url")
    phone = (values.get("phone") or "").strip()
    if phone and not _PHONE.fullmatch(phone):
        raise webform.RequestError(400, "phone may contain only digits, spaces and + ( ) - . /", "phone")


@dataclass
class WebformGuard:
    """Per-process state: the rate limiters and the key (from settings, else random per process)."""

    key: bytes
    contact: RateLimiter
    open311: RateLimiter
    settings: Settings

    @classmethod
    def create(cls, settings: Settings) -> "WebformGuard":
        parse_networks(settings.trusted_proxies)  # a bad entry stops start-up, not a request
        key = settings.form_key.get_secret_value().encode() if settings.form_key else secrets.token_bytes(32)
        return cls(key=key, settings=settings,
                   contact=RateLimiter(settings.webform_posts_per_address, settings.webform_window_seconds),
                   open311=RateLimiter(settings.open311_posts_per_address, settings.webform_window_seconds))

    def address(self, request: Request) -> str:
        return client_address(request, parse_networks(self.settings.trusted_proxies))

    def throttled(self, request: Request, limiter: RateLimiter) -> float | None:
        """Seconds to wait when this address has sent too much, else None (and the attempt is counted)."""
        return limiter.hit(address_bucket(self.address(request)))

    # The contact form's start time, signed so that it cannot be made up.

    def _mac(self, message: str) -> str:
        return base64.urlsafe_b64encode(hmac.new(self.key, message.encode(), hashlib.sha256).digest()[:18]).decode()

    def start_token(self, now: float | None = None) -> str:
        issued = str(int(now if now is not None else time.time()))
        return f"{issued}.{self._mac('contact-form:' + issued)}"

    def automated(self, values: dict[str, str], now: float | None = None) -> bool:
        """True when the submission was not filled in by a person on our form: the honeypot holds text, or
        the start time is missing, forged, too recent or too old."""
        if values.get(HONEYPOT, "").strip():
            return True
        issued, _, mac = (values.get(STARTED) or "").partition(".")
        if not issued.isdigit() or not hmac.compare_digest(mac.encode(), self._mac("contact-form:" + issued).encode()):
            return True
        age = (now if now is not None else time.time()) - int(issued)
        return not self.settings.contact_min_fill_seconds <= age <= self.settings.contact_max_fill_seconds

    def reference(self, request: webform.ServiceRequest) -> str:
        """The Open311 reference of a submission: the same for the same fields on the same day (a client retry),
        unguessable without the key."""
        parts = [request.requested_datetime.date().isoformat()]
        parts += [f.name + "=" + str(getattr(request, f.name) or "") for f in fields(request)
                  if f.name not in ("service_request_id", "requested_datetime")]
        digest = hmac.new(self.key, "\n".join(parts).encode(), hashlib.sha256).digest()
        return "WF-" + base64.b32encode(digest[:10]).decode()
