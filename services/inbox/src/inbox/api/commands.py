"""Following a command: pending until responder picks it up, then processing, done or rejected."""

from fastapi import APIRouter, HTTPException, Request, status

from inbox.auth.deps import CurrentPrincipal
from inbox.schemas import CommandState

router = APIRouter(prefix="/api", tags=["actions"])


@router.get("/commands/{command_id}", response_model=CommandState, summary="Follow a command (your own, or any for supervisors)")
async def follow(request: Request, principal: CurrentPrincipal, command_id: str) -> CommandState:
    receipt, ledger = await request.app.state.commands.follow(command_id)
    owner = (receipt or {}).get("actor_id") or (ledger or {}).get("actor_id")
    if owner is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such command")
    if owner != principal.user_id and not principal.privileged:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "not your command")
    source = ledger or receipt
    return CommandState(
        command_id=command_id, action=source.get("action"), conversation_key=source.get("conversation_key"),
        status=(ledger or {}).get("status", "pending"), reason=(ledger or {}).get("reason"),
        result=(ledger or {}).get("result") or {},
    )
