"""Staff actions on a conversation. Each is checked here (who may, on which conversation, in which state),
then published as an `InboxCommand` keyed by the conversation and answered 202 with the command id to
follow; responder carries it out, checks again, and writes the audit entry. Send an `Idempotency-Key`
header to make a retried request the same command."""

from datetime import UTC, datetime
from typing import Annotated

from civic_contracts.commands import (
    ApproveReplyCommand,
    AssignCommand,
    BanAuthorCommand,
    ClaimCommand,
    CloseCommand,
    HandoverCommand,
    HideCommentCommand,
    NoteCommand,
    RejectReplyCommand,
    ReleaseCommand,
    ReplyCommand,
    ReplyingCommand,
    RerouteCommand,
    ResolveCommand,
)
from civic_contracts.permissions import may_start_from, writing_now
from fastapi import APIRouter, Body, Header, HTTPException, Request, status
from fastapi.responses import JSONResponse

from inbox.adapters.commands import KeyReused, NotQueued
from inbox.api.conversations import ConversationKey, visible_conversation
from inbox.auth.deps import CurrentPrincipal
from inbox.auth.principal import Principal
from inbox.schemas import Accepted

router = APIRouter(prefix="/api/conversations", tags=["actions"])
IdempotencyKey = Annotated[str | None, Header(max_length=200, description="Makes a retried request the same command.")]
RESPONSES = {
    202: {"description": "Queued; follow `GET /api/commands/{command_id}`."},
    403: {"description": "Not allowed for your role, or another department's conversation."},
    404: {"description": "No such conversation."},
    409: {"description": "Not possible in the conversation's current state (or someone else is replying)."},
    503: {"description": "The action could not be queued (Kafka unavailable); nothing was done."},
}
async def queue(request: Request, principal: Principal, key: str | None, body, idempotency_key: str | None) -> JSONResponse:
    try:
        command_id = await request.app.state.commands.send(principal, body, conversation_key=key,
                                                           idempotency_key=idempotency_key)
    except KeyReused as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    except NotQueued as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, f"could not queue the action: {exc}") from exc
    accepted = Accepted(command_id=command_id, follow=f"/api/commands/{command_id}")
    return JSONResponse(accepted.model_dump(), status_code=status.HTTP_202_ACCEPTED)


async def guard(request: Request, principal: Principal, key: str, action: str) -> dict:
    conversation = await visible_conversation(request, principal, key)
    if not principal.may(action):
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"your role may not {action.replace('_', ' ')}")
    current = conversation.get("status") or "new"
    if not may_start_from(action, current):
        raise HTTPException(status.HTTP_409_CONFLICT, f"the conversation is {current.replace('_', ' ')}")
    return conversation


def someone_else_replying(request: Request, conversation: dict, user_id: str) -> dict | None:
    return writing_now(conversation.get("replying"), user_id, datetime.now(UTC), request.app.state.settings.replying_seconds)


@router.post("/{key:path}/reply", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Reply (free text or a canned response); checks, then approval where required, then sent")
async def reply(request: Request, principal: CurrentPrincipal, key: ConversationKey, body: ReplyCommand,
                idempotency_key: IdempotencyKey = None) -> JSONResponse:
    conversation = await guard(request, principal, key, "reply")
    if not body.override_collision:
        other = someone_else_replying(request, conversation, principal.user_id)
        if other is not None:
            raise HTTPException(status.HTTP_409_CONFLICT, f"{other.get('name') or other['user_id']} is writing a reply; "
                                "send with override_collision to reply anyway")
    if body.seen_reply_count is None:
        body = body.model_copy(update={"seen_reply_count": int(conversation.get("reply_count") or 0)})
    return await queue(request, principal, key, body, idempotency_key)


async def _awaiting_reply(request: Request, principal: Principal, key: str, reply_id: str, action: str) -> None:
    await guard(request, principal, key, action)
    found = await request.app.state.reader.reply(reply_id)
    if found is None or found["conversation_key"] != key:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such reply on this conversation")
    if found["requested_by"]["user_id"] == principal.user_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "a reply is approved by someone other than its author")
    if found["status"] != "awaiting_approval":
        raise HTTPException(status.HTTP_409_CONFLICT, f"the reply is {found['status'].replace('_', ' ')}")


