"""Offline handovers for supervisors: which are open and how old they are."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request

from inbox.adapters.records import handover_view
from inbox.auth.deps import Supervisor
from inbox.schemas import HandoverView

router = APIRouter(prefix="/api", tags=["handovers"])


@router.get("/handovers", response_model=list[HandoverView], summary="Handovers (open ones by default), oldest first")
async def handovers(
    request: Request, principal: Supervisor,
    include_answered: Annotated[bool, Query(description="Also list handovers whose private thread was answered.")] = False,
) -> list[HandoverView]:
    now = datetime.now(UTC)
    docs = await request.app.state.records.handovers_list(open_only=not include_answered, scope=principal.scope())
    return [handover_view(d, now) for d in docs]
