"""HTML rendering: one Jinja2 environment with autoescaping always on, and the filters the templates use.

Citizen and staff text only ever reaches a page through autoescaping or through `highlight`, which escapes
every piece itself; nothing in the templates is marked safe by hand."""

import uuid
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from hashlib import sha256
from pathlib import Path
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from civic_contracts.conversation import FINISHED
from civic_contracts.permissions import may_start_from
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape

from inbox.auth.principal import Principal
from inbox.web import csrf, i18n, labels, phrases
from inbox.web.i18n import _

PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATES = PACKAGE / "templates"
STATIC = PACKAGE / "static"
LONDON = ZoneInfo("Europe/London")
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
# What a page says after an action (`?done=<action>`): fixed sentences, never text from the URL.
FLASH = {
    "reply": "Reply queued: its checks and status appear below.", "note": "Note added.",
    "reroute": "Re-route queued.", "handover": "Handover queued.", "assign": "Assignment queued.",
    "claim": "You are taking this conversation.", "release": "Released to the department queue.",
    "resolve": "Marked resolved.", "close": "Closed.", "hide_comment": "Hiding the comment on the platform.",
    "approve_reply": "Reply approved.", "reject_reply": "Reply rejected.", "replay": "Dead letter replayed.",
    "answer": "The answer is queued for every conversation of the incident.", "signed_out": "You have signed out.",
    "freeze": "Freeze queued: nothing is sent while it holds.", "unfreeze": "Lifting queued: it lifts when a second admin confirms.",
}