@router.post("/{key:path}/replies/{reply_id}/approve", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Approve a reply waiting for approval (supervisors)")
async def approve(request: Request, principal: CurrentPrincipal, key: ConversationKey, reply_id: str,
                  comment: Annotated[str | None, Body(embed=True, max_length=2000)] = None,
                  idempotency_key: IdempotencyKey = None) -> JSONResponse:
    await _awaiting_reply(request, principal, key, reply_id, "approve_reply")
    command = ApproveReplyCommand(reply_id=reply_id, comment=comment)
    return await queue(request, principal, key, command, idempotency_key)


@router.post("/{key:path}/replies/{reply_id}/reject", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Reject a reply waiting for approval (supervisors)")
async def reject(request: Request, principal: CurrentPrincipal, key: ConversationKey, reply_id: str,
                 reason: Annotated[str, Body(embed=True, min_length=1, max_length=2000)],
                 idempotency_key: IdempotencyKey = None) -> JSONResponse:
    await _awaiting_reply(request, principal, key, reply_id, "reject_reply")
    return await queue(request, principal, key, RejectReplyCommand(reply_id=reply_id, reason=reason), idempotency_key)


@router.post("/{key:path}/handover", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Take it offline: case reference, public holding reply, private thread")
async def handover(request: Request, principal: CurrentPrincipal, key: ConversationKey, body: HandoverCommand,
                   idempotency_key: IdempotencyKey = None) -> JSONResponse:
    await guard(request, principal, key, "handover")
    return await queue(request, principal, key, body, idempotency_key)


@router.post("/{key:path}/assign", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Assign to a person, or automatically (no assignee: supervisors)")
async def assign(request: Request, principal: CurrentPrincipal, key: ConversationKey, body: AssignCommand,
                 idempotency_key: IdempotencyKey = None) -> JSONResponse:
    await guard(request, principal, key, "assign")
    if body.assignee != principal.user_id and not principal.privileged:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only a supervisor assigns conversations to others")
    return await queue(request, principal, key, body, idempotency_key)


@router.post("/{key:path}/claim", status_code=202, response_model=Accepted, responses=RESPONSES, summary="Take it from the queue")
async def claim(request: Request, principal: CurrentPrincipal, key: ConversationKey,
                idempotency_key: IdempotencyKey = None) -> JSONResponse:
    conversation = await guard(request, principal, key, "claim")
    if conversation.get("assignee") not in (None, principal.user_id):
        raise HTTPException(status.HTTP_409_CONFLICT, f"already assigned to {conversation.get('assignee_name') or conversation['assignee']}")
    return await queue(request, principal, key, ClaimCommand(), idempotency_key)


@router.post("/{key:path}/release", status_code=202, response_model=Accepted, responses=RESPONSES, summary="Give it back to the queue")
async def release(request: Request, principal: CurrentPrincipal, key: ConversationKey,
                  idempotency_key: IdempotencyKey = None) -> JSONResponse:
    conversation = await guard(request, principal, key, "release")
    if conversation.get("assignee") not in (None, principal.user_id) and not principal.privileged:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only the assignee or a supervisor can release it")
    return await queue(request, principal, key, ReleaseCommand(), idempotency_key)


@router.post("/{key:path}/reroute", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Send it to another department (and correct triage)")
async def reroute(request: Request, principal: CurrentPrincipal, key: ConversationKey, body: RerouteCommand,
                  idempotency_key: IdempotencyKey = None) -> JSONResponse:
    await guard(request, principal, key, "reroute")
    return await queue(request, principal, key, body, idempotency_key)


@router.post("/{key:path}/hide", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Hide an abusive public comment on the platform and keep the evidence")
async def hide(request: Request, principal: CurrentPrincipal, key: ConversationKey, body: HideCommentCommand,
               idempotency_key: IdempotencyKey = None) -> JSONResponse:
    await guard(request, principal, key, "hide_comment")
    return await queue(request, principal, key, body, idempotency_key)


@router.post("/{key:path}/ban-author", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Stop routing the author's messages to people, or lift that (supervisors)")
async def ban_author(request: Request, principal: CurrentPrincipal, key: ConversationKey, body: BanAuthorCommand,
                     idempotency_key: IdempotencyKey = None) -> JSONResponse:
    await guard(request, principal, key, "ban_author")
    return await queue(request, principal, key, body, idempotency_key)


@router.post("/{key:path}/notes", status_code=202, response_model=Accepted, responses=RESPONSES, summary="Add a private note")
async def note(request: Request, principal: CurrentPrincipal, key: ConversationKey, body: NoteCommand,
               idempotency_key: IdempotencyKey = None) -> JSONResponse:
    await guard(request, principal, key, "note")
    return await queue(request, principal, key, body, idempotency_key)


@router.post("/{key:path}/resolve", status_code=202, response_model=Accepted, responses=RESPONSES, summary="Mark resolved")
async def resolve(request: Request, principal: CurrentPrincipal, key: ConversationKey,
                  body: Annotated[ResolveCommand | None, Body()] = None, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    await guard(request, principal, key, "resolve")
    return await queue(request, principal, key, body or ResolveCommand(), idempotency_key)


@router.post("/{key:path}/close", status_code=202, response_model=Accepted, responses=RESPONSES, summary="Close")
async def close(request: Request, principal: CurrentPrincipal, key: ConversationKey,
                body: Annotated[CloseCommand | None, Body()] = None, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    await guard(request, principal, key, "close")
    return await queue(request, principal, key, body or CloseCommand(), idempotency_key)


@router.post("/{key:path}/replying", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Say you started (or stopped) writing a reply, so colleagues see it")
async def replying(request: Request, principal: CurrentPrincipal, key: ConversationKey,
                   body: Annotated[ReplyingCommand | None, Body()] = None, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    await guard(request, principal, key, "replying")
    return await queue(request, principal, key, body or ReplyingCommand(), idempotency_key)
