"""Moderation for supervisors: abuse per author across channels, and the evidence pack (JSON or CSV)."""

import csv
import io
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from inbox.auth.deps import Supervisor
from inbox.schemas import AuthorAbuse, EvidenceView

router = APIRouter(prefix="/api/moderation", tags=["moderation"])
EVIDENCE_FIELDS = ("id", "captured_at", "source", "abuse", "channel", "account_id", "author_key", "author_name",
                   "sent_at", "permalink", "text", "reason", "captured_by", "conversation_key", "message_id")


@router.get("/authors", response_model=list[AuthorAbuse], summary="Authors by abusive messages, most first")
async def authors(request: Request, principal: Supervisor,
                  min_count: Annotated[int, Query(ge=1, description="Only authors with at least this many.")] = 1) -> list[AuthorAbuse]:
    docs = await request.app.state.records.abusive_authors(min_count=min_count)
    return [AuthorAbuse(author_key=d["_id"], **{k: v for k, v in d.items() if k != "_id"}) for d in docs]


@router.get("/evidence", summary="The evidence pack: abusive messages with author, time and permalink",
            responses={200: {"content": {"application/json": {}, "text/csv": {}}}})
async def evidence(
    request: Request, principal: Supervisor,
    author_key: Annotated[str | None, Query(max_length=300, description="`<channel>:<platform id>`.")] = None,
    conversation_key: Annotated[str | None, Query(max_length=500)] = None,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> Response:
    docs = await request.app.state.records.evidence_list(author_key=author_key, conversation_key=conversation_key)
    items = [EvidenceView(id=d["_id"], **{k: v for k, v in d.items() if k != "_id"}) for d in docs]
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    headers = {"Content-Disposition": f'attachment; filename="civic-inbox-evidence-{stamp}.{format}"'}
    if format == "json":
        body = "[" + ",".join(i.model_dump_json() for i in items) + "]"
        return Response(body, media_type="application/json", headers=headers)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EVIDENCE_FIELDS)
    for i in items:
        row = [i.id, i.captured_at.isoformat(), i.source, i.abuse, i.channel, i.account_id, i.author_key,
               (i.author or {}).get("name"), i.sent_at and i.sent_at.isoformat(), i.permalink, i.text, i.reason,
               i.captured_by, i.conversation_key, i.message_id]
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in row])
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
