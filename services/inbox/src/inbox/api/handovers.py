"""Offline handovers for supervisors: which are open and how old they are."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request

from inbox.auth.deps import Supervisor
from inbox.schemas import HandoverView

router = APIRouter(prefix="/api", tags=["handovers"])


def view(doc: dict, now: datetime) -> HandoverView:
    private = doc.get("private") or {}
    return HandoverView(
        id=doc["_id"], case_reference=doc["case_reference"], conversation_key=doc["conversation_key"],
        department=doc.get("department"), status=doc["status"], opened_by=doc.get("opened_by") or {},
        opened_at=doc["opened_at"], age_minutes=int((now - doc["opened_at"]).total_seconds() // 60),
        due_at=doc.get("due_at"), breached=bool(doc.get("breached")), private_channel=private.get("channel"),
        private_conversation_key=private.get("conversation_key"), answered_at=doc.get("answered_at"),
    )


@router.get("/handovers", response_model=list[HandoverView], summary="Handovers (open ones by default), oldest first")
async def handovers(
    request: Request, principal: Supervisor,
    include_answered: Annotated[bool, Query(description="Also list handovers whose private thread was answered.")] = False,
) -> list[HandoverView]:
    now = datetime.now(UTC)
    docs = await request.app.state.records.handovers_list(open_only=not include_answered, scope=principal.scope())
    return [view(d, now) for d in docs]
