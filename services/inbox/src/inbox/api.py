"""The agents' API: conversations across every channel."""

from typing import Annotated

from civic_contracts import Channel
from fastapi import APIRouter, Query, Request

from inbox.schemas import ConversationPage

router = APIRouter(prefix="/api", tags=["conversations"])

STATUSES = ("new", "needs_review", "assigned", "waiting_on_citizen", "replied", "handed_over", "resolved", "closed")


@router.get("/conversations", response_model=ConversationPage, summary="Conversations, newest first")
async def list_conversations(
    request: Request,
    department: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z0-9_]+$", description="Department id.")] = None,
    status: Annotated[str | None, Query(description="Conversation status.", enum=list(STATUSES))] = None,
    channel: Annotated[Channel | None, Query(description="Channel.")] = None,
    page: Annotated[int, Query(ge=1, description="Page number, from 1.")] = 1,
    page_size: Annotated[int, Query(ge=1, le=100, description="Conversations per page.")] = 25,
) -> ConversationPage:
    filters = {
        k: v
        for k, v in {"department": department, "status": status, "channel": channel and channel.value}.items()
        if v is not None
    }
    items, total = await request.app.state.reader.page(filters=filters, page=page, page_size=page_size)
    return ConversationPage(items=items, page=page, page_size=page_size, total=total)
