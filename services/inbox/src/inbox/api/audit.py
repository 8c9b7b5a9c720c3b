"""The audit log: every action, who, what, when, on which conversation, from which official account, with
before and after. Read and export only (supervisors and admins); there is no way to change it here."""

import csv
import io
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from inbox.auth.deps import Supervisor
from inbox.schemas import AuditEntry, AuditPage
from inbox.spreadsheet import safe_cell

router = APIRouter(prefix="/api/audit", tags=["audit"])
CSV_FIELDS = ("id", "at", "actor_id", "actor_name", "actor_role", "action", "conversation_key", "account_id", "outcome",
              "reason", "before", "after", "command_id", "details")


def _query(request: Request, conversation_key, actor, action, since, until) -> dict:
    return request.app.state.records.audit_query(conversation_key=conversation_key, actor=actor, action=action,
                                                 since=since, until=until)


ConversationFilter = Annotated[str | None, Query(max_length=500, description="Only this conversation.")]
ActorFilter = Annotated[str | None, Query(max_length=64, description="Only this staff user (`system` for responder).")]
ActionFilter = Annotated[str | None, Query(max_length=64, description="Only this action (reply, approve_reply, ...).")]
Since = Annotated[datetime | None, Query(description="From this moment (inclusive).")]
Until = Annotated[datetime | None, Query(description="Until this moment (exclusive).")]


def entry(doc: dict) -> AuditEntry:
    return AuditEntry(id=doc["_id"], **{k: v for k, v in doc.items() if k != "_id"})


@router.get("", response_model=AuditPage, summary="The audit log, newest first")
async def audit(
    request: Request, principal: Supervisor,
    conversation_key: ConversationFilter = None, actor: ActorFilter = None,
    action: ActionFilter = None, since: Since = None, until: Until = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1, page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AuditPage:
    query = _query(request, conversation_key, actor, action, since, until)
    items, total = await request.app.state.records.audit_page(query, page=page, page_size=page_size)
    return AuditPage(items=[entry(d) for d in items], page=page, page_size=page_size, total=total)


@router.get("/export", summary="Export the audit log (oldest first) as CSV or JSON",
            responses={200: {"content": {"text/csv": {}, "application/json": {}}}})
async def export(
    request: Request, principal: Supervisor,
    format: Annotated[Literal["csv", "json"], Query(description="csv or json.")] = "csv",
    conversation_key: ConversationFilter = None, actor: ActorFilter = None,
    action: ActionFilter = None, since: Since = None, until: Until = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 100_000,
) -> StreamingResponse:
    query = _query(request, conversation_key, actor, action, since, until)
    rows = request.app.state.records.audit_stream(query, limit=limit)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    if format == "json":
        body, media = _json(rows), "application/json"
    else:
        body, media = _csv(rows), "text/csv; charset=utf-8"
    headers = {"Content-Disposition": f'attachment; filename="civic-inbox-audit-{stamp}.{format}"'}
    return StreamingResponse(body, media_type=media, headers=headers)


async def _json(rows: AsyncIterator[dict]) -> AsyncIterator[str]:
    yield "["
    first = True
    async for doc in rows:
        yield ("" if first else ",") + "\n" + entry(doc).model_dump_json()
        first = False
    yield "\n]\n"


async def _csv(rows: AsyncIterator[dict]) -> AsyncIterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_FIELDS)
    async for doc in rows:
        e = entry(doc)
        writer.writerow([safe_cell(v) for v in (
            e.id, e.at.isoformat(), e.actor.get("user_id"), e.actor.get("name"), e.actor.get("role"), e.action,
            e.conversation_key or "", e.account_id or "", e.outcome, e.reason or "", e.before, e.after,
            e.command_id or "", e.details,
        )])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
