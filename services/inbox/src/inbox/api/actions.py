"""Staff actions on a conversation, over HTTP: each route reads its request and hands it to the inbox's
actions (`inbox/actions.py`, the same ones the web app's forms use), which check who may, on which
conversation, in which state, and queue the command; answered 202 with the command id to follow. Send an
`Idempotency-Key` header to make a retried request the same command."""

from typing import Annotated

from civic_contracts.commands import (
    AssignCommand,
    BanAuthorCommand,
    CloseCommand,
    HandoverCommand,
    HideCommentCommand,
    NoteCommand,
    ReplyCommand,
    ReplyingCommand,
    RerouteCommand,
    ResolveCommand,
)
from fastapi import APIRouter, Body, Header, Request, status
from fastapi.responses import JSONResponse

from inbox.actions import Actions
from inbox.api.conversations import ConversationKey
from inbox.auth.deps import CurrentPrincipal
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


def accepted(command_id: str) -> JSONResponse:
    body = Accepted(command_id=command_id, follow=f"/api/commands/{command_id}")
    return JSONResponse(body.model_dump(), status_code=status.HTTP_202_ACCEPTED)


def actions(request: Request) -> Actions:
    return request.app.state.actions


@router.post("/{key:path}/reply", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Reply (free text or a canned response); checks, then approval where required, then sent")
async def reply(request: Request, principal: CurrentPrincipal, key: ConversationKey, body: ReplyCommand,
                idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await actions(request).reply(principal, key, body, idempotency_key=idempotency_key))


@router.post("/{key:path}/replies/{reply_id}/approve", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Approve a reply waiting for approval (supervisors)")
async def approve(request: Request, principal: CurrentPrincipal, key: ConversationKey, reply_id: str,
                  comment: Annotated[str | None, Body(embed=True, max_length=2000)] = None,
                  idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await actions(request).approve(principal, key, reply_id=reply_id, comment=comment,
                                                   idempotency_key=idempotency_key))


@router.post("/{key:path}/replies/{reply_id}/reject", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Reject a reply waiting for approval (supervisors)")
async def reject(request: Request, principal: CurrentPrincipal, key: ConversationKey, reply_id: str,
                 reason: Annotated[str, Body(embed=True, min_length=1, max_length=2000)],
                 idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await actions(request).reject(principal, key, reply_id=reply_id, reason=reason,
                                                  idempotency_key=idempotency_key))


@router.post("/{key:path}/handover", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Take it offline: case reference, public holding reply, private thread")
async def handover(request: Request, principal: CurrentPrincipal, key: ConversationKey, body: HandoverCommand,
                   idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await actions(request).handover(principal, key, body, idempotency_key=idempotency_key))


@router.post("/{key:path}/assign", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Assign to a person, or automatically (no assignee: supervisors)")
async def assign(request: Request, principal: CurrentPrincipal, key: ConversationKey, body: AssignCommand,
                 idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await actions(request).assign(principal, key, body, idempotency_key=idempotency_key))


@router.post("/{key:path}/claim", status_code=202, response_model=Accepted, responses=RESPONSES, summary="Take it from the queue")
async def claim(request: Request, principal: CurrentPrincipal, key: ConversationKey,
                idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await actions(request).claim(principal, key, idempotency_key=idempotency_key))


@router.post("/{key:path}/release", status_code=202, response_model=Accepted, responses=RESPONSES, summary="Give it back to the queue")
async def release(request: Request, principal: CurrentPrincipal, key: ConversationKey,
                  idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await actions(request).release(principal, key, idempotency_key=idempotency_key))


@router.post("/{key:path}/reroute", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Send it to another department (and correct triage)")
async def reroute(request: Request, principal: CurrentPrincipal, key: ConversationKey, body: RerouteCommand,
                  idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await actions(request).reroute(principal, key, body, idempotency_key=idempotency_key))


@router.post("/{key:path}/hide", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Hide an abusive public comment on the platform and keep the evidence")
async def hide(request: Request, principal: CurrentPrincipal, key: ConversationKey, body: HideCommentCommand,
               idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await actions(request).hide_comment(principal, key, body, idempotency_key=idempotency_key))


@router.post("/{key:path}/ban-author", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Stop routing the author's messages to people, or lift that (supervisors)")
async def ban_author(request: Request, principal: CurrentPrincipal, key: ConversationKey, body: BanAuthorCommand,
                     idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await actions(request).ban_author(principal, key, body, idempotency_key=idempotency_key))


@router.post("/{key:path}/notes", status_code=202, response_model=Accepted, responses=RESPONSES, summary="Add a private note")
async def note(request: Request, principal: CurrentPrincipal, key: ConversationKey, body: NoteCommand,
               idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await actions(request).note(principal, key, body, idempotency_key=idempotency_key))


@router.post("/{key:path}/resolve", status_code=202, response_model=Accepted, responses=RESPONSES, summary="Mark resolved")
async def resolve(request: Request, principal: CurrentPrincipal, key: ConversationKey,
                  body: Annotated[ResolveCommand | None, Body()] = None, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await actions(request).resolve(principal, key, body, idempotency_key=idempotency_key))


@router.post("/{key:path}/close", status_code=202, response_model=Accepted, responses=RESPONSES, summary="Close")
async def close(request: Request, principal: CurrentPrincipal, key: ConversationKey,
                body: Annotated[CloseCommand | None, Body()] = None, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await actions(request).close(principal, key, body, idempotency_key=idempotency_key))


@router.post("/{key:path}/replying", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Say you started (or stopped) writing a reply, so colleagues see it")
async def replying(request: Request, principal: CurrentPrincipal, key: ConversationKey,
                   body: Annotated[ReplyingCommand | None, Body()] = None, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await actions(request).replying(principal, key, body, idempotency_key=idempotency_key))
