"""Supervisors' pages: replies waiting for approval, offline handovers with their age and SLA, and surge
incidents (`incident.v1`, `civic_contracts.incident`) with their messages and one answer for all of them."""

import json
from datetime import UTC, datetime

from civic_contracts.commands import ReplyCommand
from civic_contracts.conversation import FINISHED
from civic_contracts.incident import Incident
from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import ValidationError

from inbox.adapters.records import handover_view
from inbox.auth.principal import Principal
from inbox.web import csrf, kafka_tools, queries, render
from inbox.web.session import WebPrincipal, error_page

router = APIRouter(include_in_schema=False)


def supervisors_only(request: Request, principal: Principal) -> Response | None:
    if principal.privileged:
        return None
    return error_page(request, principal, 403, "This page is for supervisors and admins.")


@router.get("/approvals")
async def approvals(request: Request, principal: WebPrincipal) -> Response:
    if (refused := supervisors_only(request, principal)) is not None:
        return refused
    waiting = await queries.awaiting_approval(request.app.state.store, principal)
    return render.render(request, "approvals.html", principal=principal, title="Approvals", waiting=waiting)


@router.get("/handovers")
async def handovers(request: Request, principal: WebPrincipal, answered: bool = False) -> Response:
    if (refused := supervisors_only(request, principal)) is not None:
        return refused
    now = datetime.now(UTC)
    docs = await request.app.state.records.handovers_list(open_only=not answered, scope=principal.scope())
    return render.render(request, "handovers.html", principal=principal, title="Handovers",
                         handovers=[handover_view(d, now) for d in docs], answered=answered)


async def load_incidents(request: Request, principal: Principal) -> list[Incident]:
    """The latest state of every incident on the topic that this person's departments cover, open first."""
    settings = request.app.state.web_settings
    records = await kafka_tools.tail(request.app.state.settings.kafka_bootstrap_servers, settings.incident_topic,
                                     per_partition=500)
    latest: dict[str, Incident] = {}
    for record in sorted(records, key=lambda r: (r.timestamp, r.partition, r.offset)):
        try:
            incident = Incident.model_validate_json(record.value or b"")
        except ValidationError:
            continue
        latest[incident.incident_id] = incident
    visible = [i for i in latest.values() if principal.all_departments or i.department in principal.departments]
    return sorted(visible, key=lambda i: (i.status == "closed", -i.last_seen.timestamp()))


async def incident_conversations(request: Request, principal: Principal, incident: Incident) -> list[dict]:
    store = request.app.state.store
    keys = await store.conversation_keys_of(incident.message_ids)
    return await queries.with_snippets(store, await store.of_keys(keys, principal.scope()))


@router.get("/incidents")
async def incidents(request: Request, principal: WebPrincipal) -> Response:
    error = None
    try:
        found = await load_incidents(request, principal)
    except Exception as exc:  # noqa: BLE001 - Kafka unavailable: say so on the page
        found, error = [], f"Incidents could not be read from Kafka: {type(exc).__name__}"
    details = [{"incident": i, "rows": await incident_conversations(request, principal, i)} for i in found[:50]]
    policy = await request.app.state.records.published_policy()
    canned = [c for c in policy.get("canned_responses", []) if not str(c.get("id", "")).startswith("handover_")]
    return render.render(request, "incidents.html", principal=principal, title="Incidents", details=details,
                         error=error, canned=canned, topic=request.app.state.web_settings.incident_topic)


@router.post("/incidents/{incident_id}/answer")
async def answer_incident(request: Request, principal: WebPrincipal, incident_id: str) -> Response:
    """One answer for every open conversation of the incident: one reply command each, through the API."""
    form = await csrf.read_form(request)
    try:
        csrf.check(request, form)
    except HTTPException as exc:
        return error_page(request, principal, exc.status_code, str(exc.detail))
    incident = next((i for i in await load_incidents(request, principal) if i.incident_id == incident_id), None)
    if incident is None:
        return error_page(request, principal, 404, "There is no such incident, or it is not one of your departments'.")
    text, canned = (form.get("text") or "").strip() or None, (form.get("canned_id") or "").strip() or None
    if not text and not canned:
        return error_page(request, principal, 422, "Write the answer or choose a canned response.")
    batch = (form.get("idempotency_key") or incident_id)[:100]
    sent, refused = 0, []
    for row in await incident_conversations(request, principal, incident):
        if row.doc.get("status") in FINISHED:
            continue
        body = ReplyCommand(text=text, canned_id=None if text else canned, override_collision=True,
                            placeholders={"name": (row.doc.get("author") or {}).get("name") or ""} if canned else {})
        try:
            await request.app.state.actions.reply(principal, row.key, body, idempotency_key=f"incident:{batch}:{row.key}")
            sent += 1
        except HTTPException as exc:
            refused.append(f"{row.key}: {exc.detail}")
    message = f"Answer queued for {sent} conversation{'s' if sent != 1 else ''}."
    if refused:
        message += f" Not sent to {len(refused)}: " + "; ".join(refused[:5])
    if "application/json" in request.headers.get("accept", ""):
        return Response(json.dumps({"ok": not refused, "sent": sent, "refused": refused, "message": message}),
                        media_type="application/json", status_code=202)
    return render.render(request, "done.html", principal=principal, title="Incident answered", message=message,
                         back="/incidents")
