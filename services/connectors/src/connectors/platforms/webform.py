"""Web forms through Open311 GeoReport v2: the service list, request validation and mapping.

Reference: PLATFORMS.md section 6. The services are the departments of the organisation's taxonomy, read
from its YAML file (path from settings; by default the file triage ships, located on disk without importing
triage), so the form's categories and triage's departments never drift apart and nothing is copied by hand.
Their extra questions (Open311 service definitions: `attribute[CODE]`) are in `open311_definitions.yaml`
(staff-editable, path from settings). A request id is derived from the submission and its day, so a client
retrying the same submission gets the same id (and the same message downstream) instead of a second case.
"""

import dataclasses
import functools
import hashlib
import importlib.util
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml
from civic_contracts import Attachment, Author, Channel, InboundMessage, MessageKind

from connectors.platforms.webform_attributes import Attribute, InvalidAttribute, check_attributes, load_definitions

MAX_DESCRIPTION = 4000
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
FIELDS = ("service_code", "lat", "long", "address_string", "address_id", "email", "device_id", "account_id",
          "first_name", "last_name", "phone", "description", "media_url")


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    description: str
    keywords: tuple[str, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    group: str = "council"

    def as_open311(self) -> dict:
        return {"service_code": self.code, "service_name": self.name, "description": self.description,
                "metadata": bool(self.attributes), "type": "realtime", "keywords": ", ".join(self.keywords[:8]),
                "group": self.group}

    def definition(self) -> dict:
        """The Open311 service definition: its attributes, in order."""
        return {"service_code": self.code,
                "attributes": [a.as_open311() for a in sorted(self.attributes, key=lambda a: a.order)]}


class RequestError(ValueError):
    """A submission Open311 refuses: `status` is the HTTP status, `code` the error code in the body."""

    def __init__(self, status: int, description: str, field: str | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.field = status, description, field

    def as_open311(self) -> list[dict]:
        return [{"code": self.status, "description": self.description}]


def shipped_taxonomy() -> Path | None:
    """The taxonomy YAML installed with triage, found as a file (triage's code is not imported or run)."""
    spec = importlib.util.find_spec("triage")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / "taxonomy" / "default.yaml"
        if candidate.is_file():
            return candidate
    return None


def load_services(path: Path | None, definitions: Path | None = None) -> list[Service]:
    """Open311 services: one per taxonomy department, with the attributes `definitions` gives it (default: the
    file shipped with the connectors). Raises ValueError naming the file when unreadable."""
    path = path or shipped_taxonomy()
    if path is None:
        raise ValueError("no taxonomy file: set CONNECTORS_OPEN311_TAXONOMY_PATH")
    services = _read_services(Path(path), Path(path).stat().st_mtime_ns if Path(path).exists() else 0)
    extra = load_definitions(definitions)
    return [dataclasses.replace(s, attributes=extra.get(s.code, ())) for s in services]


@functools.lru_cache(maxsize=8)
def _read_services(path: Path, _mtime: int) -> tuple[Service, ...]:
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        departments = document["departments"]
        return tuple(Service(str(d["id"]), str(d["name"]), str(d.get("description", "")),
                             tuple(str(k) for k in d.get("keywords", []))) for d in departments)
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ValueError(f"taxonomy {path} could not be read as Open311 services: {exc}") from exc


@dataclass(frozen=True)
class ServiceRequest:
    service_request_id: str
    service_code: str
    service_name: str
    description: str
    requested_datetime: datetime
    lat: float | None = None
    long: float | None = None
    address_string: str | None = None
    address_id: str | None = None
    email: str | None = None
    phone: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    device_id: str | None = None
    account_id: str | None = None
    media_url: str | None = None
    attributes: dict | None = None
    answers: tuple[tuple[str, str], ...] = ()  # (question, answer) of each attribute given, for people to read

    def location(self) -> str:
        if self.address_string:
            return self.address_string
        if self.lat is not None and self.long is not None:
            return f"{self.lat:.6f}, {self.long:.6f}"
        return f"address id {self.address_id}"


def _coordinate(value: str | None, name: str, limit: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except ValueError:
        raise RequestError(400, f"{name} must be a number (WGS84 degrees)", name) from None
    if not -limit <= number <= limit:
        raise RequestError(400, f"{name} must be between -{limit:g} and {limit:g}", name)
    return number


def validate(fields: dict[str, str], services: dict[str, Service], *, now: datetime | None = None,
             attributes: dict[str, list[str]] | None = None) -> ServiceRequest:
    """A checked service request from submitted fields (first value of each), or RequestError.

    `attributes` are the `attribute[CODE]` values an Open311 client sent; None for a first-party form that asks
    no extra questions (then required attributes are not demanded)."""
    now = now or datetime.now(UTC)
    clean = {k: (fields.get(k) or "").strip() for k in FIELDS}
    service = services.get(clean["service_code"])
    if not clean["service_code"]:
        raise RequestError(400, "service_code is required", "service_code")
    if service is None:
        raise RequestError(404, f"unknown service_code {clean['service_code']!r}", "service_code")
    lat, long = _coordinate(clean["lat"], "lat", 90), _coordinate(clean["long"], "long", 180)
    if (lat is None) != (long is None):
        raise RequestError(400, "lat and long must be given together", "lat" if lat is None else "long")
    if lat is None and not clean["address_string"] and not clean["address_id"]:
        raise RequestError(400, "a location is required: lat and long, address_string or address_id", "address_string")
    if len(clean["description"]) > MAX_DESCRIPTION:
        raise RequestError(400, f"description must be at most {MAX_DESCRIPTION} characters", "description")
    if clean["email"] and not _EMAIL.match(clean["email"]):
        raise RequestError(400, "email is not an email address", "email")
    try:
        given = check_attributes(service.attributes, attributes or {}, required=attributes is not None)
    except InvalidAttribute as exc:
        raise RequestError(400, str(exc), exc.field) from None
    answers = tuple((a.description or a.code, _answer(a, given[a.code])) for a in service.attributes if a.code in given)
    basis = "\n".join([now.date().isoformat(), *(clean[k] for k in FIELDS),
                       *(f"{k}={v}" for k, v in sorted(given.items()))])
    request_id = "WF-" + hashlib.sha256(basis.encode()).hexdigest()[:10].upper()
    optional = {k: clean[k] or None for k in ("address_string", "address_id", "email", "phone", "first_name",
                                               "last_name", "device_id", "account_id", "media_url")}
    return ServiceRequest(service_request_id=request_id, service_code=service.code, service_name=service.name,
                          description=clean["description"], requested_datetime=now, lat=lat, long=long,
                          attributes=given or None, answers=answers, **optional)


def _answer(attribute: Attribute, value: str | list[str]) -> str:
    names = dict(attribute.values)
    values = value if isinstance(value, list) else [value]
    return ", ".join(names.get(v, v) for v in values)


def conversation_key(jurisdiction: str, request_id: str) -> str:
    return f"webform:{jurisdiction}:{request_id}"


def to_message(request: ServiceRequest, jurisdiction: str, *, raw: str, now: datetime | None = None,
               language: str | None = None) -> InboundMessage:
    now = now or datetime.now(UTC)
    name = " ".join(p for p in (request.first_name, request.last_name) if p) or None
    who = request.email or request.phone or request.account_id or request.device_id or f"anonymous:{request.service_request_id}"
    details = [f"Category: {request.service_name}", f"Location: {request.location()}",
               *(f"{question}: {answer}" for question, answer in request.answers)]
    text = "\n\n".join(p for p in (request.description, "\n".join(details)) if p)
    return InboundMessage(
        id=f"webform:{jurisdiction}:{request.service_request_id}",
        channel=Channel.WEBFORM,
        account_id=jurisdiction,
        platform_message_id=request.service_request_id,
        conversation_key=conversation_key(jurisdiction, request.service_request_id),
        kind=MessageKind.FORM,
        author=Author(platform_id=who, name=name),
        text=text,
        sent_at=request.requested_datetime,
        received_at=now,
        attachments=[Attachment(type="image", url=request.media_url)] if request.media_url else [],
        raw_payload=raw,
        language=language,
    )
