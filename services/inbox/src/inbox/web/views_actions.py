"""The forms of the conversation page. Each checks the CSRF token, builds the command body and hands it to
the inbox's actions (`inbox/actions.py`, the same the agents' API calls: they check role, department and
state, and queue the command on Kafka): the web app adds no second set of rules. Without JavaScript a form posts and comes back to the page; with
it, the page's script posts the same form and gets JSON, and the result arrives live."""

from collections.abc import Awaitable, Callable

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
from fastapi import APIRouter, HTTPException, Request, Response

from inbox.actions import Actions
from inbox.auth.principal import Principal
from inbox.web import csrf, render
from inbox.web.session import WebPrincipal, act, error_page
from inbox.web.views_conversation import PLACEHOLDERS, page

router = APIRouter(include_in_schema=False)
Build = Callable[[Request, Principal, str, dict[str, str]], Awaitable[str]]


def text(form: dict[str, str], name: str) -> str | None:
    value = (form.get(name) or "").strip()
    return value or None


def checked(form: dict[str, str], name: str) -> bool:
    return form.get(name) in ("on", "true", "1", "yes")


def idempotency(form: dict[str, str]) -> str | None:
    value = text(form, "idempotency_key")
    return value[:200] if value else None


def actions(request: Request) -> Actions:
    return request.app.state.actions


async def _reply(request: Request, principal: Principal, key: str, form: dict[str, str]) -> str:
    free = text(form, "text")
    canned = None if free else text(form, "canned_id")
    seen = text(form, "seen_reply_count")
    body = ReplyCommand(
        text=free, canned_id=canned, language=text(form, "language"), private=form.get("visibility") == "private",
        await_citizen=checked(form, "await_citizen"), override_collision=checked(form, "override_collision"),
        seen_reply_count=int(seen) if seen and seen.isdigit() else None,
        placeholders={p: form[f"fill_{p}"] for p in PLACEHOLDERS if form.get(f"fill_{p}")} if canned else {},
    )
    if body.text is None and body.canned_id is None:
        raise HTTPException(422, "Write a reply or choose a canned response.")
    return await actions(request).reply(principal, key, body, idempotency_key=idempotency(form))


async def _note(request, principal, key, form):
    return await actions(request).note(principal, key, NoteCommand(text=form.get("text", "").strip()),
                                       idempotency_key=idempotency(form))


async def _reroute(request, principal, key, form):
    body = RerouteCommand(department=form.get("department", ""), urgency=text(form, "urgency"), reason=text(form, "reason"))
    return await actions(request).reroute(principal, key, body, idempotency_key=idempotency(form))


async def _handover(request, principal, key, form):
    body = HandoverCommand(private_channel=form.get("private_channel", ""), contact=text(form, "contact"),
                           holding_reply=form.get("holding_reply") or "private_message", reason=text(form, "reason"))
    return await actions(request).handover(principal, key, body, idempotency_key=idempotency(form))


async def _assign(request, principal, key, form):
    return await actions(request).assign(principal, key, AssignCommand(assignee=text(form, "assignee")),
                                         idempotency_key=idempotency(form))


async def _claim(request, principal, key, form):
    return await actions(request).claim(principal, key, idempotency_key=idempotency(form))


async def _release(request, principal, key, form):
    return await actions(request).release(principal, key, idempotency_key=idempotency(form))


async def _resolve(request, principal, key, form):
    return await actions(request).resolve(principal, key, ResolveCommand(note=text(form, "note")),
                                          idempotency_key=idempotency(form))


async def _close(request, principal, key, form):
    body = CloseCommand(note=text(form, "note"), reason=text(form, "reason"))  # reason: `no_reply_needed`
    return await actions(request).close(principal, key, body, idempotency_key=idempotency(form))


async def _hide(request, principal, key, form):
    body = HideCommentCommand(message_id=form.get("message_id", ""), reason=form.get("reason", "").strip())
    return await actions(request).hide_comment(principal, key, body, idempotency_key=idempotency(form))


async def _ban(request, principal, key, form):
    body = BanAuthorCommand(banned=form.get("banned", "true") != "false", reason=form.get("reason", "").strip())
    return await actions(request).ban_author(principal, key, body, idempotency_key=idempotency(form))


async def _approve(request, principal, key, form):
    return await actions(request).approve(principal, key, reply_id=form.get("reply_id", ""), comment=text(form, "comment"),
                                          idempotency_key=idempotency(form))


async def _reject(request, principal, key, form):
    return await actions(request).reject(principal, key, reply_id=form.get("reply_id", ""),
                                         reason=form.get("reason", "").strip(), idempotency_key=idempotency(form))


async def _replying(request, principal, key, form):
    body = ReplyingCommand(active=form.get("active", "true") != "false")
    return await actions(request).replying(principal, key, body, idempotency_key=idempotency(form))


ACTIONS: dict[str, Build] = {
    "reply": _reply, "note": _note, "reroute": _reroute, "handover": _handover, "assign": _assign, "claim": _claim,
    "release": _release, "resolve": _resolve, "close": _close, "hide_comment": _hide, "ban_author": _ban,
    "approve_reply": _approve, "reject_reply": _reject, "replying": _replying,
}


def back_to(form: dict[str, str], key: str) -> str:
    back = form.get("back") or ""
    if back.startswith("/") and not back.startswith(("//", "/\\")):
        return back
    return f"/conversations/{render.key_url(key)}#activity"


@router.post("/conversations/{key:path}/{action}")
async def conversation_action(request: Request, principal: WebPrincipal, key: str, action: str) -> Response:
    build = ACTIONS.get(action)
    if build is None:
        return error_page(request, principal, 404, "There is no such action.")
    form = await csrf.read_form(request)
    try:
        csrf.check(request, form)
    except HTTPException as exc:
        return error_page(request, principal, exc.status_code, str(exc.detail))

    async def again(code: int, message: str) -> Response:
        return await page(request, principal, key, error=message, status_code=code)

    back = back_to(form, key)
    on_error = again if back.startswith("/conversations/") else None
    return await act(request, principal, action, lambda: build(request, principal, key, form), back=back, on_error=on_error)

