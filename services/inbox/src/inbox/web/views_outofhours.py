"""The out-of-hours page: outbound freezes (admins freeze and lift them; lifting takes a second admin), the
replies a freeze holds, duty alerts with who holds each, alerts about the accounts, and who is away until
when. Forms hand their command to the inbox's actions (`inbox/actions.py`), as every other form and the API do."""

from civic_contracts.commands import FreezeCommand, UnfreezeCommand
from fastapi import APIRouter, HTTPException, Request, Response

from inbox.adapters.alerts import alerts_of
from inbox.web import csrf, render
from inbox.web.session import WebPrincipal, act, error_page

router = APIRouter(include_in_schema=False)
PAGE = "/out-of-hours"


@router.get(PAGE)
async def page(request: Request, principal: WebPrincipal) -> Response:
    reader = alerts_of(request)
    records, users = request.app.state.records, request.app.state.users
    absences = await records.absences()
    names = {u["_id"]: u.get("name") or u["_id"] for u in await users.all_users()}
    away = sorted(({"user_id": user, "name": names.get(user, user), "until": a.get("until"), "starts_at": a.get("starts_at"),
                    "on_leave": bool(a.get("on_leave"))}
                   for user, a in absences.items() if a.get("on_leave") or a.get("started") is False),
                  key=lambda a: a["name"])
    freezes = await reader.freezes()
    return render.render(
        request, "out_of_hours.html", principal=principal, title="Out of hours",
        frozen=[f for f in freezes if f.get("frozen")], lifted=[f for f in freezes if not f.get("frozen")][:10],
        held=await reader.held_replies(), duty=await reader.duty_alerts(open_only=False, limit=30),
        accounts=await reader.ops_alerts(limit=30), away=away,
    )


def _account(form: dict[str, str]) -> str | None:
    value = (form.get("account_id") or "").strip()
    return value[:320] or None


@router.post(PAGE + "/{action}")
async def freeze_action(request: Request, principal: WebPrincipal, action: str) -> Response:
    if action not in ("freeze", "unfreeze"):
        return error_page(request, principal, 404, "There is no such action.")
    form = await csrf.read_form(request)
    try:
        csrf.check(request, form)
    except HTTPException as exc:
        return error_page(request, principal, exc.status_code, str(exc.detail))
    if principal.role != "admin":
        return error_page(request, principal, 403, "Only an admin freezes or lifts a freeze.")
    key = (form.get("idempotency_key") or "")[:200] or None

    async def call() -> str:
        reason = (form.get("reason") or "").strip()
        if action == "freeze":
            body = FreezeCommand(account_id=_account(form), reason=reason)
        else:
            statement = (form.get("holding_statement") or "").strip() or None
            body = UnfreezeCommand(account_id=_account(form), reason=reason, holding_statement=statement)
        return await request.app.state.actions.staff_wide(principal, body, idempotency_key=key)

    return await act(request, principal, action, call, back=PAGE)
