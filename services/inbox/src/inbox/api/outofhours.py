"""Out of hours: freeze outbound (every account or one; admins, with a reason), lift it (a second admin
confirms), see what is frozen and which replies wait; duty alerts with who holds them; account alerts
(a post we did not send, bursts, silence)."""

from typing import Annotated

from civic_contracts.commands import FreezeCommand, UnfreezeCommand
from fastapi import APIRouter, Body, Header, Request
from fastapi.responses import JSONResponse

from inbox.adapters.alerts import alerts_of
from inbox.api.actions import RESPONSES, accepted
from inbox.auth.deps import Admin, CurrentPrincipal
from inbox.schemas import Accepted

router = APIRouter(prefix="/api", tags=["out of hours"])


@router.post("/outbound/freeze", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Freeze outbound on every account (no `account_id`) or one, with a reason (admins)")
async def freeze(request: Request, principal: Admin, body: Annotated[FreezeCommand, Body()],
                 idempotency_key: Annotated[str | None, Header(max_length=200)] = None) -> JSONResponse:
    return accepted(await request.app.state.actions.staff_wide(principal, body, idempotency_key=idempotency_key))


@router.post("/outbound/unfreeze", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Ask to lift a freeze; lifted when a second admin asks too (admins)")
async def unfreeze(request: Request, principal: Admin, body: Annotated[UnfreezeCommand, Body()],
                   idempotency_key: Annotated[str | None, Header(max_length=200)] = None) -> JSONResponse:
    return accepted(await request.app.state.actions.staff_wide(principal, body, idempotency_key=idempotency_key))


@router.get("/outbound/freezes", summary="Freezes (in force and lifted) and the replies they hold")
async def freezes(request: Request, principal: CurrentPrincipal) -> dict:
    reader = alerts_of(request)
    held = await reader.held_replies()
    return {
        "freezes": [{"account_id": f["_id"], **{k: v for k, v in f.items() if k != "_id"}} for f in await reader.freezes()],
        "held_replies": [{"reply_id": r["_id"], "conversation_key": r["conversation_key"], "account_id": r.get("account_id"),
                          "held": r.get("held")} for r in held],
    }


@router.get("/alerts/duty", summary="Duty alerts, newest first, with who holds each (`open=true`: only open ones)")
async def duty_alerts(request: Request, principal: CurrentPrincipal, open: bool = False) -> list[dict]:
    return [{"id": d["_id"], **{k: v for k, v in d.items() if k != "_id"}}
            for d in await alerts_of(request).duty_alerts(open_only=open)]


@router.get("/alerts/accounts", summary="Alerts about the official accounts (security, bursts, silence), newest first")
async def account_alerts(request: Request, principal: CurrentPrincipal) -> list[dict]:
    return [{"id": d["_id"], **{k: v for k, v in d.items() if k != "_id"}} for d in await alerts_of(request).ops_alerts()]