def duration(delta: timedelta) -> str:
    minutes = int(abs(delta.total_seconds()) // 60)
    if minutes < 1:
        return _("under a minute")
    if minutes < 60:
        return _("%(n)s min") % {"n": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return (_("%(h)s h %(m)s min") % {"h": hours, "m": minutes}) if minutes else _("%(h)s h") % {"h": hours}
    return _("%(n)s days") % {"n": hours // 24}


def ago(value: datetime | None, now: datetime | None = None) -> str:
    if value is None:
        return "—"
    delta = (now or datetime.now(UTC)) - value
    return _("just now") if delta < timedelta(minutes=1) else _("%(time)s ago") % {"time": duration(delta)}


def clock(value: datetime | None, fmt: str = "%a %d %b %H:%M") -> str:
    return value.astimezone(LONDON).strftime(fmt) if value else "—"


def iso(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat() if value else ""


def sla_state(doc: dict, now: datetime | None = None) -> dict | None:
    """The clock that matters now: {kind: ok|warning|breached|met, text}."""
    sla = doc.get("sla") or {}
    if not sla or doc.get("status") in FINISHED:
        return None
    now = now or datetime.now(UTC)
    first, resolution = sla.get("first_response") or {}, sla.get("resolution") or {}
    name, clock_ = (_("First reply"), first) if not first.get("met_at") else (_("Resolution"), resolution)
    if clock_.get("met_at") or not clock_.get("due"):
        return {"kind": "met", "text": _("SLA met")}
    due = clock_["due"]
    if due <= now or clock_.get("breached"):
        return {"kind": "breached", "text": _("%(clock)s overdue by %(time)s") % {"clock": name, "time": duration(now - due)},
                "due": due}
    kind = "warning" if clock_.get("warn_at") and clock_["warn_at"] <= now else "ok"
    return {"kind": kind, "text": _("%(clock)s due in %(time)s") % {"clock": name, "time": duration(due - now)}, "due": due}


def highlight(text: str | None, pii: list | None = None) -> Markup:
    """Citizen text, escaped, with the personal data triage found wrapped in `<mark>`."""
    text = text or ""
    spans = sorted(((p.get("start", 0), p.get("end", 0), p.get("kind", "personal data")) for p in (pii or [])
                    if isinstance(p, dict)), key=lambda s: (s[0], -s[1]))
    out, at = [], 0
    for start, end, kind in spans:
        start, end = max(start, at), min(end, len(text))
        if end <= start:
            continue
        out.append(escape(text[at:start]))
        kind_label = escape(str(kind).replace("_", " "))
        out.append(Markup('<mark class="pii" title="{title}"><span class="visually-hidden">({hidden}) </span>{t}</mark>')
                   .format(title=_("Personal data: %(kind)s") % {"kind": kind_label},
                           hidden=_("personal data, %(kind)s:") % {"kind": kind_label}, t=text[start:end]))
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def can(principal: Principal | None, action: str, conversation: dict) -> bool:
    """Whether the page offers `action` on the conversation: the person's role may, from its state (the
    contracts' table, which the API and responder check again)."""
    return principal is not None and principal.may(action) and may_start_from(action, conversation.get("status"))


def safe_href(url: str | None) -> str | None:
    """A link from a platform, only if it is http(s)."""
    return url if isinstance(url, str) and url.lower().startswith(("https://", "http://")) else None


def dom_id(value: str) -> str:
    return "x" + sha256(str(value).encode()).hexdigest()[:12]


def key_url(key: str) -> str:
    return quote(key, safe=":@")


def query_url(base: str, params: dict, **changes) -> str:
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return f"{base}?{urlencode(merged)}" if merged else base


@lru_cache(maxsize=64)
def _static_version(name: str) -> str:
    path = STATIC / name
    return sha256(path.read_bytes()).hexdigest()[:10] if path.is_file() else "0"


def static_url(name: str) -> str:
    return f"/static/{name}?v={_static_version(name)}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True, lstrip_blocks=True,
                      auto_reload=False, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)
    env.filters.update(ago=ago, clock=clock, iso=iso, highlight=highlight, key_url=key_url, duration=duration,
                       safe_href=safe_href, dom_id=dom_id, said=phrases.said)
    env.globals.update(label=labels.label, labels=labels, sla_state=sla_state, static_url=static_url,
                       query_url=query_url, can=can, new_key=lambda: uuid.uuid4().hex,
                       tr=i18n.gettext)  # a text from Python, in the person's language (escaped like any value)
    return env


def nav(principal: Principal | None) -> list[tuple[str, str]]:
    if principal is None:
        return []
    items = [("/inbox", _("Inbox"))]
    if principal.privileged:
        items += [("/approvals", _("Approvals")), ("/handovers", _("Handovers"))]
    items += [("/incidents", _("Incidents")), ("/dashboard", _("Dashboard")), ("/reports", _("Reports")),
              ("/out-of-hours", _("Out of hours"))]
    if principal.privileged:
        items.append(("/ops", _("Ops")))
    return items


def render(request: Request, template: str, *, principal: Principal | None, status_code: int = 200,
           title: str = "Civic Inbox", **context) -> HTMLResponse:
    live = getattr(request.app.state, "live", None)
    language = i18n.language_of(request)
    token = i18n.current.set(language)
    try:
        flash = FLASH.get(request.query_params.get("done", ""))
        html = environment().get_template(template).render(
            request=request, me=principal, title=_(title), csrf_token=csrf.session_token(request) if principal else None,
            nav=nav(principal), path=request.url.path, live_after=live.seq if live else 0, now=datetime.now(UTC),
            flash=_(flash) if flash else None, lang=language, html_lang=i18n.HTML_LANG[language],
            languages=i18n.LANGUAGES, **context,
        )
    finally:
        i18n.current.reset(token)
    return HTMLResponse(html, status_code=status_code, headers=NO_STORE)


def fragment(request: Request, template: str, *, principal: Principal, **context) -> HTMLResponse:
    """A piece of a page, fetched by the page's script after a live event."""
    html = environment().get_template(template).render(
        request=request, me=principal, csrf_token=csrf.session_token(request), now=datetime.now(UTC), **context)
    return HTMLResponse(html, headers=NO_STORE)
