"""Reading conversations: the list (filtered, newest first, paginated), one conversation with its replies,
notes and history, and the queue counts. Everything is narrowed to what the caller may see."""

import uuid
from typing import Annotated, Literal

from civic_contracts import Channel, ConversationStatus
from civic_contracts.commands import CloseCommand
from fastapi import APIRouter, Header, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse

from inbox.actions import visible_conversation
from inbox.auth.deps import CurrentPrincipal
from inbox.schemas import (
    BulkClose,
    BulkQueued,
    BulkRefused,
    BulkResult,
    ConversationDetail,
    ConversationPage,
    EventView,
    NoteView,
    QueueCount,
    ReplyView,
)

router = APIRouter(prefix="/api", tags=["conversations"])

ConversationKey = Annotated[str, Path(description="Conversation key, e.g. `facebook:104729113:104729113_55_66`.")]
@router.get("/conversations", response_model=ConversationPage, summary="Conversations, newest first")
async def list_conversations(
    request: Request,
    principal: CurrentPrincipal,
    department: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z0-9_]+$", description="Department id.")] = None,
    status: Annotated[ConversationStatus | None, Query(description="Conversation status.")] = None,
    channel: Annotated[Channel | None, Query(description="Channel.")] = None,
    assignee: Annotated[str | None, Query(max_length=64, description="User id, or `me`.")] = None,
    urgency: Annotated[Literal["critical", "high", "normal"] | None, Query(description="Urgency.")] = None,
    page: Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1.")] = 1,
    page_size: Annotated[int, Query(ge=1, le=100, description="Conversations per page.")] = 25,
    not_a_request: Annotated[bool | None, Query(description="true: only conversations that are not a request "
                                                "(thanks, news, ...; the inbox's \"Not a request\" view); false: "
                                                "only the others.")] = None,
) -> ConversationPage:
    if department is not None and not principal.all_departments and department not in principal.departments:
        raise HTTPException(403, "you do not work in that department")
    filters = {
        k: v
        for k, v in {
            "department": department, "status": status and status.value, "channel": channel and channel.value, "urgency": urgency,
            "assignee": principal.user_id if assignee == "me" else assignee,
        }.items()
        if v is not None
    }
    items, total = await request.app.state.store.page(filters=filters, page=page, page_size=page_size,
                                                       scope=principal.scope(), not_a_request=not_a_request)
    return ConversationPage(items=items, page=page, page_size=page_size, total=total)


@router.get("/conversations/{key:path}", response_model=ConversationDetail, summary="One conversation, with its replies, notes and history",
            responses={403: {"description": "Another department's conversation."}, 404: {"description": "No such conversation."}})
async def get_conversation(request: Request, principal: CurrentPrincipal, key: ConversationKey) -> ConversationDetail:
    store = request.app.state.store
    doc = await visible_conversation(store, principal, key)
    return ConversationDetail(
        conversation=await store.view(doc),
        replies=[ReplyView(id=r["_id"], **r) for r in await store.replies_of(key)],
        notes=[NoteView(id=n["_id"], **n) for n in await store.notes_of(key)],
        timeline=[EventView(id=e["_id"], **{k: v for k, v in e.items() if k != "_id"}) for e in await store.timeline_of(key)],
    )


@router.get("/queues", response_model=list[QueueCount], summary="Open conversations per department queue (yours only)")
async def queues(request: Request, principal: CurrentPrincipal) -> list[QueueCount]:
    return [QueueCount(**c) for c in await request.app.state.store.queue_counts(principal.scope())]


@router.post("/bulk/close", status_code=202, response_model=BulkResult,
             summary="Close several conversations at once (\"no reply needed\" for the selected rows)",
             responses={202: {"description": "Each conversation checked and queued on its own; see `refused`."}})
async def close_many(request: Request, principal: CurrentPrincipal, body: BulkClose,
                     idempotency_key: Annotated[str | None, Header(max_length=100, description="Makes a retried "
                                                                   "request the same commands.")] = None) -> JSONResponse:
    """One `close` command per conversation, each with the same checks as `POST /api/conversations/{key}/close`;
    the ones that may not be closed are listed with the status and reason they would have been answered with."""
    command = CloseCommand(reason=body.reason, note=body.note)
    queued, refused = await request.app.state.actions.close_many(principal, body.keys, command,
                                                                 batch=idempotency_key or uuid.uuid4().hex)
    result = BulkResult(queued=[BulkQueued(key=k, command_id=c, follow=f"/api/commands/{c}") for k, c in queued.items()],
                        refused=[BulkRefused(key=k, status=code, detail=why) for k, (code, why) in refused.items()])
    return JSONResponse(result.model_dump(), status_code=202)
