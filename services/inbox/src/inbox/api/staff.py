"""Staff: who works which queue, their load and absence (supervisors), absence changes as commands, and the
organisation's canned responses and official accounts for the reply box."""

from typing import Annotated

from civic_contracts.commands import SetAbsenceCommand
from fastapi import APIRouter, Body, Header, HTTPException, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from inbox.api.actions import RESPONSES, accepted
from inbox.auth.deps import CurrentPrincipal, Supervisor
from inbox.schemas import Accepted

router = APIRouter(prefix="/api", tags=["staff"])


class StaffView(BaseModel):
    user_id: str
    name: str
    role: str
    departments: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    capacity: int | None = None
    load: int = Field(description="Open conversations assigned.")
    on_leave: bool = False
    until: str | None = None


class CannedView(BaseModel):
    id: str
    title: str
    text: dict[str, str] = Field(description="Per language, with `{placeholders}`.")


class ReplyOptions(BaseModel):
    organisation: str | None = None
    canned_responses: list[CannedView]
    accounts: list[dict] = Field(description="Official accounts (channel, account_id, name); you may use `yours`.")
    yours: list[str] = Field(description="Account ids you may reply from (`*` = all).")


@router.get("/staff", response_model=list[StaffView], summary="Staff, their queues, load and absence (supervisors)")
async def staff(request: Request, principal: Supervisor) -> list[StaffView]:
    records = request.app.state.records
    users, absences, loads = await request.app.state.users.all_users(), await records.absences(), await records.loads()
    return [
        StaffView(user_id=u["_id"], name=u.get("name") or u["_id"], role=u["role"], departments=u.get("departments") or [],
                  languages=u.get("languages") or [], capacity=u.get("capacity"), load=loads.get(u["_id"], 0),
                  on_leave=bool(absences.get(u["_id"], {}).get("on_leave")), until=absences.get(u["_id"], {}).get("until"))
        for u in users if u.get("active") is not False
    ]


@router.post("/staff/{user_id}/absence", status_code=202, response_model=Accepted, responses=RESPONSES,
             summary="Record leave (nothing new is assigned) or return; optionally move open work to the queue or a person")
async def absence(
    request: Request, principal: CurrentPrincipal, user_id: str,
    body: Annotated[SetAbsenceCommand, Body()],
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    if body.user_id != user_id:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "user_id in the body must match the path")
    if user_id != principal.user_id and not principal.privileged:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only a supervisor records someone else's absence")
    if body.move_open_work_to not in (None, "queue") and not principal.privileged:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only a supervisor moves work to another person")
    if await request.app.state.users.get(user_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such staff account")
    return accepted(await request.app.state.actions.staff_wide(principal, body, idempotency_key=idempotency_key))


@router.get("/reply-options", response_model=ReplyOptions, summary="Canned responses and official accounts for the reply box")
async def reply_options(request: Request, principal: CurrentPrincipal) -> ReplyOptions:
    policy = await request.app.state.records.published_policy()
    return ReplyOptions(
        organisation=policy.get("organisation"),
        canned_responses=[CannedView(**c) for c in policy.get("canned_responses", [])],
        accounts=policy.get("accounts", []), yours=list(principal.accounts),
    )
